# A department is imported by its Halo id.
terraform import halopsa_department.service_desk 7

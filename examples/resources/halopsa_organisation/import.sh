# An organisation is imported by its Halo id.
terraform import halopsa_organisation.example 12

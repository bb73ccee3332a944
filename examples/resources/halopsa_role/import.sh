# A role is imported by its Halo id (a GUID).
terraform import halopsa_role.first_line 8c9a0c1e-5b1f-4d7e-9a53-2f4b7d1c6e20

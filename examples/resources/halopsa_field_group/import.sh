# A field group is imported by its Halo id.
terraform import halopsa_field_group.contract 4

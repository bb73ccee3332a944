# A category entry is imported by its Halo id.
terraform import halopsa_category.laptop 118

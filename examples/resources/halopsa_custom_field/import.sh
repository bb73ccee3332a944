# A custom field is imported by its Halo id (from /api/FieldInfo).
terraform import halopsa_custom_field.contract_tier 155

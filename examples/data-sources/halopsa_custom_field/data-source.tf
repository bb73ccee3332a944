data "halopsa_custom_field" "contract_tier" {
  name = "contract_tier"
}

output "contract_tier_choices" {
  value = data.halopsa_custom_field.contract_tier.options
}

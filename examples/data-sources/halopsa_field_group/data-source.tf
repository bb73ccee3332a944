data "halopsa_field_group" "contract" {
  name = "Contract details"
}

output "contract_field_ids" {
  value = data.halopsa_field_group.contract.field_ids
}

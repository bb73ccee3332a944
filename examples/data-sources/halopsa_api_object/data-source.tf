data "halopsa_api_object" "escalate" {
  path = "Outcome"
  name = "Escalate to vendor"
}

output "escalate_outcome_id" {
  value = data.halopsa_api_object.escalate.id
}

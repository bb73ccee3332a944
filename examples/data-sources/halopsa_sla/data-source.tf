data "halopsa_sla" "standard" {
  name = "Standard SLA"
}

output "standard_priorities" {
  value = data.halopsa_sla.standard.priorities
}

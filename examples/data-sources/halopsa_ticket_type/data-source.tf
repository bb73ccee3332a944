data "halopsa_ticket_type" "incident" {
  name = "Incident"
}

output "incident_default_sla" {
  value = data.halopsa_ticket_type.incident.sla_id
}

data "halopsa_sla" "standard" {
  name = "Standard SLA"
}

data "halopsa_team" "first_line" {
  name = "1st Line Support"
}

# Incidents get the standard SLA at priority 3, may only go to 1st line, and
# are offered to end users on the portal. Every status is allowed (no
# `status_ids`).
resource "halopsa_ticket_type" "incident" {
  name                 = "Incident"
  sla_id               = data.halopsa_sla.standard.id
  priority_id          = 3
  team_ids             = [data.halopsa_team.first_line.id]
  end_users_can_select = true
}

data "halopsa_organisation" "main" {
  name = "Main Organisation"
}

# `organisation_id` tells apart departments of the same name in different
# organisations.
data "halopsa_department" "service_desk" {
  name            = "Service Desk"
  organisation_id = data.halopsa_organisation.main.id
}

resource "halopsa_team" "triage" {
  name          = "Triage"
  department_id = data.halopsa_department.service_desk.id
}

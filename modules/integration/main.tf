# One integration's whole Halo side: an API-only agent with its default team and
# work hours, a role with the given permissions and "Modify All" on the given
# departments, the agent's membership of them, and the API application that logs in
# as the agent with the given scopes.

data "halopsa_workday" "hours" {
  name = var.work_hours
}

resource "halopsa_role" "this" {
  name        = var.name
  description = "Used by the ${var.name} integration's API agent."
  permissions = var.permissions
}

resource "halopsa_role_department" "this" {
  for_each = var.department_ids

  role_id          = halopsa_role.this.id
  department_id    = each.value
  membership_level = "modify_all"
}

resource "halopsa_agent" "this" {
  name         = var.name
  is_api_agent = true
  default_team = var.default_team
  workday_id   = data.halopsa_workday.hours.id
  role_ids     = [halopsa_role.this.id]
}

resource "halopsa_agent_department" "this" {
  for_each = var.department_ids

  agent_id         = halopsa_agent.this.id
  department_id    = each.value
  membership_level = "modify_all"
}

resource "halopsa_api_application" "this" {
  name                  = var.name
  authentication_method = "client_credentials"
  login_as_agent_id     = halopsa_agent.this.id
  permissions           = var.scopes
  organisation_id       = var.organisation_id

  # The role and memberships must be in place before the integration signs in.
  depends_on = [halopsa_role_department.this, halopsa_agent_department.this]
}

# The Cork integration: every step of Halo's "Connect Cork to HaloPSA" guide as
# configuration. Apply it and hand Cork the two outputs:
#
#   terraform apply
#   terraform output client_id
#   terraform output -raw client_secret
#
# The provider reads HALOPSA_URL, HALOPSA_CLIENT_ID and HALOPSA_CLIENT_SECRET.

terraform {
  required_version = ">= 1.6"
  required_providers {
    halopsa = {
      source = "halopsa/halopsa"
    }
  }
}

provider "halopsa" {}

# Objects that already exist in Halo, looked up by name.
data "halopsa_department" "service" {
  name = var.service_department
}

data "halopsa_team" "default" {
  name = var.default_team
}

data "halopsa_workday" "hours" {
  name = var.work_hours
}

# Steps 10-31: the role, its department membership and its permissions.
resource "halopsa_role" "cork" {
  name        = "CorkAPI"
  description = "Used by the Cork integration's API agent."
  permissions = {
    tickets_access                = "read_modify"
    clients_access                = "read_only"
    users_access                  = "read_only"
    can_add_tickets               = true
    can_edit_closed_tickets       = true
    can_view_unassigned_tickets   = true
    can_view_other_agents_tickets = true
    can_delete_tickets            = true
    can_edit_unassigned_tickets   = true
  }
}

resource "halopsa_role_department" "cork" {
  role_id          = halopsa_role.cork.id
  department_id    = data.halopsa_department.service.id
  membership_level = "modify_all"
}

# Steps 1-9 and 13: the API-only agent with its default team, work hours and role.
resource "halopsa_agent" "cork" {
  name         = "CorkAPI"
  is_api_agent = true
  default_team = data.halopsa_team.default.name
  workday_id   = data.halopsa_workday.hours.id
  role_ids     = [halopsa_role.cork.id]
}

resource "halopsa_agent_department" "cork" {
  agent_id         = halopsa_agent.cork.id
  department_id    = data.halopsa_department.service.id
  membership_level = "modify_all"
}

# Steps 32-45: the API application, logging in as the agent.
resource "halopsa_api_application" "cork" {
  name                  = "Cork API"
  authentication_method = "client_credentials"
  login_as_agent_id     = halopsa_agent.cork.id
  permissions           = ["read:tickets", "edit:tickets", "read:customers"]

  # The role and memberships must be in place before Cork signs in.
  depends_on = [halopsa_role_department.cork, halopsa_agent_department.cork]
}

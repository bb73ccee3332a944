# The Cork integration: every step of Halo's "Connect Cork to HaloPSA" guide as
# configuration, through the reusable modules/integration module. Apply it and hand
# Cork the two outputs:
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

# The department that already exists in Halo, looked up by name.
data "halopsa_department" "service" {
  name = var.service_department
}

# Steps 1-45: the API-only agent (default team, work hours, role), the role with its
# permissions and Modify All membership of the department, the agent's membership,
# and the API application logging in as the agent.
module "cork" {
  source = "../../modules/integration"

  name           = "CorkAPI"
  department_ids = [data.halopsa_department.service.id]
  default_team   = var.default_team
  work_hours     = var.work_hours
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
  scopes = ["read:tickets", "edit:tickets", "read:customers"]
}

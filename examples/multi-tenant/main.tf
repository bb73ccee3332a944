# One organisation per tenant, each with its own department, API-only agent
# (Modify All in that department only), role and API application, so every
# integration sees only its tenant's tickets. Add a tenant by adding a map entry.

terraform {
  required_version = ">= 1.6"
  required_providers {
    halopsa = {
      source = "halopsa/halopsa"
    }
  }
}

provider "halopsa" {}

variable "tenants" {
  description = "Tenants by key: the organisation's name and the scopes its integration gets."
  type = map(object({
    organisation = string
    scopes       = list(string)
  }))
  default = {
    acme = {
      organisation = "Acme Ltd"
      scopes       = ["read:tickets", "edit:tickets", "read:customers"]
    }
    globex = {
      organisation = "Globex Corporation"
      scopes       = ["read:tickets", "read:customers"]
    }
  }
}

resource "halopsa_organisation" "tenant" {
  for_each = var.tenants
  name     = each.value.organisation
}

resource "halopsa_department" "tenant" {
  for_each        = var.tenants
  name            = "${each.value.organisation} Service Desk"
  organisation_id = halopsa_organisation.tenant[each.key].id
}

resource "halopsa_role" "tenant" {
  for_each    = var.tenants
  name        = "${each.key}-api"
  description = "API access for ${each.value.organisation} only."
  permissions = {
    tickets_access  = "read_modify"
    clients_access  = "read_only"
    users_access    = "read_only"
    can_add_tickets = true
  }
}

resource "halopsa_role_department" "tenant" {
  for_each         = var.tenants
  role_id          = halopsa_role.tenant[each.key].id
  department_id    = halopsa_department.tenant[each.key].id
  membership_level = "modify_all"
}

resource "halopsa_agent" "tenant" {
  for_each     = var.tenants
  name         = "${each.key}-api"
  is_api_agent = true
  role_ids     = [halopsa_role.tenant[each.key].id]
}

resource "halopsa_agent_department" "tenant" {
  for_each         = var.tenants
  agent_id         = halopsa_agent.tenant[each.key].id
  department_id    = halopsa_department.tenant[each.key].id
  membership_level = "modify_all"
}

resource "halopsa_api_application" "tenant" {
  for_each          = var.tenants
  name              = "${each.value.organisation} integration"
  login_as_agent_id = halopsa_agent.tenant[each.key].id
  permissions       = each.value.scopes
  depends_on        = [halopsa_role_department.tenant, halopsa_agent_department.tenant]
}

output "client_ids" {
  description = "Client id of each tenant's API application."
  value       = { for k, app in halopsa_api_application.tenant : k => app.client_id }
}

output "client_secrets" {
  description = "Client secret of each tenant's API application (`terraform output -json client_secrets`)."
  value       = { for k, app in halopsa_api_application.tenant : k => app.client_secret }
  sensitive   = true
}

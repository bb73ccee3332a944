# Halo's guide "API Applications with Organisation access", one tenant per map
# entry. For each tenant:
#
# 1. an organisation (multi-tenancy must be enabled in Halo);
# 2. a department within it, to be assigned to the tenant's API agent;
# 3. the tenant's customers, placed in that department so that they are part of
#    the organisation;
# 4. an API-only agent with a role, both with "Modify All" on that department and
#    no other;
# 5. an API application that logs in as that agent, restricted to the
#    organisation, without the "All: Teams" permission (scope `all:teams`).
#
# Add a tenant by adding a map entry.

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
  description = "Tenants by key: the organisation's name, its customers' names and the scopes its integration gets."
  type = map(object({
    organisation = string
    customers    = list(string)
    scopes       = list(string)
  }))
  default = {
    acme = {
      organisation = "Acme Ltd"
      customers    = ["Acme Retail", "Acme Logistics"]
      scopes       = ["read:tickets", "edit:tickets", "read:customers"]
    }
    globex = {
      organisation = "Globex Corporation"
      customers    = ["Globex Research"]
      scopes       = ["read:tickets", "read:customers"]
    }
  }

  validation {
    condition     = !contains(flatten([for t in values(var.tenants) : t.scopes]), "all:teams")
    error_message = "An application restricted to one organisation must not have the \"All: Teams\" permission (scope all:teams)."
  }
}

locals {
  # Every customer of every tenant, by "TENANT/CUSTOMER".
  customers = merge([
    for key, tenant in var.tenants : {
      for name in tenant.customers : "${key}/${name}" => { tenant = key, name = name }
    }
  ]...)
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

# Each customer sits in its tenant's department and is configured for its tenant's
# organisation only (Halo's allowed organisations), as step 4 of the guide asks.
resource "halopsa_client" "customer" {
  for_each          = local.customers
  name              = each.value.name
  department_id     = halopsa_department.tenant[each.value.tenant].id
  organisation_ids  = [halopsa_organisation.tenant[each.value.tenant].id]
  all_organisations = false
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
  organisation_id   = halopsa_organisation.tenant[each.key].id
  permissions       = each.value.scopes
  depends_on        = [halopsa_role_department.tenant, halopsa_agent_department.tenant]
}

output "customer_ids" {
  description = "Halo id of each tenant's customers, by tenant and customer name."
  value = {
    for key, tenant in var.tenants : key => {
      for name in tenant.customers : name => halopsa_client.customer["${key}/${name}"].id
    }
  }
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

# Every object of the tenant that the provider manages. `terraform query
# -generate-config-out=generated.tf` writes an import block and a resource block
# for each one. Narrow a block with its `config` filters, e.g.
#   config { name = "acme" }                # name contains, ignoring case
#   config { organisation_id = "12" }       # halopsa_department
#   config { department_id = "7" }          # halopsa_team, both memberships
#   config { role_id = "GUID" }             # halopsa_role_department
#   config { agent_id = "42" }              # halopsa_agent_department
# `limit` (Terraform's default: 100 per block) is raised for large tenants.

list "halopsa_organisation" "all" {
  provider         = halopsa
  include_resource = true
  limit            = 1000
}

list "halopsa_department" "all" {
  provider         = halopsa
  include_resource = true
  limit            = 1000
}

list "halopsa_team" "all" {
  provider         = halopsa
  include_resource = true
  limit            = 1000
}

# API-only agents are listed too.
list "halopsa_agent" "all" {
  provider         = halopsa
  include_resource = true
  limit            = 1000
}

list "halopsa_role" "all" {
  provider         = halopsa
  include_resource = true
  limit            = 1000
}

# Client secrets are never listed: Halo shows them only when an application is
# created, so an imported application's client_secret is null.
list "halopsa_api_application" "all" {
  provider         = halopsa
  include_resource = true
  limit            = 1000
}

# One entry per department membership of every role / agent.
list "halopsa_role_department" "all" {
  provider         = halopsa
  include_resource = true
  limit            = 1000
}

list "halopsa_agent_department" "all" {
  provider         = halopsa
  include_resource = true
  limit            = 1000
}

# Customers (clients), inactive ones included.
list "halopsa_client" "all" {
  provider         = halopsa
  include_resource = true
  limit            = 1000
}

# Webhooks come without their secrets (basic_password, authentication_header).
list "halopsa_webhook" "all" {
  provider         = halopsa
  include_resource = true
  limit            = 1000
}

resource "halopsa_agent" "integration" {
  name         = "integration"
  is_api_agent = true
}

# "Client ID and Secret (Services)": the application acts as the agent above.
resource "halopsa_api_application" "ticket_sync" {
  name              = "Ticket sync"
  login_as_agent_id = halopsa_agent.integration.id
  permissions       = ["read:tickets", "edit:tickets", "read:customers"]
}

# The client secret is known only to the apply that creates the application.
output "ticket_sync_client_id" {
  value = halopsa_api_application.ticket_sync.client_id
}

output "ticket_sync_client_secret" {
  value     = halopsa_api_application.ticket_sync.client_secret
  sensitive = true
}

# "Authorization Code": users log in themselves.
resource "halopsa_api_application" "portal" {
  name                  = "Customer portal"
  authentication_method = "authorization_code"
  permissions           = ["read:tickets"]
  active                = false
}

# A secret you supply, kept out of plan and state (write-only, Terraform 1.11+):
# from an ephemeral variable here; bump the version to send a new one.
variable "reporting_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "halopsa_api_application" "reporting" {
  name                     = "Reporting"
  login_as_agent_id        = halopsa_agent.integration.id
  permissions              = ["read:reporting"]
  client_secret_wo         = var.reporting_secret
  client_secret_wo_version = 1
}

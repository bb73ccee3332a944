output "client_id" {
  description = "The API application's OAuth client id: give it to the integration."
  value       = halopsa_api_application.this.client_id
}

output "client_secret" {
  description = "The API application's OAuth client secret (sensitive; known only to the apply that creates the application). Read it with `terraform output -raw`."
  value       = halopsa_api_application.this.client_secret
  sensitive   = true
}

output "agent_id" {
  description = "The Halo id of the integration's API-only agent."
  value       = halopsa_agent.this.id
}

output "role_id" {
  description = "The Halo id (a GUID) of the integration's role."
  value       = halopsa_role.this.id
}

output "application_id" {
  description = "The Halo id (a GUID) of the integration's API application."
  value       = halopsa_api_application.this.id
}

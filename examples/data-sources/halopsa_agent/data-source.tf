# By username (API-only agents are found too).
data "halopsa_agent" "admin" {
  name = "admin"
}

# By id.
data "halopsa_agent" "by_id" {
  id = "1"
}

output "admin_default_team" {
  value = data.halopsa_agent.admin.default_team
}

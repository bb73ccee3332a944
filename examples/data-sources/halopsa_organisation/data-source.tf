# By name (an exact, case-sensitive match)...
data "halopsa_organisation" "main" {
  name = "Main Organisation"
}

# ...or by id.
data "halopsa_organisation" "by_id" {
  id = "1"
}

output "main_organisation_email" {
  value = data.halopsa_organisation.main.email
}

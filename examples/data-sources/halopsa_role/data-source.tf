data "halopsa_role" "auditors" {
  name = "Auditors"
}

# Give an agent an existing role.
resource "halopsa_agent" "auditor" {
  name     = "auditor"
  role_ids = [data.halopsa_role.auditors.id]
}

resource "halopsa_agent" "jo" {
  name  = "jo"
  email = "jo@acme.example"
}

# Jo sees the Service Desk department's tickets without changing them.
resource "halopsa_agent_department" "jo_service_desk" {
  agent_id         = halopsa_agent.jo.id
  department_id    = data.halopsa_department.service_desk.id
  membership_level = "read_only"
}

data "halopsa_department" "service_desk" {
  name = "Service Desk"
}

data "halopsa_department" "service_desk" {
  name = "Service Desk"
}

resource "halopsa_team" "first_line" {
  name          = "1st Line Support"
  department_id = data.halopsa_department.service_desk.id
}

# A team kept for its history but no longer offered for assignment.
resource "halopsa_team" "legacy" {
  name          = "Legacy Escalations"
  department_id = data.halopsa_department.service_desk.id
  inactive      = true
}

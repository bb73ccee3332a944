data "halopsa_department" "service_desk" {
  name = "Service Desk"
}

# `department_id` tells apart teams of the same name in different departments.
data "halopsa_team" "first_line" {
  name          = "1st Line Support"
  department_id = data.halopsa_department.service_desk.id
}

output "first_line_team_id" {
  value = data.halopsa_team.first_line.id
}

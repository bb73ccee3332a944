# The import id of a role's membership in a department.
import {
  to = halopsa_role_department.service_desk
  id = provider::halopsa::membership_id(var.role_id, var.department_id)
}

variable "role_id" {
  type = string
}

variable "department_id" {
  type = string
}

resource "halopsa_role_department" "service_desk" {
  role_id          = var.role_id
  department_id    = var.department_id
  membership_level = "modify_all"
}

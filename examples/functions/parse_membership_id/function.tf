# The two ids inside a membership id, e.g. one read from a list of imports.
locals {
  membership = provider::halopsa::parse_membership_id("4f6c2a1e-8b7d-4c3e-9f10-2a3b4c5d6e7f/12")
}

output "role_id" {
  value = local.membership.parent_id # "4f6c2a1e-8b7d-4c3e-9f10-2a3b4c5d6e7f"
}

output "department_id" {
  value = local.membership.department_id # "12"
}

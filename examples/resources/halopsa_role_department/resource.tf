resource "halopsa_role" "engineers" {
  name = "Engineers"
}

resource "halopsa_organisation" "acme" {
  name = "Acme Ltd"
}

resource "halopsa_department" "networks" {
  name            = "Networks"
  organisation_id = halopsa_organisation.acme.id
}

# Agents holding the "Engineers" role see and change the Networks department's
# tickets. Other departments of the role are left alone.
resource "halopsa_role_department" "engineers_networks" {
  role_id          = halopsa_role.engineers.id
  department_id    = halopsa_department.networks.id
  membership_level = "modify_all"
}

# Many memberships of one role at once.
resource "halopsa_role_department" "engineers_read_only" {
  for_each = toset(["3", "4", "5"])

  role_id          = halopsa_role.engineers.id
  department_id    = each.value
  membership_level = "read_only"
}

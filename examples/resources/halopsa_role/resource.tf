# A role with a few permissions; every permission left out is `none` / `false`.
resource "halopsa_role" "first_line" {
  name        = "First Line Support"
  description = "Log and work tickets; read customer details."

  permissions = {
    tickets_access              = "read_modify"
    clients_access              = "read_only"
    users_access                = "read_only"
    can_add_tickets             = true
    can_view_unassigned_tickets = true
  }
}

# A role with no permissions at all (leave `permissions` out).
resource "halopsa_role" "observer" {
  name = "Observer"
}

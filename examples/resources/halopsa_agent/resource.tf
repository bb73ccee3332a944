data "halopsa_workday" "standard" {
  name = "Standard Hours"
}

resource "halopsa_role" "first_line" {
  name = "First Line Support"
  permissions = {
    tickets_access  = "read_modify"
    can_add_tickets = true
  }
}

# A human agent: `role_ids` is the agent's whole role set.
resource "halopsa_agent" "jo" {
  name         = "jo.bloggs"
  email        = "jo.bloggs@acme.example"
  first_name   = "Jo"
  surname      = "Bloggs"
  default_team = "1st Line Support" # the team's name
  workday_id   = data.halopsa_workday.standard.id
  role_ids     = [halopsa_role.first_line.id]
}

# An API-only agent for an API application to log in as. Without `role_ids`
# its roles are left as they are in Halo.
resource "halopsa_agent" "terraform" {
  name         = "svc-terraform"
  is_api_agent = true
}

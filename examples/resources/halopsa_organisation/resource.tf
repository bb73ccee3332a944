resource "halopsa_organisation" "example" {
  name          = "Acme Ltd"
  email         = "support@acme.example"
  phone         = "+44 20 7946 0000"
  website       = "https://acme.example"
  reply_address = "helpdesk@acme.example"
}

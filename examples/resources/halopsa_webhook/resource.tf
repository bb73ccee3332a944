# Halo calls the ticketing tool when a ticket is logged or updated, with HTTP basic
# authentication. Event numbers are Halo's own (`eventno`).
variable "ticket_sync_password" {
  type      = string
  sensitive = true
}

resource "halopsa_webhook" "ticket_sync" {
  name                = "Ticket sync"
  url                 = "https://sync.example.com/halo/events"
  content_type        = "application/json"
  authentication_type = "basic"
  basic_username      = "halo"
  basic_password      = var.ticket_sync_password
  # Bump to send the password again (Halo never shows it back).
  basic_password_version = 1
  events                 = [1, 2]
}

# A header carries the credential instead; paused for now.
resource "halopsa_webhook" "chat" {
  name                  = "Chat notifications"
  url                   = "https://chat.example.com/hooks/halo"
  authentication_type   = "header"
  authentication_header = "X-Api-Key: 0123abcd"
  active                = false
}

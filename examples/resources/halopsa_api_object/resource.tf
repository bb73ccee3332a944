# A ticket type; only the keys in body are managed, whatever else Halo holds.
resource "halopsa_api_object" "incident" {
  path = "TicketType"
  body = {
    name             = "Incident"
    sequence         = 1
    allowattachments = true
  }
}

# A mailbox whose password is sent write-only (Terraform 1.11+), never stored.
variable "mailbox_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "halopsa_api_object" "support_mailbox" {
  path = "Mailbox"
  body = {
    name     = "Support"
    username = "support@example.com"
  }
  sensitive_body         = { password = var.mailbox_password }
  sensitive_body_version = "1"
}

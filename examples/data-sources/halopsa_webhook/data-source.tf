data "halopsa_webhook" "ticket_sync" {
  name = "Ticket sync"
}

output "ticket_sync_url" {
  value = data.halopsa_webhook.ticket_sync.url
}

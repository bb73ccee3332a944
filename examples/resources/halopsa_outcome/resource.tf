resource "halopsa_status" "waiting_on_customer" {
  name       = "Waiting on Customer"
  sla_action = "hold"
}

# The button agents press when they need the customer's answer: the ticket moves
# to "Waiting on Customer" and the SLA hold box starts ticked.
resource "halopsa_outcome" "ask_customer" {
  name        = "Ask Customer"
  button_name = "Ask Customer"
  colour      = "#1565c0"
  sequence    = 5
  status_id   = halopsa_status.waiting_on_customer.id
  sla_hold    = true
}

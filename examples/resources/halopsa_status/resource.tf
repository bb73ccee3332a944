# A status a ticket waits in while the customer answers: the SLA timer stops.
resource "halopsa_status" "waiting_on_customer" {
  name       = "Waiting on Customer"
  short_name = "Waiting"
  sequence   = 3
  colour     = "#f9a825"
  sla_action = "hold"
}

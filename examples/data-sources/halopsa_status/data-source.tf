# A status every Halo comes with.
data "halopsa_status" "closed" {
  name = "Closed"
}

output "closed_status_id" {
  value = data.halopsa_status.closed.id
}

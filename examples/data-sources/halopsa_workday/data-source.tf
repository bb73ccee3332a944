# Work hours are managed in Halo itself; look them up to give an agent its hours.
data "halopsa_workday" "standard" {
  name = "Standard Hours"
}

output "standard_hours" {
  value = {
    id       = data.halopsa_workday.standard.id
    timezone = data.halopsa_workday.standard.timezone
  }
}

data "halopsa_workday" "business_hours" {
  name = "Standard Hours"
}

# Targets run in working time of the SLA's work hours.
resource "halopsa_sla" "gold" {
  name       = "Gold"
  workday_id = data.halopsa_workday.business_hours.id
  priorities = [
    { priority_id = 1, name = "Critical", response_time = 0.5, response_units = "hours", fix_time = 4, fix_units = "hours", colour = "#d32f2f" },
    { priority_id = 2, name = "High", response_time = 2, response_units = "hours", fix_time = 1, fix_units = "days", colour = "#f57c00" },
    { priority_id = 3, name = "Normal", response_time = 1, response_units = "days", fix_time = 5, fix_units = "days", colour = null },
  ]
}

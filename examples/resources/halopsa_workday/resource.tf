# The hours a service desk works: weekdays, in London's time zone. The hours of
# each day and holidays stay as set on Halo's screen.
resource "halopsa_workday" "office" {
  name     = "Office Hours"
  timezone = "GMT Standard Time"
  days     = ["monday", "tuesday", "wednesday", "thursday", "friday"]
}

# An API-only agent working those hours.
resource "halopsa_agent" "integration" {
  name         = "api-integration"
  is_api_agent = true
  workday_id   = halopsa_workday.office.id
}

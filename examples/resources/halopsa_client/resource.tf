data "halopsa_department" "service_desk" {
  name = "Service Desk"
}

# A customer in the Service Desk department: part of that department's
# organisation, so an API application restricted to the organisation sees it.
resource "halopsa_client" "acme_retail" {
  name          = "Acme Retail"
  department_id = data.halopsa_department.service_desk.id
  notes         = "Managed since 2024."
}

# A former customer, kept for its history.
resource "halopsa_client" "initech" {
  name          = "Initech"
  department_id = data.halopsa_department.service_desk.id
  inactive      = true
}

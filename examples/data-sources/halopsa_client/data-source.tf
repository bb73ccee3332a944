data "halopsa_department" "service_desk" {
  name = "Service Desk"
}

# `department_id` tells apart customers of the same name in different departments.
data "halopsa_client" "acme_retail" {
  name          = "Acme Retail"
  department_id = data.halopsa_department.service_desk.id
}

output "acme_retail_client_id" {
  value = data.halopsa_client.acme_retail.id
}

resource "halopsa_organisation" "acme" {
  name = "Acme Ltd"
}

resource "halopsa_department" "service_desk" {
  name            = "Service Desk"
  organisation_id = halopsa_organisation.acme.id
  notes           = "First point of contact for every customer request."
}

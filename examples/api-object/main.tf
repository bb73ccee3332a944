# Halo configuration as code with halopsa_api_object: a ticket type with the
# statuses it allows, an SLA with two priorities, and an outcome (action button)
# whose id feeds a custom integration's method variable. Every object refers to
# the others by reference, so the same configuration applies to any tenant.
#
# The provider reads HALOPSA_URL, HALOPSA_CLIENT_ID and HALOPSA_CLIENT_SECRET.

terraform {
  required_version = ">= 1.6"
  required_providers {
    halopsa = {
      source = "halopsa/halopsa"
    }
  }
}

provider "halopsa" {}

# The statuses the ticket type allows.
resource "halopsa_api_object" "status" {
  for_each = {
    triage  = "Triage"
    waiting = "Waiting on vendor"
  }
  path = "Status"
  body = {
    name   = each.value
    colour = "#2563eb"
  }
}

resource "halopsa_api_object" "sla" {
  path = "SLA"
  body = {
    name = "Managed services"
    priorities = [
      { name = "P1 - Critical", responsetime = 1, fixtime = 4 },
      { name = "P2 - High", responsetime = 4, fixtime = 24 },
    ]
  }
  # The priorities' ids, as Halo answers them, for tools configured with them.
  response_export_values = ["/priorities/0/id", "/priorities/1/id"]
}

resource "halopsa_api_object" "ticket_type" {
  path = "TicketType"
  body = {
    name             = "Managed service incident"
    sequence         = 10
    allowattachments = true
    allowed_status = [
      for s in halopsa_api_object.status : { status_id = tonumber(s.id) }
    ]
  }
}

# An action button, and a custom integration that is told its id.
resource "halopsa_api_object" "escalate" {
  path = "Outcome"
  body = {
    outcome    = "Escalate to vendor"
    buttonname = "Escalate"
  }
}

resource "halopsa_api_object" "vendor" {
  path = "CustomIntegration"
  body = {
    name            = "Vendor escalations"
    resourcebaseurl = "https://vendor.example.com/api"
  }
}

resource "halopsa_api_object" "vendor_method" {
  path = "CustomIntegrationMethod"
  body = {
    name           = "Open vendor case"
    integration_id = tonumber(halopsa_api_object.vendor.id)
    path           = "/cases"
    uri_params = [
      { key = "escalation_outcome_id", value = halopsa_api_object.escalate.id },
    ]
  }
}

output "ticket_type_id" {
  value = halopsa_api_object.ticket_type.id
}

output "sla_priority_ids" {
  value = halopsa_api_object.sla.output
}

# The module's wiring, checked by `terraform test` with a mocked provider (Terraform
# 1.7+): no Halo is called. Computed attributes the mocks do not set get made-up
# values, so every assertion compares one resource's attribute with another's.
# scripts/test-modules runs it.

mock_provider "halopsa" {
  mock_data "halopsa_workday" {
    defaults = {
      id = "7"
    }
  }

  # The provider validates ids in references (whole numbers, GUIDs), so the
  # resources referred to get ids of Halo's shapes.
  mock_resource "halopsa_agent" {
    defaults = {
      id = "42"
    }
  }

  mock_resource "halopsa_role" {
    defaults = {
      id = "6b3c6d2e-0c1f-4a57-9a43-3f1d2b7c9e10"
    }
  }

  mock_resource "halopsa_api_application" {
    defaults = {
      id            = "0f9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c"
      client_id     = "mock-client-id"
      client_secret = "mock-client-secret"
    }
  }
}

variables {
  name           = "CorkAPI"
  department_ids = ["11", "12"]
  default_team   = "1st Line Support"
  work_hours     = "Standard Hours"
  scopes         = ["read:tickets", "edit:tickets"]
  permissions = {
    tickets_access  = "read_modify"
    can_add_tickets = true
  }
}

run "role_gets_modify_all_on_each_department" {
  assert {
    condition     = halopsa_role.this.name == "CorkAPI"
    error_message = "the role is named after the integration"
  }
  assert {
    condition     = halopsa_role.this.permissions.tickets_access == "read_modify" && halopsa_role.this.permissions.can_add_tickets
    error_message = "the role carries the permissions given"
  }
  assert {
    condition     = toset(keys(halopsa_role_department.this)) == toset(["11", "12"])
    error_message = "one role membership per department"
  }
  assert {
    condition = alltrue([
      for key, m in halopsa_role_department.this :
      m.role_id == halopsa_role.this.id && m.department_id == key && m.membership_level == "modify_all"
    ])
    error_message = "each role membership is the role's, on its department, at modify_all"
  }
}

run "agent_is_an_api_agent_in_each_department" {
  assert {
    condition     = halopsa_agent.this.is_api_agent && halopsa_agent.this.name == "CorkAPI"
    error_message = "the agent is an API-only agent named after the integration"
  }
  assert {
    condition     = halopsa_agent.this.role_ids == toset([halopsa_role.this.id])
    error_message = "the agent holds the module's role and only it"
  }
  assert {
    condition     = halopsa_agent.this.workday_id == "7" && halopsa_agent.this.default_team == "1st Line Support"
    error_message = "the agent's work hours are the looked-up workday and its team the one given"
  }
  assert {
    condition = alltrue([
      for key, m in halopsa_agent_department.this :
      m.agent_id == halopsa_agent.this.id && m.department_id == key && m.membership_level == "modify_all"
    ]) && length(halopsa_agent_department.this) == 2
    error_message = "each agent membership is the agent's, on its department, at modify_all"
  }
}

run "application_logs_in_as_the_agent" {
  assert {
    condition     = halopsa_api_application.this.login_as_agent_id == halopsa_agent.this.id
    error_message = "the application logs in as the module's agent"
  }
  assert {
    condition     = halopsa_api_application.this.authentication_method == "client_credentials"
    error_message = "the application uses Client ID and Secret (Services)"
  }
  assert {
    condition     = halopsa_api_application.this.permissions == toset(["read:tickets", "edit:tickets"])
    error_message = "the application's scopes are the ones given"
  }
}

run "outputs" {
  assert {
    condition     = output.client_id == "mock-client-id" && output.client_id == halopsa_api_application.this.client_id
    error_message = "client_id is the application's"
  }
  assert {
    condition     = nonsensitive(output.client_secret) == "mock-client-secret"
    error_message = "client_secret is the application's"
  }
  assert {
    condition     = output.agent_id == halopsa_agent.this.id && output.role_id == halopsa_role.this.id && output.application_id == halopsa_api_application.this.id
    error_message = "agent_id, role_id and application_id are the ids of the module's objects"
  }
}

run "organisation_restriction_is_passed_on" {
  variables {
    organisation_id = "3"
  }
  assert {
    condition     = halopsa_api_application.this.organisation_id == "3"
    error_message = "the application is restricted to the organisation given"
  }
}

run "an_empty_name_is_refused" {
  command = plan
  variables {
    name = "  "
  }
  expect_failures = [var.name]
}

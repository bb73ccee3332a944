variable "name" {
  description = "The integration's name: the API-only agent, its role and the API application are all named after it."
  type        = string

  validation {
    condition     = length(trimspace(var.name)) > 0
    error_message = "name must not be empty."
  }
}

variable "department_ids" {
  description = "The Halo ids of the departments the integration works in: its role and its agent get \"Modify All\" membership of each."
  type        = set(string)
}

variable "default_team" {
  description = "The name of the agent's default team (an existing team)."
  type        = string
}

variable "work_hours" {
  description = "The name of the agent's work hours (an existing Halo workday)."
  type        = string
}

variable "permissions" {
  description = "The role's permissions object (halopsa_role `permissions`): access levels `none`, `read_only` or `read_modify` and ticket flags. Unset attributes are `none` / `false`; null gives the role no permissions."
  type = object({
    tickets_access                = optional(string)
    clients_access                = optional(string)
    users_access                  = optional(string)
    can_add_tickets               = optional(bool)
    can_edit_closed_tickets       = optional(bool)
    can_view_unassigned_tickets   = optional(bool)
    can_view_other_agents_tickets = optional(bool)
    can_delete_tickets            = optional(bool)
    can_edit_unassigned_tickets   = optional(bool)
  })
  default = null
}

variable "scopes" {
  description = "The Halo scopes of the API application, e.g. `read:tickets`, `edit:customers`."
  type        = set(string)
}

variable "organisation_id" {
  description = "The Halo id of the one organisation the API application is restricted to (Halo's \"API Applications with Organisation access\"); null for none."
  type        = string
  default     = null
}

variable "service_department" {
  description = "The department that handles service tickets: the Cork agent and role get Modify All membership of it."
  type        = string
  default     = "Service Desk"
}

variable "default_team" {
  description = "The Cork agent's default team."
  type        = string
  default     = "1st Line Support"
}

variable "work_hours" {
  description = "The Cork agent's work hours (a Halo workday)."
  type        = string
  default     = "Standard Hours"
}

# Work hours are imported by their Halo id.
terraform import halopsa_workday.office 3

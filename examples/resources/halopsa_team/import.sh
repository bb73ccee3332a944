# A team is imported by its Halo id.
terraform import halopsa_team.first_line 12

# An SLA is imported by its Halo id.
terraform import halopsa_sla.gold 3

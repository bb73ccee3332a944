# A ticket type is imported by its Halo id.
terraform import halopsa_ticket_type.incident 1

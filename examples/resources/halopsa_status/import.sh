# A status is imported by its Halo id.
terraform import halopsa_status.waiting_on_customer 21

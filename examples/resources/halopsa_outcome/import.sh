# An action is imported by its Halo id.
terraform import halopsa_outcome.ask_customer 34

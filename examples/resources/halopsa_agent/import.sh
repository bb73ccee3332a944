# An agent is imported by its Halo id.
terraform import halopsa_agent.jo 12

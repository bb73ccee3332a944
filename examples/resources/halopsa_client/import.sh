# A client is imported by its Halo id.
terraform import halopsa_client.acme_retail 42

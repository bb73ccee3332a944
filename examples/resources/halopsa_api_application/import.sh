# An imported application has no client_secret in the state: Halo shows it only once.
terraform import halopsa_api_application.ticket_sync 9f1c8d2e-6a4b-4c3d-8e2f-1a2b3c4d5e6f

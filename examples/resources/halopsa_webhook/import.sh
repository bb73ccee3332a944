# An imported webhook has no basic_password or authentication_header in the state:
# Halo does not show them.
terraform import halopsa_webhook.ticket_sync 3b2f6c1e-8d4a-4f5b-9c7e-2a1b0c9d8e7f

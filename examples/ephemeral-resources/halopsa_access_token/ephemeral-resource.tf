# A token for the provider's own API application, for one run only.
ephemeral "halopsa_access_token" "reports" {
  scope = "read:reporting"
}

# Hand it to something that calls Halo itself, e.g. another provider's
# write-only argument or an ephemeral output of a module:
#   token = ephemeral.halopsa_access_token.reports.access_token
# It expires at ephemeral.halopsa_access_token.reports.expires_at (RFC 3339).

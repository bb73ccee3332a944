terraform {
  required_providers {
    halopsa = {
      source  = "halopsa/halopsa"
      version = "~> 0.1"
    }
  }
}

# The settings left out here come from the environment:
# HALOPSA_CLIENT_ID and HALOPSA_CLIENT_SECRET (keep secrets out of .tf files).
provider "halopsa" {
  url    = "https://acme.halopsa.com"
  tenant = "acme" # hosted instances only

  # Optional tuning; these are the defaults.
  request_timeout_seconds   = 30
  max_retries               = 5
  rate_limit_requests       = 300
  rate_limit_window_seconds = 300
}

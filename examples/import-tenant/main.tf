terraform {
  required_version = ">= 1.14"
  required_providers {
    halopsa = {
      source = "halopsa/halopsa"
    }
  }
}

# Credentials come from HALOPSA_URL, HALOPSA_CLIENT_ID and HALOPSA_CLIENT_SECRET.
provider "halopsa" {}

terraform {
  required_version = ">= 1.6"
  required_providers {
    halopsa = {
      source = "halopsa/halopsa"
    }
  }
}

output "client_id" {
  description = "Paste into Cork: Integrations > Configure Halo PSA > Client ID."
  value       = module.cork.client_id
}

output "client_secret" {
  description = "Paste into Cork: Integrations > Configure Halo PSA > Client Secret. Shown with `terraform output -raw client_secret`."
  value       = module.cork.client_secret
  sensitive   = true
}

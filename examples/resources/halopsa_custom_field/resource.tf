# A drop-down with three choices.
resource "halopsa_custom_field" "contract_tier" {
  name       = "contract_tier"
  label      = "Contract tier"
  field_type = "single_select"
  options    = ["Bronze", "Silver", "Gold"]
}

# A text field that takes whole numbers only (Halo's input type 1).
resource "halopsa_custom_field" "seats" {
  name       = "licensed_seats"
  label      = "Licensed seats"
  field_type = "text"
  input_type = 1
}

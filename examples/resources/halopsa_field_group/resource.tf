resource "halopsa_custom_field" "contract_tier" {
  name       = "contract_tier"
  label      = "Contract tier"
  field_type = "single_select"
  options    = ["Bronze", "Silver", "Gold"]
}

resource "halopsa_custom_field" "seats" {
  name       = "licensed_seats"
  label      = "Licensed seats"
  field_type = "text"
  input_type = 1
}

resource "halopsa_field_group" "contract" {
  name      = "Contract details"
  field_ids = [halopsa_custom_field.contract_tier.id, halopsa_custom_field.seats.id]
}

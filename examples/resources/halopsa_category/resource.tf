# A two-level tree in the ticket's first category field.
resource "halopsa_category" "hardware" {
  name           = "Hardware"
  category_field = 1
}

resource "halopsa_category" "laptop" {
  name           = "${halopsa_category.hardware.name}>Laptop"
  category_field = halopsa_category.hardware.category_field
}

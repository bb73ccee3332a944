# A category entry is found by its whole path.
data "halopsa_category" "laptop" {
  name = "Hardware>Laptop"
}

output "laptop_category_field" {
  value = data.halopsa_category.laptop.category_field
}

# One of Halo's global settings; the others keep their values. Destroying this
# resource sends nothing: Halo keeps the value it has.
resource "halopsa_api_setting" "branding" {
  path = "Control"
  body = {
    app_colour = "#1d4ed8"
  }
}

# Control is one object; a Features module is Features/ID.
terraform import halopsa_api_setting.branding Control

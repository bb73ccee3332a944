# The import id is the role's id and the department's id, joined by "/".
terraform import halopsa_role_department.engineers_networks 1b4e28ba-2fa1-11d2-883f-0016d3cca427/12

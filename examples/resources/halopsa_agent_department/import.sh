# The import id is the agent's id and the department's id, joined by "/".
terraform import halopsa_agent_department.jo_service_desk 7/12

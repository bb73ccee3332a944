# Import with the endpoint family and Halo's id: PATH/ID.
terraform import halopsa_api_object.incident TicketType/12

"""Area permits (通行证): areas, background checks, permits, decisions for door controllers, visitors."""

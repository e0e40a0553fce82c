"""The REST API /api/v1: public listings and the shop's catalogue and orders, with an OpenAPI spec."""

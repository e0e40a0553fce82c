"""The shop's Sales page: what sold per week and per product, and how residents found the shop."""

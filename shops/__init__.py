"""Shops and their catalogues: models, services, merchant dashboard, CSV import and export."""

"""The city office: review queue, featuring, collections, audit log, dashboard, open data."""

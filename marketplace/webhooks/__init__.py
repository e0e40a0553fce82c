"""Outbound webhooks: signed events sent to a shop's own software by the job queue."""

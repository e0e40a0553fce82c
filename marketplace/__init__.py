"""Vitrine: the application shell and the buyer flow."""

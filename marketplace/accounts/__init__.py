"""Accounts: users, roles, sign-up, login, password reset, personal data."""

"""The ops tests borrow the Stripe emulator fixture of the payments tests."""

from tests.payments.conftest import stripe_emulator  # noqa: F401

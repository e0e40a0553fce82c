"""`flask payments smoke` runs the money path; against the emulator here, real test mode by hand."""

from __future__ import annotations

from tests.payments.town import API_KEY


def test_the_smoke_run_refuses_a_live_key_and_the_emulator_unless_asked(town):
    town.app.config["STRIPE_SECRET_KEY"] = "sk_live_not_here"
    refused = town.cli("payments", "smoke")
    assert refused.exit_code == 2 and "test-mode key" in refused.output
    town.app.config["STRIPE_SECRET_KEY"] = API_KEY
    refused = town.cli("payments", "smoke")
    assert refused.exit_code == 2 and "emulator" in refused.output


def test_the_smoke_run_goes_through_charge_fee_transfer_and_refund(town):
    shop, _ = town.connected_shop("Boulangerie Moreau", {"Pain": (450, 10)})
    result = town.cli("payments", "smoke", "--allow-emulator", "--account", shop.stripe_account_id)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.output.splitlines()
    for step in ("keys", "charge", "fee", "transfer"):
        assert any(line.startswith(f"ok      {step}:") for line in lines), result.output
    # What only real Stripe can show is reported, not hidden: the emulator has no endpoint list.
    assert any(line.startswith("FAILED  webhook endpoint") for line in lines)
    assert result.exit_code == 1

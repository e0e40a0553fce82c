"""The privacy notice: who holds which personal data, why, how long, and the rights over it."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, render_template
from flask_babel import ngettext

from marketplace.privacy.retention import RetentionPolicy

bp = Blueprint("privacy_notice", __name__)

NOTICE_DATE = date(2026, 12, 6)  # when the notice was last reviewed


def duration_in_words(days: int) -> str:
    """A period in the reader's language, in whole years or months when it is one: 3 ans."""
    if days % 365 == 0:
        return ngettext("%(num)d year", "%(num)d years", days // 365)
    if days % 30 == 0:
        return ngettext("%(num)d month", "%(num)d months", days // 30)
    return ngettext("%(num)d day", "%(num)d days", days)


@bp.get("/privacy")
def notice():
    """Show the privacy notice, with the retention periods the daily job applies."""
    config = current_app.config
    policy = RetentionPolicy.from_config(config)
    periods = {
        "inactive": duration_in_words(policy.inactive_days),
        "warning": duration_in_words(policy.warning_days),
        "search_log": duration_in_words(policy.search_log_days),
        "order_personal": duration_in_words(policy.order_personal_days),
        "orders": duration_in_words(policy.order_years * 365),
        "guest": duration_in_words(policy.guest_days),
        "security_log": duration_in_words(config["RETENTION_SECURITY_LOG_DAYS"]),
        "shop_import": duration_in_words(policy.shop_import_days),
    }
    return render_template(
        "privacy/notice.html",
        periods=periods,
        contact=config["PRIVACY_CONTACT"],
        reviewed_on=NOTICE_DATE,
    )

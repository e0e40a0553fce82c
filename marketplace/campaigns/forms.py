"""Forms of the campaign pages: a campaign (both kinds), a voucher batch, a confirmation."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.bounded import Form
from marketplace.campaigns.models import MATCHED, VOUCHER
from marketplace.campaigns.vouchers import MAX_BATCH
from marketplace.money import InvalidPrice, parse_price

KIND_LABELS = {
    VOUCHER: _l("Vouchers: single-use codes of a face value"),
    MATCHED: _l("Matched spending: the town pays a share of each order"),
}
# What the service's refusals mean, in the office's words (InvalidCampaign.code).
REFUSALS = {
    "required": _l("This field is required."),
    "positive": _l("Enter an amount above zero."),
    "before_start": _l("The last day cannot come before the first day."),
    "above_budget": _l("A voucher cannot be worth more than the whole budget."),
    "range": _l("Enter a share between 0,01 and 100 %."),
    "unknown": _l("Choose among the categories listed."),
    "format": _l("Enter French postcodes of five digits, separated by commas."),
    "locked": _l("This cannot change once the campaign has started."),
    "below_spent": _l("The budget cannot go below what residents have already used."),
}
_POSTCODES = re.compile(r"[\s,;]+")
_PERCENT = re.compile(r"^\d{1,3}([.,]\d{1,2})?$")


def euros(field, required: bool) -> int | None:
    """The field's euros as cents (None when empty and optional); ValidationError otherwise."""
    text = (field.data or "").strip()
    if not text:
        if required:
            raise ValidationError(_l("This field is required."))
        return None
    try:
        return parse_price(text)
    except InvalidPrice as error:
        raise ValidationError(_l("Enter an amount in euros, such as 10 or 12,50.")) from error


def percent_to_bps(text: str) -> int:
    """ "20" or "12,5" (percent) -> basis points (2000, 1250); ValueError when not a share."""
    raw = (text or "").strip().rstrip("%").strip()
    if not _PERCENT.match(raw):
        raise ValueError(raw)
    try:
        bps = int(Decimal(raw.replace(",", ".")) * 100)
    except InvalidOperation as error:  # pragma: no cover - the regex guards it
        raise ValueError(raw) from error
    if not 0 < bps <= 10_000:
        raise ValueError(raw)
    return bps


class CampaignForm(Form):
    """A campaign: its rule, period, budget, caps and which shops may take part."""

    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    kind = RadioField(_l("Rule"), choices=list(KIND_LABELS.items()), default=VOUCHER)
    starts_on = DateField(_l("First day"), validators=[InputRequired()])
    ends_on = DateField(_l("Last day (included)"), validators=[InputRequired()])
    budget = StringField(
        _l("Budget (€)"), validators=[InputRequired()], render_kw={"inputmode": "decimal"}
    )
    resident_cap = StringField(
        _l("Cap per resident (€)"),
        description=_l("Leave empty for no cap."),
        render_kw={"inputmode": "decimal"},
    )
    voucher_face = StringField(
        _l("Value of a voucher (€)"),
        description=_l("Vouchers only."),
        render_kw={"inputmode": "decimal"},
    )
    match_percent = StringField(
        _l("Share paid by the town (%)"),
        description=_l("Matched spending only, e.g. 20."),
        render_kw={"inputmode": "decimal"},
    )
    match_order_cap = StringField(
        _l("Cap per order (€)"),
        description=_l("Matched spending only. Leave empty for no cap."),
        render_kw={"inputmode": "decimal"},
    )
    categories = SelectMultipleField(
        _l("Shop categories"),
        description=_l("None ticked: every category."),
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    postcodes = StringField(
        _l("Postcodes"),
        description=_l("Separated by commas. Leave empty for the whole town."),
        validators=[Length(max=500)],
    )

    def validate_ends_on(self, field) -> None:
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day cannot come before the first day."))

    def validate_budget(self, field) -> None:
        euros(field, required=True)

    def validate_resident_cap(self, field) -> None:
        euros(field, required=False)

    def validate_voucher_face(self, field) -> None:
        euros(field, required=self.kind.data == VOUCHER)

    def validate_match_order_cap(self, field) -> None:
        euros(field, required=False)

    def validate_match_percent(self, field) -> None:
        if self.kind.data != MATCHED:
            return
        try:
            percent_to_bps(field.data)
        except ValueError as error:
            raise ValidationError(REFUSALS["range"]) from error

    def validate_postcodes(self, field) -> None:
        if any(not re.fullmatch(r"\d{5}", p) for p in self.postcode_list()):
            raise ValidationError(REFUSALS["format"])

    def postcode_list(self) -> list[str]:
        """The postcodes typed, one each."""
        return [p for p in _POSTCODES.split(self.postcodes.data or "") if p]

    def values(self) -> dict[str, Any]:
        """The service's fields, once the form is valid."""
        matched = self.kind.data == MATCHED
        return {
            "name": self.name.data.strip(),
            "kind": self.kind.data,
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
            "budget_cents": euros(self.budget, True),
            "resident_cap_cents": euros(self.resident_cap, False),
            "voucher_face_cents": None if matched else euros(self.voucher_face, True),
            "match_bps": percent_to_bps(self.match_percent.data) if matched else None,
            "match_order_cap_cents": euros(self.match_order_cap, False) if matched else None,
            "categories": list(self.categories.data or []),
            "postcodes": self.postcode_list(),
        }


class BatchForm(Form):
    """A voucher batch: printed (a count) or emailed (a list of addresses)."""

    mode = RadioField(
        _l("Distribution"),
        choices=[("pdf", _l("Printed sheet (PDF) for the town hall")), ("email", _l("By email"))],
        default="pdf",
    )
    count = IntegerField(
        _l("Number of vouchers to print"),
        validators=[Optional(), NumberRange(min=1, max=MAX_BATCH)],
    )
    emails = TextAreaField(
        _l("Email addresses"),
        description=_l("One voucher per address: one a line, or separated by commas."),
        validators=[Length(max=200_000)],
    )
    label = StringField(
        _l("Label"),
        description=_l("For the office only, e.g. 'Town hall, December'."),
        validators=[Length(max=120)],
    )

    def validate_count(self, field) -> None:
        if self.mode.data == "pdf" and not field.data:
            raise ValidationError(_l("This field is required."))


class ConfirmForm(Form):
    """The confirmation of a status change (its CSRF token only)."""

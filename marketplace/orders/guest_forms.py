"""The contact a guest gives at checkout: an email and a French phone, a name if they like."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, StringField, TelField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from marketplace.bounded import Form
from marketplace.orders.guests import GuestDetails
from marketplace.orders.phone import NotAFrenchPhone, normalize_phone


class GuestContactForm(Form):
    """Email, phone and an optional name, checked before anything is reserved."""

    class Meta:
        csrf = False  # part of the checkout form, whose token CSRFProtect checks for every POST

    email = EmailField(
        _l("Email"),
        validators=[DataRequired(), Email(), Length(max=254)],
        description=_l("Your confirmation, pickup code and a link to your order are sent here."),
        render_kw={"autocomplete": "email"},
    )
    phone = TelField(
        _l("Phone"),
        validators=[DataRequired(), Length(max=30)],
        description=_l("A French number. The shop calls it only about this order."),
        render_kw={"autocomplete": "tel"},
    )
    name = StringField(
        _l("Name (optional)"),
        validators=[Optional(), Length(max=120)],
        description=_l("Helps the shop recognise you at the counter."),
        render_kw={"autocomplete": "name"},
    )

    def validate_phone(self, field) -> None:
        """Accept French numbers as people write them (06 12 34 56 78, +33 6 ...)."""
        try:
            normalize_phone(field.data)
        except NotAFrenchPhone as error:
            raise ValidationError(
                _l("Give a French phone number, for example 06 12 34 56 78.")
            ) from error

    def details(self, locale: str | None) -> GuestDetails:
        """The validated contact, with the language its emails will speak."""
        return GuestDetails(
            self.email.data, normalize_phone(self.phone.data), self.name.data or "", locale
        )

"""Forms of the merchant dashboard (Flask-WTF: every form carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from marketplace.bounded import Form
from shops.hours import Interval, InvalidHours, format_clock, parse_clock
from shops.opening import InvalidRules, check_rules, holidays_rule
from shops.osm_hours import format_opening_hours
from shops.siret import is_valid_siret, normalize_siret

HOURS_MESSAGES = {
    "bad_time": _l("Write hours like 08:00-12:30, 14:00-19:00 (from 00:00 to 24:00)."),
    "closes_before_opens": _l("A closing time must come after its opening time."),
    "overlap": _l("Two opening intervals overlap."),
    "bad_days": _l("Unknown day: use Mo, Tu, We, Th, Fr, Sa, Su."),
    "bad_rule": _l("Write hours like Mo-Fr 08:00-12:30,14:00-19:00; Sa 08:00-13:00; Su off."),
    "bad_weekday": _l("Unknown day."),
}

DAY_FIELDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _siret(form, field) -> None:
    if field.data and not is_valid_siret(field.data):
        raise ValidationError(_l("A SIRET has 14 digits and a valid checksum."))


class ShopForm(Form):
    """The shop's profile and pickup settings."""

    name = StringField(_l("Shop name"), validators=[DataRequired(), Length(max=120)])
    category = SelectField(_l("Category"), validators=[DataRequired()])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    specialities = StringField(
        _l("Specialities"),
        validators=[Length(max=300)],
        description=_l(
            "A few words residents search for, e.g. natural wines, organic, children's books."
        ),
    )
    address = StringField(_l("Street address"), validators=[DataRequired(), Length(max=200)])
    postcode = StringField(
        _l("Postcode"),
        validators=[
            DataRequired(),
            Regexp(r"^\d{5}$", message=_l("A French postcode has 5 digits.")),
        ],
    )
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=100)])
    # Nobody types a position: the geocoder (shops/registers/ban.py) or the pin on the map
    # (static/js/pin-map.js) writes these; `position_source` says which ("address", "pin").
    lat = DecimalField(
        _l("Latitude"),
        places=6,
        widget=HiddenInput(),
        validators=[Optional(), NumberRange(-90, 90)],
    )
    lon = DecimalField(
        _l("Longitude"),
        places=6,
        widget=HiddenInput(),
        validators=[Optional(), NumberRange(-180, 180)],
    )
    position_source = HiddenField()
    siret = StringField(
        _l("SIRET"),
        validators=[Optional(), _siret],
        description=_l("14 digits, on your Kbis extract."),
    )
    phone = StringField(
        _l("Phone"),
        validators=[
            Optional(),
            Length(max=30),
            Regexp(r"^[0-9 +().-]{6,30}$", message=_l("Digits, spaces and + only.")),
        ],
    )
    email = EmailField(_l("Shop email"), validators=[Optional(), Email(), Length(max=254)])
    website = URLField(_l("Website"), validators=[Optional(), URL(), Length(max=300)])
    pay_at_pickup = BooleanField(_l("Customers may pay at pickup"), default=True)
    prep_minutes = IntegerField(
        _l("Preparation time (minutes)"),
        default=60,
        validators=[InputRequired(), NumberRange(0, 7 * 24 * 60)],
    )
    slot_minutes = IntegerField(
        _l("Pickup slot length (minutes)"),
        default=30,
        validators=[InputRequired(), NumberRange(5, 240)],
    )
    slot_capacity = IntegerField(
        _l("Orders per slot"), default=5, validators=[InputRequired(), NumberRange(1, 100)]
    )

    def values(self) -> dict:
        """Return the cleaned values for shops.services."""
        values = {
            name: getattr(self, name).data
            for name in (
                "name",
                "category",
                "description",
                "specialities",
                "address",
                "postcode",
                "city",
                "phone",
                "email",
                "website",
                "pay_at_pickup",
                "prep_minutes",
                "slot_minutes",
                "slot_capacity",
            )
        }
        for key in ("name", "description", "address", "city", "phone", "email", "website"):
            values[key] = (values[key] or "").strip() or None
        values["description"] = values["description"] or ""
        values["specialities"] = (values["specialities"] or "").strip()
        values["lat"] = float(self.lat.data) if self.lat.data is not None else None
        values["lon"] = float(self.lon.data) if self.lon.data is not None else None
        values["siret"] = normalize_siret(self.siret.data) if self.siret.data else None
        return values


class HoursForm(Form):
    """Weekly opening hours: one line per day, e.g. "08:00-12:30, 14:00-19:00"; empty = closed."""

    monday = StringField(_l("Monday"))
    tuesday = StringField(_l("Tuesday"))
    wednesday = StringField(_l("Wednesday"))
    thursday = StringField(_l("Thursday"))
    friday = StringField(_l("Friday"))
    saturday = StringField(_l("Saturday"))
    sunday = StringField(_l("Sunday"))
    closed_on_holidays = BooleanField(_l("Closed on public holidays"))
    rules = StringField(
        _l("Other rules (OpenStreetMap opening_hours syntax)"),
        validators=[Length(max=300)],
        description=_l(
            "Optional, they come after the days above, e.g. "
            "Dec 24-Dec 31 09:00-12:00; week 1-53/2 Sa off"
        ),
    )

    def fill_from(self, hours, shop=None) -> None:
        """Show the stored hours (and the shop's holiday choice and rules) in the fields."""
        if shop is not None:
            self.closed_on_holidays.data = shop.closed_on_holidays
            self.rules.data = shop.hours_rules
        for day, name in enumerate(DAY_FIELDS):
            spans = [h for h in hours if h.weekday == day]
            getattr(self, name).data = ", ".join(
                f"{format_clock(h.opens)}-{format_clock(h.closes)}" for h in spans
            )

    def intervals(self) -> list[Interval] | None:
        """Parse every day; put errors on the day fields and return None if any is wrong."""
        result: list[Interval] = []
        ok = True
        for day, name in enumerate(DAY_FIELDS):
            field = getattr(self, name)
            text = (field.data or "").strip().lower()
            if text in ("", "fermé", "ferme", "closed", "off", "-"):
                continue
            try:
                for span in text.replace(";", ",").split(","):
                    opens, sep, closes = span.strip().partition("-")
                    if not sep:
                        raise InvalidHours("bad_time")
                    start, end = parse_clock(opens), parse_clock(closes)
                    if start >= end:
                        raise InvalidHours("closes_before_opens")
                    result.append(Interval(day, start, end))
            except InvalidHours as error:
                field.errors = [*field.errors, HOURS_MESSAGES[error.code]]
                ok = False
        return result if ok else None

    def rules_text(self, intervals: list[Interval]) -> str | None:
        """The extra rules, checked after these weekly hours; None (error on the field) if invalid."""
        rules = (self.rules.data or "").strip()
        weekly = format_opening_hours(intervals)
        try:
            check_rules(
                weekly,
                "; ".join(r for r in (rules, holidays_rule(self.closed_on_holidays.data)) if r),
            )
        except InvalidRules as error:
            self.rules.errors = [*self.rules.errors, rules_message(error)]
            return None
        return rules


def rules_message(error: InvalidRules) -> str:
    """Our own words for the library's syntax error, with where it is when known."""
    line, _sep, column = error.position.partition(":")
    if line.isdigit() and column.isdigit():
        return _l(
            "These rules are not in the OpenStreetMap opening_hours syntax "
            "(error at line %(line)s, character %(column)s).",
            line=line,
            column=column,
        )
    return _l("These rules are not in the OpenStreetMap opening_hours syntax.")


class ClosureForm(Form):
    """A closure period."""

    starts_on = DateField(_l("First closed day"), validators=[InputRequired()])
    ends_on = DateField(_l("Last closed day"), validators=[InputRequired()])
    starts_time = TimeField(
        _l("From (time on the first day, optional)"),
        validators=[Optional()],
        description=_l("Leave the times empty to close whole days."),
    )
    ends_time = TimeField(_l("Until (time on the last day, optional)"), validators=[Optional()])
    reason = StringField(_l("Reason shown to customers"), validators=[Length(max=200)])

    def validate_ends_on(self, field) -> None:
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day cannot come before the first day."))

    def validate_ends_time(self, field) -> None:
        same_day = self.starts_on.data and self.starts_on.data == self.ends_on.data
        if (
            same_day
            and self.starts_time.data
            and field.data
            and field.data <= self.starts_time.data
        ):
            raise ValidationError(_l("The end of the closure must come after its start."))


class PhotoForm(Form):
    """The shop's photo, with the text that describes it to people who cannot see it."""

    photo = FileField(_l("Photo (JPEG, PNG or WebP, 10 MB at most)"), validators=[FileRequired()])
    alt = StringField(
        _l("Describe the photo in a few words"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("Read aloud to blind visitors, e.g. 'The shop front'."),
    )


class ProductForm(Form):
    """A product; values are validated by shops.schemas.ProductInput, shared with CSV and API."""

    name = StringField(_l("Name"))
    description = TextAreaField(_l("Description"))
    price = StringField(_l("Price (€, VAT included)"), render_kw={"inputmode": "decimal"})
    stock = StringField(
        _l("Stock"),
        description=_l("Leave empty for unlimited."),
        render_kw={"inputmode": "numeric"},
    )
    low_stock_threshold = StringField(
        _l("Alert me when stock falls to"),
        description=_l("Units left at which we email you, once each time. Empty: no alert."),
        render_kw={"inputmode": "numeric"},
    )
    category = StringField(_l("Category"))
    type = SelectField(
        _l("Product type"),
        choices=[],
        validate_choice=False,  # checked by shops.schemas.ProductInput, like the CSV column
        description=_l("Residents filter by type; leave empty to guess it from the category."),
    )
    sku = StringField(_l("SKU (your reference)"))
    active = BooleanField(_l("On sale"), default=True)
    photos = MultipleFileField(_l("Photos (up to 5)"))
    photo_alt = StringField(_l("Describe the photos in a few words"))

    def raw_values(self) -> dict:
        """Return the raw typed values, as the schema expects them."""
        return {
            name: getattr(self, name).data
            for name in (
                "name",
                "description",
                "price",
                "stock",
                "low_stock_threshold",
                "category",
                "type",
                "sku",
                "active",
            )
        }

    def show_errors(self, errors: dict[str, list[str]]) -> None:
        """Attach schema errors to the matching fields."""
        for name, messages in errors.items():
            field = getattr(self, name, None) or self.name
            field.errors = [*field.errors, *messages]


class CsvImportForm(Form):
    """A catalogue CSV file."""

    file = FileField(_l("CSV file"), validators=[FileRequired()])

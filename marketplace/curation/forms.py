"""Forms of the curator's pages (Flask-WTF: each carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateTimeLocalField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from marketplace.bounded import Form


class DecisionForm(Form):
    """A decision on a shop or a product, with its reason."""

    reason = TextAreaField(_l("Reason"), validators=[Length(max=2000)])


class CollectionForm(Form):
    """An editorial collection's text and publish dates."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    slug = StringField(
        _l("Web address"),
        description=_l(
            "Made from the title if left empty. Lowercase letters, digits and dashes: "
            "/collections/<address>."
        ),
        validators=[Optional(), Length(max=80), Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")],
    )
    body = TextAreaField(_l("Text"), validators=[Length(max=5000)])
    photo = FileField(_l("Picture"))
    held_photo = HiddenField()  # the number of a picture kept from a refused try
    drop_held_photo = BooleanField(_l("Do not use this picture"))
    photo_alt = StringField(_l("Picture description"), validators=[Length(max=200)])
    published = BooleanField(_l("Published"))
    starts_at = DateTimeLocalField(
        _l("Shown from"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    ends_at = DateTimeLocalField(
        _l("Shown until"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )


class ItemForm(Form):
    """Add a shop or a product, picked from the results of a search by name, to a collection."""

    shop_id = HiddenField(validators=[Length(max=12)])
    product_id = HiddenField(validators=[Length(max=12)])


class ShopImportForm(Form):
    """The town's shops CSV, for a preview before anything is imported."""

    file = FileField(_l("CSV file of shops"), validators=[FileRequired()])
    publish = BooleanField(
        _l("Publish the new shops at once"),
        description=_l("Otherwise they wait as drafts for their owners to submit them."),
    )


class ConfirmForm(Form):
    """A button that confirms what the page shows (its CSRF token only)."""

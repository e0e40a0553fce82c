"""The audit log's action codes in words, in the reader's language (`shop.published` -> "Shop published")."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Every code the app writes (shops.status writes shop.<target status>; shops.csv_shops
# writes shop.imported and shop.import_updated; agent mode writes
# agent.<kind>.<create|update|delete>, see marketplace.curation.agent.KINDS).
ACTION_LABELS = {
    "shop.pending_review": _l("Shop submitted for review"),
    "shop.published": _l("Shop published"),
    "shop.changes_requested": _l("Changes requested on the shop"),
    "shop.rejected": _l("Shop rejected"),
    "shop.suspended": _l("Shop suspended"),
    "shop.featured": _l("Shop featured on the home page"),
    "shop.unfeatured": _l("Shop no longer featured on the home page"),
    "shop.imported": _l("Shop created by a bulk import"),
    "shop.import_updated": _l("Shop changed by a bulk import"),
    "product.hidden": _l("Product hidden"),
    "product.unhidden": _l("Product shown again"),
    "collection.created": _l("Collection created"),
    "collection.updated": _l("Collection changed"),
    "collection.item_added": _l("Added to a collection"),
    "collection.item_removed": _l("Removed from a collection"),
    "agent.started": _l("Agent mode started"),
    "agent.stopped": _l("Agent mode stopped"),
    "agent.shop.create": _l("Shop created in agent mode"),
    "agent.shop.update": _l("Shop changed in agent mode"),
    "agent.shop.delete": _l("Shop deleted in agent mode"),
    "agent.product.create": _l("Product added in agent mode"),
    "agent.product.update": _l("Product changed in agent mode"),
    "agent.product.delete": _l("Product deleted in agent mode"),
    "agent.hours.create": _l("Opening hours added in agent mode"),
    "agent.hours.update": _l("Opening hours changed in agent mode"),
    "agent.hours.delete": _l("Opening hours removed in agent mode"),
    "agent.closure.create": _l("Closure added in agent mode"),
    "agent.closure.update": _l("Closure changed in agent mode"),
    "agent.closure.delete": _l("Closure removed in agent mode"),
    "agent.photo.create": _l("Product photo added in agent mode"),
    "agent.photo.update": _l("Product photo changed in agent mode"),
    "agent.photo.delete": _l("Product photo removed in agent mode"),
    "campaign.created": _l("Campaign created"),
    "campaign.updated": _l("Campaign changed"),
    "campaign.start": _l("Campaign started"),
    "campaign.pause": _l("Campaign paused"),
    "campaign.resume": _l("Campaign resumed"),
    "campaign.close": _l("Campaign closed, remaining budget released"),
    "campaign.shop_joined": _l("Shop joined a campaign"),
    "campaign.shop_left": _l("Shop left a campaign"),
    "campaign.vouchers_issued": _l("Vouchers issued"),
    "campaign.voucher_redeemed_at_counter": _l("Voucher redeemed at a shop's counter"),
    "campaign.statement_issued": _l("Campaign statement issued to a shop"),
    "payment.dispute": _l("Payment disputed by the customer's bank"),
    "payment.mismatch": _l("Payment amount does not match the order"),
}


# What an entry is about (`target_kind`), and the objects agent mode names ("shop#3").
TARGET_LABELS = {
    "shop": _l("Shop"),
    "product": _l("Product"),
    "collection": _l("Collection"),
    "campaign": _l("Campaign"),
    "campaign_statement": _l("Campaign statement"),
    "checkout": _l("Payment"),
    "hours": _l("Opening hours"),
    "closure": _l("Closure"),
    "photo": _l("Product photo"),
}

# The fields the entries' changes name (decisions, imports, campaigns, agent mode's columns).
FIELD_LABELS = {
    "status": _l("Status"),
    "featured": _l("Featured"),
    "name": _l("Name"),
    "title": _l("Title"),
    "owner": _l("Owner"),
    "category": _l("Category"),
    "description": _l("Description"),
    "specialities": _l("Specialities"),
    "address": _l("Address"),
    "postcode": _l("Postcode"),
    "city": _l("City"),
    "lat": _l("Latitude"),
    "lon": _l("Longitude"),
    "siret": _l("SIRET"),
    "phone": _l("Phone"),
    "email": _l("Email"),
    "website": _l("Website"),
    "price_cents": _l("Price (cents)"),
    "stock": _l("Stock"),
    "is_active": _l("On sale"),
    "weekday": _l("Day"),
    "opens": _l("Opens"),
    "closes": _l("Closes"),
    "starts_on": _l("From"),
    "ends_on": _l("To"),
    "reason": _l("Reason"),
    "shop": _l("Shop"),
    "product": _l("Product"),
    "batch": _l("Batch"),
    "count": _l("Count"),
    "emailed": _l("Emailed"),
    "number": _l("Number"),
    "total_cents": _l("Total (cents)"),
    "budget_cents": _l("Budget (cents)"),
}

SHOP_STATUS_LABELS = {
    "draft": _l("Draft"),
    "pending_review": _l("Waiting for review"),
    "published": _l("Published"),
    "changes_requested": _l("Changes requested"),
    "rejected": _l("Rejected"),
    "suspended": _l("Suspended"),
}


def audit_target_label(kind: str, target_id: object) -> str:
    """What an entry is about, in words: "Boutique n° 3" (an unknown kind as it is)."""
    label = TARGET_LABELS.get(kind)
    return str(_l("%(kind)s #%(id)s", kind=label if label is not None else kind, id=target_id))


def audit_field_label(name: str) -> str:
    """A changed field in words; agent mode's "shop#3" as its object, "product#4 · price"."""
    obj, sep, number = name.partition("#")
    if sep and number.isdigit():
        return audit_target_label(obj, number)
    label = FIELD_LABELS.get(name)
    return str(label) if label is not None else name


def audit_value_label(name: str, value: object) -> object:
    """A changed value in words where it is a code (a shop's status, yes/no)."""
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if name == "status" and isinstance(value, str) and value in SHOP_STATUS_LABELS:
        return str(SHOP_STATUS_LABELS[value])
    return value


def audit_action_label(code: str) -> str:
    """The action in words; an unknown code (an older release's) as it is."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def action_choices() -> list[tuple[str, str]]:
    """(code, words) of every action, for the log's filter."""
    return [(code, str(label)) for code, label in ACTION_LABELS.items()]

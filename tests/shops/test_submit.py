"""A shopkeeper submits a shop for review only once it has opening hours and a map position."""

import pytest

from marketplace.domain_errors import InvalidTransition
from marketplace.extensions import db
from shops import services
from shops.models import DRAFT, PENDING_REVIEW, PUBLISHED, REJECTED, SUSPENDED
from tests.factories import make_shop


def unfinished_shop(hours: bool, position: bool, status: str = DRAFT):
    """A shop of `status` with or without its hours and its map position (committed)."""
    shop = make_shop(status=status, published=False)
    if not hours:
        services.set_opening_hours(shop, [])
    if not position:
        shop.lat = shop.lon = None
    db.session.commit()
    return shop


@pytest.mark.parametrize(
    ("hours", "position", "missing"),
    [
        (False, False, [services.HOURS, services.POSITION]),
        (False, True, [services.HOURS]),
        (True, False, [services.POSITION]),
    ],
)
@pytest.mark.parametrize("status", [DRAFT, REJECTED])
def test_a_shop_without_hours_or_position_is_not_submitted(app, status, hours, position, missing):
    shop = unfinished_shop(hours, position, status)
    assert services.missing_for_review(shop) == missing
    with pytest.raises(services.NotReadyForReview) as refused:
        services.submit_shop(shop, shop.owner_id)
    assert refused.value.missing == missing
    db.session.commit()
    db.session.refresh(shop)
    assert shop.status == status


@pytest.mark.parametrize("status", [DRAFT, REJECTED])
def test_a_complete_shop_goes_to_review(app, status):
    shop = make_shop(status=status, published=False)
    assert services.missing_for_review(shop) == []
    services.submit_shop(shop, shop.owner_id)
    db.session.commit()
    assert shop.status == PENDING_REVIEW


@pytest.mark.parametrize("status", [PENDING_REVIEW, PUBLISHED, SUSPENDED])
def test_a_shop_already_reviewed_or_waiting_is_not_submitted_again(app, status):
    shop = make_shop(status=status)
    with pytest.raises(InvalidTransition):
        services.submit_shop(shop, shop.owner_id)
    assert shop.status == status

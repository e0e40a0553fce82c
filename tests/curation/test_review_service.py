"""The office's decisions, without HTTP: its verbs and buttons are the shop state table's."""

import pytest

from marketplace.curation import review
from marketplace.domain_errors import InvalidTransition, ReasonRequired
from marketplace.extensions import db
from shops.models import CHANGES_REQUESTED, DRAFT, PENDING_REVIEW, PUBLISHED, REJECTED, SUSPENDED
from tests.factories import make_shop

BUTTONS = {
    DRAFT: (),
    PENDING_REVIEW: ("approve", "request_changes", "reject"),
    CHANGES_REQUESTED: (),
    PUBLISHED: ("suspend",),
    REJECTED: (),
    SUSPENDED: ("reinstate",),
}


def test_the_office_verbs_are_the_tables():
    assert review.SHOP_ACTIONS == ("approve", "request_changes", "reject", "suspend", "reinstate")


@pytest.mark.parametrize(("status", "verbs"), BUTTONS.items())
def test_each_status_offers_the_verbs_that_leave_it(app, status, verbs):
    assert review.shop_actions(make_shop(status=status)) == verbs


def test_the_office_cannot_submit_for_a_shopkeeper(app, curator):
    shop = make_shop(status=DRAFT)
    with pytest.raises(review.UnknownAction):
        review.decide_shop(shop, "submit", curator)
    assert shop.status == DRAFT


def test_a_missing_reason_is_said_before_a_wrong_status(app, curator):
    shop = make_shop(status=PUBLISHED)
    with pytest.raises(ReasonRequired):
        review.decide_shop(shop, "reinstate", curator, "  ")
    with pytest.raises(InvalidTransition) as refused:
        review.decide_shop(shop, "reinstate", curator, "Contrôle passé.")
    assert (refused.value.current, refused.value.target) == (PUBLISHED, PUBLISHED)
    db.session.refresh(shop)
    assert shop.status == PUBLISHED


def test_reinstating_publishes_again_with_the_reason(app, curator):
    shop = make_shop(status=SUSPENDED)
    review.decide_shop(shop, "reinstate", curator, "Contrôle sanitaire passé.")
    db.session.commit()
    assert (shop.status, shop.status_reason) == (PUBLISHED, "Contrôle sanitaire passé.")

"""The cart's rules, tested through its services alone: what may be added, and how lines add up."""

import pytest

from marketplace.cart.services import (
    MAX_QUANTITY,
    NotEnoughStock,
    NotOnSale,
    add_to_cart,
    merge_items,
    put_back,
    save_items,
    stored_items,
)
from marketplace.extensions import db
from tests.cart.helpers import deactivate, hide, suspend_shop
from tests.factories import make_product, make_shop, make_user


@pytest.fixture
def shelf(app):
    """Bread (5 left) and a cake no longer sold at one baker's, croissants (unlimited) at another's."""
    baker = make_shop(name="Boulangerie A")
    return {
        "bread": make_product(baker, "Baguette", 130, stock=5),
        "croissant": make_product(make_shop(name="Boulangerie B"), "Croissant", 110, stock=None),
        "cake": make_product(baker, "Fraisier", 2400, stock=3, is_active=False),
    }


def test_adding_within_the_stock_adds_up(shelf):
    cart = {}
    assert add_to_cart(cart, shelf["bread"].id, 2) is shelf["bread"]
    add_to_cart(cart, shelf["bread"].id, 3)  # exactly the 5 left
    assert cart == {shelf["bread"].id: 5}


def test_adding_more_than_the_stock_is_refused_and_changes_nothing(shelf):
    cart = {shelf["bread"].id: 4}
    with pytest.raises(NotEnoughStock) as refused:
        add_to_cart(cart, shelf["bread"].id, 2)
    assert refused.value.product is shelf["bread"] and refused.value.left == 5
    assert cart == {shelf["bread"].id: 4}


def test_unlimited_stock_is_capped_at_the_largest_quantity(shelf):
    cart = {shelf["croissant"].id: MAX_QUANTITY - 1}
    add_to_cart(cart, shelf["croissant"].id, 5)
    assert cart == {shelf["croissant"].id: MAX_QUANTITY}


@pytest.mark.parametrize("spoil", [deactivate, hide, suspend_shop])
def test_a_product_no_longer_sold_cannot_be_added(shelf, spoil):
    spoil(shelf["bread"])
    db.session.commit()
    cart = {shelf["croissant"].id: 1}
    with pytest.raises(NotOnSale):
        add_to_cart(cart, shelf["bread"].id, 1)
    assert cart == {shelf["croissant"].id: 1}


def test_an_unknown_product_cannot_be_added(shelf):
    with pytest.raises(NotOnSale) as refused:
        add_to_cart({}, 987654, 1)
    assert refused.value.product_id == 987654


def test_putting_lines_back_adds_to_the_cart_capped_whatever_the_stock(shelf):
    bread, croissant = shelf["bread"], shelf["croissant"]
    cart = {bread.id: 4, croissant.id: 90}

    left_out = put_back(cart, [(bread, 3), (croissant, 20)])

    # Putting back ignores the stock (the checkout checks it) but never passes the cap.
    assert left_out == 0
    assert cart == {bread.id: 7, croissant.id: MAX_QUANTITY}


@pytest.mark.parametrize("spoil", [deactivate, hide, suspend_shop])
def test_putting_back_leaves_out_products_no_longer_sold(shelf, spoil):
    spoil(shelf["bread"])
    db.session.commit()
    cart = {}

    left_out = put_back(cart, [(shelf["bread"], 1), (None, 2), (shelf["croissant"], 1)])

    assert left_out == 2  # the spoiled bread and a deleted product (no longer in the catalogue)
    assert cart == {shelf["croissant"].id: 1}


def test_the_visitor_s_cart_merges_into_the_stored_one_capped(shelf):
    bread, croissant = shelf["bread"], shelf["croissant"]
    stored = {bread.id: 2, croissant.id: 60}
    merged = merge_items(stored, {bread.id: 1, croissant.id: 60, shelf["cake"].id: 1})
    assert merged == {bread.id: 3, croissant.id: MAX_QUANTITY, shelf["cake"].id: 1}
    assert stored == {bread.id: 2, croissant.id: 60}  # the stored cart is not changed in place


def test_the_stored_cart_keeps_only_existing_products_and_positive_quantities(shelf):
    alice = make_user()
    save_items(alice.id, {shelf["bread"].id: 2, shelf["croissant"].id: 0, 987654: 1})
    db.session.commit()
    assert stored_items(alice.id) == {shelf["bread"].id: 2}
    save_items(alice.id, {})
    db.session.commit()
    assert stored_items(alice.id) == {}

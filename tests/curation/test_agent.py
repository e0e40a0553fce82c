"""Agent mode: a curator edits a shop for its owner; banner, audit log, and the owner sees it."""

from __future__ import annotations

import json

from flask import url_for

from marketplace.extensions import db
from shops.access import OWNER_ONLY, agent_mode_of
from tests.conftest import page_text, post_form
from tests.curation.helpers import audit_entries
from tests.factories import login, make_product, make_shop, product_form_data, shop_form_data


def start(client, shop):
    return post_form(
        client, f"/curation/shops/{shop.id}/agent", token_from=f"/curation/shops/{shop.id}"
    )


def test_a_curator_edits_a_shop_in_agent_mode_and_every_change_is_logged(app, office, curator):
    shop = make_shop(name="Fromagerie Oberkampf", category="fromagerie")
    product = make_product(shop, "Comté", 1500)
    assert office.get(f"/merchant/shops/{shop.slug}").status_code == 403  # not before agent mode
    response = start(office, shop)
    assert response.headers["Location"].endswith(f"/merchant/shops/{shop.slug}")
    page = page_text(office.get(f"/merchant/shops/{shop.slug}"))
    assert "agent-banner" in page and "Fromagerie Oberkampf" in page

    data = shop_form_data(name="Fromagerie Oberkampf", phone="01 40 00 00 00")
    assert post_form(office, f"/merchant/shops/{shop.slug}", data).status_code == 302
    edit = f"/merchant/shops/{shop.slug}/products/{product.id}"
    assert (
        post_form(office, edit, product_form_data(name="Comté", price="16,00")).status_code == 302
    )
    db.session.refresh(shop)
    db.session.refresh(product)
    assert (shop.phone, product.price_cents) == ("01 40 00 00 00", 1600)

    agent_rows = [e for e in audit_entries(actor_id=curator.id) if e.action.startswith("agent.")]
    assert [e.action for e in agent_rows] == [
        "agent.started",
        "agent.shop.update",
        "agent.product.update",
    ]
    assert all(e.target_kind == "shop" and e.target_id == shop.id for e in agent_rows)
    assert json.loads(agent_rows[1].changes)[f"shop#{shop.id}"]["phone"] == [
        None,
        "01 40 00 00 00",
    ]
    assert json.loads(agent_rows[2].changes)[f"product#{product.id}"]["price_cents"] == [1500, 1600]

    # The shopkeeper sees what was done for them, and by whom.
    owner = app.test_client()
    login(owner, shop.owner)
    page = page_text(owner.get(f"/merchant/shops/{shop.slug}/assisted/"))
    assert "Claire Office" in page and "01 40 00 00 00" in page and "1600" in page

    # Leaving agent mode closes the door again.
    post_form(office, "/curation/agent/stop", token_from="/curation/")
    assert office.get(f"/merchant/shops/{shop.slug}").status_code == 403
    assert audit_entries(actor_id=curator.id)[-1].action == "agent.stopped"


def test_agent_mode_opens_one_shop_only(app, office):
    helped = make_shop(name="Librairie Aidée", category="librairie")
    other = make_shop(name="Caviste Voisin", category="caviste")
    start(office, helped)
    assert office.get(f"/merchant/shops/{helped.slug}/hours").status_code == 200
    assert office.get(f"/merchant/shops/{other.slug}").status_code == 403
    assert office.get("/merchant/shops/new").status_code == 403
    assert office.get("/merchant/").status_code == 403


def test_the_owner_editing_their_own_shop_writes_no_agent_entry(app, client):
    shop = make_shop(name="Fleuriste Rose", category="fleuriste")
    login(client, shop.owner)
    post_form(client, f"/merchant/shops/{shop.slug}", shop_form_data(name="Fleuriste Rose"))
    assert [e for e in audit_entries() if e.action.startswith("agent.")] == []


def _merchant_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule == "/merchant" or rule.rule.startswith("/merchant/")
    ]


def test_every_merchant_blueprint_declares_what_agent_mode_means_there(app):
    undeclared = set()
    for rule in _merchant_rules(app):
        blueprint = app.blueprints.get(rule.endpoint.rpartition(".")[0])
        if blueprint is None or agent_mode_of(blueprint) is None:
            undeclared.add(rule.endpoint)
    # Declare it with shops.access.open_to_agent_mode (audited) or closed_to_agent_mode.
    assert undeclared == set()


def test_a_curator_in_agent_mode_is_refused_on_every_owner_only_merchant_page(app, office):
    shop = make_shop(name="Épicerie Close", category="épicerie")
    start(office, shop)
    checked = []
    for rule in _merchant_rules(app):
        blueprint = app.blueprints[rule.endpoint.rpartition(".")[0]]
        if agent_mode_of(blueprint) != OWNER_ONLY:
            continue
        values = {arg: shop.slug if arg == "slug" else 1 for arg in rule.arguments}
        with app.test_request_context():
            url = url_for(rule.endpoint, **values)
        if "GET" in rule.methods:
            assert office.get(url).status_code == 403, url
        else:
            assert post_form(office, url, token_from="/curation/").status_code == 403, url
        checked.append(blueprint.name)
    assert {"board", "refunds", "connect", "api_tokens", "assisted"} <= set(checked)

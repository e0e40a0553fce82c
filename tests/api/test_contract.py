"""Schemathesis, in process: every operation of the OpenAPI document, 100+ generated requests each.

Each operation is its own test (the runs spread over the test processes): 100 requests built to
be valid, then 50 built to break one rule of the schema where the operation has one to break.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import negative_data_rejection, positive_data_acceptance
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.modes import GenerationMode

from marketplace.orders.status import CONFIRMED
from tests.api.conftest import make_token
from tests.factories import make_product, make_shop
from tests.orders.helpers import make_order

EXAMPLES = {GenerationMode.POSITIVE: 100, GenerationMode.NEGATIVE: 50}
OPERATIONS = 16


def _settings(mode: GenerationMode):
    return settings(
        max_examples=EXAMPLES[mode],
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture
def town(app):
    """A published shop with products and orders (its token), a draft shop, a suspended one."""
    order = make_order(CONFIRMED)
    shop = order.shop
    make_product(shop, "Comté 24 mois", 1250, sku="COM-24", stock=3)
    make_product(shop, "Caché", 300, sku="HID-1", is_active=False)
    make_shop(name="Brouillon", published=False)
    make_shop(name="Suspendue", status="suspended")
    return make_token(shop)


# 422 is this API's answer to a well-formed request that a shop rule refuses (an unknown SKU, a
# wrong pickup code): the contract cannot know the shop's data, so it is no broken promise.
CONFIG = {
    "checks": {
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "304", "401", "404", "409", "422", "429"]
        }
    }
}


def _operations(app, token):
    config = SchemathesisConfig.from_dict(
        {**CONFIG, "auth": {"openapi": {"bearerAuth": {"bearer": token}}}}
    )
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)
    return [result.ok() for result in schema.get_all_operations()]


def _runner(operation, mode, counts):
    """A Hypothesis test of one operation in one generation mode, counting its examples."""
    # Search parameters are forgiving text, as on the search page (search.params): an empty
    # value is no filter, and a value it cannot read is a 400 naming it. So neither "any
    # string succeeds" nor "a value outside the documented type fails" is promised there.
    search = operation.path == "/search"
    excluded = [positive_data_acceptance, negative_data_rejection] if search else []

    @_settings(mode)
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        counts[mode] += 1
        case.call_and_validate(excluded_checks=excluded)

    return run


def test_the_document_has_every_operation(app, town):
    assert len(_operations(app, town)) == OPERATIONS


@pytest.mark.slow
@pytest.mark.parametrize("number", range(OPERATIONS))
def test_every_operation_holds_to_the_contract(app, town, number):
    operation = _operations(app, town)[number]
    failures, counts = [], {}
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        counts[mode] = 0
        run = _runner(operation, mode, counts)
        try:
            run()
        except Unsatisfiable:
            # Nothing in this operation can be made invalid (no parameter, no body).
            assert mode is GenerationMode.NEGATIVE, operation.label
            counts.pop(mode)
        except (Exception, BaseExceptionGroup) as error:  # collect both modes, then fail
            failures.append(f"{operation.label} [{mode.value}]: {error}")
    assert not failures, "\n\n".join(failures)
    assert all(n >= EXAMPLES[mode] for mode, n in counts.items()), (operation.label, counts)

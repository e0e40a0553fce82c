"""Schemathesis, in process: every operation of the OpenAPI document, 100+ generated requests each.

Each operation is its own test (the runs spread over the test processes): 100 requests built to
be valid, then 50 built to break one rule of the schema where the operation has one to break.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import negative_data_rejection, positive_data_acceptance
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import use_after_free

from marketplace.api.tokens import hash_token, issue_token
from marketplace.extensions import db
from marketplace.orders.status import CONFIRMED
from tests.api.conftest import make_token
from tests.conftest import _empty_tables
from tests.factories import make_product, make_shop
from tests.orders.helpers import make_order

# Derandomized, so each run draws the same cases: enough of them to reach every parameter's
# edges (types, bounds, missing, unknown) without making the PostgreSQL run the CI's long pole.
EXAMPLES = {GenerationMode.POSITIVE: 60, GenerationMode.NEGATIVE: 30}
OPERATIONS = 16


def _settings(mode: GenerationMode):
    return settings(
        max_examples=EXAMPLES[mode],
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def _build_town():
    """A published shop with products and an order, a draft shop, a suspended one."""
    order = make_order(CONFIRMED)
    shop = order.shop
    make_product(shop, "Comté 24 mois", 1250, sku="COM-24", stock=3)
    make_product(shop, "Caché", 300, sku="HID-1", is_active=False)
    make_shop(name="Brouillon", published=False)
    make_shop(name="Suspendue", status="suspended")
    return shop


@pytest.fixture
def town(app):
    """The town and the published shop's token."""
    return make_token(_build_town())


def _rebuild_town(secret: str) -> None:
    """The same town again, ids from 1, with a token of the same secret."""
    db.session.remove()
    _empty_tables()
    shop = _build_town()
    token, _secret = issue_token(shop, shop.owner, "Caisse")
    token.token_hash, token.prefix = hash_token(secret), secret[:10]
    db.session.commit()


# A valid request may still meet the shop's data, which the contract cannot know: 404 (no such
# product), 409 (the order's status, a SKU taken, an Idempotency-Key still running), 412 (an
# If-Match that names another version: generated ETags never match), 422 (an unknown SKU, a wrong
# pickup code, an Idempotency-Key already used with another body). Each is no broken promise.
CONFIG = {
    "checks": {
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "304", "401", "404", "409", "412", "422", "429"]
        }
    }
}


def _schema(app, token):
    config = SchemathesisConfig.from_dict(
        {**CONFIG, "auth": {"openapi": {"bearerAuth": {"bearer": token}}}}
    )
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)


def _operations(app, token):
    return [result.ok() for result in _schema(app, token).get_all_operations()]


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


@pytest.mark.one_database("postgres")  # 500s from type limits show on PostgreSQL
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


@pytest.mark.one_database("postgres")  # 500s from type limits show on PostgreSQL
@pytest.mark.slow
def test_chained_operations_hold_to_the_contract(app, town):
    """Stateful: follow the document's links (create, read, change with If-Match, archive...)."""
    machine = _schema(app, town).as_state_machine()

    class Scenarios(machine):  # type: ignore[misc,valid-type]  # a class built at run time
        def setup(self):
            # Each scenario starts from the same town, so that the same steps get the same
            # answers (Hypothesis checks that its choices replay alike).
            _rebuild_town(town)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            # use_after_free expects a 404 once DELETE succeeded. Here DELETE archives, as the
            # issue asks: the shop still reads its archived product (and PATCH active=true
            # brings it back); the public's 404 is tested in test_writes.py.
            case.validate_response(
                response,
                excluded_checks=[use_after_free],
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    Scenarios.run(
        settings=settings(
            max_examples=25,
            stateful_step_count=8,
            # Generation only: the town's data changes from one scenario to the next, so
            # replaying one to shrink it would not draw the same steps.
            phases=[Phase.generate],
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )

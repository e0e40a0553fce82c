"""A separate process that places a checkout and stops before the commit, to be SIGKILLed there.

python -m tests.faults.checkout_worker CUSTOMER_ID PRODUCT_ID SHOP_ID QUANTITY, with
VITRINE_WORKER_DB in the environment. The checkout service runs for real (the conditional stock
UPDATE, the checkout, order and line rows are flushed inside the open transaction); the process
then prints "reserved <stock it sees>" and waits on stdin for the kill that never lets it commit.
"""

from __future__ import annotations

import os
import sys
import tempfile


def main(customer_id: int, product_id: int, shop_id: int, quantity: int) -> None:
    from marketplace.app import create_app
    from marketplace.db import utcnow
    from marketplace.extensions import db
    from marketplace.orders.checkout import CheckoutRequest, place_checkout
    from marketplace.orders.models import AT_PICKUP
    from marketplace.orders.slots import pickup_slots_for
    from shops.models import Product, Shop

    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": os.environ["VITRINE_WORKER_DB"],
            "INSTANCE_PATH": tempfile.mkdtemp(),
            "SEARCH_INDEX_DIR": tempfile.mkdtemp(),
            "SEARCH_SYNC_AFTER_COMMIT": False,
        },
    )
    with app.app_context():
        now = utcnow()
        shop = db.session.get(Shop, shop_id)
        slot = pickup_slots_for(shop, now, "Europe/Paris")[0].starts_at
        wish = CheckoutRequest({product_id: quantity}, {shop_id: slot}, AT_PICKUP)
        place_checkout(customer_id, wish, now, "Europe/Paris")
        db.session.flush()
        seen = db.session.get(Product, product_id).stock
        print(f"reserved {seen}", flush=True)
        sys.stdin.read()  # the parent kills us here: the commit below never runs
        db.session.commit()


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:5]))

"""A separate process that writes products, for the crash and concurrency tests.

python -m tests.search.worker MODE SHOP_ID COUNT PREFIX, with VITRINE_WORKER_DB and
VITRINE_WORKER_INDEX in the environment. MODE "write" commits COUNT products one by one (each
commit drains the outbox); MODE "crash" commits one product and dies before the index is written.
"""

from __future__ import annotations

import os
import sys
import tempfile


def main(mode: str, shop_id: int, count: int, prefix: str) -> None:
    from marketplace.app import create_app
    from marketplace.extensions import db
    from search import indexer
    from shops import catalogue
    from shops.models import Shop

    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": os.environ["VITRINE_WORKER_DB"],
            "INSTANCE_PATH": tempfile.mkdtemp(),
            "SEARCH_INDEX_DIR": os.environ["VITRINE_WORKER_INDEX"],
        },
    )
    if mode == "crash":
        indexer.drain = lambda *a, **k: os._exit(3)  # killed right after the database commit
    with app.app_context():
        shop = db.session.get(Shop, shop_id)
        for i in range(count):
            catalogue.create_product(shop, {"name": f"{prefix} {i}", "price_cents": 100 + i})
            db.session.commit()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])

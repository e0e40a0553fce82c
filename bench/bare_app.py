"""The yardstick of bench/throughput.sh: a bare Flask app answering a small JSON list.

Served by gunicorn with the same settings as the app (gunicorn.conf.py: -w 2 --threads 4) on
its own port, and measured in every round before the pages, so that each page's figure is a
ratio to what this machine could serve at that moment with nothing of ours in the way.

    GUNICORN_BIND=127.0.0.1:8091 WEB_CONCURRENCY=2 GUNICORN_THREADS=4 \
        .venv/bin/gunicorn -c gunicorn.conf.py bench.bare_app:app
"""

from flask import Flask, jsonify

app = Flask(__name__)
app.config["SEARCH_SYNC_ON_START"] = False  # gunicorn.conf.py's worker start-up is the app's
SHOPS = [{"id": n, "name": f"Boutique {n}", "category": "boulangerie"} for n in range(10)]


@app.get("/")
def shops():
    """A small JSON list, as a minimal API would answer."""
    return jsonify(SHOPS)

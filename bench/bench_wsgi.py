"""The app as the benchmarks serve it: the real app, with the per-address rate limits off.

Every simulated resident of the load test comes from 127.0.0.1, which the login, search and
checkout limits would rightly treat as one abusive client; in production each resident has
their own address. Everything else comes from the environment, as with wsgi.py.
"""

from marketplace.app import create_app

app = create_app(None, {"RATELIMIT_ENABLED": False})

"""The national registers a shop is checked against: Sirene (companies) and the BAN (addresses).

Each has one adapter module (sirene.py, ban.py) over http.py, which owns timeouts and the cache.
"""

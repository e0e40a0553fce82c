"""Search of products and shops: the only package that imports whoosh.

The query string is read by one schema (params.py) for the page, the JSON API and the OpenAPI
document; changes reach the index through the search_outbox table (outbox.py, sync.py), applied
after commit by one writer; query.py runs a search on the index, fallback.py on the database.
"""

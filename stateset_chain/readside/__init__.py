"""The read side: the PostgreSQL database the indexer writes and the Orders API reads.

- ``db``: connecting, and the alembic migrations (``migrations/``, raw SQL) that shape it;
- ``render``: an order row (or an ``Order`` proto) as the Orders API JSON (``GET /v1/orders/{id}``),
  shared by the API and the webhook outbox payloads;
- ``pgcluster``: a throwaway PostgreSQL cluster in a folder (tests, benchmarks, the localnet).

The tables are documented in docs/indexer.md.
"""

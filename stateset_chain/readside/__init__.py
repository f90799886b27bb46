"""The read side: the PostgreSQL database the indexer writes and the Orders API reads.

- ``db``: connecting, and the alembic migrations (``migrations/``, raw SQL) that shape it;
- ``render``: an order row (or an ``Order`` proto) as the Orders API JSON (``GET /v1/orders/{id}``),
  shared by the API and the webhook outbox payloads.

The throwaway PostgreSQL cluster that tests, benchmarks and the localnet start is tooling, not
part of the package: ``localnet/pgcluster.py``.

The tables are documented in docs/indexer.md.
"""

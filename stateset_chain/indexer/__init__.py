"""The indexer: follows a node and writes the read-side database (see docs/indexer.md).

- ``rpc``: CometBFT JSON-RPC + websocket client (blocks, results, status, genesis);
- ``decode``: a block and its results as plain rows (txs, events, attributes);
- ``views``: the typed views (orders, payments, ... balances) kept from the typed events;
- ``outbox``: webhook outbox rows for the order events;
- ``ingest``: the loop (watermark, one transaction per block or batch, checks, reconnects);
- ``cli``: ``statesetd indexer [migrate|rebuild]``.
"""

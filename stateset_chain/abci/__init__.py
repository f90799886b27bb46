"""The ABCI 2.0 edge: how CometBFT v0.38 drives the state machine over a socket.

Protocol (CometBFT's "socket" ABCI client, ``abci = "socket"`` in config.toml):

- CometBFT dials ``proxy_app`` (``tcp://HOST:PORT`` or ``unix:///path``) four times and keeps
  four connections open, in this order: **query** (Info, Query, Echo), **snapshot**
  (ListSnapshots, OfferSnapshot, LoadSnapshotChunk, ApplySnapshotChunk), **mempool** (CheckTx
  New/Recheck) and **consensus** (InitChain, PrepareProposal, ProcessProposal, ExtendVote,
  VerifyVoteExtension, FinalizeBlock, Commit).
- Every message is ``uvarint(len) || protobuf`` (unsigned LEB128; v0.34 used zigzag). Requests are
  ``tendermint.abci.Request``, answers ``tendermint.abci.Response`` (cosmpy's generated protos).
- Answers go back in request order on each connection: there are no request ids. CometBFT
  buffers requests and flushes them with a ``Flush`` request, whose answer must reach it.
- Connections are concurrent with each other; the app is called under one lock (the Go server's
  ``appMtx``), and CometBFT flushes the mempool connection before Commit.
- Any ``Response.exception``, any mismatched answer, or any closed connection makes CometBFT
  stop itself. Recoverable failures are answered with ``code != 0``.
- Startup: Info on the query connection; InitChain if the app reports height 0; blocks the app
  lacks are replayed with FinalizeBlock + Commit.

Modules:

- ``framing``      uvarint framing and an incremental frame decoder (pure).
- ``application``  ``BaseApplication``: one method per ABCI request, safe defaults; ``fit_txs``.
- ``dispatch``     one request -> one response under the app lock; what happens when the app raises.
- ``server``       the asyncio socket server (``ABCIServer``, ``run``, ``python -m ...server``).
"""

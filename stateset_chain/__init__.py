"""stateset-chain: the StateSet Commerce Network order chain, a CometBFT ABCI 2.0 application.

Layout (see docs/architecture.md):

- ``store``      the only package that touches bytes and LevelDB: KV stores, branches, the
                 Merkle tree behind the app hash, typed collections.
- ``app``        the deterministic state machine (InitChain, CheckTx, FinalizeBlock, Commit, Query).
- ``module``     the shape every module has and the one route builder (``msg_routes``).
- ``wiring``     which modules a node runs and how their keepers connect.
- modules, each with the same files (``module.py`` lists them) and a ``SPEC.md``:
  ``auth``          accounts, transaction decoding, signatures, the ante chain, gas, fees;
  ``bank``          balances, supply, MsgSend;
  ``stablecoin``    ssUSD issue/redeem against a USDC reserve;
  ``privacy``       the encryption key registry for sealed personal data;
  ``orders``        the order lifecycle, escrow, refunds, settlement, list queries;
  ``inventory``     stock per merchant and SKU, reserved by orders;
  ``subscriptions`` recurring orders;
  ``conditional``   orders created when their conditions hold;
  ``cctp``          Circle's CCTP v1, as Noble runs it;
  ``crosschain``    the glue between cctp and orders: orders paid and refunded across chains.
- ``abci``       the socket edge: framing and connections, calls ``app``.
- ``gateway``, ``rest``, ``api``, ``indexer``, ``readside``, ``webhooks``  the other edges.
- ``cli``        the ``statesetd`` command.
"""

# cosmpy's generated protos (tendermint.*, cosmos.*) and ours (stateset.*) import as top-level
# packages; importing any part of stateset_chain puts them on sys.path first.
from stateset_chain import pb as _pb  # noqa: E402,F401

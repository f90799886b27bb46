"""stateset-chain: the StateSet Commerce Network order chain, a CometBFT ABCI 2.0 application.

Layout (see docs/architecture.md):

- ``store``      the only package that touches bytes and LevelDB: KV stores, branches, the
                 Merkle tree behind the app hash, typed collections.
- ``app``        the deterministic state machine (InitChain, CheckTx, FinalizeBlock, Commit, Query).
- ``auth``       accounts, transaction decoding, signatures, the ante chain, gas, fees.
- ``bank``       balances, supply, MsgSend.
- ``stablecoin`` ssUSD issue/redeem against a USDC reserve.
- ``abci``       the socket edge: framing and connections, calls ``app``.
- ``cli``        the ``statesetd`` command.
"""

# cosmpy's generated protos (tendermint.*, cosmos.*) and ours (stateset.*) import as top-level
# packages; importing any part of stateset_chain puts them on sys.path first.
from stateset_chain import pb as _pb  # noqa: E402,F401

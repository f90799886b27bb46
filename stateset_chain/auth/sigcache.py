"""Signatures off the block's critical path: a cache of verified signatures, and a parallel
pre-verification of a block's unseen ones.

A secp256k1 verify costs ~40-70 µs, the largest single cost of a signed transfer. A transaction
is normally verified twice (CheckTx when it enters the mempool, FinalizeBlock when it is in a
block), and rechecked after every block. ``VERIFIED`` remembers every triple

    (sha256(sign bytes), public key, signature)

that verified. Whether a signature is valid is a pure function of that triple (the sign bytes
hold the body, the auth info with the sequence, the chain id and the account number), so a hit
gives exactly the answer a verify would: the cache changes how fast a block runs, never its
result, and a node whose cache is cold (a restart, a replay, another proposer's txs) computes the
same app hash. Only valid triples are stored; a bad signature is verified again each time.

``prepare_block`` runs before a block's transactions: for each tx whose signatures are not known
yet, it guesses each signature's triple from the state at the start of the block (the account's
number and key, or the key in the signer info) and verifies the unseen ones on worker threads,
the C work batched per thread (coincurve's calls release the GIL). A wrong guess (an account
created earlier in the same block) costs nothing but the wasted verify: the ante chain computes
the real triple and verifies it inline if it is not in the cache.
"""

from __future__ import annotations

from collections.abc import Sequence

from stateset_chain.auth.ante import sign_doc_bytes
from stateset_chain.auth.state import AuthKeeper, account_pubkey, address_bytes
from stateset_chain.auth.tx import DecodedTx
from stateset_chain.crypto.hashes import sha256
from stateset_chain.crypto.sigcache import VERIFIED, Triple
from stateset_chain.errors import ChainError
from stateset_chain.store.kv import KVStore


def prepare_block(
    state: KVStore, chain_id: str, txs: Sequence[DecodedTx | ChainError]
) -> int:
    """Pre-verifies the signatures of a block's decoded txs that CheckTx has not verified on this
    node (see the module docstring); returns how many signatures were verified."""
    triples: list[Triple] = []
    for tx in txs:
        if isinstance(tx, ChainError) or tx.hash in VERIFIED.tx_hashes:
            continue
        if len(tx.signatures) != len(tx.signers) or len(tx.signer_infos) != len(tx.signers):
            continue  # the ante chain rejects it without verifying anything
        for signer, info, signature in zip(tx.signers, tx.signer_infos, tx.signatures, strict=True):
            try:
                account = AuthKeeper.accounts.get(state, address_bytes(signer))
            except ChainError:
                continue
            if account is None:
                continue
            pubkey = info.pubkey if info.pubkey is not None else account_pubkey(account)
            if pubkey is None:
                continue
            sign_bytes = sign_doc_bytes(
                tx.body_bytes, tx.auth_info_bytes, chain_id, account.account_number
            )
            digest = sha256(sign_bytes)
            triples.append((digest, pubkey, signature))
    return VERIFIED.verify_unseen(triples)

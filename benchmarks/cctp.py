"""CCTP: MsgReceiveMessage throughput, each message attested by two signatures.

1. InitChain: ``accounts`` funded relayer accounts (``build_app_state``), and CCTP configured as
   on the localnet (``build_cctp_genesis``: local domain 100, Ethereum's TokenMessenger and USDC
   linked, a 1,000,000 USDC per-message limit) but with two attester keys generated here
   (``sha256("stateset bench attester <i>")``, TEST ONLY) and threshold 2; then block 1.
2. Every block is signed before any timing starts. Message k is a CCTP v1 burn from Ethereum
   (domain 0, nonce k, from Circle's TokenMessenger there) to this chain's cctp module, minting
   1.000000-1.999999 USDC (``uusdc``) to a distinct new recipient; its attestation is both
   attesters' ``r || s || v`` over ``keccak256(message)``, ordered by signer address, as Circle's
   attestation service orders them. Each block's transactions come from distinct relayers.
3. FinalizeBlock and Commit are timed per block; every result must have code 0. Afterwards the
   uusdc supply must have grown by exactly the amounts minted, and each recipient must hold its
   amount. One more 1,000-tx block runs under cProfile.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from coincurve import PrivateKey

import stateset_chain.pb  # noqa: F401
from benchmarks import report, txs
from benchmarks.chain import (
    TIMING_HEADERS,
    BenchChain,
    BlockTiming,
    Profile,
    log_block,
    profile_block,
    timing_row,
)
from stateset_chain.auth.state import AuthKeeper
from stateset_chain.bank.state import BankKeeper
from stateset_chain.cctp.attestation import ethereum_address
from stateset_chain.cctp.codec import ZERO32, BurnMessage, Message, keccak256, pad_address
from stateset_chain.coins import USDC
from stateset_chain.crypto import address
from stateset_chain.localnet import (
    ETHEREUM_DOMAIN,
    ETHEREUM_TOKEN_MESSENGER,
    ETHEREUM_USDC,
    LOCALNET_CCTP_DOMAIN,
    build_app_state,
    build_cctp_genesis,
)
from stateset_chain.wiring import module_accounts

from stateset.cctp.v1 import tx_pb2 as cctp_tx

CHAIN_ID = "stateset-bench-cctp-1"
TARGET_TPS = 5_000
PROFILE_BLOCK = 1_000
ATTESTERS = 2
CCTP_MODULE = pad_address(address.module_address_bytes("cctp"))
TOKEN_MESSENGER = bytes.fromhex(ETHEREUM_TOKEN_MESSENGER[2:])
BURN_TOKEN = bytes.fromhex(ETHEREUM_USDC[2:])


def attester_keys(n: int = ATTESTERS) -> list[PrivateKey]:
    """TEST-ONLY attester keys, sorted by Ethereum address (the attestation's order)."""
    keys = [PrivateKey(hashlib.sha256(f"stateset bench attester {i}".encode()).digest())
            for i in range(n)]
    return sorted(keys, key=lambda k: ethereum_address(k.public_key.format(compressed=False)))


def recipient(k: int) -> str:
    """Message k's mint recipient: a new address (no account yet), nobody's key."""
    return address.encode(hashlib.sha256(b"stateset bench cctp recipient %d" % k).digest()[:20])


def amount(k: int) -> int:
    return 1_000_000 + (k * 7919) % 1_000_000


def burn_message(k: int) -> bytes:
    """Message k: a burn of ``amount(k)`` USDC on Ethereum (nonce k) for ``recipient(k)``."""
    body = BurnMessage(
        version=0, burn_token=BURN_TOKEN,
        mint_recipient=pad_address(address.decode(recipient(k))), amount=amount(k),
        message_sender=pad_address(hashlib.sha256(b"eth user %d" % k).digest()[:20]),
    ).encode()
    return Message(
        version=0, source_domain=ETHEREUM_DOMAIN, destination_domain=LOCALNET_CCTP_DOMAIN,
        nonce=k, sender=TOKEN_MESSENGER, recipient=CCTP_MODULE, destination_caller=ZERO32,
        body=body,
    ).encode()


def attest(message: bytes, keys: list[PrivateKey]) -> bytes:
    """Each key's ``r || s || v`` (v = 27 + recovery id, low s) over keccak256(message), in the
    order of ``keys`` (sorted by signer address)."""
    digest = keccak256(message)
    out = []
    for key in keys:
        sig = key.sign_recoverable(digest, hasher=None)
        out.append(sig[:64] + bytes([sig[64] + 27]))
    return b"".join(out)


@dataclass
class CctpResult:
    accounts: int
    pinning: str
    setup: dict[str, float]
    blocks: list[BlockTiming] = field(default_factory=list)
    profile: Profile | None = None
    checks: list[str] = field(default_factory=list)
    peak_rss_mib: float = 0.0

    def markdown(self) -> str:
        rows = []
        for size in sorted({b.size for b in self.blocks}):
            runs = [b for b in self.blocks if b.size == size]
            best = max(b.tps for b in runs)
            rows.append([size, *timing_row(runs), "met" if best >= TARGET_TPS else "missed"])
        t = report.table(["txs/block", *TIMING_HEADERS, f"best ≥ {TARGET_TPS:,} tx/s"], rows)
        setup = ", ".join(f"{k} {v:.1f} s" for k, v in self.setup.items())
        return (
            f"FinalizeBlock + Commit of MsgReceiveMessage (a burn, {ATTESTERS} attester "
            f"signatures each), {self.accounts:,} funded relayer accounts, LevelDB "
            f"({self.pinning}); target {TARGET_TPS:,} tx/s.\n\n{t}\n\n"
            f"Setup (untimed): {setup}. Peak RSS: {self.peak_rss_mib:,.0f} MiB.\n\n"
            "Checks: " + "; ".join(self.checks) + ".\n"
        )

    def profile_markdown(self) -> str:
        return self.profile.markdown() if self.profile else ""


class _Signer:
    def __init__(self, chain: BenchChain, relayers: list[txs.BenchAccount],
                 keys: list[PrivateKey]) -> None:
        self.chain = chain
        self.relayers = relayers
        self.keys = keys
        self.numbers = chain.account_numbers([a.address for a in relayers])
        self.sequences = [0] * len(relayers)
        self.cursor = 0
        self.nonce = 0

    def block(self, size: int) -> list[bytes]:
        """``size`` MsgReceiveMessage, from ``size`` distinct relayers (the next ones in turn)."""
        n = len(self.relayers)
        if size > n:
            raise ValueError(f"a block of {size} txs needs at least {size} relayers, have {n}")
        out = []
        for _ in range(size):
            i, self.cursor = self.cursor, (self.cursor + 1) % n
            self.nonce += 1
            message = burn_message(self.nonce)
            relayer = self.relayers[i]
            msg = cctp_tx.MsgReceiveMessage(signer=relayer.address, message=message,
                                            attestation=attest(message, self.keys))
            out.append(txs.sign_tx(relayer, [msg], chain_id=self.chain.chain_id,
                                   account_number=self.numbers[i], sequence=self.sequences[i]))
            self.sequences[i] += 1
        return out


def _check_minted(chain: BenchChain, nonces: int, supply_before: int) -> str:
    bank = BankKeeper(AuthKeeper(), module_accounts())
    state = chain.store.state
    minted = sum(amount(k) for k in range(1, nonces + 1))
    grown = bank.supply(state, USDC) - supply_before
    if grown != minted:
        raise AssertionError(f"uusdc supply grew by {grown}, {minted} were attested")
    wrong = [k for k in range(1, nonces + 1)
             if bank.balance(state, recipient(k), USDC) != amount(k)]
    if wrong:
        raise AssertionError(f"{len(wrong)} recipients do not hold their amount, first: {wrong[0]}")
    return (f"every tx code 0; the uusdc supply grew by exactly the {minted:,} uusdc attested, and "
            f"each of the {nonces:,} recipients holds its amount")


def run(
    sizes: list[int] | None = None,
    repeats: int = 3,
    n_accounts: int = 10_000,
    profile: bool = True,
    cpu: int = -1,
    log=print,
) -> CctpResult:
    sizes = sizes or [1_000, 5_000]
    pinning = report.pin_to_one_cpu(cpu)
    setup: dict[str, float] = {}
    t = time.perf_counter()
    txs.check_matches_cosmpy()
    relayers = txs.accounts(n_accounts)
    keys = attester_keys()
    setup["key derivation"] = time.perf_counter() - t
    state = build_app_state(txs.genesis_entries(relayers))
    state["cctp"] = build_cctp_genesis(relayers[0].address, [k.secret for k in keys])
    result = CctpResult(n_accounts, pinning, setup)
    with tempfile.TemporaryDirectory(prefix="stateset-bench-cctp-") as tmp:
        log(f"cctp: {n_accounts:,} relayers, genesis on LevelDB in {tmp} ...")
        t = time.perf_counter()
        chain = BenchChain(Path(tmp), state, CHAIN_ID)
        setup["genesis (InitChain + block 1)"] = time.perf_counter() - t
        try:
            supply_before = BankKeeper(AuthKeeper(), module_accounts()).supply(
                chain.store.state, USDC)
            signer = _Signer(chain, relayers, keys)
            t = time.perf_counter()
            plan = [signer.block(size) for size in sizes for _ in range(repeats)]
            profile_raw = signer.block(min(PROFILE_BLOCK, n_accounts)) if profile else []
            setup["pre-signing"] = time.perf_counter() - t
            for raw in plan:
                timing = chain.block(raw)
                result.blocks.append(timing)
                log_block(log, "cctp", "receive", timing)
            if profile:
                result.profile = profile_block(chain, profile_raw, "MsgReceiveMessage")
            result.checks.append(_check_minted(chain, signer.nonce, supply_before))
        finally:
            chain.close()
    result.peak_rss_mib = report.peak_rss_mib()
    return result

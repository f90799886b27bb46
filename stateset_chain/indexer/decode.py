"""A block and its results (CometBFT ``/block`` + ``/block_results`` JSON) as plain rows."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field

import stateset_chain.pb  # noqa: F401
from stateset_chain.cache import BoundedCache
from stateset_chain.crypto.address import pubkey_to_address
from stateset_chain.crypto.secp256k1 import PUBKEY_TYPE_URL
from stateset_chain.indexer.views import BLOCK_EVENT, RawEvent
from stateset_chain.timefmt import parse_iso8601

from cosmos.crypto.secp256k1 import keys_pb2 as secp256k1
from cosmos.tx.v1beta1 import tx_pb2


@dataclass
class TxRow:
    index: int
    hash: str
    code: int
    codespace: str
    log: str
    gas_wanted: int
    gas_used: int
    fee: list[dict]
    signer: str
    memo: str
    messages: list[str]


@dataclass
class Block:
    height: int
    hash: str
    time_ns: int
    time_text: str
    proposer: str
    app_hash: str           # header: the state after the previous block
    last_results_hash: str
    result_app_hash: str    # FinalizeBlock's app hash: the state after this block
    txs: list[TxRow] = field(default_factory=list)
    events: list[RawEvent] = field(default_factory=list)

    @property
    def event_count(self) -> int:
        return len(self.events)


# a chain's signers repeat: their addresses (a SHA-256, a RIPEMD-160 and bech32 each) by key
_ADDRESSES: BoundedCache[bytes, str] = BoundedCache(1 << 14)


def _signer_address(any_value: bytes) -> str:
    found = _ADDRESSES.get(any_value)
    if found is None:
        found = _ADDRESSES.put(any_value,
                               pubkey_to_address(secp256k1.PubKey.FromString(any_value).key))
    return found


def decode_tx(index: int, raw: bytes, result: dict) -> TxRow:
    memo, fee, signer, messages = "", [], "", []
    try:
        tx = tx_pb2.TxRaw.FromString(raw)
        body = tx_pb2.TxBody.FromString(tx.body_bytes)
        auth = tx_pb2.AuthInfo.FromString(tx.auth_info_bytes)
        memo = body.memo
        messages = [m.type_url for m in body.messages]
        fee = [{"denom": c.denom, "amount": c.amount} for c in auth.fee.amount]
        if auth.signer_infos:
            key = auth.signer_infos[0].public_key
            if key.type_url == PUBKEY_TYPE_URL:
                signer = _signer_address(key.value)
    except Exception:  # a tx the app refused to decode is still a tx of the block
        pass
    return TxRow(
        index=index,
        hash=hashlib.sha256(raw).hexdigest().upper(),
        code=int(result.get("code", 0)),
        codespace=result.get("codespace", ""),
        log=result.get("log", ""),
        gas_wanted=int(result.get("gas_wanted", 0)),
        gas_used=int(result.get("gas_used", 0)),
        fee=fee,
        signer=signer,
        memo=memo,
        messages=messages,
    )


def _events(height: int, tx_index: int, raw_events: list | None, time_ns: int) -> list[RawEvent]:
    return [
        RawEvent(
            height, tx_index, i, e.get("type", ""),
            [(a.get("key", ""), a.get("value", "")) for a in e.get("attributes") or []],
            time_ns,
        )
        for i, e in enumerate(raw_events or [])
    ]


def decode_block(block: dict, results: dict) -> Block:
    header = block["block"]["header"]
    height = int(header["height"])
    time_text = header["time"]
    time_ns = parse_iso8601(time_text)
    raw_txs = [base64.b64decode(t) for t in block["block"]["data"].get("txs") or []]
    tx_results = results.get("txs_results") or []
    if len(tx_results) != len(raw_txs):
        raise ValueError(f"block {height}: {len(raw_txs)} txs but {len(tx_results)} results")
    out = Block(
        height=height,
        hash=block["block_id"]["hash"].upper(),
        time_ns=time_ns,
        time_text=time_text,
        proposer=header.get("proposer_address", ""),
        app_hash=header.get("app_hash", "").upper(),
        last_results_hash=header.get("last_results_hash", "").upper(),
        result_app_hash=_app_hash_of_results(results),
    )
    for i, (raw, result) in enumerate(zip(raw_txs, tx_results, strict=True)):
        out.txs.append(decode_tx(i, raw, result))
        out.events += _events(height, i, result.get("events"), time_ns)
    out.events += _events(height, BLOCK_EVENT, results.get("finalize_block_events"), time_ns)
    return out


def _app_hash_of_results(results: dict) -> str:
    value = results.get("app_hash") or ""
    try:
        return base64.b64decode(value).hex().upper() if value else ""
    except ValueError:
        return value.upper()


def fee_json(fee: list[dict]) -> str:
    return json.dumps(fee, separators=(",", ":"))

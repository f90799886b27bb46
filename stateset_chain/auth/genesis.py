"""Auth genesis JSON, and its inverse.

    {"params": {"max_memo_characters": "256", "min_gas_price": "0.01", ...},
     "accounts": [{"address": "stateset1..."},
                  {"address": "stateset1...", "account_number": "7", "sequence": "3",
                   "pub_key": "<base64 of the 33-byte compressed secp256k1 key>"}]}

Missing params keep their defaults; an unknown or invalid param fails. Accounts are created in
the order listed; an account without ``account_number`` takes the next one, and given numbers must
increase along the list (so they are unique). ``sequence`` defaults to 0, ``pub_key`` to none (it
must hash to the address). The next account number afterwards is one past the last.

Auth's genesis must run before the bank's: the bank creates accounts for genesis balances that
are not listed here (``ensure_account``), numbered after these.

Export lists every account by account number with all four fields (``pub_key`` only when set)
and the params in canonical form, so ``init(export(s))`` reproduces ``s`` byte for byte.
"""

from __future__ import annotations

import base64
import binascii

from stateset_chain.auth.errors import InvalidGenesis
from stateset_chain.auth.params import InvalidParams, Params, parse_uint
from stateset_chain.auth.state import (
    AuthKeeper,
    BaseAccount,
    account_pubkey,
    set_account_pubkey,
)
from stateset_chain.context import Context
from stateset_chain.crypto import address, secp256k1
from stateset_chain.errors import ChainError

_KEYS = {"params", "accounts"}
_ACCOUNT_KEYS = {"address", "account_number", "sequence", "pub_key"}


def init_genesis(keeper: AuthKeeper, ctx: Context, data: dict) -> None:
    try:
        _init(keeper, ctx, data)
    except InvalidGenesis:
        raise
    except ChainError as e:
        raise InvalidGenesis(e.log) from e
    except InvalidParams as e:
        raise InvalidGenesis(str(e)) from e
    except (KeyError, TypeError, AttributeError) as e:
        raise InvalidGenesis(f"malformed auth genesis: {e!r}") from e


def _init(keeper: AuthKeeper, ctx: Context, data: dict) -> None:
    if not isinstance(data, dict):
        raise InvalidGenesis(f"auth genesis must be an object, got {type(data).__name__}")
    _no_unknown_keys(data, _KEYS, "auth genesis")
    store = ctx.store
    keeper.set_params(store, Params.from_json(data.get("params", {})))
    next_number = keeper.next_account_number(store)
    for entry in data.get("accounts", []):
        account = _account_from_json(entry, next_number)
        raw = address.decode(account.address)
        if keeper.accounts.has(store, raw):
            raise InvalidGenesis(f"duplicate account {account.address}")
        keeper.accounts.set(store, raw, account)
        next_number = account.account_number + 1
    keeper.set_next_account_number(store, next_number)


def _account_from_json(entry: dict, next_number: int) -> BaseAccount:
    if not isinstance(entry, dict):
        raise InvalidGenesis(f"an account must be an object, got {entry!r}")
    _no_unknown_keys(entry, _ACCOUNT_KEYS, "account")
    addr = entry["address"]
    raw = address.require_address(addr, "genesis account address", InvalidGenesis)
    number = parse_uint("account_number", entry.get("account_number", next_number))
    if number < next_number:
        raise InvalidGenesis(
            f"account {addr}: account_number {number} must be at least {next_number} "
            "(numbers increase along the list)"
        )
    sequence = parse_uint("sequence", entry.get("sequence", 0))
    account = BaseAccount(address=addr, account_number=number, sequence=sequence)
    if "pub_key" in entry:
        set_account_pubkey(account, _pubkey(entry["pub_key"], raw, addr))
    return account


def _pubkey(text, raw_address: bytes, addr: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise InvalidGenesis(f"account {addr}: pub_key is not base64") from None
    if not secp256k1.is_valid_pubkey(key):
        raise InvalidGenesis(f"account {addr}: pub_key is not a compressed secp256k1 key")
    if address.pubkey_to_address_bytes(key) != raw_address:
        raise InvalidGenesis(f"account {addr}: pub_key does not match the address")
    return key


def _no_unknown_keys(data: dict, known: set[str], what: str) -> None:
    unknown = sorted(set(data) - known)
    if unknown:
        raise InvalidGenesis(f"unknown keys in {what}: {unknown}; known: {sorted(known)}")


def export_genesis(keeper: AuthKeeper, ctx: Context) -> dict:
    listed = sorted(keeper.iterate_accounts(ctx.store), key=_by_number)
    return {
        "params": keeper.params(ctx.store).to_json(),
        "accounts": [_account_to_json(a) for a in listed],
    }


def _by_number(account: BaseAccount) -> int:
    return account.account_number


def _account_to_json(account: BaseAccount) -> dict:
    out = {
        "address": account.address,
        "account_number": str(account.account_number),
        "sequence": str(account.sequence),
    }
    key = account_pubkey(account)
    if key is not None:
        out["pub_key"] = base64.b64encode(key).decode()
    return out

"""Compliance genesis: ``stateset.compliance.v1.GenesisState`` as JSON with proto field names.

Every list and counter is imported and exported; ``init(export(s))`` reproduces the module's
store byte for byte. Missing params fields keep their defaults. Entries are validated as their
messages validate them (addresses, countries, categories, limits), and must be unique
(InvalidGenesis; InvalidParams for params).
"""

from __future__ import annotations

from google.protobuf import json_format

import stateset_chain.pb  # noqa: F401
from stateset_chain.compliance import keys
from stateset_chain.compliance.errors import ComplianceError, InvalidGenesis
from stateset_chain.compliance.msgs.common import (
    require_address,
    require_category,
    require_country,
    require_region,
)
from stateset_chain.compliance.params import default_params, validate_params
from stateset_chain.compliance.state import ComplianceKeeper
from stateset_chain.context import Context
from stateset_chain.errors import ChainError

from stateset.compliance.v1.compliance_pb2 import (
    FreezeTask,
    GenesisProfile,
    GenesisState,
    GenesisVelocity,
    GenesisVolume,
)


def init_genesis(keeper: ComplianceKeeper, ctx: Context, data: dict) -> None:
    data = dict(data)
    p = default_params()
    state = GenesisState()
    try:
        # missing params fields keep their defaults; a field given (even 0) replaces its default
        json_format.ParseDict(data.pop("params", {}), p)
        json_format.ParseDict(data, state)
    except json_format.ParseError as e:
        raise InvalidGenesis(str(e)) from None
    validate_params(p)
    keeper.set_params(ctx.store, p)
    try:
        _import_lists(keeper, ctx, state)
    except ComplianceError as e:
        if isinstance(e, InvalidGenesis):
            raise
        raise InvalidGenesis(e.log) from None
    except ChainError as e:
        raise InvalidGenesis(e.log) from None


def _unique(seen: set, key, what: str) -> None:
    if key in seen:
        raise InvalidGenesis(f"duplicate {what} {key}")
    seen.add(key)


def _import_lists(keeper: ComplianceKeeper, ctx: Context, state: GenesisState) -> None:
    store = ctx.store
    seen: set = set()
    for s in state.sanctions:
        require_address(s.address, "sanction address")
        _unique(seen, ("sanction", s.address), "sanction")
        keeper.sanctions.set(store, s.address, s)
    for c in state.blocked_countries:
        require_country(c.country)
        _unique(seen, ("country", c.country), "blocked country")
        keeper.blocked_countries.set(store, c.country, c)
    for r in state.restricted_categories:
        require_country(r.country)
        require_region(r.region)
        require_category(r.category)
        key = (r.country, r.region, r.category)
        _unique(seen, ("category",) + key, "restricted category")
        keeper.restricted_categories.set(store, key, r)
    for lim in state.account_limits:
        require_address(lim.address, "limit address")
        if not lim.denom or (lim.daily and lim.monthly and lim.daily > lim.monthly):
            raise InvalidGenesis(f"account limit {lim.address} {lim.denom}")
        if not lim.daily and not lim.monthly:
            raise InvalidGenesis(f"account limit {lim.address} {lim.denom} limits nothing")
        _unique(seen, ("limit", lim.address, lim.denom), "account limit")
        keeper.account_limits.set(store, (lim.address, lim.denom), lim)
    for v in state.volumes:
        if v.window not in (keys.DAILY, keys.MONTHLY):
            raise InvalidGenesis(f"volume window {v.window}")
        if not keeper.account_limits.has(store, (v.address, v.denom)):
            raise InvalidGenesis(f"volume of {v.address} {v.denom} without a limit")
        _unique(seen, ("volume", v.address, v.denom, v.window), "volume")
        keeper.volumes.set(store, (v.address, v.denom, v.window), v.volume)
    for b in state.velocity:
        require_address(b.customer, "velocity customer")
        _unique(seen, ("velocity", b.customer, b.bucket), "velocity bucket")
        keeper.velocity.set(store, (b.customer, b.bucket), b.counts)
    for pr in state.profiles:
        require_address(pr.customer, "profile customer")
        _unique(seen, ("profile", pr.customer), "profile")
        keeper.profiles.set(store, pr.customer, pr.profile)
    for t in state.freeze_queue:
        require_address(t.address, "freeze queue address")
        if not keeper.sanctions.has(store, t.address):
            raise InvalidGenesis(f"freeze queue entry {t.address} is not sanctioned")
        _unique(seen, ("freeze", t.address), "freeze queue entry")
        keeper.freeze_queue.set(store, t.address, t.after_sequence)


def export_genesis(keeper: ComplianceKeeper, ctx: Context) -> dict:
    store = ctx.store
    state = GenesisState(
        params=keeper.params(store),
        sanctions=list(keeper.all_sanctions(store)),
        blocked_countries=list(keeper.all_blocked_countries(store)),
        restricted_categories=list(keeper.all_restricted_categories(store)),
        account_limits=list(keeper.all_limits(store)),
        volumes=[
            GenesisVolume(address=a, denom=d, window=w, volume=v)
            for (a, d, w), v in keeper.all_volumes(store)
        ],
        velocity=[
            GenesisVelocity(customer=c, bucket=b, counts=n)
            for (c, b), n in keeper.all_velocity(store)
        ],
        profiles=[GenesisProfile(customer=c, profile=p) for c, p in keeper.all_profiles(store)],
        freeze_queue=[
            FreezeTask(address=a, after_sequence=n) for a, n in keeper.all_freeze_tasks(store)
        ],
    )
    return json_format.MessageToDict(state, preserving_proto_field_name=True)

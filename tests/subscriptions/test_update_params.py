"""MsgUpdateParams: only the subscriptions authority replaces the params; bad params are refused
(InvalidParams) and change nothing; the new params govern the next end-block."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.errors import InvalidAddress
from stateset_chain.subscriptions import genesis
from stateset_chain.subscriptions.errors import InvalidGenesis, InvalidParams, NotAuthorized
from stateset_chain.subscriptions.params import DEFAULT_AUTHORITY, default_params
from tests.orders.helpers import AUTHORITY, CUSTOMER, STRANGER
from tests.subscriptions.helpers import SUB_PARAMS, SubChain

from stateset.subscriptions.v1 import events_pb2 as ev
from stateset.subscriptions.v1 import tx_pb2 as tx
from stateset.subscriptions.v1.subscriptions_pb2 import Params


def chain() -> SubChain:
    return SubChain(sub_params={**SUB_PARAMS, "authority": AUTHORITY})


def new_params(**changes) -> Params:
    p = default_params()
    p.authority = AUTHORITY
    for name, value in changes.items():
        setattr(p, name, value)
    return p


def test_the_authority_replaces_the_params_and_it_is_told():
    c = chain()
    p = new_params(max_cycles_per_block=7, retry_delay_seconds=3600, max_items=3)
    c.deliver(tx.MsgUpdateParams(authority=AUTHORITY, params=p))
    assert c.subs.params(c.store) == p
    [updated] = c.typed(ev.ParamsUpdated)
    assert updated.authority == AUTHORITY and updated.params == p


def test_anyone_else_is_refused_and_nothing_changes():
    c = chain()
    before = c.subs.params(c.store)
    with pytest.raises(NotAuthorized):
        c.deliver(tx.MsgUpdateParams(authority=STRANGER, params=new_params(max_items=1)))
    assert c.subs.params(c.store) == before


def test_the_authority_can_hand_over_to_a_new_one():
    c = chain()
    c.deliver(tx.MsgUpdateParams(authority=AUTHORITY, params=new_params(authority=CUSTOMER)))
    with pytest.raises(NotAuthorized):
        c.deliver(tx.MsgUpdateParams(authority=AUTHORITY, params=new_params()))
    c.deliver(tx.MsgUpdateParams(authority=CUSTOMER, params=new_params(max_items=2)))
    assert c.subs.params(c.store).max_items == 2


def test_without_genesis_naming_one_the_authority_is_the_gov_module_address():
    c = SubChain()
    assert c.subs.params(c.store).authority == DEFAULT_AUTHORITY


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"authority": "nope"}, InvalidParams),
        ({"max_cycles_per_block": 0}, InvalidParams),
        ({"max_cycles_per_block": 10_001}, InvalidParams),
        ({"retry_delay_seconds": 0}, InvalidParams),
        ({"max_items": 0}, InvalidParams),
        ({"min_interval_seconds": 0}, InvalidParams),
    ],
)
def test_invalid_params_are_refused_before_anything_is_read(changes, error):
    c = chain()
    before = c.subs.params(c.store)
    with pytest.raises(error):
        c.deliver(tx.MsgUpdateParams(authority=AUTHORITY, params=new_params(**changes)))
    assert c.subs.params(c.store) == before


def test_missing_params_and_a_bad_authority_address_are_refused():
    c = chain()
    with pytest.raises(InvalidParams):
        c.deliver(tx.MsgUpdateParams(authority=AUTHORITY))
    with pytest.raises(InvalidAddress):
        c.deliver(tx.MsgUpdateParams(authority="nope", params=new_params()))


def test_genesis_refuses_invalid_params():
    c = SubChain()
    with pytest.raises(InvalidGenesis):
        genesis.init_genesis(c.subs, c.ctx(), {"params": {"authority": "nope"}})


def test_a_lower_per_block_bound_applies_at_the_next_end_block():
    c = chain()
    ids = sorted(c.subscribe() for _ in range(3))  # all due at once: the queue is in id order
    c.deliver(tx.MsgUpdateParams(authority=AUTHORITY, params=new_params(max_cycles_per_block=2)))
    c.advance(1)
    billed = [e.subscription_id for e in c.typed(ev.SubscriptionCycleBilled)]
    assert billed == ids[:2]
    c.advance(1)
    assert [e.subscription_id for e in c.typed(ev.SubscriptionCycleBilled)] == ids[2:]

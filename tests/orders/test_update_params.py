"""MsgUpdateParams: only the authority changes params; new values apply to new orders."""

from __future__ import annotations

import pytest
from google.protobuf import json_format

import stateset_chain.pb  # noqa: F401
from stateset_chain.orders.errors import BlockedSettlementRecipient, InvalidParams, NotAuthorized
from tests.orders.helpers import (
    AUTHORITY,
    BLOCKED,
    BLOCKED_IDS,
    MERCHANT,
    RETURN_WINDOW,
    STRANGER,
    TEST_PARAMS,
    UNIT,
    Chain,
    item,
)

from stateset.orders.v1 import events_pb2
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.params_pb2 import Params, TaxRate


def params(**changes) -> Params:
    p = json_format.ParseDict(TEST_PARAMS, Params())
    for name, value in changes.items():
        if isinstance(value, list):
            p.ClearField(name)
            getattr(p, name).extend(value)
        else:
            setattr(p, name, value)
    return p


def test_authority_replaces_params_for_new_orders():
    chain = Chain()
    old = chain.create(country="US", items=[item(price="100")])
    new_params = params(tax_rates=[TaxRate(country="US", rate_bps=1000)])
    chain.deliver(tx.MsgUpdateParams(authority=AUTHORITY, params=new_params))
    [event] = chain.typed(events_pb2.ParamsUpdated)
    assert (event.authority, event.params) == (AUTHORITY, new_params)
    assert chain.keeper.params(chain.store) == new_params
    new = chain.create(country="US", items=[item(price="100")])
    assert chain.order(old).tax == 5 * UNIT
    assert chain.order(new).tax == 10 * UNIT


def test_a_new_authority_takes_over():
    chain = Chain()
    chain.deliver(tx.MsgUpdateParams(authority=AUTHORITY, params=params(authority=MERCHANT)))
    with pytest.raises(NotAuthorized):
        chain.deliver(tx.MsgUpdateParams(authority=AUTHORITY, params=params()))
    chain.deliver(tx.MsgUpdateParams(authority=MERCHANT, params=params()))


def test_others_may_not_update():
    with pytest.raises(NotAuthorized):
        Chain().deliver(tx.MsgUpdateParams(authority=MERCHANT, params=params()))


@pytest.mark.parametrize(
    "changes",
    [
        {"platform_fee_bps": 10001},
        {"arbiter": "nobody"},
        {"platform_address": ""},
        {"max_batch_size": 0},
        {"settlement_drain_limit": 0},
        {"tax_rates": [TaxRate(country="US", rate_bps=1), TaxRate(country="US", rate_bps=2)]},
        {"tax_rates": [TaxRate(country="usa", rate_bps=1)]},
        {"tax_rates": [TaxRate(country="US", rate_bps=10001)]},
    ],
)
def test_invalid_params_are_refused(changes):
    with pytest.raises(InvalidParams):
        Chain().deliver(tx.MsgUpdateParams(authority=AUTHORITY, params=params(**changes)))


def test_missing_params_are_refused():
    with pytest.raises(InvalidParams):
        Chain().deliver(tx.MsgUpdateParams(authority=AUTHORITY))


@pytest.mark.parametrize(("blocked", "reason"), BLOCKED, ids=BLOCKED_IDS)
def test_a_platform_address_the_bank_blocks_is_refused(blocked, reason):
    """The platform's share of every later settlement would be stranded there."""
    chain = Chain()
    before = list(chain.store.iterate())
    with pytest.raises(BlockedSettlementRecipient) as refused:
        chain.deliver(
            tx.MsgUpdateParams(authority=AUTHORITY, params=params(platform_address=blocked))
        )
    assert (refused.value.codespace, refused.value.code) == ("orders", 38)
    assert refused.value.log == (
        f"platform_address {blocked} is {reason}: it cannot receive settlement"
    )
    assert list(chain.store.iterate()) == before


def test_a_non_authority_is_refused_before_the_platform_address_is_looked_at():
    [(blocked, _), *_] = BLOCKED
    with pytest.raises(NotAuthorized):
        Chain().deliver(
            tx.MsgUpdateParams(authority=MERCHANT, params=params(platform_address=blocked))
        )


def test_an_ordinary_new_platform_address_receives_the_fee_of_later_orders():
    chain = Chain()
    chain.deliver(tx.MsgUpdateParams(authority=AUTHORITY, params=params(platform_address=STRANGER)))
    oid = chain.to_status("DELIVERED")
    before = chain.balance(STRANGER)
    chain.advance(RETURN_WINDOW)
    assert chain.order(oid).settlement.platform == STRANGER
    assert chain.balance(STRANGER) - before == 10 * UNIT * 250 // 10000

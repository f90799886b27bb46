"""Per-account daily and monthly limits per denom, enforced in the bank's MsgSend and in order
payments, in calendar windows of the block time."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import Coin
from stateset_chain.compliance import errors, keys, windows
from tests.compliance.helpers import CUSTOMER, DAY, MERCHANT, OFFICER, STRANGER, UNIT, CChain

from cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from stateset.compliance.v1 import events_pb2 as cev
from stateset.compliance.v1 import tx_pb2 as ctx_tx


def limit(c: CChain, addr: str, daily: int = 0, monthly: int = 0, denom: str = "ussusd"):
    c.deliver(ctx_tx.MsgSetAccountLimit(
        signer=OFFICER, address=addr, denom=denom, daily=daily, monthly=monthly
    ))


def send(c: CChain, amount: int, sender: str = CUSTOMER, to: str = STRANGER, denom="ussusd"):
    c.deliver(bank_tx.MsgSend(
        from_address=sender, to_address=to, amount=[Coin(denom, amount).to_proto()]
    ))


def test_daily_limit_counts_sends_and_payments_together():
    c = CChain()
    limit(c, CUSTOMER, daily=30 * UNIT)
    send(c, 15 * UNIT)
    oid = c.create()  # 10
    c.pay(oid)  # 25 today
    with pytest.raises(errors.DailyLimitExceeded):
        send(c, 6 * UNIT)
    send(c, 5 * UNIT)  # exactly the limit
    with pytest.raises(errors.DailyLimitExceeded):
        c.pay(c.create(), 1)
    c.check_invariants()


def test_other_denoms_and_other_accounts_are_not_limited():
    c = CChain()
    limit(c, CUSTOMER, daily=UNIT)
    send(c, 100 * UNIT, denom="uusdc")
    send(c, 100 * UNIT, sender=MERCHANT)
    assert c.compliance.volumes.get(c.store, (MERCHANT, "ussusd", keys.DAILY)) is None


def test_the_day_window_rolls_over_at_midnight_utc_of_block_time():
    c = CChain()  # starts 2025-01-01T00:00:00Z
    limit(c, CUSTOMER, daily=10 * UNIT)
    c.advance(DAY - 10)  # 23:59:50
    send(c, 10 * UNIT)
    with pytest.raises(errors.DailyLimitExceeded):
        send(c, 1)
    c.advance(10)  # 2025-01-02T00:00:00Z
    send(c, 10 * UNIT)


def test_the_monthly_limit_spans_days_and_rolls_over_with_the_calendar_month():
    c = CChain()
    limit(c, CUSTOMER, daily=10 * UNIT, monthly=25 * UNIT)
    for _ in range(2):
        send(c, 10 * UNIT)
        c.advance(DAY)
    with pytest.raises(errors.MonthlyLimitExceeded):
        send(c, 6 * UNIT)
    send(c, 5 * UNIT)
    c.advance(31 * DAY - 2 * DAY)  # 2025-02-01
    send(c, 10 * UNIT)
    v = c.compliance.volumes.get(c.store, (CUSTOMER, "ussusd", keys.MONTHLY))
    assert v.bucket == 12 * 2025 + 1 and v.amount == 10 * UNIT


def test_a_refused_send_records_nothing():
    c = CChain()
    limit(c, CUSTOMER, daily=5 * UNIT)
    with pytest.raises(errors.DailyLimitExceeded):
        send(c, 6 * UNIT)
    assert c.compliance.volumes.get(c.store, (CUSTOMER, "ussusd", keys.DAILY)) is None


def test_removing_a_limit_removes_its_volumes_and_events_say_so():
    c = CChain()
    limit(c, CUSTOMER, daily=5 * UNIT)
    (ev,) = c.typed(cev.AccountLimitSet)
    assert ev.limit.daily == 5 * UNIT
    send(c, 5 * UNIT)
    limit(c, CUSTOMER)  # both 0
    assert c.typed(cev.AccountLimitRemoved)[0].address == CUSTOMER
    assert list(c.compliance.volumes.iterate(c.store)) == []
    send(c, 50 * UNIT)
    with pytest.raises(errors.NotBlocked):
        limit(c, CUSTOMER)


def test_sanctioned_sender_and_recipient_in_msgsend():
    c = CChain()
    c.sanction(STRANGER)
    with pytest.raises(errors.SanctionedRecipient):
        send(c, UNIT)
    with pytest.raises(errors.SanctionedSender):
        send(c, UNIT, sender=STRANGER, to=CUSTOMER)


def test_limit_validation():
    c = CChain()
    with pytest.raises(errors.InvalidLimit):
        limit(c, CUSTOMER, daily=10, monthly=5)
    with pytest.raises(errors.InvalidLimit):
        limit(c, CUSTOMER, daily=10, denom="1x")
    with pytest.raises(errors.NotAuthorized):
        c.deliver(ctx_tx.MsgSetAccountLimit(signer=CUSTOMER, address=CUSTOMER, denom="ussusd",
                                            daily=1))


@given(st.integers(-62_135_596_800, 253_402_300_799))  # years 1..9999
def test_day_and_month_numbers_agree_with_the_calendar(t):
    when = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(seconds=t)
    assert windows.day_number(t) == (when.date() - datetime.date(1970, 1, 1)).days
    assert windows.month_number(t) == 12 * when.year + when.month - 1

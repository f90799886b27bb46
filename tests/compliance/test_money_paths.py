"""Limits and sanctions on the money paths beyond MsgSend and order payments, through the real
app (tests.chain via tests.crosschain.helpers.Net): a CCTP DepositForBurn is an outflow against
the depositor's limits; a sanctioned account can neither issue nor redeem ssUSD; a claim of
unclaimed cross-chain funds to a sanctioned recipient is refused. Each refusal has its own
(codespace, code) and changes no state (app hash of a refused tx's block = the fee only)."""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.codec import pad_address as pad
from stateset_chain.coins import SSUSD, USDC
from stateset_chain.crypto import address as addr
from stateset_chain.localnet import ETHEREUM_DOMAIN
from tests.chain import address
from tests.crosschain.helpers import UNIT, Net
from tests.crosschain.test_unclaimed import NEVER_CREATED, park

from stateset.cctp.v1 import tx_pb2 as cctp_tx
from stateset.compliance.v1 import query_pb2 as cq
from stateset.compliance.v1 import tx_pb2 as ctx_tx
from stateset.crosschain.v1 import tx_pb2 as xtx
from stateset.stablecoin.v1 import tx_pb2 as stx

DAILY, MONTHLY, SANCTIONED_SENDER, SANCTIONED_RECIPIENT = 24, 25, 22, 23


def limit(net: Net, who: str, daily: int, monthly: int = 0, denom: str = USDC) -> None:
    net.ok(net.admin, [ctx_tx.MsgSetAccountLimit(
        signer=address(net.admin), address=who, denom=denom, daily=daily, monthly=monthly)])


def sanction(net: Net, who: str) -> None:
    net.ok(net.admin, [ctx_tx.MsgAddSanction(
        signer=address(net.admin), address=who, reason="listed", list_source="test")])


def volume(net: Net, who: str, denom: str = USDC) -> cq.QueryVolumeResponse:
    res = net.chain.query("/stateset.compliance.v1.Query/Volume",
                          cq.QueryVolumeRequest(address=who, denom=denom))
    assert res.code == 0, res.log
    return cq.QueryVolumeResponse.FromString(res.value)


def burn(net: Net, wallet, amount: int):
    return net.tx(wallet, [cctp_tx.MsgDepositForBurn(
        signer=address(wallet), amount=str(amount), destination_domain=ETHEREUM_DOMAIN,
        mint_recipient=pad(bytes([0x42]) * 20), burn_token=USDC)])


def test_a_burn_over_the_daily_limit_is_refused_and_burns_nothing():
    net = Net.start()
    who = address(net.customer)
    limit(net, who, daily=10 * UNIT, monthly=100 * UNIT)
    assert burn(net, net.customer, 6 * UNIT).code == 0
    used = volume(net, who)
    assert used.daily.amount == 6 * UNIT and used.monthly.amount == 6 * UNIT
    balance, supply = net.balance(who), net.supply()
    refused = burn(net, net.customer, 5 * UNIT)
    assert (refused.codespace, refused.code) == ("compliance", DAILY), refused.log
    assert (net.balance(who), net.supply()) == (balance, supply)  # nothing burned
    assert volume(net, who) == used  # the refused outflow is not counted


def test_a_burn_over_the_monthly_limit_is_refused():
    net = Net.start()
    who = address(net.customer)
    limit(net, who, daily=0, monthly=3 * UNIT)
    refused = burn(net, net.customer, 4 * UNIT)
    assert (refused.codespace, refused.code) == ("compliance", MONTHLY), refused.log


def test_a_sanctioned_account_can_neither_issue_nor_redeem():
    net = Net.start()
    who = address(net.customer)
    sanction(net, who)
    before = (net.balance(who, USDC), net.balance(who, SSUSD), net.supply(SSUSD))
    issue = net.tx(net.customer, [stx.MsgIssueStablecoin(sender=who, amount=str(UNIT))])
    redeem = net.tx(net.customer, [stx.MsgRedeemStablecoin(sender=who, amount=str(UNIT))])
    assert (issue.codespace, issue.code) == ("compliance", SANCTIONED_SENDER), issue.log
    assert (redeem.codespace, redeem.code) == ("compliance", SANCTIONED_SENDER), redeem.log
    # fees are paid in ssUSD (Net's fee denom): only they moved
    assert net.balance(who, USDC) == before[0] and net.supply(SSUSD) == before[2]
    other = address(net.merchant)
    assert net.tx(net.merchant, [stx.MsgIssueStablecoin(sender=other, amount=str(UNIT))]).code == 0


def test_a_claim_of_unclaimed_funds_to_a_sanctioned_recipient_is_refused():
    net = Net.start()
    claimer = net.relayer
    _, h, record = park(net, NEVER_CREATED, 9 * UNIT, sender=pad(addr.decode(address(claimer))))
    target = addr.encode(bytes([0x77]) * 20)
    sanction(net, target)
    refused = net.tx(claimer, [xtx.MsgClaimUnclaimed(
        signer=address(claimer), message_hash=h, recipient=target)])
    assert (refused.codespace, refused.code) == ("compliance", SANCTIONED_RECIPIENT), refused.log
    assert net.balance(target) == 0 and net.unclaimed(h) == record
    assert net.tx(claimer, [xtx.MsgClaimUnclaimed(
        signer=address(claimer), message_hash=h)]).code == 0

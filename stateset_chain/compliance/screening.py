"""The list and limit checks: who and what may take part where money moves.

An order is screened at creation (``screen_new_order``: refusals are errors), and re-screened
(``screen_order``: a decision, not an error) whenever its money would move later: a payment, a
settlement, a release. A party is sanctioned when its address is on the list now; a destination
is blocked when its country is; an item is restricted when its category is restricted for the
destination country as a whole (region "") or for the destination's region.

Account limits count the outflows of an account that has a limit for the denom: MsgSend and
order payments (``windows.py`` has the day and month arithmetic). An outflow that would take the
day's or the month's volume over the limit is refused; otherwise both windows record it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import Coin
from stateset_chain.compliance import keys, windows
from stateset_chain.compliance.errors import (
    BlockedDestination,
    DailyLimitExceeded,
    MonthlyLimitExceeded,
    OrderFrozen,
    RestrictedItem,
    SanctionedBurnSender,
    SanctionedMintRecipient,
    SanctionedParty,
    SanctionedPayee,
    SanctionedPayer,
    SanctionedRecipient,
    SanctionedRefundRecipient,
    SanctionedSender,
)
from stateset_chain.context import Context
from stateset_chain.store.kv import KVStore
from stateset_chain.timefmt import timestamp

from stateset.compliance.v1.compliance_pb2 import ComplianceDecision, ComplianceStatus, Volume
from stateset.orders.v1.orders_pb2 import Order

if TYPE_CHECKING:
    from stateset_chain.compliance.state import ComplianceKeeper

CLEAR = ComplianceStatus.COMPLIANCE_STATUS_CLEAR
RESTRICTED = ComplianceStatus.COMPLIANCE_STATUS_RESTRICTED
REVIEW = ComplianceStatus.COMPLIANCE_STATUS_REVIEW

RULE_SCREENED = "screened"
RULE_SANCTIONED_PARTY = "sanctioned_party"
RULE_BLOCKED_COUNTRY = "blocked_country"
RULE_RESTRICTED_CATEGORY = "restricted_category"


def decision(ctx: Context, status: int, rule: str, detail: str = "") -> ComplianceDecision:
    return ComplianceDecision(
        status=status, rule=rule, detail=detail, height=ctx.block.height,
        time=timestamp(ctx.block.time_ns),
    )


# -- what an order names --------------------------------------------------------------------


def parties_at_create(order: Order) -> list[tuple[str, str]]:
    """(role, address) of the parties named when the order is created."""
    out = [("customer", order.customer), ("merchant", order.merchant)]
    if order.revenue_split.supplier:
        out.append(("supplier", order.revenue_split.supplier))
    return out


def payees(order: Order) -> list[tuple[str, str]]:
    """Who settlement pays: the merchant, the split's supplier, the platform."""
    out = [("merchant", order.merchant)]
    if order.revenue_split.supplier:
        out.append(("supplier", order.revenue_split.supplier))
    if order.platform_address:
        out.append(("platform", order.platform_address))
    return out


def every_party(order: Order) -> list[tuple[str, str]]:
    out = parties_at_create(order)
    out += [("payer", p.payer) for p in order.payments]
    if order.platform_address:
        out.append(("platform", order.platform_address))
    return out


def first_sanctioned(
    keeper: ComplianceKeeper, store: KVStore, parties: list[tuple[str, str]]
) -> tuple[str, str] | None:
    for role, addr in parties:
        if keeper.is_sanctioned(store, addr):
            return role, addr
    return None


def restricted_item(keeper: ComplianceKeeper, store: KVStore, order: Order) -> str | None:
    """The first item category restricted at the order's destination, as ``CC[/REGION]:cat``."""
    country = order.shipping_address.country
    region = order.shipping_address.region
    if not country:
        return None
    for item in order.items:
        if not item.category:
            continue
        for where in ("", region) if region else ("",):
            if keeper.restricted_categories.has(store, (country, where, item.category)):
                place = f"{country}/{where}" if where else country
                return f"{place}:{item.category}"
    return None


def blocked_destination(keeper: ComplianceKeeper, store: KVStore, order: Order) -> str | None:
    country = order.shipping_address.country
    if country and keeper.blocked_countries.has(store, country):
        return country
    return None


def screening_reads(
    keeper: ComplianceKeeper, parties: list[str], country: str, region: str,
    categories: Iterable[str],
) -> list[bytes]:
    """The keys screening an order reads: each party's sanction, the destination's block and
    each item category's restriction there (what a block reads ahead: store/memo.py)."""
    keys = [keeper.sanctions.store_key(p) for p in parties if p]
    if country:
        keys.append(keeper.blocked_countries.store_key(country))
        for category in categories:
            if category:
                for where in ("", region) if region else ("",):
                    keys.append(keeper.restricted_categories.store_key((country, where, category)))
    return keys


# -- orders ---------------------------------------------------------------------------------


def screen_new_order(keeper: ComplianceKeeper, ctx: Context, order: Order) -> ComplianceDecision:
    """Refuse a new order naming a sanctioned party, a blocked destination or a restricted item;
    else the CLEAR decision recorded on it."""
    hit = first_sanctioned(keeper, ctx.store, parties_at_create(order))
    if hit is not None:
        raise SanctionedParty(f"{hit[0]} {hit[1]} is sanctioned")
    country = blocked_destination(keeper, ctx.store, order)
    if country is not None:
        raise BlockedDestination(f"shipping country {country} is blocked")
    item = restricted_item(keeper, ctx.store, order)
    if item is not None:
        raise RestrictedItem(f"category {item} is restricted")
    return decision(ctx, CLEAR, RULE_SCREENED)


def screen_order(keeper: ComplianceKeeper, ctx: Context, order: Order) -> ComplianceDecision | None:
    """None when the order still passes every check; else the decision that freezes it: REVIEW
    for a sanctioned party (any payer included), RESTRICTED for a blocked destination or a
    restricted item (first match in that order)."""
    hit = first_sanctioned(keeper, ctx.store, every_party(order))
    if hit is not None:
        return decision(ctx, REVIEW, RULE_SANCTIONED_PARTY, f"{hit[0]} {hit[1]}")
    country = blocked_destination(keeper, ctx.store, order)
    if country is not None:
        return decision(ctx, RESTRICTED, RULE_BLOCKED_COUNTRY, country)
    item = restricted_item(keeper, ctx.store, order)
    if item is not None:
        return decision(ctx, RESTRICTED, RULE_RESTRICTED_CATEGORY, item)
    return None


def require_unfrozen(keeper: ComplianceKeeper, ctx: Context, order: Order) -> ComplianceDecision:
    frozen = screen_order(keeper, ctx, order)
    if frozen is not None:
        raise OrderFrozen(f"order {order.id}: {frozen.rule} {frozen.detail}")
    return decision(ctx, CLEAR, RULE_SCREENED)


def check_payment(
    keeper: ComplianceKeeper, ctx: Context, order: Order, payer: str, coin: Coin
) -> None:
    if keeper.is_sanctioned(ctx.store, payer):
        raise SanctionedPayer(f"payer {payer} is sanctioned")
    require_unfrozen(keeper, ctx, order)
    spend(keeper, ctx, payer, coin)


def require_settleable(keeper: ComplianceKeeper, ctx: Context, order: Order) -> None:
    hit = first_sanctioned(keeper, ctx.store, payees(order))
    if hit is not None:
        raise SanctionedPayee(f"{hit[0]} {hit[1]} is sanctioned")
    require_unfrozen(keeper, ctx, order)


def require_refundable(keeper: ComplianceKeeper, ctx: Context, recipients: list[str]) -> None:
    for addr in recipients:
        if keeper.is_sanctioned(ctx.store, addr):
            raise SanctionedRefundRecipient(f"refund recipient {addr} is sanctioned")


# -- bank and cctp --------------------------------------------------------------------------


def check_send(
    keeper: ComplianceKeeper, ctx: Context, sender: str, recipient: str, coins: list[Coin]
) -> None:
    if keeper.is_sanctioned(ctx.store, sender):
        raise SanctionedSender(f"sender {sender} is sanctioned")
    if keeper.is_sanctioned(ctx.store, recipient):
        raise SanctionedRecipient(f"recipient {recipient} is sanctioned")
    for coin in coins:
        spend(keeper, ctx, sender, coin)


def check_mint_recipient(keeper: ComplianceKeeper, ctx: Context, recipient: str) -> None:
    if keeper.is_sanctioned(ctx.store, recipient):
        raise SanctionedMintRecipient(f"mint recipient {recipient} is sanctioned")


def check_burn_sender(
    keeper: ComplianceKeeper, ctx: Context, sender: str, coins: list[Coin]
) -> None:
    """An outbound CCTP burn: the depositor is not sanctioned and the burn is an outflow
    against its limits (like a send)."""
    if keeper.is_sanctioned(ctx.store, sender):
        raise SanctionedBurnSender(f"burn sender {sender} is sanctioned")
    for coin in coins:
        spend(keeper, ctx, sender, coin)


def check_conversion(keeper: ComplianceKeeper, ctx: Context, holder: str) -> None:
    """Stablecoin issue / redeem by ``holder``: a sanctioned account's coins stay as they are
    (no limit: the value stays with the account, SPEC.md "Account limits")."""
    if keeper.is_sanctioned(ctx.store, holder):
        raise SanctionedSender(f"{holder} is sanctioned: its coins cannot be converted")


def check_recipient(keeper: ComplianceKeeper, ctx: Context, recipient: str) -> None:
    """A module paying a user-named local recipient (a claim of unclaimed cross-chain funds)."""
    if keeper.is_sanctioned(ctx.store, recipient):
        raise SanctionedRecipient(f"recipient {recipient} is sanctioned")


# -- limits ---------------------------------------------------------------------------------


def used_in(keeper: ComplianceKeeper, store: KVStore, addr: str, denom: str, window: int,
            number: int) -> int:
    """What ``addr`` sent of ``denom`` in window ``number`` (a day or a month number)."""
    v = keeper.volumes.get(store, (addr, denom, window))
    return v.amount if v is not None and v.bucket == number else 0


def spend(keeper: ComplianceKeeper, ctx: Context, addr: str, coin: Coin) -> None:
    """Check ``coin`` against ``addr``'s limits for its denom and record it; no-op without one."""
    limit = keeper.account_limits.get(ctx.store, (addr, coin.denom))
    if limit is None:
        return
    t = ctx.block.time_seconds
    day, month = windows.day_number(t), windows.month_number(t)
    daily = used_in(keeper, ctx.store, addr, coin.denom, keys.DAILY, day) + coin.amount
    monthly = used_in(keeper, ctx.store, addr, coin.denom, keys.MONTHLY, month) + coin.amount
    if limit.daily and daily > limit.daily:
        raise DailyLimitExceeded(
            f"{addr} would send {daily}{coin.denom} today, the limit is {limit.daily}"
        )
    if limit.monthly and monthly > limit.monthly:
        raise MonthlyLimitExceeded(
            f"{addr} would send {monthly}{coin.denom} this month, the limit is {limit.monthly}"
        )
    keeper.volumes.set(ctx.store, (addr, coin.denom, keys.DAILY), Volume(bucket=day, amount=daily))
    keeper.volumes.set(
        ctx.store, (addr, coin.denom, keys.MONTHLY), Volume(bucket=month, amount=monthly)
    )

"""The standard app: which modules a node runs, in which order, and how they depend on each other.

Order matters twice: genesis runs in this order (auth creates accounts before the bank funds
them), and so do end-block hooks and invariants.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from stateset_chain.app import APP_VERSION, App
from stateset_chain.auth.ante import make_ante, make_ante_reads
from stateset_chain.auth.module import auth_module
from stateset_chain.auth.sigcache import prepare_block
from stateset_chain.auth.state import AuthKeeper
from stateset_chain.auth.tx import NO_LIMITS, DecodedTx, TxLimits, decode_tx
from stateset_chain.bank.module import bank_module
from stateset_chain.bank.state import DEFAULT_MODULE_ACCOUNTS, BankKeeper
from stateset_chain.cctp.keys import CCTP_MODULE_ACCOUNTS
from stateset_chain.cctp.module import cctp_module
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.compliance.module import compliance_module
from stateset_chain.compliance.state import ComplianceKeeper
from stateset_chain.conditional.module import conditional_module
from stateset_chain.conditional.state import CONDITIONAL_MODULE_ACCOUNTS, ConditionalKeeper
from stateset_chain.crosschain.keys import CROSSCHAIN_MODULE_ACCOUNTS
from stateset_chain.crosschain.module import crosschain_module
from stateset_chain.crosschain.state import CrosschainKeeper
from stateset_chain.crypto.sigcache import VERIFIED
from stateset_chain.inventory.module import inventory_module
from stateset_chain.inventory.state import InventoryKeeper
from stateset_chain.module import MsgRoute
from stateset_chain.oracle.module import oracle_module
from stateset_chain.oracle.state import OracleKeeper
from stateset_chain.orders.keys import ORDERS_MODULE_ACCOUNTS
from stateset_chain.orders.module import orders_module
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.pipeline import TxPipeline
from stateset_chain.privacy.module import privacy_module
from stateset_chain.privacy.state import PrivacyKeeper
from stateset_chain.stablecoin.module import stablecoin_module
from stateset_chain.stablecoin.state import StablecoinKeeper
from stateset_chain.store.commit import CommitStore
from stateset_chain.store.kv import KVStore
from stateset_chain.subscriptions.module import subscriptions_module
from stateset_chain.subscriptions.state import SubscriptionsKeeper
from stateset_chain.upgrade.module import upgrade_module
from stateset_chain.upgrade.preblock import check_start
from stateset_chain.upgrade.state import UpgradeHandler, UpgradeKeeper
from stateset_chain.upgrades import UPGRADE_HANDLERS


def module_accounts() -> dict[str, frozenset[str]]:
    """Every module account the bank knows, with its permissions (mint/burn)."""
    return {
        **DEFAULT_MODULE_ACCOUNTS,
        **ORDERS_MODULE_ACCOUNTS,
        **CCTP_MODULE_ACCOUNTS,
        **CROSSCHAIN_MODULE_ACCOUNTS,
        **CONDITIONAL_MODULE_ACCOUNTS,
    }


def open_app(data_dir: str, keep_versions: int = 1, **options) -> App:
    """The node's app over the LevelDB state in ``data_dir`` (at ``state/``), keeping
    ``keep_versions`` versions for queries at past heights (0: all); ``options`` as
    ``standard_app``'s."""
    store = CommitStore.open(os.path.join(data_dir, "state"), keep_versions=keep_versions)
    return standard_app(store, **options)


@dataclass(frozen=True)
class Keepers:
    """The standard app's keepers, each built with everything it depends on."""

    upgrade: UpgradeKeeper
    auth: AuthKeeper
    compliance: ComplianceKeeper
    oracle: OracleKeeper
    bank: BankKeeper
    stablecoin: StablecoinKeeper
    privacy: PrivacyKeeper
    orders: OrdersKeeper
    cctp: CctpKeeper
    crosschain: CrosschainKeeper
    inventory: InventoryKeeper
    conditional: ConditionalKeeper
    subscriptions: SubscriptionsKeeper


def standard_keepers(upgrade_handlers: Sequence[UpgradeHandler] = UPGRADE_HANDLERS) -> Keepers:
    """Every keeper, in dependency order; each gets what it needs at construction, and a module
    that hooks into another attaches itself there in its own constructor (docs/architecture.md,
    "Module dependencies")."""
    upgrade = UpgradeKeeper(upgrade_handlers)
    auth = AuthKeeper()
    # sanctions, restricted goods, account limits and fraud rules, checked by the bank's MsgSend,
    # every order step that moves money, and cctp mints and burns (compliance/SPEC.md)
    compliance = ComplianceKeeper()
    # exchange rates of fiat currencies against USD, fed by feeder accounts and aggregated at
    # end block (stateset_chain/oracle/SPEC.md); read through ``usd_rate``
    oracle = OracleKeeper()
    bank = BankKeeper(auth, module_accounts(), send_guard=compliance)
    stablecoin = StablecoinKeeper(bank, compliance=compliance)
    # sealed personal data on orders must be sealed to registered keys (docs/privacy.md)
    privacy = PrivacyKeeper()
    # orders priced in a fiat currency lock the oracle's rate at payment (orders SPEC "Fiat
    # currencies"); the orders read it through their ExchangeRates protocol
    orders = OrdersKeeper(bank, compliance=compliance, encryption_keys=privacy, rates=oracle)
    cctp = CctpKeeper(bank, compliance=compliance)
    # cross-chain order payments: cctp mints to an order's deposit address pay the order, and
    # refunds of such payments burn back to the payer (stateset_chain/crosschain/SPEC.md);
    # ssUSD orders are paid in ssUSD issued from the minted USDC, and refunded by redeeming it.
    # The keeper attaches itself (CrosschainKeeper._attach): deposit addresses to the bank's
    # blocked addresses, its mint hooks to cctp, its refunder to the orders' hooks.
    crosschain = CrosschainKeeper(bank, orders, cctp, stablecoin, compliance=compliance)
    # tracked SKUs: creating an order reserves them, its status changes commit or release (the
    # keeper attaches itself to the orders' hooks)
    inventory = InventoryKeeper(orders)
    # conditional orders wake on the stock, order statuses and exchange rates they wait on (never
    # a scan; the keeper attaches itself to the orders' status hooks, after the inventory, to the
    # inventory's stock listeners and to the oracle's rate listeners)
    conditional = ConditionalKeeper(bank, orders, inventory, oracle)
    # each billing cycle is an ordinary order, created and paid through the orders module
    subscriptions = SubscriptionsKeeper(orders)
    return Keepers(
        upgrade=upgrade, auth=auth, compliance=compliance, oracle=oracle, bank=bank,
        stablecoin=stablecoin, privacy=privacy, orders=orders, cctp=cctp, crosschain=crosschain,
        inventory=inventory, conditional=conditional, subscriptions=subscriptions,
    )


def standard_app(
    store: CommitStore, *, upgrade_handlers: Sequence[UpgradeHandler] = UPGRADE_HANDLERS,
    layout_version: int = APP_VERSION, without: Collection[str] = (),
) -> App:
    """``upgrade_handlers``: the planned upgrades this binary can apply (stateset_chain/
    upgrades.py); ``layout_version``: the state layout it writes; ``without``: modules left out
    of the app. A test's "previous release" passes other ones (the modules a newer layout
    added left out)."""
    k = standard_keepers(upgrade_handlers)
    others = [
        auth_module(k.auth),
        bank_module(k.bank),
        compliance_module(k.compliance),
        oracle_module(k.oracle),
        stablecoin_module(k.stablecoin),
        privacy_module(k.privacy),
        orders_module(k.orders),
        inventory_module(k.inventory),
        subscriptions_module(k.subscriptions),
        conditional_module(k.conditional),
        cctp_module(k.cctp),
        crosschain_module(k.crosschain),
    ]
    others = [m for m in others if m.name not in without]
    # first: its pre-block step runs before anything reads a block; built with the others, whose
    # consensus versions it records and whose migrations it runs
    modules = [upgrade_module(k.upgrade, others), *others]
    return App(
        store, modules, tx_pipeline(k.auth, k.bank),
        start_check=functools.partial(check_start, k.upgrade), layout_version=layout_version,
    )


def tx_pipeline(auth: AuthKeeper, bank: BankKeeper) -> TxPipeline[DecodedTx]:
    """Decode without message validation (the ante's ``validate_messages`` does it once the
    signers are known), the auth ante chain, and limits from the auth params."""

    def decode(
        raw: bytes, routes: Mapping[str, MsgRoute], limits: TxLimits = NO_LIMITS
    ) -> DecodedTx:
        return decode_tx(raw, routes, limits, validate=False)

    def limits(store: KVStore, max_gas: int) -> TxLimits:
        return TxLimits(max_tx_bytes=auth.params(store).max_tx_bytes, max_gas=max_gas)

    return TxPipeline(
        decode=decode, ante=make_ante(auth, bank), limits=limits, prepare=prepare_block,
        checked=VERIFIED.remember_tx, reads=make_ante_reads(auth, bank),
    )

"""The standard app: which modules a node runs, in which order, and how they depend on each other.

Order matters twice: genesis runs in this order (auth creates accounts before the bank funds
them), and so do end-block hooks and invariants.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping, Sequence

from stateset_chain.app import APP_VERSION, App
from stateset_chain.auth.ante import make_ante
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
from stateset_chain.conditional.engine import Hooks as ConditionalHooks
from stateset_chain.conditional.module import conditional_module
from stateset_chain.conditional.state import CONDITIONAL_MODULE_ACCOUNTS, ConditionalKeeper
from stateset_chain.crosschain.deposit import is_deposit_address
from stateset_chain.crosschain.hook import blocked_mint_hook, mint_hook
from stateset_chain.crosschain.keys import CROSSCHAIN_MODULE_ACCOUNTS
from stateset_chain.crosschain.module import crosschain_module
from stateset_chain.crosschain.refunder import CctpRefunder
from stateset_chain.crosschain.state import CrosschainKeeper
from stateset_chain.crypto.sigcache import VERIFIED
from stateset_chain.inventory.module import inventory_module
from stateset_chain.inventory.state import InventoryKeeper
from stateset_chain.module import MsgRoute
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


def standard_app(
    store: CommitStore, *, upgrade_handlers: Sequence[UpgradeHandler] = UPGRADE_HANDLERS,
    layout_version: int = APP_VERSION,
) -> App:
    """``upgrade_handlers``: the planned upgrades this binary can apply (stateset_chain/
    upgrades.py); ``layout_version``: the state layout it writes. A test's "previous release"
    passes other ones."""
    upgrade = UpgradeKeeper(upgrade_handlers)
    auth = AuthKeeper()
    # sanctions, restricted goods, account limits and fraud rules, checked by the bank's MsgSend,
    # every order step that moves money, and cctp mints and burns (compliance/SPEC.md)
    compliance = ComplianceKeeper()
    # nobody holds a deposit address's key: a user send there would strand the coins
    bank = BankKeeper(
        auth,
        module_accounts(),
        blocked_predicates={"an order deposit address": is_deposit_address},
        send_guard=compliance,
    )
    stablecoin = StablecoinKeeper(bank)
    orders = OrdersKeeper(bank, compliance=compliance)
    privacy = PrivacyKeeper()
    # sealed personal data on orders must be sealed to registered keys (docs/privacy.md)
    orders.encryption_keys = privacy
    cctp = CctpKeeper(bank, compliance=compliance)
    # cross-chain order payments: cctp mints to an order's deposit address pay the order, and
    # refunds of such payments burn back to the payer (stateset_chain/crosschain/SPEC.md);
    # ssUSD orders are paid in ssUSD issued from the minted USDC, and refunded by redeeming it
    crosschain = CrosschainKeeper(bank, orders, cctp, stablecoin)
    cctp.on_mint = mint_hook(crosschain)
    cctp.hook_recipients = is_deposit_address  # the only blocked recipients a mint may pay
    cctp.on_blocked_mint = blocked_mint_hook(crosschain)  # any other is parked for its sender
    orders.cross_chain_refunder = CctpRefunder(crosschain)
    # tracked SKUs: creating an order reserves them, its status changes commit or release
    inventory = InventoryKeeper(orders)
    orders.stock = inventory
    orders.status_hooks.append(inventory)
    # conditional orders wake on the stock and order statuses they wait on (never a scan)
    conditional = ConditionalKeeper(bank, orders)
    conditional.inventory = inventory
    hooks = ConditionalHooks(conditional)
    orders.status_hooks.append(hooks)
    inventory.stock_listeners.append(hooks.on_stock)
    # each billing cycle is an ordinary order, created and paid through the orders module
    subscriptions = SubscriptionsKeeper(bank, orders)
    modules = [
        upgrade_module(upgrade),  # first: its pre-block step runs before anything reads a block
        auth_module(auth),
        bank_module(bank),
        compliance_module(compliance),
        stablecoin_module(stablecoin),
        privacy_module(privacy),
        orders_module(orders),
        inventory_module(inventory),
        subscriptions_module(subscriptions),
        conditional_module(conditional),
        cctp_module(cctp),
        crosschain_module(crosschain),
    ]
    upgrade.modules = modules
    return App(
        store, modules, tx_pipeline(auth, bank),
        start_check=functools.partial(check_start, upgrade), layout_version=layout_version,
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
        checked=VERIFIED.remember_tx,
    )

"""The orders test chain with the compliance module wired as wiring.py wires it: the orders
keeper, the bank's MsgSend and the compliance messages all see one ComplianceKeeper."""

from __future__ import annotations

from dataclasses import dataclass, field

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank.module import bank_module
from stateset_chain.compliance import genesis as compliance_genesis
from stateset_chain.compliance.module import compliance_module
from stateset_chain.compliance.state import ComplianceKeeper
from stateset_chain.context import BlockInfo
from stateset_chain.crypto import address
from stateset_chain.events import EventManager
from stateset_chain.orders import genesis
from stateset_chain.orders.module import orders_module
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.store.kv import Branch, MemoryKV
from tests.bank.helpers import fund
from tests.orders import helpers as oh

from stateset.compliance.v1 import tx_pb2 as ctx_tx

CUSTOMER, MERCHANT, STRANGER = oh.CUSTOMER, oh.MERCHANT, oh.STRANGER
AUTHORITY = oh.AUTHORITY  # the orders authority; also the chain authority of compliance here
OFFICER = address.encode(bytes([20]) * 20)  # the compliance authority
SUPPLIER = oh.SUPPLIER
UNIT = oh.UNIT
DAY = oh.DAY


@dataclass
class CChain(oh.Chain):
    compliance_genesis: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.store = MemoryKV()
        self.bank = oh.new_bank()
        self.compliance = ComplianceKeeper()
        self.bank.send_guard = self.compliance
        self.keeper = OrdersKeeper(self.bank, compliance=self.compliance)
        self.module = orders_module(self.keeper)
        self.cmodule = compliance_module(self.compliance)
        self.routes = {
            r.msg_cls: r
            for r in self.module.msgs + self.cmodule.msgs + bank_module(self.bank).msgs
        }
        self.block = BlockInfo(1, oh.START_NS, oh.CHAIN_ID)
        self.events: list = []
        ctx = self.ctx()
        fund(self.bank, ctx, self.holdings)
        data = {"params": {"authority": AUTHORITY, "compliance_authority": OFFICER}}
        data.update(self.compliance_genesis)
        if "params" in self.compliance_genesis:
            data["params"] = {
                "authority": AUTHORITY, "compliance_authority": OFFICER,
                **self.compliance_genesis["params"],
            }
        compliance_genesis.init_genesis(self.compliance, ctx, data)
        genesis.init_genesis(self.keeper, ctx, {"params": self.params})

    def check_invariants(self) -> None:
        super().check_invariants()
        for check in self.cmodule.invariants:
            check(self.ctx())

    def advance(self, seconds: int = 5) -> None:
        later = self.block.time_ns + seconds * 10**9
        self.block = BlockInfo(self.block.height + 1, later, oh.CHAIN_ID)
        events = EventManager()
        block = Branch(self.store)
        # the module order of wiring.py: compliance's end block (the freeze queue) first
        self.cmodule.end_block(self.ctx(block, events=events))
        self.module.end_block(self.ctx(block, events=events))
        self._end(block)
        self.events = events.events

    # -- compliance actions ---------------------------------------------------------------

    def sanction(self, addr: str, source: str = "OFAC SDN") -> None:
        self.deliver(ctx_tx.MsgAddSanction(
            signer=OFFICER, address=addr, reason="listed", list_source=source
        ))

    def unsanction(self, addr: str) -> None:
        self.deliver(ctx_tx.MsgRemoveSanction(signer=OFFICER, address=addr, reason="delisted"))

    def fraud_params(self, **fraud) -> None:
        p = self.compliance.params(self.store)
        from google.protobuf import json_format

        json_format.ParseDict(fraud, p.fraud)
        self.deliver(ctx_tx.MsgUpdateParams(authority=AUTHORITY, params=p))

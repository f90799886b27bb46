"""What a handler sees: the store view, the block it runs in, gas and events."""

from __future__ import annotations

from dataclasses import dataclass, field

from stateset_chain.events import EventManager
from stateset_chain.gas import GasMeter
from stateset_chain.store.kv import KVStore

# slots: a Context (and its meter) is built for every transaction and read at every store access.


@dataclass(slots=True)
class BlockInfo:
    height: int
    time_ns: int  # block time from the header, unix nanoseconds: the only clock
    chain_id: str

    @property
    def time_seconds(self) -> int:
        return self.time_ns // 1_000_000_000


@dataclass(slots=True)
class Context:
    store: KVStore
    block: BlockInfo
    gas: GasMeter = field(default_factory=lambda: GasMeter(None))
    events: EventManager = field(default_factory=EventManager)
    is_check_tx: bool = False
    is_simulate: bool = False

    def with_store(self, store: KVStore) -> Context:
        return Context(store, self.block, self.gas, self.events, self.is_check_tx, self.is_simulate)

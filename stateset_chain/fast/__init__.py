"""Fast paths, kept apart from the readable code they replace (execution-specs' rule).

The readable implementation of each name below is the reference: it stays in its module, where
a reader looks for it, and says what the name means. The fast one lives in this package under
the same name, and the readable module ends with ``install(globals(), <fast module>)``, which
rebinds each name the fast module lists in ``REPLACES`` and keeps the reference in
``REFERENCES``. tests/fast/ holds every pair to the same bytes, so a result never depends on
which one ran; only speed does.

    module          names                              what makes it faster
    events          typed_attributes                   a JSON writer compiled per message type
    abci.events     encode_event, encode_event_into    event bytes written in one compiled call
                                                       (native/src/events.rs), else by hand
    bank.events     coins_transferred_attributes       the JSON written directly, no message
    gas             GasKV                              the meter charged inline; the tx's and the
                                                       block's write sets read and written directly
    store.collections Map                              the key cache looked up inline
    crypto.address  encode, decode                     memoized (bech32 is ~40 µs in Python)
    store.kv        Branch                             keys sorted lazily, a tx branch reads
                                                       the block's without a call
    crypto.hashes   keccak256                          one compiled call (native/), no hash
                                                       object built in Python

A fast module imports its reference module (the fallback for what it does not handle), so it
is loaded by that module's ``install`` call, never imported first on its own.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

# "<module>.<name>" -> the readable implementation a fast one replaced.
REFERENCES: dict[str, Any] = {}


def install(namespace: dict[str, Any], fast: ModuleType) -> None:
    """Rebinds, in the module whose globals are ``namespace``, every name ``fast.REPLACES``
    lists to ``fast``'s implementation, keeping the readable one in ``REFERENCES``."""
    module = namespace["__name__"]
    for name in fast.REPLACES:
        REFERENCES[f"{module}.{name}"] = namespace[name]
        namespace[name] = getattr(fast, name)


def reference(module: ModuleType, name: str) -> Any:
    """The readable implementation of ``module.name`` (the name itself when nothing replaced
    it)."""
    return REFERENCES.get(f"{module.__name__}.{name}", getattr(module, name))

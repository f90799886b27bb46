"""Addresses no user may send coins to, beyond the declared module accounts.

The bank owns the registry (``BankKeeper.blocked_addresses``); a module that defines a class of
addresses nobody holds a key for registers a predicate for it while the app is built (the
crosschain module: an order's deposit address, ``CrosschainKeeper.__init__``). A predicate reads
only the raw address bytes (no store, no state), so a check is a pure function of the address.
Rules are checked in registration order; the first that matches gives the refusal's wording.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

# Recognises a class of addresses from the raw address bytes alone (no store, no state).
AddressPredicate = Callable[[bytes], bool]


class BlockedAddresses:
    """``{description: predicate}`` in registration order; the description completes
    "<address> is ..." in the refusal's log (e.g. "an order deposit address")."""

    def __init__(self, rules: Mapping[str, AddressPredicate] | None = None) -> None:
        self._rules: dict[str, AddressPredicate] = {}
        for description, predicate in (rules or {}).items():
            self.register(description, predicate)

    def register(self, description: str, predicate: AddressPredicate) -> None:
        if self._rules.get(description, predicate) is not predicate:
            raise ValueError(f"blocked addresses {description!r} registered twice")
        self._rules[description] = predicate

    def reason(self, raw: bytes) -> str | None:
        """The description of the first rule ``raw`` matches, or None."""
        for description, matches in self._rules.items():
            if matches(raw):
                return description
        return None

    def __iter__(self) -> Iterator[tuple[str, AddressPredicate]]:
        return iter(self._rules.items())

"""Splitting a list of events into the typed ones (``stateset.bank.v1.CoinsTransferred``) and the
plain Cosmos ones (``coin_spent``, ``transfer``, ``order``, ...): typed types have a package."""

from __future__ import annotations


def typed_events(events) -> list:
    return [e for e in events if "." in e.type]


def plain_events(events) -> list:
    return [e for e in events if "." not in e.type]


def plain_attributes(event) -> dict[str, str]:
    return {a.key: a.value for a in event.attributes}

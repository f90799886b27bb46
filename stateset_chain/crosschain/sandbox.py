"""Try a step on a branch of the context's store, keeping it only if it succeeds.

The hook must not fail the receive for a business refusal (the order cannot take the payment),
and a refund must not fail the order's refund because the burn cannot be sent now. Both try the
step on a ``Branch`` with its own event list: on success the writes and events are kept, on a
refusal from one of the named codespaces both are dropped and the refusal is returned. Any other
error (out of gas, a bank error that signals a bug) propagates and fails the whole message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from stateset_chain.context import Context
from stateset_chain.errors import ChainError
from stateset_chain.events import EventManager
from stateset_chain.store.kv import Branch

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """Either the step's value (kept) or the refusal (nothing kept)."""

    value: T | None = None
    refusal: ChainError | None = None


def attempt(ctx: Context, step: Callable[[Context], T], codespaces: frozenset[str]) -> Outcome[T]:
    branch = Branch(ctx.store)
    events = EventManager()
    sub = Context(branch, ctx.block, ctx.gas, events, ctx.is_check_tx, ctx.is_simulate)
    try:
        value = step(sub)
    except ChainError as e:
        if e.codespace not in codespaces:
            raise
        return Outcome(refusal=e)
    branch.write()
    for event in events.events:
        ctx.events.emit_raw(event)
    return Outcome(value=value)


def describe(error: ChainError | None) -> str:
    """``codespace/code: log`` of a refusal, as recorded on unclaimed funds."""
    if error is None:
        return ""
    return f"{error.codespace}/{error.code}: {error.log}"

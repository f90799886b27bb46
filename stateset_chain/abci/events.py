"""The core's events (``stateset_chain.events``) on the wire: ``tendermint.abci.Event``.

The core emits plain ``Event`` values (a type and (key, value) attributes, all indexed). Here they
become protobuf ``abci.Event``s (``to_proto``, ``write_events``: failed tx results and block
events) or their bytes directly (``encode_events_into``: successful tx results, thousands of
attributes per block). ``encode_event`` and ``encode_event_into`` below are the reference (the
protobuf message serialized); the names are the hand-written writers of
``stateset_chain/fast/event_bytes.py`` (tests/fast/test_event_bytes.py: the same bytes).
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.events import Event, EventManager
from stateset_chain.protowire import encode_varint

from tendermint.abci import types_pb2 as abci

Extra = tuple[tuple[str, str], ...]


def to_proto(event: Event, extra: Extra = ()) -> abci.Event:
    """``event`` as an ``abci.Event``, every attribute indexed, then the ``extra`` ones."""
    return abci.Event(
        type=event.type,
        attributes=[
            abci.EventAttribute(key=k, value=v, index=True)
            for k, v in (*event.attributes, *extra)
        ],
    )


def write_events(manager: EventManager, out, extra: Extra = ()) -> None:
    """Appends every event of ``manager`` to ``out`` (a repeated ``abci.Event`` field), each
    followed by the indexed ``extra`` attributes (the app's ``msg_index``)."""
    for type_, attributes in manager.emitted():
        add = out.add(type=type_).attributes.add
        for key, value in attributes:
            add(key=key, value=value, index=True)
        for key, value in extra:
            add(key=key, value=value, index=True)


def encode_events_into(
    manager: EventManager, out: list[bytes], tag: bytes, extra: Extra = ()
) -> None:
    """Appends to ``out`` every event of ``manager`` as a length-delimited field ``tag`` (e.g.
    ``ExecTxResult.events``), each followed by the indexed ``extra`` attributes: what
    ``write_events`` would add, serialized."""
    for type_, attributes in manager.emitted():
        encode_event_into(out, tag, type_, attributes, extra)


def encode_event(type_: str, attributes, extra: Extra = ()) -> bytes:
    """The wire bytes of ``abci.Event(type=type_, attributes=[EventAttribute(key, value,
    index=True) for each (key, value) of attributes, then extra])``."""
    return to_proto(Event(type_, attributes), extra).SerializeToString(deterministic=True)


def encode_event_into(out: list[bytes], tag: bytes, type_: str, attributes, extra=()) -> None:
    """Appends to ``out`` the pieces of ``encode_event(...)`` as a length-delimited field
    ``tag`` (e.g. ``ExecTxResult.events``); the caller joins them once."""
    data = encode_event(type_, attributes, extra)
    out.append(tag + encode_varint(len(data)))
    out.append(data)


# -- fast paths ----------------------------------------------------------------------------------
# The same names, faster (stateset_chain/fast/event_bytes.py); the definitions above are the
# reference.
from stateset_chain import fast as _fast  # noqa: E402
from stateset_chain.fast import event_bytes as _fast_event_bytes  # noqa: E402

_fast.install(globals(), _fast_event_bytes)

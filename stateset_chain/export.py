"""Export: the whole committed state as a genesis document a new chain starts from.

``statesetd export --home H`` reads a stopped node's database and writes what the SDK's
``simd export`` writes: a CometBFT genesis whose ``app_state`` holds every module's genesis
(``Module.export_genesis``) at the last height or a past one the node kept (``statesetd start
--keep-versions``), with ``initial_height`` = the exported height + 1, the chain id the state
records, and the validators and consensus params of the genesis the node runs (the app never
changes either: it returns no validator updates and no consensus param updates, so they are still
the genesis file's; the block gas limit is the one the app recorded at InitChain). A past height
before a planned upgrade is in another layout: it is refused (export it with that binary).

The contract, tested for the whole app (``tests/app/test_export.py``) and per module: InitChain
with the exported genesis writes exactly the state that was exported, every consensus key and
every node-local index, so the new chain's first app hash is the exported height's, and every
query answers the same.

A streamed list (``Module.genesis_streams``: the orders) whose JSON reaches
``genesisjson.FILE_THRESHOLD_BYTES`` is written to a file beside the genesis and named in it by
its SHA-256 (``split_large_lists``; ``statesetd export --output``), so that CometBFT's InitChain
request stays small; copy that file into the new chain's ``config/`` with the genesis.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

from stateset_chain import genesisjson
from stateset_chain.app import STATE_VERSION, App
from stateset_chain.context import BlockInfo, Context
from stateset_chain.store.commit import CommittedView
from stateset_chain.store.kv import Branch
from stateset_chain.store.versions import HeightUnavailable


class ExportError(Exception):
    """The state cannot be exported as asked (a height the store does not hold, a module that
    imports genesis but cannot export it)."""


def committed_view(app: App, height: int | None = None) -> CommittedView:
    """The committed state at ``height`` (None: the last one), in this binary's layout."""
    if app.store.last_height == 0:
        raise ExportError("nothing is committed yet: there is no state to export")
    try:
        view = app.store.view_at(height or 0)
    except HeightUnavailable as e:
        raise ExportError(str(e)) from None
    layout = STATE_VERSION.get(view.state) or 1
    if layout != app.layout_version:
        # a height before a planned upgrade: this binary's modules read another layout
        raise ExportError(
            f"the state at height {view.height} is in layout {layout}; this binary reads "
            f"{app.layout_version}: export it with the binary of that layout"
        )
    return view


def export_app_state(app: App, height: int | None = None) -> dict[str, Any]:
    """Every module's genesis, in module order, from the committed state at ``height`` (None:
    the last one; a past height needs the node to have kept it, ``--keep-versions``)."""
    view = committed_view(app, height)
    ctx = Context(Branch(view.state), BlockInfo(view.height, 0, app.chain_id(view.state)))
    state: dict[str, Any] = {}
    for m in app.modules:
        if m.init_genesis is None:
            continue
        if m.export_genesis is None:
            raise ExportError(f"module {m.name} imports genesis but has no export")
        state[m.name] = m.export_genesis(ctx)
    return state


def export_genesis(app: App, base: dict[str, Any], height: int | None = None) -> dict[str, Any]:
    """The genesis document of a chain that continues ``app``'s state at ``height`` (None: the
    last committed one). ``base`` is the genesis the node was started from: its genesis time,
    validators and consensus params are kept."""
    view = committed_view(app, height)
    chain_id = app.chain_id(view.state)
    if base.get("chain_id") not in (None, chain_id):
        raise ExportError(
            f"the genesis given is of chain {base.get('chain_id')!r}; the state is of {chain_id!r}"
        )
    params = copy.deepcopy(base.get("consensus_params") or {})
    block = params.setdefault("block", {})
    block["max_gas"] = str(app.block_max_gas or -1)
    return {
        "genesis_time": base.get("genesis_time", "1970-01-01T00:00:00Z"),
        "chain_id": chain_id,
        "initial_height": str(view.height + 1),
        "consensus_params": params,
        "validators": copy.deepcopy(base.get("validators") or []),
        "app_hash": "",
        "app_state": export_app_state(app, view.height),
    }


def split_large_lists(
    app: App,
    app_state: dict[str, Any],
    directory: Path,
    stem: str,
    threshold: int = genesisjson.FILE_THRESHOLD_BYTES,
) -> list[Path]:
    """Moves each streamed list of ``app_state`` (``Module.genesis_streams``) whose JSON is at
    least ``threshold`` bytes into ``directory / "<stem>.<module>.<field>.json"`` and names the
    file in its place by its path (relative: the genesis file's directory) and SHA-256
    (stateset_chain/genesisjson.py); returns the files written."""
    written = []
    for m in app.modules:
        section = app_state.get(m.name)
        for name in m.genesis_streams:
            listed = section.get(name) if isinstance(section, dict) else None
            if not isinstance(listed, list):
                continue
            path = directory / f"{stem}.{m.name}.{name}.json"
            partial = path.with_name(path.name + ".partial")
            size, digest = genesisjson.write_list_file(listed, partial)
            if size < threshold:
                partial.unlink()
                continue
            os.replace(partial, path)
            section[name] = {"path": path.name, "sha256": digest}  # type: ignore[index]
            written.append(path)
    return written

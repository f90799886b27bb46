//! The compiled core of stateset-chain's storage path.
//!
//! `smt_update` is the batch update of the sparse Merkle tree specified (and implemented, as the
//! readable reference) in `stateset_chain/store/smt.py`: the same tree, the same node layout and
//! the same node writes, so the app hash does not depend on which implementation a node runs.
//! `NodeCache` is the committed-node cache of `stateset_chain/store/commit.py` (the whole top of
//! the tree, plus a bounded two-generation cache of deeper nodes), kept here so that a tree walk
//! costs no Python call for a cached node. `encode_event` writes the bytes of a tx result's
//! events (`stateset_chain/events.py`'s `encode_event`; the fast path of `fast/events.py`).
//! `keccak256` is CCTP's hash (`stateset_chain/crypto/hashes.py`; the fast path of
//! `fast/keccak.py`) in one call, with no hash object built in Python. `OrderIndexLayout.writes`
//! computes a block's node-local order index writes (`stateset_chain/orders/index/derive.py`;
//! `OrderIndex` in `indexes.py` is the reference) from compact rows of its changed orders.
//!
//! One module per concern:
//!
//! | module     | what                                                                  | mirrors (smt.py / commit.py)   |
//! |------------|-----------------------------------------------------------------------|--------------------------------|
//! | `node`     | node bytes, leaf and inner hashes, positions and their stored keys    | `Leaf`, `Inner`, `decode_node`, `node_key` |
//! | `cache`    | the committed-node cache (top levels in full, two generations below)  | `commit.node_cache`            |
//! | `tree`     | the walk over the changed paths, node writes in first-write order     | `_update`, `_build`            |
//! | `batch`    | one batch: hash, sort, refuse duplicates, walk from the root          | `update`                       |
//! | `events`   | the wire bytes of an ABCI event with indexed attributes               | `events.encode_event` (+ fast/) |
//! | `order_index` | a block's order index writes: entries, counters and histogram keys    | `orders/index/indexes.py`, `histogram.py` (via `derive.py`) |
//! | `bindings` | the Python face (`smt_update`, `NodeCache`'s methods, `keccak256`): conversion only |                  |

mod batch;
mod bindings;
mod cache;
mod events;
mod node;
mod order_index;
mod tree;

use pyo3::prelude::*;

#[pymodule]
fn stateset_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    bindings::register(m)
}

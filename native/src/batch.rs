//! One batch of changes applied to the tree: `stateset_chain/store/smt.py`'s `update` (hash the
//! keys and values, sort by key hash, refuse duplicates, walk the changed paths from the root).

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::node::{hash_of, sha256, Hash, Pos};
use crate::tree::{Change, Loader, NodeWrite, Updater};

/// `(root, node writes in first-write order)` after applying `(key, value | None)` changes (keys
/// unique) to the tree whose committed nodes `loader` returns. Nothing is persisted.
pub fn apply(
    py: Python<'_>,
    loader: Loader<'_, '_>,
    changes: &[(&[u8], Option<&[u8]>)],
) -> PyResult<(Hash, Vec<NodeWrite>)> {
    let mut items: Vec<Change> = changes
        .iter()
        .map(|(k, v)| (sha256(k), v.map(sha256)))
        .collect();
    items.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    if items.windows(2).any(|w| w[0].0 == w[1].0) {
        return Err(PyValueError::new_err("duplicate key in one update"));
    }
    let mut up = Updater::new(py, loader, items.len() * 24);
    let root_node = up.load(Pos::ROOT)?;
    let root = up.update(Pos::ROOT, root_node, &items)?;
    Ok((hash_of(&root), up.writes))
}

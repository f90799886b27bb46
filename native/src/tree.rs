//! The walk of one batch update over the changed paths: `stateset_chain/store/smt.py`'s
//! `_update` and `_build`, in the same order, so the node writes (keys, bytes and first-write
//! order) are the reference's.

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use rustc_hash::FxHashMap;

use crate::cache::NodeCache;
use crate::node::{bit, hash_of, key_len, Encoded, Hash, Node, NodeKey, Pos, EMPTY};

/// Where committed nodes come from: the compiled cache, or any Python `load(node_key)`.
pub enum Loader<'a, 'py> {
    Cache(&'a NodeCache),
    Callable(&'a Bound<'py, PyAny>),
}

/// One side of an inner node during an update: unchanged (known by its hash) or rebuilt.
#[derive(Clone, Copy)]
enum Side {
    Unchanged(Hash),
    Rebuilt(Option<Node>),
}

impl Side {
    fn hash(&self) -> Hash {
        match self {
            Side::Unchanged(h) => *h,
            Side::Rebuilt(n) => hash_of(n),
        }
    }
}

/// (key hash, value hash or None for a delete)
pub type Change = (Hash, Option<Hash>);

/// A node write: its fixed-size key, its depth, its bytes (None: deleted).
pub type NodeWrite = (NodeKey, u16, Option<Encoded>);

pub struct Updater<'a, 'py> {
    py: Python<'py>,
    loader: Loader<'a, 'py>,
    pub writes: Vec<NodeWrite>,
    index: FxHashMap<NodeKey, usize>,
}

impl<'a, 'py> Updater<'a, 'py> {
    pub fn new(py: Python<'py>, loader: Loader<'a, 'py>, expected_writes: usize) -> Self {
        Updater {
            py,
            loader,
            writes: Vec::with_capacity(expected_writes),
            index: FxHashMap::default(),
        }
    }

    pub fn load(&mut self, pos: Pos) -> PyResult<Option<Node>> {
        let key = pos.key();
        let raw = match &self.loader {
            Loader::Cache(cache) => cache.load(self.py, &key, pos.depth)?,
            Loader::Callable(f) => {
                let r = f.call1((PyBytes::new(self.py, &key[..key_len(pos.depth)]),))?;
                if r.is_none() {
                    return Ok(None);
                }
                return Node::decode(r.downcast::<PyBytes>()?.as_bytes()).map(Some);
            }
        };
        raw.map(|v| Node::decode(&v)).transpose()
    }

    /// A dict's semantics: the last value wins, the first write fixes the order.
    fn write(&mut self, pos: Pos, value: Option<Encoded>) {
        let key = pos.key();
        match self.index.get(&key) {
            Some(&i) => self.writes[i].2 = value,
            None => {
                self.index.insert(key, self.writes.len());
                self.writes.push((key, pos.depth, value));
            }
        }
    }

    /// The new node at `pos`, where `node` is stored now and `items` are the changes under it
    /// (sorted by key hash): smt.py's `_update`.
    pub fn update(
        &mut self,
        pos: Pos,
        node: Option<Node>,
        items: &[Change],
    ) -> PyResult<Option<Node>> {
        if items.is_empty() {
            return Ok(node);
        }
        let (left, right) = match node {
            Some(Node::Inner { left, right }) => (left, right),
            _ => {
                let leaves = merge_leaves(node, items);
                let new = self.build(pos, &leaves);
                if new.is_none() && node.is_some() {
                    self.write(pos, None);
                }
                return Ok(new);
            }
        };
        let split = items.partition_point(|it| bit(&it.0, pos.depth) == 0);
        let mut sides = [Side::Unchanged(left), Side::Unchanged(right)];
        for (side, part) in [(0u8, &items[..split]), (1u8, &items[split..])] {
            if part.is_empty() {
                continue;
            }
            let child_pos = pos.child(side);
            let child_hash = sides[side as usize].hash();
            let child = if child_hash == EMPTY { None } else { self.load(child_pos)? };
            sides[side as usize] = Side::Rebuilt(self.update(child_pos, child, part)?);
        }
        let hashes = [sides[0].hash(), sides[1].hash()];
        if hashes[0] == EMPTY && hashes[1] == EMPTY {
            self.write(pos, None);
            return Ok(None);
        }
        if hashes[0] == EMPTY || hashes[1] == EMPTY {
            let side: u8 = if hashes[0] == EMPTY { 1 } else { 0 };
            let child_pos = pos.child(side);
            let only = match sides[side as usize] {
                Side::Unchanged(_) => self.load(child_pos)?,
                Side::Rebuilt(n) => n,
            };
            if let Some(leaf @ Node::Leaf { .. }) = only {
                // a lone leaf moves up to the shallowest unique depth
                self.write(child_pos, None);
                self.write(pos, Some(leaf.encode()));
                return Ok(only);
            }
        }
        let inner = Node::Inner { left: hashes[0], right: hashes[1] };
        self.write(pos, Some(inner.encode()));
        Ok(Some(inner))
    }

    /// Writes the canonical subtree holding exactly `leaves` at `pos`: smt.py's `_build`.
    fn build(&mut self, pos: Pos, leaves: &[(Hash, Hash)]) -> Option<Node> {
        match leaves {
            [] => None,
            [(key_hash, value_hash)] => {
                let leaf = Node::Leaf { key_hash: *key_hash, value_hash: *value_hash };
                self.write(pos, Some(leaf.encode()));
                Some(leaf)
            }
            _ => {
                let split = leaves.partition_point(|it| bit(&it.0, pos.depth) == 0);
                let left = self.build(pos.child(0), &leaves[..split]);
                let right = self.build(pos.child(1), &leaves[split..]);
                let inner = Node::Inner { left: hash_of(&left), right: hash_of(&right) };
                self.write(pos, Some(inner.encode()));
                Some(inner)
            }
        }
    }
}

/// The leaves of a subtree that is empty or one leaf, after `items` (sorted) are applied.
fn merge_leaves(node: Option<Node>, items: &[Change]) -> Vec<(Hash, Hash)> {
    let mut existing = match node {
        Some(Node::Leaf { key_hash, value_hash }) => Some((key_hash, value_hash)),
        _ => None,
    };
    let mut out = Vec::with_capacity(items.len() + 1);
    for (key_hash, value_hash) in items {
        if let Some(ex) = existing {
            if ex.0 < *key_hash {
                out.push(ex);
                existing = None;
            } else if ex.0 == *key_hash {
                existing = None; // replaced or deleted
            }
        }
        if let Some(v) = value_hash {
            out.push((*key_hash, *v));
        }
    }
    if let Some(ex) = existing {
        out.push(ex);
    }
    out
}

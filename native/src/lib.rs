//! The compiled core of stateset-chain's storage path.
//!
//! `smt_update` is the batch update of the sparse Merkle tree specified (and implemented, as the
//! readable reference) in `stateset_chain/store/smt.py`: the same tree, the same node layout and
//! the same node writes, so the app hash does not depend on which implementation a node runs.
//! `NodeCache` is the committed-node cache of `stateset_chain/store/commit.py` (the whole top of
//! the tree, plus a bounded two-generation cache of deeper nodes), kept here so that a tree walk
//! costs no Python call for a cached node.
//!
//! Positions: a node at `depth` on the path `p` (the first `depth` bits of a key's sha256, the
//! rest zero) is stored under `u16 depth || p[..ceil(depth / 8)]`. A node is 65 bytes: `0x00 ||
//! key_hash || value_hash` (a leaf) or `0x01 || left || right` (an inner node).

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::{PyBytes, PyDict};
use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};
use std::sync::Mutex;

type Hash = [u8; 32];
type Encoded = [u8; 65];
/// `u16 depth || path`, zero-padded to a fixed size; only the first `key_len(depth)` bytes are
/// the stored key (the padding is zero, so the fixed-size form is unambiguous).
type NodeKey = [u8; 34];

const EMPTY: Hash = [0u8; 32];
const NODE_LEAF: u8 = 0;
const NODE_INNER: u8 = 1;

fn sha256(data: &[u8]) -> Hash {
    Sha256::digest(data).into()
}

fn leaf_hash(key_hash: &Hash, value_hash: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(key_hash);
    h.update(value_hash);
    h.finalize().into()
}

fn inner_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The branch taken at `depth`: 0 = left, 1 = right (most significant bit first).
#[inline]
fn bit(path: &Hash, depth: u16) -> u8 {
    (path[(depth >> 3) as usize] >> (7 - (depth & 7))) & 1
}

#[inline]
fn key_len(depth: u16) -> usize {
    2 + (depth as usize).div_ceil(8)
}

#[derive(Clone, Copy)]
enum Node {
    Leaf { key_hash: Hash, value_hash: Hash },
    Inner { left: Hash, right: Hash },
}

impl Node {
    fn hash(&self) -> Hash {
        match self {
            Node::Leaf { key_hash, value_hash } => leaf_hash(key_hash, value_hash),
            Node::Inner { left, right } => inner_hash(left, right),
        }
    }

    fn encode(&self) -> Encoded {
        let mut out = [0u8; 65];
        let (tag, a, b) = match self {
            Node::Leaf { key_hash, value_hash } => (NODE_LEAF, key_hash, value_hash),
            Node::Inner { left, right } => (NODE_INNER, left, right),
        };
        out[0] = tag;
        out[1..33].copy_from_slice(a);
        out[33..65].copy_from_slice(b);
        out
    }

    fn decode(data: &[u8]) -> PyResult<Node> {
        if data.len() != 65 || (data[0] != NODE_LEAF && data[0] != NODE_INNER) {
            return Err(PyValueError::new_err(format!(
                "corrupt tree node ({} bytes)",
                data.len()
            )));
        }
        let a: Hash = data[1..33].try_into().unwrap();
        let b: Hash = data[33..65].try_into().unwrap();
        Ok(if data[0] == NODE_LEAF {
            Node::Leaf { key_hash: a, value_hash: b }
        } else {
            Node::Inner { left: a, right: b }
        })
    }
}

fn hash_of(node: &Option<Node>) -> Hash {
    node.as_ref().map_or(EMPTY, Node::hash)
}

/// A position in the tree: a depth and the path to it (bits at and below `depth` are zero).
#[derive(Clone, Copy)]
struct Pos {
    depth: u16,
    path: Hash,
}

impl Pos {
    const ROOT: Pos = Pos { depth: 0, path: EMPTY };

    fn key(&self) -> NodeKey {
        let mut k = [0u8; 34];
        k[..2].copy_from_slice(&self.depth.to_be_bytes());
        let n = key_len(self.depth) - 2;
        k[2..2 + n].copy_from_slice(&self.path[..n]);
        k
    }

    fn child(&self, side: u8) -> Pos {
        let mut path = self.path;
        if side == 1 {
            path[(self.depth >> 3) as usize] |= 0x80 >> (self.depth & 7);
        }
        Pos { depth: self.depth + 1, path }
    }
}

fn parse_node_key(key: &[u8]) -> PyResult<(NodeKey, u16)> {
    if key.len() < 2 || key.len() > 34 {
        return Err(PyValueError::new_err("malformed tree node key"));
    }
    let depth = u16::from_be_bytes([key[0], key[1]]);
    if depth > 256 || key.len() != key_len(depth) {
        return Err(PyValueError::new_err("malformed tree node key"));
    }
    let mut k = [0u8; 34];
    k[..key.len()].copy_from_slice(key);
    Ok((k, depth))
}

/// Committed tree nodes, cached: every node at depth <= `cache_depth` (and every known absence
/// there), and a bounded two-generation cache of deeper nodes (entries live in `young` until it
/// holds half the capacity; then `young` becomes `old` and the previous `old` is dropped; a hit
/// in `old` moves back to `young`). It holds committed node bytes only, so it can change no
/// result, only save a database read through `get(prefix + key)`.
///
/// Threads: the maps sit behind a mutex that is never held while Python runs (a miss unlocks,
/// calls `get`, locks again to insert), so a proof on a query thread and a block's update on the
/// app thread can both read through it; neither ever waits for the other's database read.
#[pyclass(module = "stateset_native", frozen)]
pub struct NodeCache {
    get: PyObject,
    prefix: Vec<u8>,
    cache_depth: u16,
    maps: Mutex<Maps>,
}

struct Maps {
    half: usize,
    top: FxHashMap<NodeKey, Option<Encoded>>,
    young: FxHashMap<NodeKey, Encoded>,
    old: FxHashMap<NodeKey, Encoded>,
}

impl Maps {
    fn deep_get(&mut self, key: &NodeKey) -> Option<Encoded> {
        if let Some(v) = self.young.get(key) {
            return Some(*v);
        }
        let v = *self.old.get(key)?;
        self.deep_put(*key, v);
        Some(v)
    }

    fn deep_put(&mut self, key: NodeKey, value: Encoded) {
        if self.young.len() >= self.half && !self.young.contains_key(&key) {
            self.old = std::mem::take(&mut self.young);
        }
        self.young.insert(key, value);
    }

    fn deep_drop(&mut self, key: &NodeKey) {
        self.young.remove(key);
        self.old.remove(key);
    }
}

impl NodeCache {
    fn maps(&self) -> std::sync::MutexGuard<'_, Maps> {
        // A panic while holding the lock cannot leave the maps half-updated in a way that
        // matters (each operation is one insert or remove), so a poisoned lock is still used.
        self.maps.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn load(&self, py: Python<'_>, key: &NodeKey, depth: u16) -> PyResult<Option<Encoded>> {
        let shallow = depth <= self.cache_depth;
        {
            let mut maps = self.maps();
            if shallow {
                if let Some(hit) = maps.top.get(key) {
                    return Ok(*hit);
                }
            } else if let Some(hit) = maps.deep_get(key) {
                return Ok(Some(hit));
            }
        }
        let mut full = Vec::with_capacity(self.prefix.len() + 34);
        full.extend_from_slice(&self.prefix);
        full.extend_from_slice(&key[..key_len(depth)]);
        let raw = self.get.bind(py).call1((PyBytes::new(py, &full),))?;
        let value = if raw.is_none() {
            None
        } else {
            let data = raw.downcast::<PyBytes>()?.as_bytes();
            Node::decode(data)?; // refuse a corrupt node before caching it
            Some(<Encoded>::try_from(data).unwrap())
        };
        let mut maps = self.maps();
        if shallow {
            maps.top.insert(*key, value);
        } else if let Some(v) = value {
            maps.deep_put(*key, v);
        }
        Ok(value)
    }
}

#[pymethods]
impl NodeCache {
    /// `get(key) -> bytes | None` reads the database; tree node keys are stored under `prefix`.
    #[new]
    #[pyo3(signature = (get, prefix, cache_depth, deep_capacity))]
    fn new(get: PyObject, prefix: Vec<u8>, cache_depth: u16, deep_capacity: usize) -> Self {
        NodeCache {
            get,
            prefix,
            cache_depth,
            maps: Mutex::new(Maps {
                half: (deep_capacity / 2).max(1),
                top: FxHashMap::default(),
                young: FxHashMap::default(),
                old: FxHashMap::default(),
            }),
        }
    }

    /// The committed node stored at `key` (None if there is none): the tree's `load`.
    fn __call__<'py>(&self, py: Python<'py>, key: &[u8]) -> PyResult<Option<Bound<'py, PyBytes>>> {
        let (k, depth) = parse_node_key(key)?;
        Ok(self.load(py, &k, depth)?.map(|v| PyBytes::new(py, &v)))
    }

    /// Records a commit's node writes (`node key -> bytes | None`) once they are durable.
    fn commit(&self, nodes: &Bound<'_, PyDict>) -> PyResult<()> {
        let mut parsed = Vec::with_capacity(nodes.len());
        for (k, v) in nodes.iter() {
            let (key, depth) = parse_node_key(k.downcast::<PyBytes>()?.as_bytes())?;
            let value = if v.is_none() {
                None
            } else {
                let data = v.downcast::<PyBytes>()?.as_bytes();
                Node::decode(data)?;
                Some(<Encoded>::try_from(data).unwrap())
            };
            parsed.push((key, depth, value));
        }
        let mut maps = self.maps();
        for (key, depth, value) in parsed {
            if depth <= self.cache_depth {
                maps.top.insert(key, value);
            } else {
                match value {
                    None => maps.deep_drop(&key),
                    Some(v) => maps.deep_put(key, v),
                }
            }
        }
        Ok(())
    }

    /// (nodes in the top cache, nodes in the deep cache)
    fn sizes(&self) -> (usize, usize) {
        let maps = self.maps();
        (maps.top.len(), maps.young.len() + maps.old.len())
    }
}

enum Loader<'a, 'py> {
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

type Change = (Hash, Option<Hash>); // (key hash, value hash or None for a delete)

struct Updater<'a, 'py> {
    py: Python<'py>,
    loader: Loader<'a, 'py>,
    writes: Vec<(NodeKey, u16, Option<Encoded>)>,
    index: FxHashMap<NodeKey, usize>,
}

impl<'a, 'py> Updater<'a, 'py> {
    fn load(&mut self, pos: Pos) -> PyResult<Option<Node>> {
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
    fn update(&mut self, pos: Pos, node: Option<Node>, items: &[Change]) -> PyResult<Option<Node>> {
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

/// `(root, node writes)` after applying `(key, value | None)` changes (keys unique) to the tree
/// whose committed nodes `load` returns (a `NodeCache`, or any `load(node_key) -> bytes | None`).
/// Nothing is persisted. The node writes are a dict `node key -> encoded node | None`.
#[pyfunction]
fn smt_update<'py>(
    py: Python<'py>,
    load: &Bound<'py, PyAny>,
    changes: Vec<(PyBackedBytes, Option<PyBackedBytes>)>,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyDict>)> {
    let mut items: Vec<Change> = changes
        .iter()
        .map(|(k, v)| (sha256(k), v.as_ref().map(|v| sha256(v))))
        .collect();
    items.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    if items.windows(2).any(|w| w[0].0 == w[1].0) {
        return Err(PyValueError::new_err("duplicate key in one update"));
    }
    let cache = load.downcast::<NodeCache>().ok();
    let loader = match &cache {
        Some(cache) => Loader::Cache(cache.get()),
        None => Loader::Callable(load),
    };
    let mut up = Updater {
        py,
        loader,
        writes: Vec::with_capacity(items.len() * 24),
        index: FxHashMap::default(),
    };
    let root_node = up.load(Pos::ROOT)?;
    let root = up.update(Pos::ROOT, root_node, &items)?;
    let out = PyDict::new(py);
    for (key, depth, value) in &up.writes {
        let k = PyBytes::new(py, &key[..key_len(*depth)]);
        match value {
            Some(v) => out.set_item(k, PyBytes::new(py, v))?,
            None => out.set_item(k, py.None())?,
        }
    }
    Ok((PyBytes::new(py, &hash_of(&root)), out))
}

#[pymodule]
fn stateset_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(smt_update, m)?)?;
    m.add_class::<NodeCache>()?;
    Ok(())
}

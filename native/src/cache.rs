//! The committed-node cache of `stateset_chain/store/commit.py` (`node_cache`): the whole top of
//! the tree, plus a bounded two-generation cache of deeper nodes, kept in compiled code so that a
//! tree walk costs no Python call for a cached node. Its Python methods are in `bindings.rs`.

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use rustc_hash::FxHashMap;
use std::sync::Mutex;

use crate::node::{checked_node, key_len, Encoded, NodeKey};

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
    /// `get(key) -> bytes | None` reads the database; tree node keys are stored under `prefix`.
    pub fn create(get: PyObject, prefix: Vec<u8>, cache_depth: u16, deep_capacity: usize) -> Self {
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

    fn maps(&self) -> std::sync::MutexGuard<'_, Maps> {
        // A panic while holding the lock cannot leave the maps half-updated in a way that
        // matters (each operation is one insert or remove), so a poisoned lock is still used.
        self.maps.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The committed node at `key` (of a node at `depth`), from the cache or else the database.
    pub fn load(&self, py: Python<'_>, key: &NodeKey, depth: u16) -> PyResult<Option<Encoded>> {
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
            // refuse a corrupt node before caching it
            Some(checked_node(raw.downcast::<PyBytes>()?.as_bytes())?)
        };
        let mut maps = self.maps();
        if shallow {
            maps.top.insert(*key, value);
        } else if let Some(v) = value {
            maps.deep_put(*key, v);
        }
        Ok(value)
    }

    /// Records a commit's node writes (already parsed and checked) once they are durable.
    pub fn record(&self, writes: Vec<(NodeKey, u16, Option<Encoded>)>) {
        let mut maps = self.maps();
        for (key, depth, value) in writes {
            if depth <= self.cache_depth {
                maps.top.insert(key, value);
            } else {
                match value {
                    None => maps.deep_drop(&key),
                    Some(v) => maps.deep_put(key, v),
                }
            }
        }
    }

    /// (nodes in the top cache, nodes in the deep cache)
    pub fn sizes(&self) -> (usize, usize) {
        let maps = self.maps();
        (maps.top.len(), maps.young.len() + maps.old.len())
    }
}

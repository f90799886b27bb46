//! Tree nodes and positions: `stateset_chain/store/smt.py`'s node layout, hashes and node keys.
//!
//! A node is 65 bytes: `0x00 || key_hash || value_hash` (a leaf) or `0x01 || left || right` (an
//! inner node). A node at `depth` on the path `p` (the first `depth` bits of a key's sha256, the
//! rest zero) is stored under `u16 depth || p[..ceil(depth / 8)]`.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use sha2::{Digest, Sha256};

pub type Hash = [u8; 32];
pub type Encoded = [u8; 65];
/// `u16 depth || path`, zero-padded to a fixed size; only the first `key_len(depth)` bytes are
/// the stored key (the padding is zero, so the fixed-size form is unambiguous).
pub type NodeKey = [u8; 34];

pub const EMPTY: Hash = [0u8; 32];
const NODE_LEAF: u8 = 0;
const NODE_INNER: u8 = 1;

pub fn sha256(data: &[u8]) -> Hash {
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
pub fn bit(path: &Hash, depth: u16) -> u8 {
    (path[(depth >> 3) as usize] >> (7 - (depth & 7))) & 1
}

/// The length of the stored key of a node at `depth`.
#[inline]
pub fn key_len(depth: u16) -> usize {
    2 + (depth as usize).div_ceil(8)
}

#[derive(Clone, Copy)]
pub enum Node {
    Leaf { key_hash: Hash, value_hash: Hash },
    Inner { left: Hash, right: Hash },
}

impl Node {
    pub fn hash(&self) -> Hash {
        match self {
            Node::Leaf { key_hash, value_hash } => leaf_hash(key_hash, value_hash),
            Node::Inner { left, right } => inner_hash(left, right),
        }
    }

    pub fn encode(&self) -> Encoded {
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

    pub fn decode(data: &[u8]) -> PyResult<Node> {
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

pub fn hash_of(node: &Option<Node>) -> Hash {
    node.as_ref().map_or(EMPTY, Node::hash)
}

/// A position in the tree: a depth and the path to it (bits at and below `depth` are zero).
#[derive(Clone, Copy)]
pub struct Pos {
    pub depth: u16,
    pub path: Hash,
}

impl Pos {
    pub const ROOT: Pos = Pos { depth: 0, path: EMPTY };

    pub fn key(&self) -> NodeKey {
        let mut k = [0u8; 34];
        k[..2].copy_from_slice(&self.depth.to_be_bytes());
        let n = key_len(self.depth) - 2;
        k[2..2 + n].copy_from_slice(&self.path[..n]);
        k
    }

    pub fn child(&self, side: u8) -> Pos {
        let mut path = self.path;
        if side == 1 {
            path[(self.depth >> 3) as usize] |= 0x80 >> (self.depth & 7);
        }
        Pos { depth: self.depth + 1, path }
    }
}

/// A stored node key back into its fixed-size form and its depth; refuses malformed keys.
pub fn parse_node_key(key: &[u8]) -> PyResult<(NodeKey, u16)> {
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

/// Checks that `data` is a well-formed node and returns its fixed-size form.
pub fn checked_node(data: &[u8]) -> PyResult<Encoded> {
    Node::decode(data)?;
    Ok(<Encoded>::try_from(data).unwrap())
}

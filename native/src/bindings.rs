//! The Python face of the crate: argument conversion and result building only; the work is in
//! `batch.rs`, `tree.rs` and `cache.rs`.

use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

use crate::batch;
use crate::cache::NodeCache;
use crate::events::EventWriter;
use crate::node::{checked_node, key_len, parse_node_key};
use crate::order_index::{Layout, Plan, Row, Value, Write};
use crate::tree::Loader;

#[pymethods]
impl NodeCache {
    /// `get(key) -> bytes | None` reads the database; tree node keys are stored under `prefix`.
    #[new]
    #[pyo3(signature = (get, prefix, cache_depth, deep_capacity))]
    fn new(get: PyObject, prefix: Vec<u8>, cache_depth: u16, deep_capacity: usize) -> Self {
        NodeCache::create(get, prefix, cache_depth, deep_capacity)
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
                Some(checked_node(v.downcast::<PyBytes>()?.as_bytes())?)
            };
            parsed.push((key, depth, value));
        }
        self.record(parsed);
        Ok(())
    }

    /// (nodes in the top cache, nodes in the deep cache)
    #[pyo3(name = "sizes")]
    fn py_sizes(&self) -> (usize, usize) {
        self.sizes()
    }
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
    let borrowed: Vec<(&[u8], Option<&[u8]>)> = changes
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_deref()))
        .collect();
    let cache = load.downcast::<NodeCache>().ok();
    let loader = match &cache {
        Some(cache) => Loader::Cache(cache.get()),
        None => Loader::Callable(load),
    };
    let (root, writes) = batch::apply(py, loader, &borrowed)?;
    let out = PyDict::new(py);
    for (key, depth, value) in &writes {
        let k = PyBytes::new(py, &key[..key_len(*depth)]);
        match value {
            Some(v) => out.set_item(k, PyBytes::new(py, v))?,
            None => out.set_item(k, py.None())?,
        }
    }
    Ok((PyBytes::new(py, &root), out))
}

/// The UTF-8 bytes of a `str` (a `TypeError` for anything else; a `UnicodeEncodeError`, as
/// `str.encode()` raises, for a lone surrogate).
fn utf8<'a>(text: &'a Bound<'_, PyAny>) -> PyResult<&'a str> {
    text.downcast::<PyString>()?.to_str()
}

/// Appends every `(key, value)` pair of `pairs` (a list or tuple of 2-tuples of `str`; anything
/// else is a `TypeError` raised before an item is taken, so the caller may hand it to Python).
fn attributes(event: &mut EventWriter, pairs: &Bound<'_, PyAny>) -> PyResult<()> {
    if !(pairs.is_instance_of::<PyList>() || pairs.is_instance_of::<PyTuple>()) {
        return Err(PyTypeError::new_err("attributes are a list or tuple of pairs"));
    }
    for pair in pairs.try_iter()? {
        let pair = pair?;
        let pair = pair.downcast::<PyTuple>()?;
        if pair.len() != 2 {
            return Err(PyTypeError::new_err("an attribute is a (key, value) pair"));
        }
        let (key, value) = (pair.get_item(0)?, pair.get_item(1)?);
        event.attribute(utf8(&key)?.as_bytes(), utf8(&value)?.as_bytes());
    }
    Ok(())
}

/// The wire bytes of `abci.Event(type=type_, attributes=[EventAttribute(key, value,
/// index=True) for each pair of attributes, then of extra])` (events.py's `encode_event`); with
/// `tag`, as that length-delimited field (`encode_event_into`'s pieces, joined).
#[pyfunction]
#[pyo3(signature = (type_, attributes, extra, tag = None))]
fn encode_event<'py>(
    py: Python<'py>,
    type_: &Bound<'py, PyAny>,
    attributes: &Bound<'py, PyAny>,
    extra: &Bound<'py, PyAny>,
    tag: Option<&[u8]>,
) -> PyResult<Bound<'py, PyBytes>> {
    let mut event = EventWriter::new(utf8(type_)?.as_bytes());
    self::attributes(&mut event, attributes)?;
    self::attributes(&mut event, extra)?;
    let data = match tag {
        Some(tag) => event.finish_field(tag),
        None => event.finish(),
    };
    Ok(PyBytes::new(py, &data))
}

/// Keccak-256 of `data` (the original Keccak padding, as Ethereum and CCTP use it, not
/// SHA3-256): `crypto/hashes.py`'s `keccak256` in one call (the fast path of `fast/keccak.py`).
#[pyfunction]
fn keccak256<'py>(py: Python<'py>, data: &[u8]) -> Bound<'py, PyBytes> {
    use sha3::{Digest, Keccak256};
    PyBytes::new(py, &Keccak256::digest(data))
}

/// The order indexes' key layout (`stateset_chain/orders/index/derive.py` builds it once from
/// `orders/keys.py`); `writes` computes a block's index writes (`order_index.rs`).
#[pyclass(name = "OrderIndexLayout", frozen)]
pub struct PyOrderIndexLayout {
    layout: Layout,
}

/// A changed order as `derive.py` hands it over: `(sequence, id, customer bytes, merchant bytes,
/// created ns, total, customer id ("" for none), status before | None, status after | None)`.
type RowTuple = (
    u64, PyBackedStr, PyBackedBytes, PyBackedBytes, u64, u64, PyBackedStr, Option<u32>, Option<u32>,
);

#[pymethods]
impl PyOrderIndexLayout {
    /// `prefixes`: the 19 index prefixes in `Layout`'s field order.
    #[new]
    fn new(prefixes: Vec<Vec<u8>>, epoch_bits: u32) -> PyResult<Self> {
        let [by_customer, by_merchant, by_status, by_created, by_total, by_sequence,
             by_merchant_status, by_customer_status, by_status_amount, by_customer_total,
             by_merchant_total, by_customer_id, customer_count, merchant_count, status_count,
             merchant_status_count, customer_status_count, histogram, customer_id_count]: [Vec<u8>; 19] =
            prefixes.try_into().map_err(|_| PyValueError::new_err("19 prefixes"))?;
        Ok(Self {
            layout: Layout {
                by_customer, by_merchant, by_status, by_created, by_total, by_sequence,
                by_merchant_status, by_customer_status, by_status_amount, by_customer_total,
                by_merchant_total, by_customer_id, customer_count, merchant_count, status_count,
                merchant_status_count, customer_status_count, histogram, customer_id_count,
                epoch_bits,
            },
        })
    }

    /// Every index write of `rows` (`RowTuple`s, in the block's order key order) as a list of
    /// `(key, value | None)` in key order, reading each counter and histogram key once with
    /// `get(key) -> bytes | None`; `None` when the reference would raise (or a row is not of
    /// the expected types): the caller runs the reference. Nothing is written.
    fn writes<'py>(
        &self,
        py: Python<'py>,
        rows: &Bound<'py, PyAny>,
        get: &Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyList>>> {
        let Ok(tuples) = rows.extract::<Vec<RowTuple>>() else {
            return Ok(None);
        };
        let rows: Vec<Row<'_>> = tuples
            .iter()
            .map(|t| Row {
                seq: t.0,
                id: t.1.as_bytes(),
                customer: t.2.as_ref(),
                merchant: t.3.as_ref(),
                created: t.4,
                total: t.5,
                customer_id: t.6.as_bytes(),
                old: t.7,
                new: t.8,
            })
            .collect();
        let Ok(plan) = Plan::build(&self.layout, &rows) else {
            return Ok(None);
        };
        let mut stored: Vec<Option<PyBackedBytes>> = Vec::new();
        for k in plan.counter_keys() {
            let v = get.call1((PyBytes::new(py, k),))?;
            if v.is_none() {
                stored.push(None);
            } else if let Ok(b) = v.extract::<PyBackedBytes>() {
                stored.push(Some(b));
            } else {
                return Ok(None);
            }
        }
        let values: Vec<Option<&[u8]>> = stored.iter().map(|v| v.as_deref()).collect();
        let Ok(writes) = plan.finish(&values) else {
            return Ok(None);
        };
        // one bytes object per order id, shared by all its entries
        let mut ids: Vec<Option<Bound<'py, PyAny>>> = vec![None; rows.len()];
        let marker = PyBytes::new(py, b"\x01").into_any();
        let none = py.None().into_bound(py);
        let mut items = Vec::with_capacity(writes.len());
        for (k, w) in &writes {
            let value = match w {
                Write::Entry(Value::Id(i)) => ids[*i]
                    .get_or_insert_with(|| PyBytes::new(py, rows[*i].id).into_any())
                    .clone(),
                Write::Entry(Value::Marker) => marker.clone(),
                Write::Entry(Value::Delete) | Write::Counter(None) => none.clone(),
                Write::Counter(Some(v)) => PyBytes::new(py, v).into_any(),
            };
            items.push(PyTuple::new(py, [PyBytes::new(py, k).into_any(), value])?);
        }
        Ok(Some(PyList::new(py, items)?))
    }
}

/// Adds the module's functions and classes to `m`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(smt_update, m)?)?;
    m.add_function(wrap_pyfunction!(encode_event, m)?)?;
    m.add_function(wrap_pyfunction!(keccak256, m)?)?;
    m.add_class::<NodeCache>()?;
    m.add_class::<PyOrderIndexLayout>()?;
    Ok(())
}

//! The node-local order indexes' writes of one block: what `stateset_chain/orders/index/derive.py`
//! makes through `OrderIndex.add`, `move_status` and `remove` (`indexes.py`, the readable
//! reference, and `histogram.py`), computed for all the block's changed orders at once.
//!
//! A changed order comes in as a compact [`Row`]: its sequence, id, raw customer and merchant
//! addresses, creation time (ns), total, external customer id, and the status it was indexed
//! under before the block (`None`: a new order) and after it (`None`: a deleted order). From the
//! rows, [`Plan::build`] makes
//!
//! - the entry writes (`prefix | key parts -> order id`, or a delete), each key's last write
//!   winning, as the reference's branch keeps them (the id is the row's: the caller makes one
//!   bytes object per order for all its entries);
//! - for every counter (`U64Value`) and histogram key (16 or 17 `u32` LE counters) the rows
//!   touch, the list of its `(slot, ±1)` bumps in the reference's order.
//!
//! [`Plan::finish`] then takes each counter key's value before the block (read once by the
//! caller, from the block's branch) and replays its bumps on it exactly as `_increment` and
//! `AmountHistogram._bump` do (a value that reaches zero is a delete), so the written bytes are
//! the reference's. Where the reference would raise (a counter below zero or past its width, a
//! stored counter of another length, a key part over 255 bytes), the plan refuses (`None`) and
//! the caller runs the reference, which raises as it always did.
//!
//! Key layout (`stateset_chain/store/collections.py`): `u64`/`u32` big-endian; an address or
//! string key part is one length byte and its bytes.

use rustc_hash::FxHashMap;

/// Hexadecimal digits of a u64 (`histogram.LEVELS`).
const LEVELS: u32 = 16;
/// The MAG key's counters (`LEVELS + 1`) and a level key's (one per hexadecimal digit).
const MAG_SLOTS: usize = LEVELS as usize + 1;
const DIGIT_SLOTS: usize = 16;
/// Orders of any status (`histogram.ANY_STATUS`).
const ANY_STATUS: u32 = 0;

/// The key prefixes of the indexes (`stateset_chain/orders/keys.py`), in this order.
pub struct Layout {
    pub by_customer: Vec<u8>,
    pub by_merchant: Vec<u8>,
    pub by_status: Vec<u8>,
    pub by_created: Vec<u8>,
    pub by_total: Vec<u8>,
    pub by_sequence: Vec<u8>,
    pub by_merchant_status: Vec<u8>,
    pub by_customer_status: Vec<u8>,
    pub by_status_amount: Vec<u8>,
    pub by_customer_total: Vec<u8>,
    pub by_merchant_total: Vec<u8>,
    pub by_customer_id: Vec<u8>,
    pub customer_count: Vec<u8>,
    pub merchant_count: Vec<u8>,
    pub status_count: Vec<u8>,
    pub merchant_status_count: Vec<u8>,
    pub customer_status_count: Vec<u8>,
    pub histogram: Vec<u8>,
    pub customer_id_count: Vec<u8>,
    /// `indexes.EPOCH_BITS`: `by_status_amount` groups orders in blocks of 2^epoch_bits.
    pub epoch_bits: u32,
}

/// One changed order (module doc).
pub struct Row<'a> {
    pub seq: u64,
    pub id: &'a [u8],
    pub customer: &'a [u8],
    pub merchant: &'a [u8],
    pub created: u64,
    pub total: u64,
    /// Empty: the order has no external customer id.
    pub customer_id: &'a [u8],
    pub old: Option<u32>,
    pub new: Option<u32>,
}

/// What a counter key holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A `U64Value` (8 bytes, big-endian).
    Count,
    /// `n` u32 LE counters (a histogram key).
    Slots(usize),
}

struct Counter {
    key: Vec<u8>,
    kind: Kind,
    bumps: Vec<(u8, i8)>,
}

/// An entry's value: the id of the row at this index, the `KeySet` marker (`b"\x01"`), or a
/// delete.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Value {
    Id(usize),
    Marker,
    Delete,
}

/// One write of the block: an entry's, or a counter's bytes after its bumps (`None`: deleted).
#[derive(PartialEq, Eq, Debug)]
pub enum Write {
    Entry(Value),
    Counter(Option<Vec<u8>>),
}

/// Something the reference would raise on: the caller runs it instead.
pub struct Refused;

/// A block's index writes before the counters are read (module doc).
pub struct Plan {
    /// In the reference's order (a later write of a key replaces an earlier one).
    entries: Vec<(Vec<u8>, Value)>,
    /// In key order once `build` returns.
    counters: Vec<Counter>,
    slots: FxHashMap<Vec<u8>, usize>,
}

/// `prefix` and the parts, joined.
fn key(prefix: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut k = Vec::with_capacity(prefix.len() + parts.iter().map(|p| p.len()).sum::<usize>());
    k.extend_from_slice(prefix);
    for p in parts {
        k.extend_from_slice(p);
    }
    k
}

/// A length-prefixed key part (`BytesKey`, `StrKey`).
fn part(raw: &[u8]) -> Result<Vec<u8>, Refused> {
    if raw.len() > 255 {
        return Err(Refused); // KeyPartTooLong in the reference
    }
    let mut p = Vec::with_capacity(1 + raw.len());
    p.push(raw.len() as u8);
    p.extend_from_slice(raw);
    Ok(p)
}

/// Hexadecimal digits of `total` (`histogram.magnitude`).
fn magnitude(total: u64) -> u32 {
    (64 - total.leading_zeros() + 3) / 4
}

/// `total >> bits`, 0 once every bit is shifted out (as Python's `>>`).
fn shr(total: u64, bits: u32) -> u64 {
    total.checked_shr(bits).unwrap_or(0)
}

/// The parts of one order the index keys are made of, encoded once.
struct Parts {
    seq: [u8; 8],
    customer: Vec<u8>,
    merchant: Vec<u8>,
    total: [u8; 8],
    /// The row's index (its id is the entries' value).
    row: usize,
}

impl Plan {
    /// The entry writes and counter bumps of `rows`, in the reference's order.
    pub fn build(layout: &Layout, rows: &[Row<'_>]) -> Result<Plan, Refused> {
        let mut plan = Plan {
            entries: Vec::with_capacity(rows.len() * 12),
            counters: Vec::new(),
            slots: FxHashMap::default(),
        };
        for (i, row) in rows.iter().enumerate() {
            let parts = Parts {
                seq: row.seq.to_be_bytes(),
                customer: part(row.customer)?,
                merchant: part(row.merchant)?,
                total: row.total.to_be_bytes(),
                row: i,
            };
            match (row.old, row.new) {
                (None, Some(to)) => {
                    plan.add_base(layout, row, &parts, 1)?;
                    plan.status(layout, row, &parts, to, 1);
                }
                (Some(from), Some(to)) => {
                    plan.status(layout, row, &parts, from, -1);
                    plan.status(layout, row, &parts, to, 1);
                }
                (Some(from), None) => {
                    plan.status(layout, row, &parts, from, -1);
                    plan.add_base(layout, row, &parts, -1)?;
                }
                (None, None) => {}
            }
        }
        plan.slots = FxHashMap::default();
        plan.counters.sort_unstable_by(|a, b| a.key.cmp(&b.key));
        Ok(plan)
    }

    fn entry(&mut self, key: Vec<u8>, value: Value) {
        self.entries.push((key, value));
    }

    fn bump(&mut self, key: Vec<u8>, kind: Kind, slot: usize, delta: i8) {
        let i = match self.slots.get(&key) {
            Some(&i) => i,
            None => {
                self.counters.push(Counter { key: key.clone(), kind, bumps: Vec::new() });
                self.slots.insert(key, self.counters.len() - 1);
                self.counters.len() - 1
            }
        };
        self.counters[i].bumps.push((slot as u8, delta));
    }

    /// `AmountHistogram.add(status, total, delta)`: the MAG key, then one key per level below
    /// the total's highest hexadecimal digit.
    fn histogram(&mut self, layout: &Layout, status: u32, total: u64, delta: i8) {
        let hkey = |level: u32, prefix: u64| {
            key(&layout.histogram, &[&[level as u8], &prefix.to_be_bytes(), &status.to_be_bytes()])
        };
        let m = magnitude(total);
        self.bump(hkey(0, 0), Kind::Slots(MAG_SLOTS), m as usize, delta);
        for level in 1..m {
            let digit = (shr(total, 4 * level) & 0xF) as usize;
            self.bump(hkey(level, shr(total, 4 * (level + 1))), Kind::Slots(DIGIT_SLOTS), digit, delta);
        }
    }

    /// `add` without `_index_status` (delta 1), or `remove` after `_unindex_status` (-1).
    fn add_base(&mut self, layout: &Layout, row: &Row<'_>, p: &Parts, delta: i8) -> Result<(), Refused> {
        let (oid, marker) =
            if delta > 0 { (Value::Id(p.row), Value::Marker) } else { (Value::Delete, Value::Delete) };
        self.entry(key(&layout.by_sequence, &[&p.seq]), oid);
        self.entry(key(&layout.by_customer, &[&p.customer, &p.seq]), oid);
        self.entry(key(&layout.by_merchant, &[&p.merchant, &p.seq]), oid);
        self.entry(key(&layout.by_created, &[&row.created.to_be_bytes(), &p.seq]), marker);
        self.entry(key(&layout.by_total, &[&p.total, &p.seq]), oid);
        self.entry(key(&layout.by_customer_total, &[&p.customer, &p.total, &p.seq]), oid);
        self.entry(key(&layout.by_merchant_total, &[&p.merchant, &p.total, &p.seq]), oid);
        self.bump(key(&layout.customer_count, &[&p.customer]), Kind::Count, 0, delta);
        self.bump(key(&layout.merchant_count, &[&p.merchant]), Kind::Count, 0, delta);
        if !row.customer_id.is_empty() {
            let cid = part(row.customer_id)?;
            self.entry(key(&layout.by_customer_id, &[&cid, &p.seq]), oid);
            self.bump(key(&layout.customer_id_count, &[&cid]), Kind::Count, 0, delta);
        }
        self.histogram(layout, ANY_STATUS, row.total, delta);
        Ok(())
    }

    /// `_index_status` (delta 1) or `_unindex_status` (-1) of the order under `status`.
    fn status(&mut self, layout: &Layout, row: &Row<'_>, p: &Parts, status: u32, delta: i8) {
        let s = status.to_be_bytes();
        let epoch = (row.seq >> layout.epoch_bits).to_be_bytes();
        let oid = if delta > 0 { Value::Id(p.row) } else { Value::Delete };
        self.entry(key(&layout.by_status, &[&s, &p.seq]), oid);
        self.entry(key(&layout.by_merchant_status, &[&p.merchant, &s, &p.seq]), oid);
        self.entry(key(&layout.by_customer_status, &[&p.customer, &s, &p.seq]), oid);
        self.entry(key(&layout.by_status_amount, &[&s, &epoch, &p.total, &p.seq]), oid);
        self.histogram(layout, status, row.total, delta);
        self.bump(key(&layout.status_count, &[&s]), Kind::Count, 0, delta);
        self.bump(key(&layout.merchant_status_count, &[&p.merchant, &s]), Kind::Count, 0, delta);
        self.bump(key(&layout.customer_status_count, &[&p.customer, &s]), Kind::Count, 0, delta);
    }

    /// The counter and histogram keys to read, in key order (`finish` takes their values in
    /// this order).
    pub fn counter_keys(&self) -> impl Iterator<Item = &[u8]> {
        self.counters.iter().map(|c| c.key.as_slice())
    }

    /// Every write, in key order, given each counter key's value before the block
    /// (`counter_keys`' order).
    pub fn finish(self, values: &[Option<&[u8]>]) -> Result<Vec<(Vec<u8>, Write)>, Refused> {
        assert_eq!(values.len(), self.counters.len());
        let mut counters = Vec::with_capacity(self.counters.len());
        for (counter, stored) in self.counters.into_iter().zip(values) {
            let written = match counter.kind {
                Kind::Count => replay_count(*stored, &counter.bumps)?,
                Kind::Slots(n) => replay_slots(*stored, n, &counter.bumps)?,
            };
            counters.push((counter.key, Write::Counter(written)));
        }
        // the entries in key order, the last write of a key kept (a stable sort keeps the
        // reference's order among equal keys)
        let mut entries = self.entries;
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut kept: Vec<(Vec<u8>, Write)> = Vec::with_capacity(entries.len() + counters.len());
        for (k, v) in entries {
            match kept.last_mut() {
                Some(last) if last.0 == k => last.1 = Write::Entry(v),
                _ => kept.push((k, Write::Entry(v))),
            }
        }
        Ok(merge(kept, counters))
    }
}

/// Two lists in key order (no key in both: entries and counters have their own prefixes), as
/// one.
fn merge(a: Vec<(Vec<u8>, Write)>, b: Vec<(Vec<u8>, Write)>) -> Vec<(Vec<u8>, Write)> {
    if a.last().zip(b.first()).is_none_or(|(x, y)| x.0 < y.0) {
        let mut out = a;
        out.extend(b);
        return out;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => x.0 <= y.0,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return out,
        };
        out.push(if take_a { a.next().unwrap() } else { b.next().unwrap() });
    }
}

/// `_increment`, once per bump, from the stored `U64Value` (absent: 0).
fn replay_count(stored: Option<&[u8]>, bumps: &[(u8, i8)]) -> Result<Option<Vec<u8>>, Refused> {
    let mut value: u64 = match stored {
        None => 0,
        Some(b) => u64::from_be_bytes(b.try_into().map_err(|_| Refused)?),
    };
    for &(_, d) in bumps {
        value = if d > 0 { value.checked_add(1) } else { value.checked_sub(1) }.ok_or(Refused)?;
    }
    Ok(if value == 0 { None } else { Some(value.to_be_bytes().to_vec()) })
}

/// `AmountHistogram._bump`, once per bump, from the stored counters (absent: all zero).
fn replay_slots(stored: Option<&[u8]>, n: usize, bumps: &[(u8, i8)]) -> Result<Option<Vec<u8>>, Refused> {
    let mut counters = [0u32; MAG_SLOTS];
    if let Some(b) = stored {
        if b.len() != 4 * n {
            return Err(Refused);
        }
        for (i, c) in b.chunks_exact(4).enumerate() {
            counters[i] = u32::from_le_bytes(c.try_into().unwrap());
        }
    }
    for &(slot, d) in bumps {
        let c = &mut counters[slot as usize];
        *c = if d > 0 { c.checked_add(1) } else { c.checked_sub(1) }.ok_or(Refused)?;
    }
    if counters[..n].iter().all(|&c| c == 0) {
        return Ok(None);
    }
    Ok(Some(counters[..n].iter().flat_map(|c| c.to_le_bytes()).collect()))
}

//! The wire bytes of an `abci.Event` whose attributes are all indexed: what
//! `stateset_chain/events.py`'s `encode_event` (the reference, through protobuf) and the fast
//! Python writer of `stateset_chain/fast/events.py` write, field by field:
//!
//! ```text
//! Event          1 type (string, omitted when empty), 2 attributes (repeated, length-delimited)
//! EventAttribute 1 key (string, omitted when empty), 2 value (string, omitted when empty),
//!                3 index (bool, always true here: 0x18 0x01)
//! ```

const EVENT_TYPE: u8 = 0x0a;
const EVENT_ATTRIBUTE: u8 = 0x12;
const ATTRIBUTE_KEY: u8 = 0x0a;
const ATTRIBUTE_VALUE: u8 = 0x12;
const ATTRIBUTE_INDEXED: [u8; 2] = [0x18, 0x01];

/// The base-128 varint of `n` (protobuf's, Go's `binary.PutUvarint`).
pub fn put_varint(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn varint_len(mut n: usize) -> usize {
    let mut len = 1;
    while n >= 0x80 {
        n >>= 7;
        len += 1;
    }
    len
}

/// A string field's size: nothing when empty (proto3 omits defaults).
fn string_field_len(data: &[u8]) -> usize {
    if data.is_empty() {
        0
    } else {
        1 + varint_len(data.len()) + data.len()
    }
}

fn put_string_field(out: &mut Vec<u8>, tag: u8, data: &[u8]) {
    if !data.is_empty() {
        out.push(tag);
        put_varint(out, data.len());
        out.extend_from_slice(data);
    }
}

/// An event being written: its type, then its attributes in order.
pub struct EventWriter {
    body: Vec<u8>,
}

impl EventWriter {
    pub fn new(type_: &[u8]) -> Self {
        let mut body = Vec::with_capacity(256);
        put_string_field(&mut body, EVENT_TYPE, type_);
        EventWriter { body }
    }

    /// Appends the indexed attribute `key = value`.
    pub fn attribute(&mut self, key: &[u8], value: &[u8]) {
        let size = string_field_len(key) + string_field_len(value) + ATTRIBUTE_INDEXED.len();
        let body = &mut self.body;
        body.push(EVENT_ATTRIBUTE);
        put_varint(body, size);
        put_string_field(body, ATTRIBUTE_KEY, key);
        put_string_field(body, ATTRIBUTE_VALUE, value);
        body.extend_from_slice(&ATTRIBUTE_INDEXED);
    }

    /// The event's bytes (`encode_event`).
    pub fn finish(self) -> Vec<u8> {
        self.body
    }

    /// The event as the length-delimited field `tag` (`encode_event_into`'s pieces, joined).
    pub fn finish_field(self, tag: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(tag.len() + 3 + self.body.len());
        out.extend_from_slice(tag);
        put_varint(&mut out, self.body.len());
        out.extend_from_slice(&self.body);
        out
    }
}

//! The Confluent wire format of a record value: magic byte `0`, the schema id as 4 bytes
//! big-endian, for Protobuf the message-index list, then the binary payload.
//!
//! Whether a message-index list follows the id depends on the schema type, which is only known
//! once the id has been looked up, so the header and the index list are read by separate calls.

use std::fmt;

/// The only magic byte Confluent serializers write.
pub const MAGIC_BYTE: u8 = 0;

/// Length of the magic byte plus the schema id.
pub const HEADER_LEN: usize = 5;

/// Why bytes are not a wire-format record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// No bytes at all.
    #[error("empty record: expected the magic byte 0 and a 4-byte schema id")]
    Empty,
    /// The first byte is not 0.
    #[error("wrong magic byte {0}: a Confluent wire-format record starts with byte 0")]
    WrongMagic(u8),
    /// Fewer than 5 bytes.
    #[error("truncated header: {0} bytes, a wire-format header is 5 bytes (magic byte and 4-byte schema id)")]
    TruncatedHeader(usize),
    /// The message-index list ends early.
    #[error("truncated message-index list: {0}")]
    TruncatedIndexes(&'static str),
    /// The message-index list holds a value that cannot be an index or a count.
    #[error("invalid message-index list: {0}")]
    InvalidIndexes(String),
}

/// Protobuf message indexes: the path from a file's top-level messages to the nested message
/// that was written; `[0]` is the first top-level message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MessageIndexes(pub Vec<u32>);

impl MessageIndexes {
    /// The first message of the file, the common case, written as a single `0` byte.
    pub fn first() -> Self {
        MessageIndexes(vec![0])
    }
}

impl fmt::Display for MessageIndexes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

/// Splits a record into its schema id and what follows the header.
pub fn decode_header(buf: &[u8]) -> Result<(u32, &[u8]), WireError> {
    match buf.first() {
        None => return Err(WireError::Empty),
        Some(&b) if b != MAGIC_BYTE => return Err(WireError::WrongMagic(b)),
        Some(_) => {}
    }
    if buf.len() < HEADER_LEN {
        return Err(WireError::TruncatedHeader(buf.len()));
    }
    let id = u32::from_be_bytes([buf[1], buf[2], buf[3], buf[4]]);
    Ok((id, &buf[HEADER_LEN..]))
}

/// Reads a Protobuf message-index list from the bytes after the header; returns it and the payload.
pub fn decode_message_indexes(buf: &[u8]) -> Result<(MessageIndexes, &[u8]), WireError> {
    let (count, mut rest) = read_zigzag(buf)?;
    if count == 0 {
        return Ok((MessageIndexes::first(), rest));
    }
    if count < 0 {
        return Err(WireError::InvalidIndexes(format!("negative count {count}")));
    }
    // Each index takes at least one byte, so a count beyond the remaining bytes is a lie;
    // checking first keeps a hostile count from reserving gigabytes.
    if count as u64 > rest.len() as u64 {
        return Err(WireError::TruncatedIndexes(
            "fewer bytes left than the count of indexes",
        ));
    }
    let mut indexes = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let (index, r) = read_zigzag(rest)?;
        if !(0..=i64::from(i32::MAX)).contains(&index) {
            return Err(WireError::InvalidIndexes(format!(
                "index {index} is not a message position"
            )));
        }
        indexes.push(index as u32);
        rest = r;
    }
    Ok((MessageIndexes(indexes), rest))
}

/// Appends a wire-format record: header, the index list when given (Protobuf), then the payload.
pub fn encode(schema_id: u32, indexes: Option<&MessageIndexes>, payload: &[u8], out: &mut Vec<u8>) {
    write_header(schema_id, out);
    if let Some(ix) = indexes {
        write_message_indexes(ix, out);
    }
    out.extend_from_slice(payload);
}

/// Appends the magic byte and the schema id.
pub fn write_header(schema_id: u32, out: &mut Vec<u8>) {
    out.push(MAGIC_BYTE);
    out.extend_from_slice(&schema_id.to_be_bytes());
}

/// Appends a message-index list; `[0]` (and the empty list) take the one-byte shorthand.
pub fn write_message_indexes(ix: &MessageIndexes, out: &mut Vec<u8>) {
    if ix.0.is_empty() || ix.0 == [0] {
        out.push(0);
        return;
    }
    write_zigzag(ix.0.len() as i64, out);
    for &i in &ix.0 {
        write_zigzag(i64::from(i), out);
    }
}

/// Appends a zig-zag varint, the encoding of Avro ints and longs and of the index list.
pub fn write_zigzag(n: i64, out: &mut Vec<u8>) {
    let mut z = ((n << 1) ^ (n >> 63)) as u64;
    while z >= 0x80 {
        out.push((z as u8) | 0x80);
        z >>= 7;
    }
    out.push(z as u8);
}

fn read_zigzag(buf: &[u8]) -> Result<(i64, &[u8]), WireError> {
    let mut z: u64 = 0;
    for (i, &b) in buf.iter().enumerate() {
        if i >= 10 {
            return Err(WireError::InvalidIndexes(
                "varint longer than 10 bytes".into(),
            ));
        }
        z |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            let n = ((z >> 1) as i64) ^ -((z & 1) as i64);
            return Ok((n, &buf[i + 1..]));
        }
    }
    Err(WireError::TruncatedIndexes(if buf.is_empty() {
        "no bytes after the header"
    } else {
        "varint ends early"
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zigzag_round_trip() {
        for n in [
            0i64,
            1,
            -1,
            63,
            -64,
            64,
            300,
            i64::from(i32::MAX),
            i64::MIN,
            i64::MAX,
        ] {
            let mut out = Vec::new();
            write_zigzag(n, &mut out);
            assert_eq!(read_zigzag(&out).unwrap(), (n, &[][..]), "{n}");
        }
    }
}

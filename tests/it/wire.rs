//! Confluent wire format: header, message indexes and their errors.

use schema_registry::wire::{
    decode_header, decode_message_indexes, encode, MessageIndexes, WireError,
};

#[test]
fn header_round_trip() {
    let mut out = Vec::new();
    encode(0x0102_0304, None, b"payload", &mut out);
    assert_eq!(&out[..5], &[0, 1, 2, 3, 4]);
    let (id, rest) = decode_header(&out).unwrap();
    assert_eq!(id, 0x0102_0304);
    assert_eq!(rest, b"payload");
}

#[test]
fn header_errors_are_precise() {
    assert_eq!(decode_header(&[]), Err(WireError::Empty));
    assert_eq!(
        decode_header(&[1, 0, 0, 0, 1]),
        Err(WireError::WrongMagic(1))
    );
    assert_eq!(
        decode_header(&[0, 0, 1]),
        Err(WireError::TruncatedHeader(3))
    );
    let msg = WireError::WrongMagic(7).to_string();
    assert!(msg.contains("wrong magic byte 7"), "{msg}");
    let msg = WireError::TruncatedHeader(3).to_string();
    assert!(msg.contains("3 bytes") && msg.contains("5 bytes"), "{msg}");
}

#[test]
fn empty_payload_after_header_is_fine_for_the_header() {
    let (id, rest) = decode_header(&[0, 0, 0, 0, 9]).unwrap();
    assert_eq!(id, 9);
    assert!(rest.is_empty());
}

#[test]
fn single_zero_byte_is_the_first_message() {
    let (ix, rest) = decode_message_indexes(&[0, 0xAA]).unwrap();
    assert_eq!(ix, MessageIndexes(vec![0]));
    assert_eq!(rest, &[0xAA]);
    let mut out = Vec::new();
    encode(1, Some(&MessageIndexes::first()), &[], &mut out);
    assert_eq!(out, vec![0, 0, 0, 0, 1, 0]);
}

#[test]
fn nested_indexes_round_trip_in_zigzag() {
    let ix = MessageIndexes(vec![1, 0, 70]);
    let mut out = Vec::new();
    encode(5, Some(&ix), &[9, 9], &mut out);
    // count 3 -> zigzag 6; 1 -> 2; 0 -> 0; 70 -> 140 = 0x8c 0x01.
    assert_eq!(&out[5..], &[6, 2, 0, 0x8c, 0x01, 9, 9]);
    let (_, rest) = decode_header(&out).unwrap();
    let (back, payload) = decode_message_indexes(rest).unwrap();
    assert_eq!(back, ix);
    assert_eq!(payload, &[9, 9]);
}

#[test]
fn index_list_errors() {
    assert!(matches!(
        decode_message_indexes(&[]),
        Err(WireError::TruncatedIndexes(_))
    ));
    // A count of 2 with only one index present.
    assert!(matches!(
        decode_message_indexes(&[4, 2]),
        Err(WireError::TruncatedIndexes(_))
    ));
    // A varint whose continuation bit never clears.
    assert!(matches!(
        decode_message_indexes(&[0x80]),
        Err(WireError::TruncatedIndexes(_))
    ));
    // Negative count (zigzag 1 = -1).
    let e = decode_message_indexes(&[1]).unwrap_err();
    assert!(matches!(e, WireError::InvalidIndexes(_)), "{e:?}");
    assert!(e.to_string().contains("negative count"), "{e}");
    // Negative index.
    let e = decode_message_indexes(&[2, 1]).unwrap_err();
    assert!(e.to_string().contains("index -1"), "{e}");
    // A huge count must not be trusted.
    let e = decode_message_indexes(&[0xfe, 0xff, 0xff, 0xff, 0x0f]).unwrap_err();
    assert!(matches!(e, WireError::TruncatedIndexes(_)), "{e:?}");
}

//! Event data kept compressed (`events.packed`).
//!
//! An event's JSON is mostly the same key names and shapes again and
//! again: a call's, a work order's, a callback's, an incident's, a planned
//! outage's notice to one customer (thousands at once). Compressed on its own,
//! 600 bytes of it come to about 360; against a dictionary holding those
//! shapes, to about 170. The dictionary is raw content (examples of the
//! payloads, [`DICTIONARY_1`]), so it needs no training and reads as
//! JSON.
//!
//! The first byte says how the rest was made: [`ZSTD_DICTIONARY_1`] is a
//! zstd frame made against dictionary 1. A dictionary, once shipped, never
//! changes: rows made with it must read back for as long as events are
//! kept. A better one would be a new format byte beside it.

use std::cell::RefCell;
use std::sync::LazyLock;

use zstd::bulk::{Compressor, Decompressor};
use zstd::dict::{DecoderDictionary, EncoderDictionary};

/// The format byte of a zstd frame made against [`DICTIONARY_1`].
pub const ZSTD_DICTIONARY_1: u8 = 1;

/// Examples of event payloads. Never edit: see the module's note.
const DICTIONARY_1: &[u8] = include_bytes!("packed_dictionary.json");

/// zstd's level: above 3, a tenth fewer bytes for twice the time.
const LEVEL: i32 = 3;

/// The most a payload may unpack to (a guard against a damaged length).
const LARGEST: u64 = 16 << 20;

static ENCODE_1: LazyLock<EncoderDictionary<'static>> = LazyLock::new(|| EncoderDictionary::copy(DICTIONARY_1, LEVEL));
static DECODE_1: LazyLock<DecoderDictionary<'static>> = LazyLock::new(|| DecoderDictionary::copy(DICTIONARY_1));

thread_local! {
    // A context is tens to hundreds of kilobytes to set up (making one for
    // each event read was 1.3 % of the server's CPU under a CTI storm):
    // one of each a thread, made on its first use.
    static COMPRESSOR: RefCell<Option<Compressor<'static>>> = const { RefCell::new(None) };
    static DECOMPRESSOR: RefCell<Option<Decompressor<'static>>> = const { RefCell::new(None) };
}

/// `text` compressed, behind its format byte.
pub fn pack(text: &str) -> Vec<u8> {
    COMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        let made = match cell.as_mut() {
            Some(c) => Ok(c),
            None => Compressor::with_prepared_dictionary(&ENCODE_1).map(|c| cell.insert(c)),
        }
        .and_then(|c| c.compress(text.as_bytes()));
        // Compressing to a growable buffer fails only when out of memory.
        let frame = made.expect("zstd compresses into a growable buffer");
        let mut out = Vec::with_capacity(frame.len() + 1);
        out.push(ZSTD_DICTIONARY_1);
        out.extend_from_slice(&frame);
        out
    })
}

/// What [`pack`] made, as text again.
pub fn unpack(packed: &[u8]) -> Result<String, String> {
    let Some((&format, frame)) = packed.split_first() else {
        return Err("empty packed data".into());
    };
    if format != ZSTD_DICTIONARY_1 {
        return Err(format!("unknown packed format {format}"));
    }
    let size = zstd::zstd_safe::get_frame_content_size(frame)
        .map_err(|_| "a damaged zstd frame".to_string())?
        .ok_or("a zstd frame without its size")?;
    if size > LARGEST {
        return Err(format!("a zstd frame of {size} bytes"));
    }
    let bytes = DECOMPRESSOR
        .with(|cell| {
            let mut cell = cell.borrow_mut();
            let d = match cell.as_mut() {
                Some(d) => d,
                None => cell.insert(Decompressor::with_prepared_dictionary(&DECODE_1)?),
            };
            d.decompress(frame, size as usize)
        })
        .map_err(|e| format!("a damaged zstd frame: {e}"))?;
    String::from_utf8(bytes).map_err(|_| "packed data that is not UTF-8".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call_payload(n: u32) -> String {
        format!(
            r#"{{"data":{{"agent":"agent{n:02}","answered_at":"2026-12-05T22:13:49.025360Z","callee_number":"19001006","caller_number":"+8437050{n:04}","category":"metering","contact_id":null,"customer_code":"PB0{n}","direction":"inbound","ended_at":null,"external_id":"Gọi lại cho chị Ngọc","id":"01a24875-69db-709a-9b55-afc945b8{n:04}","outcome":"answered","queue":"outage","source":"api","started_at":"2026-12-05T22:13:42.025360Z","talk_seconds":{n},"updated_at":"2026-12-05T23:06:24.029482Z","version":1,"wait_seconds":7}},"restricted":false}}"#
        )
    }

    #[test]
    fn what_is_packed_unpacks_to_the_same_text() {
        for n in 0..50 {
            let text = call_payload(n);
            let packed = pack(&text);
            assert_eq!(packed[0], ZSTD_DICTIONARY_1);
            assert_eq!(unpack(&packed).unwrap(), text);
        }
        for text in ["", "{}", "Đà Lạt — mất điện", &"x".repeat(100_000)] {
            assert_eq!(unpack(&pack(text)).unwrap(), text);
        }
    }

    #[test]
    fn a_call_event_packs_to_well_under_half() {
        let text = call_payload(7);
        let packed = pack(&text);
        assert!(packed.len() * 2 < text.len(), "{} of {}", packed.len(), text.len());
    }

    #[test]
    fn the_dictionary_is_the_one_shipped() {
        // Rows made against it must read back: editing it is a new format.
        let sum = DICTIONARY_1
            .iter()
            .fold(0u64, |h, &b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
        assert_eq!(
            (DICTIONARY_1.len(), sum),
            (2359, 10_663_350_594_450_531_193),
            "dictionary 1 changed"
        );
    }

    #[test]
    fn damaged_or_unknown_data_is_an_error_not_a_panic() {
        assert!(unpack(&[]).is_err());
        assert!(unpack(&[9, 1, 2, 3]).is_err());
        assert!(unpack(&[ZSTD_DICTIONARY_1, 1, 2, 3]).is_err());
        let mut packed = pack(&call_payload(1));
        packed.truncate(packed.len() - 5);
        assert!(unpack(&packed).is_err());
        // The thread's context reads on after a damaged frame.
        assert_eq!(unpack(&pack("Đã có điện")).unwrap(), "Đã có điện");
    }
}

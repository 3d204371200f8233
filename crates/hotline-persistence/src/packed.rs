//! Texts kept compressed: event data (`events.packed`) and call notes
//! (`calls.notes_packed`).
//!
//! An event's JSON is mostly the same key names and shapes again and
//! again: a call's, a work order's, a callback's, an incident's, a planned
//! outage's notice to one customer (thousands at once). Compressed on its own,
//! 600 bytes of it come to about 360; against a dictionary holding those
//! shapes, to about 170. A call's note is short Vietnamese prose, which
//! compresses badly alone (a 400-byte note to about 300) and to about 60 %
//! against a dictionary of the words and phrases agents write. Each
//! dictionary is raw content (examples, [`EVENTS_1`] and [`NOTES_1`]), so
//! it needs no training and reads as what it holds.
//!
//! The first byte says how the rest was made: [`ZSTD_DICTIONARY_1`] is a
//! zstd frame made against the events' dictionary, [`ZSTD_NOTES_1`] one
//! made against the notes'. A dictionary, once shipped, never changes: rows
//! made with it must read back for as long as they are kept. A better one
//! would be a new format byte beside it.

use std::cell::RefCell;
use std::sync::LazyLock;

use zstd::bulk::{Compressor, Decompressor};
use zstd::dict::{DecoderDictionary, EncoderDictionary};

/// The format byte of a zstd frame made against [`EVENTS_1`].
pub const ZSTD_DICTIONARY_1: u8 = 1;
/// The format byte of a zstd frame made against [`NOTES_1`].
pub const ZSTD_NOTES_1: u8 = 2;

/// Examples of event payloads. Never edit: see the module's note.
const EVENTS_1: &[u8] = include_bytes!("packed_dictionary.json");
/// Words and phrases of call notes, the commonest last (zstd reaches the
/// end of a dictionary most cheaply). Never edit: see the module's note.
const NOTES_1: &[u8] = include_bytes!("notes_dictionary.txt");

/// zstd's level: above 3, a tenth fewer bytes for twice the time.
const LEVEL: i32 = 3;

/// The most a text may unpack to (a guard against a damaged length).
const LARGEST: u64 = 16 << 20;

/// The dictionaries, by format byte less one.
const FORMATS: usize = 2;

static ENCODE: [LazyLock<EncoderDictionary<'static>>; FORMATS] = [
    LazyLock::new(|| EncoderDictionary::copy(EVENTS_1, LEVEL)),
    LazyLock::new(|| EncoderDictionary::copy(NOTES_1, LEVEL)),
];
static DECODE: [LazyLock<DecoderDictionary<'static>>; FORMATS] = [
    LazyLock::new(|| DecoderDictionary::copy(EVENTS_1)),
    LazyLock::new(|| DecoderDictionary::copy(NOTES_1)),
];

thread_local! {
    // A context is tens to hundreds of kilobytes to set up (making one for
    // each event read was 1.3 % of the server's CPU under a CTI storm):
    // one of each a thread and dictionary, made on its first use.
    static COMPRESSORS: RefCell<[Option<Compressor<'static>>; FORMATS]> = const { RefCell::new([None, None]) };
    static DECOMPRESSORS: RefCell<[Option<Decompressor<'static>>; FORMATS]> = const { RefCell::new([None, None]) };
}

/// An event's data compressed, behind its format byte.
pub fn pack(text: &str) -> Vec<u8> {
    pack_with(ZSTD_DICTIONARY_1, text)
}

/// Notes shorter than this stay text, untried: packed, they save a few
/// bytes at most (32 come to 27–30), and every read would unpack them.
const SHORTEST_NOTE: usize = 48;

/// A call's note compressed, behind its format byte; `None` for a note of
/// a few words ([`SHORTEST_NOTE`]) or where packing would not be shorter.
pub fn pack_note(text: &str) -> Option<Vec<u8>> {
    if text.len() < SHORTEST_NOTE {
        return None;
    }
    Some(pack_with(ZSTD_NOTES_1, text)).filter(|p| p.len() < text.len())
}

fn pack_with(format: u8, text: &str) -> Vec<u8> {
    let slot = usize::from(format - 1);
    COMPRESSORS.with(|cell| {
        let mut cell = cell.borrow_mut();
        let made = match cell[slot].as_mut() {
            Some(c) => Ok(c),
            None => Compressor::with_prepared_dictionary(&ENCODE[slot]).map(|c| cell[slot].insert(c)),
        }
        .and_then(|c| c.compress(text.as_bytes()));
        // Compressing to a growable buffer fails only when out of memory.
        let frame = made.expect("zstd compresses into a growable buffer");
        let mut out = Vec::with_capacity(frame.len() + 1);
        out.push(format);
        out.extend_from_slice(&frame);
        out
    })
}

/// What [`pack`] or [`pack_note`] made, as text again.
pub fn unpack(packed: &[u8]) -> Result<String, String> {
    let Some((&format, frame)) = packed.split_first() else {
        return Err("empty packed data".into());
    };
    if !(1..=FORMATS as u8).contains(&format) {
        return Err(format!("unknown packed format {format}"));
    }
    let slot = usize::from(format - 1);
    let size = zstd::zstd_safe::get_frame_content_size(frame)
        .map_err(|_| "a damaged zstd frame".to_string())?
        .ok_or("a zstd frame without its size")?;
    if size > LARGEST {
        return Err(format!("a zstd frame of {size} bytes"));
    }
    let bytes = DECOMPRESSORS
        .with(|cell| {
            let mut cell = cell.borrow_mut();
            let d = match cell[slot].as_mut() {
                Some(d) => d,
                None => cell[slot].insert(Decompressor::with_prepared_dictionary(&DECODE[slot])?),
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

    /// A note written apart from the dictionary and the benchmark's notes.
    const NOTE: &str = "Chú Ba ở tổ 7 ấp Phước Lợi gọi lần thứ ba trong tuần vì đèn nhà cứ tới 7 giờ tối là mờ hẳn, \
        xem tivi không được. Đội đã đến đo hôm thứ Hai nhưng chưa có kết quả. Chú muốn biết khi nào nâng cấp máy \
        biến áp, đã hứa chuyển trưởng đội trả lời trực tiếp.";

    #[test]
    fn a_note_packs_to_three_quarters_or_less_and_reads_back() {
        let packed = pack_note(NOTE).expect("a long note is packed");
        assert_eq!(packed[0], ZSTD_NOTES_1);
        assert!(packed.len() * 4 < NOTE.len() * 3, "{} of {}", packed.len(), NOTE.len());
        assert_eq!(unpack(&packed).unwrap(), NOTE);
        // Events and notes each read back with their own dictionary, on the
        // same thread, one after the other.
        assert_eq!(unpack(&pack(NOTE)).unwrap(), NOTE);
        assert_eq!(unpack(&packed).unwrap(), NOTE);
    }

    #[test]
    fn a_note_of_a_few_words_stays_text() {
        for short in ["", "ok", "Gọi lại", "Mất điện từ 7 giờ sáng"] {
            assert_eq!(pack_note(short), None, "{short:?}");
        }
    }

    #[test]
    fn the_dictionary_is_the_one_shipped() {
        // Rows made against it must read back: editing it is a new format.
        let sum = |d: &[u8]| {
            d.iter()
                .fold(0u64, |h, &b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
        };
        assert_eq!(
            (EVENTS_1.len(), sum(EVENTS_1)),
            (2359, 10_663_350_594_450_531_193),
            "the events' dictionary changed"
        );
        assert_eq!(
            (NOTES_1.len(), sum(NOTES_1)),
            (3437, 8_999_038_346_325_752_948),
            "the notes' dictionary changed"
        );
    }

    #[test]
    fn damaged_or_unknown_data_is_an_error_not_a_panic() {
        assert!(unpack(&[]).is_err());
        assert!(unpack(&[9, 1, 2, 3]).is_err());
        assert!(unpack(&[0, 1, 2, 3]).is_err());
        assert!(unpack(&[ZSTD_NOTES_1, 1, 2, 3]).is_err());
        assert!(unpack(&[ZSTD_DICTIONARY_1, 1, 2, 3]).is_err());
        let mut packed = pack(&call_payload(1));
        packed.truncate(packed.len() - 5);
        assert!(unpack(&packed).is_err());
        // The thread's context reads on after a damaged frame.
        assert_eq!(unpack(&pack("Đã có điện")).unwrap(), "Đã có điện");
    }
}

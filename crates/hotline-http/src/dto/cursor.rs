//! Opaque keyset cursors: the position after the last item of a page.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::DateTime;
use hotline_domain::page::Position;
use uuid::Uuid;

use crate::error::ApiError;

pub fn encode(p: Position) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}|{}", p.at.timestamp_micros(), p.id))
}

pub fn decode(raw: Option<&str>) -> Result<Option<Position>, ApiError> {
    let Some(raw) = raw else { return Ok(None) };
    let bad = || ApiError::invalid_parameter("cursor", "is not a cursor this service issued");
    let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (micros, id) = text.split_once('|').ok_or_else(bad)?;
    let at = micros
        .parse::<i64>()
        .ok()
        .and_then(DateTime::from_timestamp_micros)
        .ok_or_else(bad)?;
    let id = Uuid::parse_str(id).map_err(|_| bad())?;
    Ok(Some(Position { at, id }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_junk() {
        let p = Position {
            at: DateTime::from_timestamp_micros(1_763_600_000_123_456).unwrap(),
            id: Uuid::now_v7(),
        };
        assert_eq!(decode(Some(&encode(p))).unwrap(), Some(p));
        assert_eq!(decode(None).unwrap(), None);
        for junk in ["", "!!!", "bm90aGluZw", "MTIzfG5vdC1hLXV1aWQ"] {
            assert!(decode(Some(junk)).is_err(), "{junk}");
        }
    }
}

//! Repeated voltage complaints: a voltage-quality work order repeats the
//! earlier ones of the same unit opened within the previous 90 days, in the
//! same area or naming the same transformer station (compared without
//! case or diacritics).

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use crate::codes::{AreaCode, UnitCode};
use crate::text;

/// How far back a voltage complaint looks for the ones it repeats.
pub const REPEAT_WINDOW: TimeDelta = TimeDelta::days(90);

/// A voltage-quality work order, as the repeat rule needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct VoltageMark {
    pub id: Uuid,
    pub code: String,
    pub unit_code: Option<UnitCode>,
    pub area_code: Option<AreaCode>,
    /// As its facts name it.
    pub transformer_station: Option<String>,
    pub opened_at: DateTime<Utc>,
}

/// Why two complaints are linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Link {
    pub same_area: bool,
    pub same_transformer: bool,
}

impl VoltageMark {
    /// The transformer station as compared: folded, None when blank.
    pub fn transformer_key(&self) -> Option<String> {
        self.transformer_station
            .as_deref()
            .map(text::fold)
            .filter(|k| !k.is_empty())
    }

    /// How this complaint repeats `earlier` (opened before it within the
    /// window, in the same unit), if it does.
    pub fn repeats(&self, earlier: &VoltageMark) -> Option<Link> {
        let window = earlier.opened_at < self.opened_at && earlier.opened_at >= self.opened_at - REPEAT_WINDOW;
        if earlier.id == self.id || !window || earlier.unit_code != self.unit_code {
            return None;
        }
        let link = Link {
            same_area: self.area_code.is_some() && self.area_code == earlier.area_code,
            same_transformer: self.transformer_key().is_some() && self.transformer_key() == earlier.transformer_key(),
        };
        (link.same_area || link.same_transformer).then_some(link)
    }

    /// Whether this complaint repeats any of `others`, and how.
    pub fn link_among(&self, others: &[VoltageMark]) -> Link {
        others
            .iter()
            .filter_map(|o| self.repeats(o))
            .fold(Link::default(), |acc, l| Link {
                same_area: acc.same_area || l.same_area,
                same_transformer: acc.same_transformer || l.same_transformer,
            })
    }
}

/// The earlier complaints a voltage-quality work order repeats: their
/// codes, oldest first, and how many.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Repeats {
    pub codes: Vec<String>,
    pub count: usize,
}

impl Repeats {
    /// The ones among `others` that `this` repeats.
    pub fn of(this: &VoltageMark, others: &[VoltageMark]) -> Repeats {
        let mut earlier: Vec<&VoltageMark> = others.iter().filter(|o| this.repeats(o).is_some()).collect();
        earlier.sort_by_key(|o| (o.opened_at, o.id));
        Repeats {
            count: earlier.len(),
            codes: earlier.into_iter().map(|o| o.code.clone()).collect(),
        }
    }
}

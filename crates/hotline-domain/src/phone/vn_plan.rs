//! Whether a Vietnamese national number is valid, by libphonenumber's own
//! patterns for +84 as the `phonenumber` crate holds them, compiled once
//! here and matched the way that crate matches them (the number's length
//! among the pattern's lengths, and a match starting at its first digit).
//!
//! The crate matches through one regex cache behind one process-wide lock,
//! held for the whole match, and the cache keeps 100 of its metadata's
//! patterns, far fewer than it has, so it compiles patterns again and
//! again: validating the caller's number took 8% of the server's CPU under
//! call ingest, and every core would queue on that lock. This answers only
//! "valid"; anything else (another country, a number these patterns refuse)
//! still goes through the crate, which names the error.

use std::sync::LazyLock;

use phonenumber::Type;
use phonenumber::metadata::{DATABASE, Descriptor};
use regex::{Regex, RegexBuilder};

const VN_CODE: u16 = 84;

struct Pattern {
    re: Regex,
    lengths: Vec<u16>,
}

impl Pattern {
    fn of(d: &Descriptor) -> Option<Pattern> {
        let re = RegexBuilder::new(d.national_number().as_str())
            .ignore_whitespace(true)
            .build()
            .ok()?;
        Some(Pattern {
            re,
            lengths: d.possible_length().to_vec(),
        })
    }

    fn matches(&self, national: &str) -> bool {
        let fits = self.lengths.is_empty() || u16::try_from(national.len()).is_ok_and(|n| self.lengths.contains(&n));
        fits && self.re.find(national).is_some_and(|m| m.start() == 0)
    }
}

/// The general pattern, and one for each kind of number the crate counts
/// as valid (any kind but unknown).
struct Plan {
    general: Pattern,
    kinds: Vec<Pattern>,
}

const KINDS: [Type; 10] = [
    Type::PremiumRate,
    Type::TollFree,
    Type::SharedCost,
    Type::Voip,
    Type::PersonalNumber,
    Type::Pager,
    Type::Uan,
    Type::Voicemail,
    Type::FixedLine,
    Type::Mobile,
];

static VN: LazyLock<Option<Plan>> = LazyLock::new(|| {
    let meta = DATABASE.by_code(&VN_CODE)?.into_iter().next()?;
    let d = meta.descriptors();
    let kinds = KINDS.iter().filter_map(|k| d.get(*k)).map(Pattern::of);
    Some(Plan {
        general: Pattern::of(d.general())?,
        kinds: kinds.collect::<Option<Vec<_>>>()?,
    })
});

/// True when `national` (digits after +84) is a valid Vietnamese number;
/// false when it is not, or when that cannot be told here.
pub(super) fn valid(national: &str) -> bool {
    VN.as_ref()
        .is_some_and(|p| p.general.matches(national) && p.kinds.iter().any(|k| k.matches(national)))
}

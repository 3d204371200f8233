//! The Vietnamese for every English text the API sends: problem titles,
//! details and field messages ([`message`]), and the names in CSV exports
//! — column headers and status codes ([`name`]).
//!
//! A message entry is a template: `{}`, `{*}` and `{f}` stand for values the
//! English text carries and are put back in the same place. A `{}` value
//! that is itself English text (a noun such as `work order`, an action such
//! as `read the audit trail`, a status) is translated in turn; `{*}` (a
//! code, a number) and `{f}` (a field name) are kept; `{p}` (a parser's
//! own words) is put into Vietnamese phrase by phrase, its quoted values kept.

use std::collections::HashMap;
use std::sync::LazyLock;

mod messages;
mod names;
mod parser;

use messages::MESSAGES;
use names::NAMES;

struct Templates {
    exact: HashMap<&'static str, &'static str>,
    /// Templates with values, the longest fixed text first (the most
    /// specific wins).
    patterns: Vec<Template>,
}

/// A template cut at its values: the fixed texts around them, and how each
/// value goes into the Vietnamese.
struct Template {
    en: Vec<&'static str>,
    vi: Vec<&'static str>,
    holes: Vec<Hole>,
}

/// A value in a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hole {
    /// `{}`: put in Vietnamese when it is English text.
    Text,
    /// `{*}`: kept word for word (a code, a number, a parser's own words).
    Verbatim,
    /// `{f}`: a field or parameter name, kept; one word, never a sentence.
    Field,
    /// `{p}`: a parser's own words, translated phrase by phrase.
    Parser,
}

/// Splits at `{}`, `{*}`, `{f}` and `{p}`: the fixed texts and the values.
fn cut(t: &'static str) -> (Vec<&'static str>, Vec<Hole>) {
    let (mut texts, mut holes) = (Vec::new(), Vec::new());
    let mut rest = t;
    while let Some(i) = rest.find('{') {
        let (len, hole) = if rest[i..].starts_with("{}") {
            (2, Hole::Text)
        } else if rest[i..].starts_with("{*}") {
            (3, Hole::Verbatim)
        } else if rest[i..].starts_with("{f}") {
            (3, Hole::Field)
        } else if rest[i..].starts_with("{p}") {
            (3, Hole::Parser)
        } else {
            break;
        };
        texts.push(&rest[..i]);
        holes.push(hole);
        rest = &rest[i + len..];
    }
    texts.push(rest);
    (texts, holes)
}

static TEMPLATES: LazyLock<Templates> = LazyLock::new(|| {
    let mut exact = HashMap::new();
    let mut patterns = Vec::new();
    for (en, vi) in MESSAGES {
        let (en_texts, holes) = cut(en);
        if holes.is_empty() {
            exact.insert(*en, *vi);
        } else {
            patterns.push(Template {
                en: en_texts,
                vi: cut(vi).0,
                holes,
            });
        }
    }
    patterns.sort_by_key(|t| std::cmp::Reverse(t.en.iter().map(|s| s.len()).sum::<usize>()));
    Templates { exact, patterns }
});

static NAME_MAP: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| NAMES.iter().copied().collect());

/// The Vietnamese for an English text; None when the catalogue lacks it.
pub fn message(text: &str) -> Option<String> {
    let t = &*TEMPLATES;
    if let Some(vi) = t.exact.get(text) {
        return Some((*vi).to_string());
    }
    'next: for template in &t.patterns {
        let Some(values) = captures(&template.en, text) else {
            continue;
        };
        let mut out = String::with_capacity(text.len() * 2);
        for (i, literal) in template.vi.iter().enumerate() {
            out.push_str(literal);
            if i + 1 < template.vi.len() {
                let v = values[i];
                match template.holes[i] {
                    Hole::Verbatim => out.push_str(v),
                    Hole::Field if !v.contains(char::is_whitespace) => out.push_str(v),
                    Hole::Field => continue 'next,
                    Hole::Parser => out.push_str(&parser::translate(v)),
                    Hole::Text => match value(v) {
                        Some(v) => out.push_str(&v),
                        None => continue 'next,
                    },
                }
            }
        }
        return Some(out);
    }
    None
}

/// What the values of a template stand for in `text`, in order.
fn captures<'t>(literals: &[&str], text: &'t str) -> Option<Vec<&'t str>> {
    let (first, rest) = literals.split_first()?;
    let mut at = text.strip_prefix(first)?;
    let mut values = Vec::with_capacity(rest.len());
    for (i, lit) in rest.iter().enumerate() {
        let end = if i + 1 == rest.len() {
            at.strip_suffix(lit)?.len()
        } else {
            at.find(lit)?
        };
        if end == 0 {
            return None;
        }
        values.push(&at[..end]);
        at = &at[end + lit.len()..];
    }
    Some(values)
}

/// A template's value as it goes into the Vietnamese: English text
/// translated, a plain value (number, code, field, quoted text) as it is.
fn value(v: &str) -> Option<String> {
    if let Some(t) = message(v) {
        return Some(t);
    }
    if let Some(n) = name(v) {
        return Some(n.to_string());
    }
    // A list of codes (`assign, cancel`): each named.
    if v.contains(", ") {
        let named: Option<Vec<&str>> = v.split(", ").map(name).collect();
        if let Some(named) = named {
            return Some(named.join(", "));
        }
    }
    plain(v).then(|| v.to_string())
}

/// Not English prose: one token, or quoted, or a list of tokens.
fn plain(v: &str) -> bool {
    let v = v.trim();
    v.is_empty()
        || v.starts_with(['"', '`', '\'', '(', '[', '{', '<'])
        || v.split([',', ' ', '|', '/']).filter(|w| !w.is_empty()).all(|w| {
            w.chars()
                .any(|c| c.is_ascii_digit() || c == '_' || c == '.' || c == ':' || c == '-' || c == '+')
                || w.chars().any(char::is_uppercase)
                || w.len() <= 2
                || !w.is_ascii()
        })
}

/// The Vietnamese for a column header or a code shown in an export.
pub fn name(code: &str) -> Option<&'static str> {
    NAME_MAP.get(code).copied()
}

/// Every code the catalogue names, for the tests.
pub fn names() -> impl Iterator<Item = &'static str> {
    NAMES.iter().map(|(en, _)| *en)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_put_values_back_and_translate_the_english_ones() {
        assert_eq!(message("is required").as_deref(), Some("là bắt buộc"));
        assert_eq!(
            message("must be at most 2000 characters").as_deref(),
            Some("tối đa 2000 ký tự")
        );
        assert_eq!(
            message("no such work order").as_deref(),
            Some("không có phiếu công việc này")
        );
        assert_eq!(
            message("the agent role may not read the audit trail").as_deref(),
            Some("vai trò điện thoại viên không được xem nhật ký kiểm tra")
        );
        assert_eq!(message("no such blob"), None, "an unknown noun is not passed off");
        assert_eq!(message("something nobody wrote"), None);
    }

    #[test]
    fn no_entry_is_there_twice() {
        let mut seen = std::collections::HashSet::new();
        for (en, _) in MESSAGES {
            assert!(seen.insert(*en), "{en:?} twice in the messages");
        }
        let mut seen = std::collections::HashSet::new();
        for (en, _) in NAMES {
            assert!(seen.insert(*en), "{en:?} twice in the names");
        }
    }

    #[test]
    fn templates_keep_their_values() {
        for (en, vi) in MESSAGES {
            assert_eq!(
                cut(en).1,
                cut(vi).1,
                "{en:?} → {vi:?}: the same values in the same order"
            );
            assert!(!vi.trim().is_empty(), "{en:?} has no Vietnamese");
        }
    }
}

//! 3CX CRM integration bodies: the contact-lookup answer 3CX maps into its
//! contacts, and the call journal its `ReportCall` scenario posts.
//!
//! Field names follow 3CX, not this API's snake_case: the lookup answer is
//! what `integrations/3cx/hotline.xml` reads by path, and the journal's
//! fields are named exactly as the 3CX variables the template posts.

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use hotline_app::cti::lookup::Contact;
use hotline_domain::FieldError;
use hotline_domain::call::{Direction, Outcome};
use hotline_domain::phone::{PhoneKind, PhoneNumber};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

/// The contact lookup's query.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ContactQuery {
    /// The caller's number as 3CX has it, in any written form
    /// (`0912345678`, `+84912345678`, `84912345678`, `(028) 3822 1234`, old
    /// 11-digit mobiles). A withheld, empty or unreadable number finds nobody.
    #[param(example = "0912345678")]
    pub number: Option<String>,
}

/// The customers a number belongs to, for 3CX.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreeCxContacts {
    /// Empty when nobody has this number (or it is withheld or unreadable).
    pub contacts: Vec<ThreeCxContact>,
}

/// One customer as a 3CX contact. Absent values are empty strings, which
/// 3CX treats as "not set".
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ThreeCxContact {
    /// The customer's id (3CX `ContactID`).
    pub id: String,
    /// The whole name, family name first as Vietnamese names are written
    /// (`Nguyễn Văn Á`), so 3CX shows it in its natural order.
    #[schema(example = "Nguyễn Văn Á")]
    pub first_name: String,
    /// Always empty: the whole name is in `firstName`.
    pub last_name: String,
    /// The customer code, what agents read out (3CX `CompanyName`).
    #[schema(example = "PB03020045525")]
    pub company: String,
    pub email: String,
    /// The first Vietnamese mobile number, E.164.
    #[schema(example = "+84912345678")]
    pub phone_mobile: String,
    /// The first landline (or other non-mobile number), E.164.
    #[schema(example = "+842838221234")]
    pub phone_business: String,
    /// The customer in this API; absolute when the request named its host.
    pub url: String,
    /// What the agent should know before answering, in Vietnamese, empty
    /// when nothing: the outage under way in the customer's area with its
    /// restoration estimate, and planned work announced or under way for
    /// them (window, reason, whether they were told). The template shows it
    /// after the customer code.
    #[schema(example = "Mất điện: sự cố SC-2026-0012, dự kiến có điện 14:30 05/12")]
    pub notice: String,
}

/// Local time as agents read it: `14:30 05/12`.
fn local(at: DateTime<Utc>) -> String {
    super::reports::local(at).format("%H:%M %d/%m").to_string()
}

/// The contact's notice line: the outage first, then each planned work.
fn notice(contact: &Contact) -> String {
    let mut parts = Vec::new();
    if let Some(i) = &contact.incident {
        let name = i.code.clone().unwrap_or_else(|| "chưa đặt mã".into());
        parts.push(match i.estimated_restoration_at {
            Some(at) => format!("Mất điện: sự cố {name}, dự kiến có điện {}", local(at)),
            None => format!("Mất điện: sự cố {name}, chưa có giờ dự kiến"),
        });
    }
    for w in &contact.planned_work {
        let n = &w.notice;
        let told = if w.notified.is_empty() {
            "chưa báo khách"
        } else {
            "đã báo khách"
        };
        parts.push(format!(
            "Cắt điện kế hoạch {}: {} → {}, {} ({told})",
            n.code,
            local(n.starts_at),
            local(n.expected_end_at),
            n.reason
        ));
    }
    parts.join("; ")
}

impl ThreeCxContact {
    /// `base` is `scheme://host` when known, empty for a relative URL.
    pub fn new(contact: &Contact, base: &str) -> Self {
        let c = &contact.customer;
        let numbers = || c.phones.iter().map(|p| &p.number);
        let mobile = numbers().find(|n| is_vn_mobile(n));
        let landline = numbers().find(|n| is_vn_landline(n));
        let other = numbers().find(|n| n.kind() != PhoneKind::Extension && !is_vn_mobile(n));
        ThreeCxContact {
            id: c.id.to_string(),
            first_name: c.name.clone(),
            last_name: String::new(),
            company: c.code.to_string(),
            email: c.email.clone().unwrap_or_default(),
            phone_mobile: mobile.map(|n| n.as_str().to_string()).unwrap_or_default(),
            phone_business: landline.or(other).map(|n| n.as_str().to_string()).unwrap_or_default(),
            url: format!("{base}/api/v1/customers/{}", c.id),
            notice: notice(contact),
        }
    }
}

/// `+84` then 9 digits starting 3, 5, 7, 8 or 9.
fn is_vn_mobile(n: &PhoneNumber) -> bool {
    n.as_str()
        .strip_prefix("+84")
        .is_some_and(|rest| rest.len() == 9 && rest.starts_with(['3', '5', '7', '8', '9']))
}

/// `+84 2…`: fixed lines under the 2017 area codes.
fn is_vn_landline(n: &PhoneNumber) -> bool {
    n.as_str().strip_prefix("+84").is_some_and(|rest| rest.starts_with('2'))
}

/// What the 3CX `ReportCall` scenario posts, as JSON or form-encoded. Every
/// value is text as 3CX renders it; other fields 3CX may send are ignored.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct JournalBody {
    /// `Inbound` (answered), `Missed`, `Outbound` (answered) or `Notanswered`
    /// (outbound, nobody picked up). Case does not matter.
    #[serde(rename = "CallType")]
    #[schema(value_type = String, required = true)]
    #[schema(example = "Inbound")]
    pub call_type: Option<String>,
    /// The customer's number: the caller of an inbound call, the callee of
    /// an outbound one. Any written form; empty or `anonymous` when withheld.
    #[serde(rename = "Number")]
    #[schema(value_type = String, required = false)]
    #[schema(example = "0912345678")]
    pub number: Option<String>,
    /// The agent's extension.
    #[serde(rename = "Agent")]
    #[schema(value_type = String, required = false)]
    #[schema(example = "101")]
    pub agent: Option<String>,
    /// Talk time, `hh:mm:ss` or seconds. Fills in the answer time when
    /// `CallEstablishedTimeUTC` is missing, and the end when `CallEndTimeUTC` is.
    #[serde(rename = "Duration")]
    #[schema(value_type = String, required = false)]
    #[schema(example = "00:03:40")]
    pub duration: Option<String>,
    /// When the call started ringing, UTC: `MM/dd/yyyy HH:mm:ss` (how 3CX
    /// renders it), `yyyy-MM-dd HH:mm:ss`, or RFC 3339.
    #[serde(rename = "CallStartTimeUTC")]
    #[schema(value_type = String, required = true)]
    #[schema(example = "11/20/2026 01:00:00")]
    pub call_start_time_utc: Option<String>,
    /// When it was answered, UTC; empty when nobody answered.
    #[serde(rename = "CallEstablishedTimeUTC")]
    #[schema(value_type = String, required = false)]
    #[schema(example = "11/20/2026 01:00:25")]
    pub call_established_time_utc: Option<String>,
    /// When it ended, UTC.
    #[serde(rename = "CallEndTimeUTC")]
    #[schema(value_type = String, required = false)]
    #[schema(example = "11/20/2026 01:04:05")]
    pub call_end_time_utc: Option<String>,
    /// The queue the call came through, if any; stored as the queue and, for
    /// an inbound call, as the number called.
    #[serde(rename = "QueueExtension")]
    #[schema(value_type = String, required = false)]
    #[schema(example = "800")]
    pub queue_extension: Option<String>,
    /// The customer's name as 3CX knows it.
    #[serde(rename = "Name")]
    #[schema(value_type = String, required = false)]
    pub name: Option<String>,
}

/// The 3CX call types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallType {
    Inbound,
    Missed,
    Outbound,
    NotAnswered,
}

impl CallType {
    fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "inbound" => Some(CallType::Inbound),
            "missed" => Some(CallType::Missed),
            "outbound" => Some(CallType::Outbound),
            // 3CX writes `Notanswered`; some templates say `Unanswered`.
            "notanswered" | "unanswered" => Some(CallType::NotAnswered),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CallType::Inbound => "Inbound",
            CallType::Missed => "Missed",
            CallType::Outbound => "Outbound",
            CallType::NotAnswered => "Notanswered",
        }
    }

    pub fn direction(self) -> Direction {
        match self {
            CallType::Inbound | CallType::Missed => Direction::Inbound,
            CallType::Outbound | CallType::NotAnswered => Direction::Outbound,
        }
    }

    pub fn outcome(self) -> Outcome {
        match self {
            CallType::Inbound | CallType::Outbound => Outcome::Answered,
            CallType::Missed | CallType::NotAnswered => Outcome::Missed,
        }
    }

    fn answered(self) -> bool {
        self.outcome() == Outcome::Answered
    }
}

/// A checked journal entry.
#[derive(Debug, Clone)]
pub struct Journal {
    pub call_type: CallType,
    /// As sent, trimmed.
    pub number: String,
    pub agent: String,
    pub queue: String,
    pub name: String,
    pub started_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
}

fn trimmed(v: &Option<String>) -> String {
    v.as_deref().unwrap_or("").trim().to_string()
}

impl JournalBody {
    /// Checks the body; every failure is named by its 3CX field.
    pub fn check(&self) -> Result<Journal, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field: &str, message: String| {
            errors.push(FieldError {
                field: field.into(),
                message,
            })
        };
        let call_type = match self.call_type.as_deref().map(str::trim) {
            None | Some("") => {
                fail("CallType", "is required".into());
                None
            }
            Some(raw) => CallType::parse(raw).or_else(|| {
                fail(
                    "CallType",
                    format!("must be Inbound, Missed, Outbound or Notanswered, not {raw:?}"),
                );
                None
            }),
        };
        let mut time = |field: &str, raw: &Option<String>| match parse_time(raw.as_deref().unwrap_or("")) {
            Ok(t) => t,
            Err(m) => {
                fail(field, m);
                None
            }
        };
        let started = time("CallStartTimeUTC", &self.call_start_time_utc);
        let established = time("CallEstablishedTimeUTC", &self.call_established_time_utc);
        let ended = time("CallEndTimeUTC", &self.call_end_time_utc);
        let duration = match parse_duration(self.duration.as_deref().unwrap_or("")) {
            Ok(d) => d,
            Err(m) => {
                fail("Duration", m);
                None
            }
        };
        let started = match started {
            Some(s) => Some(s),
            None if self.call_start_time_utc.as_deref().unwrap_or("").trim().is_empty() => {
                fail("CallStartTimeUTC", "is required".into());
                None
            }
            None => None,
        };
        let (Some(call_type), Some(started_at)) = (call_type, started) else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        // A missed call was never answered by a person, whatever picked it
        // up (voicemail may leave an established time).
        let answered_at = if call_type.answered() {
            // Never before the start, whatever Duration says.
            established.or_else(|| Some((ended? - duration?).max(started_at)))
        } else {
            None
        };
        let ended_at = ended.or_else(|| Some(answered_at.unwrap_or(started_at) + duration?));
        Ok(Journal {
            call_type,
            number: trimmed(&self.number),
            agent: trimmed(&self.agent),
            queue: trimmed(&self.queue_extension),
            name: trimmed(&self.name),
            started_at,
            answered_at,
            ended_at,
        })
    }
}

impl Journal {
    /// The number as stored: E.164 when it parses, else as sent.
    fn normalised_number(&self) -> String {
        match PhoneNumber::parse(&self.number) {
            Ok(Some(n)) => n.as_str().to_string(),
            Ok(None) => String::new(),
            Err(_) => self.number.clone(),
        }
    }

    /// What identifies one call: 3CX sends no call id, so the call type, the
    /// customer's number, the agent and the start instant stand in for one.
    /// Retries (in either encoding, any written form of the number or time)
    /// give the same value.
    pub fn identity(&self) -> Value {
        json!({
            "CallType": self.call_type.as_str(),
            "Number": self.normalised_number(),
            "Agent": self.agent,
            "CallStartTimeUTC": self.started_at,
        })
    }
}

/// A 3CX time variable, in UTC. Empty is `None`. Accepts RFC 3339,
/// `yyyy-MM-dd[T ]HH:mm:ss[.fff][Z]`, `MM/dd/yyyy HH:mm:ss` (3CX's rendering;
/// `h:mm:ss AM` too, and day first when the first number cannot be a month)
/// and `dd.MM.yyyy HH:mm:ss`.
pub fn parse_time(raw: &str) -> Result<Option<DateTime<Utc>>, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    let bare = s
        .strip_suffix(" UTC")
        .or_else(|| s.strip_suffix(['Z', 'z']))
        .unwrap_or(s)
        .trim();
    let day_first = bare
        .split('/')
        .next()
        .and_then(|first| first.parse::<u32>().ok())
        .is_some_and(|first| first > 12);
    let formats: &[&str] = if day_first {
        &["%d/%m/%Y %H:%M:%S%.f", "%d/%m/%Y %I:%M:%S %p", "%d/%m/%Y %H:%M"]
    } else {
        &[
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M:%S%.f",
            "%m/%d/%Y %H:%M:%S%.f",
            "%m/%d/%Y %I:%M:%S %p",
            "%m/%d/%Y %H:%M",
            "%d.%m.%Y %H:%M:%S%.f",
        ]
    };
    formats
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(bare, f).ok())
        .map(|t| Some(t.and_utc()))
        .ok_or_else(|| {
            "must be a UTC time like 11/20/2026 08:00:00, 2026-11-20 08:00:00 or 2026-11-20T08:00:00Z".into()
        })
}

/// A 3CX duration: `hh:mm:ss` (hours may exceed 24; `d.hh:mm:ss` and a
/// fraction of a second are accepted), `mm:ss`, or whole or decimal seconds.
/// Empty is `None`.
pub fn parse_duration(raw: &str) -> Result<Option<TimeDelta>, String> {
    const MESSAGE: &str = "must be hh:mm:ss or a number of seconds";
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let number = |p: &str| -> Result<f64, String> {
        let ok = !p.is_empty() && p.chars().all(|c| c.is_ascii_digit() || c == '.');
        p.parse::<f64>()
            .ok()
            .filter(|v| ok && v.is_finite())
            .ok_or_else(|| MESSAGE.to_string())
    };
    let parts: Vec<&str> = s.split(':').collect();
    let seconds = match parts.as_slice() {
        [secs] => number(secs)?,
        [m, secs] => number(m)? * 60.0 + number(secs)?,
        [h, m, secs] => {
            let hours = match h.split_once('.') {
                Some((d, h)) => number(d)? * 24.0 + number(h)?,
                None => number(h)?,
            };
            hours * 3600.0 + number(m)? * 60.0 + number(secs)?
        }
        _ => return Err(MESSAGE.into()),
    };
    // A call longer than a week is not a call.
    if seconds > 7.0 * 24.0 * 3600.0 {
        return Err("is too long".into());
    }
    Ok(Some(TimeDelta::milliseconds((seconds * 1000.0).round() as i64)))
}

/// The same variables as [`JournalBody`], form-encoded. A schema of its
/// own so that clients generated from the OpenAPI document get one type per
/// encoding and send each as what it is.
pub struct JournalForm;

impl utoipa::PartialSchema for JournalForm {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <JournalBody as utoipa::PartialSchema>::schema()
    }
}

impl ToSchema for JournalForm {}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn times_in_every_form_3cx_renders() {
        let expected = t("2026-11-20T08:00:00Z");
        for raw in [
            "11/20/2026 08:00:00",
            "11/20/2026 8:00:00",
            "11/20/2026 08:00:00 AM",
            "11/20/2026 8:00:00 AM",
            "20/11/2026 08:00:00",
            "2026-11-20 08:00:00",
            "2026-11-20 08:00:00.000",
            "2026-11-20T08:00:00",
            "2026-11-20T08:00:00Z",
            "2026-11-20T15:00:00+07:00",
            "2026-11-20 08:00:00Z",
            "2026-11-20 08:00:00 UTC",
            "20.11.2026 08:00:00",
            " 11/20/2026 08:00:00 ",
        ] {
            assert_eq!(parse_time(raw), Ok(Some(expected)), "{raw:?}");
        }
        assert_eq!(parse_time("11/20/2026 8:00:00 PM"), Ok(Some(t("2026-11-20T20:00:00Z"))));
        assert_eq!(parse_time("03/04/2026 10:00:00"), Ok(Some(t("2026-03-04T10:00:00Z"))));
        assert_eq!(parse_time(""), Ok(None));
        assert_eq!(parse_time("  "), Ok(None));
        for bad in [
            "yesterday",
            "13/13/2026 08:00:00",
            "2026-11-20",
            "2026-02-30 08:00:00",
            "[CallStartTimeUTC]",
        ] {
            assert!(parse_time(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn durations() {
        let secs = |s: &str| parse_duration(s).map(|d| d.map(|d| d.num_seconds()));
        assert_eq!(secs("00:03:40"), Ok(Some(220)));
        assert_eq!(secs("0:03:40"), Ok(Some(220)));
        assert_eq!(secs("01:00:00"), Ok(Some(3600)));
        assert_eq!(secs("1.02:00:00"), Ok(Some(26 * 3600)));
        assert_eq!(secs("03:40"), Ok(Some(220)));
        assert_eq!(secs("220"), Ok(Some(220)));
        assert_eq!(secs("220.4"), Ok(Some(220)));
        assert_eq!(secs("00:00:05.5").map(|d| d.map(|_| ())), Ok(Some(())));
        assert_eq!(secs(""), Ok(None));
        for bad in ["-5", "abc", "1:2:3:4", "::", "1e9", "NaN", "inf", "99999999"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
    }

    fn body(call_type: &str) -> JournalBody {
        JournalBody {
            call_type: Some(call_type.into()),
            number: Some("0912345678".into()),
            agent: Some("101".into()),
            duration: Some("00:03:40".into()),
            call_start_time_utc: Some("11/20/2026 01:00:00".into()),
            call_established_time_utc: Some("11/20/2026 01:00:25".into()),
            call_end_time_utc: Some("11/20/2026 01:04:05".into()),
            queue_extension: Some("800".into()),
            name: None,
        }
    }

    fn fields(b: &JournalBody) -> Vec<String> {
        b.check().unwrap_err().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn call_types_map_to_direction_and_outcome() {
        let j = body("Inbound").check().unwrap();
        assert_eq!(
            (j.call_type.direction(), j.call_type.outcome()),
            (Direction::Inbound, Outcome::Answered)
        );
        assert_eq!(j.answered_at, Some(t("2026-11-20T01:00:25Z")));
        let j = body("missed").check().unwrap();
        assert_eq!((j.call_type.direction(), j.answered_at), (Direction::Inbound, None));
        let j = body("Notanswered").check().unwrap();
        assert_eq!(
            (j.call_type.direction(), j.call_type.outcome()),
            (Direction::Outbound, Outcome::Missed)
        );
        assert_eq!(body("Unanswered").check().unwrap().call_type, CallType::NotAnswered);
    }

    #[test]
    fn duration_fills_missing_times() {
        let mut b = body("Inbound");
        b.call_established_time_utc = Some(String::new());
        assert_eq!(b.check().unwrap().answered_at, Some(t("2026-11-20T01:00:25Z")));
        let mut b = body("Outbound");
        b.call_end_time_utc = None;
        assert_eq!(b.check().unwrap().ended_at, Some(t("2026-11-20T01:04:05Z")));
    }

    #[test]
    fn names_the_bad_3cx_field() {
        assert_eq!(fields(&body("Transferred")), ["CallType"]);
        let mut b = body("Inbound");
        b.call_type = None;
        b.call_start_time_utc = Some("soon".into());
        b.duration = Some("long".into());
        assert_eq!(fields(&b), ["CallType", "CallStartTimeUTC", "Duration"]);
        let mut b = body("Inbound");
        b.call_start_time_utc = None;
        assert_eq!(fields(&b), ["CallStartTimeUTC"]);
    }

    #[test]
    fn identity_ignores_how_things_were_written() {
        let a = body("Inbound").check().unwrap();
        let mut other = body("inbound");
        other.number = Some("+84 912 345 678".into());
        other.call_start_time_utc = Some("2026-11-20T01:00:00Z".into());
        other.duration = Some("221".into());
        assert_eq!(a.identity(), other.check().unwrap().identity());
        assert_ne!(a.identity(), body("Missed").check().unwrap().identity());
    }
}

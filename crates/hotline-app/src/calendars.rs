//! Working calendars: which days and hours count as working time for
//! service deadlines. Everyone but field crews reads them; admins create
//! and replace them.

use chrono::NaiveDate;
use hotline_domain::audit::{AuditEntry, diff};
use hotline_domain::calendar::{Calendar, DayInfo};
use hotline_domain::principal::Principal;
use hotline_domain::sla::StoredCalendar;
use hotline_domain::{DomainError, StoreError};

use crate::roles::require;
use crate::versions::{check, stored};
use crate::{App, AppResult};

/// 403 unless the caller's role may read calendars.
pub fn may_read(who: &Principal) -> AppResult<()> {
    require(who, who.role.can_read_sla(), "read calendars")
}

/// 403 unless the caller's role may create and replace calendars.
pub fn may_manage(who: &Principal) -> AppResult<()> {
    require(who, who.role.can_manage_sla(), "change calendars")
}

/// Every calendar, by code.
pub async fn list(app: &App, who: &Principal) -> AppResult<Vec<StoredCalendar>> {
    may_read(who)?;
    Ok(app.store.calendars().list().await?)
}

/// One calendar; 404 when there is none with this code.
pub async fn get(app: &App, who: &Principal, code: &str) -> AppResult<StoredCalendar> {
    may_read(who)?;
    app.store
        .calendars()
        .get(code)
        .await?
        .ok_or(DomainError::NotFound("calendar"))
}

/// What each day from `from` to `to` (both included) is in the calendar
/// `code`.
pub async fn days(app: &App, who: &Principal, code: &str, from: NaiveDate, to: NaiveDate) -> AppResult<Vec<DayInfo>> {
    Ok(get(app, who, code).await?.calendar.days(from, to))
}

/// Which version of a calendar the caller says it read before a put.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// It says nothing (no `If-Match`): only creating is allowed.
    Nothing,
    /// Any version (`If-Match: *`).
    Any,
    /// This version.
    Version(i64),
}

/// What a put did.
#[derive(Debug)]
pub enum Put {
    Created(StoredCalendar),
    Replaced(StoredCalendar),
    /// The calendar exists and the caller said nothing of the version it
    /// read: nothing was changed (428).
    VersionRequired,
}

/// Creates the calendar `calendar.code` or replaces it whole.
///
/// Creating needs `read` [`Read::Nothing`] (any other cannot match a
/// calendar that does not exist: 412, also when someone else created it
/// meanwhile); replacing needs the version read (412 when the caller read
/// another or someone changed it since).
pub async fn put(
    app: &App,
    who: &Principal,
    calendar: Calendar,
    unit_code: Option<String>,
    read: Read,
) -> AppResult<Put> {
    may_manage(who)?;
    let now = app.now();
    let Some(current) = app.store.calendars().get(&calendar.code).await? else {
        if read != Read::Nothing {
            return Err(DomainError::PreconditionFailed);
        }
        let created = StoredCalendar::create(calendar, unit_code, now)?;
        let entry = AuditEntry::new("calendar", created.id, "create", who, now, created.audit_view());
        return match app.store.calendars().create(&created, &entry).await {
            Ok(()) => Ok(Put::Created(created)),
            Err(StoreError::Duplicate(_)) => Err(DomainError::PreconditionFailed),
            Err(e) => Err(e.into()),
        };
    };
    match read {
        Read::Nothing => return Ok(Put::VersionRequired),
        Read::Any => {}
        Read::Version(v) => check(Some(v), current.version)?,
    }
    let next = current.replaced(calendar, unit_code, now)?;
    let changes = diff(&current.audit_view(), &next.audit_view());
    let entry = AuditEntry::new("calendar", next.id, "update", who, now, changes);
    stored(app.store.calendars().replace(&next, current.version, &entry).await?)?;
    Ok(Put::Replaced(next))
}

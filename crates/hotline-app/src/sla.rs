//! Which service-level policy is in force for a request, and the deadlines
//! it gives: what a work order is held to, and what the preview shows.

use chrono::{DateTime, Utc};
use hotline_domain::DomainError;
use hotline_domain::audit::{AuditEntry, diff};
use hotline_domain::calendar::Calendar;
use hotline_domain::call::Category;
use hotline_domain::org::tree;
use hotline_domain::principal::Principal;
use hotline_domain::sla::{
    Applied, AreaKind, DEFAULT_CALENDAR, SlaPolicy, SlaPolicyFilter, SlaPolicyInput, SlaPolicyPatch, deadlines,
    local_date, select,
};
use serde_json::json;
use uuid::Uuid;

use crate::roles::require;
use crate::versions::{check, stored};
use crate::{App, AppResult};

/// The unit `code`, then its parents up to the root (just the code when
/// there is no such unit; empty without a unit).
pub async fn unit_ancestry(app: &App, code: Option<&str>) -> AppResult<Vec<String>> {
    let Some(code) = code else { return Ok(Vec::new()) };
    Ok(match app.store.org().get_unit(code).await? {
        Some(unit) => tree::ancestry(&unit.path),
        None => vec![code.to_string()],
    })
}

/// The policy for a request of `category` received at `received_at` in the
/// unit `unit_code` (the closest unit's policy wins, then its parents'), in
/// an area of `area_kind`, and the deadlines it gives, counted in the
/// policy's calendar. None when no policy applies.
///
/// A policy naming a calendar that no longer exists is counted in the
/// `default` calendar, and failing that in [`Calendar::default_vietnam`]:
/// a request always gets a deadline.
pub async fn in_force(
    app: &App,
    category: Category,
    unit_code: Option<&str>,
    area_kind: Option<AreaKind>,
    received_at: DateTime<Utc>,
) -> AppResult<Option<Applied>> {
    let units = unit_ancestry(app, unit_code).await?;
    let filter = SlaPolicyFilter {
        category: Some(category),
        unit_code: None,
    };
    let candidates = app.store.sla_policies().list(&filter).await?;
    let Some(policy) = select(&candidates, category, &units, area_kind, local_date(received_at)) else {
        return Ok(None);
    };
    let calendars = app.store.calendars();
    let calendar = match calendars.get(&policy.calendar_code).await? {
        Some(c) => c.calendar,
        None => match calendars.get(DEFAULT_CALENDAR).await? {
            Some(c) => c.calendar,
            None => Calendar::default_vietnam(),
        },
    };
    Ok(Some(Applied {
        deadlines: deadlines(policy, &calendar, received_at),
        policy: policy.clone(),
    }))
}

/// 403 unless the caller's role may read SLA policies.
pub fn may_read(who: &Principal) -> AppResult<()> {
    require(who, who.role.can_read_sla(), "read SLA policies")
}

/// The policy applying to a request received at `at` (None: now), and the
/// deadlines it gives; 404 when none applies.
pub async fn preview(
    app: &App,
    who: &Principal,
    category: Category,
    unit_code: Option<&str>,
    area_kind: Option<AreaKind>,
    at: Option<DateTime<Utc>>,
) -> AppResult<(DateTime<Utc>, Applied)> {
    may_read(who)?;
    let received_at = at.unwrap_or_else(|| app.now());
    let applied = in_force(app, category, unit_code, area_kind, received_at)
        .await?
        .ok_or(DomainError::NotFound("SLA policy for this request"))?;
    Ok((received_at, applied))
}

/// One policy; 404 when there is none with this id.
async fn find(app: &App, id: Uuid) -> AppResult<SlaPolicy> {
    app.store
        .sla_policies()
        .get(id)
        .await?
        .ok_or(DomainError::NotFound("SLA policy"))
}

/// A policy must count its working time in a calendar that exists.
async fn check_calendar(app: &App, p: &SlaPolicy) -> AppResult<()> {
    if app.store.calendars().get(&p.calendar_code).await?.is_none() {
        return Err(DomainError::invalid(
            "calendar_code",
            format!("there is no calendar {}", p.calendar_code),
        ));
    }
    Ok(())
}

/// Adds a policy; the stored policy.
pub async fn add(app: &App, who: &Principal, input: SlaPolicyInput) -> AppResult<SlaPolicy> {
    require(who, who.role.can_manage_sla(), "add SLA policies")?;
    let now = app.now();
    let policy = SlaPolicy::create(input, now)?;
    check_calendar(app, &policy).await?;
    let entry = AuditEntry::new("sla_policy", policy.id, "create", who, now, policy.audit_view());
    app.store.sla_policies().create(&policy, &entry).await?;
    Ok(policy)
}

/// The policies, by category and effective date.
pub async fn list(app: &App, who: &Principal, filter: &SlaPolicyFilter) -> AppResult<Vec<SlaPolicy>> {
    may_read(who)?;
    Ok(app.store.sla_policies().list(filter).await?)
}

/// One policy.
pub async fn get(app: &App, who: &Principal, id: Uuid) -> AppResult<SlaPolicy> {
    may_read(who)?;
    find(app, id).await
}

/// Changes a policy over the version the caller read (`expected`, None for
/// any); 412 when it read another or someone changed it since. Work
/// orders already stamped with deadlines keep them.
pub async fn change(
    app: &App,
    who: &Principal,
    id: Uuid,
    expected: Option<i64>,
    patch: SlaPolicyPatch,
) -> AppResult<SlaPolicy> {
    require(who, who.role.can_manage_sla(), "change SLA policies")?;
    let current = find(app, id).await?;
    check(expected, current.version)?;
    let now = app.now();
    let next = current.patched(patch, now)?;
    if next.calendar_code != current.calendar_code {
        check_calendar(app, &next).await?;
    }
    let changes = diff(&current.audit_view(), &next.audit_view());
    let entry = AuditEntry::new("sla_policy", id, "update", who, now, changes);
    stored(app.store.sla_policies().update(&next, current.version, &entry).await?)?;
    Ok(next)
}

/// Deletes a policy, only at the version `expected` when given.
pub async fn delete(app: &App, who: &Principal, id: Uuid, expected: Option<i64>) -> AppResult<()> {
    require(who, who.role.can_manage_sla(), "delete SLA policies")?;
    let current = find(app, id).await?;
    check(expected, current.version)?;
    let entry = AuditEntry::new(
        "sla_policy",
        id,
        "delete",
        who,
        app.now(),
        json!({"name": current.name}),
    );
    if app.store.sla_policies().delete(id, &entry).await? {
        Ok(())
    } else {
        Err(DomainError::NotFound("SLA policy"))
    }
}

//! Reports for dashboards: who may read them, whose records they count,
//! the series of calls and work orders per bucket, the wallboard's "now",
//! and the business gauges for `/metrics`. The callers turn query strings
//! into buckets and groups before, and render JSON, CSV or text after.

use chrono::{DateTime, Utc};
use hotline_domain::DomainError;
use hotline_domain::call::Category;
use hotline_domain::principal::Principal;
use hotline_domain::report::{
    self, CallFigures, CallGroup, CallReportQuery, Gauges, Live, LiveQuery, MAX_ROWS, ReportScope, Series, Span,
    WorkOrderFigures, WorkOrderGroup, WorkOrderReportQuery,
};

use crate::App;
use crate::scope::visible_units;

/// The most a service-level threshold may be, in seconds.
pub const MAX_SERVICE_LEVEL_SECONDS: u32 = 3600;

/// Why a report was not made.
#[derive(Debug)]
pub enum ReportError {
    /// A parameter of the request (named as the caller sent it) cannot be
    /// answered as given.
    Parameter { field: &'static str, message: String },
    /// The caller's role, or the storage.
    Domain(DomainError),
}

impl From<DomainError> for ReportError {
    fn from(e: DomainError) -> Self {
        ReportError::Domain(e)
    }
}

impl From<hotline_domain::StoreError> for ReportError {
    fn from(e: hotline_domain::StoreError) -> Self {
        ReportError::Domain(e.into())
    }
}

/// What a report use case answers.
pub type ReportResult<T> = Result<T, ReportError>;

/// Whether the caller may read reports (field crews may not). Callers
/// check it before anything else, so a caller without the role learns
/// nothing from the parameters; the use cases check it again.
pub fn may_read(who: &Principal) -> Result<(), DomainError> {
    if who.role.can_read_reports() {
        Ok(())
    } else {
        Err(DomainError::Forbidden(format!(
            "the {} role may not read reports",
            who.role
        )))
    }
}

/// Whose records the caller's reports count: a user placed in a unit (not
/// an admin) sees that unit's subtree, as in the work-order list.
pub async fn scope(app: &App, who: &Principal) -> Result<ReportScope, DomainError> {
    let within_units = visible_units(app, who).await?;
    // Staff-conduct complaints are for supervisors and admins only, even counted.
    let hidden_categories = if who.role.can_read_staff_complaints() {
        Vec::new()
    } else {
        vec![Category::StaffConduct]
    };
    Ok(ReportScope {
        within_units,
        hidden_categories,
    })
}

/// A service-level threshold is from 0 to an hour.
pub fn check_service_level(seconds: u32) -> ReportResult<()> {
    if seconds > MAX_SERVICE_LEVEL_SECONDS {
        return Err(ReportError::Parameter {
            field: "service_level_seconds",
            message: format!("must be from 0 to {MAX_SERVICE_LEVEL_SECONDS}"),
        });
    }
    Ok(())
}

/// A report has at most [`MAX_ROWS`] lines.
pub fn check_rows(rows: usize) -> ReportResult<()> {
    if rows > MAX_ROWS {
        return Err(ReportError::Parameter {
            field: "group_by",
            message: format!(
                "the report would have {rows} lines (at most {MAX_ROWS}): use larger buckets or a shorter range"
            ),
        });
    }
    Ok(())
}

/// Calls per bucket (and group), counted within the caller's scope, with
/// calls answered within `service_level_seconds` meeting the service level.
pub async fn calls(
    app: &App,
    who: &Principal,
    spans: Vec<Span>,
    group_by: Option<CallGroup>,
    service_level_seconds: u32,
) -> ReportResult<Series<CallFigures>> {
    may_read(who)?;
    check_service_level(service_level_seconds)?;
    let query = CallReportQuery {
        spans,
        group_by,
        service_level_seconds,
        scope: scope(app, who).await?,
        today: hotline_domain::sla::local_date(app.now()),
    };
    let tallies = app.store.reports().call_tallies(&query).await?;
    let series = report::call_series(&query.spans, group_by.is_some(), tallies);
    check_rows(series.rows.len())?;
    Ok(series)
}

/// Work orders per bucket (and group), counted within the caller's scope.
pub async fn work_orders(
    app: &App,
    who: &Principal,
    spans: Vec<Span>,
    group_by: Option<WorkOrderGroup>,
) -> ReportResult<Series<WorkOrderFigures>> {
    may_read(who)?;
    let query = WorkOrderReportQuery {
        spans,
        group_by,
        scope: scope(app, who).await?,
        today: hotline_domain::sla::local_date(app.now()),
    };
    let tallies = app.store.reports().work_order_tallies(&query).await?;
    let series = report::work_order_series(&query.spans, group_by.is_some(), tallies);
    check_rows(series.rows.len())?;
    Ok(series)
}

/// The wallboard at one moment.
#[derive(Debug, Clone)]
pub struct Wallboard {
    /// The moment it shows.
    pub now: DateTime<Utc>,
    pub live: Live,
    /// Callbacks open and past due, in the caller's scope.
    pub callbacks: crate::callbacks::Counts,
}

/// The wallboard now, within the caller's scope.
pub async fn live(app: &App, who: &Principal) -> Result<Wallboard, DomainError> {
    may_read(who)?;
    let now = app.now();
    let live = app
        .store
        .reports()
        .live(&LiveQuery::new(now, scope(app, who).await?))
        .await?;
    let callbacks = crate::callbacks::counts(app, who, now).await?;
    Ok(Wallboard { now, live, callbacks })
}

/// What `/metrics` shows of the business, over everything: each part the
/// database answered; None (and a warning in the log) for the others, so
/// the rest still scrapes.
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    pub business: Option<Gauges>,
    /// Webhook deliveries retrying or failed for good.
    pub webhooks_failing: Option<u64>,
}

/// The business gauges, read at scrape time (a handful of index counts) so
/// every replica reports the same figures.
pub async fn gauges(app: &App) -> Metrics {
    let business = match app.store.reports().gauges(app.now()).await {
        Ok(g) => Some(g),
        Err(e) => {
            tracing::warn!(error = %e, "business gauges unavailable");
            None
        }
    };
    let webhooks_failing = match app.store.webhooks().failing().await {
        Ok(n) => Some(n),
        Err(e) => {
            tracing::warn!(error = %e, "webhook gauge unavailable");
            None
        }
    };
    Metrics {
        business,
        webhooks_failing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hotline_domain::principal::PrincipalKind;
    use hotline_domain::role::Role;

    fn who(role: Role) -> Principal {
        Principal {
            id: uuid::Uuid::nil(),
            name: "alice".into(),
            role,
            kind: PrincipalKind::User,
            unit_code: None,
            team_code: None,
            language: None,
        }
    }

    #[test]
    fn field_crews_may_not_read_reports() {
        assert!(may_read(&who(Role::Agent)).is_ok());
        match may_read(&who(Role::Field)) {
            Err(DomainError::Forbidden(d)) => assert_eq!(d, "the field role may not read reports"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn limits_name_the_parameter() {
        assert!(check_service_level(3600).is_ok());
        match check_service_level(3601) {
            Err(ReportError::Parameter { field, message }) => {
                assert_eq!(
                    (field, message.as_str()),
                    ("service_level_seconds", "must be from 0 to 3600")
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(check_rows(MAX_ROWS).is_ok());
        assert!(matches!(
            check_rows(MAX_ROWS + 1),
            Err(ReportError::Parameter { field: "group_by", .. })
        ));
    }
}

//! A work order as Open311 shows it (`GET requests`): public by nature, so
//! it carries what the request was about, where and by when, and never who
//! filed it (no names, numbers, e-mail or customer code).

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};

use super::catalogue;
use crate::new_supply::Stage;
use crate::work_order::{Status, WorkOrder};

named_enum!(
    /// Open311 has two states.
    RequestStatus { Open => "open", Closed => "closed" }
);

/// Resolved, closed and cancelled work orders are closed; the rest open.
pub fn status_of(status: Status) -> RequestStatus {
    match status {
        Status::Resolved | Status::Closed | Status::Cancelled => RequestStatus::Closed,
        _ => RequestStatus::Open,
    }
}

/// Our states behind an Open311 state, for filtering.
pub fn statuses(of: RequestStatus) -> Vec<Status> {
    Status::ALL.iter().copied().filter(|s| status_of(*s) == of).collect()
}

/// Vietnam's offset: UTC+7 all year.
fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"))
}

/// ISO 8601 with the +07:00 offset city apps display
/// (`2026-11-22T14:05:00+07:00`).
pub fn local_datetime(at: DateTime<Utc>) -> String {
    at.with_timezone(&vietnam()).to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// `22/11/2026 14:05`, as people in Vietnam write it.
fn local_display(at: DateTime<Utc>) -> String {
    at.with_timezone(&vietnam()).format("%d/%m/%Y %H:%M").to_string()
}

/// What is happening, in Vietnamese and English.
pub fn status_notes(status: Status) -> &'static str {
    match status {
        Status::New => "Đã tiếp nhận, đang chờ phân công. Received; waiting for a field team.",
        Status::Assigned => "Đã chuyển tổ xử lý. Passed to a field team.",
        Status::Acknowledged => "Tổ xử lý đã nhận việc. The field team has taken it on.",
        Status::EnRoute => "Tổ xử lý đang trên đường đến. The field team is on the way.",
        Status::OnSite => "Tổ xử lý đang ở hiện trường. The field team is on site.",
        Status::OnHold => "Tạm dừng xử lý. On hold.",
        Status::Resolved => "Đã xử lý xong. Resolved.",
        Status::Closed => "Đã hoàn tất. Closed.",
        Status::Cancelled => "Đã hủy. Cancelled.",
    }
}

/// Where a new-supply request stands, in Vietnamese and English: the
/// applicant waits on the paperwork and the steps, not on a field team.
pub fn new_supply_notes(stage: Stage) -> &'static str {
    match stage {
        Stage::AwaitingDocuments => "Đang chờ bổ sung hồ sơ. Waiting for your documents.",
        Stage::DocumentsComplete => "Đã đủ hồ sơ, sắp khảo sát. Paperwork complete; the site survey is next.",
        Stage::Surveyed => "Đã khảo sát, chờ ký hợp đồng. Surveyed; the contract is next.",
        Stage::ContractSigned => "Đã ký hợp đồng, chờ lắp công tơ. Contract signed; the meter is next.",
        Stage::MeterInstalled => "Đã lắp công tơ, chờ đóng điện. Meter installed; energisation is next.",
        Stage::Energised => "Đã đóng điện. Energised.",
        Stage::Cancelled => "Đã hủy. Cancelled.",
    }
}

/// What to expect: power back by the outage's estimate, else the work done
/// by the deadline. None when there is neither.
pub fn service_notice(resolution_due: Option<DateTime<Utc>>, restoration: Option<DateTime<Utc>>) -> Option<String> {
    if let Some(at) = restoration {
        let t = local_display(at);
        return Some(format!("Dự kiến có điện lại lúc {t}. Power is expected back by {t}."));
    }
    resolution_due.map(|at| {
        let t = local_display(at);
        format!("Hạn xử lý: {t}. To be handled by {t}.")
    })
}

/// The Open311 representation of a work order.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRequest {
    pub service_request_id: String,
    pub status: RequestStatus,
    pub status_notes: Option<String>,
    pub service_name: Option<String>,
    pub service_code: Option<String>,
    pub description: Option<String>,
    pub agency_responsible: Option<String>,
    pub service_notice: Option<String>,
    pub requested_datetime: String,
    pub updated_datetime: String,
    pub expected_datetime: Option<String>,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub media_url: Option<String>,
}

impl ServiceRequest {
    /// `agency` is the name of the unit whose team holds it (or of its own
    /// unit before a team does); `restoration` the estimate of the outage
    /// incident it belongs to.
    pub fn of(wo: &WorkOrder, agency: Option<String>, restoration: Option<DateTime<Utc>>) -> ServiceRequest {
        let service = catalogue::for_category(wo.category);
        let open = wo.is_open();
        ServiceRequest {
            service_request_id: wo.code.to_string(),
            status: status_of(wo.status),
            status_notes: Some(status_notes(wo.status).to_string()),
            service_name: service.map(|s| s.name.to_string()),
            service_code: service.map(|s| s.code.to_string()),
            description: wo.description.clone(),
            agency_responsible: agency,
            service_notice: if open {
                service_notice(wo.resolution_due, restoration)
            } else {
                None
            },
            requested_datetime: local_datetime(wo.created_at),
            updated_datetime: local_datetime(wo.updated_at),
            expected_datetime: wo.resolution_due.map(local_datetime),
            address: wo.address.clone(),
            lat: wo.latitude,
            long: wo.longitude,
            media_url: wo.media_url.clone(),
        }
    }
}

impl ServiceRequest {
    /// As shown to a reader without a key: the phone numbers and e-mail
    /// addresses a reporter typed into the description are masked; the
    /// street address and the photo (most often the reporter's home) are
    /// left out, and the position is rounded to about a hundred metres:
    /// enough to see where the power is out, not whose house it is.
    pub fn public(mut self) -> ServiceRequest {
        self.description = self.description.as_deref().map(super::public::mask_contacts);
        self.address = None;
        self.media_url = None;
        let coarse = |x: f64| (x * 1000.0).round() / 1000.0;
        self.lat = self.lat.map(coarse);
        self.long = self.long.map(coarse);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::Category;
    use crate::work_order::{Action, NewWorkOrder, Source, WorkOrderCode};
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, h, m, 0).unwrap()
    }

    #[test]
    fn closed_means_done_or_cancelled() {
        assert_eq!(status_of(Status::OnHold), RequestStatus::Open);
        assert_eq!(status_of(Status::Cancelled), RequestStatus::Closed);
        assert_eq!(
            statuses(RequestStatus::Closed),
            [Status::Resolved, Status::Closed, Status::Cancelled]
        );
        assert_eq!(statuses(RequestStatus::Open).len(), 6);
    }

    #[test]
    fn datetimes_are_local() {
        assert_eq!(local_datetime(t(17, 5)), "2026-11-23T00:05:00+07:00");
    }

    #[test]
    fn a_work_order_as_open311_shows_it() {
        let input = NewWorkOrder {
            category: Some(Category::Outage),
            description: Some("Mất điện cả ấp".into()),
            customer_code: Some("PB03020045525".into()),
            latitude: Some(9.18),
            longitude: Some(105.15),
            source: Source::Open311,
            ..Default::default()
        };
        let code = WorkOrderCode::new("CM", 2026, 42).unwrap();
        let mut wo = WorkOrder::create(input, code, "key:app", t(3, 0)).unwrap();
        wo.resolution_due = Some(t(5, 0));
        let r = ServiceRequest::of(&wo, Some("Điện lực Cà Mau".into()), None);
        assert_eq!(r.service_request_id, "CM-26-000042");
        assert_eq!(
            (r.status, r.service_code.as_deref()),
            (RequestStatus::Open, Some("outage"))
        );
        assert_eq!(r.expected_datetime.as_deref(), Some("2026-11-22T12:00:00+07:00"));
        assert_eq!(
            r.service_notice.as_deref(),
            Some("Hạn xử lý: 22/11/2026 12:00. To be handled by 22/11/2026 12:00.")
        );
        let with_estimate = ServiceRequest::of(&wo, None, Some(t(4, 30)));
        assert!(with_estimate.service_notice.unwrap().contains("11:30"));

        let wo = wo.apply(Action::Cancel, None, t(4, 0)).unwrap();
        let r = ServiceRequest::of(&wo, None, None);
        assert_eq!((r.status, r.service_notice), (RequestStatus::Closed, None));
        assert_eq!(r.updated_datetime, "2026-11-22T11:00:00+07:00");
    }
}

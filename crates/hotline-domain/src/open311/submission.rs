//! A service request as an Open311 client posts it (`POST requests`),
//! checked field by field, and turned into a new work order.

use serde_json::{Value, json};

use super::catalogue::{self, APPLICANT_KIND, CALLBACK_REQUESTED, CUSTOMER_CODE, Service};
use crate::customer::{Customer, check_email};
use crate::new_supply::{ApplicantKind, NewApplicant, SupplyType};
use crate::phone::PhoneNumber;
use crate::validation::{FieldError, Validation, optional_text};
use crate::work_order::model::MAX_DESCRIPTION;
use crate::work_order::{NewWorkOrder, Source};
use crate::{customer_code, text};

const MAX_NAME: usize = 100;
const MAX_ID: usize = 100;
const MAX_ADDRESS: usize = 500;
/// How much of an unknown value an error message repeats.
const ECHO: usize = 40;

/// The fields as posted, text as given; absent or empty is None.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRequest {
    pub service_code: Option<String>,
    pub lat: Option<String>,
    pub long: Option<String>,
    pub address_string: Option<String>,
    pub address_id: Option<String>,
    pub description: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub device_id: Option<String>,
    pub account_id: Option<String>,
    pub media_url: Option<String>,
    /// `attribute[code]=value`, in order.
    pub attributes: Vec<(String, String)>,
}

/// Who filed it, as they said. Kept in the work order's history for the
/// staff; never shown in the public representation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reporter {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<PhoneNumber>,
    pub email: Option<String>,
    pub device_id: Option<String>,
    pub account_id: Option<String>,
}

/// A checked request.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRequestInput {
    pub service: &'static Service,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub address: Option<String>,
    /// Our area (commune, ward) code, from `address_id`.
    pub area_code: Option<String>,
    pub description: Option<String>,
    pub media_url: Option<String>,
    pub customer_code: Option<String>,
    pub callback_requested: bool,
    pub reporter: Reporter,
    /// A new-supply request's `attribute[applicant_kind]`, as its key.
    pub applicant_kind: Option<&'static str>,
}

fn echo(raw: &str) -> String {
    let s: String = raw.trim().chars().take(ECHO).collect();
    if raw.trim().chars().count() > ECHO {
        format!("{s}…")
    } else {
        s
    }
}

fn coordinate(v: &mut Validation, field: &str, raw: Option<&str>, limit: f64) -> Option<f64> {
    let raw = raw?.trim();
    match raw.parse::<f64>() {
        Ok(x) if x.is_finite() && (-limit..=limit).contains(&x) => Some(x),
        Ok(_) => {
            v.add(field, format!("must be between -{limit} and {limit}"));
            None
        }
        Err(_) => {
            v.add(field, "is not a number");
            None
        }
    }
}

fn flag(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "on" | "có" => Some(true),
        "false" | "no" | "0" | "off" | "không" => Some(false),
        _ => None,
    }
}

impl RawRequest {
    /// Checks every field, naming each failure as the client named the
    /// field (`lat`, `attribute[callback_requested]`).
    pub fn check(&self) -> Result<ServiceRequestInput, Vec<FieldError>> {
        let mut v = Validation::new();
        let service = match self.service_code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => {
                v.add("service_code", "is required");
                None
            }
            Some(code) => {
                let found = catalogue::find(code);
                if found.is_none() {
                    v.add("service_code", format!("unknown service code '{}'", echo(code)));
                }
                found
            }
        };
        let latitude = coordinate(&mut v, "lat", self.lat.as_deref(), 90.0);
        let longitude = coordinate(&mut v, "long", self.long.as_deref(), 180.0);
        if self.lat.is_some() != self.long.is_some() {
            v.add(
                if self.lat.is_some() { "long" } else { "lat" },
                "give both lat and long, or neither",
            );
        }
        let address = optional_text(&mut v, "address_string", self.address_string.as_deref(), MAX_ADDRESS);
        let area_code = self
            .address_id
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .and_then(|a| v.check("address_id", crate::customer::check_code(a)));
        let description = optional_text(&mut v, "description", self.description.as_deref(), MAX_DESCRIPTION);
        let media_url = self
            .media_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .and_then(|u| v.check("media_url", crate::work_order::source::check_media_url(u)));

        let mut customer_code = None;
        let mut callback_requested = false;
        let mut applicant_kind = None;
        for (code, value) in &self.attributes {
            let field = format!("attribute[{code}]");
            let asked = catalogue::attribute_of(service, code);
            match asked.map(|a| a.code) {
                Some(APPLICANT_KIND) if !value.trim().is_empty() => {
                    let values = asked.map(|a| a.values).unwrap_or_default();
                    match values.iter().find(|(key, _)| *key == value.trim()) {
                        Some((key, _)) => applicant_kind = Some(*key),
                        None => {
                            let keys: Vec<&str> = values.iter().map(|(k, _)| *k).collect();
                            v.add(&field, format!("must be one of: {}", keys.join(", ")));
                        }
                    }
                }
                Some(CUSTOMER_CODE) if !value.trim().is_empty() => {
                    customer_code = v.check(&field, customer_code::normalize(value.trim()));
                }
                Some(CALLBACK_REQUESTED) => match flag(value) {
                    Some(b) => callback_requested = b,
                    None if value.trim().is_empty() => {}
                    None => v.add(&field, "must be true or false"),
                },
                Some(_) => {}
                None => v.add(&field, format!("unknown attribute '{}'", echo(code))),
            }
        }

        let phone = match self.phone.as_deref() {
            Some(raw) => match PhoneNumber::parse(raw) {
                Ok(p) => p,
                Err(e) => {
                    v.add("phone", e.to_string());
                    None
                }
            },
            None => None,
        };
        let reporter = Reporter {
            first_name: optional_text(&mut v, "first_name", self.first_name.as_deref(), MAX_NAME),
            last_name: optional_text(&mut v, "last_name", self.last_name.as_deref(), MAX_NAME),
            phone,
            email: check_email(&mut v, self.email.as_deref()),
            device_id: optional_text(&mut v, "device_id", self.device_id.as_deref(), MAX_ID),
            account_id: optional_text(&mut v, "account_id", self.account_id.as_deref(), MAX_ID),
        };
        let located = (self.lat.is_some() && self.long.is_some())
            || self.address_string.as_deref().is_some_and(|a| !a.trim().is_empty())
            || self.address_id.as_deref().is_some_and(|a| !a.trim().is_empty())
            || self
                .attributes
                .iter()
                .any(|(c, x)| c == CUSTOMER_CODE && !x.trim().is_empty());
        if !located {
            v.add(
                "location",
                "give lat and long, address_string, address_id or attribute[customer_code]",
            );
        }
        let errors = v.errors().to_vec();
        match service {
            Some(service) if errors.is_empty() => Ok(ServiceRequestInput {
                service,
                latitude,
                longitude,
                address,
                area_code,
                description,
                media_url,
                customer_code,
                callback_requested,
                reporter,
                applicant_kind,
            }),
            _ => Err(errors),
        }
    }
}

impl ServiceRequestInput {
    /// The work order to open. A known customer (by code, else the one
    /// customer with the reporter's number) gives the area and unit that
    /// route it, unless the request names its area. The customer's own
    /// address is not copied: the request shows only what the reporter said.
    pub fn new_work_order(&self, customer: Option<&Customer>) -> NewWorkOrder {
        NewWorkOrder {
            category: Some(self.service.category),
            priority: None,
            description: self.description.clone(),
            customer_code: self
                .customer_code
                .clone()
                .or_else(|| customer.map(|c| c.code.to_string())),
            address: self.address.clone(),
            area_code: self
                .area_code
                .clone()
                .or_else(|| customer.and_then(|c| c.area_code.as_ref().map(ToString::to_string))),
            unit_code: customer.and_then(|c| c.unit_code.as_ref().map(ToString::to_string)),
            latitude: self.latitude,
            longitude: self.longitude,
            callback_requested: self.callback_requested,
            promised_answer_date: None,
            source: Source::Open311,
            media_url: self.media_url.clone(),
        }
    }

    /// A new-supply request's applicant: the reporter (name from
    /// `last_name` then `first_name`, as Vietnamese names are written, `phone`, `email`, `address_string`),
    /// gaps filled from the known customer; and its kind from
    /// `attribute[applicant_kind]` (a household when not given), with the
    /// type when that says it (a dedicated substation).
    pub fn new_supply_applicant(&self, customer: Option<&Customer>) -> (NewApplicant, Option<SupplyType>) {
        let r = &self.reporter;
        // A Vietnamese name puts the family name first: Trần Thị + Bé.
        let name = [r.last_name.as_deref(), r.first_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let (kind, supply_type) = match self.applicant_kind {
            Some("business") => (ApplicantKind::Business, None),
            Some("dedicated_substation") => (ApplicantKind::Business, Some(SupplyType::DedicatedSubstation)),
            _ => (ApplicantKind::Household, None),
        };
        let applicant = NewApplicant {
            kind: Some(kind),
            name: Some(name)
                .filter(|n| !n.is_empty())
                .or_else(|| customer.map(|c| c.name.clone())),
            phone: r
                .phone
                .as_ref()
                .map(|p| p.as_str().to_string())
                .or_else(|| customer.and_then(|c| c.phones.first().map(|p| p.number.as_str().to_string()))),
            email: r.email.clone().or_else(|| customer.and_then(|c| c.email.clone())),
            address: self.address.clone(),
            national_id: None,
            tax_code: None,
        };
        (applicant, supply_type)
    }

    /// What the work order's `created` history line keeps of the request:
    /// the reporter's contact, for the call-back.
    pub fn history_detail(&self) -> Value {
        let r = &self.reporter;
        let name = [r.first_name.as_deref(), r.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        json!({
            "open311": {
                "service_code": self.service.code,
                "reporter": {
                    "name": (!name.is_empty()).then(|| text::nfc(&name)),
                    "phone": r.phone.as_ref().map(PhoneNumber::as_str),
                    "email": r.email,
                },
                "device_id": r.device_id,
                "account_id": r.account_id,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::Category;

    fn raw() -> RawRequest {
        RawRequest {
            service_code: Some("outage".into()),
            address_string: Some("Ấp 3, xã Tân Thành, Cà Mau".into()),
            ..Default::default()
        }
    }

    fn fields(r: &RawRequest) -> Vec<String> {
        r.check().unwrap_err().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_plain_outage_report() {
        let mut r = raw();
        r.phone = Some(" 0912.345.678 ".into());
        r.first_name = Some("Nguyễn".into());
        r.attributes = vec![
            ("callback_requested".into(), "true".into()),
            ("customer_code".into(), "pb03020045525".into()),
        ];
        let ok = r.check().unwrap();
        assert_eq!(ok.service.category, Category::Outage);
        assert_eq!(
            ok.reporter.phone.as_ref().map(PhoneNumber::as_str),
            Some("+84912345678")
        );
        assert!(ok.callback_requested);
        let wo = ok.new_work_order(None);
        assert_eq!(wo.source, Source::Open311);
        assert_eq!(wo.customer_code.as_deref(), Some("PB03020045525"));
        assert_eq!(ok.history_detail()["open311"]["reporter"]["name"], "Nguyễn");
    }

    #[test]
    fn every_bad_field_is_named() {
        let r = RawRequest {
            service_code: Some("xyz".into()),
            lat: Some("north".into()),
            phone: Some("call me".into()),
            email: Some("nope".into()),
            media_url: Some("file:///etc/passwd".into()),
            attributes: vec![
                ("colour".into(), "red".into()),
                ("callback_requested".into(), "maybe".into()),
            ],
            ..Default::default()
        };
        assert_eq!(
            fields(&r),
            [
                "service_code",
                "lat",
                "long",
                "media_url",
                "attribute[colour]",
                "attribute[callback_requested]",
                "phone",
                "email",
                "location"
            ]
        );
        let e = r.check().unwrap_err();
        assert_eq!(e[0].message, "unknown service code 'xyz'");
        assert_eq!(fields(&RawRequest::default()), ["service_code", "location"]);
    }

    #[test]
    fn a_location_is_needed() {
        let mut r = raw();
        r.address_string = None;
        assert_eq!(fields(&r), ["location"]);
        r.lat = Some("9.18".into());
        r.long = Some("105.15".into());
        assert!(r.check().is_ok());
        r.long = Some("200".into());
        assert_eq!(fields(&r), ["long"]);
        r.long = None;
        r.address_id = Some("vn-cm-01".into());
        assert_eq!(fields(&r), ["long"]);
        r.lat = None;
        assert_eq!(r.check().unwrap().area_code.as_deref(), Some("VN-CM-01"));
    }

    #[test]
    fn a_known_customer_routes_it() {
        let customer = Customer {
            id: uuid::Uuid::nil(),
            code: "PB03020045525".into(),
            name: "Nguyễn Văn Á".into(),
            phones: Vec::new(),
            email: None,
            address: Some("12 Lý Thường Kiệt".into()),
            area_code: Some("CM01".into()),
            unit_code: Some("PB12".into()),
            notes: None,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
            version: 1,
        };
        let wo = raw().check().unwrap().new_work_order(Some(&customer));
        assert_eq!(
            (
                wo.area_code.as_deref(),
                wo.unit_code.as_deref(),
                wo.customer_code.as_deref()
            ),
            (Some("CM01"), Some("PB12"), Some("PB03020045525"))
        );
        assert_eq!(
            wo.address.as_deref(),
            Some("Ấp 3, xã Tân Thành, Cà Mau"),
            "the reporter's, not the directory's"
        );
    }
}

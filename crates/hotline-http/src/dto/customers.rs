//! Customer-directory bodies, and the report of a bulk import.

use chrono::{DateTime, Utc};
use hotline_domain::customer::{Customer, CustomerInput, CustomerPatch, CustomerPhone};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::present;
use crate::dto::page::{NULL_ON_LAST, Page, Paged};

/// A customer to add. Phone numbers may be written any way people type them
/// (`0912 345 678`, `+84 912 345 678`, `(028) 3822 1234`, old 11-digit
/// mobiles); the same number written twice is kept once.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCustomerBody {
    /// The billing system's customer code; spaces and dashes are dropped and
    /// letters upper-cased.
    #[schema(example = "PB03020045525")]
    pub customer_code: String,
    #[schema(example = "Nguyễn Văn Á")]
    pub name: String,
    /// At most 10 numbers.
    #[serde(default)]
    #[schema(example = json!(["0912 345 678", "0290 3831 234"]))]
    pub phones: Vec<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    /// Area code (`VN-CM`): letters, digits, `-`, `_`, `.`.
    pub area_code: Option<String>,
    /// The utility unit serving the customer (`PB0302`).
    pub unit_code: Option<String>,
    pub notes: Option<String>,
}

impl From<NewCustomerBody> for CustomerInput {
    fn from(b: NewCustomerBody) -> Self {
        CustomerInput {
            code: Some(b.customer_code),
            name: Some(b.name),
            phones: b.phones,
            email: b.email,
            address: b.address,
            area_code: b.area_code,
            unit_code: b.unit_code,
            notes: b.notes,
        }
    }
}

/// Changes to a customer: only the fields present change; `null` clears an
/// optional field (and `phones: null` removes every number). The customer
/// code cannot be changed.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerPatchBody {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub name: Option<Option<String>>,
    /// Replaces every number.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Vec<String>>)]
    pub phones: Option<Option<Vec<String>>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub area_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub unit_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
}

impl From<CustomerPatchBody> for CustomerPatch {
    fn from(b: CustomerPatchBody) -> Self {
        CustomerPatch {
            // `null` is an empty name, which the domain refuses.
            name: b.name.map(Option::unwrap_or_default),
            phones: b.phones.map(Option::unwrap_or_default),
            email: b.email,
            address: b.address,
            area_code: b.area_code,
            unit_code: b.unit_code,
            notes: b.notes,
        }
    }
}

/// One of a customer's numbers.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerPhoneView {
    /// E.164 (`+84912345678`) or a service number as dialled.
    #[schema(example = "+84912345678")]
    pub number: String,
    /// As it was written.
    #[schema(example = "0912 345 678")]
    pub raw: String,
    /// Written as a pre-2018 11-digit mobile (`0162…`) and stored as today's number.
    pub renumbered: bool,
}

impl From<&CustomerPhone> for CustomerPhoneView {
    fn from(p: &CustomerPhone) -> Self {
        CustomerPhoneView {
            number: p.number.as_str().to_string(),
            raw: p.raw.clone(),
            renumbered: p.renumbered,
        }
    }
}

/// A customer in the directory.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerView {
    pub id: Uuid,
    #[schema(example = "PB03020045525")]
    pub customer_code: String,
    pub name: String,
    /// In the order they were given.
    pub phones: Vec<CustomerPhoneView>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub area_code: Option<String>,
    pub unit_code: Option<String>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Increases with every change; the ETag is this number in quotes.
    pub version: i64,
}

impl From<&Customer> for CustomerView {
    fn from(c: &Customer) -> Self {
        CustomerView {
            id: c.id,
            customer_code: c.code.to_string(),
            name: c.name.clone(),
            phones: c.phones.iter().map(CustomerPhoneView::from).collect(),
            email: c.email.clone(),
            address: c.address.clone(),
            area_code: c.area_code.as_ref().map(ToString::to_string),
            unit_code: c.unit_code.as_ref().map(ToString::to_string),
            notes: c.notes.clone(),
            created_at: c.created_at,
            updated_at: c.updated_at,
            version: c.version,
        }
    }
}

/// Filters for the directory, newest first. Values above the `limit` cap are capped.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CustomerListQuery {
    /// Page size, 1–200 (default 50; larger values are capped at 200).
    #[param(minimum = 1)]
    pub limit: Option<i32>,
    /// `next_cursor` from the previous page.
    #[param(pattern = r"^[A-Za-z0-9_-]+$")]
    pub cursor: Option<String>,
    /// Exactly this customer code (spaces, dashes and case do not matter).
    #[param(example = "PB03020045525")]
    pub code: Option<String>,
    /// Customers with this number, in any written form (an old 11-digit
    /// mobile finds the customer by today's number too).
    #[param(example = "0912 345 678")]
    pub phone: Option<String>,
    /// Free text over code, name and address, without diacritics or case
    /// (`nguyen van` finds `Nguyễn Văn`). One page reads a bounded number
    /// of customers (five times `HOTLINE_SEARCH_WINDOW`): a page may come
    /// back short, even empty, with a `next_cursor` to search older
    /// customers from.
    pub q: Option<String>,
}

pub type CustomerPage = Page<CustomerView>;

impl Paged for CustomerView {
    const PAGE: &'static str = "CustomerPage";
    const NEXT_CURSOR: Option<&'static str> = NULL_ON_LAST;
}

/// A line of the file that was not imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportLineError {
    /// Line in the file where the record starts; the header is line 1.
    pub line: u64,
    /// The column or field at fault (`customer_code`, `phones[1]`), or
    /// `record` when the line itself is malformed.
    pub field: String,
    pub message: String,
}

/// What a bulk import did. Every data line counts once in `created`,
/// `updated`, `unchanged` or `failed`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportReport {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub failed: u64,
    /// Why lines failed, in file order (at most the first 1000).
    pub errors: Vec<ImportLineError>,
}

/// A CSV file, the body of the imports: UTF-8 (a byte-order mark is fine)
/// with a header row. Documented as `application/octet-stream`, a file that
/// generated clients can send; `text/csv` and `application/csv` are taken
/// too (`curl --data-binary @file.csv -H 'content-type: text/csv'`).
pub struct CsvFile;

impl utoipa::PartialSchema for CsvFile {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .description(Some("A CSV file in UTF-8 with a header row"))
            .into()
    }
}

impl utoipa::ToSchema for CsvFile {}

impl From<hotline_app::import::ImportReport> for ImportReport {
    fn from(r: hotline_app::import::ImportReport) -> Self {
        Self {
            created: r.created,
            updated: r.updated,
            unchanged: r.unchanged,
            failed: r.failed,
            errors: r
                .errors
                .into_iter()
                .map(|e| ImportLineError {
                    line: e.line,
                    field: e.field,
                    message: e.message,
                })
                .collect(),
        }
    }
}

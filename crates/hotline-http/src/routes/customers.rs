//! The customer directory: add, read, correct, list and search customers,
//! and bulk-import them from the billing system's CSV export.

use axum::Json;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use hotline_domain::customer::{Customer, CustomerFilter};
use hotline_domain::phone::PhoneNumber;
use hotline_domain::{customer_code, text};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::paging;
use crate::dto::customers::{
    CsvFile, CustomerListQuery, CustomerPage, CustomerPatchBody, CustomerView, ImportReport, NewCustomerBody,
};
use crate::dto::params::{CustomerIdParam, IfMatchHeader};
use crate::dto::problems::{
    BodyTooLarge, InvalidFields, InvalidFilter, MalformedBodyIdOrIfMatch, MalformedId, MalformedJson,
    MayNotReadDirectory, NoSuchCustomer, NotJson, Unavailable, VersionedWrite,
};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, Change, is_csv_upload, read_body};
use crate::routes::privacy::reads::{RequestId, noted};
use crate::routes::versioned;
use crate::state::AppState;
use hotline_app::customers::{self, CustomerQuery};
use hotline_app::import;
use hotline_app::privacy::reads::Read;

/// Largest CSV file the import route takes (the other routes keep the
/// configured limit).
pub const IMPORT_BODY_LIMIT: usize = 64 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    let import = OpenApiRouter::new()
        .routes(routes!(import_customers))
        .layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT));
    OpenApiRouter::new()
        .routes(routes!(create_customer, list_customers))
        .routes(routes!(get_customer, update_customer))
        .merge(import)
}

fn customer_response(status: StatusCode, c: &Customer, location: Option<&str>) -> ApiResult<Response> {
    versioned(status, &CustomerView::from(c), location, c.version)
}

/// Add a customer.
#[utoipa::path(
    post, path = "/api/v1/customers", tag = "customers",
    request_body = NewCustomerBody,
    responses(
        (status = 201, description = "Added", body = CustomerView,
            headers(("Location" = String, description = "The customer's URL"), ("ETag" = String, description = "Version for If-Match"))),
        MalformedJson,
        (status = 403, description = "The role may not add customers", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The customer code is taken", body = Problem, content_type = "application/problem+json"),
        BodyTooLarge,
        NotJson,
        (status = 422, description = "Invalid fields (a bad number is named `phones[i]`)", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn create_customer(
    State(st): State<AppState>,
    auth: Auth,
    json: ApiJson<NewCustomerBody>,
) -> ApiResult<Response> {
    let customer = customers::add(&st.app, &auth.0, json.body.into()).await?;
    customer_response(
        StatusCode::CREATED,
        &customer,
        Some(&format!("/api/v1/customers/{}", customer.id)),
    )
}

/// One customer.
#[utoipa::path(
    get, path = "/api/v1/customers/{id}", tag = "customers",
    params(CustomerIdParam),
    responses(
        (status = 200, description = "The customer", body = CustomerView, headers(("ETag" = String))),
        MalformedId,
        MayNotReadDirectory,
        NoSuchCustomer,
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn get_customer(
    State(st): State<AppState>,
    auth: Auth,
    RequestId(request_id): RequestId,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Response> {
    let customer = customers::get(&st.app, &auth.0, id).await?;
    let read = Read {
        endpoint: "customers.get",
        request_id: request_id.as_deref(),
        customers: vec![&customer],
        ..Read::default()
    };
    noted(&st, &auth.0, read).await?;
    customer_response(StatusCode::OK, &customer, None)
}

/// Correct a customer's details.
///
/// Send `If-Match` with the ETag you read; if someone changed the customer
/// since (an agent or an import), the answer is 412 and nothing is changed.
#[utoipa::path(
    patch, path = "/api/v1/customers/{id}", tag = "customers",
    params(CustomerIdParam, IfMatchHeader),
    request_body = CustomerPatchBody,
    responses(
        (status = 200, description = "Updated", body = CustomerView, headers(("ETag" = String))),
        MalformedBodyIdOrIfMatch,
        (status = 403, description = "The role may not change customers", body = Problem, content_type = "application/problem+json"),
        NoSuchCustomer,
        VersionedWrite,
        BodyTooLarge,
        InvalidFields,
    ),
    security(("bearer" = []))
)]
async fn update_customer(
    State(st): State<AppState>,
    auth: Auth,
    change: Change<Uuid, CustomerPatchBody>,
) -> ApiResult<Response> {
    let next = customers::correct(&st.app, &auth.0, change.key, change.expected, change.body.into()).await?;
    customer_response(StatusCode::OK, &next, None)
}

/// List and search the directory, newest first.
#[utoipa::path(
    get, path = "/api/v1/customers", tag = "customers",
    params(CustomerListQuery),
    responses(
        (status = 200, description = "A page of customers", body = CustomerPage),
        InvalidFilter,
        MayNotReadDirectory,
        Unavailable,
    ),
    security(("bearer" = []))
)]
async fn list_customers(
    State(st): State<AppState>,
    auth: Auth,
    RequestId(request_id): RequestId,
    ApiQuery(q): ApiQuery<CustomerListQuery>,
) -> ApiResult<Json<CustomerPage>> {
    // The role first: a caller who may not read the directory learns
    // nothing from a bad filter.
    customers::may_read(&auth.0)?;
    let (limit, after) = paging(q.limit, q.cursor.as_deref())?;
    let query = CustomerQuery {
        filter: filter(&q)?,
        after,
        limit,
    };
    let page = customers::list(&st.app, &auth.0, &query).await?;
    // A search (by code, phone or text) reads whom it finds; paging
    // through the whole directory is not a look-up of someone.
    let f = &query.filter;
    if f.code.is_some() || f.phone.is_some() || f.text.is_some() {
        let read = Read {
            endpoint: "customers.search",
            request_id: request_id.as_deref(),
            number: f.phone.as_deref(),
            customers: page.items.iter().collect(),
            codes: Vec::new(),
        };
        noted(&st, &auth.0, read).await?;
    }
    Ok(Json(CustomerPage::keyset(&page)))
}

fn filter(q: &CustomerListQuery) -> ApiResult<CustomerFilter> {
    let code = q
        .code
        .as_deref()
        .map(|raw| customer_code::normalize(raw).map_err(|m| ApiError::invalid_parameter("code", m)))
        .transpose()?;
    let phone = match q.phone.as_deref() {
        None => None,
        Some(raw) => match PhoneNumber::parse(raw) {
            Ok(Some(p)) => Some(p.as_str().to_string()),
            Ok(None) => return Err(ApiError::invalid_parameter("phone", "is not a phone number")),
            Err(e) => return Err(ApiError::invalid_parameter("phone", e.to_string())),
        },
    };
    Ok(CustomerFilter {
        code,
        phone,
        text: q.q.as_deref().map(text::fold).filter(|t| !t.is_empty()),
    })
}

fn is_csv(content_type: Option<&str>) -> bool {
    let Some(ct) = content_type else { return false };
    let mut parts = ct.split(';');
    let mime = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let utf8 = parts.all(|p| match p.split_once('=') {
        Some((k, v)) if k.trim().eq_ignore_ascii_case("charset") => {
            let v = v.trim().trim_matches('"');
            v.eq_ignore_ascii_case("utf-8") || v.eq_ignore_ascii_case("utf8")
        }
        _ => true,
    });
    is_csv_upload(&mime) && utf8
}

/// Bulk-import customers from a CSV file (the billing system's export).
///
/// The raw file as `text/csv` or `application/octet-stream` (a file, as
/// generated clients send it), UTF-8 (a byte-order mark is fine), up to 64 MiB, with a
/// header row naming the columns in any order and case:
/// `customer_code,name,phones,email,address,area_code,unit_code,notes`
/// (`customer_code` and `name` required). `phones` holds several numbers
/// separated by `;`, `,` or `/`. Customers are matched by code: new ones
/// are created, changed ones updated, identical ones left alone, so an
/// import can be repeated safely. Bad lines are reported with their line
/// number (the header is line 1) and never stop the good ones; when a code
/// appears on several lines the last one wins and each line is counted.
/// Lines are stored in batches of 1000, each in one transaction. Large
/// files are best imported with `hotline import customers FILE.csv`, which
/// has no request timeout.
#[utoipa::path(
    post, path = "/api/v1/customers/import", tag = "customers",
    request_body(content = CsvFile, content_type = "application/octet-stream", description = "The CSV file (also taken as text/csv)",
        example = "customer_code,name,phones,address\nPB03020045525,Nguyễn Văn Á,0912 345 678; 0290 3831 234,\"Ấp 3, Tân Thành, Cà Mau\"\n"),
    responses(
        (status = 200, description = "What was imported, and why the other lines were not", body = ImportReport),
        (status = 400, description = "No usable header row (unknown, repeated or missing columns) or an unreadable file", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role may not import customers", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "File larger than 64 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not text/csv (or application/octet-stream) in UTF-8", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable (batches already stored stay stored)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn import_customers(State(st): State<AppState>, auth: Auth, req: Request) -> ApiResult<Json<ImportReport>> {
    auth.require(auth.0.role.can_import_customers(), "import customers")?;
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    if !is_csv(content_type) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported media type",
            "send the file as text/csv or application/octet-stream (UTF-8)",
        ));
    }
    let bytes = read_body(req, &st).await?;
    let report = import::import_customers(&st.app, &auth.0, &bytes[..]).await?;
    Ok(Json(report.into()))
}

#[cfg(test)]
mod tests {
    use super::is_csv;

    #[test]
    fn csv_content_types() {
        assert!(is_csv(Some("text/csv")));
        assert!(is_csv(Some("text/csv; charset=utf-8")));
        assert!(is_csv(Some("Text/CSV;charset=\"UTF-8\"; header=present")));
        assert!(is_csv(Some("application/csv")));
        assert!(is_csv(Some("application/octet-stream")));
        assert!(!is_csv(Some("text/csv; charset=windows-1258")));
        assert!(!is_csv(Some("application/json")));
        assert!(!is_csv(None));
    }
}

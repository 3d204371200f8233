//! The OpenAPI document: info, security and the shared schemas. Paths come
//! from the `#[utoipa::path]` handlers.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "hotline",
        description = "Call log, work orders and dispatch for the electricity customer-care hotline 1900 1006. \
Errors are application/problem+json (RFC 9457) with a stable `type`; validation problems list each field in `errors`; \
every problem names the request's W3C `trace_id`. Every request may be refused with 429 `/problems/too-many-requests` \
and `Retry-After` past its caller's rate limit; limited answers carry `RateLimit-Policy` and `RateLimit` \
(draft-ietf-httpapi-ratelimit-headers). A `traceparent` sent is continued and echoed.",
        license(name = "MIT", identifier = "MIT")
    ),
    modifiers(&Security, &Webhooks),
    components(schemas(
        crate::error::Problem,
        crate::error::ProblemField,
        crate::dto::audit::AuditEntity,
        crate::dto::events::EventEnvelope,
        crate::dto::events::EventTypeDto
    )),
    tags(
        (name = "calls", description = "The call log"),
        (name = "auth", description = "Sign-in and tokens"),
        (name = "users", description = "People who sign in (admins)"),
        (name = "api-keys", description = "Keys for integrations (admins)"),
        (name = "audit", description = "Who changed what"),
        (name = "customers", description = "The customer directory and its bulk import"),
        (name = "blocked-numbers", description = "Numbers the hotline refuses (supervisors)"),
        (name = "cti", description = "Call events from softphones and PBXs, and the screen-pop"),
        (name = "routing", description = "Routing rules for work orders, and what-if simulation"),
        (name = "work-orders", description = "Work orders for field teams: created from calls, tracked against deadlines"),
        (name = "3cx", description = "3CX CRM integration: contact lookup and call journaling"),
        (name = "reports", description = "Dashboards: calls and work orders over time, the wallboard; JSON or CSV"),
        (name = "stream", description = "Live events (Server-Sent Events) for wallboards and agent desktops"),
        (name = "webhooks", description = "Signed event deliveries to other systems (Standard Webhooks), their attempts and redelivery (admins)"),
        (name = "ops", description = "Health, readiness, metrics"),
        (name = "planned-outages", description = "Planned outages announced to the affected customers (at least 5 days ahead), their history and the customers to tell"),
        (name = "callbacks", description = "Callbacks: customers to call back (abandoned and missed calls, restored incidents, requests), worklists by agent or queue, attempts"),
        (name = "new-supply", description = "New-supply requests: type and deadline, applicant, document checklist, steps to energisation; the inbound e-mail gateway"),
        (name = "articles", description = "Approved answers for policy and procedure questions: versions, review, diacritic-free search"),
        (name = "surveys", description = "Satisfaction survey campaigns: questionnaire, a sample reproducible from a seed, survey callbacks, answers and results compared with the previous campaign"),
        (name = "Open311", description = "Open311 GeoReport v2 for citizen and city apps: services, and requests filed as work orders (source open311). Errors are `[{\"code\", \"description\"}]`, not problem+json"),
        (name = "privacy", description = "Personal data: erasure on request (anonymise a customer or a number now, refused under a legal hold) and the erasures done"),
    )
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT or API key")
                    .description(Some(
                        "An access token from /api/v1/auth/token, or an integration's API key (hk_…)",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "email_signature",
            SecurityScheme::ApiKey(utoipa::openapi::security::ApiKey::Header(
                utoipa::openapi::security::ApiKeyValue::with_description(
                    "X-Hotline-Signature",
                    "The e-mail gateway's `sha256=` + hex HMAC-SHA256 of the raw body, keyed with HOTLINE_EMAIL_GATEWAY_SECRET",
                ),
            )),
        );
    }
}

/// What a webhook receiver gets (OpenAPI's `webhooks`), so generated
/// receivers know the body and the Standard Webhooks headers.
struct Webhooks;

impl Modify for Webhooks {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem};
        use utoipa::openapi::request_body::RequestBodyBuilder;
        use utoipa::openapi::{ContentBuilder, Ref, Required, ResponseBuilder, ResponsesBuilder};
        let header = |name: &str, what: &str| {
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Header)
                .required(Required::True)
                .description(Some(what))
                .schema(Some(
                    utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::Type::String),
                ))
                .build()
        };
        let operation = OperationBuilder::new()
            .summary(Some("An event, delivered to a subscription's URL"))
            .description(Some(
                "POSTed to every enabled subscription whose event types (and unit) match, signed per Standard \
Webhooks: `webhook-signature` is `v1,` + base64(HMAC-SHA256(key, \"{webhook-id}.{webhook-timestamp}.{body}\")) where \
the key is the base64 after `whsec_` in the subscription's secret. Any 2xx within the timeout accepts it; anything \
else is retried with backoff for about 27 hours.",
            ))
            .tag("webhooks")
            .parameter(header("webhook-id", "The event's id: the same on every attempt"))
            .parameter(header("webhook-timestamp", "Unix seconds when this attempt was signed"))
            .parameter(header(
                "webhook-signature",
                "`v1,` and the base64 HMAC-SHA256 signature; during a secret rotation's overlap, one per secret \
separated by a space (`v1,<new> v1,<old>`): accept the request when any verifies",
            ))
            .request_body(Some(
                RequestBodyBuilder::new()
                    .required(Some(Required::True))
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("Event")))
                            .build(),
                    )
                    .build(),
            ))
            .responses(
                ResponsesBuilder::new()
                    .response("2XX", ResponseBuilder::new().description("Accepted").build())
                    .response(
                        "4XX",
                        ResponseBuilder::new()
                            .description("Refused (a bad signature, say): retried like any failure")
                            .build(),
                    )
                    .build(),
            )
            .operation_id(Some("event"))
            .build();
        let mut operation = operation;
        // The receiver's end: hotline signs, it sends no credentials.
        operation.security = Some(Vec::new());
        let paths =
            utoipa::openapi::path::PathsBuilder::new().path("event", PathItem::new(HttpMethod::Post, operation));
        openapi.webhooks = Some(paths.build());
    }
}

pub(crate) fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// Operations anyone may call, documented with an explicit `security: []`.
const PUBLIC: [&str; 3] = ["/healthz", "/readyz", "/metrics"];

/// What needs every path: run once the routes are merged.
///
/// - `servers`: the server the document was fetched from (`/`);
/// - the public operations say so with an empty `security`;
/// - every 429 and 503 documents its `Retry-After` (seconds), which the
///   server sends on each (see `ApiError::too_many_requests`,
///   `ApiError::unavailable`, `ApiError::for_status`);
/// - every operation that takes the bearer credential documents its 401,
///   the same for all (an operation may still say more in its own list);
/// - every operation but the health probes documents its 429 (the rate
///   limit is checked before any route).
pub(crate) fn finish(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::ObjectBuilder;
    use utoipa::openapi::header::HeaderBuilder;
    use utoipa::openapi::{RefOr, Server, Type};
    let unauthorised = utoipa::openapi::ResponseBuilder::new()
        .description("Missing or bad credentials")
        .content(
            "application/problem+json",
            utoipa::openapi::ContentBuilder::new()
                .schema(Some(utoipa::openapi::Ref::from_schema_name("Problem")))
                .build(),
        )
        .build();
    let limited = |problem: bool| {
        let mut b = utoipa::openapi::ResponseBuilder::new()
            .description("Too many requests: this caller's rate limit is spent (see the RateLimit headers)");
        if problem {
            b = b.content(
                "application/problem+json",
                utoipa::openapi::ContentBuilder::new()
                    .schema(Some(utoipa::openapi::Ref::from_schema_name("Problem")))
                    .build(),
            );
        }
        b.build()
    };
    let mut server = Server::new("/");
    server.description = Some("The server this document was fetched from".into());
    doc.servers = Some(vec![server]);
    for (path, item) in doc.paths.paths.iter_mut() {
        let public = PUBLIC.contains(&path.as_str());
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
            &mut item.head,
            &mut item.options,
            &mut item.trace,
        ];
        for op in operations.into_iter().flatten() {
            if public && op.security.is_none() {
                op.security = Some(Vec::new());
            }
            let bearer = op
                .security
                .iter()
                .flatten()
                .any(|requirement| serde_json::to_value(requirement).is_ok_and(|v| v.get("bearer").is_some()));
            if bearer {
                op.responses
                    .responses
                    .entry("401".into())
                    .or_insert_with(|| RefOr::T(unauthorised.clone()));
            }
            if !public {
                let problem = !path.starts_with("/open311");
                op.responses
                    .responses
                    .entry("429".into())
                    .or_insert_with(|| RefOr::T(limited(problem)));
            }
            for (status, response) in op.responses.responses.iter_mut() {
                let (RefOr::T(response), "429" | "503") = (response, status.as_str()) else {
                    continue;
                };
                response.headers.entry("Retry-After".into()).or_insert_with(|| {
                    RefOr::T(
                        HeaderBuilder::new()
                            .schema(Some(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1))))
                            .description(Some("Seconds to wait before retrying"))
                            .build(),
                    )
                });
            }
        }
    }
}

/// The complete document, as served at `/openapi.json`.
pub fn spec() -> utoipa::openapi::OpenApi {
    crate::api().split_for_parts().1
}

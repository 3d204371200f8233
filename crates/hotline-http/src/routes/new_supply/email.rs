//! The inbound e-mail gateway: a mail system posts each message it
//! receives for the new-supply address, signed with the shared secret
//! (`HOTLINE_EMAIL_GATEWAY_SECRET`); each message opens one request.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use hotline_app::new_supply;
use hotline_domain::new_supply::signature;

use crate::dto::new_supply::{InboundEmailBody, NewSupplyView};
use crate::error::{ApiError, ApiResult, Problem};
use crate::routes::versioned;
use crate::state::AppState;

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "x-hotline-signature";

/// Open a new-supply request from an e-mail (the e-mail gateway).
///
/// No bearer token: the raw body is signed instead, with header
/// `X-Hotline-Signature: sha256=<hex of HMAC-SHA256(secret, body)>` and the
/// secret in `HOTLINE_EMAIL_GATEWAY_SECRET` (unset: the gateway is off and
/// the endpoint answers 404 `email-gateway-off`). The request opens awaiting documents, source `email`, the
/// applicant's address from `from`, the message kept as text; its type is
/// set later as a step. The same `message_id` again answers 200 with the
/// request it opened, opening nothing.
#[utoipa::path(
    post, path = "/api/v1/integrations/email/new-supply", tag = "new-supply",
    request_body = InboundEmailBody,
    responses(
        (status = 201, description = "Opened", body = NewSupplyView, headers(("Location" = String), ("ETag" = String))),
        (status = 200, description = "This message was received before: the request it opened", body = NewSupplyView),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Signature missing or wrong", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`message_id`, `from`, `text`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The gateway is off: `HOTLINE_EMAIL_GATEWAY_SECRET` is not set", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("email_signature" = []))
)]
pub(super) async fn email_new_supply(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let Some(secret) = st.config.email_gateway_secret.as_deref() else {
        // A feature not switched on is not there (a 5xx would say the
        // service is failing, and clients would retry).
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "email-gateway-off",
            "E-mail gateway off",
            "the e-mail gateway is not configured: set HOTLINE_EMAIL_GATEWAY_SECRET",
        ));
    };
    let signed = headers
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|sig| signature::verify(secret.as_bytes(), &body, sig));
    if !signed {
        return Err(ApiError::unauthorized(
            "the X-Hotline-Signature header is missing or wrong",
        ));
    }
    let mail: InboundEmailBody =
        serde_json::from_slice(&body).map_err(|e| ApiError::malformed(format!("malformed JSON: {e}")))?;
    let (found, new) = new_supply::gateway(&st.app, mail.into()).await?;
    let view = NewSupplyView::new(&found.application, &found.work_order);
    if new {
        let location = format!("/api/v1/new-supply-applications/{}", found.work_order.id);
        versioned(StatusCode::CREATED, &view, Some(&location), found.application.version)
    } else {
        versioned(StatusCode::OK, &view, None, found.application.version)
    }
}

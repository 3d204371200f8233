//! The request parameters that many operations document alike, written
//! once: list them in `#[utoipa::path(params(...))]` by name, next to the
//! operation's own tuples (`params(SubscriptionId, IfMatchHeader)`). The
//! extractors that read them are in `crate::extract`.

use utoipa::IntoParams;
use uuid::Uuid;

/// Path parameters `id` (the article's) and `n` (a version's number).
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ArticleVersionParams {
    /// The article's id
    pub id: Uuid,
    /// The version's number
    pub n: i32,
}

/// `If-Match`, required: the version a change is based on.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IfMatchHeader {
    /// The ETag from your last read, or * for any
    #[param(rename = "If-Match", pattern = r#"^(\*|(W/)?"[0-9]+")$"#)]
    pub if_match: String,
}

/// `Idempotency-Key`, optional: makes a create safe to retry.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IdempotencyKeyHeader {
    /// Makes retries safe: 1–255 visible ASCII characters
    #[param(
        rename = "Idempotency-Key",
        min_length = 1,
        max_length = 255,
        pattern = r"^[\x21-\x7E]+$"
    )]
    pub idempotency_key: Option<String>,
}

/// Path parameters: each type documents one, as `name: type`, "description".
macro_rules! path_params {
    ($($param:ident = $name:ident: $ty:ident, $description:literal;)*) => {$(
        #[doc = concat!("Path parameter `", stringify!($name), "`: ", $description, ".")]
        #[derive(IntoParams)]
        #[into_params(parameter_in = Path)]
        pub struct $param {
            #[doc = $description]
            pub $name: $ty,
        }
    )*};
}

path_params! {
    SubscriptionIdParam = id: Uuid, "The subscription's id";
    DeliveryIdParam = delivery_id: Uuid, "The delivery's id";
    IncidentIdParam = id: Uuid, "The incident's id";
    WorkOrderKeyParam = id: String, "The work order's id or short code";
    TeamCodeParam = code: String, "The team's code";
    PolicyIdParam = id: Uuid, "The policy's id";
    CallIdParam = id: Uuid, "The call's id";
    CustomerIdParam = id: Uuid, "The customer's id";
    UnitCodeParam = code: String, "The unit's code";
    AreaCodeParam = code: String, "The area's code";
    CallbackIdParam = id: Uuid, "The callback's id";
    ArticleIdParam = id: Uuid, "The article's id";
}

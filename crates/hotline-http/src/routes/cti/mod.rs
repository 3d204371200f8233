//! Call events from softphones and PBXs (Zammad's generic CTI format and our
//! own JSON), and the screen-pop an agent's softphone asks for on ring.

mod events;
mod fields;
mod lookup;
mod zammad;

use hotline_domain::call::Direction;
use hotline_domain::cti::{CtiEvent, EventKind};
use hotline_domain::phone::PhoneNumber;
use hotline_domain::ports::CtiApplied;
use hotline_domain::principal::Principal;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiResult;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(events::own_event))
        .routes(routes!(lookup::lookup))
        .routes(routes!(zammad::zammad_event))
}

/// Applies an event, and says whether an inbound ringing call comes from a
/// blocked number (the PBX should refuse it).
pub(super) async fn apply(
    st: &AppState,
    who: &Principal,
    mut event: CtiEvent,
) -> ApiResult<(CtiApplied, Option<String>)> {
    let blocked_reason = if event.kind == EventKind::Ringing && event.direction != Some(Direction::Outbound) {
        match event.from.as_deref().map(PhoneNumber::parse) {
            Some(Ok(Some(n))) => st.app.store.blocked_numbers().find(n.as_str()).await?.map(|b| b.reason),
            _ => None,
        }
    } else {
        None
    };
    event.blocked = blocked_reason.is_some();
    let applied = st.app.store.cti().apply(who, &event, st.app.now()).await?;
    Ok((applied, blocked_reason))
}

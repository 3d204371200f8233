//! Call events from softphones and PBXs (Zammad's generic CTI format and our
//! own JSON), and the screen-pop an agent's softphone asks for on ring.

mod events;
mod fields;
mod lookup;
mod zammad;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(events::own_event))
        .routes(routes!(lookup::lookup))
        .routes(routes!(zammad::zammad_event))
}

//! The organisation: units (corporation → provincial company → local office
//! → team), areas, and field teams. (being written)

use async_trait::async_trait;

/// Storage for units, areas and teams.
#[async_trait]
pub trait OrgStore: Send + Sync {}

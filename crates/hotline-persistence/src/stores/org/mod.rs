//! Units, areas and teams. (being written)

use hotline_domain::org::OrgStore;

use crate::Db;

impl OrgStore for Db {}

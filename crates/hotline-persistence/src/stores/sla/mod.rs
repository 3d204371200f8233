//! Calendars and SLA policies. (being written)

use hotline_domain::sla::{CalendarStore, SlaPolicyStore};

use crate::Db;

impl CalendarStore for Db {}
impl SlaPolicyStore for Db {}

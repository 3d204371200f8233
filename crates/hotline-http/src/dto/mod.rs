//! Request and response bodies, with their OpenAPI schemas. Domain types
//! never serialize to clients directly; these do.

#[macro_use]
pub mod enums;
pub mod incidents;

pub mod api_keys;
pub mod articles;
pub mod audit;
pub mod auth;
pub mod blocked;
pub mod calendars;
pub mod call_topics;
pub mod callbacks;
pub mod calls;
pub mod complaints;
pub mod cti;
pub mod cursor;
pub mod customers;
pub mod events;
pub mod new_supply;

pub mod open311;
pub mod org;
pub mod page;
pub mod params;
pub mod planned_outages;
pub mod problems;
pub mod reports;
pub mod routing;
pub mod sla;
pub mod survey_answers;
pub mod surveys;
pub mod threecx;
pub mod users;
pub mod webhooks;
pub mod work_orders;

use serde::{Deserialize, Deserializer};

/// For PATCH bodies: tells "absent" (None) from "null" (Some(None)).
pub fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}
pub mod accounts;
pub mod erasures;
pub mod privacy;

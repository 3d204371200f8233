//! Open311 GeoReport v2: the services offered to citizen and city apps
//! ([`catalogue`]), a posted request checked and turned into a work order
//! ([`submission`]), and a work order as the public sees it ([`request`]).
//! Pure mapping; the HTTP layer serves it.

pub mod catalogue;
pub mod public;
pub mod request;
pub mod submission;

pub use catalogue::{Attribute, Service};
pub use request::{RequestStatus, ServiceRequest};
pub use submission::{RawRequest, Reporter, ServiceRequestInput};

//! New-supply applications: opening one (from the desk, a call, the
//! counter, the web or an e-mail), ticking its documents and recording its
//! steps, its deadline clock, and the report by channel and type.

mod clock;
mod elsewhere;
mod email;
mod list;
mod open;
mod report;
mod steps;

pub use clock::resolution_due;
pub use elsewhere::{from_open311, from_work_order};
pub use email::{InboundEmail, gateway, parse_from};
pub use list::list;
pub use open::{NewApplication, open};
pub use report::report;
pub use steps::{StepInput, find, record};

use hotline_domain::new_supply::Application;
use hotline_domain::work_order::WorkOrder;

/// An application with its work order, as the caller may see them.
#[derive(Debug, Clone)]
pub struct Found {
    pub application: Application,
    pub work_order: WorkOrder,
}

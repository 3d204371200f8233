//! The domain's enums as they appear in the API and its schema.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

macro_rules! api_enum {
    ($(#[$m:meta])* $dto:ident as $name:ident => $domain:path { $($v:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        #[schema(as = $name)]
        pub enum $dto { $($v),+ }

        impl From<$dto> for $domain {
            fn from(v: $dto) -> Self {
                use $domain as D;
                match v { $($dto::$v => D::$v),+ }
            }
        }

        impl From<$domain> for $dto {
            fn from(v: $domain) -> Self {
                use $domain as D;
                match v { $(D::$v => $dto::$v),+ }
            }
        }
    };
}

api_enum!(
    /// `inbound` (a customer called the hotline) or `outbound` (we called them).
    DirectionDto as Direction => hotline_domain::call::Direction { Inbound, Outbound }
);
api_enum!(
    /// How the call ended for the customer.
    OutcomeDto as Outcome => hotline_domain::call::Outcome { Answered, Missed, Abandoned, Busy, Voicemail, Failed, Transferred }
);
api_enum!(
    /// What the customer needed.
    CategoryDto as Category => hotline_domain::call::Category {
        Outage, SafetyHazard, NewSupply, Metering, Billing, VoltageQuality, StaffConduct, Information, Other, Compliment
    }
);
api_enum!(
    /// The language of problems and CSV exports: `en` or `vi`.
    LanguageDto as Language => hotline_domain::language::Language { En, Vi }
);
api_enum!(
    /// What a user or API key may do.
    RoleDto as Role => hotline_domain::role::Role { Admin, Supervisor, Agent, Dispatcher, Field, Viewer, Integration }
);

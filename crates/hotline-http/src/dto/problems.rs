//! The problem+json responses that many operations share, written once:
//! list them in `#[utoipa::path(responses(...))]` by name, next to the
//! operation's own tuples (`responses((status = 200, ...), Unavailable)`).
//! Each documents one status with its description and the `Problem` body.

use std::collections::BTreeMap;

use utoipa::IntoResponses;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

/// A problem+json response with this description.
pub fn problem(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}

macro_rules! problems {
    ($($name:ident = $status:literal, $description:literal;)*) => {$(
        #[doc = concat!("`", $status, "`: ", $description)]
        pub struct $name;

        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                BTreeMap::from([($status.to_string(), RefOr::T(problem($description)))])
            }
        }
    )*};
}

/// Several problem responses listed under one name, for sets that recur
/// word for word; no two parts may share a status.
macro_rules! bundles {
    ($($(#[$doc:meta])* $name:ident = $($part:ident),+;)*) => {$(
        $(#[$doc])*
        pub struct $name;

        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                let mut all = BTreeMap::new();
                $(for (status, response) in $part::responses() {
                    let earlier = all.insert(status, response);
                    debug_assert!(earlier.is_none(), "two parts of {} document one status", stringify!($name));
                })+
                all
            }
        }
    )*};
}

problems! {
    Unavailable = 503, "Database unavailable";
    NotJson = 415, "Not JSON";
    AdminsOnly = 403, "Admins only";
    MalformedJson = 400, "Malformed JSON";
    InvalidFields = 422, "Invalid fields";
    MalformedId = 400, "Malformed id";
    IfMatchMissing = 428, "If-Match missing";
    BodyTooLarge = 413, "Body too large";
    ChangedBySomeoneElse = 412, "Changed by someone else since you read it";
    CrewsNotOrg = 403, "Field crews do not read the organisation";
    InvalidFilter = 400, "Invalid filter";
    NoSuchSubscription = 404, "No such subscription";
    MayNotReadCalls = 403, "The role may not read calls";
    MayNotManageIncidents = 403, "The role may not manage incidents";
    NoSuchTeam = 404, "No such team";
    NoSuchIncident = 404, "No such incident";
    NoSuchArticle = 404, "No such article (or version), or not one you may see";
    MayNotReadArticles = 403, "The role may not read articles";
    MayNotEditArticles = 403, "The role may not edit articles";
    MalformedCode = 400, "Malformed code";
    MalformedBodyIdOrIfMatch = 400, "Malformed body, id or If-Match";
    MalformedBodyCodeOrIfMatch = 400, "Malformed body, code or If-Match";
    ChangedSinceRead = 412, "Changed since you read it";
    CodeTaken = 409, "The code is taken";
    NoSuchPolicy = 404, "No such policy";
    MayNotReadReports = 403, "The role may not read reports";
    CrewsNotCalendars = 403, "Field crews do not read calendars";
    CrewsNotSla = 403, "Field crews do not read SLA policies";
    AdminsOrSubtreeSupervisors = 403, "Admins, and supervisors within their own unit's subtree";
    MalformedBodyOrIfMatch = 400, "Malformed body or If-Match";
    InvalidParameter = 400, "Invalid parameter";
    InvalidOrBadMove = 422, "Invalid fields; no such parent or a move below itself (`parent_code`)";
    InvalidOrNoParent = 422, "Invalid fields, or no such parent (`parent_code`)";
    NotCsv = 415, "Not text/csv or application/octet-stream";
    FileTooLarge = 413, "File too large";
    TreeChanged = 409, "The tree changed during the import; nothing was stored";
    NoSuchUser = 404, "No such user";
    NoSuchUnit = 404, "No such unit";
    NoSuchDelivery = 404, "No such delivery";
    NoSuchCustomer = 404, "No such customer";
    NoSuchCall = 404, "No such call";
    NoSuchCallback = 404, "No such callback (or not in your unit's subtree)";
    MayNotWorkCallbacks = 403, "The role may not work callbacks";
    CallbackClosed = 409, "The callback is closed";
    NoSuchCalendar = 404, "No such calendar";
    NoSuchArea = 404, "No such area";
    MayNotReadDirectory = 403, "The role may not read the directory";
    MayNotReadIncidents = 403, "The role may not read incidents";
    MayNotLogCalls = 403, "The role may not log calls";
    SupervisorsAndAdmins = 403, "Supervisors and admins only";
    UnreadableFile = 400, "No usable header row or an unreadable file";
    BadParameter = 400, "Bad parameter";
    BadParameterOrBuckets = 400, "A bad parameter (named in `errors`), or too many buckets";
    MayNotOpenWorkOrders = 403, "The role may not open work orders";
    InvalidOrKeyReused = 422, "Invalid fields, or the key reused with another body";
    MalformedJsonOrId = 400, "Malformed JSON or id";
    NoSuchWorkOrderForYou = 404, "No such work order (or not yours to see)";
    NotYoursToMove = 403, "Not yours to move";
    NoSuchWorkOrder = 404, "No such work order";
    NotFromThisState = 409, "Not allowed from the current state";
    ViewersMayNotComment = 403, "Viewers may not comment";
    ChangedMeanwhileTryAgain = 409, "Changed meanwhile; try again";
    EmptyOrTooLong = 422, "Empty or too long";
    MayNotLinkCalls = 403, "The role may not link calls";
    NoSuchWorkOrderOrCall = 404, "No such work order or call";
    MayNotRecordFeedback = 403, "The role may not record feedback";
    FeedbackNotNow = 409, "Not resolved or closed yet, or feedback already given";
    InvalidFeedback = 422, "Invalid fields (score, comment)";
}

bundles! {
    /// A change sent with `If-Match`: 412 (stale), 415, 428 and 503.
    VersionedWrite = ChangedBySomeoneElse, NotJson, IfMatchMissing, Unavailable;
    /// A change sent with `If-Match`, answered without a 503: 412 (stale),
    /// 415, 422 and 428.
    VersionedEdit = ChangedSinceRead, NotJson, InvalidFields, IfMatchMissing;
    /// A unit or area CSV import refused: 400, 403, 409, 413, 415 and 503.
    TreeImportRefusals = UnreadableFile, AdminsOnly, TreeChanged, FileTooLarge, NotCsv, Unavailable;
    /// A call or work-order report refused: 400, 403 and 503.
    SeriesReportRefusals = BadParameterOrBuckets, MayNotReadReports, Unavailable;
    /// A change to a callback refused: 403, 404 and 409.
    CallbackRefusals = MayNotWorkCallbacks, NoSuchCallback, CallbackClosed;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_documents_each_of_its_parts() {
        let statuses = |r: BTreeMap<String, RefOr<Response>>| r.into_keys().collect::<Vec<_>>();
        assert_eq!(statuses(VersionedWrite::responses()), ["412", "415", "428", "503"]);
        assert_eq!(statuses(VersionedEdit::responses()), ["412", "415", "422", "428"]);
        assert_eq!(
            statuses(TreeImportRefusals::responses()),
            ["400", "403", "409", "413", "415", "503"]
        );
        assert_eq!(statuses(SeriesReportRefusals::responses()), ["400", "403", "503"]);
        let stale = |r: BTreeMap<String, RefOr<Response>>| serde_json::to_value(&r["412"]).unwrap();
        assert_eq!(
            stale(VersionedWrite::responses()),
            stale(ChangedBySomeoneElse::responses())
        );
        assert_eq!(stale(VersionedEdit::responses()), stale(ChangedSinceRead::responses()));
    }
}

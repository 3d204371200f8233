//! The `calls` table and how a [`Call`] is written to it and read back: the
//! one persistence file a new call field touches.

use hotline_domain::call::{Call, Category, Direction, Outcome};
use hotline_domain::phone::PhoneNumber;
use hotline_domain::{CustomerCode, StoreError};
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

use crate::errors::DbResult;
use crate::stores::decode;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calls")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub direction: String,
    pub caller_number: Option<String>,
    pub caller_number_raw: String,
    pub callee_number: Option<String>,
    pub callee_number_raw: String,
    pub started_at: DateTimeUtc,
    pub answered_at: Option<DateTimeUtc>,
    pub ended_at: Option<DateTimeUtc>,
    pub agent: Option<String>,
    pub queue: Option<String>,
    pub outcome: Option<String>,
    pub blocked: bool,
    pub hangup_cause: Option<String>,
    pub category: Option<String>,
    pub customer_code: Option<String>,
    pub caller_name: Option<String>,
    pub address: Option<String>,
    /// The note as text: a few words, or a call written before notes were
    /// packed; else empty and the note is in [`Model::notes_packed`].
    pub notes: Option<String>,
    /// The note compressed (`crate::packed::pack_note`).
    pub notes_packed: Option<Vec<u8>>,
    pub external_id: Option<String>,
    pub source: String,
    pub search_text: String,
    pub contact_id: Option<Uuid>,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The call's note, from whichever column holds it. This build writes
    /// one or the other; where both hold one, the text is the newer, set
    /// by a build from before notes were packed (a replica not yet
    /// upgraded), which knows nothing of the packed column.
    pub(crate) fn note(&self) -> DbResult<Option<String>> {
        read_note(self.id, self.notes.clone(), self.notes_packed.as_deref())
    }
}

/// The note from its two columns (see [`Model::note`]).
fn read_note(id: Uuid, text: Option<String>, packed: Option<&[u8]>) -> DbResult<Option<String>> {
    match (text, packed) {
        (Some(text), _) => Ok(Some(text)),
        (None, None) => Ok(None),
        (None, Some(p)) => {
            Ok(Some(crate::packed::unpack(p).map_err(|e| {
                StoreError::Other(format!("call {id}: its note does not read: {e}"))
            })?))
        }
    }
}

/// The call's row. A column added to [`Model`] must be written here before
/// this compiles; a field added to [`Call`] is asked for by [`to_domain`].
pub(crate) fn to_row(c: &Call) -> ActiveModel {
    let search_text = c.search_text();
    let notes_packed = c.notes.as_deref().and_then(crate::packed::pack_note);
    ActiveModel {
        id: Set(c.id),
        direction: Set(c.direction.as_str().into()),
        caller_number: Set(c.caller_number.as_ref().map(|p| p.as_str().into())),
        caller_number_raw: Set(c.caller_number_raw.clone()),
        callee_number: Set(c.callee_number.as_ref().map(|p| p.as_str().into())),
        callee_number_raw: Set(c.callee_number_raw.clone()),
        started_at: Set(c.started_at),
        answered_at: Set(c.answered_at),
        ended_at: Set(c.ended_at),
        agent: Set(c.agent.clone()),
        queue: Set(c.queue.clone()),
        outcome: Set(c.outcome.map(|o| o.as_str().into())),
        blocked: Set(c.blocked),
        hangup_cause: Set(c.hangup_cause.clone()),
        category: Set(c.category.map(|o| o.as_str().into())),
        customer_code: Set(c.customer_code.as_ref().map(ToString::to_string)),
        caller_name: Set(c.caller_name.clone()),
        address: Set(c.address.clone()),
        notes: Set(c.notes.clone().filter(|_| notes_packed.is_none())),
        notes_packed: Set(notes_packed),
        external_id: Set(c.external_id.clone()),
        source: Set(c.source.clone()),
        search_text: Set(search_text),
        contact_id: Set(c.contact_id),
        created_by: Set(c.created_by.clone()),
        created_at: Set(c.created_at),
        updated_at: Set(c.updated_at),
        version: Set(c.version),
    }
}

pub(crate) fn to_domain(mut m: Model) -> DbResult<Call> {
    let notes = read_note(m.id, m.notes.take(), m.notes_packed.as_deref())?;
    Ok(Call {
        id: m.id,
        direction: decode("direction", &m.direction, Direction::parse)?,
        caller_number: m.caller_number.map(PhoneNumber::from_stored),
        caller_number_raw: m.caller_number_raw,
        callee_number: m.callee_number.map(PhoneNumber::from_stored),
        callee_number_raw: m.callee_number_raw,
        started_at: m.started_at,
        answered_at: m.answered_at,
        ended_at: m.ended_at,
        agent: m.agent,
        queue: m.queue,
        outcome: m.outcome.map(|o| decode("outcome", &o, Outcome::parse)).transpose()?,
        blocked: m.blocked,
        hangup_cause: m.hangup_cause,
        category: m
            .category
            .map(|c| decode("category", &c, Category::parse))
            .transpose()?,
        customer_code: m.customer_code.map(CustomerCode::stored),
        caller_name: m.caller_name,
        address: m.address,
        notes,
        external_id: m.external_id,
        source: m.source,
        contact_id: m.contact_id,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    })
}

//! Erasure on request, in one transaction: the legal hold checked, the
//! records of the customer and numbers anonymised (numbers salted by the
//! erasure, so a later call from the number is not linked to them), their
//! names, addresses and numbers replaced in every text column of every
//! table, and the audit entry with the counts.

use std::collections::BTreeMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hotline_domain::anonymise::{Pseudonymiser, Scrub};
use hotline_domain::audit::AuditEntry;
use hotline_domain::idempotency::IdempotencyRecord;
use hotline_domain::new_supply::Applicant;
use hotline_domain::ports::{Erased, ErasureAnswer, ErasureStore, ErasureTarget, StoreResult};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};
use uuid::Uuid;

use super::applicants::scrub_applicant;
use super::calls::{anonymise_call, strip_topics};
use super::scrub::{OwnRows, scrub_everywhere};
use super::sql::write_lock;
use crate::Db;
use crate::entities::idempotency as idem_row;
use crate::entities::work_order::{call_link, row as wo};
use crate::entities::{call, callback, customer, customer_phone, new_supply, survey};
use crate::errors::lift;
use crate::stores::{audit, idempotency};

/// Complaints: while one of these is open, its records are kept.
const HELD_CATEGORIES: [&str; 4] = ["metering", "billing", "voltage_quality", "staff_conduct"];
const DONE: [&str; 3] = ["resolved", "closed", "cancelled"];

#[async_trait]
impl ErasureStore for Db {
    async fn erase(
        &self,
        target: &ErasureTarget,
        with: &Pseudonymiser,
        now: DateTime<Utc>,
        mut entry: AuditEntry,
        keep: Option<IdempotencyRecord>,
        answer: ErasureAnswer<'_>,
    ) -> StoreResult<Erased> {
        lift(async move {
            let txn = match idempotency::claim_or_holder(self.conn.begin().await?, &self.conn, keep.as_ref()).await? {
                Ok(txn) => txn,
                Err(first) => return Ok(Erased::Taken(first)),
            };
            write_lock(&txn).await?;
            let mut scrub = Scrub::new();
            let mut counts: BTreeMap<String, u64> = BTreeMap::new();
            let mut numbers = target.numbers.clone();

            let person = match &target.customer_code {
                Some(code) => {
                    customer::Entity::find()
                        .filter(customer::Column::Code.eq(code))
                        .one(&txn)
                        .await?
                }
                None => None,
            };
            if let Some(c) = &person {
                let phones = customer_phone::Entity::find()
                    .filter(customer_phone::Column::CustomerId.eq(c.id))
                    .all(&txn)
                    .await?;
                numbers.extend(phones.into_iter().map(|p| p.number));
            }
            numbers.sort();
            numbers.dedup();

            // The calls: the customer's, and from or to the numbers.
            let mut which = Condition::any()
                .add(call::Column::CallerNumber.is_in(numbers.iter().cloned()))
                .add(call::Column::CalleeNumber.is_in(numbers.iter().cloned()));
            if let Some(code) = &target.customer_code {
                which = which.add(call::Column::CustomerCode.eq(code));
            }
            let calls = call::Entity::find().filter(which).all(&txn).await?;
            let call_ids: Vec<Uuid> = calls.iter().map(|c| c.id).collect();

            // The work orders: the customer's, and those the calls opened.
            let linked = call_link::Entity::find()
                .filter(call_link::Column::CallId.is_in(call_ids.iter().copied()))
                .all(&txn)
                .await?;
            let mut orders = Condition::any().add(wo::Column::Id.is_in(linked.iter().map(|l| l.work_order_id)));
            if let Some(code) = &target.customer_code {
                orders = orders.add(wo::Column::CustomerCode.eq(code));
            }
            let work_orders = wo::Entity::find().filter(orders).all(&txn).await?;
            let held: Vec<String> = work_orders
                .iter()
                .filter(|w| HELD_CATEGORIES.contains(&w.category.as_str()) && !DONE.contains(&w.status.as_str()))
                .map(|w| w.code.clone())
                .collect();
            if !held.is_empty() {
                txn.rollback().await?;
                return Ok(Erased::Held(held));
            }

            for n in &numbers {
                scrub.number(n, &with.of(n));
            }
            if let Some(c) = &person {
                for t in [Some(&c.name), c.email.as_ref(), c.address.as_ref(), c.notes.as_ref()]
                    .into_iter()
                    .flatten()
                {
                    scrub.text(t);
                }
                let none = || Expr::value(Option::<String>::None);
                let mut q = Query::update();
                q.table(customer::Entity)
                    .value(customer::Column::Email, none())
                    .value(customer::Column::Address, none())
                    .value(customer::Column::Notes, none())
                    .value(customer::Column::Version, Expr::col(customer::Column::Version).add(1))
                    .value(customer::Column::UpdatedAt, now)
                    .value(Alias::new("anonymised_at"), now)
                    .and_where(customer::Column::Id.eq(c.id));
                txn.execute_raw(txn.get_database_backend().build(&q)).await?;
                counts.insert("customers".into(), 1);
            }

            for c in &calls {
                let s = anonymise_call(&txn, c, with, now).await?;
                for (from, to) in s.pairs() {
                    // The call's own texts, and its number under this erasure's pseudonym.
                    if to.is_empty() || to == hotline_domain::anonymise::ERASED {
                        scrub.text(from);
                    }
                }
                if let Some(n) = if c.direction == "outbound" {
                    &c.callee_number
                } else {
                    &c.caller_number
                } {
                    let raw = if c.direction == "outbound" {
                        &c.callee_number_raw
                    } else {
                        &c.caller_number_raw
                    };
                    scrub.number(raw, &with.of(n));
                }
            }
            counts.insert("calls".into(), calls.len() as u64);
            counts.insert("topics".into(), strip_topics(&txn, &call_ids, &mut scrub).await?);

            let mut cbs = Condition::any().add(callback::Column::Number.is_in(numbers.iter().cloned()));
            if let Some(code) = &target.customer_code {
                cbs = cbs.add(callback::Column::CustomerCode.eq(code));
            }
            let callbacks = callback::Entity::find().filter(cbs).all(&txn).await?;
            for cb in &callbacks {
                scrub.number(&cb.number, &with.of(&cb.number));
                if let Some(n) = &cb.note {
                    scrub.text(n);
                }
                let mut q = Query::update();
                q.table(callback::Entity)
                    .value(callback::Column::Note, Expr::value(Option::<String>::None))
                    .value(callback::Column::Version, Expr::col(callback::Column::Version).add(1))
                    .value(Alias::new("anonymised_at"), now)
                    .and_where(callback::Column::Id.eq(cb.id));
                txn.execute_raw(txn.get_database_backend().build(&q)).await?;
            }
            counts.insert("callbacks".into(), callbacks.len() as u64);

            let wo_ids: Vec<Uuid> = work_orders.iter().map(|w| w.id).collect();
            for w in &work_orders {
                if let Some(a) = &w.address {
                    scrub.text(a);
                }
            }
            if !wo_ids.is_empty() {
                wo::Entity::update_many()
                    .col_expr(wo::Column::Address, Expr::value(Option::<String>::None))
                    .col_expr(wo::Column::Version, Expr::col(wo::Column::Version).add(1))
                    .filter(wo::Column::Id.is_in(wo_ids.iter().copied()))
                    .exec(&txn)
                    .await?;
            }
            counts.insert("work_orders".into(), wo_ids.len() as u64);

            let applications = new_supply::Entity::find()
                .filter(new_supply::Column::WorkOrderId.is_in(wo_ids.iter().copied()))
                .all(&txn)
                .await?;
            for a in &applications {
                if let Ok(who) = serde_json::from_str::<Applicant>(&a.applicant) {
                    scrub_applicant(&who, with, &mut scrub);
                }
                if let Some(m) = &a.message {
                    scrub.text(m);
                }
            }
            if !applications.is_empty() {
                new_supply::Entity::update_many()
                    .col_expr(new_supply::Column::Message, Expr::value(Option::<String>::None))
                    .filter(new_supply::Column::WorkOrderId.is_in(wo_ids.iter().copied()))
                    .exec(&txn)
                    .await?;
            }
            counts.insert("applications".into(), applications.len() as u64);

            let responses = match &target.customer_code {
                Some(code) => survey::response::Entity::find()
                    .filter(survey::response::Column::CustomerCode.eq(code))
                    .all(&txn)
                    .await?
                    .len() as u64,
                None => 0,
            };
            counts.insert("survey_responses".into(), responses);

            let ids = |v: &[Uuid]| v.iter().map(|id| sea_orm::Value::from(*id)).collect::<Vec<_>>();
            let cb_ids: Vec<Uuid> = callbacks.iter().map(|c| c.id).collect();
            let code = || {
                target
                    .customer_code
                    .iter()
                    .map(|c| sea_orm::Value::from(c.clone()))
                    .collect::<Vec<_>>()
            };
            let own: Vec<OwnRows> = vec![
                ("customers", "id", ids(&person.iter().map(|c| c.id).collect::<Vec<_>>())),
                (
                    "customer_phones",
                    "customer_id",
                    ids(&person.iter().map(|c| c.id).collect::<Vec<_>>()),
                ),
                ("calls", "id", ids(&call_ids)),
                ("call_topics", "call_id", ids(&call_ids)),
                ("callbacks", "id", ids(&cb_ids)),
                ("work_orders", "id", ids(&wo_ids)),
                ("work_order_events", "work_order_id", ids(&wo_ids)),
                ("work_order_feedback", "work_order_id", ids(&wo_ids)),
                ("complaint_facts", "work_order_id", ids(&wo_ids)),
                ("new_supply_applications", "work_order_id", ids(&wo_ids)),
                ("survey_responses", "customer_code", code()),
                ("survey_samples", "customer_code", code()),
            ];
            counts.insert("copies".into(), scrub_everywhere(&txn, &scrub, &own).await?);
            if let Some(obj) = entry.changes.as_object_mut() {
                obj.insert("anonymised".into(), serde_json::to_value(&counts).unwrap_or_default());
            }
            audit::record(&txn, &entry).await?;
            if let Some(k) = &keep {
                idem_row::Entity::update_many()
                    .col_expr(idem_row::Column::Body, Expr::value(answer(&counts)))
                    .filter(idem_row::Column::Digest.eq(k.digest().to_vec()))
                    .exec(&txn)
                    .await?;
            }
            txn.commit().await?;
            Ok(Erased::Done(counts))
        })
        .await
    }
}

//! Sample new-supply requests in each state: one awaiting documents (came
//! by e-mail, type not known yet), one at the counter with its paperwork
//! complete, one surveyed from a call-less web form, one energised.

use chrono::{DateTime, Utc};
use hotline_app::App;
use hotline_app::FixedClock;
use hotline_app::new_supply::{self, NewApplication, StepInput};
use hotline_app::work_orders::Opened;
use hotline_domain::DomainError;
use hotline_domain::new_supply::{ApplicantKind, Document, NewApplicant, Stage, SupplyType, required};
use hotline_domain::role::Role;
use hotline_domain::work_order::{NewWorkOrder, Source};
use hotline_persistence::Db;
use std::sync::Arc;

struct Sample {
    name: &'static str,
    phone: Option<&'static str>,
    email: Option<&'static str>,
    tax_code: Option<&'static str>,
    supply_type: Option<SupplyType>,
    source: Source,
    /// Documents ticked at opening (all: the clock starts).
    complete: bool,
    /// Steps after the paperwork.
    steps: &'static [Stage],
}

const SAMPLES: [Sample; 4] = [
    Sample {
        name: "Lê Thị Hoa",
        phone: None,
        email: Some("hoa.le@example.vn"),
        tax_code: None,
        supply_type: None,
        source: Source::Email,
        complete: false,
        steps: &[],
    },
    Sample {
        name: "Nguyễn Văn An",
        phone: Some("0912 345 678"),
        email: None,
        tax_code: None,
        supply_type: Some(SupplyType::ResidentialRural),
        source: Source::Counter,
        complete: true,
        steps: &[],
    },
    Sample {
        name: "Công ty TNHH Minh Phát",
        phone: Some("(028) 3822 1234"),
        email: Some("lienhe@minhphat.example.vn"),
        tax_code: Some("0301234567"),
        supply_type: Some(SupplyType::NonResidential),
        source: Source::Web,
        complete: true,
        steps: &[Stage::Surveyed],
    },
    Sample {
        name: "Trần Thị Bích",
        phone: Some("0290 3831 297"),
        email: None,
        tax_code: None,
        supply_type: Some(SupplyType::ResidentialUrban),
        source: Source::Direct,
        complete: true,
        steps: &[
            Stage::Surveyed,
            Stage::ContractSigned,
            Stage::MeterInstalled,
            Stage::Energised,
        ],
    },
];

/// Opens the sample requests through the use cases, as of `now`.
pub async fn new_supply_applications(db: &Db, now: DateTime<Utc>) -> Result<(), String> {
    let app =
        App::new(Arc::new(db.clone()), hotline_app::Settings::default()).with_clock(Arc::new(FixedClock::at(now)));
    let who = super::seeder("seed", Role::Admin);
    let fail = |e: DomainError| format!("seeding new-supply requests: {e}");
    for s in &SAMPLES {
        let documents: Vec<Document> = if s.complete {
            required(s.supply_type)
        } else {
            Vec::new()
        };
        let input = NewApplication {
            supply_type: s.supply_type,
            applicant: NewApplicant {
                kind: s.tax_code.map(|_| ApplicantKind::Business),
                name: Some(s.name.into()),
                phone: s.phone.map(Into::into),
                email: s.email.map(Into::into),
                tax_code: s.tax_code.map(Into::into),
                ..NewApplicant::default()
            },
            documents,
            work_order: NewWorkOrder {
                description: Some("Dữ liệu mẫu: đăng ký cấp điện mới".into()),
                source: s.source,
                ..NewWorkOrder::default()
            },
            type_may_wait: s.supply_type.is_none(),
            ..NewApplication::default()
        };
        let opened = new_supply::open(&app, &who, input, async |wo, _| Ok::<_, DomainError>((wo.id, None)))
            .await
            .map_err(fail)?;
        let Opened::New(_, id) = opened else { continue };
        for step in s.steps {
            let input = StepInput {
                step: Some(*step),
                ..StepInput::default()
            };
            new_supply::record(&app, &who, &id.to_string(), None, input)
                .await
                .map_err(fail)?;
        }
    }
    Ok(())
}

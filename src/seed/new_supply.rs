//! Sample new-supply requests in each state: one awaiting documents (came
//! by e-mail, type not known yet), one at the counter with its paperwork
//! complete, one surveyed from a call-less web form, one energised; then
//! [`GENERATED`] more over the past 90 days in every channel and type, each step taken when it happened, so the report by channel
//! and type has figures (most energised, some late, some under way).

use chrono::{DateTime, Duration, Utc};
use hotline_app::App;
use hotline_app::FixedClock;
use hotline_app::new_supply::{self, NewApplication, StepInput};
use hotline_app::work_orders::Opened;
use hotline_domain::DomainError;
use hotline_domain::new_supply::{ApplicantKind, Document, NewApplicant, Stage, SupplyType, required};
use hotline_domain::principal::Principal;
use hotline_domain::role::Role;
use hotline_domain::work_order::{NewWorkOrder, Source};
use hotline_persistence::Db;
use std::sync::Arc;
use uuid::Uuid;

use super::people::{PROVINCES, mix, sample_phone};

/// How many requests are generated besides the four named samples.
pub const GENERATED: u64 = 60;

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

/// Opens the sample requests through the use cases, each step at the time
/// it happened.
pub async fn new_supply_applications(db: &Db, now: DateTime<Utc>) -> Result<(), String> {
    let who = super::seeder("seed", Role::Admin);
    let fail = |e: DomainError| format!("seeding new-supply requests: {e:?}");
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
        let Some(id) = open(db, &who, input, now).await.map_err(fail)? else {
            continue;
        };
        for step in s.steps {
            record(db, &who, id, step_input(*step), now).await.map_err(fail)?;
        }
    }
    for i in 0..GENERATED {
        generated(db, &who, i, now).await.map_err(fail)?;
    }
    Ok(())
}

/// The service as of `when`.
fn at(db: &Db, when: DateTime<Utc>) -> App {
    App::new(Arc::new(db.clone()), hotline_app::Settings::default()).with_clock(Arc::new(FixedClock::at(when)))
}

/// Opens a request at `when`; its work order's id (None: already there).
async fn open(
    db: &Db,
    who: &Principal,
    input: NewApplication,
    when: DateTime<Utc>,
) -> Result<Option<Uuid>, DomainError> {
    let opened = new_supply::open(&at(db, when), who, input, async |wo, _| {
        Ok::<_, DomainError>((wo.id, None))
    })
    .await?;
    Ok(match opened {
        Opened::New(_, id) => Some(id),
        Opened::Taken(_) => None,
    })
}

/// Records one thing on a request at `when`.
async fn record(db: &Db, who: &Principal, id: Uuid, input: StepInput, when: DateTime<Utc>) -> Result<(), DomainError> {
    new_supply::record(&at(db, when), who, &id.to_string(), None, input).await?;
    Ok(())
}

fn step_input(step: Stage) -> StepInput {
    StepInput {
        step: Some(step),
        ..StepInput::default()
    }
}

const TYPES: [SupplyType; 6] = [
    SupplyType::ResidentialUrban,
    SupplyType::ResidentialUrban,
    SupplyType::ResidentialRural,
    SupplyType::ResidentialRural,
    SupplyType::NonResidential,
    SupplyType::DedicatedSubstation,
];

const SOURCES: [Source; 5] = [
    Source::Direct,
    Source::Counter,
    Source::Web,
    Source::Email,
    Source::Open311,
];

const STEPS: [Stage; 4] = [
    Stage::Surveyed,
    Stage::ContractSigned,
    Stage::MeterInstalled,
    Stage::Energised,
];

/// The `i`th generated request: opened in the past 90 days by someone in
/// a sample province (of no unit: the sample units are codes on the sample
/// records, not units of the organisation); one in five hands its last documents in a few days later; then
/// surveyed, contract signed, meter installed and energised, each a day or
/// two apart (one in six takes four times as long, so some run late), as
/// far as `now` has come.
async fn generated(db: &Db, who: &Principal, i: u64, now: DateTime<Utc>) -> Result<(), DomainError> {
    let r = mix(i ^ 0x5EED_0026);
    let pick = |shift: u32, n: usize| ((r >> shift) % n as u64) as usize;
    let created = now - Duration::minutes((r % (90 * 24 * 60)) as i64 + 60);
    let (_, province) = PROVINCES[pick(16, PROVINCES.len())];
    let supply_type = TYPES[pick(24, TYPES.len())];
    let business = supply_type.kind() == ApplicantKind::Business;
    let required = required(Some(supply_type));
    let late_papers = pick(32, 5) == 0;
    let handed_in = if late_papers { &required[..1] } else { &required[..] };
    let n = i + 1;
    let input = NewApplication {
        supply_type: Some(supply_type),
        applicant: NewApplicant {
            name: Some(if business {
                format!("Công ty mẫu số {n} ({province})")
            } else {
                format!("Hộ gia đình mẫu số {n} ({province})")
            }),
            phone: Some(sample_phone(900_000 + i)),
            tax_code: business.then(|| format!("03{:08}", r % 100_000_000)),
            ..NewApplicant::default()
        },
        documents: handed_in.to_vec(),
        work_order: NewWorkOrder {
            description: Some("Dữ liệu mẫu: đăng ký cấp điện mới".into()),
            source: SOURCES[pick(36, SOURCES.len())],
            ..NewWorkOrder::default()
        },
        ..NewApplication::default()
    };
    let Some(id) = open(db, who, input, created).await? else {
        return Ok(());
    };
    let mut when = created;
    if late_papers {
        when += Duration::hours(24 * (pick(40, 4) as i64 + 1));
        for d in &required[1..] {
            if when > now {
                return Ok(());
            }
            let tick = StepInput {
                document: Some(*d),
                ..StepInput::default()
            };
            record(db, who, id, tick, when).await?;
        }
    }
    let slow = if pick(44, 6) == 0 { 4 } else { 1 };
    for (k, step) in STEPS.iter().enumerate() {
        when += Duration::hours(slow * (12 + ((r >> (48 + 4 * k as u32)) % 30) as i64));
        if when > now {
            return Ok(());
        }
        record(db, who, id, step_input(*step), when).await?;
    }
    Ok(())
}

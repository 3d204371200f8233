use chrono::{DateTime, Utc};
use serde_json::json;

use super::*;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn question(key: &str, kind: &str, required: bool) -> NewQuestion {
    NewQuestion {
        key: Some(key.into()),
        text: Some(format!("Câu hỏi {key}")),
        kind: Some(kind.into()),
        required: Some(required),
    }
}

fn campaign() -> Campaign {
    Campaign::create(
        NewCampaign {
            name: Some("Khảo sát 2026".into()),
            unit_code: Some("PB98".into()),
            questions: vec![
                question("hai_long", "scale_1_5", true),
                question("goi_lai", "yes_no", false),
                question("gop_y", "text", false),
            ],
            sample_from: Some(at("2026-01-01T00:00:00Z")),
            sample_to: Some(at("2026-07-01T00:00:00Z")),
            per_unit: Some(2),
            seed: Some(42),
            ..NewCampaign::default()
        },
        "user:lan",
        at("2026-12-01T00:00:00Z"),
    )
    .unwrap()
}

fn candidates() -> Vec<Candidate> {
    let mut out = Vec::new();
    for unit in ["PB98", "PB97"] {
        for i in 0..10 {
            out.push(Candidate {
                customer_code: format!("{unit}0000000{i:02}").as_str().into(),
                unit_code: unit.into(),
                number: format!("+8491234{i:04}"),
                team_code: None,
            });
        }
    }
    out
}

fn fields(e: crate::DomainError) -> Vec<String> {
    match e {
        crate::DomainError::Validation(errs) => errs.into_iter().map(|e| e.field).collect(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_campaign_names_every_bad_field() {
    let e = Campaign::create(
        NewCampaign {
            questions: vec![question("Bad Key", "stars", false), NewQuestion::default()],
            per_unit: Some(0),
            ..NewCampaign::default()
        },
        "user:lan",
        at("2026-12-01T00:00:00Z"),
    )
    .unwrap_err();
    let f = fields(e);
    for name in [
        "name",
        "unit_code",
        "questions[0].key",
        "questions[0].kind",
        "questions[1].key",
        "questions[1].text",
        "sample_from",
        "per_unit",
        "seed",
    ] {
        assert!(f.contains(&name.to_string()), "{name} in {f:?}");
    }
}

#[test]
fn a_campaign_goes_draft_sampling_open_closed() {
    let c = campaign();
    let now = at("2026-12-02T00:00:00Z");
    assert!(c.acted(CampaignAction::Open, now).is_err());
    let s = c.sampled(now).unwrap();
    assert_eq!(s.status, CampaignStatus::Sampling);
    assert!(s.sampled(now).is_err());
    let o = s.acted(CampaignAction::Open, now).unwrap();
    let closed = o.acted(CampaignAction::Close, now).unwrap();
    assert_eq!((closed.status, closed.version), (CampaignStatus::Closed, 4));
}

#[test]
fn the_same_seed_draws_the_same_sample_and_another_seed_another() {
    let codes = |s: &[Sampled]| {
        s.iter()
            .map(|x| x.candidate.customer_code.to_string())
            .collect::<Vec<_>>()
    };
    let a = draw(candidates(), SampleSize::PerUnit(3), 7);
    let mut shuffled = candidates();
    shuffled.reverse();
    let b = draw(shuffled, SampleSize::PerUnit(3), 7);
    let c = draw(candidates(), SampleSize::PerUnit(3), 8);
    assert_eq!(codes(&a), codes(&b));
    assert_ne!(codes(&a), codes(&c));
    assert_eq!(a.iter().filter(|s| s.candidate.unit_code == "PB97").count(), 3);
    assert_eq!(a.iter().filter(|s| s.candidate.unit_code == "PB98").count(), 3);
}

#[test]
fn a_total_is_shared_in_proportion_to_the_units() {
    let mut list = candidates();
    list.truncate(13); // PB98 ten, PB97 three
    let s = draw(list, SampleSize::Total(6), 1);
    let of = |u: &str| s.iter().filter(|x| x.candidate.unit_code == u).count();
    assert_eq!((of("PB98"), of("PB97"), s.len()), (5, 1, 6));
}

#[test]
fn the_generator_is_splitmix64() {
    // The reference values of SplitMix64 seeded with 0.
    let mut r = SeededRng::new(0);
    assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
}

#[test]
fn answers_are_checked_against_the_questions() {
    let c = campaign();
    let input = |q: &str, v: serde_json::Value| AnswerInput {
        question: Some(q.into()),
        value: Some(v),
    };
    let e = check_answers(
        &c.questions,
        vec![
            input("hai_long", json!(6)),
            input("goi_lai", json!("có")),
            input("khac", json!(1)),
        ],
    )
    .unwrap_err();
    assert_eq!(
        fields(e),
        ["answers[0].value", "answers[1].value", "answers[2].question"]
    );
    let e = check_answers(&c.questions, vec![input("gop_y", json!("Nhân viên nhiệt tình"))]).unwrap_err();
    assert_eq!(fields(e), ["answers"]);
    let ok = check_answers(
        &c.questions,
        vec![
            input("hai_long", json!(4)),
            input("goi_lai", json!(true)),
            input("gop_y", json!("  ")),
        ],
    )
    .unwrap();
    assert_eq!(ok.len(), 2);
    assert_eq!(ok[0].value, AnswerValue::Scale(4));
}

fn response(agent: &str, unit: &str, score: u8, yes: bool) -> Response {
    Response {
        id: uuid::Uuid::now_v7(),
        campaign_id: uuid::Uuid::nil(),
        customer_code: "PB98000000001".into(),
        callback_id: None,
        agent: agent.into(),
        unit_code: unit.into(),
        team_code: None,
        answers: vec![
            Answer {
                question: "hai_long".into(),
                value: AnswerValue::Scale(score),
            },
            Answer {
                question: "goi_lai".into(),
                value: AnswerValue::YesNo(yes),
            },
        ],
        recorded_at: at("2026-12-03T00:00:00Z"),
    }
}

#[test]
fn results_compare_with_the_previous_campaign() {
    let c = campaign();
    let now = vec![response("lan", "PB98", 5, true), response("hoa", "PB98", 3, false)];
    let before = vec![response("lan", "PB98", 2, false)];
    let rows = results(&c.questions, &now, Some((&c.questions, &before)));
    let all = rows
        .iter()
        .find(|r| r.question == "hai_long" && r.group_by == GroupKind::All)
        .unwrap();
    assert_eq!(all.current.answers, 2);
    assert_eq!(all.current.average, Some(4.0));
    assert_eq!(all.previous.unwrap().average, Some(2.0));
    assert_eq!(all.difference, Some(2.0));
    let yes = rows
        .iter()
        .find(|r| r.question == "goi_lai" && r.group_by == GroupKind::Agent && r.group == "lan")
        .unwrap();
    assert_eq!((yes.current.yes_share, yes.difference), (Some(1.0), Some(1.0)));
    let text = rows.iter().find(|r| r.question == "gop_y").unwrap();
    assert_eq!(text.current.answers, 0);
}

#[test]
fn feedback_is_counted_per_agent_with_its_distribution() {
    let mark = |score, agent: Option<&str>| FeedbackMark {
        score,
        agent: agent.map(Into::into),
        team_code: None,
        unit_code: None,
    };
    let groups = feedback_report(
        &[mark(5, Some("lan")), mark(3, Some("lan")), mark(1, None)],
        FeedbackGrouping::Agent,
    );
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0].group.as_deref(), Some("lan"));
    assert_eq!((groups[0].count, groups[0].average), (2, 4.0));
    assert_eq!(groups[0].distribution, [0, 0, 1, 0, 1]);
    assert_eq!(groups[1].group, None);
}

mod drafts {
    use chrono::{TimeZone, Utc};

    use crate::DomainError;
    use crate::survey::{Campaign, CampaignStatus, DraftPatch, NewCampaign, NewQuestion, SampleSize};

    fn draft() -> Campaign {
        let at = Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap();
        Campaign::create(
            NewCampaign {
                name: Some("Khảo sát 2026".into()),
                unit_code: Some("PB98".into()),
                questions: vec![NewQuestion {
                    key: Some("hai_long".into()),
                    text: Some("Anh/chị hài lòng không?".into()),
                    kind: Some("scale_1_5".into()),
                    required: Some(true),
                }],
                sample_from: Some(Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap()),
                sample_to: Some(Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap()),
                per_unit: Some(5),
                total: None,
                seed: Some(7),
                days: None,
            },
            "lan",
            at,
        )
        .unwrap()
    }

    #[test]
    fn a_draft_takes_new_settings_checked_as_on_creation() {
        let c = draft();
        let later = c.created_at + chrono::Duration::hours(1);
        let next = c
            .edited(
                DraftPatch {
                    name: Some("Khảo sát thái độ 2026".into()),
                    total: Some(40),
                    ..DraftPatch::default()
                },
                later,
            )
            .unwrap();
        assert_eq!((next.id, next.version), (c.id, c.version + 1));
        assert_eq!(next.name, "Khảo sát thái độ 2026");
        assert_eq!(next.size, SampleSize::Total(40));
        assert_eq!((next.seed, next.questions.len(), next.updated_at), (7, 1, later));
        assert_eq!(next.created_at, c.created_at);

        let bad = c
            .edited(
                DraftPatch {
                    sample_to: Some(c.sample_from),
                    questions: Some(Vec::new()),
                    ..DraftPatch::default()
                },
                later,
            )
            .unwrap_err();
        let DomainError::Validation(errs) = bad else {
            panic!("{bad:?}")
        };
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["questions", "sample_to"]);
    }

    #[test]
    fn a_sampled_campaign_is_neither_changed_nor_deleted() {
        let c = draft().sampled(Utc::now()).unwrap();
        assert_eq!(c.status, CampaignStatus::Sampling);
        assert!(matches!(
            c.edited(DraftPatch::default(), Utc::now()),
            Err(DomainError::Conflict(_))
        ));
        assert!(matches!(c.deletable(), Err(DomainError::Conflict(_))));
        assert!(draft().deletable().is_ok());
    }
}

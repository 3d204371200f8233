//! The work order's life as a state machine: a pure function from the
//! current state and an action to the next state, or to an error naming
//! what is allowed instead (the API answers it as 409).
//!
//! ```text
//! new ─assign→ assigned ─acknowledge→ acknowledged ─start_travel→ en_route ─arrive→ on_site
//!                                          │                         │                │
//!                                          └──────────── resolve ────┴────────────────┘
//!                                                           ↓
//!                              resolved ─close→ closed     (reopen from both → assigned | new)
//! hold: assigned/acknowledged/en_route/on_site → on_hold ─resume→ the state it left
//! assign again from assigned/acknowledged/en_route → assigned (reassignment)
//! cancel: from any open state → cancelled (final)
//! ```

use serde::{Deserialize, Serialize};

use crate::DomainError;

named_enum!(
    /// Where a work order stands.
    Status {
        /// Logged, no team yet: waiting for routing or for a dispatcher.
        New => "new",
        /// A team has it but has not said so yet (the response clock runs).
        Assigned => "assigned",
        /// The team has taken it on: the response target is met here.
        Acknowledged => "acknowledged",
        /// The crew is on the way.
        EnRoute => "en_route",
        /// The crew is at the customer's.
        OnSite => "on_site",
        /// Fixed; waiting to be closed (or reopened if the customer calls back).
        Resolved => "resolved",
        /// Done and checked.
        Closed => "closed",
        /// Waiting for the customer: the deadline clock pauses.
        OnHold => "on_hold",
        /// Dropped (a duplicate, a mistaken call); final.
        Cancelled => "cancelled",
    }
);

named_enum!(
    /// What someone does to a work order (`POST …/transitions {"action": …}`).
    Action {
        Assign => "assign",
        Acknowledge => "acknowledge",
        StartTravel => "start_travel",
        Arrive => "arrive",
        Resolve => "resolve",
        Close => "close",
        Hold => "hold",
        Resume => "resume",
        Cancel => "cancel",
        Reopen => "reopen",
    }
);

/// The states a work order can be put on hold from: those where a team has
/// it. A new one has nobody to wait; a finished one has nothing to wait for.
pub const HOLDABLE: [Status; 4] = [Status::Assigned, Status::Acknowledged, Status::EnRoute, Status::OnSite];

impl Status {
    /// Still somebody's job: counts against a team's capacity and may be
    /// cancelled.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Resolved | Status::Closed | Status::Cancelled)
    }

    /// Deadlines do not run while the work order waits for the customer.
    pub fn pauses_clock(self) -> bool {
        self == Status::OnHold
    }

    /// The deadline clock does not run here: the work order is finished,
    /// or it waits for the customer. No deadline is reported at risk or
    /// breached in these states.
    pub fn stops_clock(self) -> bool {
        !self.is_open() || self.pauses_clock()
    }

    /// Every state that [stops the clock](Status::stops_clock).
    pub fn clock_stopped() -> impl Iterator<Item = Status> {
        Status::ALL.iter().copied().filter(|s| s.stops_clock())
    }
}

/// The state after a transition. `held_from` is set only when entering
/// `on_hold`: the state `resume` returns to, which the caller stores beside
/// the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Next {
    pub status: Status,
    pub held_from: Option<Status>,
}

impl Next {
    fn to(status: Status) -> Next {
        Next {
            status,
            held_from: None,
        }
    }
}

/// An action the current state does not allow. Carries what would have
/// been allowed, so the 409 answer tells the client what it can do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {action} a work order that is {current}; allowed actions: {}", list(.allowed))]
pub struct TransitionError {
    pub current: Status,
    pub action: Action,
    pub allowed: Vec<Action>,
}

fn list(actions: &[Action]) -> String {
    if actions.is_empty() {
        return "none".into();
    }
    actions.iter().map(|a| a.as_str()).collect::<Vec<_>>().join(", ")
}

impl From<TransitionError> for DomainError {
    fn from(e: TransitionError) -> Self {
        DomainError::Conflict(e.to_string())
    }
}

/// The next state, or why not.
///
/// - `held_from` is the stored state the work order left when put on hold;
///   it is read only by `resume`.
/// - `has_team` says whether a team is (still) attached; it decides where
///   `reopen` lands and where `resume` goes when `held_from` is lost.
/// - `assign` does not check that a team is named: the request carries it
///   and the caller checks it.
pub fn transition(
    current: Status,
    held_from: Option<Status>,
    action: Action,
    has_team: bool,
) -> Result<Next, TransitionError> {
    next(current, held_from, action, has_team).ok_or_else(|| TransitionError {
        current,
        action,
        allowed: allowed_actions(current, has_team),
    })
}

/// Every action `transition` accepts from `current`, in `Action::ALL` order.
pub fn allowed_actions(current: Status, has_team: bool) -> Vec<Action> {
    Action::ALL
        .iter()
        .copied()
        .filter(|a| next(current, None, *a, has_team).is_some())
        .collect()
}

fn next(current: Status, held_from: Option<Status>, action: Action, has_team: bool) -> Option<Next> {
    use Action as A;
    use Status as S;
    let back_to_queue = if has_team { S::Assigned } else { S::New };
    Some(match (action, current) {
        // Reassigning puts the work order back to `assigned`: the new team
        // has to acknowledge it. Not from on_site (the crew there finishes or
        // holds it) and not from on_hold (resume first, so the hold's pause
        // ends on the record before the job changes hands).
        (A::Assign, S::New | S::Assigned | S::Acknowledged | S::EnRoute) => Next::to(S::Assigned),
        (A::Acknowledge, S::Assigned) => Next::to(S::Acknowledged),
        (A::StartTravel, S::Acknowledged) => Next::to(S::EnRoute),
        (A::Arrive, S::EnRoute) => Next::to(S::OnSite),
        // Some requests are fixed without a visit (a billing question
        // answered, a meter reading corrected remotely, a crew turning back
        // because supply came back). Not from `assigned`: the team
        // acknowledges first, so the response target is on the record.
        (A::Resolve, S::Acknowledged | S::EnRoute | S::OnSite) => Next::to(S::Resolved),
        (A::Close, S::Resolved) => Next::to(S::Closed),
        (A::Hold, s) if HOLDABLE.contains(&s) => Next {
            status: S::OnHold,
            held_from: Some(s),
        },
        // A lost or impossible remembered state (old rows, a hand edit)
        // must not strand the work order on hold: it goes back to its team.
        (A::Resume, S::OnHold) => Next::to(held_from.filter(|s| HOLDABLE.contains(s)).unwrap_or(back_to_queue)),
        (A::Cancel, s) if s.is_open() => Next::to(S::Cancelled),
        // The customer calls back: the problem is not fixed. The team that
        // had it gets it again; without one it goes back to routing.
        (A::Reopen, S::Resolved | S::Closed) => Next::to(back_to_queue),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status as S;

    const X: Option<Status> = None;
    const ASG: Option<Status> = Some(S::Assigned);
    const ACK: Option<Status> = Some(S::Acknowledged);
    const ENR: Option<Status> = Some(S::EnRoute);
    const ONS: Option<Status> = Some(S::OnSite);
    const RES: Option<Status> = Some(S::Resolved);
    const CLO: Option<Status> = Some(S::Closed);
    const HLD: Option<Status> = Some(S::OnHold);
    const CAN: Option<Status> = Some(S::Cancelled);

    /// Every state × every action with a team attached and, for on_hold,
    /// `held_from = acknowledged`; `X` is refused.
    #[rustfmt::skip]
    const TABLE: [(Status, [Option<Status>; 10]); 9] = [
        //                 assign ack  travel arrive resolve close hold resume cancel reopen
        (S::New,          [ASG,   X,   X,     X,     X,      X,    X,   X,     CAN,   X  ]),
        (S::Assigned,     [ASG,   ACK, X,     X,     X,      X,    HLD, X,     CAN,   X  ]),
        (S::Acknowledged, [ASG,   X,   ENR,   X,     RES,    X,    HLD, X,     CAN,   X  ]),
        (S::EnRoute,      [ASG,   X,   X,     ONS,   RES,    X,    HLD, X,     CAN,   X  ]),
        (S::OnSite,       [X,     X,   X,     X,     RES,    X,    HLD, X,     CAN,   X  ]),
        (S::Resolved,     [X,     X,   X,     X,     X,      CLO,  X,   X,     X,     ASG]),
        (S::Closed,       [X,     X,   X,     X,     X,      X,    X,   X,     X,     ASG]),
        (S::OnHold,       [X,     X,   X,     X,     X,      X,    X,   ACK,   CAN,   X  ]),
        (S::Cancelled,    [X; 10]),
    ];

    #[test]
    fn table_covers_every_state_and_action() {
        let states: Vec<Status> = TABLE.iter().map(|(s, _)| *s).collect();
        assert_eq!(states, Status::ALL);
        assert_eq!(Action::ALL.len(), 10);
    }

    #[test]
    fn every_state_and_action_with_a_team() {
        for (current, row) in TABLE {
            for (action, expected) in Action::ALL.iter().zip(row) {
                let got = transition(current, Some(S::Acknowledged), *action, true);
                assert_eq!(got.ok().map(|n| n.status), expected, "{current} × {action}");
            }
        }
    }

    #[test]
    fn without_a_team_only_reopen_differs() {
        for (current, row) in TABLE {
            for (action, expected) in Action::ALL.iter().zip(row) {
                let expected = match (action, expected) {
                    (Action::Reopen, Some(_)) => Some(S::New),
                    _ => expected,
                };
                let got = transition(current, Some(S::Acknowledged), *action, false);
                assert_eq!(got.ok().map(|n| n.status), expected, "{current} × {action}");
            }
        }
    }

    #[test]
    fn allowed_actions_match_the_table() {
        for (current, row) in TABLE {
            let from_table: Vec<Action> = Action::ALL
                .iter()
                .zip(row)
                .filter(|(_, to)| to.is_some())
                .map(|(a, _)| *a)
                .collect();
            assert_eq!(allowed_actions(current, true), from_table, "{current}");
            assert_eq!(allowed_actions(current, false), from_table, "{current}");
        }
        assert!(allowed_actions(S::Cancelled, true).is_empty());
    }

    #[test]
    fn hold_remembers_and_resume_returns() {
        for from in HOLDABLE {
            let held = transition(from, None, Action::Hold, true).unwrap();
            assert_eq!(
                held,
                Next {
                    status: S::OnHold,
                    held_from: Some(from)
                }
            );
            let back = transition(held.status, held.held_from, Action::Resume, true).unwrap();
            assert_eq!(back, Next::to(from));
        }
        for s in [S::New, S::OnHold, S::Resolved, S::Closed, S::Cancelled] {
            assert!(transition(s, None, Action::Hold, true).is_err(), "{s}");
        }
    }

    #[test]
    fn resume_with_a_lost_or_impossible_remembered_state_goes_back_to_the_team() {
        for held_from in [
            None,
            Some(S::New),
            Some(S::Resolved),
            Some(S::OnHold),
            Some(S::Cancelled),
        ] {
            assert_eq!(
                transition(S::OnHold, held_from, Action::Resume, true).unwrap().status,
                S::Assigned
            );
            assert_eq!(
                transition(S::OnHold, held_from, Action::Resume, false).unwrap().status,
                S::New
            );
        }
        // held_from is ignored everywhere but on_hold.
        assert!(transition(S::Assigned, Some(S::OnSite), Action::Resume, true).is_err());
    }

    #[test]
    fn only_hold_sets_held_from() {
        for (current, _) in TABLE {
            for action in Action::ALL {
                if let Ok(n) = transition(current, Some(S::EnRoute), *action, true) {
                    assert_eq!(n.held_from.is_some(), *action == Action::Hold, "{current} × {action}");
                }
            }
        }
    }

    #[test]
    fn reopen_lands_on_the_team_or_back_in_routing() {
        for s in [S::Resolved, S::Closed] {
            assert_eq!(transition(s, None, Action::Reopen, true).unwrap().status, S::Assigned);
            assert_eq!(transition(s, None, Action::Reopen, false).unwrap().status, S::New);
        }
        assert!(transition(S::Cancelled, None, Action::Reopen, true).is_err());
    }

    #[test]
    fn error_names_the_state_and_the_allowed_actions() {
        let e = transition(S::New, None, Action::StartTravel, false).unwrap_err();
        assert_eq!(e.current, S::New);
        assert_eq!(e.action, Action::StartTravel);
        assert_eq!(e.allowed, [Action::Assign, Action::Cancel]);
        assert_eq!(
            e.to_string(),
            "cannot start_travel a work order that is new; allowed actions: assign, cancel"
        );
        let e = transition(S::Cancelled, None, Action::Reopen, true).unwrap_err();
        assert!(e.to_string().ends_with("allowed actions: none"), "{e}");
        match DomainError::from(e) {
            DomainError::Conflict(m) => assert!(m.contains("cancelled")),
            other => panic!("expected a conflict, got {other:?}"),
        }
    }

    #[test]
    fn open_states_and_the_paused_clock() {
        let open: Vec<Status> = Status::ALL.iter().copied().filter(|s| s.is_open()).collect();
        assert_eq!(
            open,
            [S::New, S::Assigned, S::Acknowledged, S::EnRoute, S::OnSite, S::OnHold]
        );
        let paused: Vec<Status> = Status::ALL.iter().copied().filter(|s| s.pauses_clock()).collect();
        assert_eq!(paused, [S::OnHold]);
    }

    #[test]
    fn the_clock_stops_when_finished_or_on_hold() {
        let stopped: Vec<Status> = Status::clock_stopped().collect();
        assert_eq!(stopped, [S::Resolved, S::Closed, S::OnHold, S::Cancelled]);
        assert!(S::ALL.iter().all(|s| s.stops_clock() == stopped.contains(s)));
    }

    #[test]
    fn names_are_snake_case_on_the_wire() {
        let actions: Vec<String> = Action::ALL
            .iter()
            .map(|a| serde_json::to_value(a).unwrap().as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            actions,
            [
                "assign",
                "acknowledge",
                "start_travel",
                "arrive",
                "resolve",
                "close",
                "hold",
                "resume",
                "cancel",
                "reopen"
            ]
        );
        let states: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            states,
            [
                "new",
                "assigned",
                "acknowledged",
                "en_route",
                "on_site",
                "resolved",
                "closed",
                "on_hold",
                "cancelled"
            ]
        );
        for s in Status::ALL {
            let json = serde_json::to_string(s).unwrap();
            assert_eq!(serde_json::from_str::<Status>(&json).unwrap(), *s);
            assert_eq!(s.as_str().parse::<Status>(), Ok(*s));
        }
        assert_eq!("start_travel".parse::<Action>(), Ok(Action::StartTravel));
        assert!("startTravel".parse::<Action>().unwrap_err().contains("start_travel"));
        let n = serde_json::to_value(Next {
            status: S::OnHold,
            held_from: Some(S::EnRoute),
        })
        .unwrap();
        assert_eq!(n, serde_json::json!({"status": "on_hold", "held_from": "en_route"}));
    }
}

//! Drawing a campaign's sample, reproducibly.
//!
//! The algorithm, so anyone can redraw the same sample from the same data:
//!
//! 1. The candidates are the distinct customers (by customer code) with a
//!    phone who called or had a work order in the period; each is placed
//!    in the stratum of its unit. They are sorted by unit code, then by
//!    customer code.
//! 2. Each unit's quota: with `per_unit = n`, `min(n, candidates of the
//!    unit)`; with `total = t` (proportional allocation), `⌊t·nᵤ/N⌋` for a
//!    unit of `nᵤ` among `N` candidates, and the seats left over go one
//!    each to the units with the largest remainders `t·nᵤ mod N` (ties to
//!    the lower unit code); everyone when `t ≥ N`.
//! 3. One SplitMix64 generator is seeded with the seed (its 64 bits as
//!    unsigned). Unit by unit, in code order, the unit's sorted candidates
//!    are shuffled by Fisher–Yates — for `i` from `nᵤ−1` down to 1, swap
//!    `i` with `j = next() mod (i+1)` — and the first quota of them are
//!    taken.
//!
//! Same seed and same data: same sample; another seed: another one.

use serde::{Deserialize, Serialize};

use crate::codes::{CustomerCode, TeamCode, UnitCode};

/// How many customers to sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SampleSize {
    /// This many from every unit (or all of a smaller unit).
    PerUnit(u32),
    /// This many in all, shared among the units in proportion to their
    /// candidates.
    Total(u32),
}

/// A customer who may be sampled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub customer_code: CustomerCode,
    pub unit_code: UnitCode,
    /// The number to call (E.164), the customer's first.
    pub number: String,
    /// The team of the customer's last work order in the period, if any.
    pub team_code: Option<TeamCode>,
}

/// A sampled customer and, once the campaign is open, their survey call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sampled {
    pub candidate: Candidate,
    /// Order of drawing, from 0.
    pub position: u32,
    pub callback_id: Option<uuid::Uuid>,
}

/// SplitMix64: small, fast, and fully specified, so a seed gives the same
/// numbers on every machine and every version.
#[derive(Debug, Clone)]
pub struct SeededRng(u64);

impl SeededRng {
    pub fn new(seed: i64) -> Self {
        Self(seed as u64)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `bound` (> 0).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }
}

fn quotas(sizes: &[(UnitCode, usize)], size: SampleSize) -> Vec<usize> {
    match size {
        SampleSize::PerUnit(n) => sizes.iter().map(|(_, c)| (*c).min(n as usize)).collect(),
        SampleSize::Total(t) => {
            let t = t as usize;
            let all: usize = sizes.iter().map(|(_, c)| c).sum();
            if t >= all {
                return sizes.iter().map(|(_, c)| *c).collect();
            }
            let mut q: Vec<usize> = sizes.iter().map(|(_, c)| t * c / all).collect();
            let mut left = t - q.iter().sum::<usize>();
            let mut order: Vec<usize> = (0..sizes.len()).collect();
            // Largest remainder first; the sort is stable, so ties keep unit order.
            order.sort_by_key(|&i| std::cmp::Reverse(t * sizes[i].1 % all));
            for i in order {
                if left == 0 {
                    break;
                }
                if q[i] < sizes[i].1 {
                    q[i] += 1;
                    left -= 1;
                }
            }
            q
        }
    }
}

/// Draws the sample from the candidates (see the module's notes).
pub fn draw(mut candidates: Vec<Candidate>, size: SampleSize, seed: i64) -> Vec<Sampled> {
    candidates.sort_by(|a, b| {
        (a.unit_code.as_str(), a.customer_code.as_str()).cmp(&(b.unit_code.as_str(), b.customer_code.as_str()))
    });
    candidates.dedup_by(|a, b| a.customer_code == b.customer_code);
    let mut strata: Vec<(UnitCode, Vec<Candidate>)> = Vec::new();
    for c in candidates {
        match strata.last_mut() {
            Some((unit, list)) if *unit == c.unit_code => list.push(c),
            _ => strata.push((c.unit_code.clone(), vec![c])),
        }
    }
    let sizes: Vec<(UnitCode, usize)> = strata.iter().map(|(u, l)| (u.clone(), l.len())).collect();
    let quotas = quotas(&sizes, size);
    let mut rng = SeededRng::new(seed);
    let mut out = Vec::new();
    for ((_, mut list), quota) in strata.into_iter().zip(quotas) {
        for i in (1..list.len()).rev() {
            let j = rng.below(i + 1);
            list.swap(i, j);
        }
        out.extend(list.into_iter().take(quota));
    }
    out.into_iter()
        .enumerate()
        .map(|(i, candidate)| Sampled {
            candidate,
            position: i as u32,
            callback_id: None,
        })
        .collect()
}

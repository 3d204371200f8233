//! Units, areas, teams, the areas teams serve, and their on-call shifts.

pub mod area;
pub mod team;
pub mod team_area;
pub mod team_shift;
pub mod unit;

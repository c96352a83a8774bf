//! SPEC §7 (v2): the flux year after year — the mouvements of each year counted against each
//! party's share, volumes deducted, the yearly bilan (CCH R. 441-5-1) and next year's objectives.

pub mod mouvement;

pub use mouvement::{Issue, Mouvement};

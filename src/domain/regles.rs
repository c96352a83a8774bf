//! The legal rules and the one numerical tolerance, in one place: parameter validation, alerts
//! and every verdict a page shows use these and nothing else (a cap typed twice drifts).

/// CCH L. 441-1 and R. 441-5: the préfet's reservations are at most 30 % of each bailleur's flux…
pub const PART_ETAT_MAX: f64 = 0.30;
/// … of which at most 5 % for agents civils et militaires de l'État.
pub const PART_AGENTS_MAX: f64 = 0.05;

/// Tolerance of every comparison of floating-point amounts (shares, volumes, logements): a
/// difference below it is noise of the arithmetic, not a fact.
pub const TOLERANCE: f64 = 1e-9;

/// At most 50 years of étalement (SPEC §4.9).
pub const ANNEES_MAX: u16 = 50;

/// Is `valeur` above `plafond`, beyond the noise of the arithmetic?
pub fn depasse(valeur: f64, plafond: f64) -> bool {
    valeur > plafond + TOLERANCE
}

/// Is this amount nothing (a used-up volume, an empty share)?
pub fn nul(valeur: f64) -> bool {
    valeur.abs() <= TOLERANCE
}

/// The État checks of one convention (SPEC §5 alerts « État share > 30 % or agents > 5 % »).
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct ControleEtat {
    /// p_État = prioritaires + agents.
    pub part: f64,
    pub part_agents: f64,
    /// p_État ≤ 30 %.
    pub part_ok: bool,
    /// p_agents ≤ 5 %.
    pub agents_ok: bool,
}

impl ControleEtat {
    pub fn new(part: f64, part_agents: f64) -> ControleEtat {
        ControleEtat {
            part,
            part_agents,
            part_ok: !depasse(part, PART_ETAT_MAX),
            agents_ok: !depasse(part_agents, PART_AGENTS_MAX),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_with_one_tolerance() {
        assert!(!depasse(0.30, PART_ETAT_MAX));
        assert!(!depasse(0.25 + 0.05, PART_ETAT_MAX), "0.25 + 0.05 is 0.30 on paper");
        assert!(depasse(0.3001, PART_ETAT_MAX));
        let c = ControleEtat::new(0.30, 0.06);
        assert!(c.part_ok && !c.agents_ok);
        assert!(nul(1e-12) && !nul(1e-6));
    }
}

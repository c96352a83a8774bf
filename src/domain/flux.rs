//! Step 5 (SPEC §4.5): the annual flux of a perimeter, year by year, and its split per commune
//! (SPEC §4.10).

use super::parametres::Cohorte;

/// τ̄ = Σ τ_l / N_assiette, the perimeter's mean rate at which new logements rotate once they join
/// the flux. With an empty assiette there is no mean: `defaut` (the single rate) is used.
pub fn taux_moyen(somme_taux: f64, n_assiette: u32, defaut: f64) -> f64 {
    if n_assiette > 0 {
        somme_taux / n_assiette as f64
    } else {
        defaut
    }
}

/// The yearly flux F_k of one perimeter (SPEC §4.5 v2). Year k = 1, 2, … is the calendar year
/// A_k = `debut` + k − 1, and F_k = Σ τ_l + τ̄ × M_k − prélèvements (never below 0), where M_k
/// counts the new logements first let *before* A_k: « les logements intégreraient le flux à leur
/// libération » — a new logement is let in stock the year it is delivered and joins the flux from
/// the next year.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FluxAnnuels {
    pub debut: i32,
    pub somme_taux: f64,
    pub taux_moyen: f64,
    pub prelevements: f64,
    cohortes: Vec<(i32, f64)>,
}

impl FluxAnnuels {
    pub fn new(
        debut: i32,
        somme_taux: f64,
        taux_moyen: f64,
        prelevements: f64,
        cohortes: &[Cohorte],
    ) -> FluxAnnuels {
        FluxAnnuels {
            debut,
            somme_taux,
            taux_moyen,
            prelevements,
            cohortes: cohortes.iter().map(|c| (c.annee, c.logements)).collect(),
        }
    }

    /// The same flux, counted from calendar year `annee` (a projection after the years followed).
    pub fn a_partir(&self, annee: i32) -> FluxAnnuels {
        FluxAnnuels { debut: annee, ..self.clone() }
    }

    /// Calendar year A_k of year k (k ≥ 1).
    pub fn annee(&self, k: u16) -> i32 {
        self.debut + i32::from(k) - 1
    }

    /// M_k: new logements first let before A_k.
    pub fn nouveaux(&self, k: u16) -> f64 {
        let a = self.annee(k);
        self.cohortes
            .iter()
            .filter(|(annee, _)| *annee < a)
            .map(|(_, n)| n)
            .sum()
    }

    /// F_k.
    pub fn flux(&self, k: u16) -> f64 {
        (self.somme_taux + self.taux_moyen * self.nouveaux(k) - self.prelevements).max(0.0)
    }
}

/// F_c = F × Σ_{l ∈ assiette, commune c} τ_l / Σ_{l ∈ assiette} τ_l, so that the F_c of a perimeter
/// add up to F. When no logement of the perimeter rotates (Σ τ = 0) but F > 0 (mises en service),
/// F is split by the number of logements of the assiette of each commune, else of all its logements.
pub fn flux_par_commune(
    flux: f64,
    poids_taux: &[f64],
    assiette: &[u32],
    logements: &[u32],
) -> Vec<f64> {
    let total: f64 = poids_taux.iter().sum();
    if total > 0.0 {
        return poids_taux.iter().map(|t| flux * t / total).collect();
    }
    let poids = if assiette.iter().any(|&n| n > 0) {
        assiette
    } else {
        logements
    };
    let total: f64 = poids.iter().map(|&n| n as f64).sum();
    poids
        .iter()
        .map(|&n| {
            if total > 0.0 {
                flux * n as f64 / total
            } else {
                0.0
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flux_is_never_negative() {
        let f = FluxAnnuels::new(2026, 5.0, 0.05, 20.0, &[]);
        assert_eq!(f.flux(1), 0.0);
        let f = FluxAnnuels::new(2026, 800.0, 0.08, 20.0, &[]);
        assert_eq!((f.flux(1), f.flux(7)), (780.0, 780.0));
    }

    /// SPEC §4.5 v2: 120 logements delivered in 2027 are let in stock in 2027 and join the flux
    /// in 2028 at the perimeter's mean rate.
    #[test]
    fn new_logements_join_the_flux_the_year_after_their_first_letting() {
        let c = [
            Cohorte { annee: 2027, logements: 120.0 },
            Cohorte { annee: 2029, logements: 50.0 },
        ];
        let f = FluxAnnuels::new(2026, 630.0, taux_moyen(630.0, 10_000, 0.063), 0.0, &c);
        assert_eq!((f.annee(1), f.annee(3)), (2026, 2028));
        assert_eq!(f.flux(1), 630.0);
        assert_eq!(f.flux(2), 630.0, "2027: delivered, let in stock");
        assert!((f.flux(3) - (630.0 + 0.063 * 120.0)).abs() < 1e-9, "2028: in the flux");
        assert!((f.flux(5) - (630.0 + 0.063 * 170.0)).abs() < 1e-9);
        assert_eq!(taux_moyen(0.0, 0, 0.063), 0.063);
    }

    #[test]
    fn communal_flux_adds_up() {
        let f = flux_par_commune(760.0, &[160.0, 600.0], &[4000, 6000], &[4000, 6000]);
        assert_eq!(f, vec![160.0, 600.0]);
        let f = flux_par_commune(10.0, &[0.0, 0.0], &[1, 3], &[1, 3]);
        assert_eq!(f, vec![2.5, 7.5]);
    }
}

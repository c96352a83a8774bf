//! Step 5 (SPEC §4.5): the annual flux of a perimeter, and its split per commune (SPEC §4.10).

/// F = Σ_{l ∈ assiette} τ_l + mises_en_service_annuelles − prelevements_annuels, never below 0.
pub fn flux_annuel(somme_taux: f64, mises_en_service: f64, prelevements: f64) -> f64 {
    (somme_taux + mises_en_service - prelevements).max(0.0)
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
        assert_eq!(flux_annuel(800.0, 10.0, 20.0), 790.0);
        assert_eq!(flux_annuel(5.0, 0.0, 20.0), 0.0);
    }

    #[test]
    fn communal_flux_adds_up() {
        let f = flux_par_commune(760.0, &[160.0, 600.0], &[4000, 6000], &[4000, 6000]);
        assert_eq!(f, vec![160.0, 600.0]);
        let f = flux_par_commune(10.0, &[0.0, 0.0], &[1, 3], &[1, 3]);
        assert_eq!(f, vec![2.5, 7.5]);
    }
}

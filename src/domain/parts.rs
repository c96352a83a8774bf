//! Steps 6–8 (SPEC §4.6–4.8): shares of the flux in one perimeter — État, réservataires (two
//! methods), overflow, and the bailleur's residual.

use super::model::Categorie;
use super::parametres::{Depassement, MethodePart, Parametres};

/// A non-État réservataire of the perimeter: L_r reserved logements, V_r volume of droits uniques.
#[derive(Clone, Debug)]
pub struct Demande<'a> {
    pub nom: &'a str,
    pub categorie: Categorie,
    pub logements: u32,
    pub volume: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Repartition {
    pub etat_prioritaires: f64,
    pub etat_agents: f64,
    /// Shares of the réservataires, in the order of the demandes.
    pub reservataires: Vec<f64>,
    /// Their shares before the overflow rule.
    pub brutes: Vec<f64>,
    pub bailleur: f64,
    /// p_État + Σ p_r before overflow (an alert above 1).
    pub somme_avant_depassement: f64,
}

impl Repartition {
    /// p_État + Σ p_r > 1 (SPEC §4.8), beyond the noise of the arithmetic.
    pub fn depasse(&self) -> bool {
        super::regles::depasse(self.somme_avant_depassement, 1.0)
    }
}

/// Step 7: raw share of a réservataire.
/// `part_du_parc` (IDF protocol, seed §3: "proportion … prenant en considération la part de
/// logements réservés du réservataire sur l'ensemble du parc"): p_r = L_r / N_assiette;
/// `annualisation`: p_r = V_r / horizon_ans / F. Both are 0 when the denominator is 0.
pub fn part_brute(
    methode: MethodePart,
    d: &Demande,
    n_assiette: u32,
    flux: f64,
    horizon: f64,
) -> f64 {
    match methode {
        MethodePart::PartDuParc if n_assiette > 0 => d.logements as f64 / n_assiette as f64,
        MethodePart::Annualisation if flux > 0.0 && horizon > 0.0 => d.volume / horizon / flux,
        _ => 0.0,
    }
}

/// Rank of a réservataire in the `priorite` list: its name first, else its category code;
/// unlisted réservataires share the last rank.
fn rang(priorite: &[String], d: &Demande) -> usize {
    priorite
        .iter()
        .position(|p| p == d.nom)
        .or_else(|| priorite.iter().position(|p| p == d.categorie.code()))
        .unwrap_or(priorite.len())
}

/// Step 8: when p_État + Σ p_r > 1, reduce the non-État shares to fit in 1 − p_État.
/// `proportionnel` scales them all by the same factor; `priorite` serves ranks in order, each rank
/// whole while it fits, the rank that overflows scaled proportionally, later ranks getting 0.
pub fn reduire(
    parts: &mut [f64],
    demandes: &[Demande],
    disponible: f64,
    mode: Depassement,
    priorite: &[String],
) {
    let somme: f64 = parts.iter().sum();
    if !super::regles::depasse(somme, disponible) {
        return;
    }
    match mode {
        Depassement::Proportionnel => {
            let k = if somme > 0.0 { disponible / somme } else { 0.0 };
            parts.iter_mut().for_each(|p| *p *= k);
        }
        Depassement::Priorite => {
            let rangs: Vec<usize> = demandes.iter().map(|d| rang(priorite, d)).collect();
            let mut reste = disponible;
            for r in 0..=priorite.len() {
                let groupe: f64 = parts
                    .iter()
                    .zip(&rangs)
                    .filter(|(_, &g)| g == r)
                    .map(|(p, _)| p)
                    .sum();
                let k = if groupe <= reste { 1.0 } else { reste / groupe };
                for (p, _) in parts.iter_mut().zip(&rangs).filter(|(_, &g)| g == r) {
                    *p *= k;
                }
                reste = (reste - groupe * k).max(0.0);
            }
        }
    }
}

/// Steps 6–8 for one perimeter.
pub fn repartir(demandes: &[Demande], n_assiette: u32, flux: f64, p: &Parametres) -> Repartition {
    // Step 6 (CCH R. 441-5): the préfet's share, of which the agents' part.
    let etat = p.etat.part_totale;
    let agents = p.etat.part_agents.min(etat);
    let mut parts: Vec<f64> = demandes
        .iter()
        .map(|d| part_brute(p.methode_part, d, n_assiette, flux, p.horizon_ans))
        .collect();
    let somme_avant_depassement = etat + parts.iter().sum::<f64>();
    let brutes = parts.clone();
    reduire(
        &mut parts,
        demandes,
        (1.0 - etat).max(0.0),
        p.depassement,
        &p.priorite,
    );
    // p_bailleur = 1 − p_État − Σ p_r, never negative.
    let bailleur = (1.0 - etat - parts.iter().sum::<f64>()).max(0.0);
    Repartition {
        etat_prioritaires: etat - agents,
        etat_agents: agents,
        reservataires: parts,
        brutes,
        bailleur,
        somme_avant_depassement,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(nom: &str, categorie: Categorie, logements: u32, volume: f64) -> Demande<'_> {
        Demande {
            nom,
            categorie,
            logements,
            volume,
        }
    }

    #[test]
    fn part_du_parc_and_bailleur_residual() {
        let dem = [
            d("AL", Categorie::ActionLogement, 2500, 5000.0),
            d("Ville", Categorie::Commune, 1200, 1440.0),
        ];
        let r = repartir(&dem, 10_000, 800.0, &Parametres::default());
        assert_eq!(r.reservataires, vec![0.25, 0.12]);
        assert!((r.etat_prioritaires - 0.25).abs() < 1e-12 && r.etat_agents == 0.05);
        assert!((r.bailleur - 0.33).abs() < 1e-12);
    }

    #[test]
    fn proportional_overflow() {
        let dem = [
            d("A", Categorie::ActionLogement, 5000, 1.0),
            d("B", Categorie::Commune, 3000, 1.0),
        ];
        let r = repartir(&dem, 10_000, 800.0, &Parametres::default());
        assert!(r.depasse() && (r.somme_avant_depassement - 1.1).abs() < 1e-12);
        assert!(
            (r.reservataires[0] - 0.4375).abs() < 1e-12
                && (r.reservataires[1] - 0.2625).abs() < 1e-12
        );
        assert_eq!(r.bailleur, 0.0);
    }

    #[test]
    fn priority_overflow_by_name_then_category() {
        let dem = [
            d("A", Categorie::ActionLogement, 5000, 1.0),
            d("B", Categorie::Commune, 3000, 1.0),
            d("C", Categorie::Commune, 1000, 1.0),
        ];
        let mut p = Parametres {
            depassement: Depassement::Priorite,
            ..Default::default()
        };
        p.priorite = vec!["commune".into(), "A".into()];
        let r = repartir(&dem, 10_000, 800.0, &p);
        assert!(
            (r.reservataires[1] - 0.3).abs() < 1e-12 && (r.reservataires[2] - 0.1).abs() < 1e-12
        );
        assert!((r.reservataires[0] - 0.3).abs() < 1e-12 && r.bailleur.abs() < 1e-12);
        p.priorite = vec!["A".into()];
        let r = repartir(&dem, 10_000, 800.0, &p);
        assert!((r.reservataires[0] - 0.5).abs() < 1e-12);
        assert!(
            (r.reservataires[1] - 0.15).abs() < 1e-12 && (r.reservataires[2] - 0.05).abs() < 1e-12
        );
    }

    #[test]
    fn annualisation() {
        let dem = [d("X", Categorie::Autre, 1000, 400.0)];
        let p = Parametres {
            methode_part: MethodePart::Annualisation,
            ..Default::default()
        };
        let r = repartir(&dem, 10_000, 760.0, &p);
        assert!((r.reservataires[0] * 760.0 - 40.0).abs() < 1e-9);
    }
}

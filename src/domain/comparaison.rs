//! Scenario comparison (issue « scénarios »): because no consensus exists on the taux de rotation
//! (seed §3), workshops put up to three parameter sets side by side and discuss the differences in
//! logements per year and in share points. This module lines the engine's results up by
//! (perimeter, réservataire) and by commune; deltas are against the first scenario.

use std::collections::BTreeMap;

use super::{Categorie, Resultats};

/// One party of one perimeter across the scenarios (absent in a scenario = 0), keyed by name and
/// category: two réservataires may share a name.
#[derive(Clone, Debug, PartialEq)]
pub struct PartieComparee {
    pub bailleur: String,
    pub departement: String,
    pub reservataire: String,
    pub categorie: Categorie,
    /// Share of the flux per scenario (fraction).
    pub parts: Vec<f64>,
    /// Logements per year per scenario.
    pub par_an: Vec<f64>,
    /// Volume of droits uniques per scenario.
    pub volumes: Vec<f64>,
    /// Another party of the convention has the same name.
    pub homonyme: bool,
}

impl PartieComparee {
    /// Difference of share with the first scenario, in percentage points.
    pub fn ecart_points(&self, scenario: usize) -> f64 {
        (self.parts[scenario] - self.parts[0]) * 100.0
    }
    pub fn ecart_par_an(&self, scenario: usize) -> f64 {
        self.par_an[scenario] - self.par_an[0]
    }
    /// Label shown to people.
    pub fn libelle(&self) -> String {
        super::resultats::libelle_partie(&self.reservataire, self.categorie, self.homonyme)
    }
}

impl CommuneComparee {
    /// Difference of the État's yearly logements with the first scenario.
    pub fn ecart_etat(&self, scenario: usize) -> f64 {
        self.etat[scenario] - self.etat[0]
    }
}

/// One commune across the scenarios.
#[derive(Clone, Debug, PartialEq)]
pub struct CommuneComparee {
    pub code: String,
    pub nom: String,
    /// Flux of the commune F_c per scenario.
    pub flux: Vec<f64>,
    /// Logements per year expected for the État (prioritaires + agents) per scenario.
    pub etat: Vec<f64>,
    /// Logements per year expected for the commune réservataires per scenario.
    pub communes: Vec<f64>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Comparaison {
    pub parties: Vec<PartieComparee>,
    pub communes: Vec<CommuneComparee>,
}

/// Lines up the results of several scenarios computed on the same état des lieux.
pub fn comparer(scenarios: &[&Resultats]) -> Comparaison {
    let n = scenarios.len();
    let mut parties: BTreeMap<(String, String, u8, String, Categorie), PartieComparee> = BTreeMap::new();
    let mut communes: BTreeMap<String, CommuneComparee> = BTreeMap::new();
    for (k, r) in scenarios.iter().enumerate() {
        for per in &r.perimetres {
            for p in &per.parts {
                let cle = (per.bailleur.clone(), per.departement.clone(), rang(p.categorie), p.reservataire.clone(), p.categorie);
                let e = parties.entry(cle).or_insert_with(|| PartieComparee {
                    bailleur: per.bailleur.clone(),
                    departement: per.departement.clone(),
                    reservataire: p.reservataire.clone(),
                    categorie: p.categorie,
                    parts: vec![0.0; n],
                    par_an: vec![0.0; n],
                    volumes: vec![0.0; n],
                    homonyme: p.homonyme,
                });
                e.parts[k] = p.part;
                e.par_an[k] = p.logements_par_an;
                e.volumes[k] = p.volume_droits;
            }
        }
        for c in &r.communes.communes {
            let e = communes.entry(c.code.clone()).or_insert_with(|| CommuneComparee {
                code: c.code.clone(),
                nom: c.nom.clone(),
                flux: vec![0.0; n],
                etat: vec![0.0; n],
                communes: vec![0.0; n],
            });
            let a = &c.agregat;
            e.flux[k] = a.flux;
            e.etat[k] = a.etat_par_an();
            e.communes[k] = a.attendus[Categorie::Commune as usize];
        }
    }
    Comparaison { parties: parties.into_values().collect(), communes: communes.into_values().collect() }
}

/// Rank of a party inside a perimeter: État first, then réservataires (by name, the next key),
/// bailleur last — the order of the engine's tables.
fn rang(categorie: Categorie) -> u8 {
    match categorie {
        Categorie::EtatPrioritaires => 0,
        Categorie::EtatAgents => 1,
        Categorie::Bailleur => 3,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::parametres::ModeRotation;
    use crate::domain::{calculer, Parametres};
    use crate::import::lire_csv;

    const CSV: &str = "rpls;bailleur;commune;typologie;reservataire;categorie;type_droit;date_fin\n\
        A;B;93048;T1;AL;action_logement;suite;31/12/2040\n\
        C;B;93048;T4;Ville;commune;suite;31/12/2040\n\
        D;B;93066;T4;;;;\n\
        E;B;93066;T1;;;;\n";

    #[test]
    fn lines_up_parties_and_communes_with_deltas_against_the_first() {
        let ds = lire_csv(CSV.as_bytes()).unwrap().dataset;
        let a = Parametres::default();
        let mut b = a.clone();
        b.rotation.mode = ModeRotation::ParSegment;
        b.rotation.par_segment.taux.insert("T4".into(), 0.12);
        let (ra, rb) = (calculer(&ds, &a), calculer(&ds, &b));
        let c = comparer(&[&ra, &rb]);
        let noms: Vec<&str> = c.parties.iter().map(|p| p.reservataire.as_str()).collect();
        assert_eq!(noms, ["Etat - prioritaires", "Etat - agents", "AL", "Ville", "B"]);
        let ville = &c.parties[3];
        assert_eq!(ville.parts[0], ville.parts[1], "part du parc does not depend on τ");
        // T4 rotates faster in b: the flux grows, and so do the yearly logements.
        assert!(ville.ecart_par_an(1) > 0.0);
        assert_eq!(ville.ecart_points(1), 0.0);
        let f: Vec<f64> = c.communes.iter().map(|x| x.flux[1] - x.flux[0]).collect();
        assert!(f.iter().all(|d| *d > 0.0), "{f:?}");
        let total_a: f64 = c.communes.iter().map(|x| x.flux[0]).sum();
        assert!((total_a - ra.perimetres[0].flux_annuel).abs() < 1e-9);
    }
}

//! Step 10 (SPEC §4.10, seed §3 "définition du flux": "pour les réservataires Communes et État …
//! des objectifs contractuels à l'échelle des communes; pour tous les autres réservataires … au
//! niveau de chacun des départements").
//!
//! - État (both parties): share × F_c in every commune c of the perimeter.
//! - A commune, EPCI or EPT réservataire (v2): its yearly logements are split over the communes of
//!   *its own* reserved logements, in proportion to Σ τ_l over its reserved assiette logements
//!   (v_l > 0) in each commune — never over communes where it only has hors-assiette or expired
//!   rows. (When none of them rotates, Σ τ = 0, the split is by number of reserved logements.)
//! - Every other réservataire, and the bailleur: one objective for the département.

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Objectif {
    /// Index of the party in the perimeter's `parts`.
    pub partie: usize,
    /// INSEE code of the commune, or `None` for the département.
    pub commune: Option<String>,
    pub logements_par_an: f64,
}

/// One commune of a local réservataire's territory: its reserved assiette logements there.
#[derive(Clone, Debug, PartialEq)]
pub struct Implantation {
    /// INSEE code of the commune.
    pub commune: String,
    /// Σ τ_l over its reserved assiette logements in that commune.
    pub somme_taux: f64,
    /// Number of those logements.
    pub logements: u32,
}

/// What the territorial step needs of a party.
pub struct PartieTerritoire<'a> {
    pub par_an: f64,
    pub etat: bool,
    /// For a commune, EPCI or EPT réservataire: where its reserved logements are; else empty.
    pub territoire: &'a [Implantation],
}

/// Objectives of one perimeter; `communes` are (INSEE code, F_c) with Σ F_c = F.
pub fn objectifs(
    parties: &[PartieTerritoire],
    communes: &[(&str, f64)],
    flux: f64,
) -> Vec<Objectif> {
    let mut res = Vec::new();
    for (i, p) in parties.iter().enumerate() {
        if p.etat {
            let part = if flux > 0.0 { p.par_an / flux } else { 0.0 };
            res.extend(communes.iter().map(|(code, fc)| Objectif {
                partie: i,
                commune: Some((*code).to_owned()),
                logements_par_an: part * fc,
            }));
        } else if !p.territoire.is_empty() {
            let taux: f64 = p.territoire.iter().map(|t| t.somme_taux).sum();
            let logements: u32 = p.territoire.iter().map(|t| t.logements).sum();
            res.extend(p.territoire.iter().map(|t| {
                let poids = if taux > 0.0 {
                    t.somme_taux / taux
                } else if logements > 0 {
                    f64::from(t.logements) / f64::from(logements)
                } else {
                    1.0 / p.territoire.len() as f64
                };
                Objectif {
                    partie: i,
                    commune: Some(t.commune.clone()),
                    logements_par_an: p.par_an * poids,
                }
            }));
        } else {
            res.push(Objectif {
                partie: i,
                commune: None,
                logements_par_an: p.par_an,
            });
        }
    }
    res
}

/// The objectives of a perimeter laid out for reading: one row per commune with a column per party
/// holding communal objectives (the État, local réservataires), then the per-département ones.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TableauObjectifs {
    /// Parties (indices in `parts`) with objectives per commune: the columns.
    pub colonnes: Vec<usize>,
    /// (INSEE code, objective of each column — `None` where the party has none in that commune).
    pub communes: Vec<(String, Vec<Option<f64>>)>,
    /// (party, objective for the whole département).
    pub departement: Vec<(usize, f64)>,
}

/// Lays out `objectifs` (as computed by [`objectifs`]).
pub fn tableau(objectifs: &[Objectif]) -> TableauObjectifs {
    let mut t = TableauObjectifs::default();
    for o in objectifs {
        match &o.commune {
            None => t.departement.push((o.partie, o.logements_par_an)),
            Some(_) if !t.colonnes.contains(&o.partie) => t.colonnes.push(o.partie),
            Some(_) => {}
        }
    }
    for o in objectifs {
        let (Some(code), Some(j)) = (&o.commune, t.colonnes.iter().position(|&c| c == o.partie)) else { continue };
        let k = match t.communes.iter().position(|(c, _)| c == code) {
            Some(k) => k,
            None => {
                t.communes.push((code.clone(), vec![None; t.colonnes.len()]));
                t.communes.len() - 1
            }
        };
        t.communes[k].1[j] = Some(o.logements_par_an);
    }
    t.communes.sort_by(|a, b| a.0.cmp(&b.0));
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etat_per_commune_commune_on_its_own_reservations_others_per_departement() {
        let communes = vec![("93007", 60.0), ("93009", 40.0)];
        // The commune réservataire holds 3 logements in commune 9 (τ 0.1 each) and 1 in commune 7
        // (τ 0.1): its objective follows its own reservations, 3/4 and 1/4, not F_c (60/40).
        let territoire = [
            Implantation { commune: "93007".into(), somme_taux: 0.1, logements: 1 },
            Implantation { commune: "93009".into(), somme_taux: 0.3, logements: 3 },
        ];
        let parties = [
            PartieTerritoire { par_an: 25.0, etat: true, territoire: &[] },
            PartieTerritoire { par_an: 12.0, etat: false, territoire: &territoire },
            PartieTerritoire { par_an: 30.0, etat: false, territoire: &[] },
        ];
        let o = objectifs(&parties, &communes, 100.0);
        assert_eq!(o.len(), 5);
        assert_eq!((o[0].logements_par_an, o[1].logements_par_an), (15.0, 10.0));
        assert_eq!(o[2].commune.as_deref(), Some("93007"));
        assert!((o[2].logements_par_an - 3.0).abs() < 1e-12);
        assert!((o[3].logements_par_an - 9.0).abs() < 1e-12);
        assert_eq!((o[4].commune.as_deref(), o[4].logements_par_an), (None, 30.0));
    }

    #[test]
    fn objectives_laid_out_by_commune() {
        let o = |partie, commune: Option<&str>, v| Objectif { partie, commune: commune.map(str::to_owned), logements_par_an: v };
        let t = tableau(&[o(0, Some("93066"), 1.0), o(0, Some("93048"), 2.0), o(3, Some("93048"), 0.5), o(2, None, 7.0)]);
        assert_eq!(t.colonnes, [0, 3]);
        assert_eq!(t.communes, [("93048".to_owned(), vec![Some(2.0), Some(0.5)]), ("93066".to_owned(), vec![Some(1.0), None])]);
        assert_eq!(t.departement, [(2, 7.0)]);
    }

    #[test]
    fn without_rotation_the_split_follows_reserved_logements() {
        let territoire = [
            Implantation { commune: "1".into(), somme_taux: 0.0, logements: 1 },
            Implantation { commune: "2".into(), somme_taux: 0.0, logements: 3 },
        ];
        let parties = [PartieTerritoire { par_an: 4.0, etat: false, territoire: &territoire }];
        let o = objectifs(&parties, &[("1", 1.0), ("2", 1.0)], 2.0);
        assert_eq!((o[0].logements_par_an, o[1].logements_par_an), (1.0, 3.0));
    }
}

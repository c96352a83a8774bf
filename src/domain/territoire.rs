//! Step 10 (SPEC §4.10, seed §3 "définition du flux": "pour les réservataires Communes et État …
//! des objectifs contractuels à l'échelle des communes; pour tous les autres réservataires … au
//! niveau de chacun des départements").
//!
//! - État (both parties): share × F_c in every commune c of the perimeter.
//! - A commune réservataire: its yearly logements are placed in the communes of its own territory
//!   (SPEC §1: its convention is "× the réservataire's own territory"), i.e. the communes where it
//!   holds reservations, split in proportion to F_c. On a single-commune territory this is its
//!   whole share × F in that commune.
//! - Every other réservataire, and the bailleur: one objective for the département.

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Objectif {
    /// Index of the party in the perimeter's `parts`.
    pub partie: usize,
    /// Commune id in the dataset (`Dataset::communes`), or `None` for the département.
    pub commune: Option<u32>,
    pub logements_par_an: f64,
}

/// What the territorial step needs of a party.
pub struct PartieTerritoire<'a> {
    pub par_an: f64,
    pub etat: bool,
    /// Communes of its territory (indices into `communes`) for a commune réservataire, else empty.
    pub territoire: &'a [usize],
}

/// Objectives of one perimeter; `communes` are (commune id, F_c) with Σ F_c = F.
pub fn objectifs(
    parties: &[PartieTerritoire],
    communes: &[(u32, f64)],
    flux: f64,
) -> Vec<Objectif> {
    let mut res = Vec::new();
    for (i, p) in parties.iter().enumerate() {
        if p.etat {
            let part = if flux > 0.0 { p.par_an / flux } else { 0.0 };
            res.extend(communes.iter().map(|(code, fc)| Objectif {
                partie: i,
                commune: Some(*code),
                logements_par_an: part * fc,
            }));
        } else if !p.territoire.is_empty() {
            let total: f64 = p.territoire.iter().map(|&c| communes[c].1).sum();
            let n = p.territoire.len() as f64;
            res.extend(p.territoire.iter().map(|&c| Objectif {
                partie: i,
                commune: Some(communes[c].0),
                logements_par_an: p.par_an
                    * if total > 0.0 {
                        communes[c].1 / total
                    } else {
                        1.0 / n
                    },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etat_per_commune_commune_on_its_territory_others_per_departement() {
        let communes = vec![(7, 60.0), (9, 40.0)];
        let territoire = [1usize];
        let parties = [
            PartieTerritoire {
                par_an: 25.0,
                etat: true,
                territoire: &[],
            },
            PartieTerritoire {
                par_an: 12.0,
                etat: false,
                territoire: &territoire,
            },
            PartieTerritoire {
                par_an: 30.0,
                etat: false,
                territoire: &[],
            },
        ];
        let o = objectifs(&parties, &communes, 100.0);
        assert_eq!(o.len(), 4);
        assert_eq!((o[0].logements_par_an, o[1].logements_par_an), (15.0, 10.0));
        assert_eq!((o[2].commune, o[2].logements_par_an), (Some(9), 12.0));
        assert_eq!((o[3].commune, o[3].logements_par_an), (None, 30.0));
    }
}

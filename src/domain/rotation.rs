//! Step 1 (SPEC §4.1): the taux de rotation τ_l of each logement of the assiette.
//!
//! Seed §3: "aucun consensus ne se dégage … taux de rotation différent selon le type de
//! réservataire, taux de rotation unique, taux de rotation du parc du bailleur éventuellement classé
//! par typologie de logement, surface, niveau de loyer, localisation" — hence four modes. Each mode
//! is resolved once into a small lookup table so that the per-logement cost is one load.

use super::dataset::{Dataset, AUCUN};
use super::model::{commune_plm, libelles_segment, Categorie, Segment};
use super::parametres::{ModeRotation, Rotation};

/// Resolved rotation rates for one dataset and one parameter set.
pub struct Taux<'a> {
    ds: &'a Dataset,
    mode: ModeRotation,
    segment: Segment,
    unique: f64,
    /// `par_categorie`: rate per partie, last slot for unreserved logements.
    /// `par_segment`: rate per segment byte, or per cellule for the commune key.
    table: Vec<f64>,
}

impl<'a> Taux<'a> {
    pub fn new(ds: &'a Dataset, r: &Rotation) -> Taux<'a> {
        let unique = r.taux_unique;
        let segment = r.par_segment.cle;
        let table = match r.mode {
            ModeRotation::ParCategorie => {
                let taux = |c: Categorie| r.par_categorie.get(&c).copied().unwrap_or(unique);
                (0..ds.parties.len() as u32)
                    .map(|p| taux(ds.categorie_partie(p)))
                    .chain(std::iter::once(taux(Categorie::NonReserve)))
                    .collect()
            }
            ModeRotation::ParSegment => {
                let taux = |cle: &str| r.par_segment.taux.get(cle).copied().unwrap_or(unique);
                match segment {
                    // An arrondissement's own key first, else its city's (75056, 69123, 13055:
                    // SPEC §4 v2, a city key applies to its arrondissements).
                    Segment::Commune => (0..ds.cellules.len())
                        .map(|c| {
                            let code = ds.code_commune(c);
                            r.par_segment
                                .taux
                                .get(code)
                                .or_else(|| r.par_segment.taux.get(commune_plm(code)))
                                .copied()
                                .unwrap_or(unique)
                        })
                        .collect(),
                    s => libelles_segment(s).iter().map(|l| taux(l)).collect(),
                }
            }
            ModeRotation::Unique | ModeRotation::Observe => Vec::new(),
        };
        Taux {
            ds,
            mode: r.mode,
            segment,
            unique,
            table,
        }
    }

    /// τ_l of logement `i`.
    #[inline]
    pub fn taux(&self, i: usize) -> f64 {
        let ds = self.ds;
        match self.mode {
            ModeRotation::Unique => self.unique,
            // "the row's taux_rotation, falling back to taux_unique"
            ModeRotation::Observe => {
                let t = ds.taux[i];
                if t.is_nan() {
                    self.unique
                } else {
                    t
                }
            }
            ModeRotation::ParCategorie => {
                let p = ds.partie[i];
                self.table[if p == AUCUN {
                    self.table.len() - 1
                } else {
                    p as usize
                }]
            }
            ModeRotation::ParSegment => {
                let k = match self.segment {
                    Segment::Typologie => ds.typologie[i] as usize,
                    Segment::Financement => ds.financement[i] as usize,
                    Segment::Qpv => ds.qpv[i] as usize,
                    Segment::Surface => ds.surface[i] as usize,
                    Segment::Loyer => ds.loyer[i] as usize,
                    Segment::Commune => ds.cellule[i] as usize,
                };
                self.table[k]
            }
        }
    }
}

/// Mean observed `taux_rotation` of the file's logements per value of a segment (keys as in
/// `rotation.par_segment.taux`), over the rows that carry one. Seed §3 lists « le taux de rotation
/// du parc du bailleur … classé par typologie, surface, niveau de loyer, localisation »: this turns
/// the bailleur's own observed rates into a ready-to-discuss `par_segment` table.
pub fn taux_observes(ds: &Dataset, segment: Segment) -> std::collections::BTreeMap<String, f64> {
    let mut sommes: std::collections::BTreeMap<String, (f64, u32)> = std::collections::BTreeMap::new();
    let libelles = libelles_segment(segment);
    for i in 0..ds.len() {
        let t = ds.taux[i];
        if t.is_nan() {
            continue;
        }
        let cle = match segment {
            Segment::Commune => ds.code_commune(ds.cellule[i] as usize).to_owned(),
            Segment::Typologie => libelles[ds.typologie[i] as usize].to_owned(),
            Segment::Financement => libelles[ds.financement[i] as usize].to_owned(),
            Segment::Qpv => libelles[ds.qpv[i] as usize].to_owned(),
            Segment::Surface => libelles[ds.surface[i] as usize].to_owned(),
            Segment::Loyer => libelles[ds.loyer[i] as usize].to_owned(),
        };
        let e = sommes.entry(cle).or_default();
        e.0 += t;
        e.1 += 1;
    }
    sommes.remove("inconnu");
    sommes.into_iter().map(|(k, (somme, n))| (k, somme / n as f64)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dataset::Logement;
    use crate::domain::parametres::TauxParSegment;

    fn ds() -> Dataset {
        Dataset::depuis_logements([
            Logement {
                rpls: "a",
                commune: "93048",
                typologie: 1,
                ..Default::default()
            },
            Logement {
                rpls: "b",
                commune: "75112",
                typologie: 3,
                reservataire: "AL",
                categorie: Some(Categorie::ActionLogement),
                taux_rotation: Some(0.12),
                surface: Some(55.0),
                ..Default::default()
            },
        ])
    }

    #[test]
    fn four_modes() {
        let ds = ds();
        let mut r = Rotation::default();
        assert_eq!(Taux::new(&ds, &r).taux(1), 0.063);
        r.mode = ModeRotation::Observe;
        let t = Taux::new(&ds, &r);
        assert_eq!((t.taux(0), t.taux(1)), (0.063, 0.12));
        r.mode = ModeRotation::ParCategorie;
        r.par_categorie.insert(Categorie::ActionLogement, 0.05);
        r.par_categorie.insert(Categorie::NonReserve, 0.07);
        let t = Taux::new(&ds, &r);
        assert_eq!((t.taux(0), t.taux(1)), (0.07, 0.05));
        r.mode = ModeRotation::ParSegment;
        for (cle, valeur) in [
            (Segment::Typologie, "T3"),
            (Segment::Commune, "75112"),
            (Segment::Commune, "75056"),
            (Segment::Surface, "50_70"),
        ] {
            r.par_segment = TauxParSegment {
                cle,
                taux: [(valeur.to_owned(), 0.2)].into(),
            };
            let t = Taux::new(&ds, &r);
            assert_eq!((t.taux(0), t.taux(1)), (0.063, 0.2), "{cle:?}");
        }
    }

    #[test]
    fn observed_rates_by_segment_are_means_of_the_rows() {
        let csv = "rpls;bailleur;commune;typologie;taux_rotation\nA;B;93048;T1;0,10\nC;B;93048;T1;6 %\nD;B;93048;T3;0,04\nE;B;93048;T3;\nF;B;93048;;0,5\n";
        let ds = crate::import::lire_csv(csv.as_bytes()).unwrap().dataset;
        let t = taux_observes(&ds, Segment::Typologie);
        assert_eq!(t.len(), 2, "{t:?}");
        assert!((t["T1"] - 0.08).abs() < 1e-12 && (t["T3"] - 0.04).abs() < 1e-12, "{t:?}");
    }
}

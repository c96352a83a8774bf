//! Step 9 (SPEC §4.9, seed §3 "modalités d'étalement dans le temps"): the volume of droits uniques
//! is consumed year after year. "Les organismes … s'engageraient sur une proportion de logements
//! proposés … la part de logements réservés du réservataire … de manière annuelle. L'utilisation de
//! ces droits … viendrait se déduire du stock"; for small réservataires, "identifier dès la
//! conversion les années sur lesquelles ils pourraient faire valoir leurs droits".

use serde::Serialize;

use super::parametres::Arrondi;

/// At most 50 years of étalement (SPEC §4.9).
pub const ANNEES_MAX: u16 = 50;
/// Tolerance of the floating-point arithmetic (a volume below it is used up).
pub const EPS: f64 = 1e-9;

/// A party of the convention, in tie-break order (État prioritaires, État agents, réservataires by
/// name); the bailleur is added last by [`etaler`].
#[derive(Clone, Copy, Debug)]
pub struct PartEtalement {
    /// Share of the flux p.
    pub part: f64,
    /// Volume V_r consumed by the offers; `None` for the État (statutory share, not consumed).
    pub volume: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LigneEtalement {
    pub annee: u16,
    /// Index of the party; `parties.len()` is the bailleur.
    pub partie: u32,
    /// Logements offered: whole (per `arrondi`) or exact (`aucun`).
    pub offerts: f64,
    /// offered_r(k) before rounding.
    pub exact: f64,
    /// Remaining V_r after the year; `None` for the État and the bailleur.
    pub volume_restant: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Etalement {
    pub annees: u16,
    pub lignes: Vec<LigneEtalement>,
}

/// Largest remainder (méthode des plus forts restes): floors of the exact amounts, then one more
/// logement to the largest remainders until `total` is reached; ties go to the earlier party
/// (the party order is the tie-break order of the issue).
pub fn plus_forts_restes(exacts: &[f64], total: f64) -> Vec<f64> {
    let mut entiers: Vec<f64> = exacts.iter().map(|a| (a + EPS).floor().max(0.0)).collect();
    let manque = (total - entiers.iter().sum::<f64>()).round() as i64;
    // Remainders are compared on a 1e-9 grid so that floating-point noise (0.3 − 0.05 ≠ 0.25)
    // never breaks a tie that is exact on paper; ties go to the lower index.
    let mut ordre: Vec<(std::cmp::Reverse<i64>, usize)> = exacts
        .iter()
        .zip(&entiers)
        .enumerate()
        .map(|(i, (a, e))| (std::cmp::Reverse(((a - e) / EPS).round() as i64), i))
        .collect();
    let k = manque.unsigned_abs() as usize;
    if manque > 0 && k < ordre.len() {
        // Only the k largest remainders matter: a selection, not a sort.
        ordre.select_nth_unstable(k);
        ordre.truncate(k);
    } else {
        ordre.sort_unstable();
    }
    if manque > 0 {
        for &(_, i) in ordre.iter().cycle().take(k) {
            entiers[i] += 1.0;
        }
    } else {
        // Only reachable through floating-point noise: take back from the smallest remainders.
        for _ in 0..k {
            if let Some(&(_, j)) = ordre.iter().rev().find(|&&(_, j)| entiers[j] >= 1.0) {
                entiers[j] -= 1.0;
            }
        }
    }
    entiers
}

/// Year-by-year étalement of one perimeter with annual flux `flux`.
///
/// offered_r(k) = min(p_r × F, remaining V_r); remaining V_r −= offered_r(k). A réservataire whose
/// volume is used up leaves the table and its part returns to the bailleur, whose row is the
/// residual F − Σ offered. Stops when every volume is used (and, with `report`, every carried
/// logement delivered), after at most [`ANNEES_MAX`] years. Réservataires with a zero share never
/// consume and are not listed.
pub fn etaler(flux: f64, parties: &[PartEtalement], arrondi: Arrondi) -> Etalement {
    let n = parties.len();
    let par_an: Vec<f64> = parties.iter().map(|p| p.part * flux).collect();
    let mut restant: Vec<f64> = parties
        .iter()
        .map(|p| p.volume.unwrap_or(f64::INFINITY))
        .collect();
    let mut cumul = vec![0.0; n];
    let mut donne = vec![0.0; n];
    let du = |cumul: &[f64], donne: &[f64], i: usize| (cumul[i] + EPS).floor() - donne[i];
    let mut res = Etalement::default();
    let mut actifs = Vec::with_capacity(n + 1);
    let mut exacts = Vec::with_capacity(n + 1);
    for annee in 1..=ANNEES_MAX {
        actifs.clear();
        exacts.clear();
        for i in 0..n {
            if par_an[i] <= 0.0 {
                continue;
            }
            let e = match parties[i].volume {
                None => par_an[i],
                Some(_) if restant[i] <= EPS => 0.0,
                Some(_) if restant[i] - par_an[i] <= EPS => restant[i],
                Some(_) => par_an[i],
            };
            // With `report`, a party keeps its row while carried logements are still due to it.
            let en_attente = arrondi == Arrondi::Report && du(&cumul, &donne, i) >= 1.0;
            if e > 0.0 || en_attente {
                actifs.push(i);
                exacts.push(e);
                if parties[i].volume.is_some() {
                    restant[i] = if restant[i] - e <= EPS {
                        0.0
                    } else {
                        restant[i] - e
                    };
                }
            }
        }
        actifs.push(n);
        exacts.push((flux - exacts.iter().sum::<f64>()).max(0.0));
        let offerts = match arrondi {
            Arrondi::Aucun => exacts.clone(),
            Arrondi::PlusFortsRestes => plus_forts_restes(&exacts, (flux + EPS).round()),
            Arrondi::Report => {
                // SPEC §4 invariant: every year's whole logements sum to the rounded flux.
                let mut budget = (flux + EPS).round();
                let mut o = Vec::with_capacity(actifs.len());
                for (&i, &e) in actifs.iter().zip(&exacts).take(actifs.len() - 1) {
                    cumul[i] += e;
                    let x = du(&cumul, &donne, i).min(budget).max(0.0);
                    donne[i] += x;
                    budget -= x;
                    o.push(x);
                }
                o.push(budget);
                o
            }
        };
        for ((&i, &exact), offerts) in actifs.iter().zip(&exacts).zip(offerts) {
            let volume_restant = (i < n)
                .then(|| parties[i].volume.map(|_| restant[i]))
                .flatten();
            res.lignes.push(LigneEtalement {
                annee,
                partie: i as u32,
                offerts,
                exact,
                volume_restant,
            });
        }
        res.annees = annee;
        let continuer = (0..n).any(|i| {
            parties[i].volume.is_some()
                && par_an[i] > 0.0
                && (restant[i] > EPS
                    || (arrondi == Arrondi::Report && du(&cumul, &donne, i) >= 1.0))
        });
        if !continuer {
            break;
        }
    }
    res
}

/// Years to exhaust V_r at p_r × F a year (reported, SPEC §4.9); `None` when nothing is consumed.
pub fn annees_epuisement(volume: f64, par_an: f64) -> Option<f64> {
    (volume > 0.0 && par_an > 0.0).then(|| volume / par_an)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offerts(e: &Etalement, partie: u32) -> Vec<(u16, f64)> {
        e.lignes
            .iter()
            .filter(|l| l.partie == partie && l.offerts > 0.0)
            .map(|l| (l.annee, l.offerts))
            .collect()
    }

    /// Issue worked example 5.
    #[test]
    fn largest_remainder_example() {
        let r = plus_forts_restes(&[187.5, 37.5, 9.75, 20.10, 495.15], 750.0);
        assert_eq!(r, vec![188.0, 37.0, 10.0, 20.0, 495.0]);
    }

    /// Issue worked example 4: 0.15 logement a year, volume 3 → years 7, 14, 20, then it leaves.
    #[test]
    fn report_names_years_for_small_reservataires() {
        let parties = [
            PartEtalement {
                part: 0.3,
                volume: None,
            },
            PartEtalement {
                part: 0.0015,
                volume: Some(3.0),
            },
        ];
        let e = etaler(100.0, &parties, Arrondi::Report);
        assert_eq!(offerts(&e, 1), vec![(7, 1.0), (14, 1.0), (20, 1.0)]);
        assert_eq!(e.annees, 20);
        assert_eq!(e.lignes.iter().filter(|l| l.partie == 1).count(), 20);
        for annee in 1..=20 {
            let total: f64 = e
                .lignes
                .iter()
                .filter(|l| l.annee == annee)
                .map(|l| l.offerts)
                .sum();
            assert_eq!(total, 100.0);
        }
    }

    #[test]
    fn reservataire_leaves_and_part_returns_to_bailleur() {
        let parties = [
            PartEtalement {
                part: 0.3,
                volume: None,
            },
            PartEtalement {
                part: 0.1,
                volume: Some(25.0),
            },
        ];
        let e = etaler(100.0, &parties, Arrondi::PlusFortsRestes);
        assert_eq!(offerts(&e, 1), vec![(1, 10.0), (2, 10.0), (3, 5.0)]);
        assert_eq!(e.annees, 3);
        let bailleur: Vec<f64> = e
            .lignes
            .iter()
            .filter(|l| l.partie == 2)
            .map(|l| l.offerts)
            .collect();
        assert_eq!(bailleur, vec![60.0, 60.0, 65.0]);
        assert_eq!(
            e.lignes
                .iter()
                .find(|l| l.annee == 3 && l.partie == 1)
                .unwrap()
                .volume_restant,
            Some(0.0)
        );
    }

    #[test]
    fn report_keeps_yearly_sums_with_many_small_parties() {
        let parties = [PartEtalement {
            part: 0.2,
            volume: Some(5.0),
        }; 5];
        let e = etaler(1.0, &parties, Arrondi::Report);
        for annee in 1..=e.annees {
            let l: Vec<&LigneEtalement> = e.lignes.iter().filter(|l| l.annee == annee).collect();
            assert_eq!(l.iter().map(|l| l.offerts).sum::<f64>(), 1.0);
            assert!(l.iter().all(|l| l.offerts >= 0.0));
        }
        let total: f64 = e
            .lignes
            .iter()
            .filter(|l| l.partie < 5)
            .map(|l| l.offerts)
            .sum();
        assert_eq!(total, 25.0);
    }
}

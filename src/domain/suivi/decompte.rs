//! SPEC §7 « Counting »: which outcome of an orientation makes it count against the flux of the
//! party it was oriented to, and how the orientations of one vacancy are read together.
//!
//! | issue          | orientation | bail                      | mixte (default)           |
//! |----------------|-------------|---------------------------|---------------------------|
//! | `bail_signe`   | counts      | counts                    | counts                    |
//! | `refus_menage` | counts      | no                        | counts                    |
//! | `non_designe`  | counts      | no                        | counts                    |
//! | `refus_caleol` | counts      | no                        | no (the bailleur orients again) |
//! | `en_cours`     | counts      | pending, shown apart      | pending, shown apart      |
//!
//! One vacancy counts at most once: its rows are read in date order and the first one that counts
//! is the one; a logement oriented again after a non-counting outcome counts by the orientation
//! that ends the vacancy. Under `mixte`, a logement counted for a réservataire (household refusal,
//! no designation) and then let by the bailleur to another household does not count a second time.
//! `hors_flux` rows never count.

use chrono::{Datelike, Days, NaiveDate};

use super::mouvement::{Issue, Mouvement};
use crate::domain::parametres::Decompte;

/// What an orientation is worth under a counting mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effet {
    Compte,
    EnAttente,
    NeComptePas,
}

/// The table of SPEC §7.
pub fn effet(issue: Issue, mode: Decompte) -> Effet {
    use Decompte::*;
    use Issue::*;
    match (issue, mode) {
        (_, Orientation) => Effet::Compte,
        (BailSigne, _) => Effet::Compte,
        (EnCours, _) => Effet::EnAttente,
        (RefusMenage | NonDesigne, Mixte) => Effet::Compte,
        (RefusCaleol, Mixte) => Effet::NeComptePas,
        (RefusMenage | NonDesigne | RefusCaleol, Bail) => Effet::NeComptePas,
    }
}

/// The deadline of a designation: orientation date + `delai` days (seed: the réservataire keeps
/// one month to propose candidates).
pub fn echeance(m: &Mouvement, delai: u32) -> NaiveDate {
    m.date_orientation.checked_add_days(Days::new(u64::from(delai))).unwrap_or(NaiveDate::MAX)
}

/// The outcome read at the end of year `annee`: an `en_cours` row with no designation whose
/// deadline is on or before 31 December is treated as `non_designe`.
pub fn issue_effective(m: &Mouvement, delai: u32, annee: i32) -> Issue {
    let fin = NaiveDate::from_ymd_opt(annee, 12, 31).unwrap_or(NaiveDate::MAX);
    if m.issue == Issue::EnCours && m.date_designation.is_none() && echeance(m, delai) <= fin {
        Issue::NonDesigne
    } else {
        m.issue
    }
}

/// The reading of one vacancy: the row that counts, else the row pending.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Lecture {
    /// Index (in the slice given) of the row that counts.
    pub compte: Option<usize>,
    /// Index of the row pending (an `en_cours` outcome under `bail` or `mixte`), when none counts.
    pub en_attente: Option<usize>,
}

/// Reads the rows of one vacancy, in date order. `annee` is the year followed (for `en_cours`).
pub fn lire_vacance(lignes: &[&Mouvement], mode: Decompte, delai: u32, annee: i32) -> Lecture {
    let mut l = Lecture::default();
    for (i, m) in lignes.iter().enumerate() {
        if m.hors_flux.is_some() {
            continue;
        }
        match effet(issue_effective(m, delai, annee), mode) {
            Effet::Compte => {
                return Lecture { compte: Some(i), en_attente: None };
            }
            Effet::EnAttente => l.en_attente = Some(i),
            Effet::NeComptePas => {}
        }
    }
    l
}

/// Splits the mouvements of the followed years into vacancies: the rows of one logement in date
/// order, a new vacancy after each signed lease (the logement was let) or when the date of
/// liberation changes. Returns indices into `mouvements`.
pub fn vacances(mouvements: &[Mouvement]) -> Vec<Vec<usize>> {
    vacances_parmi(mouvements, (0..mouvements.len()).collect())
}

/// The same, over the rows `ordre` (ascending indices into `mouvements`) only.
pub fn vacances_parmi(mouvements: &[Mouvement], ordre: Vec<usize>) -> Vec<Vec<usize>> {
    let (ordre, bornes) = vacances_bornes(mouvements, ordre);
    bornes.windows(2).map(|w| ordre[w[0]..w[1]].to_vec()).collect()
}

/// The vacancies of [`vacances_parmi`] without a vector each: the rows in order (logement, date of
/// orientation, line, then position), and the bounds of the vacancies in it (first row of each,
/// then the end).
pub fn vacances_bornes(mouvements: &[Mouvement], ordre: Vec<usize>) -> (Vec<usize>, Vec<usize>) {
    let mut cles: Vec<(u32, i32, u32, usize)> = ordre
        .into_iter()
        .map(|i| {
            let m = &mouvements[i];
            (m.logement, m.date_orientation.num_days_from_ce(), m.ligne, i)
        })
        .collect();
    cles.sort_unstable();
    let ordre: Vec<usize> = cles.into_iter().map(|c| c.3).collect();
    let mut bornes = Vec::new();
    for (k, &i) in ordre.iter().enumerate() {
        let m = &mouvements[i];
        let nouvelle = match k.checked_sub(1).map(|p| &mouvements[ordre[p]]) {
            None => true,
            Some(p) => {
                let autre_logement = p.logement != m.logement;
                let loue = p.issue == Issue::BailSigne;
                let autre_liberation = matches!((p.date_liberation, m.date_liberation), (Some(a), Some(b)) if a != b);
                autre_logement || loue || autre_liberation
            }
        };
        if nouvelle {
            bornes.push(k);
        }
    }
    bornes.push(ordre.len());
    if ordre.is_empty() {
        bornes.clear();
    }
    (ordre, bornes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(j: u32, mois: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, mois, j).unwrap()
    }

    fn m(logement: u32, jour: u32, reservataire: &str, issue: Issue) -> Mouvement {
        Mouvement {
            logement,
            ligne: jour + 1,
            date_liberation: None,
            date_orientation: d(jour, 3),
            reservataire: reservataire.into(),
            date_designation: Some(d(jour, 3)),
            issue,
            date_bail: (issue == Issue::BailSigne).then(|| d(jour, 4)),
            hors_flux: None,
            quartile: None,
            prioritaire: None,
        }
    }

    /// Every cell of the table of SPEC §7.
    #[test]
    fn the_counting_table() {
        use Decompte::*;
        use Effet::*;
        use Issue::*;
        let attendu = [
            (BailSigne, [Compte, Compte, Compte]),
            (RefusMenage, [Compte, NeComptePas, Compte]),
            (NonDesigne, [Compte, NeComptePas, Compte]),
            (RefusCaleol, [Compte, NeComptePas, NeComptePas]),
            (EnCours, [Compte, EnAttente, EnAttente]),
        ];
        for (issue, effets) in attendu {
            for (mode, e) in [Orientation, Bail, Mixte].into_iter().zip(effets) {
                assert_eq!(effet(issue, mode), e, "{issue:?} {mode:?}");
            }
        }
    }

    #[test]
    fn en_cours_past_its_deadline_is_non_designe() {
        let mut x = m(0, 10, "AL", Issue::EnCours);
        x.date_designation = None;
        assert_eq!(issue_effective(&x, 30, 2026), Issue::NonDesigne, "deadline 9 April ≤ 31 Dec");
        x.date_orientation = d(15, 12);
        assert_eq!(issue_effective(&x, 30, 2026), Issue::EnCours, "deadline 14 January 2027");
        x.date_orientation = d(1, 12);
        assert_eq!(issue_effective(&x, 30, 2026), Issue::NonDesigne, "deadline 31 December: on or before");
        x.date_designation = Some(d(2, 12));
        x.date_orientation = d(1, 3);
        assert_eq!(issue_effective(&x, 30, 2026), Issue::EnCours, "designated: waiting for the commission");
    }

    /// Re-orientations: a CALEOL refusal then a lease for the bailleur; a household refusal then a
    /// lease for the bailleur; both under each mode.
    #[test]
    fn one_count_per_vacancy() {
        let caleol = [m(0, 1, "AL", Issue::RefusCaleol), m(0, 9, "", Issue::BailSigne)];
        let menage = [m(0, 1, "AL", Issue::RefusMenage), m(0, 9, "", Issue::BailSigne)];
        let lire = |v: &[Mouvement], mode| lire_vacance(&v.iter().collect::<Vec<_>>(), mode, 30, 2026).compte;
        assert_eq!(lire(&caleol, Decompte::Orientation), Some(0), "the first orientation counts");
        assert_eq!(lire(&caleol, Decompte::Mixte), Some(1), "the bailleur's lease ends the vacancy");
        assert_eq!(lire(&caleol, Decompte::Bail), Some(1));
        assert_eq!(lire(&menage, Decompte::Mixte), Some(0), "counted for AL, not again for the bailleur");
        assert_eq!(lire(&menage, Decompte::Bail), Some(1));
        let mut hors = m(0, 1, "", Issue::BailSigne);
        hors.hors_flux = Some(crate::domain::model::Motif::Mutation);
        assert_eq!(lire(&[hors], Decompte::Orientation), None, "hors flux never counts");
        let mut attente = m(0, 20, "AL", Issue::EnCours);
        attente.date_orientation = d(20, 12);
        let l = lire_vacance(&[&attente], Decompte::Mixte, 30, 2026);
        assert_eq!((l.compte, l.en_attente), (None, Some(0)));
    }

    #[test]
    fn vacancies_split_at_each_lease_and_each_logement() {
        let v = [
            m(1, 5, "", Issue::BailSigne),
            m(0, 2, "AL", Issue::RefusCaleol),
            m(0, 9, "", Issue::BailSigne),
            m(0, 20, "AL", Issue::BailSigne),
        ];
        assert_eq!(vacances(&v), vec![vec![1, 2], vec![3], vec![0]]);
        assert_eq!(vacances_parmi(&v, vec![0, 2, 3]), vec![vec![2], vec![3], vec![0]], "the rows given only");
    }
}

//! A seeded, realistic year of mouvements (SPEC §7 input 2) for an état des lieux: the demo file of
//! the app, tests and benchmarks of the follow-up. Same état des lieux, year and seed: same bytes.
//!
//! Per convention (bailleur × département), each logement of the assiette becomes vacant in the
//! year with probability τ_l (its observed `taux_rotation`, else the single rate 6,3 %), so about
//! Σ τ_l = τ × assiette vacancies. A vacancy is oriented to a party drawn in proportion to its
//! share of the flux: État 25 % (prioritaires) + 5 % (agents), each réservataire its share of the
//! assiette's reserved logements (live reservations at 1 January, État categories apart; scaled
//! down if they exceed 70 %), the bailleur the rest. Then, as in life:
//! - a réservataire designates within 5–44 days; the lease follows 7–40 days later (`bail_signe`,
//!   78 %), or the household declines (`refus_menage`, 10 %) and the bailleur lets the logement
//!   itself, or the CALEOL refuses (`refus_caleol`, 12 %) and the logement is oriented again
//!   (to a party drawn anew) 1–10 days after the commission, at most three times;
//! - 6 % of réservataire orientations get no candidate (`non_designe`): the bailleur lets the
//!   logement a month later;
//! - the bailleur's own orientations are direct attributions (orientation date = lease date),
//!   7 % refused by the CALEOL and oriented again;
//! - what is not finished on 31 December is `en_cours` (with or without a designation);
//! - 4 % of the assiette's vacancies are let outside the flux (`hors_flux`: mutations 60 %,
//!   relogements RU 30 %, LHI 5 %, ORCOD 5 %), and so are the vacancies of the logements kept out
//!   of the assiette for relogements, mutations, défense, sécurité intérieure and santé (their own
//!   motif; sold logements are not let);
//! - leases carry a quartile (Q1 rarer outside QPV) and `prioritaire` (mostly for the État's
//!   prioritaires).
//!
//! Vacancies freed in the last days of the previous year and oriented in January are included;
//! orientations that would fall after 31 December are not (they belong to next year's file).
//! Logements sharing an identifier (a row with `nb` > 1) count once: a mouvement names a logement
//! by its `rpls`. Rows are sorted by orientation date, then logement.

use std::io::{self, Write};

use chrono::{Datelike, Days, NaiveDate};
use rustc_hash::FxHashSet;

use super::Alea;
use crate::domain::dataset::{AUCUN, DROIT_SIMPLE, DROIT_UTILISE, SANS_FIN};
use crate::domain::model::{Categorie, Motif};
use crate::domain::suivi::{Issue, Mouvement};
use crate::domain::Dataset;
use crate::import::mouvements::{Champ, ETAT_AGENTS, ETAT_PRIORITAIRES};

/// The single rate used when a logement has no observed rate (SPEC §3 `rotation.taux_unique`).
const TAUX_UNIQUE: f64 = 0.063;
/// Share of the assiette's vacancies let outside the flux, and their motifs.
const HORS_FLUX: f64 = 0.04;
const MOTIFS_HORS_FLUX: [(Motif, f64); 4] = [
    (Motif::Mutation, 0.60),
    (Motif::RenouvellementUrbain, 0.30),
    (Motif::Lhi, 0.05),
    (Motif::Orcod, 0.05),
];

/// The mouvements of calendar year `annee` for `etat`, deterministic in `graine`, sorted by
/// orientation date then logement; `ligne` is the line each will have in [`ecrire`]'s file.
pub fn mouvements(etat: &Dataset, annee: i32, graine: u64) -> Vec<Mouvement> {
    let mut a = Alea::new(graine ^ 0x6d6f_7576_656d_656e);
    let debut = NaiveDate::from_ymd_opt(annee, 1, 1).expect("année valide");
    let fin = NaiveDate::from_ymd_opt(annee, 12, 31).expect("année valide");
    // Logements by perimeter (one per identifier), in file order.
    let mut par_perimetre: Vec<Vec<u32>> = vec![Vec::new(); etat.perimetres.len()];
    let mut vus = FxHashSet::default();
    for i in 0..etat.len() {
        if vus.insert(etat.rpls.get(i)) {
            let p = etat.cellules[etat.cellule[i] as usize].perimetre;
            par_perimetre[p as usize].push(i as u32);
        }
    }
    let mut sortie = Vec::new();
    for logements in &par_perimetre {
        let parties = Parties::du_perimetre(etat, logements, debut);
        for &i in logements {
            let taux = match etat.taux[i as usize] {
                t if t.is_finite() && t > 0.0 => t.min(1.0),
                _ => TAUX_UNIQUE,
            };
            if !a.vrai(taux) {
                continue;
            }
            let mut v = Vacance {
                a: &mut a,
                etat,
                logement: i,
                fin,
                sortie: &mut sortie,
                liberation: debut - Days::new(20),
            };
            let jours = (fin - v.liberation).num_days() as usize + 1;
            v.liberation = v.liberation + Days::new(v.a.entier(jours) as u64);
            let orientation = v.liberation + Days::new(v.a.entier(21) as u64);
            if orientation > fin || orientation < debut {
                continue;
            }
            match etat.motif[i as usize] {
                0 if v.a.vrai(HORS_FLUX) => {
                    let m = MOTIFS_HORS_FLUX[v.a.choisir(&MOTIFS_HORS_FLUX.map(|m| m.1))].0;
                    v.hors_flux(orientation, m);
                }
                0 => v.orienter(orientation, &parties),
                m => match Motif::TOUS[m as usize - 1] {
                    Motif::Vente | Motif::Autre => {}
                    m => v.hors_flux(orientation, m),
                },
            }
        }
    }
    sortie.sort_by(|x: &Mouvement, y: &Mouvement| {
        (x.date_orientation, x.logement).cmp(&(y.date_orientation, y.logement))
    });
    for (k, m) in sortie.iter_mut().enumerate() {
        m.ligne = k as u32 + 2;
    }
    sortie
}

/// Header of the generated file (canonical names of SPEC §7).
pub fn entete() -> String {
    Champ::TOUS.map(Champ::nom).join(";")
}

/// Writes mouvements as a CSV (`;`, UTF-8, LF, dates JJ/MM/AAAA, like the état des lieux
/// generator).
pub fn ecrire(sortie: &mut impl Write, etat: &Dataset, mouvements: &[Mouvement]) -> io::Result<()> {
    let jour = |d: Option<NaiveDate>| d.map_or(String::new(), |d| d.format("%d/%m/%Y").to_string());
    let mut tampon = Vec::with_capacity(1 << 20);
    writeln!(tampon, "{}", entete())?;
    for m in mouvements {
        writeln!(
            tampon,
            "{};{};{};{};{};{};{};{};{};{}",
            etat.rpls.get(m.logement as usize),
            jour(m.date_liberation),
            jour(Some(m.date_orientation)),
            m.reservataire,
            jour(m.date_designation),
            m.issue.code(),
            jour(m.date_bail),
            m.hors_flux.map_or("", Motif::code),
            m.quartile.map_or(String::new(), |q| q.to_string()),
            match m.prioritaire {
                Some(true) => "oui",
                Some(false) => "non",
                None => "",
            },
        )?;
        if tampon.len() > 1 << 20 {
            sortie.write_all(&tampon)?;
            tampon.clear();
        }
    }
    sortie.write_all(&tampon)
}

/// [`mouvements`] then [`ecrire`]; returns the number of rows written.
pub fn generer(
    sortie: &mut impl Write,
    etat: &Dataset,
    annee: i32,
    graine: u64,
) -> io::Result<usize> {
    let m = mouvements(etat, annee, graine);
    ecrire(sortie, etat, &m)?;
    Ok(m.len())
}

/// The parties of one convention and their weights in the orientations.
struct Parties<'e> {
    /// (name, category) — the bailleur is the empty name.
    noms: Vec<(&'e str, Categorie)>,
    poids: Vec<f64>,
}

impl<'e> Parties<'e> {
    fn du_perimetre(etat: &'e Dataset, logements: &[u32], debut: NaiveDate) -> Parties<'e> {
        let jour = debut.num_days_from_ce();
        let mut reserves: Vec<(u32, f64)> = Vec::new();
        let mut assiette = 0usize;
        for &i in logements {
            let i = i as usize;
            if etat.motif[i] != 0 {
                continue;
            }
            assiette += 1;
            let q = etat.partie[i];
            if q == AUCUN {
                continue;
            }
            let c = etat.categorie_partie(q);
            let droit = etat.droit[i];
            let vivante = if droit & DROIT_SIMPLE != 0 {
                droit & DROIT_UTILISE == 0 && etat.fin[i] >= jour
            } else {
                etat.fin[i] == SANS_FIN || etat.fin[i] >= jour
            };
            if c.est_etat() || c == Categorie::NonReserve || !vivante {
                continue;
            }
            let r = etat.parties[q as usize].reservataire;
            match reserves.iter_mut().find(|(x, _)| *x == r) {
                Some((_, n)) => *n += 1.0,
                None => reserves.push((r, 1.0)),
            }
        }
        let total: f64 = reserves.iter().map(|r| r.1).sum::<f64>() / assiette.max(1) as f64;
        let echelle = if total > 0.70 { 0.70 / total } else { 1.0 };
        let mut noms = vec![
            (ETAT_PRIORITAIRES, Categorie::EtatPrioritaires),
            (ETAT_AGENTS, Categorie::EtatAgents),
        ];
        let mut poids = vec![0.25, 0.05];
        for (r, n) in reserves {
            let res = &etat.reservataires[r as usize];
            noms.push((res.nom.as_str(), res.categorie));
            poids.push(n / assiette as f64 * echelle);
        }
        let reste = 1.0 - poids.iter().sum::<f64>();
        noms.push(("", Categorie::Bailleur));
        poids.push(reste.max(0.0));
        Parties { noms, poids }
    }
}

/// One vacancy being let.
struct Vacance<'a, 'e> {
    a: &'a mut Alea,
    etat: &'e Dataset,
    logement: u32,
    liberation: NaiveDate,
    fin: NaiveDate,
    sortie: &'a mut Vec<Mouvement>,
}

impl Vacance<'_, '_> {
    fn plus(&mut self, d: NaiveDate, min: u64, max: u64) -> NaiveDate {
        d + Days::new(min + self.a.entier((max - min + 1) as usize) as u64)
    }

    fn ligne(&mut self, orientation: NaiveDate, partie: &str, issue: Issue) -> Mouvement {
        Mouvement {
            logement: self.logement,
            ligne: 0,
            date_liberation: Some(self.liberation),
            date_orientation: orientation,
            reservataire: partie.to_owned(),
            date_designation: None,
            issue,
            date_bail: None,
            hors_flux: None,
            quartile: None,
            prioritaire: None,
        }
    }

    /// A lease: the household's quartile (Q1 rarer outside QPV) and priority status.
    fn bail(&mut self, mut m: Mouvement, bail: NaiveDate, categorie: Categorie) {
        m.issue = Issue::BailSigne;
        m.date_bail = Some(bail);
        let qpv = self.etat.qpv[self.logement as usize] == 1;
        let q = match qpv {
            true => [0.35, 0.30, 0.22, 0.13],
            false => [0.20, 0.28, 0.28, 0.24],
        };
        if !self.a.vrai(0.05) {
            m.quartile = Some(self.a.choisir(&q) as u8 + 1);
        }
        let p = match categorie {
            Categorie::EtatPrioritaires => 0.9,
            Categorie::EtatAgents => 0.05,
            Categorie::ActionLogement => 0.15,
            Categorie::Commune | Categorie::Epci => 0.3,
            _ => 0.2,
        };
        if !self.a.vrai(0.05) {
            m.prioritaire = Some(self.a.vrai(p));
        }
        self.sortie.push(m);
    }

    /// The bailleur lets the logement itself on `date` (orientation = lease), if still this year.
    fn bailleur(&mut self, date: NaiveDate) {
        if date <= self.fin {
            let m = self.ligne(date, "", Issue::BailSigne);
            self.bail(m, date, Categorie::Bailleur);
        }
    }

    fn hors_flux(&mut self, date: NaiveDate, motif: Motif) {
        let i = self.logement as usize;
        // Logements kept in stock by a ministry or a hospital are let by it.
        let q = self.etat.partie[i];
        let partie = match motif {
            Motif::Defense | Motif::SecuriteInterieure | Motif::Sante if q != AUCUN => {
                let r = self.etat.parties[q as usize].reservataire;
                self.etat.reservataires[r as usize].nom.clone()
            }
            _ => String::new(),
        };
        let mut m = self.ligne(date, &partie, Issue::BailSigne);
        m.hors_flux = Some(motif);
        self.bail(m, date, Categorie::Bailleur);
    }

    /// Orientations of the vacancy from `t` until a lease, a refusal handed back to the bailleur,
    /// or the end of the year.
    fn orienter(&mut self, mut t: NaiveDate, parties: &Parties) {
        for _ in 0..3 {
            if t > self.fin {
                return;
            }
            let (nom, categorie) = parties.noms[self.a.choisir(&parties.poids)];
            let mut m = self.ligne(t, nom, Issue::EnCours);
            if categorie == Categorie::Bailleur {
                if self.a.vrai(0.07) {
                    m.issue = Issue::RefusCaleol;
                    self.sortie.push(m);
                    t = self.plus(t, 7, 20);
                    continue;
                }
                return self.bail(m, t, categorie);
            }
            if self.a.vrai(0.06) && self.plus(t, 30, 30) <= self.fin {
                m.issue = Issue::NonDesigne;
                self.sortie.push(m);
                let relocation = self.plus(t, 31, 45);
                return self.bailleur(relocation);
            }
            let designation = self.plus(t, 5, 44);
            if designation > self.fin {
                return self.sortie.push(m);
            }
            m.date_designation = Some(designation);
            let x = self.a.reel();
            if x < 0.78 {
                let bail = self.plus(designation, 7, 40);
                return match bail > self.fin {
                    true => self.sortie.push(m),
                    false => self.bail(m, bail, categorie),
                };
            }
            if x < 0.88 {
                m.issue = Issue::RefusMenage;
                self.sortie.push(m);
                let relocation = self.plus(designation, 5, 20);
                return self.bailleur(relocation);
            }
            m.issue = Issue::RefusCaleol;
            self.sortie.push(m);
            let commission = self.plus(designation, 5, 15);
            t = self.plus(commission, 1, 10);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::mouvements::{lire, OptionsMouvements};
    use crate::import::OptionsLecture;

    fn etat(logements: usize, bailleurs: usize) -> Dataset {
        let mut f = Vec::new();
        super::super::generer(&mut f, logements, bailleurs, 2026).unwrap();
        crate::import::lire(&f, &OptionsLecture::default())
            .unwrap()
            .dataset
    }

    /// Same inputs, same bytes; another seed or year, another file.
    #[test]
    fn same_seed_same_file() {
        let ds = etat(1500, 2);
        let gen = |annee, graine| {
            let mut v = Vec::new();
            generer(&mut v, &ds, annee, graine).unwrap();
            v
        };
        assert_eq!(gen(2026, 7), gen(2026, 7));
        assert_ne!(gen(2026, 7), gen(2026, 8));
        assert_ne!(gen(2026, 7), gen(2027, 7));
    }

    /// The file reads back with no reject and no warning, into exactly the mouvements generated;
    /// every issue is present, and the volume is about τ × assiette.
    #[test]
    fn reads_back_exactly_with_a_plausible_mix() {
        let ds = etat(4000, 2);
        let m = mouvements(&ds, 2026, 1);
        let mut f = Vec::new();
        ecrire(&mut f, &ds, &m).unwrap();
        let imp = lire(&f, &OptionsMouvements::default(), &ds).unwrap();
        assert!(
            imp.rejets.is_empty(),
            "{:?}",
            &imp.rejets[..imp.rejets.len().min(5)]
        );
        assert!(
            imp.avertissements.is_empty(),
            "{:?}",
            &imp.avertissements[..imp.avertissements.len().min(5)]
        );
        assert_eq!(imp.mouvements, m);
        for issue in Issue::TOUTES {
            assert!(m.iter().any(|m| m.issue == issue), "{issue:?}");
        }
        let vacances = m
            .iter()
            .map(|m| (m.logement, m.date_liberation))
            .collect::<FxHashSet<_>>()
            .len();
        assert!(
            (200..=300).contains(&vacances),
            "{vacances} vacances pour ≈ 4 000 × 6,3 %"
        );
        let baux = m.iter().filter(|m| m.issue == Issue::BailSigne).count();
        assert!(
            baux * 10 > m.len() * 6,
            "surtout des baux : {baux} sur {}",
            m.len()
        );
        assert!(m.iter().any(|m| m.hors_flux.is_some()));
        assert!(m.iter().any(|m| m.reservataire == ETAT_PRIORITAIRES));
        assert!(m.iter().any(|m| m.reservataire.is_empty()));
        assert!(m
            .iter()
            .any(|m| !m.reservataire.is_empty() && !m.reservataire.starts_with("Etat")));
        assert!(m.iter().all(|m| m.date_orientation.year() == 2026));
    }
}

//! Properties of the follow-up (SPEC §7) over random états des lieux and random years of
//! mouvements: per convention and year, counted ≤ orientations; one vacancy counts at most once,
//! and the counts over the parties are the vacancies that ended in a count; remaining volume =
//! V_r − what was deducted (never negative, an excess reported, not hidden); objectives never
//! negative; hors-flux rows never count.

use chrono::NaiveDate;
use gestion_flux::domain::model::Motif;
use gestion_flux::domain::parametres::Decompte;
use gestion_flux::domain::suivi::{preparer, suivre, suivre_prepare, Issue, Mouvement};
use gestion_flux::domain::{calculer, Parametres, Role};
use gestion_flux::import::lire_csv;
use proptest::prelude::*;

const PARTIES: [&str; 5] = ["", "Action Logement", "Ville", "Etat - prioritaires", "Etat - agents"];

fn etat_des_lieux(n: usize) -> String {
    let mut s = String::from("rpls;bailleur;commune;reservataire;categorie;date_fin;qpv\n");
    for i in 0..n {
        let (r, c) = match i % 5 {
            0 => ("Action Logement", "action_logement"),
            1 => ("Ville", "commune"),
            _ => ("", ""),
        };
        let commune = if i % 2 == 0 { "93048" } else { "94028" };
        s.push_str(&format!("L{i};B;{commune};{r};{c};31/12/2040;{}\n", if i % 3 == 0 { "oui" } else { "non" }));
    }
    s
}

#[derive(Clone, Debug)]
struct M {
    logement: u32,
    jour: u32,
    partie: usize,
    issue: usize,
    hors: bool,
    designe: bool,
    quartile: Option<u8>,
}

fn mouvement() -> impl Strategy<Value = M> {
    (0u32..60, 0u32..700, 0..PARTIES.len(), 0..5usize, prop::bool::weighted(0.1), any::<bool>(), prop::option::of(1u8..=4)).prop_map(
        |(logement, jour, partie, issue, hors, designe, quartile)| M { logement, jour, partie, issue, hors, designe, quartile },
    )
}

fn vers(m: &M, ligne: u32) -> Mouvement {
    let date = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(u64::from(m.jour));
    let issue = Issue::TOUTES[m.issue];
    Mouvement {
        logement: m.logement,
        ligne,
        date_liberation: None,
        date_orientation: date,
        reservataire: PARTIES[m.partie].into(),
        date_designation: m.designe.then_some(date + chrono::Days::new(12)),
        issue,
        date_bail: (issue == Issue::BailSigne).then_some(date + chrono::Days::new(20)),
        hors_flux: m.hors.then_some(Motif::Mutation),
        quartile: m.quartile,
        prioritaire: Some(m.jour % 3 == 0),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    #[test]
    fn counts_volumes_and_objectives_hold(ms in proptest::collection::vec(mouvement(), 0..120), mode in 0..3usize, report in any::<bool>(), conversion in 2024i32..=2026) {
        let ds = lire_csv(etat_des_lieux(60).as_bytes()).unwrap().dataset;
        let mut p = Parametres { date_conversion: NaiveDate::from_ymd_opt(conversion, 1, 1).unwrap(), ..Default::default() };
        p.suivi.decompte = Decompte::TOUS[mode];
        p.suivi.report_ecarts = report;
        let r = calculer(&ds, &p);
        let mouvements: Vec<Mouvement> = ms.iter().enumerate().map(|(i, m)| vers(m, i as u32 + 2)).collect();
        let s = suivre(&ds, &p, &r, &mouvements);
        prop_assert_eq!(s.lignes.len(), mouvements.len());
        // Hors-flux rows never count; a row counts or is pending, not both.
        for (l, m) in s.lignes.iter().zip(&mouvements) {
            prop_assert!(!(l.compte && m.hors_flux.is_some()));
            prop_assert!(!(l.compte && l.en_attente));
        }
        // One vacancy counts at most once.
        for v in gestion_flux::domain::suivi::decompte::vacances(&mouvements) {
            prop_assert!(v.iter().filter(|&&i| s.lignes[i].compte).count() <= 1);
        }
        for c in &s.conventions {
            let per = &r.perimetres[c.perimetre];
            let mut deduit = vec![0.0; per.parts.len()];
            // Years before the first followed one are deducted as projected.
            if let Some(&premiere) = s.annees.first() {
                for l in per.etalement.lignes.iter().filter(|l| l.annee < premiere) {
                    deduit[l.partie as usize] += l.offerts;
                }
            }
            for a in &c.annees {
                prop_assert!(a.decomptes_total <= a.orientations);
                prop_assert_eq!(a.decomptes_total, a.parties.iter().map(|x| x.decomptes).sum::<u32>());
                prop_assert_eq!(a.vacances_decomptees, a.decomptes_total);
                // The convention's monthly pace is the parties' added up, and ends at the year's count.
                for m in 0..12 {
                    prop_assert_eq!(a.cumul_mensuel[m], a.parties.iter().map(|x| x.cumul_mensuel[m]).sum::<u32>());
                }
                prop_assert_eq!(a.cumul_mensuel[11], a.decomptes_total);
                for (k, x) in a.parties.iter().enumerate() {
                    prop_assert!(x.objectif >= 0.0 && x.objectif_etalement >= 0.0);
                    prop_assert!(x.cumul_mensuel.windows(2).all(|w| w[0] <= w[1]) && x.cumul_mensuel[11] == x.decomptes);
                    deduit[k] += f64::from(x.decomptes);
                    if per.parts[k].role == Role::Reservataire {
                        let v = x.volume_restant.unwrap();
                        prop_assert!(v >= 0.0 && x.exces >= 0.0);
                        // Remaining = V − deducted, never below 0, the excess reported.
                        let attendu = per.parts[k].volume_droits - deduit[k];
                        prop_assert!((v - attendu.max(0.0)).abs() < 1e-6 || s.annees.windows(2).any(|w| w[1] != w[0] + 1), "V {} − {} ≠ {v}", per.parts[k].volume_droits, deduit[k]);
                    } else {
                        prop_assert!(x.volume_restant.is_none());
                    }
                }
            }
            prop_assert!(c.objectifs_suivants.iter().all(|o| *o >= 0.0));
        }
        // One convention computed alone (a page showing it) is the same as in the whole follow-up.
        let prep = preparer(&ds, &r, &mouvements);
        prop_assert_eq!(&prep.annees, &s.annees);
        for i in 0..r.perimetres.len() {
            let seule = suivre_prepare(&ds, &p, &r, &mouvements, &prep, Some(&[i]));
            prop_assert_eq!(&seule.conventions[i], &s.conventions[i]);
            for (a, b) in seule.lignes.iter().zip(&s.lignes) {
                prop_assert!(a.perimetre != i || a == b);
            }
        }
    }
}

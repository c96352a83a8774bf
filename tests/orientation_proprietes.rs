//! Property of the orientation aid (SPEC §8): over a simulated year where the bailleur always
//! follows the first proposal, every party ends within one logement of its yearly objective (the
//! aid actually steers towards the objectives), and no party exceeds its programme cap.

use chrono::{Days, NaiveDate};
use gestion_flux::domain::orientation::{Contexte, Vacance};
use gestion_flux::domain::suivi::suivre;
use gestion_flux::domain::{calculer, Parametres, Role};
use gestion_flux::import::lire_csv;
use proptest::prelude::*;

/// One convention over several communes (the État's objectives are per commune): réservataires
/// with random numbers of reserved logements, the rest unreserved, some logements in programmes.
fn csv(reserves: &[usize], libres: usize, programmes: usize, communes: usize) -> String {
    const COMMUNES: [&str; 5] = ["93048", "93066", "93010", "93055", "93005"];
    let mut s = String::from("rpls;bailleur;commune;programme;reservataire;categorie;date_fin\n");
    for (k, &n) in reserves.iter().enumerate() {
        for i in 0..n {
            s.push_str(&format!("R{k}-{i};B;{};;Réservataire {k};autre;31/12/2060\n", COMMUNES[i % communes]));
        }
    }
    for i in 0..libres {
        let programme = if programmes > 0 { format!("P{}", i % programmes) } else { String::new() };
        s.push_str(&format!("N{i};B;{};{programme};;;\n", COMMUNES[(i / 3) % communes]));
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn following_the_aid_reaches_every_objective(reserves in proptest::collection::vec(1usize..60, 1..6), libres in 200usize..900, programmes in 0usize..4, communes in 1usize..=5, graine in any::<u64>()) {
        let ds = lire_csv(csv(&reserves, libres, programmes, communes).as_bytes()).unwrap().dataset;
        let p = Parametres { date_conversion: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), ..Default::default() };
        let r = calculer(&ds, &p);
        let s = suivre(&ds, &p, &r, &[]);
        let mut c = Contexte::new(&ds, &p, &r, &[], &s);
        let per = &r.perimetres[0];
        // The year's whole logements (T(1)), vacancies spread over the year, on random logements.
        let n: usize = per.etalement.logements_annee[0] as usize;
        let mut x = graine | 1;
        let mut hasard = || { x ^= x << 13; x ^= x >> 7; x ^= x << 17; x };
        let debut = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let vacances: Vec<Vacance> = (0..n)
            .map(|j| Vacance {
                logement: (hasard() % ds.len() as u64) as u32,
                date: debut + Days::new((j as u64 * 364) / n.max(1) as u64),
                ligne: j as u32 + 2,
            })
            .collect();
        let aides = c.orienter_liste(&vacances);
        for (k, x) in per.parts.iter().enumerate() {
            let objectif: f64 = per.etalement.lignes.iter().filter(|l| l.annee == 2026 && l.partie as usize == k).map(|l| l.offerts).sum();
            let recues = aides.iter().filter(|a| a.premiere().map(|q| q.partie) == Some(k)).count() as f64;
            if programmes == 0 {
                prop_assert!((recues - objectif).abs() <= 1.0 + 1e-9, "{}: {recues} received, objective {objectif}", x.reservataire);
            }
            if programmes > 0 && x.role != Role::Bailleur {
                // Per programme, never more than its share of the programme's vacancies, rounded up.
                for q in 0..programmes {
                    let nom = format!("P{q}");
                    let du_programme: Vec<_> = aides.iter().filter(|a| a.programme.as_deref() == Some(nom.as_str())).collect();
                    let siennes = du_programme.iter().filter(|a| a.premiere().map(|q| q.partie) == Some(k)).count();
                    let plafond = (x.part * du_programme.len() as f64 - 1e-9).ceil() as usize;
                    prop_assert!(siennes <= plafond, "{} has {siennes} of {} vacancies of {nom}, cap {plafond}", x.reservataire, du_programme.len());
                }
            }
        }
    }
}

//! Timings of what the page « Orienter un logement » runs, natively, on the benchmark file: the
//! search, the aid's situation built once, one logement ranked, the deadlines, 10 000 vacancies
//! (with every party's reason, as `flux orienter` writes them, and with the proposal's only, as the
//! page shows them).
//! `FLUX_BENCH_FICHIER=/tmp/gestion-flux-bench/idf-1400000.csv FLUX_BENCH_MOUVEMENTS=/tmp/gestion-flux-bench/mouvements-1400000.csv
//! cargo test --release --test orienter_vitesse -- --ignored --nocapture` (without the files, they
//! are generated: 1.4 M logements, 150 bailleurs, seed 2026; mouvements of 2026, seed 1).

use std::time::Instant;

use chrono::NaiveDate;
use gestion_flux::domain::orientation::{Contexte, Situation, Vacance};
use gestion_flux::domain::recherche::chercher;
use gestion_flux::import::{self, OptionsLecture};

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

/// CPU time of this thread, in ms (Linux: /proc/thread-self/schedstat; 0 elsewhere): on a machine
/// shared with other builds, wall time says little.
fn cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat").ok().and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok()).map_or(0.0, |ns| ns / 1e6)
}

/// Runs `f`, returns its result, wall and CPU milliseconds.
fn chrono<T>(f: impl FnOnce() -> T) -> (T, f64, f64) {
    let (t, c) = (Instant::now(), cpu_ms());
    let x = f();
    (x, ms(t), cpu_ms() - c)
}

#[test]
#[ignore]
fn vitesse() {
    let etat = match std::env::var("FLUX_BENCH_FICHIER") {
        Ok(f) => std::fs::read(f).unwrap(),
        Err(_) => {
            let mut v = Vec::new();
            gestion_flux::generate::generer(&mut v, 1_400_000, 150, 2026).unwrap();
            v
        }
    };
    let ds = import::lire(&etat, &OptionsLecture::default()).unwrap().dataset;
    drop(etat);
    let p = gestion_flux::domain::Parametres { date_conversion: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), ..Default::default() };
    let geo = gestion_flux::geo::Geographie::officielle();
    let r = gestion_flux::domain::calculer_avec(&ds, &p, Some(geo));
    let mouvements = match std::env::var("FLUX_BENCH_MOUVEMENTS") {
        Ok(f) => import::mouvements::lire(&std::fs::read(f).unwrap(), &Default::default(), &ds).unwrap().mouvements,
        Err(_) => gestion_flux::generate::mouvements::mouvements(&ds, 2026, 1),
    };
    let s = gestion_flux::domain::suivi::suivre(&ds, &p, &r, &mouvements);
    let mut lignes = Vec::new();
    for (nom, q) in [("rpls entier", ds.rpls.get(700_001).to_owned()), ("rpls partiel", ds.rpls.get(700_001)[..6].to_owned()), ("commune", "93048".into()), ("nom de commune", "montreuil".into()), ("rien", "zz-rien".into())] {
        let (x, t, c) = chrono(|| chercher(&ds, &q, Some(geo), 10));
        lignes.push(format!("recherche {nom} « {q} » : {t:.1} ms (CPU {c:.1} ms ; {} trouvés)", x.total));
    }
    let (situation, t, c) = chrono(|| Situation::new(&ds, &p, &r, &mouvements, &s));
    lignes.push(format!("Situation::new : {t:.0} ms (CPU {c:.0} ms)"));
    let jour = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
    let mut seules: Vec<f64> = (0..50u32)
        .map(|k| {
            let v = Vacance { logement: (k * 27_983) % ds.len() as u32, date: jour, ligne: 0 };
            let t = Instant::now();
            std::hint::black_box(Contexte::avec(&ds, &p, &r, &situation).orienter(v));
            ms(t)
        })
        .collect();
    seules.sort_by(f64::total_cmp);
    lignes.push(format!("un logement : médiane {:.3} ms, max {:.3} ms", seules[25], seules[49]));
    let (a, t, c) = chrono(|| Contexte::avec(&ds, &p, &r, &situation).attentes(&mouvements, &s, jour));
    lignes.push(format!("attentes : {t:.1} ms (CPU {c:.1} ms ; {})", a.len()));
    let vacances: Vec<Vacance> = (0..10_000usize)
        .map(|k| Vacance { logement: ((k * 7919 * 17) % ds.len()) as u32, date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new((k * 365 / 10_000) as u64), ligne: k as u32 + 2 })
        .collect();
    let fois: usize = std::env::var("FLUX_BENCH_LISTES").ok().and_then(|n| n.parse().ok()).unwrap_or(1);
    for _ in 0..fois {
        let (aides, t, c) = chrono(|| Contexte::avec(&ds, &p, &r, &situation).orienter_liste(&vacances));
        lignes.push(format!("10 000 vacances : {t:.0} ms (CPU {c:.0} ms ; {} aides)", aides.len()));
        let (aides, t, c) = chrono(|| Contexte::avec(&ds, &p, &r, &situation).raison_de_la_proposition_seule().orienter_liste(&vacances));
        lignes.push(format!("10 000 vacances, raison de la proposition seule : {t:.0} ms (CPU {c:.0} ms ; {} aides)", aides.len()));
    }
    println!("{} logements, {} mouvements\n{}", ds.len(), mouvements.len(), lignes.join("\n"));
}

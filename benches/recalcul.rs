//! Timings of the engine on a generated Île-de-France file (plain binary, `harness = false`).
//!
//! ```text
//! cargo bench --bench recalcul                       # 1.4 M logements, 150 bailleurs (generated once)
//! FLUX_BENCH_FICHIER=/tmp/x.csv cargo bench --bench recalcul
//! FLUX_BENCH_LOGEMENTS=200000 cargo bench --bench recalcul
//! ```
//! Prints the import time, then for each parameter change the time to recompute every result
//! (`calculer`: shares, étalement, objectives, communal view), then the time to write each export
//! in memory. Each figure is the median of several runs.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use gestion_flux::domain::model::{Motif, Segment};
use gestion_flux::domain::parametres::{Arrondi, MethodePart, ModeRotation};
use gestion_flux::domain::{calculer, Parametres};
use gestion_flux::{export, generate, import};

fn median(mut f: impl FnMut() -> Duration, n: usize) -> Duration {
    let mut t: Vec<Duration> = (0..n).map(|_| f()).collect();
    t.sort();
    t[n / 2]
}

fn ms(d: Duration) -> String {
    format!("{:8.1} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let logements: usize = std::env::var("FLUX_BENCH_LOGEMENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_400_000);
    let fichier = std::env::var("FLUX_BENCH_FICHIER")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target");
            dir.join(format!("bench-idf-{logements}.csv"))
        });
    if !fichier.exists() {
        eprintln!("génération de {} …", fichier.display());
        let mut w =
            std::io::BufWriter::new(std::fs::File::create(&fichier).expect("fichier de bench"));
        generate::generer(&mut w, logements, 150, 2026).expect("génération");
    }
    let octets = std::fs::read(&fichier).expect("lecture");
    println!(
        "fichier {} : {:.1} Mo",
        fichier.display(),
        octets.len() as f64 / 1e6
    );

    let t = Instant::now();
    let imp = import::lire_csv(&octets).expect("import");
    println!(
        "import CSV (lire_csv)          {}  ({} lignes, {} périmètres, {} cellules)",
        ms(t.elapsed()),
        imp.lignes_lues,
        imp.dataset.perimetres.len(),
        imp.dataset.cellules.len()
    );
    drop(octets);

    let base = Parametres {
        date_conversion: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        ..Default::default()
    };
    let mut variantes: Vec<(&str, Parametres)> = vec![("paramètres par défaut", base.clone())];
    let mut p = base.clone();
    p.rotation.mode = ModeRotation::Observe;
    variantes.push(("rotation observée", p));
    let mut p = base.clone();
    p.rotation.mode = ModeRotation::ParSegment;
    p.rotation.par_segment.cle = Segment::Typologie;
    p.rotation.par_segment.taux = [("T1".into(), 0.09), ("T4".into(), 0.05)].into();
    variantes.push(("rotation par typologie", p));
    let mut p = base.clone();
    p.methode_part = MethodePart::Annualisation;
    variantes.push(("annualisation", p));
    let mut p = base.clone();
    p.arrondi = Arrondi::Report;
    variantes.push(("arrondi report", p));
    let mut p = base.clone();
    p.exclusions.insert(Motif::Vente, false);
    variantes.push(("vente remise dans l'assiette", p));

    for (nom, p) in &variantes {
        let calcul = median(
            || {
                let t = Instant::now();
                std::hint::black_box(calculer(&imp.dataset, p));
                t.elapsed()
            },
            7,
        );
        println!("recalcul : {nom:<28} {}", ms(calcul));
    }

    // The statistical secret on the view the command line publishes: with the official
    // geography, EPCI/EPT rows and their relations make the large groups the audit solves.
    let r_geo = gestion_flux::domain::calculer_avec(&imp.dataset, &base, Some(gestion_flux::geo::Geographie::officielle()));
    let secret = median(
        || {
            let t = Instant::now();
            std::hint::black_box(gestion_flux::domain::secret::masquer(&r_geo.communes, base.secret_statistique));
            t.elapsed()
        },
        5,
    );
    println!("secret statistique (vue avec EPCI/EPT)    {}", ms(secret));
    drop(r_geo);

    let r = calculer(&imp.dataset, &base);
    let c = export::Comptage::default();
    let exports: [(&str, &dyn Fn() -> usize); 4] = [
        ("synthese.json", &|| export::synthese_json(c, &r).len()),
        ("communes.csv", &|| {
            export::vue_csv(&r.communes.communes, "commune", &gestion_flux::domain::secret::masquer(&r.communes, 5).communes).len()
        }),
        ("etalement.csv", &|| export::etalement_csv(&r).len()),
        ("objectifs.csv", &|| {
            export::objectifs_csv(&r).len()
        }),
    ];
    for (nom, f) in exports {
        let mut taille = 0;
        let t = median(
            || {
                let t = Instant::now();
                taille = std::hint::black_box(f());
                t.elapsed()
            },
            5,
        );
        println!(
            "export en mémoire : {nom:<19} {}  ({:.1} Mo)",
            ms(t),
            taille as f64 / 1e6
        );
    }
}

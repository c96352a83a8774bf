//! « A dossier that lasts » (SPEC §7): a dossier written by version 1 of the format — committed
//! as `tests/fixtures/dossier-v1.zip` — must keep opening, with the same numbers, in every later
//! version. `FLUX_DOSSIER_MAJ=1 cargo test --test dossier` writes it (only when the format's
//! version changes: then add a new fixture and keep the old one).

use std::path::Path;

use gestion_flux::domain::suivi::suivre;
use gestion_flux::domain::{calculer, Parametres};
use gestion_flux::dossier::{self, Dossier, Fichier};
use gestion_flux::import;

fn chemin() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dossier-v1.zip")
}

/// What the version-1 dossier holds: the demo état des lieux and its 2026 mouvements, parameters
/// set away from the defaults, two scenarios.
fn dossier_v1() -> Dossier {
    let racine = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lire = |f: &str| std::fs::read(racine.join(f)).unwrap();
    let parametres = Parametres::depuis_json(
        r#"{"date_conversion": "2026-01-01", "rotation": {"taux_unique": 0.07}, "arrondi": "cumul", "suivi": {"decompte": "bail"}}"#,
    )
    .unwrap();
    Dossier {
        parametres,
        scenarios: vec![
            dossier::Scenario { nom: "A".into(), parametres: serde_json::json!({"date_conversion": "2026-01-01", "rotation": {"taux_unique": 0.07}}) },
            dossier::Scenario { nom: "B".into(), parametres: serde_json::json!({"date_conversion": "2026-01-01", "rotation": {"mode": "observe"}}) },
        ],
        etat_des_lieux: Some(Fichier { nom: "etat-des-lieux-demo.csv".into(), octets: lire("public/demo/etat-des-lieux-demo.csv"), feuille: None, colonnes: None }),
        mouvements: vec![Fichier { nom: "mouvements-demo.csv".into(), octets: lire("public/demo/mouvements-demo.csv"), feuille: None, colonnes: None }],
    }
}

#[test]
fn a_version_1_dossier_still_opens_with_the_same_numbers() {
    if std::env::var_os("FLUX_DOSSIER_MAJ").is_some() {
        std::fs::write(chemin(), dossier::ecrire(&dossier_v1())).unwrap();
    }
    let octets = std::fs::read(chemin()).expect("tests/fixtures/dossier-v1.zip");
    let d = dossier::lire(&octets).unwrap();
    assert_eq!(d.scenarios.len(), 2);
    assert_eq!(d.parametres.rotation.taux_unique, 0.07);
    let etat = d.etat_des_lieux.as_ref().unwrap();
    assert_eq!(etat.nom, "etat-des-lieux-demo.csv");
    let imp = import::lire(&etat.octets, &import::OptionsLecture::default()).unwrap();
    let r = calculer(&imp.dataset, &d.parametres);
    let m = import::mouvements::lire(&d.mouvements[0].octets, &Default::default(), &imp.dataset).unwrap();
    let s = suivre(&imp.dataset, &d.parametres, &r, &m.mouvements);
    // The numbers of version 1, written down when the fixture was made.
    assert_eq!((imp.dataset.len(), r.perimetres.len(), m.mouvements.len()), (4000, 6, 270));
    assert_eq!(s.annees, [2026]);
    let decomptes: u32 = s.conventions.iter().flat_map(|c| &c.annees).map(|a| a.decomptes_total).sum();
    let attendu = std::fs::read_to_string(chemin().with_extension("decomptes")).ok();
    if std::env::var_os("FLUX_DOSSIER_MAJ").is_some() {
        std::fs::write(chemin().with_extension("decomptes"), decomptes.to_string()).unwrap();
    } else {
        assert_eq!(attendu.as_deref().map(str::trim), Some(decomptes.to_string().as_str()), "counted under `bail`");
    }
}

/// What is written is what is read, byte for byte, with today's code.
#[test]
fn a_dossier_reads_back_as_written() {
    let d = dossier_v1();
    assert_eq!(dossier::lire(&dossier::ecrire(&d)).unwrap(), d);
}

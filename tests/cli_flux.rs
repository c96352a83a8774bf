//! The `flux` command line (SPEC §6): keys and columns of the outputs, exit codes, `generer`. The
//! golden files of the small fixture are a case of `tests/cas/`, run by `tests/cas.rs` (after an
//! intended change of the outputs: `FLUX_GOLDEN_MAJ=1 cargo test --test cas`, review the diff).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FLUX: &str = env!("CARGO_BIN_EXE_flux");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cas/golden")
}

/// A fresh scratch directory under the target directory.
fn scratch(nom: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(nom);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn flux(args: &[&str]) -> Output {
    Command::new(FLUX)
        .args(args)
        .output()
        .expect("flux exécutable")
}

#[test]
fn synthese_has_the_keys_of_the_spec() {
    let sortie = scratch("cles");
    let out = flux(&[
        fixtures().join("etat_des_lieux.csv").to_str().unwrap(),
        "--sortie",
        sortie.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sortie.join("synthese.json")).unwrap()).unwrap();
    for k in [
        "lignes_lues",
        "lignes_retenues",
        "lignes_rejetees",
        "perimetres",
    ] {
        assert!(v.get(k).is_some(), "{k}");
    }
    let lues = v["lignes_lues"].as_u64().unwrap();
    assert_eq!(
        lues,
        v["lignes_retenues"].as_u64().unwrap() + v["lignes_rejetees"].as_u64().unwrap()
    );
    let p = &v["perimetres"][0];
    for k in [
        "bailleur",
        "departement",
        "logements",
        "assiette",
        "hors_assiette",
        "flux_annuel",
        "parts",
    ] {
        assert!(p.get(k).is_some(), "{k}");
    }
    let parts = p["parts"].as_array().unwrap();
    assert_eq!(parts[0]["reservataire"], "Etat - prioritaires");
    assert_eq!(parts[1]["categorie"], "etat_agents");
    assert_eq!(parts.last().unwrap()["categorie"], "bailleur");
    assert_eq!(parts.last().unwrap()["reservataire"], p["bailleur"]);
    for k in [
        "reservataire",
        "categorie",
        "logements_reserves",
        "volume_droits",
        "part",
        "logements_par_an",
        "annees_epuisement",
        "annees_nommees",
    ] {
        assert!(parts[0].get(k).is_some(), "{k}");
    }
    // SPEC §6 v2: calendar years, the category next to the name, the exact amounts.
    let etalement = std::fs::read_to_string(sortie.join("etalement.csv")).unwrap();
    assert!(etalement.starts_with(
        "\u{feff}bailleur;departement;annee;reservataire;categorie;logements_offerts;volume_restant;logements_exacts\r\n"
    ), "{}", etalement.lines().next().unwrap());
    let annee = v["premiere_annee"].as_i64().unwrap();
    let deuxieme = etalement.lines().nth(1).unwrap();
    assert!(deuxieme.contains(&format!(";{annee};Etat - prioritaires;etat_prioritaires;")), "{deuxieme}");
    let communes = std::fs::read_to_string(sortie.join("communes.csv")).unwrap();
    let entete = communes.lines().next().unwrap();
    for k in [
        "commune",
        "nom",
        "logements",
        "assiette",
        "liberations_annuelles",
        "reserves_action_logement",
        "volume_commune",
    ] {
        assert!(
            entete
                .split(';')
                .any(|c| c.trim_start_matches('\u{feff}') == k),
            "{k}"
        );
    }
    assert!(std::fs::read_to_string(sortie.join("rejets.csv"))
        .unwrap()
        .starts_with("\u{feff}ligne;colonne;motif"));
}

/// Runs `flux` expecting exit status 2 and a message containing `attendu`.
fn echoue(args: &[&str], attendu: &str) {
    let out = flux(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(message.contains(attendu), "{message}");
}

#[test]
fn exit_code_2_names_the_problem() {
    let sortie = scratch("erreurs");
    let s = sortie.to_str().unwrap();
    echoue(&["/nulle/part.csv", "--sortie", s], "/nulle/part.csv");

    let params = sortie.join("p.json");
    let entree = fixtures().join("etat_des_lieux.csv");
    let avec_parametres = [
        entree.to_str().unwrap(),
        "--parametres",
        params.to_str().unwrap(),
        "--sortie",
        s,
    ];
    std::fs::write(&params, r#"{"etat": {"part_totale": 0.35}}"#).unwrap();
    echoue(&avec_parametres, "etat.part_totale");
    std::fs::write(&params, r#"{"rotation": {"mode": "au_hasard"}}"#).unwrap();
    echoue(&avec_parametres, "au_hasard");

    let sans_commune = sortie.join("sans_commune.csv");
    std::fs::write(&sans_commune, "rpls;bailleur\nA;B\n").unwrap();
    echoue(&[sans_commune.to_str().unwrap(), "--sortie", s], "commune");
    echoue(&[entree.to_str().unwrap()], "--sortie");
}

#[test]
fn generer_is_deterministic_and_readable() {
    let d = scratch("generer");
    let fichier = |nom: &str, graine: &str| {
        let f = d.join(nom);
        let out = flux(&[
            "generer",
            "--logements",
            "2000",
            "--bailleurs",
            "4",
            "--graine",
            graine,
            "--sortie",
            f.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::read(f).unwrap()
    };
    let a = fichier("a.csv", "7");
    assert_eq!(a, fichier("b.csv", "7"));
    assert_ne!(a, fichier("c.csv", "8"));
    let out = flux(&[
        d.join("a.csv").to_str().unwrap(),
        "--sortie",
        d.join("sortie").to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("sortie/synthese.json")).unwrap()).unwrap();
    assert_eq!(
        (v["lignes_lues"].as_u64(), v["lignes_rejetees"].as_u64()),
        (Some(2000), Some(0))
    );
}

/// `--profil exports` (issue 14): every bailleur in the 8 départements, read back without reject;
/// an unknown profile is refused (exit 2).
#[test]
fn generer_profil_exports() {
    let d = scratch("generer_profil");
    let f = d.join("exports.csv");
    let args = |profil: &'static str| {
        [
            "generer", "--profil", profil, "--logements", "3000", "--bailleurs", "3", "--graine",
            "5", "--sortie", f.to_str().unwrap(),
        ]
        .map(str::to_owned)
    };
    let out = flux(&args("exports").each_ref().map(String::as_str));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = flux(&[f.to_str().unwrap(), "--sortie", d.join("sortie").to_str().unwrap()]);
    assert!(out.status.success());
    let v = synthese(&d.join("sortie"));
    assert_eq!((v["lignes_lues"].as_u64(), v["lignes_rejetees"].as_u64()), (Some(3000), Some(0)));
    assert_eq!(v["perimetres"].as_array().map(Vec::len), Some(24));
    let out = flux(&args("reel").each_ref().map(String::as_str));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--profil attend « defaut » ou « exports », pas « reel »"));
}

fn corpus(nom: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/import_corpus")
        .join(nom)
        .to_str()
        .unwrap()
        .to_owned()
}

fn synthese(dossier: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dossier.join("synthese.json")).unwrap()).unwrap()
}

#[test]
fn workbooks_and_sheet_choice() {
    let d = scratch("classeurs");
    let sortie = d.join("sortie");
    let s = sortie.to_str().unwrap();
    let out = flux(&[&corpus("formules_fusions.xlsx"), "--sortie", s]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("classeur XLSX, feuille « Parc »"));
    let v = synthese(&sortie);
    assert_eq!((v["lignes_lues"].as_u64(), v["lignes_rejetees"].as_u64()), (Some(8), Some(2)));
    let rejets = std::fs::read_to_string(sortie.join("rejets.csv")).unwrap();
    assert!(rejets.contains("6;commune;cellule en erreur « #N/A » : formule à corriger dans le tableur"));

    let out = flux(&[&corpus("classeur.ods"), "--sortie", s]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(synthese(&sortie)["lignes_lues"].as_u64(), Some(4));

    let feuilles = corpus("plusieurs_feuilles.xlsx");
    let out = flux(&[&feuilles, "--feuille", "Parc", "--sortie", s]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(synthese(&sortie)["lignes_retenues"].as_u64(), Some(2));
    echoue(
        &[&feuilles, "--feuille", "Stock", "--sortie", s],
        "feuille « Stock » introuvable ; feuilles du classeur : « Lisez-moi », « Parc », « Vide »",
    );
    echoue(&[&feuilles, "--sortie", s], "colonne(s) obligatoire(s) introuvable(s) : commune");
    echoue(&[&feuilles, "--feuille", "Vide", "--sortie", s], "la feuille « Vide » est vide");

    // A renamed file is read by its content; --feuille on a CSV is ignored with a note.
    let renomme = d.join("etat.csv");
    std::fs::copy(corpus("formules_fusions.xlsx"), &renomme).unwrap();
    let out = flux(&[renomme.to_str().unwrap(), "--feuille", "Parc", "--sortie", s]);
    assert!(out.status.success());
    let out = flux(&[&corpus("bom.csv"), "--feuille", "Parc", "--sortie", s]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--feuille ignorée"));
}

#[test]
fn unreadable_inputs_exit_2() {
    let d = scratch("illisibles");
    let s = d.to_str().unwrap();
    echoue(
        &[&corpus("tronque.xlsx"), "--sortie", s],
        "classeur XLSX illisible, endommagé ou protégé par un mot de passe (",
    );
    echoue(
        &[&corpus("binaire.bin"), "--sortie", s],
        "le fichier n'est ni un texte CSV ni un classeur XLSX ou ODS (contenu binaire)",
    );
    echoue(&[&corpus("ancien.xls"), "--sortie", s], "Excel 97-2003 (.xls)");
    echoue(&[&corpus("vide.csv"), "--sortie", s], "le fichier est vide");
    echoue(&[&corpus("bom.csv"), "--feuille"], "valeur manquante après --feuille");
}

/// `flux suivi` (SPEC §7): the files of the spec, one workbook per réservataire, the same numbers
/// as the engine, exit 2 on unreadable mouvements.
#[test]
fn suivi_writes_the_follow_up_files() {
    let racine = Path::new(env!("CARGO_MANIFEST_DIR"));
    let etat = racine.join("public/demo/etat-des-lieux-demo.csv");
    let mouvements = racine.join("public/demo/mouvements-demo.csv");
    let dir = scratch("suivi");
    let params = dir.join("p.json");
    std::fs::write(&params, r#"{"date_conversion": "2026-01-01", "suivi": {"decompte": "bail"}}"#).unwrap();
    let sortie = dir.join("sortie");
    let out = flux(&["suivi", etat.to_str().unwrap(), mouvements.to_str().unwrap(), "--parametres", params.to_str().unwrap(), "--sortie", sortie.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let suivi = std::fs::read_to_string(sortie.join("suivi.csv")).unwrap();
    assert!(suivi.starts_with("\u{feff}bailleur;departement;reservataire;categorie;annee;objectif;decomptes;en_attente;ecart;volume_restant\r\n"));
    assert!(suivi.lines().skip(1).all(|l| l.split(';').nth(4) == Some("2026")));
    let n1 = std::fs::read_to_string(sortie.join("objectifs_n1.csv")).unwrap();
    assert!(n1.lines().skip(1).all(|l| l.split(';').nth(5) == Some("2027")), "{n1}");
    assert!(sortie.join("bilan.xlsx").exists() && sortie.join("bilan-2026-etat-prioritaires-etat-prioritaires.xlsx").exists());
    let rejets = std::fs::read_to_string(sortie.join("rejets.csv")).unwrap();
    assert_eq!(rejets.lines().count(), 1, "the generated demo has no reject: {rejets}");
    // Under `bail`, what counts are the signed leases in the flux.
    let baux = std::fs::read_to_string(&mouvements).unwrap().lines().filter(|l| l.contains("bail_signe")).count();
    let decomptes: u64 = suivi.lines().skip(1).map(|l| l.split(';').nth(6).unwrap().parse::<u64>().unwrap()).sum();
    assert!(decomptes > 0 && decomptes as usize <= baux, "{decomptes} ≤ {baux}");
    echoue(&["suivi", etat.to_str().unwrap(), "absent.csv", "--sortie", sortie.to_str().unwrap()], "absent.csv illisible");
    echoue(&["suivi", etat.to_str().unwrap(), "--sortie", sortie.to_str().unwrap()], "au moins un fichier de mouvements");
}

/// `flux orienter` (SPEC §8): the files and their columns, the same bytes as the library
/// (`Contexte::orienter_liste` and `export::orientation`), `-` for no mouvements, exit 2 on an
/// unreadable input.
#[test]
fn orienter_writes_the_aid_files() {
    use gestion_flux::domain::orientation::Contexte;
    use gestion_flux::{domain, export, import};
    let racine = Path::new(env!("CARGO_MANIFEST_DIR"));
    let etat = racine.join("public/demo/etat-des-lieux-demo.csv");
    let mouvements = racine.join("public/demo/mouvements-demo.csv");
    let dir = scratch("orienter");
    let params = dir.join("p.json");
    std::fs::write(&params, r#"{"date_conversion": "2026-01-01"}"#).unwrap();
    // 40 vacancies of the demo's logements in November and December, an unknown one, one in 2025, a
    // bad date.
    let texte = std::fs::read_to_string(&etat).unwrap();
    let mut vacants = String::from("Identifiant RPLS;Date de vacance;adresse\n");
    for (k, l) in texte.lines().skip(1).step_by(97).take(40).enumerate() {
        vacants += &format!("{};{:02}/{}/2026;x\n", l.split(';').next().unwrap(), 1 + k % 28, 11 + k % 2);
    }
    vacants += "INCONNU;01/12/2026;\n";
    // Line 43: before the conversion year (kept, with a warning).
    let premier = texte.lines().nth(1).unwrap().split(';').next().unwrap();
    vacants += &format!("{premier};15/12/2025;\n{premier};31/11/2026;\n");
    let fichier_vacants = dir.join("vacants.csv");
    std::fs::write(&fichier_vacants, &vacants).unwrap();
    let sortie = dir.join("sortie");
    let (e, m, v, p, s) = (etat.to_str().unwrap(), mouvements.to_str().unwrap(), fichier_vacants.to_str().unwrap(), params.to_str().unwrap(), sortie.to_str().unwrap());
    let out = flux(&["orienter", e, m, v, "--parametres", p, "--sortie", s]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lire = |nom: &str| std::fs::read_to_string(sortie.join(nom)).unwrap();
    let orientations = lire("orientations.csv");
    assert!(orientations.starts_with("\u{feff}rpls;date;rang;partie;categorie;eligible;retard;raison\r\n"));
    let lignes: Vec<Vec<&str>> = orientations.lines().skip(1).map(|l| l.split(';').collect()).collect();
    assert!(lignes.iter().all(|l| l.len() >= 8 && ["oui", "non"].contains(&l[5])), "{orientations}");
    assert_eq!(lignes.iter().filter(|l| l[2] == "1").count(), 41, "one first proposal per vacancy");
    assert!(lignes.iter().any(|l| l[6].contains(',')), "decimal comma");
    let attentes = lire("attentes.csv");
    assert!(attentes.starts_with("\u{feff}rpls;partie;categorie;date_orientation;echeance;jours_restants\r\n"));
    let jours: Vec<i64> = attentes.lines().skip(1).map(|l| l.split(';').nth(5).unwrap().parse().unwrap()).collect();
    assert!(!jours.is_empty() && jours.windows(2).all(|w| w[0] <= w[1]), "overdue first: {attentes}");
    assert_eq!(
        lire("rejets.csv"),
        "\u{feff}ligne;colonne;motif\r\n42;rpls;logement « INCONNU » absent de l'état des lieux\r\n44;date;date « 31/11/2026 » inexistante : le mois 11/2026 n'a pas de jour 31\r\n"
    );
    assert_eq!(lire("rejets_mouvements.csv").lines().count(), 1);
    assert!(lire("avertissements.csv").contains("43;date;vacance du 15/12/2025 antérieure à l'année de conversion 2026 : aucun objectif à cette date, classement sans objet"));

    // The same bytes as the library.
    let parametres = domain::Parametres::depuis_json(r#"{"date_conversion": "2026-01-01"}"#).unwrap();
    let ds = import::lire(&std::fs::read(&etat).unwrap(), &Default::default()).unwrap().dataset;
    let r = domain::calculer_avec(&ds, &parametres, Some(gestion_flux::geo::Geographie::officielle()));
    let mv = import::mouvements::lire(&std::fs::read(&mouvements).unwrap(), &Default::default(), &ds).unwrap().mouvements;
    let lu = import::vacants::lire(vacants.as_bytes(), &Default::default(), &ds).unwrap();
    let suivi = domain::suivi::suivre(&ds, &parametres, &r, &mv);
    let mut c = Contexte::new(&ds, &parametres, &r, &mv, &suivi);
    let aides = c.orienter_liste(&lu.vacances);
    assert_eq!(orientations.as_bytes(), export::orientation::orientations_csv(&r, &aides));
    let derniere = aides.iter().map(|a| a.date).max().unwrap();
    assert_eq!(attentes.as_bytes(), export::orientation::attentes_csv(&r, &c.attentes(&mv, &suivi, derniere)));

    // No mouvements yet: `-`, or an empty file.
    let vide = dir.join("vide.csv");
    std::fs::write(&vide, "").unwrap();
    for m in ["-", vide.to_str().unwrap()] {
        let out = flux(&["orienter", e, m, v, "--parametres", p, "--sortie", s]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stderr).contains("aucun mouvement"));
        assert_eq!(lire("attentes.csv").lines().count(), 1);
    }
    echoue(&["orienter", e, m, "absent.csv", "--sortie", s], "absent.csv illisible");
    echoue(&["orienter", e, m, &corpus("binaire.bin"), "--sortie", s], "contenu binaire");
    echoue(&["orienter", e, m, e, "--sortie", s], "colonne(s) obligatoire(s) introuvable(s) : date");
    echoue(&["orienter", e, v, v, "--sortie", s], "colonne(s) obligatoire(s) introuvable(s) : date_orientation, issue");
    echoue(&["orienter", e, m, "--sortie", s], "un fichier de vacances attendus");
}

/// A large CSV is read by ranges on several threads (issue 14); `FLUX_LECTEURS=1` reads it whole
/// on one. A messy file — Windows-1252, CRLF, quoted names holding `;` and line breaks, an
/// impossible commune, a duplicated `rpls`, a broken line — gives byte-identical outputs both ways.
#[test]
fn ranges_read_on_threads_give_the_whole_file_outputs() {
    let d = scratch("plages");
    let propre = d.join("propre.csv");
    let args = ["generer", "--profil", "exports", "--logements", "60000", "--bailleurs", "4", "--graine", "9"];
    let out = flux(&[&args[..], &["--sortie", propre.to_str().unwrap()]].concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let texte = String::from_utf8(std::fs::read(&propre).unwrap()).unwrap();
    let mut sale = String::new();
    for (i, ligne) in texte.lines().enumerate() {
        let ligne = match i % 997 {
            5 => ligne.replacen("Action Logement Services", "\"Action; Logement\nServices\"", 1),
            7 => ligne.replacen(";75", ";99", 1),
            11 => texte.lines().nth(i - 1).unwrap().to_owned(),
            13 => "ligne;cassée".to_owned(),
            _ => ligne.to_owned(),
        };
        sale.push_str(&ligne);
        sale.push_str("\r\n");
    }
    let (latin, _, perte) = encoding_rs::WINDOWS_1252.encode(&sale);
    assert!(!perte);
    let fichier = d.join("sale.csv");
    std::fs::write(&fichier, &latin).unwrap();
    assert!(latin.len() > 4 << 20, "{} octets", latin.len());
    let lancer = |lecteurs: &str, sortie: &Path| {
        let out = Command::new(FLUX)
            .args([fichier.to_str().unwrap(), "--sortie", sortie.to_str().unwrap(), "--date-publication", "2026-12-04"])
            .env("FLUX_LECTEURS", lecteurs)
            .env("FLUX_CHRONO", "1")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let (plages, entier) = (d.join("plages"), d.join("entier"));
    assert!(lancer("3", &plages).contains("lecture et import"));
    assert!(lancer("1", &entier).contains("lecture du fichier"));
    let v = synthese(&plages);
    let compte = |cle: &str| v[cle].as_u64().unwrap();
    assert!(compte("lignes_rejetees") > 50 && compte("avertissements") > 50, "{:?}", (compte("lignes_rejetees"), compte("avertissements")));
    assert_eq!(compte("lignes_lues"), compte("lignes_retenues") + compte("lignes_rejetees"));
    for f in std::fs::read_dir(&entier).unwrap() {
        let nom = f.unwrap().file_name();
        assert_eq!(std::fs::read(plages.join(&nom)).unwrap(), std::fs::read(entier.join(&nom)).unwrap(), "{nom:?}");
    }
}

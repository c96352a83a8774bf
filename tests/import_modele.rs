//! The downloadable template (`export::modele`): canonical headers, a notice line, example rows,
//! and readable as an input — the notice line is skipped (not counted), the examples are kept.

#[path = "import_corpus/outils.rs"]
mod outils;

use chrono::{Datelike, NaiveDate};
use gestion_flux::domain::dataset::{AUCUN, DROIT_SIMPLE, SANS_FIN};
use gestion_flux::domain::model::Motif;
use gestion_flux::domain::{calculer, Categorie, Parametres};
use gestion_flux::export::{self, modele, Comptage};
use gestion_flux::geo::Geographie;
use gestion_flux::import::columns::Champ;
use gestion_flux::import::{self, Format, OptionsLecture};

/// The template's headers, as SPEC §2 names the fields (v1 table).
const ENTETES: [&str; 16] = [
    "rpls",
    "bailleur",
    "commune",
    "typologie",
    "financement",
    "qpv",
    "surface",
    "loyer",
    "annee_construction",
    "hors_assiette",
    "reservataire",
    "categorie",
    "type_droit",
    "date_fin",
    "droit_utilise",
    "taux_rotation",
];

/// The five examples as read: 5 rows kept, no reject, no warning, and every value as written
/// in the template (SPEC §2 parsing: T3, RPLS code 11 = PLAI, QPV code = en QPV, 2030 = 31/12).
fn verifier_exemples(imp: &import::Import) {
    assert_eq!(outils::comptes(imp), (5, 5, 0, 0), "{:?}", imp.avertissements);
    assert_eq!(imp.lignes, [3, 4, 5, 6, 7], "notice (ligne 2) ignorée");
    let ds = &imp.dataset;
    let rpls: Vec<&str> = (0..ds.len()).map(|i| ds.rpls.get(i)).collect();
    assert_eq!(rpls, ["75000000001", "75000000002", "75000000003", "75000000004", "75000000005"]);
    assert_eq!(ds.bailleurs, ["Seine Habitat"]);
    let communes: Vec<&str> = ds.cellule.iter().map(|&c| ds.code_commune(c as usize)).collect();
    assert_eq!(communes, ["93048", "93048", "75112", "93066", "93066"]);
    assert_eq!(ds.typologie, [3, 2, 4, 1, 5], "T3, 2, T4, T1, T5");
    assert_eq!(ds.financement, [2, 1, 3, 1, 2], "PLUS, 11, PLS, PLAI, PLUS");
    assert_eq!(ds.qpv, [2, 1, 2, 2, 1], "non, oui, 2, non, QP093012");
    assert_eq!(ds.annee_construction, [1975, 1975, 2005, 1968, 1968]);
    let vente = Motif::Vente as u8 + 1;
    assert_eq!(ds.motif, [0, 0, 0, vente, 0]);
    assert_eq!(ds.droit, [0, 0, DROIT_SIMPLE, 0, 0], "droit simple non utilisé");
    let jour = |a, m, j| NaiveDate::from_ymd_opt(a, m, j).unwrap().num_days_from_ce();
    assert_eq!(ds.fin, [jour(2040, 12, 31), SANS_FIN, jour(2030, 12, 31), SANS_FIN, SANS_FIN]);
    assert_eq!((ds.taux[0], ds.taux[4]), (0.063, 0.05));
    assert!(ds.taux[1..4].iter().all(|t| t.is_nan()));
    let reservataires: Vec<(&str, Categorie)> =
        ds.reservataires.iter().map(|r| (r.nom.as_str(), r.categorie)).collect();
    assert_eq!(
        reservataires,
        [
            ("Action Logement Services", Categorie::ActionLogement),
            ("Préfecture 93 - contingent prioritaire", Categorie::EtatPrioritaires),
            ("Ville de Paris", Categorie::Commune),
        ]
    );
    let reservataire_de = |i: usize| {
        let p = ds.partie[i];
        (p != AUCUN).then(|| ds.parties[p as usize].reservataire)
    };
    assert_eq!((0..5).map(reservataire_de).collect::<Vec<_>>(), [Some(0), Some(1), Some(2), None, None]);
}

fn lire(octets: &[u8]) -> import::Import {
    let mut imp = import::lire(octets, &OptionsLecture::default()).unwrap();
    let geo = Geographie::officielle();
    import::signaler_communes_inconnues(&mut imp, |c| geo.commune(c).is_some());
    imp
}

#[test]
fn csv_template_follows_the_french_conventions_and_reads_back() {
    let octets = modele::modele_csv();
    let texte = std::str::from_utf8(&octets).unwrap();
    let entete = texte
        .strip_prefix('\u{feff}')
        .unwrap()
        .lines()
        .next()
        .unwrap();
    assert_eq!(entete, ENTETES.join(";"));
    assert!(texte.contains("\r\n"), "CRLF");
    assert_eq!(texte.lines().count(), 7, "en-tête, notice, 5 exemples");
    // The notice line holds each column's notice, in order.
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(texte.trim_start_matches('\u{feff}').as_bytes());
    let notice = r.records().next().unwrap().unwrap();
    let attendue: Vec<&str> = Champ::TOUS.iter().map(|&c| modele::notice(c)).collect();
    assert_eq!(notice.iter().collect::<Vec<_>>(), attendue);
    assert_eq!(r.records().count(), 5);

    let imp = lire(&octets);
    assert_eq!(
        (imp.format, imp.separateur, imp.encodage),
        (Format::Csv, b';', "UTF-8 (BOM)")
    );
    assert_eq!(imp.entetes, ENTETES);
    verifier_exemples(&imp);
    let complete: Vec<Option<usize>> = (0..16).map(Some).collect();
    assert_eq!(
        Champ::TOUS.map(|c| imp.correspondance.colonne(c)).to_vec(),
        complete,
        "chaque colonne reconnue à sa place"
    );
}

#[test]
fn xlsx_template_reads_like_the_csv_one() {
    let octets = modele::modele_xlsx();
    assert_eq!(
        octets,
        modele::modele_xlsx(),
        "même fichier à chaque téléchargement"
    );
    let imp = lire(&octets);
    assert_eq!(
        (imp.format, imp.feuille.as_deref()),
        (Format::Xlsx, Some("Etat des lieux"))
    );
    assert_eq!(imp.entetes, ENTETES);
    verifier_exemples(&imp);
    let csv = lire(&modele::modele_csv());
    let sortie = |imp: &import::Import| {
        let r = calculer(&imp.dataset, &Parametres::default());
        (
            export::synthese_json(Comptage::default(), &r),
            export::etalement_csv(&r),
        )
    };
    assert_eq!(
        sortie(&imp),
        sortie(&csv),
        "dates, pourcentages et nombres typés"
    );
    assert_eq!(imp.dataset.typologie, csv.dataset.typologie);
    assert_eq!(imp.dataset.fin, csv.dataset.fin);
}

#[test]
fn notice_line_documents_every_column() {
    assert!(modele::notice(Champ::Rpls).starts_with(import::MARQUE_NOTICE));
    // Coded columns list every code the reader accepts.
    let codes = |champ: Champ, codes: &[&str]| {
        let n = modele::notice(champ);
        for code in codes {
            assert!(n.contains(code), "{} : {code} manque dans « {n} »", champ.nom());
        }
    };
    let categories: Vec<&str> = Categorie::TOUTES
        .iter()
        .filter(|&&c| c != Categorie::Bailleur)
        .map(|c| c.code())
        .collect();
    codes(Champ::Categorie, &categories);
    codes(Champ::Categorie, &["CONTRESLOG", "1 à 7"]);
    let motifs: Vec<&str> = Motif::TOUS.iter().map(|m| m.code()).collect();
    codes(Champ::HorsAssiette, &motifs);
    codes(Champ::TypeDroit, &["suite", "simple", "unique"]);
    codes(Champ::Financement, &["PLAI", "PLUS", "PLS", "PLI", "10, 11", "14", "16"]);
    codes(Champ::Typologie, &["T1", "T6+", "NBPIECE"]);
    codes(Champ::DateFin, &["JJ/MM/AAAA", "AAAA-MM-JJ", "AAAA (= 31/12)"]);
    codes(Champ::TauxRotation, &["0,063", "6,3 %"]);
    codes(Champ::Qpv, &["oui / non", "1 (en QPV) / 2 (hors QPV)"]);
    codes(Champ::Commune, &["INSEE", "DEPCOM", "2A/2B"]);
    codes(Champ::DroitUtilise, &["simple", "oui", "non"]);
    // Removing the notice line changes nothing; a notice line elsewhere is skipped too.
    let texte = String::from_utf8(modele::modele_csv()).unwrap();
    let mut lignes: Vec<&str> = texte.split("\r\n").collect();
    let notice = lignes.remove(1);
    let sans = lire(lignes.join("\r\n").as_bytes());
    assert_eq!(outils::comptes(&sans), (5, 5, 0, 0));
    lignes.insert(4, notice);
    let deplacee = lire(lignes.join("\r\n").as_bytes());
    assert_eq!(outils::comptes(&deplacee), (5, 5, 0, 0));
    assert_eq!(deplacee.lignes, [2, 3, 4, 6, 7]);
}

/// The web app offers the XLSX template as a static file (so that the XLSX writer is not part of
/// the page's module): it must be exactly the template of the code. `FLUX_MODELE_MAJ=1` rewrites it.
#[test]
fn published_xlsx_template_is_up_to_date() {
    let chemin = concat!(env!("CARGO_MANIFEST_DIR"), "/public/modele/modele-etat-des-lieux.xlsx");
    let attendu = modele::modele_xlsx();
    if std::env::var_os("FLUX_MODELE_MAJ").is_some() {
        std::fs::write(chemin, &attendu).unwrap();
    }
    let publie = std::fs::read(chemin).expect("public/modele/modele-etat-des-lieux.xlsx (FLUX_MODELE_MAJ=1 to write it)");
    assert!(publie == attendu, "{chemin} is stale: run FLUX_MODELE_MAJ=1 cargo test --test import_modele");
}

//! The downloadable template (`export::modele`): canonical headers, a notice line, example rows,
//! and readable as an input — the notice line is skipped (not counted), the examples are kept.

#[path = "import_corpus/outils.rs"]
mod outils;

use gestion_flux::domain::{calculer, Parametres};
use gestion_flux::export::{self, modele, Comptage};
use gestion_flux::geo::Geographie;
use gestion_flux::import::columns::Champ;
use gestion_flux::import::{self, Format, OptionsLecture};

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
    let canoniques: Vec<&str> = Champ::TOUS.iter().map(|c| c.nom()).collect();
    assert_eq!(entete, canoniques.join(";"));
    assert!(texte.contains("\r\n"), "CRLF");
    assert_eq!(texte.lines().count(), 7, "en-tête, notice, 5 exemples");

    let imp = lire(&octets);
    assert_eq!(
        (imp.format, imp.separateur, imp.encodage),
        (Format::Csv, b';', "UTF-8 (BOM)")
    );
    assert_eq!(outils::comptes(&imp), (5, 5, 0, 0), "notice ignorée");
    assert_eq!(imp.lignes, [3, 4, 5, 6, 7]);
    assert!(imp.correspondance.manquants().is_empty());
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
    assert_eq!(imp.entetes, Champ::TOUS.map(|c| c.nom()));
    assert_eq!(
        outils::comptes(&imp),
        (5, 5, 0, 0),
        "{:?}",
        imp.avertissements
    );
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
    for champ in Champ::TOUS {
        assert!(modele::notice(champ).len() > 30, "{}", champ.nom());
    }
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

//! The corpus of bad and awkward états des lieux (issue 4): each file of `tests/import_corpus/`
//! with its exact French messages and its counts (read = kept + rejected, always).
//!
//! Text fixtures are written by hand. The generated ones (Windows-1252, UTF-16, binary, the
//! 10 000-character cell, XLSX, ODS, ZIP) are rewritten by
//! `cargo test --test import_corpus -- --ignored ecrire_corpus`; the XLS one (refused) by
//! `python3 tests/import_corpus/generer_xls.py` (needs `xlwt`).

#[path = "import_corpus/outils.rs"]
mod outils;

use gestion_flux::domain::dataset::AUCUN;
use gestion_flux::domain::model::Motif;
use gestion_flux::domain::{calculer, Categorie, Parametres};
use gestion_flux::geo::Geographie;
use gestion_flux::import::progressif::LectureProgressive;
use gestion_flux::import::{self, Import, ImportError, OptionsLecture};
use outils::{comptes, lire, motifs, octets, verifier, Cellule};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

/// French thousands separator of the messages (U+202F).
const MILLE: &str = "\u{202f}";

fn options(feuille: &str) -> OptionsLecture {
    OptionsLecture {
        feuille: Some(feuille.into()),
        correspondance: None,
    }
}

#[test]
fn truncated_last_line() {
    let imp = lire("tronquee.csv").unwrap();
    verifier(
        &imp,
        (3, 2, 1, 0),
        &[(4, "", "nombre de colonnes incorrect (2 au lieu de 6)")],
        &[],
    );
}

#[test]
fn wrong_separator() {
    let e = lire("mauvais_separateur.csv").unwrap_err();
    assert_eq!(
        e.to_string(),
        "colonne(s) obligatoire(s) introuvable(s) : commune (en-têtes lus : rpls|commune|typologie) ; une seule colonne lue : vérifiez le séparateur (« ; », « , » ou tabulation) ou la feuille choisie"
    );
    let imp = lire("separateur_incoherent.csv").unwrap();
    verifier(
        &imp,
        (2, 1, 1, 0),
        &[(2, "", "nombre de colonnes incorrect (1 au lieu de 3)")],
        &[],
    );
}

#[test]
fn windows_1252_with_accents() {
    let imp = lire("windows1252.csv").unwrap();
    assert_eq!((imp.encodage, imp.separateur), ("Windows-1252", b';'));
    assert_eq!(comptes(&imp), (4, 4, 0, 0));
    let ds = &imp.dataset;
    let noms: Vec<(&str, Categorie)> = ds
        .reservataires
        .iter()
        .map(|r| (r.nom.as_str(), r.categorie))
        .collect();
    assert_eq!(
        noms,
        [
            (
                "Préfecture de la Seine-Saint-Denis",
                Categorie::EtatPrioritaires
            ),
            ("Ville de Saint-Denis", Categorie::Commune),
            ("Conseil départemental", Categorie::Departement),
        ]
    );
    assert_eq!(ds.motif[3], Motif::SecuriteInterieure as u8 + 1);
}

#[test]
fn bom_crlf_and_utf16() {
    let imp = lire("bom.csv").unwrap();
    assert_eq!((imp.encodage, comptes(&imp)), ("UTF-8 (BOM)", (2, 2, 0, 0)));
    assert_eq!(imp.entetes[0], "rpls", "BOM retiré de la première en-tête");
    assert_eq!(imp.dataset.reservataires[0].nom, "Préfecture 93");
    // CRLF and blank lines keep the file's line numbers (the csv crate's own count does not).
    let imp = import::lire(
        b"rpls;commune\r\nA;93048\r\nB;XX\r\n\r\n\r\nC;YY\r\n",
        &OptionsLecture::default(),
    )
    .unwrap();
    let lignes: Vec<u64> = imp.rejets.iter().map(|r| r.ligne).collect();
    assert_eq!((comptes(&imp), lignes), ((3, 1, 2, 0), vec![3, 6]));
    let imp = lire("utf16.txt").unwrap();
    assert_eq!((imp.encodage, imp.separateur), ("UTF-16LE", b'\t'));
    assert_eq!(comptes(&imp), (2, 2, 0, 0));
    assert_eq!(imp.dataset.reservataires[0].nom, "Préfecture 93");
}

#[test]
fn empty_files_and_header_only() {
    for f in ["vide.csv", "blanc.csv"] {
        assert_eq!(lire(f).unwrap_err(), ImportError::Vide, "{f}");
    }
    assert_eq!(ImportError::Vide.to_string(), "le fichier est vide");
    let imp = lire("entete_seul.csv").unwrap();
    assert_eq!(comptes(&imp), (0, 0, 0, 0));
}

/// Rows of blank cells (`;;`, as Excel exports formatted empty rows) are layout: skipped and not
/// counted, like empty workbook rows; line numbers still follow the file.
#[test]
fn blank_rows() {
    let imp = lire("lignes_vides.csv").unwrap();
    assert_eq!(comptes(&imp), (3, 2, 1, 0));
    assert_eq!(imp.lignes, [2, 5]);
    assert_eq!(motifs(&imp.rejets), [(6, "rpls", "identifiant RPLS vide")]);
}

#[test]
fn missing_required_column() {
    let e = lire("colonne_manquante.csv").unwrap_err();
    assert_eq!(
        e.to_string(),
        "colonne(s) obligatoire(s) introuvable(s) : commune (en-têtes lus : rpls, bailleur, code postal, reservataire)"
    );
}

#[test]
fn duplicate_rpls() {
    let imp = lire("doublons.csv").unwrap();
    verifier(
        &imp,
        (6, 6, 0, 3),
        &[],
        &[
            (
                4,
                "rpls",
                "identifiant RPLS « D1 » en double (déjà ligne 2)",
            ),
            (
                6,
                "rpls",
                "identifiant RPLS « D1 » en double (déjà ligne 2)",
            ),
            (
                7,
                "rpls",
                "identifiant RPLS « D2 » en double (déjà ligne 3)",
            ),
        ],
    );
}

#[test]
fn invalid_dates_are_rejected() {
    let imp = lire("dates_invalides.csv").unwrap();
    verifier(
        &imp,
        (8, 2, 6, 0),
        &[
            (
                2,
                "date_fin",
                "date « 31/02/2024 » inexistante : le mois 02/2024 n'a pas de jour 31",
            ),
            (
                4,
                "date_fin",
                "date « 12/13/2024 » inexistante : il n'y a pas de mois 13 (JJ/MM/AAAA attendu)",
            ),
            (
                5,
                "date_fin",
                "date « demain » illisible (JJ/MM/AAAA, AAAA-MM-JJ ou AAAA)",
            ),
            (
                6,
                "date_fin",
                "date « 2040-02-30 » inexistante : le mois 02/2040 n'a pas de jour 30",
            ),
            (
                7,
                "date_fin",
                "date « 31/12/20400 » illisible (JJ/MM/AAAA, AAAA-MM-JJ ou AAAA)",
            ),
            (
                9,
                "date_fin",
                "date « 00/01/2030 » inexistante : le mois 01/2030 n'a pas de jour 0",
            ),
        ],
        &[],
    );
    assert_eq!(imp.dataset.fin.len(), 2, "29/02/2024 et 2040 retenus");
}

#[test]
fn rates_outside_0_100_are_ignored_with_a_warning() {
    let imp = lire("taux.csv").unwrap();
    verifier(
        &imp,
        (9, 9, 0, 6),
        &[],
        &[
            (4, "taux_rotation", "taux lu comme un pourcentage : 7 %"),
            (
                5,
                "taux_rotation",
                "taux de rotation « -0,05 » hors de 0 à 100 % : valeur ignorée",
            ),
            (
                6,
                "taux_rotation",
                "taux de rotation « 150 % » hors de 0 à 100 % : valeur ignorée",
            ),
            (
                7,
                "taux_rotation",
                "taux de rotation « 250 » hors de 0 à 100 % : valeur ignorée",
            ),
            (
                8,
                "taux_rotation",
                "taux de rotation « abc » illisible : valeur ignorée",
            ),
            (
                9,
                "taux_rotation",
                "taux de rotation « -5 % » hors de 0 à 100 % : valeur ignorée",
            ),
        ],
    );
    let t = &imp.dataset.taux;
    assert_eq!((t[0], t[1], t[2], t[8]), (0.063, 0.063, 0.07, 1.0));
    assert!(
        t[3..8].iter().all(|x| x.is_nan()),
        "{t:?}: taux ignoré = inconnu"
    );
}

#[test]
fn unknown_codes() {
    let mut imp = lire("codes_inconnus.csv").unwrap();
    let geo = Geographie::officielle();
    import::signaler_communes_inconnues(&mut imp, |c| geo.commune(c).is_some());
    verifier(
        &imp,
        (8, 6, 2, 5),
        &[
            (
                5,
                "type_droit",
                "type de droit « perpetuel » inconnu (suite ou simple)",
            ),
            (
                6,
                "commune",
                "code commune « ABCDE » invalide (5 caractères INSEE attendus)",
            ),
        ],
        &[
            (
                2,
                "categorie",
                "catégorie de réservataire « martien » inconnue : classée « autre »",
            ),
            (
                3,
                "financement",
                "financement « PLUS CD » inconnu : classé « Autre »",
            ),
            (
                4,
                "hors_assiette",
                "motif hors assiette « plage » inconnu : classé « autre » (hors assiette)",
            ),
            (
                7,
                "commune",
                "code commune « 99999 » inconnu de la géographie officielle",
            ),
            (
                9,
                "commune",
                "code commune complété par un zéro initial : 01053",
            ),
        ],
    );
    let ds = &imp.dataset;
    assert_eq!(ds.reservataires[0].categorie, Categorie::Autre);
    assert_eq!(ds.financement[..2], [2, 5]);
    assert_eq!(ds.motif[2], Motif::Autre as u8 + 1);
    assert_eq!(
        ds.financement[4], 5,
        "code RPLS 99 → Autre sans avertissement"
    );
}

#[test]
fn negative_numbers() {
    let imp = lire("negatifs.csv").unwrap();
    verifier(
        &imp,
        (3, 3, 0, 6),
        &[],
        &[
            (2, "typologie", "typologie « -3 » inconnue : valeur ignorée"),
            (2, "surface", "« -45 » est négatif : valeur ignorée"),
            (2, "loyer", "« -310 » est négatif : valeur ignorée"),
            (
                2,
                "annee_construction",
                "année de construction « -1975 » invraisemblable : valeur ignorée",
            ),
            (4, "typologie", "typologie « 0 » inconnue : valeur ignorée"),
            (
                4,
                "annee_construction",
                "année de construction « 0 » invraisemblable : valeur ignorée",
            ),
        ],
    );
    assert_eq!(imp.dataset.typologie, [0, 3, 0]);
}

#[test]
fn huge_cell_and_unclosed_quote() {
    let imp = lire("cellule_geante.csv").unwrap();
    assert_eq!(comptes(&imp), (2, 1, 1, 1));
    assert_eq!(
        motifs(&imp.rejets),
        [(
            2,
            "reservataire",
            &*format!("valeur de 10{MILLE}000 caractères (1{MILLE}000 au plus) : fichier endommagé ou guillemet non fermé ?")
        )]
    );
    assert_eq!(
        motifs(&imp.avertissements),
        [(3, "date_fin", "droit de suite sans date de fin : la durée sans terme (duree_sans_terme_ans) s'applique")]
    );
    // The quote opened on line 3 swallows lines 4 and 5 into one cell: kept, but warned.
    let imp = lire("guillemet_ouvert.csv").unwrap();
    assert_eq!(comptes(&imp), (2, 2, 0, 3));
    let sans_fin =
        "droit de suite sans date de fin : la durée sans terme (duree_sans_terme_ans) s'applique";
    assert_eq!(
        motifs(&imp.avertissements),
        [
            (2, "date_fin", sans_fin),
            (3, "", "enregistrement étalé sur 3 lignes du fichier (retour à la ligne entre guillemets) : vérifiez qu'aucun guillemet n'est resté ouvert"),
            (3, "date_fin", sans_fin),
        ]
    );
    assert!(imp.dataset.reservataires[1]
        .nom
        .starts_with("Action Logement\nQ3;93048;Ville\n"));
}

#[test]
fn binary_garbage() {
    let e = lire("binaire.bin").unwrap_err();
    assert_eq!(e, ImportError::Binaire);
    assert_eq!(
        e.to_string(),
        "le fichier n'est ni un texte CSV ni un classeur XLSX ou ODS (contenu binaire)"
    );
}

#[test]
fn spreadsheet_error_values_in_a_csv() {
    let imp = lire("erreurs_tableur.csv").unwrap();
    verifier(
        &imp,
        (5, 1, 4, 4),
        &[
            (
                3,
                "commune",
                "cellule en erreur « #N/A » : formule à corriger dans le tableur",
            ),
            (
                4,
                "categorie",
                "cellule en erreur « #REF! » : formule à corriger dans le tableur",
            ),
            (
                5,
                "date_fin",
                "cellule en erreur « #NOM? » : formule à corriger dans le tableur",
            ),
            (
                6,
                "reservataire",
                "cellule en erreur « #N/A » : formule à corriger dans le tableur",
            ),
        ],
        &[
            (
                2,
                "typologie",
                "cellule en erreur « #N/A » : valeur ignorée",
            ),
            (2, "qpv", "cellule en erreur « #N/A » : valeur ignorée"),
            (
                2,
                "surface",
                "cellule en erreur « #DIV/0! » : valeur ignorée",
            ),
            (
                2,
                "taux_rotation",
                "cellule en erreur « #VALEUR! » : valeur ignorée",
            ),
        ],
    );
    assert_eq!(imp.dataset.qpv, [0], "#N/A n'est pas un code QPV");
}

#[test]
fn xlsx_with_formulas_merged_cells_dates_and_errors() {
    let imp = lire("formules_fusions.xlsx").unwrap();
    assert_eq!(
        (imp.format, imp.feuille.as_deref()),
        (import::Format::Xlsx, Some("Parc"))
    );
    verifier(
        &imp,
        (8, 6, 2, 3),
        &[
            (6, "commune", "cellule en erreur « #N/A » : formule à corriger dans le tableur"),
            (9, "date_fin", "date « 31/02/2024 » inexistante : le mois 02/2024 n'a pas de jour 31"),
        ],
        &[
            (2, "bailleur", "cellule fusionnée sur les lignes 2 à 4 : sa valeur « Seine Habitat » vaut pour chacune"),
            (4, "date_fin", "nombre 47483 lu comme une date du tableur : 31/12/2029"),
            (7, "surface", "cellule en erreur « #DIV/0! » : valeur ignorée"),
        ],
    );
    assert_eq!(
        imp.lignes,
        [2, 3, 4, 7, 8, 10],
        "numéros de ligne du tableur"
    );
    let ds = &imp.dataset;
    let rpls: Vec<&str> = (0..ds.len()).map(|i| ds.rpls.get(i)).collect();
    assert_eq!(
        rpls,
        ["F1", "F2", "F3", "F5", "F6", "F8"],
        "formule texte = F8"
    );
    assert_eq!(ds.bailleurs, ["Seine Habitat", "Autre Bailleur"]);
    assert_eq!(ds.typologie, [3, 2, 4, 2, 1, 2]);
    assert_eq!(ds.qpv[..3], [1, 2, 0], "booléens VRAI / FAUX");
    assert_eq!((ds.taux[0], ds.taux[5]), (0.063, 0.07));
    let categories: Vec<(&str, Categorie)> = ds
        .reservataires
        .iter()
        .map(|r| (r.nom.as_str(), r.categorie))
        .collect();
    assert!(
        categories.contains(&("Ministère des Armées", Categorie::Ministere)),
        "fusion horizontale : catégorie vide, déduite du nom ; {categories:?}"
    );
    let imp_csv =
        import::lire(&octets("formules_fusions.csv"), &OptionsLecture::default()).unwrap();
    assert_eq!(
        imp_csv.rejets, imp.rejets,
        "mêmes rejets que le même tableau en CSV"
    );
}

/// A stray cell in XFD1048576: calamine's `worksheet_range` would allocate the whole 17 billion
/// cells box (550 GB); the streaming reader ignores cells beyond 1 024 columns.
#[test]
fn far_away_cell() {
    let imp = lire("cellule_lointaine.xlsx").unwrap();
    assert_eq!(comptes(&imp), (2, 2, 0, 0));
    assert_eq!(imp.lignes, [2, 3]);
}

/// Workbooks that declare or hold far more than a reader may materialise (issue 14): each is
/// refused with a French message before calamine allocates anything (its ODS reader expands
/// every repeat of every sheet when the file is opened; its XLSX reader reserves the shared
/// strings the file announces). The sheet list is refused the same way, except for the caps of
/// the sheet itself (scanned when it is read). The two files holding millions of tags take a
/// minute in a debug build: `cargo test --release --test import_corpus -- --ignored demesures`.
#[test]
fn oversized_workbooks_are_refused_before_reading() {
    for (fichier, format, detail) in classeurs_refuses().into_iter().take(4) {
        refuse(fichier, format, &detail);
    }
}

#[test]
#[ignore]
fn oversized_workbooks_holding_millions_of_tags_demesures() {
    for (fichier, format, detail) in classeurs_refuses().into_iter().skip(4) {
        refuse(fichier, format, &detail);
    }
}

fn refuse(fichier: &str, format: &'static str, detail: &str) {
    let fin = " ; enregistrez la feuille utile au format CSV (ou supprimez les lignes et colonnes vides mises en forme)";
    let e = lire(fichier).unwrap_err();
    assert_eq!(
        e,
        ImportError::ClasseurDemesure { format, detail: detail.to_owned() },
        "{fichier}"
    );
    assert_eq!(
        e.to_string(),
        format!("classeur {format} trop volumineux pour être lu sans risque : {detail}{fin}")
    );
    let liste = import::feuilles(&octets(fichier));
    match fichier {
        "cellules_innombrables.xlsx" | "fusions_innombrables.xlsx" => {
            assert_eq!(liste.unwrap(), ["Parc"])
        }
        _ => assert_eq!(liste.unwrap_err(), e, "{fichier}"),
    }
}

/// The crafted workbooks of [`classeurs_demesures`] and their messages, the cheap ones first.
fn classeurs_refuses() -> Vec<(&'static str, &'static str, String)> {
    let m = |s: &str| s.replace(' ', MILLE);
    vec![
        (
            "lignes_repetees.ods",
            "ODS",
            format!("la feuille « Parc » déclare {} lignes × 20 colonnes de cellules (répétitions comprises), soit {} cellules à lire avec les feuilles précédentes ({} au plus)", m("1 048 576"), m("20 971 542"), m("20 000 000")),
        ),
        (
            "colonnes_repetees.ods",
            "ODS",
            format!("la feuille « Parc » déclare {} lignes × {} colonnes de cellules (répétitions comprises), soit {} cellules à lire avec les feuilles précédentes ({} au plus)", m("611"), m("16 384"), m("20 004 866"), m("20 000 000")),
        ),
        (
            "chaines_annoncees.xlsx",
            "XLSX",
            format!("la table des chaînes partagées annonce {} chaînes ({} au plus)", m("4 000 000 000"), m("5 000 000")),
        ),
        (
            "fusions_innombrables.xlsx",
            "XLSX",
            format!("la feuille « Parc » compte plus de {} blocs de cellules fusionnées", m("100 000")),
        ),
        (
            "chaines_innombrables.xlsx",
            "XLSX",
            format!("plus de {} chaînes de caractères partagées", m("5 000 000")),
        ),
        (
            "cellules_innombrables.xlsx",
            "XLSX",
            format!("la feuille « Parc » compte plus de {} cellules (dimension déclarée : 4 lignes × 2 colonnes)", m("20 000 000")),
        ),
    ]
}

#[test]
fn several_sheets() {
    let f = octets("plusieurs_feuilles.xlsx");
    assert_eq!(import::feuilles(&f).unwrap(), ["Lisez-moi", "Parc", "Vide"]);
    let e = import::lire(&f, &OptionsLecture::default()).unwrap_err();
    assert!(
        matches!(&e, ImportError::ColonnesManquantes { entetes, .. } if entetes.len() == 1),
        "{e}"
    );
    for nom in ["Parc", "parc", " PARC ", "2"] {
        let imp = import::lire(&f, &options(nom)).unwrap();
        assert_eq!(
            (imp.feuille.as_deref(), comptes(&imp)),
            (Some("Parc"), (2, 2, 0, 0)),
            "{nom}"
        );
        assert_eq!(imp.feuilles, ["Lisez-moi", "Parc", "Vide"]);
    }
    let e = import::lire(&f, &options("Stock")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "feuille « Stock » introuvable ; feuilles du classeur : « Lisez-moi », « Parc », « Vide »"
    );
    let e = import::lire(&f, &options("Vide")).unwrap_err();
    assert_eq!(e.to_string(), "la feuille « Vide » est vide");
    let imp = import::lire(&octets("bom.csv"), &options("Parc")).unwrap();
    assert_eq!(
        (imp.feuille.as_deref(), comptes(&imp)),
        (None, (2, 2, 0, 0)),
        "--feuille ignorée en CSV"
    );
}

#[test]
fn damaged_workbooks() {
    for (fichier, format) in [
        ("tronque.xlsx", "XLSX"),
        ("pas_un_classeur.zip", "XLSX"),
        ("tronque.ods", "ODS"),
    ] {
        let e = lire(fichier).unwrap_err();
        let ImportError::ClasseurIllisible { format: f, detail } = &e else {
            panic!("{fichier} : {e:?}");
        };
        assert_eq!(*f, format);
        assert!(!detail.is_empty());
        assert!(
            e.to_string().starts_with(&format!(
                "classeur {format} illisible, endommagé ou protégé par un mot de passe ("
            )),
            "{e}"
        );
        assert!(import::feuilles(&octets(fichier)).is_err());
    }
}

#[test]
fn ods_file() {
    let imp = lire("classeur.ods").unwrap();
    assert_eq!((imp.format, imp.encodage), (import::Format::Ods, "ODS"));
    verifier(
        &imp,
        (4, 3, 1, 0),
        &[(
            6,
            "commune",
            "cellule en erreur « #N/A » : formule à corriger dans le tableur",
        )],
        &[],
    );
    assert_eq!(
        imp.lignes,
        [2, 3, 7],
        "lignes vides répétées comptées dans la numérotation"
    );
    let ds = &imp.dataset;
    assert_eq!(ds.typologie, [3, 2, 1]);
    assert_eq!(ds.qpv, [1, 2, 0]);
    assert_eq!(ds.taux[0], 0.063);
    // ODS does not describe merges to calamine: the covered cell is empty (docs/import.md).
    assert_eq!(ds.bailleurs, ["Seine Habitat", "Bailleur", "Autre"]);
}

#[test]
fn xls_and_encrypted_workbooks_are_refused() {
    // Excel 97-2003 (OLE2), written by generer_xls.py; an encrypted XLSX is OLE2 too.
    let e = lire("ancien.xls").unwrap_err();
    assert_eq!(e, ImportError::Xls);
    assert_eq!(
        e.to_string(),
        "les classeurs Excel 97-2003 (.xls) et les classeurs protégés par un mot de passe ne sont pas pris en charge : enregistrez le fichier au format .xlsx (sans mot de passe) ou CSV"
    );
    assert_eq!(
        import::feuilles(&octets("ancien.xls")).unwrap_err(),
        ImportError::Xls
    );
}

/// `nb`: a whole number from 1 to 100 000, else the row is rejected with its reason; the row
/// stands for `nb` logements (its line repeated in `Import::lignes`) but counts as one row, and a
/// duplicated `rpls` or an unknown commune is warned once per row, not per logement. `programme`
/// is trimmed; an error value there is ignored.
#[test]
fn nb_and_programme_columns() {
    let mut imp = lire("nb_invalides.csv").unwrap();
    let geo = Geographie::officielle();
    import::signaler_communes_inconnues(&mut imp, |c| geo.commune(c).is_some());
    verifier(
        &imp,
        (12, 6, 6, 3),
        &[
            (4, "nb", "nombre de logements « 0 » invalide : au moins 1 attendu"),
            (5, "nb", "nombre de logements « -3 » invalide : au moins 1 attendu"),
            (6, "nb", "nombre de logements « 2,5 » invalide : nombre entier attendu"),
            (7, "nb", "nombre de logements « beaucoup » illisible (nombre entier attendu)"),
            (9, "nb", &*format!("nombre de logements « 250000 » invraisemblable (100{MILLE}000 au plus) : faute de frappe ?")),
            (11, "nb", "cellule en erreur « #N/A » : formule à corriger dans le tableur"),
        ],
        &[
            (8, "programme", "cellule en erreur « #N/A » : valeur ignorée"),
            (12, "rpls", "identifiant RPLS « N1 » en double (déjà ligne 2)"),
            (13, "commune", "code commune « 99999 » inconnu de la géographie officielle"),
        ],
    );
    let ds = &imp.dataset;
    assert_eq!(ds.len(), 40 + 1 + 3 + 1200 + 2 + 5);
    let attendues: Vec<u32> = [(2, 40), (3, 1), (8, 3), (10, 1200), (12, 2), (13, 5)]
        .iter()
        .flat_map(|&(l, n)| std::iter::repeat_n(l, n))
        .collect();
    assert_eq!(imp.lignes, attendues);
    assert_eq!(ds.programmes, ["Résidence Les Tilleuls", "Îlot Daumesnil"]);
    assert_eq!(ds.programme[..42], [0; 41].iter().copied().chain([AUCUN]).collect::<Vec<_>>());
    assert_eq!(ds.programme[44], 1);
    assert_eq!(ds.rpls.get(39), "N1", "les 40 logements de la ligne 2 gardent son identifiant");
    let r = calculer(ds, &Parametres::default());
    assert_eq!(r.perimetres.iter().map(|p| p.logements).sum::<u32>(), 1251);
}

/// One réservataire name with several categories: one warning per extra category, at the line
/// where it first appears, naming both (a CONTRESLOG code or a category deduced from the name
/// count as what they mean; names are compared exactly). Same in every reading schedule.
#[test]
fn same_reservataire_with_two_categories() {
    let imp = lire("categories_incoherentes.csv").unwrap();
    let msg = |nom: &str, ici: &str, premiere: &str, ligne: u32| {
        format!("le réservataire « {nom} » a ici la catégorie {ici} mais apparaît aussi avec la catégorie {premiere} (ligne {ligne}) : vérifier le codage")
    };
    let (m4, m7, m8, m10) = (
        msg("Ville de Montreuil", "epci", "commune", 2),
        msg("Action Logement Services", "employeur", "action_logement", 6),
        msg("Ville de Montreuil", "departement", "commune", 2),
        msg("Ville de Montreuil", "autre", "commune", 2),
    );
    verifier(
        &imp,
        (9, 9, 0, 5),
        &[],
        &[
            (4, "categorie", &m4),
            (7, "categorie", &m7),
            (8, "categorie", &m8),
            (10, "categorie", "catégorie de réservataire « martien » inconnue : classée « autre »"),
            (10, "categorie", &m10),
        ],
    );
    let pas_a_pas = LectureProgressive::commencer(&octets("categories_incoherentes.csv"), None)
        .unwrap()
        .finir()
        .unwrap();
    assert_eq!(pas_a_pas.avertissements, imp.avertissements);
}

/// The RPLS open-data extract (generated, `donnees_ouvertes()`): read without `rpls` column, each
/// row standing for `nb` logements, unreserved; the engine sees Σ nb logements. Its XLSX and ODS
/// twins (typed numbers) and the step-by-step reading give the same import.
#[test]
fn rpls_open_data_extract() {
    let octets_csv = octets("donnees_ouvertes_rpls.csv");
    assert_eq!(octets_csv, donnees_ouvertes().as_bytes(), "fichier généré à jour");
    let mut imp = lire("donnees_ouvertes_rpls.csv").unwrap();
    let geo = Geographie::officielle();
    import::signaler_communes_inconnues(&mut imp, |c| geo.commune(c).is_some());
    for (code, _, nom) in COMMUNES_IDF {
        assert_eq!(geo.commune(code).map(|c| c.nom.as_str()), Some(nom), "{code}");
    }
    verifier(
        &imp,
        (300, 297, 3, 1),
        &[
            (59, "nb", "nombre de logements « 0 » invalide : au moins 1 attendu"),
            (145, "nb", "nombre de logements « 12,5 » invalide : nombre entier attendu"),
            (253, "nb", &*format!("nombre de logements « 1000000 » invraisemblable (100{MILLE}000 au plus) : faute de frappe ?")),
        ],
        &[(1, "rpls", "pas de colonne d'identifiant RPLS : chaque ligne est identifiée par son numéro (L2 pour la ligne 2, etc.)")],
    );
    // Σ nb of the rows kept, from the file itself.
    let texte = String::from_utf8(octets_csv.clone()).unwrap();
    let nb: Vec<(u32, u32)> = texte
        .lines()
        .enumerate()
        .skip(1)
        .filter_map(|(i, l)| Some((i as u32 + 1, l.rsplit(';').next()?.parse().ok()?)))
        .filter(|&(_, n)| n <= 100_000 && n > 0)
        .collect();
    let somme: u32 = nb.iter().map(|x| x.1).sum();
    assert_eq!((nb.len(), somme), (297, 3467));
    let ds = &imp.dataset;
    assert_eq!(ds.len(), 3467);
    let attendues: Vec<u32> = nb
        .iter()
        .flat_map(|&(l, n)| std::iter::repeat_n(l, n as usize))
        .collect();
    assert_eq!(imp.lignes, attendues);
    assert_eq!((ds.rpls.get(0), ds.rpls.get(ds.len() - 1)), ("L2", "L301"));
    assert!(ds.reservataires.is_empty() && ds.partie.iter().all(|&p| p == AUCUN), "non réservés");
    assert_eq!(ds.communes.len(), 24);
    assert_eq!(ds.programmes.len(), 60, "IMMEU → programme");
    assert!(ds.typologie.iter().all(|&t| (1..=6).contains(&t)));
    assert!(ds.financement.iter().all(|&f| (1..=4).contains(&f)), "codes FINAN connus");
    let r = calculer(ds, &Parametres::default());
    assert_eq!(r.perimetres.len(), 8, "un bailleur × 8 départements");
    assert_eq!(r.perimetres.iter().map(|p| p.logements).sum::<u32>(), 3467);
    assert_eq!(r.perimetres.iter().map(|p| p.assiette).sum::<u32>(), 3467);

    let pas_a_pas = LectureProgressive::commencer(&octets_csv, None).unwrap().finir().unwrap();
    let (xlsx, ods) = jumeaux_classeurs(&texte);
    for (nom, autre) in [
        ("pas à pas", pas_a_pas),
        ("XLSX", import::lire(&xlsx, &OptionsLecture::default()).unwrap()),
        ("ODS", import::lire(&ods, &OptionsLecture::default()).unwrap()),
    ] {
        assert_eq!(comptes(&autre), (300, 297, 3, 1), "{nom}");
        assert_eq!(autre.rejets, imp.rejets, "{nom}");
        assert_eq!(autre.avertissements, imp.avertissements, "{nom}");
        assert_eq!(autre.lignes, imp.lignes, "{nom}");
        memes_logements(&autre, &imp, nom);
    }
}

/// The same logements, field by field (identifier, commune, descriptive fields, programme).
fn memes_logements(a: &Import, b: &Import, nom: &str) {
    let (x, y) = (&a.dataset, &b.dataset);
    assert_eq!(x.len(), y.len(), "{nom}");
    for i in 0..x.len() {
        assert_eq!(x.rpls.get(i), y.rpls.get(i), "{nom} {i}");
        assert_eq!(x.code_commune(x.cellule[i] as usize), y.code_commune(y.cellule[i] as usize));
    }
    assert_eq!(x.typologie, y.typologie, "{nom}");
    assert_eq!(x.financement, y.financement, "{nom}");
    assert_eq!(x.qpv, y.qpv, "{nom}");
    assert_eq!(x.surface, y.surface, "{nom}");
    assert_eq!(x.annee_construction, y.annee_construction, "{nom}");
    assert_eq!(x.programmes, y.programmes, "{nom}");
    assert_eq!(x.programme, y.programme, "{nom}");
}

/// A CSV (`;`) as an XLSX and an ODS sheet: numbers typed as numbers (when Rust reads them and
/// they have no leading zero, like a code), the rest as text.
fn jumeaux_classeurs(texte: &str) -> (Vec<u8>, Vec<u8>) {
    let mut w = Workbook::new();
    let f = w.add_worksheet();
    let mut lignes_ods = Vec::new();
    for (i, ligne) in texte.lines().enumerate() {
        let mut cellules = Vec::new();
        for (j, v) in ligne.split(';').enumerate() {
            match v.parse::<f64>() {
                Ok(x) if !(v.len() > 1 && v.starts_with('0')) => {
                    f.write(i as u32, j as u16, x).unwrap();
                    cellules.push(Cellule::Nombre(x));
                }
                _ if v.is_empty() => cellules.push(Cellule::Vide),
                _ => {
                    f.write(i as u32, j as u16, v).unwrap();
                    cellules.push(Cellule::Texte(v));
                }
            }
        }
        lignes_ods.push(cellules);
    }
    (w.save_to_buffer().unwrap(), outils::ods(&[("Parc", lignes_ods)]))
}

/// Rewrites the generated fixtures (see the module documentation).
#[test]
#[ignore]
fn ecrire_corpus() {
    let ecrire = |nom: &str, octets: &[u8]| std::fs::write(outils::chemin(nom), octets).unwrap();
    let texte = "rpls;commune;réservataire;catégorie;date_fin;hors_assiette\r\n\
        W1;93048;Préfecture de la Seine-Saint-Denis;État prioritaires;;\r\n\
        W2;93066;Ville de Saint-Denis;commune;31/12/2035;\r\n\
        W3;93066;Conseil départemental;département;2040;\r\n\
        W4;93066;;;;sécurité intérieure\r\n";
    ecrire(
        "windows1252.csv",
        &encoding_rs::WINDOWS_1252.encode(texte).0,
    );
    let mut u = vec![0xFF, 0xFE];
    let texte = "rpls\tcommune\treservataire\r\nU1\t93048\tPréfecture 93\r\nU2\t93066\t\r\n";
    u.extend(texte.encode_utf16().flat_map(u16::to_le_bytes));
    ecrire("utf16.txt", &u);
    let mut x: u32 = 2026;
    let bruit: Vec<u8> = (0..4096)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (x >> 16) as u8
        })
        .collect();
    ecrire("binaire.bin", &bruit);
    let geante = format!(
        "rpls;commune;reservataire\nG1;93048;{}\nG2;93048;Action Logement Services\n",
        "x".repeat(10_000)
    );
    ecrire("cellule_geante.csv", geante.as_bytes());
    ecrire(
        "guillemet_ouvert.csv",
        b"rpls;commune;reservataire\nQ1;93048;Ville de Montreuil\nQ2;93048;\"Action Logement\nQ3;93048;Ville\nQ4;93048;Pr\xc3\xa9fecture\n",
    );

    let xlsx = formules_fusions();
    ecrire("formules_fusions.xlsx", &xlsx);
    ecrire("tronque.xlsx", &xlsx[..xlsx.len() / 2]);
    ecrire("plusieurs_feuilles.xlsx", &plusieurs_feuilles());
    let mut w = Workbook::new();
    let d = ExcelDateTime::from_ymd(2026, 1, 1).unwrap();
    w.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&d));
    let f = w.add_worksheet().set_name("Parc").unwrap();
    for (i, l) in [["rpls", "commune"], ["L1", "93048"], ["L2", "93066"]]
        .iter()
        .enumerate()
    {
        f.write(i as u32, 0, l[0]).unwrap();
        f.write(i as u32, 1, l[1]).unwrap();
    }
    f.write(1_048_575, 16_383, "note égarée").unwrap();
    f.write(9, 1500, "hors colonnes").unwrap();
    ecrire("cellule_lointaine.xlsx", &w.save_to_buffer().unwrap());
    ecrire(
        "pas_un_classeur.zip",
        &outils::zip(&[("etat.csv", b"rpls;commune\nA;93048\n")]),
    );
    let ods = classeur_ods();
    ecrire("classeur.ods", &ods);
    ecrire("tronque.ods", &ods[..ods.len() - 40]);
    ecrire("donnees_ouvertes_rpls.csv", donnees_ouvertes().as_bytes());
    for (nom, octets) in classeurs_demesures() {
        ecrire(nom, &octets);
    }
}

/// Crafted workbooks (issue 14) that declare or hold far more than a reader may materialise: a
/// few kilobytes each once compressed.
fn classeurs_demesures() -> Vec<(&'static str, Vec<u8>)> {
    // A small valid XLSX (shared strings, one sheet) whose parts are then inflated.
    let mut w = Workbook::new();
    let d = ExcelDateTime::from_ymd(2026, 1, 1).unwrap();
    w.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&d));
    let f = w.add_worksheet().set_name("Parc").unwrap();
    for (i, l) in [["rpls", "commune"], ["L1", "93048"], ["L2", "93066"], ["L3", "93066"]]
        .iter()
        .enumerate()
    {
        f.write(i as u32, 0, l[0]).unwrap();
        f.write(i as u32, 1, l[1]).unwrap();
    }
    let xlsx = w.save_to_buffer().unwrap();
    let partie = |nom: &str| {
        use std::io::Read;
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(&xlsx[..])).unwrap();
        let mut s = String::new();
        z.by_name(nom).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let sst = partie("xl/sharedStrings.xml");
    let feuille = partie("xl/worksheets/sheet1.xml");
    let annonce = regex_unique_count(&sst, "4000000000");
    let innombrables = sst.replace("</sst>", &format!("{}</sst>", "<si/>".repeat(5_000_001)));
    // Two rows of 10 000 001 empty cells: the most compressible way of holding that many.
    let lignes = format!("<row>{}</row>", "<c/>".repeat(10_000_001)).repeat(2);
    let cellules = feuille.replace("</sheetData>", &format!("{lignes}</sheetData>"));
    let fusions = feuille.replace(
        "</worksheet>",
        &format!(
            "<mergeCells count=\"100001\">{}</mergeCells></worksheet>",
            r#"<mergeCell ref="A3:A4"/>"#.repeat(100_001)
        ),
    );
    let cellule = |attributs: &str| {
        format!(r#"<table:table-cell {attributs} office:value-type="string"><text:p>x</text:p></table:table-cell>"#)
    };
    let entete = format!(
        "<table:table-row>{}{}</table:table-row>",
        cellule("").replace(">x<", ">rpls<"),
        cellule("").replace(">x<", ">commune<")
    );
    let ods = |lignes: &str| {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:spreadsheet><table:table table:name="Parc">{entete}{lignes}</table:table></office:spreadsheet></office:body></office:document-content>"#
        );
        outils::remplacer(&outils::ods(&[("Parc", vec![])]), &[("content.xml", xml.as_bytes())])
    };
    let lignes_repetees = format!(
        r#"<table:table-row table:number-rows-repeated="1048575">{}</table:table-row>"#,
        cellule(r#"table:number-columns-repeated="20""#)
    );
    let colonnes_repetees = format!(
        "<table:table-row>{}</table:table-row>",
        cellule(r#"table:number-columns-repeated="16384""#)
    )
    .repeat(1_300);
    vec![
        ("chaines_annoncees.xlsx", outils::remplacer(&xlsx, &[("xl/sharedStrings.xml", annonce.as_bytes())])),
        ("chaines_innombrables.xlsx", outils::remplacer(&xlsx, &[("xl/sharedStrings.xml", innombrables.as_bytes())])),
        ("cellules_innombrables.xlsx", outils::remplacer(&xlsx, &[("xl/worksheets/sheet1.xml", cellules.as_bytes())])),
        ("fusions_innombrables.xlsx", outils::remplacer(&xlsx, &[("xl/worksheets/sheet1.xml", fusions.as_bytes())])),
        ("lignes_repetees.ods", ods(&lignes_repetees)),
        ("colonnes_repetees.ods", ods(&colonnes_repetees)),
    ]
}

/// The shared strings with another `uniqueCount`.
fn regex_unique_count(sst: &str, compte: &str) -> String {
    let debut = sst.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
    let fin = debut + sst[debut..].find('"').unwrap();
    format!("{}{compte}{}", &sst[..debut], &sst[fin..])
}

/// Île-de-France communes of the open-data fixture: INSEE code, postal code, name.
const COMMUNES_IDF: [(&str, &str, &str); 24] = [
    ("75111", "75011", "Paris 11e Arrondissement"),
    ("75113", "75013", "Paris 13e Arrondissement"),
    ("75119", "75019", "Paris 19e Arrondissement"),
    ("75120", "75020", "Paris 20e Arrondissement"),
    ("77288", "77000", "Melun"),
    ("78361", "78200", "Mantes-la-Jolie"),
    ("78621", "78190", "Trappes"),
    ("78646", "78000", "Versailles"),
    ("91228", "91000", "Évry-Courcouronnes"),
    ("91286", "91350", "Grigny"),
    ("92012", "92100", "Boulogne-Billancourt"),
    ("92036", "92230", "Gennevilliers"),
    ("92050", "92000", "Nanterre"),
    ("93001", "93300", "Aubervilliers"),
    ("93008", "93000", "Bobigny"),
    ("93027", "93120", "La Courneuve"),
    ("93048", "93100", "Montreuil"),
    ("93066", "93200", "Saint-Denis"),
    ("94017", "94500", "Champigny-sur-Marne"),
    ("94028", "94000", "Créteil"),
    ("94081", "94400", "Vitry-sur-Seine"),
    ("95018", "95100", "Argenteuil"),
    ("95127", "95000", "Cergy"),
    ("95585", "95200", "Sarcelles"),
];

/// Rows of the open-data fixture with a typo in `nb` (0-based row, value).
const FAUTES_NB: [(usize, &str); 3] = [(57, "0"), (143, "12,5"), (251, "1000000")];

/// An RPLS open-data extract as published (SPEC §2 v2: no identifier, no reservation, one row
/// per group of identical logements counted in `nb`): 300 rows over 24 Île-de-France communes,
/// CRLF, UTF-8, three typos in `nb` ([`FAUTES_NB`]). Pseudo-random but fixed.
fn donnees_ouvertes() -> String {
    const DEPARTEMENTS: [(&str, &str); 8] = [
        ("75", "Paris"),
        ("77", "Seine-et-Marne"),
        ("78", "Yvelines"),
        ("91", "Essonne"),
        ("92", "Hauts-de-Seine"),
        ("93", "Seine-Saint-Denis"),
        ("94", "Val-de-Marne"),
        ("95", "Val-d'Oise"),
    ];
    const VOIES: [(&str, &str); 8] = [
        ("RUE", "DE LA REPUBLIQUE"),
        ("AV", "JEAN JAURES"),
        ("BD", "VICTOR HUGO"),
        ("RUE", "PAUL ELUARD"),
        ("ALL", "DES TILLEULS"),
        ("PL", "DU MARCHE"),
        ("RUE", "GABRIEL PERI"),
        ("AV", "DE LA LIBERATION"),
    ];
    const FINANCEMENTS: [&str; 12] = [
        "10", "11", "12", "13", "14", "16", "50", "51", "52", "53", "54", "55",
    ];
    let mut x: u32 = 2027;
    let mut alea = |n: u32| {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (x >> 16) % n
    };
    let mut s = String::from("REG;DEP;LIBDEP;DEPCOM;CODEPOSTAL;LIBCOM;NUMVOIE;TYPVOIE;NOMVOIE;IMMEU;QPV;TYPECONST;NBPIECE;SURFHAB;CONSTRUCT;LOCAT;PATRIMOINE;ORIGINE;FINAN;FINANAUTRE;CONV;DPEENERGIE;nb\r\n");
    for i in 0..300 {
        let (depcom, cp, libcom) = COMMUNES_IDF[alea(24) as usize];
        let dep = &depcom[..2];
        let libdep = DEPARTEMENTS.iter().find(|d| d.0 == dep).unwrap().1;
        let (typvoie, nomvoie) = VOIES[alea(8) as usize];
        let pieces = 1 + alea(6);
        let surface = 16 + pieces * 14 + alea(12);
        let surface = match alea(3) {
            0 => format!("{surface},5"),
            _ => surface.to_string(),
        };
        let construct = 1950 + alea(73);
        let nb = match FAUTES_NB.iter().find(|f| f.0 == i) {
            Some(f) => f.1.to_owned(),
            None => match alea(10) {
                0..=5 => 1 + alea(4),
                6..=8 => 5 + alea(20),
                _ => 25 + alea(60),
            }
            .to_string(),
        };
        let champs = [
            "11".to_owned(),
            dep.into(),
            libdep.into(),
            depcom.into(),
            cp.into(),
            libcom.into(),
            (1 + alea(120)).to_string(),
            typvoie.into(),
            nomvoie.into(),
            format!("{:06}", 100 + alea(60)),
            (if alea(4) == 0 { "1" } else { "2" }).into(),
            (if alea(10) == 0 { "I" } else { "C" }).into(),
            pieces.to_string(),
            surface,
            construct.to_string(),
            (construct + alea(3)).to_string(),
            "1".into(),
            (1 + alea(3)).to_string(),
            FINANCEMENTS[alea(12) as usize].into(),
            String::new(),
            "1".into(),
            ["A", "B", "C", "D", "E", "F", "G"][alea(7) as usize].into(),
            nb,
        ];
        s += &champs.join(";");
        s += "\r\n";
    }
    s
}

/// The sheet of `formules_fusions.xlsx` (and `formules_fusions.csv`, its hand-written CSV twin).
fn formules_fusions() -> Vec<u8> {
    let mut w = Workbook::new();
    let d = ExcelDateTime::from_ymd(2026, 1, 1).unwrap();
    w.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&d));
    let f = w.add_worksheet().set_name("Parc").unwrap();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let pourcent = Format::new().set_num_format("0.0%");
    let entetes = [
        "rpls",
        "bailleur",
        "commune",
        "typologie",
        "surface",
        "loyer",
        "reservataire",
        "categorie",
        "type_droit",
        "date_fin",
        "taux_rotation",
        "qpv",
    ];
    for (j, e) in entetes.iter().enumerate() {
        f.write(0, j as u16, *e).unwrap();
    }
    // Row 2–4: one bailleur merged down B2:B4; typed numbers, formulas, a date, a percentage.
    f.merge_range(1, 1, 3, 1, "Seine Habitat", &Format::new())
        .unwrap();
    let ligne = |f: &mut rust_xlsxwriter::Worksheet, r: u32, rpls: &str, valeurs: [&str; 6]| {
        f.write(r, 0, rpls).unwrap();
        for (j, v) in valeurs.iter().enumerate() {
            if !v.is_empty() {
                f.write(r, 6 + j as u16, *v).unwrap();
            }
        }
    };
    ligne(
        f,
        1,
        "F1",
        [
            "Action Logement Services",
            "action_logement",
            "suite",
            "",
            "",
            "",
        ],
    );
    f.write(1, 2, 93048).unwrap();
    f.write(1, 3, 3).unwrap();
    f.write(1, 4, 65.5).unwrap();
    f.write_formula(1, 5, Formula::new("=E2*6.4").set_result("419.2"))
        .unwrap();
    f.write_datetime_with_format(1, 9, ExcelDateTime::from_ymd(2040, 12, 31).unwrap(), &date)
        .unwrap();
    f.write_number_with_format(1, 10, 0.063, &pourcent).unwrap();
    f.write(1, 11, true).unwrap();
    ligne(
        f,
        2,
        "F2",
        ["Préfecture 93", "etat_prioritaires", "suite", "", "", ""],
    );
    f.write(2, 2, "93048").unwrap();
    f.write(2, 3, "T2").unwrap();
    f.write(2, 4, 45).unwrap();
    f.write_formula(2, 5, Formula::new("=E3*6.4").set_result("288"))
        .unwrap();
    f.write(2, 11, false).unwrap();
    ligne(
        f,
        3,
        "F3",
        ["Ville de Saint-Denis", "commune", "simple", "", "", ""],
    );
    f.write(3, 2, 93066).unwrap();
    f.write(3, 3, 4).unwrap();
    f.write(3, 4, 80).unwrap();
    f.write(3, 5, 510).unwrap();
    f.write(3, 9, 47483).unwrap(); // a date that lost its format: an Excel serial number
                                   // Row 5 is empty. Row 6: a lookup that failed in the commune column.
    ligne(f, 5, "F4", ["", "", "", "", "", ""]);
    f.write(5, 1, "Autre Bailleur").unwrap();
    f.write_formula(
        5,
        2,
        Formula::new("=VLOOKUP(\"x\",Z1:Z2,1,FALSE)").set_result("#N/A"),
    )
    .unwrap();
    f.write(5, 3, "T1").unwrap();
    ligne(f, 6, "F5", ["", "", "", "", "", ""]);
    f.write(6, 1, "Autre Bailleur").unwrap();
    f.write(6, 2, 93066).unwrap();
    f.write(6, 3, "T2").unwrap();
    f.write_formula(6, 4, Formula::new("=1/0").set_result("#DIV/0!"))
        .unwrap();
    f.write(6, 5, 300).unwrap();
    // Row 8: réservataire merged across réservataire and catégorie (horizontal).
    ligne(f, 7, "F6", ["", "", "suite", "", "", ""]);
    f.write(7, 1, "Autre Bailleur").unwrap();
    f.write(7, 2, 93066).unwrap();
    f.write(7, 3, 1).unwrap();
    f.merge_range(7, 6, 7, 7, "Ministère des Armées", &Format::new())
        .unwrap();
    f.write(7, 9, 2045).unwrap();
    ligne(
        f,
        8,
        "F7",
        ["AL", "action_logement", "suite", "31/02/2024", "", ""],
    );
    f.write(8, 1, "Autre Bailleur").unwrap();
    f.write(8, 2, 93066).unwrap();
    f.write(8, 3, 2).unwrap();
    f.write_formula(9, 0, Formula::new("=\"F\"&8").set_result("F8"))
        .unwrap();
    f.write(9, 1, "Autre Bailleur").unwrap();
    f.write(9, 2, 93066).unwrap();
    f.write(9, 3, 2).unwrap();
    f.write(9, 4, 45.5).unwrap();
    f.write(9, 10, 0.07).unwrap();
    f.write(9, 11, "oui").unwrap();
    w.save_to_buffer().unwrap()
}

fn plusieurs_feuilles() -> Vec<u8> {
    let mut w = Workbook::new();
    let d = ExcelDateTime::from_ymd(2026, 1, 1).unwrap();
    w.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&d));
    let f = w.add_worksheet().set_name("Lisez-moi").unwrap();
    f.write(
        0,
        0,
        "Ce classeur contient l'état des lieux dans la feuille Parc.",
    )
    .unwrap();
    f.write(1, 0, "Mise à jour : janvier 2026").unwrap();
    let f = w.add_worksheet().set_name("Parc").unwrap();
    for (i, l) in [["rpls", "commune"], ["P1", "93048"], ["P2", "93066"]]
        .iter()
        .enumerate()
    {
        f.write(i as u32, 0, l[0]).unwrap();
        f.write(i as u32, 1, l[1]).unwrap();
    }
    w.add_worksheet().set_name("Vide").unwrap();
    w.save_to_buffer().unwrap()
}

fn classeur_ods() -> Vec<u8> {
    use Cellule::*;
    let entetes = [
        "rpls",
        "bailleur",
        "commune",
        "typologie",
        "surface",
        "loyer",
        "reservataire",
        "categorie",
        "date_fin",
        "taux_rotation",
        "qpv",
    ];
    let lignes = vec![
        entetes.iter().map(|e| Texte(e)).collect(),
        vec![
            Texte("O1"),
            Fusion(2, "Seine Habitat"),
            Nombre(93048.0),
            Nombre(3.0),
            Nombre(65.5),
            Formule("of:=[.E2]*6.4", 419.2),
            Texte("Action Logement Services"),
            Texte("action_logement"),
            Date("2040-12-31"),
            Pourcent(0.063),
            Booleen(true),
        ],
        vec![
            Texte("O2"),
            Couverte,
            Texte("93048"),
            Texte("T2"),
            Nombre(45.0),
            Formule("of:=[.E3]*6.4", 288.0),
            Texte("Préfecture 93"),
            Texte("etat_prioritaires"),
            Vide,
            Vide,
            Booleen(false),
        ],
        vec![],
        vec![Texte("O3"), Texte("Autre"), Erreur("#N/A"), Texte("T1")],
        vec![
            Texte("O4"),
            Texte("Autre"),
            Nombre(93066.0),
            Texte("T1"),
            Nombre(30.0),
            Nombre(250.0),
            Texte("AL"),
            Texte("action_logement"),
            Date("2024-02-29"),
        ],
    ];
    outils::ods(&[("Parc", lignes), ("Notes", vec![vec![Texte("à jour")]])])
}

/// Inputs that once crashed `cargo fuzz` (tests/import_corpus/fuzz/, first byte = the target's
/// mode byte as in fuzz/fuzz_targets/csv.rs): read without panic, counts reconcile.
#[test]
fn fuzz_regressions() {
    let dossier = outils::chemin("fuzz");
    let mut n = 0;
    for f in std::fs::read_dir(dossier).unwrap() {
        let octets = std::fs::read(f.unwrap().path()).unwrap();
        let (mode, reste) = octets.split_first().unwrap();
        let entree = match mode % 2 {
            0 => [gestion_flux::generate::ENTETE.as_bytes(), b"\n", reste].concat(),
            _ => octets.clone(),
        };
        if let Ok(imp) = import::lire(&entree, &OptionsLecture::default()) {
            comptes(&imp);
        }
        n += 1;
    }
    assert!(n >= 1);
}

//! The same logements written in every dialect the reader accepts give identical results
//! (issue 4): our canonical CSV, a legacy RPLS export (Windows-1252, tabs, RPLS codes), a current
//! SDES export (`_CODE` / `_LIBELLE` columns, UTF-8 with BOM, commas, decimal points), an XLSX
//! and an ODS workbook with typed cells. (v2) Every dialect carries `programme` and `nb` under
//! one of their names; the same parc written one row per logement, or without `rpls` column, and
//! the canonical CSV read step by step as in the browser give the same results too.

#[path = "import_corpus/outils.rs"]
mod outils;

use gestion_flux::domain::{calculer, Parametres};
use gestion_flux::export::{self, Comptage};
use gestion_flux::domain::dataset::AUCUN;
use gestion_flux::import::progressif::LectureProgressive;
use gestion_flux::import::{self, values, Import, OptionsLecture};
use outils::Cellule;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

/// One logement, in neutral terms.
struct L {
    rpls: &'static str,
    bailleur: &'static str,
    commune: &'static str,
    nom_commune: &'static str,
    pieces: u8,
    /// Index in PLAI, PLUS, PLS, PLI, Autre.
    fin: usize,
    qpv: bool,
    surface: f64,
    loyer: f64,
    annee: u16,
    motif: &'static str,
    reservataire: &'static str,
    /// RPLS CONTRESLOG code 1..7 (0 = empty).
    contreslog: u8,
    simple: bool,
    date_fin: Option<(u16, u8, u8)>,
    utilise: bool,
    taux: Option<f64>,
    programme: &'static str,
    /// Identical logements this row stands for (SPEC §2 v2).
    nb: u32,
}

const FINANCEMENTS: [(&str, &str, &str); 5] = [
    ("PLAI", "11", "Prêt locatif aidé d'intégration"),
    ("PLUS", "13", "Prêt locatif à usage social"),
    ("PLS", "14", "Prêt locatif social"),
    ("PLI", "16", "Prêt locatif intermédiaire"),
    ("Autre", "99", "Autre financement"),
];
const CATEGORIES: [(&str, &str); 8] = [
    ("", ""),
    ("etat_agents", "Réservation préfectorale fonctionnaires"),
    ("etat_prioritaires", "Réservation préfectorale prioritaires"),
    ("action_logement", "Action Logement"),
    ("commune", "Collectivité territoriale"),
    ("ministere", "Ministère"),
    ("autre", "Autre réservataire"),
    ("non_reserve", "Non réservé"),
];

#[rustfmt::skip]
const PARC: [L; 12] = [
    L { rpls: "E01", bailleur: "Seine Habitat", commune: "93048", nom_commune: "Montreuil", pieces: 3, fin: 1, qpv: true, surface: 65.5, loyer: 420.1, annee: 1975, motif: "", reservataire: "Action Logement Services", contreslog: 3, simple: false, date_fin: Some((2040, 12, 31)), utilise: false, taux: Some(0.063), programme: "Résidence Croix de Chavaux", nb: 3 },
    L { rpls: "E02", bailleur: "Seine Habitat", commune: "93048", nom_commune: "Montreuil", pieces: 2, fin: 0, qpv: false, surface: 45.0, loyer: 310.0, annee: 1975, motif: "", reservataire: "Préfecture 93", contreslog: 2, simple: false, date_fin: None, utilise: false, taux: Some(0.08), programme: "Résidence Croix de Chavaux", nb: 1 },
    L { rpls: "E03", bailleur: "Seine Habitat", commune: "93048", nom_commune: "Montreuil", pieces: 1, fin: 0, qpv: false, surface: 30.0, loyer: 250.5, annee: 1990, motif: "", reservataire: "Préfecture 93 - fonctionnaires", contreslog: 1, simple: false, date_fin: Some((2031, 6, 30)), utilise: false, taux: None, programme: "Résidence Croix de Chavaux", nb: 1 },
    L { rpls: "E04", bailleur: "Seine Habitat", commune: "93066", nom_commune: "Saint-Denis", pieces: 4, fin: 1, qpv: true, surface: 80.0, loyer: 510.0, annee: 1968, motif: "", reservataire: "Ville de Saint-Denis", contreslog: 4, simple: false, date_fin: Some((2035, 12, 31)), utilise: false, taux: Some(0.05), programme: "Cité Floréal", nb: 2 },
    L { rpls: "E05", bailleur: "Seine Habitat", commune: "93066", nom_commune: "Saint-Denis", pieces: 5, fin: 2, qpv: false, surface: 95.25, loyer: 700.0, annee: 2005, motif: "", reservataire: "Ville de Saint-Denis", contreslog: 4, simple: true, date_fin: Some((2030, 12, 31)), utilise: false, taux: None, programme: "Cité Floréal", nb: 2 },
    L { rpls: "E06", bailleur: "Seine Habitat", commune: "93066", nom_commune: "Saint-Denis", pieces: 7, fin: 2, qpv: false, surface: 120.0, loyer: 900.0, annee: 2005, motif: "", reservataire: "Ville de Saint-Denis", contreslog: 4, simple: true, date_fin: None, utilise: true, taux: None, programme: "Cité Floréal", nb: 1 },
    L { rpls: "E07", bailleur: "Seine Habitat", commune: "93066", nom_commune: "Saint-Denis", pieces: 3, fin: 4, qpv: true, surface: 62.0, loyer: 400.0, annee: 1968, motif: "renouvellement_urbain", reservataire: "", contreslog: 0, simple: false, date_fin: None, utilise: false, taux: Some(0.1), programme: "Cité Floréal", nb: 4 },
    L { rpls: "E08", bailleur: "Seine Habitat", commune: "93066", nom_commune: "Saint-Denis", pieces: 2, fin: 1, qpv: false, surface: 48.0, loyer: 330.0, annee: 1999, motif: "", reservataire: "", contreslog: 7, simple: false, date_fin: None, utilise: false, taux: Some(0.045), programme: "Cité Floréal", nb: 5 },
    L { rpls: "P01", bailleur: "Paris Logement", commune: "75112", nom_commune: "Paris 12e Arrondissement", pieces: 2, fin: 3, qpv: false, surface: 50.0, loyer: 800.0, annee: 2010, motif: "", reservataire: "Ministère des Armées", contreslog: 5, simple: false, date_fin: Some((2045, 1, 15)), utilise: false, taux: Some(0.05), programme: "Îlot Daumesnil", nb: 1 },
    L { rpls: "P02", bailleur: "Paris Logement", commune: "75112", nom_commune: "Paris 12e Arrondissement", pieces: 3, fin: 1, qpv: false, surface: 70.0, loyer: 600.0, annee: 2010, motif: "", reservataire: "Fondation Logement Jeunes", contreslog: 6, simple: false, date_fin: Some((2038, 12, 31)), utilise: false, taux: None, programme: "Îlot Daumesnil", nb: 1 },
    L { rpls: "P03", bailleur: "Paris Logement", commune: "75112", nom_commune: "Paris 12e Arrondissement", pieces: 1, fin: 0, qpv: true, surface: 25.0, loyer: 280.0, annee: 1930, motif: "vente", reservataire: "Action Logement Services", contreslog: 3, simple: false, date_fin: Some((2033, 12, 31)), utilise: false, taux: Some(0.08), programme: "", nb: 1 },
    L { rpls: "P04", bailleur: "Paris Logement", commune: "75112", nom_commune: "Paris 12e Arrondissement", pieces: 4, fin: 1, qpv: false, surface: 85.0, loyer: 720.0, annee: 1930, motif: "", reservataire: "Action Logement Services", contreslog: 3, simple: false, date_fin: Some((2036, 12, 31)), utilise: false, taux: Some(0.063), programme: "Îlot Daumesnil", nb: 2 },
];

fn virgule(x: f64) -> String {
    x.to_string().replace('.', ",")
}

fn pourcent(t: f64) -> String {
    let texte = format!("{} %", virgule(t * 100.0));
    assert_eq!(
        values::nombre(&texte).unwrap(),
        Some(t),
        "{texte} doit valoir exactement {t}"
    );
    texte
}

fn date_fr((a, m, j): (u16, u8, u8)) -> String {
    format!("{j:02}/{m:02}/{a}")
}

fn canonique() -> Vec<u8> {
    canonique_avec(true, false)
}

/// Our canonical CSV; `rpls`: with the identifier column; `detaille`: one row per logement
/// (identifiers E01-1, E01-2…) instead of one row per group with its `nb`.
fn canonique_avec(rpls: bool, detaille: bool) -> Vec<u8> {
    let mut s = String::new();
    if rpls {
        s += "rpls;";
    }
    s += "bailleur;commune;typologie;financement;qpv;surface;loyer;annee_construction;hors_assiette;reservataire;categorie;type_droit;date_fin;droit_utilise;taux_rotation;programme";
    s += if detaille { "\n" } else { ";nb\n" };
    for l in &PARC {
        let t = if l.pieces >= 6 {
            "T6+".to_owned()
        } else {
            format!("T{}", l.pieces)
        };
        for k in 1..=(if detaille { l.nb } else { 1 }) {
            let mut champs = Vec::new();
            if rpls {
                champs.push(match detaille && l.nb > 1 {
                    true => format!("{}-{k}", l.rpls),
                    false => l.rpls.to_owned(),
                });
            }
            champs.extend([
                l.bailleur.into(),
                l.commune.into(),
                t.clone(),
                FINANCEMENTS[l.fin].0.into(),
                (if l.qpv { "oui" } else { "non" }).into(),
                virgule(l.surface),
                virgule(l.loyer),
                l.annee.to_string(),
                l.motif.into(),
                l.reservataire.into(),
                CATEGORIES[l.contreslog as usize].0.into(),
                (if l.simple { "simple" } else { "suite" }).into(),
                l.date_fin.map(date_fr).unwrap_or_default(),
                (if l.utilise { "oui" } else { "" }).into(),
                l.taux.map(virgule).unwrap_or_default(),
                l.programme.into(),
            ]);
            if !detaille {
                champs.push(l.nb.to_string());
            }
            s += &champs.join(";");
            s += "\n";
        }
    }
    s.into_bytes()
}

/// A legacy RPLS extract: Windows-1252, tab-separated, CRLF, RPLS names and codes.
fn rpls_1252() -> Vec<u8> {
    let mut s = String::from("IDENT_REP\tRS\tDEPCOM\tNBPIECE\tFINAN\tQPV\tSURFHAB\tLOYERPRINC\tCONSTRUCT\tMotif d'exclusion\tRéservataire\tCONTRESLOG\tDroit\tFin de réservation\tDroit utilisé\tTaux de rotation\tRésidence\tNombre de logements\r\n");
    for l in &PARC {
        let motif = match l.motif {
            "renouvellement_urbain" => "Renouvellement urbain",
            "vente" => "Vente HLM",
            m => m,
        };
        let champs = [
            l.rpls.to_owned(),
            l.bailleur.into(),
            l.commune.into(),
            l.pieces.to_string(),
            FINANCEMENTS[l.fin].1.into(),
            (if l.qpv { "1" } else { "2" }).into(),
            virgule(l.surface),
            virgule(l.loyer),
            l.annee.to_string(),
            motif.into(),
            l.reservataire.into(),
            if l.contreslog == 0 {
                String::new()
            } else {
                l.contreslog.to_string()
            },
            (if l.simple {
                "droit unique"
            } else {
                "droit de suite"
            })
            .into(),
            l.date_fin
                .map(|(a, m, j)| format!("{a}-{m:02}-{j:02}"))
                .unwrap_or_default(),
            (if l.utilise { "o" } else { "n" }).into(),
            l.taux.map(pourcent).unwrap_or_default(),
            format!(" {} ", l.programme),
            l.nb.to_string(),
        ];
        s += &champs.join("\t");
        s += "\r\n";
    }
    encoding_rs::WINDOWS_1252.encode(&s).0.into_owned()
}

/// A current SDES-style extract: `X_CODE` and `X_LIBELLE` columns (the code wins), UTF-8 with
/// BOM, commas, decimal points, dates as AAAA when they are a 31/12.
fn sdes() -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record([
        "IDENT_REP",
        "IDENT_ORG",
        "DEPCOM_LIBELLE",
        "DEPCOM_CODE",
        "NBPIECE_CODE",
        "FINAN_LIBELLE",
        "FINAN_CODE",
        "QPV_CODE",
        "QPV_LIBELLE",
        "SURFHAB",
        "LOYERPRINC",
        "CONSTRUCT",
        "hors_assiette",
        "reservataire",
        "CONTRESLOG_CODE",
        "CONTRESLOG_LIBELLE",
        "type_droit",
        "date_fin",
        "droit_utilise",
        "taux_rotation",
        "IMMEU",
        "NB_LOGEMENTS",
    ])
    .unwrap();
    for l in &PARC {
        let date = l.date_fin.map(|(a, m, j)| match (m, j) {
            (12, 31) => a.to_string(),
            _ => format!("{a}-{m:02}-{j:02}"),
        });
        w.write_record([
            l.rpls.to_owned(),
            l.bailleur.into(),
            l.nom_commune.into(),
            l.commune.into(),
            l.pieces.to_string(),
            FINANCEMENTS[l.fin].2.into(),
            FINANCEMENTS[l.fin].1.into(),
            (if l.qpv { "1" } else { "2" }).into(),
            (if l.qpv { "Logement en QPV" } else { "Hors QPV" }).into(),
            l.surface.to_string(),
            l.loyer.to_string(),
            l.annee.to_string(),
            l.motif.into(),
            l.reservataire.into(),
            if l.contreslog == 0 {
                String::new()
            } else {
                l.contreslog.to_string()
            },
            CATEGORIES[l.contreslog as usize].1.into(),
            (if l.simple { "simple" } else { "suite" }).into(),
            date.unwrap_or_default(),
            (if l.utilise { "true" } else { "false" }).into(),
            l.taux.map(|t| t.to_string()).unwrap_or_default(),
            l.programme.into(),
            l.nb.to_string(),
        ])
        .unwrap();
    }
    w.into_inner().unwrap()
}

const ENTETES_CLASSEUR: [&str; 18] = [
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
    "Ensemble",
    "nb_logements",
];

/// An XLSX with typed cells: numbers (the commune too), booleans, real dates, percentages, and
/// a loyer computed by a formula.
fn xlsx() -> Vec<u8> {
    let mut w = Workbook::new();
    let f = w.add_worksheet();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let pct = Format::new().set_num_format("0.0%");
    for (j, e) in ENTETES_CLASSEUR.iter().enumerate() {
        f.write(0, j as u16, *e).unwrap();
    }
    for (i, l) in PARC.iter().enumerate() {
        let r = i as u32 + 1;
        f.write(r, 0, l.rpls).unwrap();
        f.write(r, 1, l.bailleur).unwrap();
        f.write(r, 2, l.commune.parse::<u32>().unwrap()).unwrap();
        f.write(r, 3, l.pieces).unwrap();
        f.write(r, 4, FINANCEMENTS[l.fin].0).unwrap();
        f.write(r, 5, l.qpv).unwrap();
        f.write(r, 6, l.surface).unwrap();
        let loyer =
            Formula::new(format!("=G{}*0+{}", r + 1, l.loyer)).set_result(l.loyer.to_string());
        f.write_formula(r, 7, loyer).unwrap();
        f.write(r, 8, l.annee).unwrap();
        f.write(r, 9, l.motif).unwrap();
        f.write(r, 10, l.reservataire).unwrap();
        f.write(r, 11, CATEGORIES[l.contreslog as usize].0).unwrap();
        f.write(r, 12, if l.simple { "simple" } else { "suite" })
            .unwrap();
        if let Some((a, m, j)) = l.date_fin {
            let d = ExcelDateTime::from_ymd(a, m, j).unwrap();
            f.write_datetime_with_format(r, 13, &d, &date).unwrap();
        }
        f.write(r, 14, l.utilise).unwrap();
        if let Some(t) = l.taux {
            f.write_number_with_format(r, 15, t, &pct).unwrap();
        }
        f.write(r, 16, l.programme).unwrap();
        f.write(r, 17, l.nb).unwrap();
    }
    w.save_to_buffer().unwrap()
}

fn ods() -> Vec<u8> {
    use Cellule::*;
    let mut lignes: Vec<Vec<Cellule>> = vec![ENTETES_CLASSEUR.iter().map(|e| Texte(e)).collect()];
    let dates: Vec<Option<String>> = PARC
        .iter()
        .map(|l| l.date_fin.map(|(a, m, j)| format!("{a}-{m:02}-{j:02}")))
        .collect();
    for (l, date) in PARC.iter().zip(&dates) {
        lignes.push(vec![
            Texte(l.rpls),
            Texte(l.bailleur),
            Nombre(l.commune.parse().unwrap()),
            Nombre(l.pieces.into()),
            Texte(FINANCEMENTS[l.fin].0),
            Booleen(l.qpv),
            Nombre(l.surface),
            Formule("of:=[.G2]*0", l.loyer),
            Nombre(l.annee.into()),
            Texte(l.motif),
            Texte(l.reservataire),
            Texte(CATEGORIES[l.contreslog as usize].0),
            Texte(if l.simple { "simple" } else { "suite" }),
            date.as_deref().map_or(Vide, Date),
            Booleen(l.utilise),
            l.taux.map_or(Vide, Pourcent),
            Texte(l.programme),
            Nombre(l.nb.into()),
        ]);
    }
    outils::ods(&[("Parc", lignes)])
}

/// Every output of the engine for an import, as bytes to compare.
fn resultats(imp: &Import, p: &Parametres) -> Vec<Vec<u8>> {
    let r = calculer(&imp.dataset, p);
    vec![
        export::synthese_json(Comptage::default(), &r).into_bytes(),
        export::etalement_csv(&r),
        export::objectifs_csv(&r),
        export::vue_csv(&r.communes.communes, "commune", &Default::default()),
    ]
}

/// Per logement: its programme name (`None`: none).
fn programmes(imp: &Import) -> Vec<Option<&str>> {
    let ds = &imp.dataset;
    ds.programme
        .iter()
        .map(|&p| (p != AUCUN).then(|| ds.programmes[p as usize].as_str()))
        .collect()
}

#[test]
fn every_dialect_gives_the_same_results() {
    let dialectes = [
        ("canonique", canonique()),
        ("RPLS Windows-1252", rpls_1252()),
        ("SDES", sdes()),
        ("XLSX", xlsx()),
        ("ODS", ods()),
        ("sans rpls", canonique_avec(false, false)),
        ("un logement par ligne", canonique_avec(true, true)),
    ];
    let parametres = [
        Parametres::default(),
        Parametres::depuis_json(r#"{"rotation": {"mode": "observe"}, "arrondi": "report"}"#).unwrap(),
        Parametres::depuis_json(r#"{"rotation": {"mode": "par_segment", "par_segment": {"cle": "financement", "taux": {"PLAI": 0.09, "PLS": 0.04}}}}"#).unwrap(),
    ];
    let mut imports: Vec<(&str, Import)> = dialectes
        .iter()
        .map(|(nom, octets)| {
            (
                *nom,
                import::lire(octets, &OptionsLecture::default()).unwrap(),
            )
        })
        .collect();
    imports.push((
        "canonique pas à pas",
        LectureProgressive::commencer(&canonique(), None).unwrap().finir().unwrap(),
    ));
    // Without `rpls`, one warning names the fallback identifiers (it would add an alert).
    let sans_rpls = &mut imports[5].1;
    assert_eq!(
        outils::motifs(&sans_rpls.avertissements),
        [(1, "rpls", "pas de colonne d'identifiant RPLS : chaque ligne est identifiée par son numéro (L2 pour la ligne 2, etc.)")]
    );
    assert_eq!(sans_rpls.dataset.rpls.get(0), "L2");
    assert_eq!(sans_rpls.dataset.rpls.get(3), "L3", "E01 : 3 logements, ligne 2");
    sans_rpls.dataset.nb_avertissements -= 1;
    let attendus: Vec<_> = parametres
        .iter()
        .map(|p| resultats(&imports[0].1, p))
        .collect();
    assert_eq!(imports[1].1.encodage, "Windows-1252");
    let logements: usize = PARC.iter().map(|l| l.nb as usize).sum();
    assert_eq!(logements, 24);
    let lignes_du_parc: Vec<u32> = PARC
        .iter()
        .enumerate()
        .flat_map(|(i, l)| std::iter::repeat_n(i as u32 + 2, l.nb as usize))
        .collect();
    for (nom, imp) in &imports {
        let lignes = match *nom {
            "un logement par ligne" => logements,
            _ => PARC.len(),
        };
        assert_eq!(
            (imp.lignes_lues, imp.lignes_retenues, imp.rejets.len()),
            (lignes, lignes, 0),
            "{nom}: {:?}",
            imp.rejets
        );
        assert_eq!(imp.dataset.len(), logements, "{nom}: Σ nb logements");
        if lignes == PARC.len() {
            assert_eq!(imp.lignes, lignes_du_parc, "{nom}: la ligne de chaque logement");
        }
        let ds = &imp.dataset;
        assert_eq!(ds.financement, imports[0].1.dataset.financement, "{nom}");
        assert_eq!(ds.qpv, imports[0].1.dataset.qpv, "{nom}");
        assert_eq!(ds.fin, imports[0].1.dataset.fin, "{nom}");
        assert_eq!(ds.partie, imports[0].1.dataset.partie, "{nom}");
        assert_eq!(programmes(imp), programmes(&imports[0].1), "{nom}");
        for (p, attendu) in parametres.iter().zip(&attendus) {
            assert!(
                resultats(imp, p) == *attendu,
                "{nom} differs from the canonical dialect"
            );
        }
    }
    let ds = &imports[0].1.dataset;
    assert_eq!(
        ds.programmes,
        ["Résidence Croix de Chavaux", "Cité Floréal", "Îlot Daumesnil"]
    );
    assert_eq!(programmes(&imports[0].1)[21], None, "P03 sans programme");
    // The results are not trivial: several perimeters, réservataires with volumes, and the
    // logements of a row with nb > 1 all count (E01: 3 logements reserved by Action Logement).
    let r = calculer(ds, &parametres[0]);
    assert_eq!(r.perimetres.len(), 2);
    assert!(r.perimetres.iter().all(|p| p.parts.len() > 3));
    assert_eq!(r.perimetres.iter().map(|p| p.logements).sum::<u32>(), 24);
    let al = r.perimetres[0]
        .parts
        .iter()
        .find(|p| p.reservataire == "Action Logement Services")
        .unwrap();
    assert_eq!(al.logements_reserves, 3);
}

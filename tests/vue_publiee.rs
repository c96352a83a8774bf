//! Consultation mode (SPEC §9): a published communal view read back from its CSVs or its JSON twin
//! gives the same rows, the same masked cells, and the published values (as rounded in the files);
//! nothing masked comes back.

use gestion_flux::domain::secret::{Colonne, Masque};
use gestion_flux::domain::{Parametres, VueCommunale};
use gestion_flux::export::{self, publication};
use gestion_flux::import::vue_publiee;

mod commun;
use commun::demo_publiee as resultats_demo;

fn demo() -> (VueCommunale, Masque, Parametres) {
    let (r, m, p) = resultats_demo();
    (r.communes.clone(), m, p)
}

fn cases(m: &gestion_flux::domain::secret::MasqueNiveau) -> Vec<(String, Colonne)> {
    let mut v: Vec<(String, Colonne)> = m.lignes.iter().flat_map(|(code, cs)| cs.iter().map(move |(c, _)| (code.clone(), *c))).collect();
    v.sort();
    v
}

fn verifier(lu: &vue_publiee::VuePubliee, vue: &VueCommunale, m: &Masque) {
    for (a, b, ma, mb) in [
        (&lu.vue.communes, &vue.communes, &lu.masque.communes, &m.communes),
        (&lu.vue.epci, &vue.epci, &lu.masque.epci, &m.epci),
        (&lu.vue.departements, &vue.departements, &lu.masque.departements, &m.departements),
    ] {
        assert_eq!(a.len(), b.len());
        assert_eq!(cases(ma), cases(mb), "same masked cells");
        for (x, y) in a.iter().zip(b) {
            assert_eq!((&x.code, &x.nom, &x.epci, &x.departement), (&y.code, &y.nom, &y.epci, &y.departement));
            assert_eq!(x.agregat.logements, y.agregat.logements);
            assert_eq!(x.agregat.assiette, y.agregat.assiette);
            assert!((x.agregat.flux - y.agregat.flux).abs() <= 0.005);
            for c in Colonne::toutes() {
                if mb.masque(&y.code, c) {
                    assert_eq!(c.valeur(&x.agregat), 0.0, "a masked value never comes back");
                } else {
                    assert!((c.valeur(&x.agregat) - c.valeur(&y.agregat)).abs() <= 0.005, "{} {c:?}", y.code);
                }
            }
        }
    }
    assert_eq!(lu.masquees() as u32, m.total());
}

#[test]
fn the_three_csvs_read_back() {
    let (vue, m, _) = demo();
    assert!(m.total() > 0);
    let fichiers = vec![
        ("communes.csv".to_owned(), export::vue_csv(&vue.communes, "commune", &m.communes)),
        ("epci.csv".to_owned(), export::vue_csv(&vue.epci, "code", &m.epci)),
        ("departements.csv".to_owned(), export::vue_csv(&vue.departements, "code", &m.departements)),
    ];
    let lu = vue_publiee::lire(&fichiers).unwrap();
    verifier(&lu, &vue, &m);
    assert_eq!(lu.fichiers.iter().map(|f| f.1).collect::<Vec<_>>(), ["communes", "EPCI et EPT", "départements"]);
}

#[test]
fn the_json_twin_reads_back() {
    let (vue, m, p) = demo();
    let lu = vue_publiee::lire(&[("vue_communale.json".to_owned(), publication::json(&vue, &m, &p).into_bytes())]).unwrap();
    verifier(&lu, &vue, &m);
}

#[test]
fn the_results_workbook_reads_back() {
    let (r, m, p) = resultats_demo();
    let xlsx = export::classeur::ecrire_xlsx(&export::classeur::feuilles(&r, &p, &m));
    let lu = vue_publiee::lire(&[("resultats-gestion-flux.xlsx".to_owned(), xlsx)]).unwrap();
    verifier(&lu, &r.communes, &m);
    assert_eq!(
        lu.fichiers,
        [
            ("resultats-gestion-flux.xlsx › Vue communale".to_owned(), "communes"),
            ("resultats-gestion-flux.xlsx › EPCI-EPT".to_owned(), "EPCI et EPT"),
            ("resultats-gestion-flux.xlsx › Départements".to_owned(), "départements"),
        ]
    );
    // A workbook without any communal sheet (the état des lieux template) is refused by name.
    let modele = export::modele::modele_xlsx();
    let e = vue_publiee::lire(&[("modele.xlsx".to_owned(), modele)]).unwrap_err();
    assert!(e.contains("« modele.xlsx » ne contient aucune feuille de vue communale"), "{e}");
}

#[test]
fn foreign_files_get_a_french_message() {
    let err = |nom: &str, octets: &[u8]| vue_publiee::lire(&[(nom.to_owned(), octets.to_vec())]).unwrap_err();
    assert!(err("x.json", br#"{"a": 1}"#).contains("n'est pas une vue communale publiée"));
    assert!(err("etat.csv", b"rpls;commune\n1;75056\n").contains("n'est pas une vue communale publiée"));
    assert!(err("c.csv", b"commune;nom;epci;departement;logements;inconnue\n75056;Paris;;75;3;1\n").contains("inconnue"));
    assert!(err("c.csv", b"commune;nom;epci;departement;logements\n75056;Paris;;75;trois\n").contains("ligne 2, colonne « logements »"));
    assert!(err("b.bin", &[0xff, 0xfe, 0x00]).contains("UTF-8"));
}

//! Fixtures shared by several test files (`mod commun;` in each).

use gestion_flux::domain::secret::{masquer, Masque};
use gestion_flux::domain::{calculer_avec, Parametres, Resultats};
use gestion_flux::geo::Geographie;

/// The demo état des lieux computed with a conversion on 1 January 2026 (tests never depend on
/// the clock), and the publication mask of its communal view.
pub fn demo_publiee() -> (Resultats, Masque, Parametres) {
    let octets = std::fs::read("public/demo/etat-des-lieux-demo.csv").unwrap();
    let import = gestion_flux::import::lire(&octets, &Default::default()).unwrap();
    let mut p = Parametres::default();
    p.date_conversion = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let r = calculer_avec(&import.dataset, &p, Some(Geographie::officielle()));
    let m = masquer(&r.communes, p.secret_statistique);
    (r, m, p)
}

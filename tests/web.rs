//! Component tests in a real headless Chromium (wasm-bindgen-test + chromedriver): the app is
//! mounted with its own [`Session`] and the DOM is checked against the engine's own numbers.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use gestion_flux::domain::{calculer, Parametres};
use gestion_flux::format::{decimal, percent};
use gestion_flux::import::lire_csv;
use gestion_flux::ui::{Application, Page, Session};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CSV: &str = "rpls;bailleur;commune;reservataire;categorie;type_droit;date_fin\n\
L1;Bailleur A;93048;Ville de Montreuil;commune;suite;31/12/2040\n\
L2;Bailleur A;93048;;;;\n\
L3;Bailleur A;93048;Action Logement;action_logement;suite;31/12/2030\n\
L4;Bailleur A;93048;;;;\n\
L5;Bailleur A;93048;;;;\n";

/// Mounts the application with a fresh session in a new `<div>`; returns both.
fn monter() -> (web_sys::HtmlElement, Session) {
    let document = document();
    let hote: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&hote).unwrap();
    let cree = Rc::new(RefCell::new(None));
    let c = cree.clone();
    leptos::mount::mount_to(hote.clone(), move || {
        let session = Session::new(Parametres::default());
        *c.borrow_mut() = Some(session);
        view! { <Application session/> }
    })
    .forget();
    let session = cree.borrow().expect("session");
    (hote, session)
}

/// Lets Leptos run its effects (render, then property updates).
async fn attendre() {
    for _ in 0..3 {
        leptos::task::tick().await;
        gloo::timers::future::TimeoutFuture::new(0).await;
    }
}

fn texte(hote: &web_sys::HtmlElement, selecteur: &str) -> String {
    let e = hote.query_selector(selecteur).unwrap();
    e.unwrap_or_else(|| panic!("{selecteur} absent")).text_content().unwrap()
}

fn attendu(p: &Parametres) -> gestion_flux::domain::Resultats {
    calculer(&lire_csv(CSV.as_bytes()).unwrap().dataset, p)
}

#[wasm_bindgen_test]
async fn shares_page_shows_the_engine_numbers_and_follows_parameters() {
    let (hote, s) = monter();
    s.charger("petit.csv".into(), CSV.as_bytes().to_vec());
    s.page.set(Page::Parts);
    attendre().await;

    let r = attendu(&s.parametres.get_untracked());
    assert_eq!(texte(&hote, "[data-testid=flux]"), decimal(r.perimetres[0].flux_annuel, 1));
    assert_eq!(texte(&hote, "[data-testid=total-parts]"), percent(1.0, 2));
    let ligne = texte(&hote, "tr[data-partie='Action Logement'] .part");
    let al = r.perimetres[0].parts.iter().find(|p| p.reservataire == "Action Logement").unwrap();
    assert_eq!(ligne, percent(al.part, 2));

    // Raise the single rate: the flux shown follows the engine at once.
    s.regler(|p| p.rotation.taux_unique = 0.10);
    attendre().await;
    let r = attendu(&s.parametres.get_untracked());
    assert_eq!(texte(&hote, "[data-testid=flux]"), decimal(r.perimetres[0].flux_annuel, 1));
    assert_eq!(texte(&hote, "[data-testid=flux]"), "0,5");
}

#[wasm_bindgen_test]
async fn parameter_panel_edits_the_session() {
    let (hote, s) = monter();
    s.page.set(Page::Parametres);
    attendre().await;
    let champ: web_sys::HtmlInputElement = hote.query_selector("#taux-unique").unwrap().unwrap().unchecked_into();
    assert_eq!(champ.value(), "6.3");
    champ.set_value("8");
    champ.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    attendre().await;
    assert_eq!(s.parametres.get_untracked().rotation.taux_unique, 0.08);

    // An État share above 30 % is refused with a French message naming the parameter.
    let etat: web_sys::HtmlInputElement = hote.query_selector("#etat-part-totale").unwrap().unwrap().unchecked_into();
    etat.set_value("35");
    etat.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    s.charger("petit.csv".into(), CSV.as_bytes().to_vec());
    attendre().await;
    assert!(texte(&hote, "[data-testid=parametres-erreur]").contains("etat.part_totale"));
}

#[wasm_bindgen_test]
async fn data_page_reports_counts_and_rejects() {
    let (hote, s) = monter();
    let csv = format!("{CSV}L6;Bailleur A;;;;;\n");
    s.charger("rejets.csv".into(), csv.into_bytes());
    attendre().await;
    let comptes = texte(&hote, "[data-testid=comptes]");
    assert!(comptes.starts_with("6 lignes lues = 5 retenues + 1 rejetées"), "{comptes}");
    assert!(texte(&hote, "[data-testid=rejets]").contains("commune"));
}

#[wasm_bindgen_test]
async fn communal_view_publishes_the_domain_mask_and_its_counts() {
    use gestion_flux::domain::secret::{masquer, Colonne};
    let (hote, s) = monter();
    s.charger("petit.csv".into(), CSV.as_bytes().to_vec());
    s.page.set(Page::Communes);
    attendre().await;

    // Publication mode is on by default: the counts said are the domain's.
    let r = s.resultats_ok().unwrap();
    let m = masquer(&r.communes, s.parametres.get_untracked().secret_statistique);
    assert!(m.primaires > 0 && m.derivees > 0, "{m:?}");
    assert_eq!(s.masque.get_untracked().as_deref(), Some(&m));
    let total = texte(&hote, "[data-testid=secret-total]");
    assert!(total.starts_with(&format!("{} cases masquées", m.total())), "{total}");
    assert!(total.contains(&format!("communes : {} ;", m.communes.nombre())), "{total}");
    assert!(texte(&hote, "[data-testid=secret-primaires]").starts_with(&format!("{} petit", m.primaires)));
    assert!(texte(&hote, "[data-testid=secret-derivees]").starts_with(&format!("{} valeur", m.derivees)));
    assert!(texte(&hote, "[data-testid=secret-complementaires]").starts_with(&format!("{} case", m.complementaires)));

    // The reserved logements: « s » exactly where the domain masks, with an accessible name.
    let colonnes: web_sys::HtmlSelectElement = hote.query_selector("#colonnes").unwrap().unwrap().unchecked_into();
    colonnes.set_value("Logements réservés");
    colonnes.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    attendre().await;
    let ligne = hote.query_selector("tr[data-code='93048']").unwrap().unwrap();
    let attendues = gestion_flux::domain::Categorie::RESERVANTES.iter().filter(|&&c| m.communes.masque("93048", Colonne::Reserves(c))).count();
    assert!(attendues > 0);
    assert_eq!(ligne.inner_html().matches("class=\"nombre secret\"").count(), attendues);
    let cellule = ligne.query_selector("td.secret").unwrap().unwrap();
    assert_eq!(cellule.text_content().unwrap(), "ssecret statistique");
    assert_eq!(cellule.query_selector("[aria-hidden=true]").unwrap().unwrap().text_content().unwrap(), "s");

    // Detailed mode: exact counts, no mask, and a warning.
    let publication: web_sys::HtmlInputElement = hote.query_selector("#publication").unwrap().unwrap().unchecked_into();
    publication.set_checked(false);
    publication.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    attendre().await;
    assert!(hote.query_selector("td.secret").unwrap().is_none());
    assert!(texte(&hote, "[data-testid=mode-detaille]").contains("effectifs exacts"));
    assert!(hote.query_selector("[data-testid=secret-statistique]").unwrap().is_none());
}

/// The communes map: « Chargement de la carte… » at once, then (the drawing worker is not served
/// by the test runner) a French error; drawn (here on the page's thread, as the worker would),
/// every commune of the file's départements, the secret one hatched, and the focused commune's
/// name and value repeated under the map.
#[wasm_bindgen_test]
async fn communes_map_loads_lazily_and_draws_every_commune() {
    use gestion_flux::carte::{Carte, Donnee};
    use gestion_flux::ui::carte::{dessiner_localement, CarteCommunes};
    const ASSET: &str = include_str!("../data/carte-idf.txt");

    let hote: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&hote).unwrap();
    let valeurs = vec![
        ("93048".to_owned(), Donnee::Valeur(1234.0)),
        ("93066".to_owned(), Donnee::Secret),
        ("93001".to_owned(), Donnee::Valeur(7.0)),
    ];
    leptos::mount::mount_to(hote.clone(), move || view! { <CarteCommunes valeurs colonne="Logements" regroupement_plm=true/> }).forget();
    assert_eq!(texte(&hote, "[data-testid=carte-chargement]"), "Chargement de la carte…");

    let mut essais = 0;
    while hote.query_selector("[data-testid=carte-chargement]").unwrap().is_some() && essais < 500 {
        gloo::timers::future::TimeoutFuture::new(10).await;
        essais += 1;
    }
    let erreur = texte(&hote, "[data-testid=carte-erreur]");
    assert!(erreur.starts_with("La carte des communes n'a pas pu être chargée (le module de dessin de la carte a échoué)"), "{erreur}");
    let carte = std::rc::Rc::new(Carte::parse(ASSET).unwrap());
    let c = carte.clone();
    dessiner_localement(move |d| d.dessiner(&c, None));
    let reessayer: web_sys::HtmlElement = hote.query_selector("[data-testid=carte-erreur] button").unwrap().unwrap().unchecked_into();
    reessayer.click();
    let mut essais = 0;
    while hote.query_selector("[data-testid=carte] svg").unwrap().is_none() && essais < 200 {
        gloo::timers::future::TimeoutFuture::new(10).await;
        essais += 1;
    }

    let attendues = carte.formes(true).filter(|c| c.code.starts_with("93")).count();
    let svg = hote.query_selector("[data-testid=carte] svg").unwrap().expect("the map").outer_html();
    assert_eq!(svg.matches(" data-code=").count(), attendues);
    let montreuil = hote.query_selector("path[data-code='93048']").unwrap().expect("Montreuil");
    assert_eq!(montreuil.get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(montreuil.get_attribute("aria-label").as_deref(), Some("Montreuil (93048) — Logements : 1\u{202F}234"));
    let saint_denis = hote.query_selector("path[data-code='93066']").unwrap().unwrap();
    assert_eq!(saint_denis.get_attribute("fill").as_deref(), Some("url(#carte-communes-secret)"));
    assert!(hote.query_selector("#carte-communes-secret").unwrap().is_some(), "the hatch pattern");
    assert!(texte(&hote, "svg title").starts_with("Carte des communes : Logements"));

    // Keyboard: focusing a commune shows its name and value under the map.
    let focus = js_sys::Reflect::get(&montreuil, &"focus".into()).unwrap().unchecked_into::<js_sys::Function>();
    focus.call0(&montreuil).unwrap();
    attendre().await;
    assert_eq!(texte(&hote, "[data-testid=carte-info]"), "Montreuil (93048) — Logements : 1\u{202F}234");
}

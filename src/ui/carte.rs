//! The communes map (SPEC §9): drawn by the `dessin` Web Worker (`src/bin/dessin.rs`), which
//! fetches the contours from the app's own origin the first time a map is shown — never at start —
//! and keeps them; the SVG comes from [`crate::carte::dessiner`], the pure function the static
//! publication page uses too. The renderer lives in the worker so that the page's own module stays
//! within its size budget; this component only asks for a drawing and places it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::carte::{Demande, Dessin, Donnee};

/// Where a map is.
#[derive(Clone)]
enum EtatDessin {
    Attente,
    Pret(Arc<Dessin>),
    Echec(String),
}

/// Draws maps in place of the worker (component tests, where no worker is served).
type DessinLocal = Rc<dyn Fn(&Demande) -> Dessin>;

/// The drawing worker, started with the first map and kept for the page's life.
struct Dessinateur {
    worker: web_sys::Worker,
    /// Resolves once the worker has its message handler.
    pret: js_sys::Promise,
    /// Requests sent and not yet answered: number → the promise's resolve function.
    attentes: Rc<RefCell<HashMap<u32, js_sys::Function>>>,
    prochain: u32,
}

thread_local! {
    static DESSINATEUR: RefCell<Option<Dessinateur>> = const { RefCell::new(None) };
    static LOCAL: RefCell<Option<DessinLocal>> = RefCell::new(None);
}

#[derive(Serialize)]
struct Message<'a> {
    n: u32,
    demande: &'a Demande,
}

#[derive(Deserialize)]
struct Reponse {
    n: u32,
    dessin: Option<Dessin>,
    erreur: Option<String>,
}

/// Component tests: maps are drawn by `f` on the page's thread, no worker.
pub fn dessiner_localement(f: impl Fn(&Demande) -> Dessin + 'static) {
    LOCAL.with(|l| *l.borrow_mut() = Some(Rc::new(f)));
}

/// Starts the worker; every answer resolves the promise of its request number.
fn demarrer() -> Result<Dessinateur, String> {
    let worker = web_sys::Worker::new("./dessin_loader.js").map_err(|e| format!("{e:?}"))?;
    let attentes: Rc<RefCell<HashMap<u32, js_sys::Function>>> = Rc::default();
    let mut pret_ok = None;
    let mut pret_ko = None;
    let pret = js_sys::Promise::new(&mut |ok, ko| {
        pret_ok = Some(ok);
        pret_ko = Some(ko);
    });
    let (pret_ok, pret_ko) = (pret_ok.expect("set by Promise::new"), pret_ko.expect("set by Promise::new"));
    let a = attentes.clone();
    let recevoir = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        let texte = e.data().as_string().unwrap_or_default();
        if texte == "pret" {
            let _ = pret_ok.call0(&JsValue::NULL);
            return;
        }
        if let Ok(r) = serde_json::from_str::<Reponse>(&texte) {
            if let Some(resoudre) = a.borrow_mut().remove(&r.n) {
                let valeur = match (r.dessin, r.erreur) {
                    (Some(d), _) => serde_json::to_string(&d).map(JsValue::from).unwrap_or(JsValue::NULL),
                    (None, e) => JsValue::from(js_sys::Error::new(&e.unwrap_or_default())),
                };
                let _ = resoudre.call1(&JsValue::NULL, &valeur);
            }
        }
    });
    worker.set_onmessage(Some(recevoir.as_ref().unchecked_ref()));
    recevoir.forget();
    // The worker failed (its script not served or blocked, or an error while drawing): the
    // requests waiting fail at once, and the next map starts a new worker.
    let a = attentes.clone();
    let ko = pret_ko.clone();
    let erreur = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
        let e = JsValue::from(js_sys::Error::new("le module de dessin de la carte a échoué"));
        let _ = ko.call1(&JsValue::NULL, &e);
        for (_, resoudre) in a.borrow_mut().drain() {
            let _ = resoudre.call1(&JsValue::NULL, &e);
        }
        arreter();
    });
    worker.set_onerror(Some(erreur.as_ref().unchecked_ref()));
    erreur.forget();
    // A worker whose module never loads sends no error: give up waiting after a while (rejecting
    // an already-settled promise does nothing).
    gloo::timers::callback::Timeout::new(DELAI_DEMARRAGE_MS, move || {
        let e = JsValue::from(js_sys::Error::new("le module de dessin de la carte n'a pas démarré"));
        let _ = pret_ko.call1(&JsValue::NULL, &e);
    })
    .forget();
    Ok(Dessinateur { worker, pret, attentes, prochain: 1 })
}

/// How long the page waits for the drawing worker to be ready.
const DELAI_DEMARRAGE_MS: u32 = 20_000;

/// Stops the drawing worker, if any: the next map starts a new one.
fn arreter() {
    if let Some(d) = DESSINATEUR.with(|d| d.borrow_mut().take()) {
        d.worker.terminate();
    }
}

/// Draws a map: in the worker (started on first use), or locally in component tests.
pub async fn dessiner_carte(demande: Demande) -> Result<Dessin, String> {
    if let Some(f) = LOCAL.with(|l| l.borrow().clone()) {
        return Ok(f(&demande));
    }
    let echec = |e: JsValue| {
        e.dyn_ref::<js_sys::Error>().map_or_else(|| format!("{e:?}"), |e| String::from(e.message()))
    };
    let pret = DESSINATEUR.with(|d| -> Result<_, String> {
        let mut d = d.borrow_mut();
        if d.is_none() {
            *d = Some(demarrer()?);
        }
        Ok(d.as_ref().expect("just started").pret.clone())
    })?;
    if let Err(e) = wasm_bindgen_futures::JsFuture::from(pret).await {
        arreter();
        return Err(echec(e));
    }
    // Ready: the request is numbered, registered and sent (nothing is registered before, so a
    // worker that never started leaves nothing waiting).
    let envoi = DESSINATEUR.with(|d| -> Result<_, String> {
        let mut d = d.borrow_mut();
        let d = d.as_mut().ok_or_else(|| "le module de dessin de la carte a été arrêté".to_owned())?;
        let n = d.prochain;
        d.prochain += 1;
        let attentes = d.attentes.clone();
        let reponse = js_sys::Promise::new(&mut |ok, _| {
            attentes.borrow_mut().insert(n, ok);
        });
        let message = serde_json::to_string(&Message { n, demande: &demande }).map_err(|e| e.to_string())?;
        Ok((reponse, message, d.worker.clone()))
    })?;
    let (reponse, message, worker) = envoi;
    worker.post_message(&JsValue::from_str(&message)).map_err(echec)?;
    let valeur = wasm_bindgen_futures::JsFuture::from(reponse).await.map_err(echec)?;
    if let Some(e) = valeur.dyn_ref::<js_sys::Error>() {
        return Err(String::from(e.message()));
    }
    serde_json::from_str(&valeur.as_string().unwrap_or_default()).map_err(|e| e.to_string())
}

/// A choropleth of one column of the communal view, with its legend, EPCI/EPT and département
/// outlines, hatched secret cells, and each commune focusable with its name and value; the name
/// and value of the commune under the pointer or the keyboard focus are repeated under the map.
/// Place the data table next to it: it is the map's full alternative.
#[component]
pub fn CarteCommunes(
    /// Commune (or arrondissement) code → value, or « secret »; a commune absent has no data.
    valeurs: Vec<(String, Donnee)>,
    /// The column mapped, as the table names it (« Logements »…).
    #[prop(into)]
    colonne: String,
    /// Decimals of the column: 0 for counts (whole class bounds), 1 for estimates.
    #[prop(optional)]
    decimales: usize,
    /// SPEC `regroupement_plm`: Paris, Lyon and Marseille drawn whole, else by arrondissement.
    regroupement_plm: bool,
    /// Prefix of the map's ids, unique in the page.
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| "carte-communes".to_owned());
    let demande = Demande { donnees: valeurs, id: id.clone(), colonne: colonne.clone(), decimales, regroupement_plm };
    let etat = RwSignal::new(EtatDessin::Attente);
    let essai = RwSignal::new(0u32);
    Effect::new(move |_| {
        essai.track();
        let d = demande.clone();
        spawn_local(async move {
            let r = dessiner_carte(d).await;
            // The map may have been replaced meanwhile: then nobody is waiting for this one.
            let _ = etat.try_set(match r {
                Ok(d) => EtatDessin::Pret(Arc::new(d)),
                Err(e) => EtatDessin::Echec(e),
            });
        });
    });
    let apres = format!("{id}-apres");
    let survol = RwSignal::new(String::new());
    move || match etat.get() {
        EtatDessin::Attente => {
            view! { <p class="fr-text--sm" role="status" data-testid="carte-chargement">"Chargement de la carte…"</p> }.into_any()
        }
        EtatDessin::Echec(message) => view! {
            <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w" role="alert" data-testid="carte-erreur">
                <p>{format!("La carte des communes n'a pas pu être chargée ({message}). Le tableau ci-dessous donne les mêmes valeurs.")}</p>
                <button class="fr-btn fr-btn--sm fr-btn--secondary fr-mt-1w" type="button" on:click=move |_| {
                    // The worker is started again (a failed one is stopped, not left running).
                    arreter();
                    etat.set(EtatDessin::Attente);
                    essai.update(|n| *n += 1);
                }>"Réessayer"</button>
            </div>
        }
        .into_any(),
        EtatDessin::Pret(rendu) => {
            let hors_carte = (!rendu.hors_carte.is_empty()).then(|| {
                format!("{} code(s) du fichier hors de cette carte : {}.", rendu.hors_carte.len(), rendu.hors_carte.join(", "))
            });
            let vers_apres = apres.clone();
            view! {
                <figure class="carte fr-mb-3w" data-testid="carte">
                    <a class="fr-link evitement" href="#" on:click=move |ev| {
                        ev.prevent_default();
                        focaliser(&vers_apres);
                    }>"Passer la carte"</a>
                    <div class="carte__svg" inner_html=rendu.svg.clone()
                        on:focusin=move |ev| survol.set(etiquette(ev.target()))
                        on:mouseover=move |ev| survol.set(etiquette(ev.target()))
                        on:focusout=move |_| survol.set(String::new())
                        on:mouseleave=move |_| survol.set(String::new())/>
                    <p class="carte__info fr-text--sm" aria-hidden="true" data-testid="carte-info">{move || survol.get()}</p>
                    <figcaption class="fr-text--sm" id=apres.clone() tabindex="-1">
                        {format!("Carte : {colonne} par commune. Survolez une commune ou parcourez-les au clavier (Tab) pour lire son nom et sa valeur ; le tableau donne toutes les valeurs.")}
                        {hors_carte.map(|t| view! { " " {t} })}
                    </figcaption>
                </figure>
            }
            .into_any()
        }
    }
}

/// The text of the commune under the pointer or focused (its `aria-label`), or nothing.
fn etiquette(cible: Option<web_sys::EventTarget>) -> String {
    cible
        .and_then(|c| c.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.get_attribute("aria-label"))
        .unwrap_or_default()
}

/// Moves keyboard focus to the element `id` (past the map's communes).
fn focaliser(id: &str) {
    if let Some(e) = document().get_element_by_id(id) {
        let _ = e.unchecked_into::<web_sys::HtmlElement>().focus();
    }
}

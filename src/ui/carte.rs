//! The communes map (SPEC §9): the contours asset is fetched from the app's own origin the first
//! time a map is shown — never at start, it is not needed elsewhere — parsed once and kept for the
//! whole session; the SVG itself comes from [`crate::carte::dessiner`], the pure function the
//! static publication page uses too. This component only fetches, caches and places it.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::navigateur;
use super::state::Session;
use crate::carte::{dessiner, Carte, Donnee, Options};

/// Same-origin URL of the contours (copied into `dist/carte/` by Trunk, see `index.html`).
pub const CARTE_URL: &str = "carte/carte-idf.txt";

/// Where the contours asset is.
#[derive(Clone)]
pub enum EtatCarte {
    Attente,
    Chargement,
    Prete(Arc<Carte>),
    Echec(String),
}

thread_local! {
    /// One asset per session, shared by every map shown (a signal with no owner, so that it
    /// outlives the page that first asked for it).
    static CARTE: ArcRwSignal<EtatCarte> = ArcRwSignal::new(EtatCarte::Attente);
}

/// The shared state of the asset; the first call, or the first after a failure, fetches it.
fn carte_partagee() -> ArcRwSignal<EtatCarte> {
    let etat = CARTE.with(Clone::clone);
    if matches!(*etat.read_untracked(), EtatCarte::Attente | EtatCarte::Echec(_)) {
        etat.set(EtatCarte::Chargement);
        let e = etat.clone();
        spawn_local(async move {
            let lue = navigateur::lire_url(CARTE_URL).await.and_then(|octets| {
                let texte = String::from_utf8(octets).map_err(|_| "le fichier des contours n'est pas en UTF-8".to_owned())?;
                Carte::parse(&texte)
            });
            // A map given meanwhile by `fournir_carte` stays.
            if matches!(*e.read_untracked(), EtatCarte::Chargement) {
                e.set(match lue {
                    Ok(carte) => EtatCarte::Prete(Arc::new(carte)),
                    Err(message) => EtatCarte::Echec(message),
                });
            }
        });
    }
    etat
}

/// The contours if they are loaded already (the publication page draws the map shown on the
/// « Vue communale », which asked for them), without fetching.
pub fn carte_chargee() -> Option<Arc<Carte>> {
    CARTE.with(|e| match &*e.read_untracked() {
        EtatCarte::Prete(c) => Some(c.clone()),
        _ => None,
    })
}

/// Gives the contours without fetching them (component tests; a page that already holds them).
pub fn fournir_carte(texte: &str) -> Result<(), String> {
    let carte = Carte::parse(texte)?;
    CARTE.with(|e| e.set(EtatCarte::Prete(Arc::new(carte))));
    Ok(())
}

/// A choropleth of one column of the communal view, with its legend, EPCI/EPT and département
/// outlines (when the official geography is loaded), hatched secret cells, and each commune
/// focusable with its name and value; the name and value of the commune under the pointer or the
/// keyboard focus are repeated under the map. Place the data table next to it: it is the map's
/// full alternative.
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
    let etat = carte_partagee();
    let geographie = use_context::<Session>().map(|s| s.geographie);
    let id = id.unwrap_or_else(|| "carte-communes".to_owned());
    let apres = format!("{id}-apres");
    let survol = RwSignal::new(String::new());
    move || match etat.get() {
        EtatCarte::Attente | EtatCarte::Chargement => {
            view! { <p class="fr-text--sm" role="status" data-testid="carte-chargement">"Chargement de la carte…"</p> }.into_any()
        }
        EtatCarte::Echec(message) => view! {
            <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w" role="alert" data-testid="carte-erreur">
                <p>{format!("La carte des communes n'a pas pu être chargée ({message}). Le tableau ci-dessous donne les mêmes valeurs.")}</p>
                <button class="fr-btn fr-btn--sm fr-btn--secondary fr-mt-1w" type="button" on:click=move |_| { carte_partagee(); }>"Réessayer"</button>
            </div>
        }
        .into_any(),
        EtatCarte::Prete(carte) => {
            let geo = geographie.and_then(|g| g.get());
            let options = Options { id: &id, colonne: &colonne, decimales, regroupement_plm, ..Options::default() };
            let rendu = dessiner(&carte, &valeurs, geo.as_deref(), &options);
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
                    <div class="carte__svg" inner_html=rendu.svg
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

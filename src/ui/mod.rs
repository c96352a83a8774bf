//! Leptos components. They only present and edit: every number comes from the domain core
//! through [`state::Session`].

mod assiette;
pub mod carte;
mod chargement;
mod champs;
mod communes;
mod consultation;
mod donnees;
mod etalement;
mod graphiques;
mod layout;
pub mod navigateur;
mod orienter;
mod parametres;
mod parts;
mod rapport;
mod scenarios;
pub mod state;
mod suivi;

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

pub use layout::{Footer, Header};
pub use state::{Page, Session};

use crate::domain::Resultats;

/// Delay before the parameters are written to the browser's storage and the URL.
const SAUVEGARDE_MS: u32 = 100;

/// Delay, after the demo is shown, before the page warms up its engine ([`chargement::echauffer_page`]).
const ECHAUFFEMENT_MS: u32 = 500;

/// Same-origin URL of the official geography (copied into `dist/geo/` by Trunk).
const GEO_URL: &str = crate::geo::GEOGRAPHIE_URL;

/// The whole single-page application: restores the parameters, fetches the geography and the demo
/// file from the app's own origin, and renders [`Application`].
#[component]
pub fn App() -> impl IntoView {
    let (parametres, avis) = navigateur::parametres_initiaux();
    let session = Session::new(parametres);
    if let Some(page) = Page::depuis_ancre(&navigateur::ancre_initiale()) {
        session.page.set(page);
    }
    // Save every change of parameters (browser storage and URL), and keep the page in the URL —
    // once the page is painted and the changes have settled: writing the URL makes the browser
    // save the state of every form control of the page, which costs on a large page. A newer
    // change cancels the pending save (the previous timer is dropped).
    Effect::new(move |precedent: Option<gloo::timers::callback::Timeout>| {
        drop(precedent);
        let page = session.page.get();
        session.parametres.track();
        gloo::timers::callback::Timeout::new(SAUVEGARDE_MS, move || {
            session.parametres.with_untracked(|p| navigateur::sauver_parametres(p, page.ancre()));
        })
    });
    spawn_local(async move {
        // No reading has started yet: the warm-up, at the end, is skipped if one starts meanwhile.
        let tache = session.tache.get_untracked();
        // The geography first: reading a file uses it to warn about unknown commune codes.
        if let Ok(octets) = navigateur::lire_url(GEO_URL).await {
            let geo = crate::geo::Geographie::parse(&String::from_utf8_lossy(&octets));
            session.geographie.set(Some(Arc::new(geo)));
        }
        if let Ok(octets) = navigateur::lire_url(donnees::DEMO_URL).await {
            // The user may have dropped a file meanwhile: never replace it.
            if session.fichier.get_untracked().is_none() {
                session.charger(donnees::DEMO_NOM.into(), octets);
                // The demo year of mouvements, so that « Suivi de l'année » shows something.
                suivi::charger_demo(session).await;
            }
        }
        gloo::timers::callback::Timeout::new(ECHAUFFEMENT_MS, move || chargement::echauffer_page(session, tache)).forget();
    });
    view! { <Application session avis/> }
}

/// The page frame and the current page, for a given session.
#[component]
pub fn Application(session: Session, #[prop(optional_no_strip)] avis: Option<String>) -> impl IntoView {
    provide_context(session);
    // The orientation aid's state lives with the session (its context is built once, its lists
    // kept while the user visits other pages).
    provide_context(orienter::Orientation::new(session));
    view! {
        <a class="fr-link evitement" href="#contenu">"Aller au contenu"</a>
        <Header/>
        <Navigation/>
        <main id="contenu" class="fr-container fr-py-4w" tabindex="-1">
            {avis.map(|a| view! { <div class="fr-alert fr-alert--warning fr-mb-3w" role="alert"><p>{a}</p></div> })}
            <Source/>
            {move || match session.page.get() {
                Page::Donnees => view! { <donnees::PageDonnees/> }.into_any(),
                Page::Parametres => view! { <parametres::PageParametres/> }.into_any(),
                Page::Assiette => view! { <assiette::PageAssiette/> }.into_any(),
                Page::Parts => view! { <parts::PageParts/> }.into_any(),
                Page::Etalement => view! { <etalement::PageEtalement/> }.into_any(),
                Page::Suivi => view! { <suivi::PageSuivi/> }.into_any(),
                Page::Orienter => view! { <orienter::PageOrienter/> }.into_any(),
                Page::Communes => view! { <communes::PageCommunes/> }.into_any(),
                Page::Scenarios => view! { <scenarios::PageScenarios/> }.into_any(),
                Page::Rapport => view! { <rapport::PageRapport/> }.into_any(),
            }}
        </main>
        <Footer/>
    }
}

/// The main navigation between the pages (DSFR `fr-nav`, current page marked for screen readers).
#[component]
fn Navigation() -> impl IntoView {
    let session = expect_context::<Session>();
    view! {
        <nav class="fr-nav fr-container" role="navigation" aria-label="Étapes du calcul">
            <ul class="fr-nav__list">
                {Page::TOUTES.into_iter().map(|page| view! {
                    <li class="fr-nav__item">
                        <a class="fr-nav__link" href=format!("#{}", page.ancre()) data-page=page.ancre()
                            aria-current=move || (session.page.get() == page).then_some("page")
                            on:click=move |ev| {
                                ev.prevent_default();
                                session.page.set(page);
                                focus_contenu();
                            }>
                            {page.titre()}
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        </nav>
    }
}

/// Moves keyboard focus to the main content after a page change.
fn focus_contenu() {
    use wasm_bindgen::JsCast;
    if let Some(e) = document().get_element_by_id("contenu") {
        let _ = e.unchecked_into::<web_sys::HtmlElement>().focus();
    }
}

/// Which file the results come from.
#[component]
fn Source() -> impl IntoView {
    let session = expect_context::<Session>();
    move || {
        let nom = session.fichier.with(|f| f.as_ref().map(|f| f.nom.clone()))?;
        // Logements, not rows: a row of an open-data file stands for `nb` logements.
        let n = session.import().map(|i| i.dataset.len());
        Some(view! {
            <p class="fr-badge fr-badge--info fr-badge--no-icon fr-mb-2w" data-testid="source">
                {format!("Fichier : {nom}")}
                {n.map(|n| format!(" — {} logements", crate::format::integer(n as i64)))}
            </p>
        })
    }
}

/// Rows per page of long tables.
pub const PAR_PAGE: usize = 50;

/// Shown by the result pages while there is nothing to show.
#[component]
fn SansResultats() -> impl IntoView {
    let session = expect_context::<Session>();
    move || match session.resultats.get() {
        Some(Err(e)) => view! {
            <div class="fr-alert fr-alert--error" role="alert"><p>"Paramètres invalides : " {e}</p></div>
        }
        .into_any(),
        _ if session.publiee.with(Option::is_some) => view! {
            <div class="fr-alert fr-alert--info" data-testid="consultation-sans-detail"><p>"Mode consultation : cette page a besoin de l'état des lieux détaillé, que la vue publiée ne contient pas. La vue publiée se consulte sur la page « Vue communale »."</p></div>
        }
        .into_any(),
        _ => view! {
            <div class="fr-alert fr-alert--info"><p>"Chargez un état des lieux dans l'onglet « Données » pour voir les résultats."</p></div>
        }
        .into_any(),
    }
}

/// Selector of the convention perimeter (bailleur × département).
#[component]
fn ChoixPerimetre(resultats: Arc<Resultats>, choix: RwSignal<usize>) -> impl IntoView {
    let options: Vec<String> =
        resultats.perimetres.iter().map(|p| format!("{} — département {}", p.bailleur, p.departement)).collect();
    view! {
        <div class="fr-select-group fr-mb-3w">
            <label class="fr-label" for="perimetre">{format!("Convention bailleur × département ({} dans le fichier)", options.len())}</label>
            <select class="fr-select" id="perimetre" data-testid="perimetre"
                on:change=move |ev| if let Ok(i) = event_target_value(&ev).parse() { choix.set(i) }>
                {options.into_iter().enumerate().map(|(i, o)| view! {
                    <option value=i.to_string() prop:selected=move || choix.get() == i>{o}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

/// Previous / next pages of a long table (long tables are never rendered whole).
#[component]
pub fn Pagination(page: RwSignal<usize>, pages: usize, numero: usize) -> impl IntoView {
    (pages > 1).then(|| view! {
        <nav role="navigation" class="fr-pagination fr-mb-3w" aria-label="Pagination du tableau">
            <ul class="fr-pagination__list">
                <li><button class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" type="button"
                    disabled=numero == 0 on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"Page précédente"</button></li>
                <li><span class="fr-pagination__link" aria-current="page" data-testid="page-courante">{format!("{} / {pages}", numero + 1)}</span></li>
                <li><button class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" type="button"
                    disabled=numero + 1 >= pages on:click=move |_| page.update(|p| *p += 1)>"Page suivante"</button></li>
            </ul>
        </nav>
    })
}

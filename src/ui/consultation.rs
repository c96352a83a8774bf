//! Consultation mode (SPEC §9): open a published communal view (the CSVs or the JSON twin that
//! « Publier » and `flux` write) without any detailed état des lieux. The Vue communale then shows
//! the published tables read-only, with their « s » cells; pages that need the detail say so.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::state::Session;
use crate::format::integer;
use crate::import::vue_publiee;

/// « Consulter une vue publiée » on the Données page.
#[component]
pub fn OuvrirVuePubliee() -> impl IntoView {
    let session = expect_context::<Session>();
    let erreur = RwSignal::new(None::<String>);
    view! {
        <section class="fr-mb-4w" data-testid="consultation">
            <h2 class="fr-h4">"Consulter une vue publiée"</h2>
            <p class="fr-text--sm">
                "Sans état des lieux détaillé : ouvrez la vue communale publiée (fichiers « communes.csv », « epci.csv », « departements.csv » "
                "ou « vue_communale.json » produits par « Publier » ou par la ligne de commande, ou le classeur XLSX des résultats) pour l'explorer sur la page « Vue communale », "
                "avec son secret statistique. Les fichiers sont lus dans votre navigateur."
            </p>
            <div class="fr-upload-group">
                <label class="fr-label" for="ouvrir-publiee">"Vue publiée (un ou plusieurs fichiers)"
                    <span class="fr-hint-text">"Formats acceptés : CSV de la vue communale, JSON « vue_communale.json », classeur XLSX des résultats."</span>
                </label>
                <input class="fr-upload" type="file" id="ouvrir-publiee" multiple=true accept=".csv,.json,.xlsx,text/csv,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    on:change=move |ev| {
                        let input: web_sys::HtmlInputElement = ev.target().unwrap().unchecked_into();
                        let Some(liste) = input.files() else { return };
                        let fichiers: Vec<web_sys::File> = (0..liste.length()).filter_map(|i| liste.get(i)).collect();
                        input.set_value("");
                        erreur.set(None);
                        spawn_local(async move {
                            let mut lus = Vec::new();
                            for f in fichiers {
                                let nom = f.name();
                                match super::navigateur::lire_fichier(f).await {
                                    Ok(octets) => lus.push((nom, octets)),
                                    Err(e) => return erreur.set(Some(format!("« {nom} » illisible : {e}"))),
                                }
                            }
                            match vue_publiee::lire(&lus) {
                                Ok(v) => {
                                    session.consulter(v);
                                    session.page.set(super::Page::Communes);
                                }
                                Err(e) => erreur.set(Some(format!("{e} La session actuelle est conservée."))),
                            }
                        });
                    }/>
            </div>
            {move || erreur.get().map(|e| view! {
                <div class="fr-alert fr-alert--error fr-alert--sm fr-mt-2w" role="alert" data-testid="consultation-erreur"><p>{e}</p></div>
            })}
            {move || session.publiee.get().map(|v| view! {
                <div class="fr-alert fr-alert--info fr-alert--sm fr-mt-2w" data-testid="consultation-active">
                    <p>{format!("Mode consultation : {}. ", resume(&v))}
                        <button class="fr-btn fr-btn--sm fr-btn--tertiary" type="button" data-testid="quitter-consultation"
                            on:click=move |_| session.publiee.set(None)>"Quitter la consultation"</button>
                    </p>
                </div>
            })}
        </section>
    }
}

/// « communes.csv (communes), … — 1 286 communes, 1 149 cases masquées ».
pub fn resume(v: &vue_publiee::VuePubliee) -> String {
    let fichiers: Vec<String> = v.fichiers.iter().map(|(n, niveau)| format!("« {n} » ({niveau})")).collect();
    format!(
        "{} — {} communes, {} EPCI ou EPT, {} départements ; {} cases couvertes par le secret statistique",
        fichiers.join(", "),
        integer(v.vue.communes.len() as i64),
        integer(v.vue.epci.len() as i64),
        integer(v.vue.departements.len() as i64),
        integer(v.masquees() as i64)
    )
}

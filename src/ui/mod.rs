//! Leptos components. They only present and edit: every number comes from the domain core.

mod layout;
mod demo;

pub use demo::{DemoSummary, DemoState};
pub use layout::{Footer, Header};

use leptos::prelude::*;

/// The whole single-page application.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Header/>
        <main id="contenu" class="fr-container fr-py-4w" tabindex="-1">
            <h1>"Conversion des réservations du stock au flux"</h1>
            <div class="fr-callout fr-mb-4w">
                <p class="fr-callout__text">
                    "Les fichiers que vous chargez sont lus et calculés dans votre navigateur : "
                    "aucune donnée n'est envoyée sur un serveur."
                </p>
            </div>
            <demo::DemoLoader/>
        </main>
        <Footer/>
    }
}

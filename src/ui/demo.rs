//! The embedded demonstration état des lieux, shipped in `public/demo/` and fetched same-origin.

use leptos::prelude::*;
use leptos::task::spawn_local;

/// Relative URL of the demo file (copied into `dist/demo/` by Trunk).
pub const DEMO_URL: &str = "demo/etat-des-lieux-demo.csv";

/// Where the demo file stands: loading, read (its row count), or failed (a French message).
#[derive(Clone, Debug, PartialEq)]
pub enum DemoState {
    Loading,
    Loaded { rows: usize },
    Failed(String),
}

/// Fetches the demo file once and shows its summary.
#[component]
pub fn DemoLoader() -> impl IntoView {
    let state = RwSignal::new(DemoState::Loading);
    spawn_local(async move {
        state.set(match fetch_bytes(DEMO_URL).await {
            Ok(bytes) => DemoState::Loaded { rows: crate::import::count_data_rows(&bytes) },
            Err(message) => DemoState::Failed(message),
        });
    });
    view! { <DemoSummary state=state/> }
}

/// Presents a [`DemoState`].
#[component]
pub fn DemoSummary(#[prop(into)] state: Signal<DemoState>) -> impl IntoView {
    move || match state.get() {
        DemoState::Loading => view! {
            <p class="fr-text--lg" data-testid="demo-status">"Chargement des données de démonstration…"</p>
        }
        .into_any(),
        DemoState::Loaded { rows } => view! {
            <div class="fr-card fr-card--no-arrow fr-mb-4w" data-testid="demo-card">
                <div class="fr-card__body">
                    <div class="fr-card__content">
                        <h2 class="fr-card__title">"État des lieux de démonstration"</h2>
                        <p class="fr-card__desc" data-testid="demo-rows">
                            {crate::format::integer(rows as i64)} " logements lus"
                        </p>
                    </div>
                </div>
            </div>
        }
        .into_any(),
        DemoState::Failed(message) => view! {
            <div class="fr-alert fr-alert--error" role="alert" data-testid="demo-error">
                <p>{message}</p>
            </div>
        }
        .into_any(),
    }
}

async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let failure = |e: gloo::net::Error| format!("Impossible de lire les données de démonstration : {e}");
    let response = gloo::net::http::Request::get(url).send().await.map_err(failure)?;
    if !response.ok() {
        return Err(format!(
            "Impossible de lire les données de démonstration (statut HTTP {}).",
            response.status()
        ));
    }
    response.binary().await.map_err(failure)
}

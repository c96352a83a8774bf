//! Component tests in a real headless Chromium (wasm-bindgen-test + chromedriver).
#![cfg(target_arch = "wasm32")]

use gestion_flux::ui::{DemoState, DemoSummary};
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a view in a fresh `<div>` of the test page and returns that element.
fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> web_sys::HtmlElement {
    let document = leptos::prelude::document();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    leptos::mount::mount_to(host.clone(), view).forget();
    host
}

use wasm_bindgen::JsCast;

#[wasm_bindgen_test]
async fn demo_summary_shows_french_row_count_and_follows_state() {
    let state = RwSignal::new(DemoState::Loading);
    let host = mount(move || view! { <DemoSummary state=state/> });
    assert!(host.text_content().unwrap().contains("Chargement"));

    state.set(DemoState::Loaded { rows: 1_234 });
    leptos::task::tick().await;
    let rows = host.query_selector("[data-testid=demo-rows]").unwrap().expect("row count shown");
    assert_eq!(rows.text_content().unwrap(), "1\u{202F}234 logements lus");

    state.set(DemoState::Failed("Fichier introuvable".into()));
    leptos::task::tick().await;
    let alert = host.query_selector("[role=alert]").unwrap().expect("error shown as an alert");
    assert_eq!(alert.text_content().unwrap().trim(), "Fichier introuvable");
}

//! Browser entry point: mounts the Leptos app (built by Trunk for `wasm32-unknown-unknown`).

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(gestion_flux::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Cette cible est l'application web : construisez-la avec `trunk build` (voir README.md).");
    std::process::exit(2);
}

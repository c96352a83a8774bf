//! Web Worker that writes XLSX workbooks (built by Trunk, `data-type="worker"` in index.html). It
//! receives the tables as JSON (`export::classeur::Feuille`) and answers with the file's bytes, so
//! that the XLSX writer is never part of the page's own WebAssembly module (first load stays small).

#[cfg(target_arch = "wasm32")]
fn main() {
    use gestion_flux::export::classeur::{ecrire_xlsx, Feuille};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    let portee: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reponse = portee.clone();
    let recevoir = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        let json = e.data().as_string().unwrap_or_default();
        // Malformed tables cannot come from the page; answer with an empty file rather than hang.
        let octets = serde_json::from_str::<Vec<Feuille>>(&json).map(|f| ecrire_xlsx(&f)).unwrap_or_default();
        let _ = reponse.post_message(&js_sys::Uint8Array::from(&octets[..]));
    });
    portee.set_onmessage(Some(recevoir.as_ref().unchecked_ref()));
    recevoir.forget();
    // Messages sent before this handler existed would be lost: tell the page we are ready.
    let _ = portee.post_message(&JsValue::from_str("pret"));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Ce programme est le Web Worker XLSX de l'application : construisez-la avec `trunk build`.");
    std::process::exit(2);
}

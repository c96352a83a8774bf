//! Web Worker that reads one byte range of a large CSV état des lieux (issue #14, built by Trunk,
//! `data-type="worker"` in index.html). The page sends `{consigne, fichier}`: the range and how to
//! read a record (`import::plages::Consigne`, as JSON) and the `File` itself, which the worker
//! reads by slices with `FileReaderSync` (the page never copies the file). It answers with
//! `{fait, lignes}` after each piece, then `{fin, guillemets, pas_utf8}` where `fin` is the
//! range's part (`import::plages::Plage`) in its binary form, its buffer transferred, not copied;
//! or `{erreur}`. The page stops the worker once it has the part, or on « Annuler ».

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    let portee: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reponse = portee.clone();
    let recevoir = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        if let Err(erreur) = lire(&reponse, &e.data()) {
            let _ = reponse.post_message(&objet(&[("erreur", JsValue::from_str(&erreur))]));
        }
    });
    portee.set_onmessage(Some(recevoir.as_ref().unchecked_ref()));
    recevoir.forget();
    // The reading's hot functions compiled by the browser's optimising tier before the file
    // comes (`plages::echauffer`).
    gestion_flux::import::plages::echauffer();
    // Messages sent before this handler existed would be lost: tell the page we are ready.
    let _ = portee.post_message(&JsValue::from_str("pret"));
}

/// Reads the range the page asked for, posting progress and then the part.
#[cfg(target_arch = "wasm32")]
fn lire(portee: &web_sys::DedicatedWorkerGlobalScope, message: &wasm_bindgen::JsValue) -> Result<(), String> {
    use gestion_flux::import::plages::{Consigne, LecteurPlage, PIECE};
    use wasm_bindgen::{JsCast, JsValue};

    let echec = |e: JsValue| format!("{e:?}");
    let champ = |nom: &str| js_sys::Reflect::get(message, &JsValue::from_str(nom)).map_err(echec);
    let consigne: Consigne = serde_json::from_str(&champ("consigne")?.as_string().unwrap_or_default())
        .map_err(|e| format!("consigne illisible : {e}"))?;
    let fichier: web_sys::Blob = champ("fichier")?.dyn_into().map_err(echec)?;
    let taille = fichier.size() as u64;
    let debut = consigne.debut;
    let lecteur = web_sys::FileReaderSync::new().map_err(echec)?;
    let mut plage = LecteurPlage::new(consigne);
    while plage.position() < taille {
        let p = plage.position();
        let tranche = fichier.slice_with_f64_and_f64(p as f64, (p + PIECE as u64).min(taille) as f64).map_err(echec)?;
        let octets = js_sys::Uint8Array::new(&lecteur.read_as_array_buffer(&tranche).map_err(echec)?.into());
        // Copied from the JS array straight into the reader's buffer.
        let n = octets.length() as usize;
        let encore = plage
            .nourrir_en_place(n, |d| {
                octets.copy_to(d);
                Ok::<_, std::convert::Infallible>(n)
            })
            .unwrap_or_else(|e| match e {});
        let fait = JsValue::from_f64((plage.position() - debut) as f64);
        let _ = portee.post_message(&objet(&[("fait", fait), ("lignes", JsValue::from_f64(plage.lignes_lues() as f64))]));
        if !encore {
            break;
        }
    }
    let plage = plage.finir();
    let octets = js_sys::Uint8Array::from(&plage.octets()[..]);
    let message = objet(&[
        ("fin", octets.clone().into()),
        ("guillemets", JsValue::from_f64(plage.guillemets as f64)),
        ("pas_utf8", JsValue::from_bool(plage.pas_utf8)),
    ]);
    portee.post_message_with_transfer(&message, &js_sys::Array::of1(&octets.buffer())).map_err(echec)
}

/// A plain JS object with these fields.
#[cfg(target_arch = "wasm32")]
fn objet(champs: &[(&str, wasm_bindgen::JsValue)]) -> wasm_bindgen::JsValue {
    let o = js_sys::Object::new();
    for (nom, valeur) in champs {
        let _ = js_sys::Reflect::set(&o, &wasm_bindgen::JsValue::from_str(nom), valeur);
    }
    o.into()
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Ce programme est le Web Worker de lecture des gros fichiers CSV de l'application : construisez-la avec `trunk build`.");
    std::process::exit(2);
}

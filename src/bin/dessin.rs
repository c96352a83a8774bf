//! Web Worker that draws the communes map (built by Trunk, `data-type="worker"` in index.html), so
//! that the contours' parser and the SVG renderer (`carte::dessiner`) are not part of the page's own
//! WebAssembly module (issue budget: the map adds at most 20 KB gzip to the first load). It lives as
//! long as the page: it fetches the contours and the official geography from the app's own origin
//! once, then answers each [`Demande`] (JSON, with the page's request number) with a [`Dessin`].
//!
//! Protocol: the worker posts `"pret"` once its handler exists; then each message is
//! `{"n": N, "demande": …}` and each answer `{"n": N, "dessin": …}` or `{"n": N, "erreur": "…"}`.

#[cfg(target_arch = "wasm32")]
fn main() {
    use std::cell::RefCell;
    use std::rc::Rc;

    use gestion_flux::carte::{Carte, Demande, Dessin};
    use gestion_flux::geo::Geographie;
    use serde::{Deserialize, Serialize};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    /// The request number is read first, so that even a request that cannot be read is answered
    /// (with an error) under its own number.
    #[derive(Deserialize)]
    struct Message {
        n: u32,
        demande: serde_json::Value,
    }
    #[derive(Serialize)]
    struct Reponse {
        n: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        dessin: Option<Dessin>,
        #[serde(skip_serializing_if = "Option::is_none")]
        erreur: Option<String>,
    }

    /// The contours (required) and the geography (outlines of EPCI/EPT; the map is drawn without
    /// them if it cannot be read), read once.
    #[derive(Default)]
    struct Fonds {
        carte: Option<Rc<Carte>>,
        geo: Option<Option<Rc<Geographie>>>,
    }

    async fn lire(url: &str) -> Result<String, String> {
        let echec = |e: gloo::net::Error| format!("Impossible de lire {url} : {e}");
        let r = gloo::net::http::Request::get(url).send().await.map_err(echec)?;
        if !r.ok() {
            return Err(format!("Impossible de lire {url} (statut HTTP {}).", r.status()));
        }
        r.text().await.map_err(echec)
    }

    async fn dessiner(fonds: Rc<RefCell<Fonds>>, d: Demande) -> Result<Dessin, String> {
        // (Read before matching: a borrow held across the match would forbid the store below.)
        let deja = fonds.borrow().carte.clone();
        let carte = match deja {
            Some(c) => c,
            None => {
                let c = Rc::new(Carte::parse(&lire(gestion_flux::carte::CARTE_URL).await?)?);
                fonds.borrow_mut().carte = Some(c.clone());
                c
            }
        };
        let deja = fonds.borrow().geo.clone();
        let geo = match deja {
            Some(g) => g,
            None => {
                let g = lire(gestion_flux::geo::GEOGRAPHIE_URL).await.ok().map(|t| Rc::new(Geographie::parse(&t)));
                fonds.borrow_mut().geo = Some(g.clone());
                g
            }
        };
        Ok(d.dessiner(&carte, geo.as_deref()))
    }

    let fonds = Rc::new(RefCell::new(Fonds::default()));
    let portee: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reponse = portee.clone();
    let recevoir = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        let json = e.data().as_string().unwrap_or_default();
        let (fonds, reponse) = (fonds.clone(), reponse.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let r = match serde_json::from_str::<Message>(&json) {
                Ok(m) => match serde_json::from_value::<Demande>(m.demande) {
                    Ok(d) => match dessiner(fonds, d).await {
                        Ok(d) => Reponse { n: m.n, dessin: Some(d), erreur: None },
                        Err(e) => Reponse { n: m.n, dessin: None, erreur: Some(e) },
                    },
                    Err(e) => Reponse { n: m.n, dessin: None, erreur: Some(format!("demande de carte illisible : {e}")) },
                },
                // Not a message of the page's (no number): nobody waits for an answer.
                Err(_) => return,
            };
            let _ = reponse.post_message(&JsValue::from_str(&serde_json::to_string(&r).unwrap_or_default()));
        });
    });
    portee.set_onmessage(Some(recevoir.as_ref().unchecked_ref()));
    recevoir.forget();
    let _ = portee.post_message(&JsValue::from_str("pret"));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Ce programme est le Web Worker de la carte de l'application : construisez-la avec `trunk build`.");
    std::process::exit(2);
}

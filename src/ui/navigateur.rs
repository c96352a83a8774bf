//! The few browser APIs the app uses: same-origin fetch, file reading, downloads, localStorage and
//! the URL (parameters are shared by link, never the data).

use wasm_bindgen::JsCast;

use crate::domain::Parametres;

const CLE_STOCKAGE: &str = "gestion-flux.parametres";
const CLE_URL: &str = "parametres";

/// GET a file of the app itself (the CSP allows nothing else).
pub async fn lire_url(url: &str) -> Result<Vec<u8>, String> {
    let echec = |e: gloo::net::Error| format!("Impossible de lire {url} : {e}");
    let reponse = gloo::net::http::Request::get(url).send().await.map_err(echec)?;
    if !reponse.ok() {
        return Err(format!("Impossible de lire {url} (statut HTTP {}).", reponse.status()));
    }
    reponse.binary().await.map_err(echec)
}

/// Reads a user-chosen file as bytes.
pub async fn lire_fichier(fichier: web_sys::File) -> Result<Vec<u8>, String> {
    gloo::file::futures::read_as_bytes(&gloo::file::File::from(fichier))
        .await
        .map_err(|e| format!("Impossible de lire le fichier : {e}"))
}

/// Size of the slices a large file is read by (the page stays responsive between them).
const TRANCHE: u64 = 8 << 20;

/// Reads a file by slices, reporting the bytes read; stops (returning `None`) as soon as
/// `continuer` says so (the user cancelled).
pub async fn lire_par_tranches(
    fichier: &web_sys::File,
    mut progres: impl FnMut(u64),
    continuer: impl Fn() -> bool,
) -> Result<Option<Vec<u8>>, String> {
    let taille = taille_octets(fichier);
    let mut octets = Vec::with_capacity(taille as usize);
    let mut debut = 0;
    while debut < taille {
        if !continuer() {
            return Ok(None);
        }
        let fin = (debut + TRANCHE).min(taille);
        octets.extend_from_slice(&lire_tranche(fichier, debut, fin).await?);
        debut = fin;
        progres(debut);
    }
    Ok(Some(octets))
}

/// Size of a file in bytes (the File API gives a float).
pub fn taille_octets(fichier: &web_sys::File) -> u64 {
    fichier.size() as u64
}

/// Milliseconds since the page started (for the estimated time left).
pub fn maintenant_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// A named instant in the browser's performance timeline (`flux:…`), read by the benchmarks
/// (`scripts/bench-web.mjs` splits a loading into its steps with them).
pub fn marquer(nom: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(nom);
    }
}

/// Lets the browser paint and handle events (the « Annuler » click) before the next slice of
/// work. A zero timeout, not `scheduler.yield()`: the latter's continuations run ahead of input.
pub async fn ceder() {
    gloo::timers::future::TimeoutFuture::new(0).await;
}

/// Waits until the browser has painted (the next animation frame, then a zero timeout): a
/// message set before a long computation is seen during it.
pub async fn apres_peinture() {
    let promesse = js_sys::Promise::new(&mut |ok, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.request_animation_frame(&ok);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promesse).await;
    ceder().await;
}

/// Offers `octets` as a download named `nom`.
pub fn telecharger(nom: &str, type_mime: &str, octets: &[u8]) {
    let tableau = js_sys::Uint8Array::from(octets);
    let parts = js_sys::Array::of1(&tableau);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(type_mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let document = leptos::prelude::document();
    if let Ok(a) = document.create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(nom);
        a.click();
    }
    // Keep the URL alive long enough for the browser to start the download.
    gloo::timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
}

fn stockage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Parameters at start-up: the link's (`?parametres=`) first, then the last saved, else defaults.
/// A broken saved value is ignored rather than blocking the app.
pub fn parametres_initiaux() -> (Parametres, Option<String>) {
    let depuis_url = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok())
        .and_then(|q| q.get(CLE_URL));
    if let Some(json) = depuis_url {
        return match Parametres::depuis_json(&json) {
            Ok(p) => (p, None),
            Err(e) => (Parametres::default(), Some(format!("Les paramètres du lien sont ignorés : {e}"))),
        };
    }
    let sauves = stockage().and_then(|s| s.get_item(CLE_STOCKAGE).ok().flatten());
    (sauves.and_then(|json| Parametres::depuis_json(&json).ok()).unwrap_or_default(), None)
}

/// Saves the parameters in localStorage and in the URL (`?parametres=…#page`).
pub fn sauver_parametres(p: &Parametres, ancre: &str) {
    let json = serde_json::to_string(p).unwrap_or_default();
    if let Some(s) = stockage() {
        let _ = s.set_item(CLE_STOCKAGE, &json);
    }
    let Some(window) = web_sys::window() else { return };
    // Other settings of the address (`?lecteurs=…`) are kept.
    let recherche = window.location().search().unwrap_or_default();
    let Ok(q) = web_sys::UrlSearchParams::new_with_str(&recherche) else { return };
    q.set(CLE_URL, &json);
    let chemin = window.location().pathname().unwrap_or_default();
    let url = format!("{chemin}?{}#{ancre}", String::from(q.to_string()));
    if let Ok(h) = window.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The page named in the URL fragment at start-up.
pub fn ancre_initiale() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// Today's date in the browser (chrono's clock is wired to `Date` by its `wasmbind` feature).
pub fn aujourdhui() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// Writes an XLSX workbook in the `classeur` Web Worker (the XLSX writer lives only there): waits
/// for the worker to be ready, sends the tables as JSON, receives the file's bytes.
pub async fn ecrire_xlsx(feuilles: &[crate::export::classeur::Feuille]) -> Result<Vec<u8>, String> {
    let echec = |e: wasm_bindgen::JsValue| format!("Écriture du classeur impossible : {e:?}");
    let json = serde_json::to_string(feuilles).map_err(|e| format!("Écriture du classeur impossible : {e}"))?;
    let worker = web_sys::Worker::new("./classeur_loader.js").map_err(echec)?;
    let pret = prochain_message(&worker);
    pret.await.map_err(echec)?;
    let reponse = prochain_message(&worker);
    worker.post_message(&wasm_bindgen::JsValue::from_str(&json)).map_err(echec)?;
    let octets = reponse.await.map_err(echec)?;
    worker.terminate();
    Ok(js_sys::Uint8Array::new(&octets).to_vec())
}

/// The data of the worker's next message (or its error).
fn prochain_message(worker: &web_sys::Worker) -> wasm_bindgen_futures::JsFuture {
    use wasm_bindgen::closure::Closure;
    let promesse = js_sys::Promise::new(&mut |resoudre, rejeter| {
        let ok = Closure::once_into_js(move |e: web_sys::MessageEvent| {
            let _ = resoudre.call1(&wasm_bindgen::JsValue::NULL, &e.data());
        });
        let ko = Closure::once_into_js(move |e: wasm_bindgen::JsValue| {
            let _ = rejeter.call1(&wasm_bindgen::JsValue::NULL, &e);
        });
        worker.set_onmessage(Some(ok.unchecked_ref()));
        worker.set_onerror(Some(ko.unchecked_ref()));
    });
    wasm_bindgen_futures::JsFuture::from(promesse)
}

/// Several Web Workers of one script, whose messages arrive on one stream as (worker number,
/// data). Dropping the team stops every worker (a cancelled or finished reading).
pub struct Equipe {
    workers: Vec<web_sys::Worker>,
    recus: futures::channel::mpsc::UnboundedReceiver<(usize, Result<wasm_bindgen::JsValue, String>)>,
    _rappels: Vec<wasm_bindgen::closure::Closure<dyn FnMut(wasm_bindgen::JsValue)>>,
}

impl Equipe {
    /// Starts `n` workers of `script` (a Trunk loader, e.g. `./lecteur_loader.js`).
    pub fn demarrer(script: &str, n: usize) -> Result<Equipe, String> {
        use wasm_bindgen::closure::Closure;
        let (envoi, recus) = futures::channel::mpsc::unbounded();
        let mut equipe = Equipe { workers: Vec::new(), recus, _rappels: Vec::new() };
        for i in 0..n {
            let worker = web_sys::Worker::new(script).map_err(|e| format!("{e:?}"))?;
            let e = envoi.clone();
            let message = Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(move |m: wasm_bindgen::JsValue| {
                let m: web_sys::MessageEvent = m.unchecked_into();
                let _ = e.unbounded_send((i, Ok(m.data())));
            });
            let e = envoi.clone();
            let erreur = Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(move |m: wasm_bindgen::JsValue| {
                let texte = js_sys::Reflect::get(&m, &"message".into()).ok().and_then(|t| t.as_string());
                let _ = e.unbounded_send((i, Err(texte.unwrap_or_else(|| "le module de lecture a échoué".to_owned()))));
            });
            worker.set_onmessage(Some(message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(erreur.as_ref().unchecked_ref()));
            equipe._rappels.extend([message, erreur]);
            equipe.workers.push(worker);
        }
        Ok(equipe)
    }

    /// The next message of any worker, or `None` after `delai_ms` without one (so that the
    /// caller can look whether the user cancelled).
    pub async fn suivant(&mut self, delai_ms: u32) -> Option<(usize, Result<wasm_bindgen::JsValue, String>)> {
        use futures::StreamExt;
        let delai = gloo::timers::future::TimeoutFuture::new(delai_ms);
        match futures::future::select(self.recus.next(), delai).await {
            futures::future::Either::Left((m, _)) => m,
            futures::future::Either::Right(_) => None,
        }
    }

    /// Number of workers.
    pub fn len(&self) -> usize {
        self.workers.len()
    }

    /// Sends `message` to worker `i`.
    pub fn envoyer(&self, i: usize, message: &wasm_bindgen::JsValue) -> Result<(), String> {
        self.workers[i].post_message(message).map_err(|e| format!("{e:?}"))
    }
}

impl Drop for Equipe {
    fn drop(&mut self) {
        self.workers.iter().for_each(web_sys::Worker::terminate);
    }
}

/// Workers for reading a large CSV (`import::plages::lecteurs`): the browser's logical
/// processors, or the number the page's address asks for (`?lecteurs=1`: the single-threaded
/// reading, used by the end-to-end tests to compare both).
pub fn lecteurs() -> usize {
    let demande = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok())
        .and_then(|p| p.get("lecteurs"))
        .and_then(|n| n.parse::<usize>().ok());
    let processeurs = web_sys::window().map_or(0.0, |w| w.navigator().hardware_concurrency()) as usize;
    crate::import::plages::lecteurs(demande, processeurs)
}

/// Bytes `debut..fin` of a file.
pub async fn lire_tranche(fichier: &web_sys::File, debut: u64, fin: u64) -> Result<Vec<u8>, String> {
    let fin = fin.min(taille_octets(fichier));
    let tranche = fichier.slice_with_f64_and_f64(debut as f64, fin as f64).map_err(|_| "Lecture du fichier impossible.".to_owned())?;
    gloo::file::futures::read_as_bytes(&gloo::file::Blob::from(tranche))
        .await
        .map_err(|e| format!("Impossible de lire le fichier : {e}"))
}

/// A message of a reading worker (`src/bin/lecteur.rs`).
pub enum MessageLecteur {
    /// Its module is loaded: it can be sent its range.
    Pret,
    /// Bytes of its range and rows read so far.
    Progres { fait: u64, lignes: usize },
    /// Its part (`import::plages::Plage`'s bytes), the quotes it held, whether it was not UTF-8.
    Fin { part: js_sys::Uint8Array, guillemets: u64, pas_utf8: bool },
    /// It could not read its range.
    Erreur,
}

impl MessageLecteur {
    pub fn lire(m: &wasm_bindgen::JsValue) -> MessageLecteur {
        if m.as_string().as_deref() == Some("pret") {
            return MessageLecteur::Pret;
        }
        let champ = |nom: &str| js_sys::Reflect::get(m, &wasm_bindgen::JsValue::from_str(nom)).ok().filter(|v| !v.is_undefined());
        let nombre = |nom: &str| champ(nom).and_then(|v| v.as_f64()).unwrap_or(0.0) as u64;
        if let Some(part) = champ("fin") {
            let pas_utf8 = champ("pas_utf8").and_then(|v| v.as_bool()).unwrap_or(false);
            return MessageLecteur::Fin { part: part.unchecked_into(), guillemets: nombre("guillemets"), pas_utf8 };
        }
        if champ("fait").is_some() {
            return MessageLecteur::Progres { fait: nombre("fait"), lignes: nombre("lignes") as usize };
        }
        MessageLecteur::Erreur
    }
}

/// The message that gives a reading worker its range: `{consigne, fichier}`.
pub fn message_consigne(consigne_json: &str, fichier: &web_sys::File) -> wasm_bindgen::JsValue {
    let envoi = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&envoi, &"consigne".into(), &consigne_json.into());
    let _ = js_sys::Reflect::set(&envoi, &"fichier".into(), fichier);
    envoi.into()
}

//! Page « Données »: load a file (picker, drag and drop, or the demo), see how it was read — counts,
//! detected columns, rejects and warnings — and map columns by hand when detection fails.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::navigateur::{lire_url, telecharger};
use super::state::{Lecture, Session};
use crate::format::integer;
use crate::import::columns::{Champ, Correspondance};
use crate::import::{Format, OptionsLecture, Rejet};

/// Relative URL of the demo file (copied into `dist/demo/` by Trunk).
pub const DEMO_URL: &str = "demo/etat-des-lieux-demo.csv";
/// The XLSX template, published as a static file so that the page needs no XLSX writer.
const MODELE_XLSX: &str = "modele/modele-etat-des-lieux.xlsx";
pub const DEMO_NOM: &str = "etat-des-lieux-demo.csv";
/// Rejects and warnings shown on screen; the download has them all.
const LIGNES_AFFICHEES: usize = 50;

#[component]
pub fn PageDonnees() -> impl IntoView {
    view! {
        <h1 class="fr-h2">"Données : l'état des lieux des réservations"</h1>
        <p>
            "Un fichier CSV, XLSX ou ODS, une ligne par logement (colonnes au format RPLS ou au format du modèle). "
            "Le fichier est lu dans votre navigateur et n'est envoyé nulle part. "
            "Les mouvements de chaque année (orientations et attributions) se chargent sur la page « Suivi de l'année »."
        </p>
        <Depot/>
        <Dossier/>
        <super::consultation::OuvrirVuePubliee/>
        <Rapport/>
    }
}

/// Name of the saved dossier.
const NOM_DOSSIER: &str = "dossier-gestion-flux.zip";

/// « Enregistrer le dossier » / « Ouvrir un dossier » (SPEC §7 « a dossier that lasts »): the
/// état des lieux, the parameters and scenarios, the mouvements of each year in one file, written
/// and read in the browser. A file that cannot be opened leaves the session as it was.
#[component]
fn Dossier() -> impl IntoView {
    let session = expect_context::<Session>();
    let message = RwSignal::new(None::<Result<String, String>>);
    let vide = move || session.fichier.with(Option::is_none) && session.fichiers_mouvements.with(Vec::is_empty);
    view! {
        <section class="fr-mb-4w" data-testid="dossier">
            <h2 class="fr-h4">"Dossier"</h2>
            <p class="fr-text--sm">
                "Tout ce qui est chargé et réglé — l'état des lieux, les paramètres et les scénarios, les mouvements de chaque année — "
                "dans un seul fichier, à rouvrir plus tard ici ou sur un autre poste avec les mêmes résultats. Il est écrit et lu dans votre navigateur."
            </p>
            <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
                <div class="fr-col-12 fr-col-md-4">
                    <button class="fr-btn fr-btn--secondary" type="button" data-testid="enregistrer-dossier"
                        disabled=vide
                        on:click=move |_| spawn_local(async move {
                            message.set(Some(match session.dossier().await {
                                Ok(d) => {
                                    telecharger(NOM_DOSSIER, "application/zip", &crate::dossier::ecrire(&d));
                                    Ok(format!("Dossier enregistré : « {NOM_DOSSIER} » ({}).", contenu(d.etat_des_lieux.map(|e| e.nom), d.mouvements.len(), d.scenarios.len())))
                                }
                                Err(e) => Err(format!("Le dossier n'a pas pu être enregistré : {e}.")),
                            }));
                        })>
                        "Enregistrer le dossier"
                    </button>
                </div>
                <div class="fr-col-12 fr-col-md-8">
                    <div class="fr-upload-group">
                        <label class="fr-label" for="ouvrir-dossier">"Ouvrir un dossier"
                            <span class="fr-hint-text">"Un fichier « .zip » enregistré par « Enregistrer le dossier ». Il remplace les données et les paramètres actuels."</span>
                        </label>
                        <input class="fr-upload" type="file" id="ouvrir-dossier" accept=".zip,application/zip"
                            on:change=move |ev| {
                                let input: web_sys::HtmlInputElement = ev.target().unwrap().unchecked_into();
                                let Some(f) = input.files().and_then(|f| f.get(0)) else { return };
                                input.set_value("");
                                let nom = f.name();
                                spawn_local(async move {
                                    let lu = super::navigateur::lire_fichier(f).await;
                                    message.set(Some(match lu.and_then(|octets| session.ouvrir_dossier(&octets)) {
                                        Ok(()) => Ok(format!("Dossier « {nom} » ouvert ({}).", contenu(session.fichier.with_untracked(|f| f.as_ref().map(|f| f.nom.clone())), session.fichiers_mouvements.with_untracked(Vec::len), session.scenarios.with_untracked(Vec::len)))),
                                        Err(e) => Err(format!("« {nom} » n'a pas pu être ouvert : {e}. Les données et les paramètres actuels sont conservés.")),
                                    }));
                                });
                            }/>
                    </div>
                </div>
            </div>
            {move || message.get().map(|m| match m {
                Ok(t) => view! { <div class="fr-alert fr-alert--success fr-alert--sm fr-mt-2w" role="status" data-testid="dossier-message"><p>{t}</p></div> }.into_any(),
                Err(t) => view! { <div class="fr-alert fr-alert--error fr-alert--sm fr-mt-2w" role="alert" data-testid="dossier-erreur"><p>{t}</p></div> }.into_any(),
            })}
        </section>
    }
}

/// What a dossier holds, in words.
fn contenu(etat: Option<String>, mouvements: usize, scenarios: usize) -> String {
    let etat = etat.map_or_else(|| "sans état des lieux".to_owned(), |e| format!("état des lieux « {e} »"));
    format!("{etat}, {mouvements} fichier(s) de mouvements, {scenarios} scénario(s)")
}

/// File picker, drop zone and demo button.
#[component]
fn Depot() -> impl IntoView {
    let session = expect_context::<Session>();
    // The reading workers load their module while the user picks a file.
    super::chargement::preparer_lecteurs();
    let erreur = RwSignal::new(None::<String>);
    let survol = RwSignal::new(false);
    let charger = move |fichier: web_sys::File| {
        erreur.set(None);
        spawn_local(async move {
            if let Err(e) = super::chargement::charger(session, fichier).await {
                erreur.set(Some(e));
            }
        });
    };
    let demo = move |_| {
        spawn_local(async move {
            match lire_url(DEMO_URL).await {
                Ok(octets) => {
                    erreur.set(None);
                    session.charger(DEMO_NOM.to_owned(), octets);
                    super::suivi::charger_demo(session).await;
                }
                Err(e) => erreur.set(Some(e)),
            }
        })
    };
    view! {
        <div
            class="depot fr-p-3w fr-mb-3w"
            class:depot--survol=move || survol.get()
            data-testid="depot"
            on:dragover=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                survol.set(true);
            }
            on:dragleave=move |_| survol.set(false)
            on:drop=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                survol.set(false);
                if let Some(f) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
                    charger(f);
                }
            }
        >
            <div class="fr-upload-group">
                <label class="fr-label" for="fichier">
                    "Déposez votre état des lieux ici, ou choisissez-le"
                    <span class="fr-hint-text">"CSV (séparateur ; , ou tabulation, UTF-8 ou Windows-1252), classeur Excel (XLSX) ou OpenDocument (ODS). Colonnes RPLS ou du modèle."</span>
                </label>
                <input
                    class="fr-upload"
                    type="file"
                    id="fichier"
                    name="fichier"
                    accept=".csv,.txt,.tsv,.xlsx,.xlsm,.ods,text/csv"
                    on:change=move |ev| {
                        let input: web_sys::HtmlInputElement = ev.target().unwrap().unchecked_into();
                        if let Some(f) = input.files().and_then(|f| f.get(0)) {
                            charger(f);
                        }
                        // The picker forgets the file: the badge above says which one is loaded
                        // (a refused or cancelled file must not look loaded), and picking the
                        // same file again reads it again.
                        input.set_value("");
                    }
                />
            </div>
            <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm fr-mt-2w fr-mb-0">
                <li><button class="fr-btn fr-btn--secondary" type="button" on:click=demo data-testid="demo">
                    "Essayer avec des données de démonstration"
                </button></li>
                <li><button class="fr-btn fr-btn--tertiary" type="button" data-testid="modele-csv"
                    on:click=|_| telecharger("modele-etat-des-lieux.csv", "text/csv;charset=utf-8", &crate::export::modele::modele_csv())>
                    "Modèle à remplir (CSV)"
                </button></li>
                <li><button class="fr-btn fr-btn--tertiary" type="button" data-testid="modele-xlsx"
                    on:click=move |_| spawn_local(async move {
                        // A static file (public/modele/, kept equal to export::modele by a test).
                        match lire_url(MODELE_XLSX).await {
                            Ok(octets) => telecharger("modele-etat-des-lieux.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &octets),
                            Err(e) => erreur.set(Some(e)),
                        }
                    })>
                    "Modèle à remplir (XLSX)"
                </button></li>
            </ul>
        </div>
        {move || erreur.get().map(|e| view! {
            <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" data-testid="depot-erreur"><p>{e}</p></div>
        })}
        <super::chargement::Progression/>
    }
}

/// How the file was read.
#[component]
fn Rapport() -> impl IntoView {
    let session = expect_context::<Session>();
    move || {
        let nom = session.fichier.with(|f| f.as_ref().map(|f| f.nom.clone()))?;
        Some(match session.lecture.get()? {
            Lecture::Echec { message, entetes, correspondance, feuilles, feuille } => view! {
                <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" data-testid="lecture-echec">
                    <h2 class="fr-alert__title">{format!("« {nom} » n'a pas pu être lu")}</h2>
                    <p>{message}</p>
                </div>
                {(feuilles.len() > 1).then(|| view! { <ChoixFeuille feuilles actuelle=feuille.clone().unwrap_or_default()/> })}
                {(!entetes.is_empty()).then(|| view! { <Correspondances entetes correspondance feuille/> })}
            }
            .into_any(),
            Lecture::Lu(import) => {
                let (entetes, correspondance) = (import.entetes.clone(), import.correspondance.clone());
                let rejets = import.rejets.clone();
                let avertissements = import.avertissements.clone();
                let a_rejets = !rejets.is_empty();
                view! {
                    <div class="fr-alert fr-alert--success fr-mb-3w" data-testid="lecture-ok">
                        <h2 class="fr-alert__title">{format!("« {nom} » lu")}</h2>
                        <p data-testid="comptes">
                            {integer(import.lignes_lues as i64)} " lignes lues = "
                            {integer(import.lignes_retenues as i64)} " retenues + "
                            {integer(import.rejets.len() as i64)} " rejetées ; "
                            {integer(import.avertissements.len() as i64)} " avertissement(s)."
                        </p>
                        <p class="fr-text--sm fr-mb-0">
                            {match import.format {
                                Format::Csv => format!("CSV : encodage {}, séparateur « {} ».", import.encodage, separateur(import.separateur)),
                                f => format!("Classeur {} : feuille « {} ».", f.nom(), import.feuille.clone().unwrap_or_default()),
                            }}
                        </p>
                    </div>
                    {(import.feuilles.len() > 1).then(|| view! { <ChoixFeuille feuilles=import.feuilles.clone() actuelle=import.feuille.clone().unwrap_or_default()/> })}
                    <ListeLignes titre="Lignes rejetées" testid="rejets" lignes=rejets.clone()/>
                    {a_rejets.then(|| view! {
                        <p>
                            <button class="fr-btn fr-btn--tertiary" type="button"
                                data-testid="telecharger-rejets"
                                on:click=move |_| telecharger("rejets.csv", "text/csv;charset=utf-8", &crate::export::rejets_csv(&rejets))>
                                "Télécharger les rejets (CSV)"
                            </button>
                        </p>
                    })}
                    <ListeLignes titre="Avertissements" testid="avertissements" lignes=avertissements/>
                    <Correspondances entetes correspondance feuille=import.feuille.clone()/>
                }
                .into_any()
            }
        })
    }
}

/// Sheet of a workbook to read (the first one by default).
#[component]
fn ChoixFeuille(feuilles: Vec<String>, actuelle: String) -> impl IntoView {
    let session = expect_context::<Session>();
    view! {
        <div class="fr-select-group fr-mb-3w">
            <label class="fr-label" for="feuille">"Feuille du classeur"
                <span class="fr-hint-text">"Le classeur a plusieurs feuilles : choisissez celle de l'état des lieux."</span>
            </label>
            <select class="fr-select" id="feuille" on:change=move |ev| {
                session.lire(&OptionsLecture { feuille: Some(event_target_value(&ev)), correspondance: None })
            }>
                {feuilles.into_iter().map(|f| {
                    let (choisie, valeur) = (f == actuelle, f.clone());
                    view! { <option value=valeur selected=choisie>{f}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

fn separateur(s: u8) -> &'static str {
    match s {
        b';' => ";",
        b',' => ",",
        b'\t' => "tabulation",
        _ => "?",
    }
}

/// A table of rejects or warnings: line, column, reason (the first ones; the download has all).
#[component]
pub(super) fn ListeLignes(titre: &'static str, testid: &'static str, lignes: Vec<Rejet>) -> impl IntoView {
    if lignes.is_empty() {
        return None;
    }
    let total = lignes.len();
    let legende = if total > LIGNES_AFFICHEES {
        format!("{titre} ({} premières sur {})", LIGNES_AFFICHEES, integer(total as i64))
    } else {
        format!("{titre} ({total})")
    };
    Some(view! {
        <div class="fr-table fr-table--sm fr-mb-3w" data-testid=testid>
            <table tabindex="0">
                <caption>{legende}</caption>
                <thead><tr><th scope="col">"Ligne"</th><th scope="col">"Colonne"</th><th scope="col">"Motif"</th></tr></thead>
                <tbody>
                    {lignes.into_iter().take(LIGNES_AFFICHEES).map(|r| view! {
                        <tr><td>{r.ligne}</td><td>{r.colonne}</td><td>{r.motif}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    })
}

/// Column mapping: which column of the file feeds each field; editable, then the file is read again.
#[component]
fn Correspondances(entetes: Vec<String>, correspondance: Correspondance, feuille: Option<String>) -> impl IntoView {
    let session = expect_context::<Session>();
    let choix = RwSignal::new(correspondance.clone());
    let ouvert = !correspondance.manquants().is_empty();
    let entetes = StoredValue::new(entetes);
    view! {
        <details class="fr-mb-3w" open=ouvert data-testid="correspondances">
            <summary class="fr-h6">"Correspondance des colonnes"</summary>
            <p class="fr-text--sm">"Les colonnes sont reconnues par leur nom (RPLS ou modèle). Corrigez-les si besoin, puis relisez le fichier."</p>
            <div class="fr-grid-row fr-grid-row--gutters">
                {Champ::TOUS.into_iter().map(|champ| {
                    let id = format!("colonne-{}", champ.nom());
                    let requis = if champ.requis() { " (obligatoire)" } else { "" };
                    view! {
                        <div class="fr-col-12 fr-col-md-4 fr-select-group">
                            <label class="fr-label" for=id.clone()>{format!("{}{requis}", champ.nom())}</label>
                            <select class="fr-select" id=id
                                on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    choix.update(|c| c.colonnes[champ as usize] = v.parse::<usize>().ok());
                                }>
                                <option value="" selected=move || choix.with(|c| c.colonne(champ).is_none())>"— aucune —"</option>
                                {entetes.get_value().into_iter().enumerate().map(|(i, e)| view! {
                                    <option value=i.to_string() selected=move || choix.with(|c| c.colonne(champ) == Some(i))>{e}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    }
                }).collect_view()}
            </div>
            <button class="fr-btn fr-mt-2w" type="button" data-testid="relire"
                on:click=move |_| session.lire(&OptionsLecture {
                    feuille: feuille.clone(),
                    correspondance: Some(choix.get_untracked()),
                })>
                "Relire le fichier avec ces colonnes"
            </button>
        </details>
    }
}

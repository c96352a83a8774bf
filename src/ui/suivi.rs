//! Page « Suivi de l'année » (SPEC §7): the mouvements files of each year (loaded, read, their
//! rejects), then for one convention and one year: objectives against what was counted, the pace
//! through the year, the communes of the État and the local réservataires, designation delays,
//! hors-flux attributions, the L. 441-1 indicators, the volumes left and the objectives of the
//! next year; and the exports of the yearly exchange (bilan R. 441-5-1, suivi.csv,
//! objectifs_n1.csv), the same files as `flux suivi`. Every number comes from
//! `domain::suivi::suivre` (and `bilan` for the exports).

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::donnees::ListeLignes;
use super::graphiques::{BarresAppariees, CumulMensuel, MOIS};
use super::navigateur::{ecrire_xlsx, lire_fichier, lire_url, telecharger};
use super::state::{EchecMouvements, Lecture, Lu, Session};
use super::{ChoixPerimetre, Pagination, SansResultats, PAR_PAGE};
use crate::domain::parametres::{cle_perimetre, Arrondi, Decompte};
use crate::domain::suivi::bilan::{bilan, Bilan};
use crate::domain::suivi::{suivre_prepare, AnneeConvention, Suivi, SuiviConvention};
use crate::domain::{Categorie, ResultatPerimetre, Resultats, Role};
use crate::export::suivi::{feuilles_bilan, nom_classeur, objectifs_n1_csv, suivi_csv};
use crate::format::{decimal, ecart, integer, percent};
use crate::import::mouvements::{Champ, Correspondance, ImportMouvements, OptionsMouvements};
use crate::import::Format;

/// The demo year of mouvements (2026, for the demo état des lieux), copied into `dist/demo/`.
pub const DEMO_URL: &str = "demo/mouvements-demo.csv";
pub const DEMO_NOM: &str = "mouvements-demo.csv";
/// The XLSX template of the mouvements, a static file (kept equal to `export::modele` by a test).
const MODELE_XLSX: &str = "modele/modele-mouvements.xlsx";
const TYPE_CSV: &str = "text/csv;charset=utf-8";
const TYPE_XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// Alerts of the follow-up shown on screen (one per row that could not be followed, at worst).
const ALERTES_AFFICHEES: usize = 20;

/// Loads the demo mouvements next to the demo état des lieux, unless the user loaded something
/// else meanwhile.
pub async fn charger_demo(s: Session) {
    if let Ok(octets) = lire_url(DEMO_URL).await {
        let etat_demo = s.fichier.with_untracked(|f| f.as_ref().is_some_and(|f| f.nom == super::donnees::DEMO_NOM));
        if etat_demo && s.fichiers_mouvements.with_untracked(Vec::is_empty) {
            s.ajouter_mouvements_demo(DEMO_NOM.into(), octets);
        }
    }
}

/// The follow-up shown: the chosen convention only (a change of counting recomputes that one).
type Affiche = Memo<Option<Lu<Suivi>>>;

#[component]
pub fn PageSuivi() -> impl IntoView {
    let s = expect_context::<Session>();
    let choix = RwSignal::new(0usize);
    // `None`: the last year followed.
    let annee = RwSignal::new(None::<i32>);
    let affiche: Affiche = Memo::new(move |_| {
        let Some(Lecture::Lu(etat)) = s.lecture.get() else { return None };
        let r = s.resultats_ok()?;
        let prep = s.preparation.get()?;
        let (mouvements, prep) = &*prep;
        let i = choix.get().min(r.perimetres.len().saturating_sub(1));
        Some(Lu(Arc::new(s.parametres.with(|p| suivre_prepare(&etat.dataset, p, &r, mouvements, prep, Some(&[i]))))))
    });
    view! {
        <h1 class="fr-h2">"Suivi de l'année"</h1>
        <p>
            "Chaque année, les orientations de logements libérés sont décomptées des objectifs de chaque réservataire, "
            "et ce qui a été décompté se déduit de son volume de droits. Le bilan de l'année (CCH R. 441-5-1) et les "
            "objectifs de l'année suivante en découlent. Les fichiers sont lus dans votre navigateur et ne sont envoyés nulle part."
        </p>
        <Mouvements/>
        <Choix choix annee/>
        <Analyse affiche choix annee/>
        <Bilans affiche/>
    }
}

// ---------------------------------------------------------------------------------------------
// The mouvements files

#[component]
fn Mouvements() -> impl IntoView {
    let s = expect_context::<Session>();
    let erreur = RwSignal::new(None::<String>);
    view! {
        <section class="fr-mb-4w" data-testid="mouvements">
            <h2 class="fr-h4">"Mouvements"</h2>
            <div class="depot fr-p-3w fr-mb-3w">
                <div class="fr-upload-group">
                    <label class="fr-label" for="fichiers-mouvements">
                        "Ajoutez un ou plusieurs fichiers de mouvements (une année par fichier, ou plus)"
                        <span class="fr-hint-text">"Une ligne par orientation d'un logement libéré : rpls, date_orientation, reservataire, issue (bail_signe, refus_menage, refus_caleol, non_designe, en_cours), dates de désignation et de bail… CSV, XLSX ou ODS."</span>
                    </label>
                    <input class="fr-upload" type="file" id="fichiers-mouvements" multiple=true
                        accept=".csv,.txt,.tsv,.xlsx,.xlsm,.ods,text/csv"
                        on:change=move |ev| {
                            let input: web_sys::HtmlInputElement = ev.target().unwrap().unchecked_into();
                            let fichiers: Vec<web_sys::File> = match input.files() {
                                Some(liste) => (0..liste.length()).filter_map(|k| liste.get(k)).collect(),
                                None => Vec::new(),
                            };
                            input.set_value("");
                            erreur.set(None);
                            spawn_local(async move {
                                for f in fichiers {
                                    let nom = f.name();
                                    match lire_fichier(f).await {
                                        Ok(octets) => s.ajouter_mouvements(nom, octets),
                                        Err(e) => erreur.set(Some(format!("« {nom} » : {e}"))),
                                    }
                                }
                            });
                        }/>
                </div>
                <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm fr-mt-2w fr-mb-0">
                    <li><button class="fr-btn fr-btn--tertiary" type="button" data-testid="modele-mouvements-csv"
                        on:click=|_| telecharger("modele-mouvements.csv", TYPE_CSV, &crate::export::modele::modele_mouvements_csv())>
                        "Modèle de mouvements (CSV)"
                    </button></li>
                    <li><button class="fr-btn fr-btn--tertiary" type="button" data-testid="modele-mouvements-xlsx"
                        on:click=move |_| spawn_local(async move {
                            match lire_url(MODELE_XLSX).await {
                                Ok(octets) => telecharger("modele-mouvements.xlsx", TYPE_XLSX, &octets),
                                Err(e) => erreur.set(Some(e)),
                            }
                        })>
                        "Modèle de mouvements (XLSX)"
                    </button></li>
                </ul>
            </div>
            {move || erreur.get().map(|e| view! {
                <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" data-testid="mouvements-erreur"><p>{e}</p></div>
            })}
            <ListeFichiers/>
        </section>
    }
}

/// Each mouvements file loaded, with how it was read against the current état des lieux.
#[component]
fn ListeFichiers() -> impl IntoView {
    let s = expect_context::<Session>();
    move || {
        let noms: Vec<String> = s.fichiers_mouvements.with(|v| v.iter().map(|f| f.nom.clone()).collect());
        let lus = s.mouvements.get();
        if noms.is_empty() {
            return view! { <p class="fr-text--sm" data-testid="mouvements-aucun">"Aucun fichier de mouvements chargé."</p> }.into_any();
        }
        if s.import().is_none() {
            return view! { <p class="fr-text--sm">"Les mouvements seront lus quand un état des lieux sera chargé (onglet « Données »)."</p> }.into_any();
        }
        noms.into_iter()
            .zip(lus)
            .enumerate()
            .map(|(k, (nom, lu))| view! { <FichierLu k nom lu/> })
            .collect_view()
            .into_any()
    }
}

#[component]
fn FichierLu(k: usize, nom: String, lu: super::state::MouvementsLus) -> impl IntoView {
    let s = expect_context::<Session>();
    let retirer = view! {
        <button class="fr-btn fr-btn--tertiary fr-btn--sm" type="button" data-testid="retirer-mouvements"
            on:click=move |_| s.retirer_mouvements(k)>
            {format!("Retirer « {nom} »")}
        </button>
    };
    let contenu = match lu {
        Err(EchecMouvements { message, entetes, correspondance, feuilles, feuille }) => view! {
            <div class="fr-alert fr-alert--error fr-mb-2w" role="alert" data-testid="mouvements-echec">
                <h3 class="fr-alert__title">{format!("« {nom} » n'a pas pu être lu")}</h3>
                <p>{message}</p>
            </div>
            {(feuilles.len() > 1).then(|| view! { <ChoixFeuille k feuilles actuelle=feuille.clone().unwrap_or_default()/> })}
            {(!entetes.is_empty()).then(|| view! { <CorrespondancesMouvements k entetes correspondance feuille/> })}
        }
        .into_any(),
        Ok(i) => {
            let rejets = i.rejets.clone();
            let avertissements = i.avertissements.clone();
            let a_rejets = !rejets.is_empty();
            let nom_rejets = format!("rejets-{}.csv", nom.rsplit_once('.').map_or(nom.as_str(), |(n, _)| n));
            view! {
                <div class=if a_rejets { "fr-alert fr-alert--warning fr-mb-2w" } else { "fr-alert fr-alert--success fr-mb-2w" } data-testid="mouvements-lu">
                    <h3 class="fr-alert__title">{format!("« {nom} » lu")}</h3>
                    <p data-testid="mouvements-comptes">
                        {integer(i.lignes_lues as i64)} " lignes lues = "
                        {integer(i.lignes_retenues as i64)} " retenues + "
                        {integer(i.rejets.len() as i64)} " rejetées ; "
                        {integer(i.avertissements.len() as i64)} " avertissement(s)."
                    </p>
                    <p class="fr-text--sm fr-mb-0">{lecture(&i)}</p>
                </div>
                {(i.feuilles.len() > 1).then(|| view! { <ChoixFeuille k feuilles=i.feuilles.clone() actuelle=i.feuille.clone().unwrap_or_default()/> })}
                <ListeLignes titre="Lignes rejetées" testid="mouvements-rejets" lignes=rejets.clone()/>
                {a_rejets.then(|| view! {
                    <p>
                        <button class="fr-btn fr-btn--tertiary fr-btn--sm" type="button" data-testid="telecharger-rejets-mouvements"
                            on:click=move |_| telecharger(&nom_rejets, TYPE_CSV, &crate::export::rejets_csv(&rejets))>
                            "Télécharger les rejets (CSV)"
                        </button>
                    </p>
                })}
                <ListeLignes titre="Avertissements" testid="mouvements-avertissements" lignes=avertissements/>
                <CorrespondancesMouvements k entetes=i.entetes.clone() correspondance=i.correspondance.clone() feuille=i.feuille.clone()/>
            }
            .into_any()
        }
    };
    view! {
        <div class="fichier-mouvements fr-mb-3w" data-testid="mouvements-fichier" data-nom=nom.clone()>
            {contenu}
            {retirer}
        </div>
    }
}

/// How a file was read (format, encoding, separator or sheet).
fn lecture(i: &ImportMouvements) -> String {
    match i.format {
        Format::Csv => format!(
            "CSV : encodage {}, séparateur « {} ».",
            i.encodage,
            match i.separateur {
                b';' => ";",
                b',' => ",",
                b'\t' => "tabulation",
                _ => "?",
            }
        ),
        f => format!("Classeur {} : feuille « {} ».", f.nom(), i.feuille.clone().unwrap_or_default()),
    }
}

/// Sheet of a mouvements workbook.
#[component]
fn ChoixFeuille(k: usize, feuilles: Vec<String>, actuelle: String) -> impl IntoView {
    let s = expect_context::<Session>();
    let id = format!("feuille-mouvements-{k}");
    view! {
        <div class="fr-select-group fr-mb-2w">
            <label class="fr-label" for=id.clone()>"Feuille du classeur"
                <span class="fr-hint-text">"Le classeur a plusieurs feuilles : choisissez celle des mouvements."</span>
            </label>
            <select class="fr-select" id=id on:change=move |ev| {
                s.relire_mouvements(k, OptionsMouvements { feuille: Some(event_target_value(&ev)), correspondance: None })
            }>
                {feuilles.into_iter().map(|f| {
                    let (choisie, valeur) = (f == actuelle, f.clone());
                    view! { <option value=valeur prop:selected=choisie>{f}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// Which column of the file feeds each field of the mouvements; editable, then the file is read
/// again (open when a required column is missing).
#[component]
fn CorrespondancesMouvements(k: usize, entetes: Vec<String>, correspondance: Correspondance, feuille: Option<String>) -> impl IntoView {
    let s = expect_context::<Session>();
    let choix = RwSignal::new(correspondance.clone());
    let ouvert = !correspondance.manquants().is_empty();
    let entetes = StoredValue::new(entetes);
    view! {
        <details class="fr-mb-2w" open=ouvert data-testid="correspondances-mouvements">
            <summary class="fr-h6">"Correspondance des colonnes"</summary>
            <p class="fr-text--sm">"Les colonnes sont reconnues par leur nom (modèle ou synonymes courants). Corrigez-les si besoin, puis relisez le fichier."</p>
            <div class="fr-grid-row fr-grid-row--gutters">
                {Champ::TOUS.into_iter().map(|champ| {
                    let id = format!("colonne-mouvements-{k}-{}", champ.nom());
                    let requis = if champ.requis() { " (obligatoire)" } else { "" };
                    view! {
                        <div class="fr-col-12 fr-col-md-4 fr-select-group">
                            <label class="fr-label" for=id.clone()>{format!("{}{requis}", champ.nom())}</label>
                            <select class="fr-select" id=id
                                on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    choix.update(|c| c.colonnes[champ as usize] = v.parse::<usize>().ok());
                                }>
                                <option value="" prop:selected=move || choix.with(|c| c.colonne(champ).is_none())>"— aucune —"</option>
                                {entetes.get_value().into_iter().enumerate().map(|(i, e)| view! {
                                    <option value=i.to_string() prop:selected=move || choix.with(|c| c.colonne(champ) == Some(i))>{e}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    }
                }).collect_view()}
            </div>
            <button class="fr-btn fr-btn--sm fr-mt-2w" type="button" data-testid="relire-mouvements"
                on:click=move |_| s.relire_mouvements(k, OptionsMouvements { feuille: feuille.clone(), correspondance: Some(choix.get_untracked()) })>
                "Relire le fichier avec ces colonnes"
            </button>
        </details>
    }
}

// ---------------------------------------------------------------------------------------------
// The follow-up of one convention in one year

/// The convention, the year, and the convention's own counting.
#[component]
fn Choix(choix: RwSignal<usize>, annee: RwSignal<Option<i32>>) -> impl IntoView {
    let s = expect_context::<Session>();
    let annees = Memo::new(move |_| s.preparation.with(|x| x.as_ref().map(|x| x.1.annees.clone()).unwrap_or_default()));
    move || {
        let r = s.resultats_ok()?;
        let annees = annees.get();
        let derniere = *annees.last()?;
        let i = choix.get().min(r.perimetres.len().saturating_sub(1));
        let per = r.perimetres.get(i)?.clone();
        let montree = move |x: i32| annee.get().filter(|a| *a == x).is_some() || (annee.get().is_none() && x == derniere);
        Some(view! {
            <section class="fr-mb-4w">
                <h2 class="fr-h4">"Convention et année"</h2>
                <div class="fr-grid-row fr-grid-row--gutters">
                    <div class="fr-col-12 fr-col-md-6"><ChoixPerimetre resultats=r.clone() choix/></div>
                    <div class="fr-col-6 fr-col-md-2">
                        <div class="fr-select-group">
                            <label class="fr-label" for="suivi-annee">"Année"</label>
                            <select class="fr-select" id="suivi-annee" data-testid="suivi-annee"
                                on:change=move |ev| annee.set(event_target_value(&ev).parse().ok())>
                                {annees.into_iter().map(|x| view! { <option value=x.to_string() prop:selected=move || montree(x)>{x}</option> }).collect_view()}
                            </select>
                        </div>
                    </div>
                    <div class="fr-col-6 fr-col-md-4"><ChoixDecompte per/></div>
                </div>
            </section>
        })
    }
}

#[component]
fn Analyse(affiche: Affiche, choix: RwSignal<usize>, annee: RwSignal<Option<i32>>) -> impl IntoView {
    let s = expect_context::<Session>();
    move || {
        let Some(r) = s.resultats_ok() else { return view! { <SansResultats/> }.into_any() };
        let Some(suivi) = affiche.get() else {
            let texte = if s.fichiers_mouvements.with(Vec::is_empty) {
                "Ajoutez les mouvements d'une année pour suivre les objectifs de chaque convention."
            } else {
                "Aucun mouvement retenu : voyez les lignes rejetées de chaque fichier ci-dessus."
            };
            return view! { <div class="fr-alert fr-alert--info" data-testid="suivi-vide"><p>{texte}</p></div> }.into_any();
        };
        let Some(&derniere) = suivi.annees.last() else {
            return view! {
                <div class="fr-alert fr-alert--info" data-testid="suivi-vide">
                    <p>{format!("Aucune orientation à suivre : les mouvements retenus sont datés d'avant l'année de conversion ({}) ou ne se rattachent à aucune partie.", r.premiere_annee)}</p>
                </div>
            }
            .into_any();
        };
        let i = choix.get().min(r.perimetres.len().saturating_sub(1));
        let (Some(per), Some(conv)) = (r.perimetres.get(i).cloned(), suivi.conventions.get(i).cloned()) else {
            return view! { <SansResultats/> }.into_any();
        };
        let n = annee.get().filter(|a| suivi.annees.contains(a)).unwrap_or(derniere);
        let Some(a) = conv.annees.iter().find(|x| x.annee == n).cloned() else { return view! { <SansResultats/> }.into_any() };
        let decimales = if s.parametres.with(|p| p.arrondi) == Arrondi::Aucun { 2 } else { 0 };
        let alertes: Vec<String> = suivi.alertes.iter().filter(|x| x.perimetre.is_none_or(|p| p == i)).map(|x| x.message.clone()).collect();
        view! {
            <Synthese per=per.clone() a=a.clone() decimales/>
            {(!alertes.is_empty()).then(|| view! { <Alertes alertes/> })}
            <TableParties per=per.clone() a=a.clone() decimales/>
            <BarresAppariees titre=format!("Objectif et logements décomptés en {n} — {} ({})", per.bailleur, per.departement)
                lignes=per.parts.iter().zip(&a.parties)
                    .filter(|(_, x)| x.taux.is_some() || x.decomptes > 0)
                    .map(|(p, x)| (p.libelle(), x.objectif, x.decomptes)).collect()
                decimales/>
            <Rythme per=per.clone() a=a.clone() decimales/>
            <Communes per=per.clone() a=a.clone()/>
            <Retards per=per.clone() a=a.clone()/>
            <HorsFlux a=a.clone()/>
            <Indicateurs per=per.clone() a=a.clone()/>
            <Volumes per=per.clone() conv=conv.clone() a=a.clone() decimales/>
        }
        .into_any()
    }
}

/// « Décompte de cette convention »: the convention's own counting, or the default of the
/// Paramètres page (`suivi.decompte_par_perimetre`).
#[component]
fn ChoixDecompte(per: ResultatPerimetre) -> impl IntoView {
    let s = expect_context::<Session>();
    let cle = cle_perimetre(&per.bailleur, &per.departement);
    let c1 = cle.clone();
    let propre = Memo::new(move |_| s.parametres.with(|p| p.suivi.decompte_par_perimetre.get(&c1).copied()));
    let defaut = move || s.parametres.with(|p| p.suivi.decompte);
    view! {
        <div class="fr-select-group">
            <label class="fr-label" for="decompte-convention">"Décompte de cette convention"</label>
            <select class="fr-select" id="decompte-convention" data-testid="decompte-convention"
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    let choisi = Decompte::TOUS.into_iter().find(|d| d.code() == v);
                    let cle = cle.clone();
                    s.regler(move |p| match choisi {
                        Some(d) => { p.suivi.decompte_par_perimetre.insert(cle, d); }
                        None => { p.suivi.decompte_par_perimetre.remove(&cle); }
                    });
                }>
                <option value="" prop:selected=move || propre.get().is_none()>{move || format!("par défaut ({})", court(defaut()))}</option>
                {Decompte::TOUS.into_iter().map(|d| view! {
                    <option value=d.code() prop:selected=move || propre.get() == Some(d)>{court(d)}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

/// A counting mode in a few words (a select is narrow).
fn court(d: Decompte) -> &'static str {
    match d {
        Decompte::Orientation => "à l'orientation",
        Decompte::Bail => "au bail signé",
        Decompte::Mixte => "mixte",
    }
}

#[component]
fn Chiffre(titre: &'static str, valeur: String, #[prop(into)] detail: String, testid: &'static str) -> impl IntoView {
    view! {
        <div class="fr-col-6 fr-col-md-3">
            <div class="chiffre fr-p-2w">
                <p class="fr-text--sm fr-mb-1v">{titre}</p>
                <p class="chiffre__valeur fr-mb-1v" data-testid=testid>{valeur}</p>
                <p class="fr-text--xs fr-mb-0">{detail}</p>
            </div>
        </div>
    }
}

#[component]
fn Synthese(per: ResultatPerimetre, a: AnneeConvention, decimales: usize) -> impl IntoView {
    let s = expect_context::<Session>();
    let decompte = s.parametres.with(|p| p.suivi.decompte(&per.bailleur, &per.departement));
    view! {
        <div class="fr-grid-row fr-grid-row--gutters fr-mb-2w" data-testid="suivi-synthese">
            <Chiffre titre="Orientations" valeur=integer(i64::from(a.orientations)) detail=format!("lignes de mouvements de {}", a.annee) testid="suivi-orientations"/>
            <Chiffre titre="Logements décomptés" valeur=integer(i64::from(a.decomptes_total)) detail=format!("décompte {}", decompte.libelle()) testid="suivi-decomptes"/>
            <Chiffre titre="En attente" valeur=integer(i64::from(a.en_attente_total)) detail="orientations en cours, non encore décomptées" testid="suivi-en-attente"/>
            <Chiffre titre="Objectif de l'année" valeur=decimal(a.objectif_total, decimales) detail="toutes parties, écarts reportés compris" testid="suivi-objectif"/>
        </div>
    }
}

#[component]
fn Alertes(alertes: Vec<String>) -> impl IntoView {
    let total = alertes.len();
    view! {
        <div class="fr-alert fr-alert--warning fr-mb-3w" data-testid="suivi-alertes">
            <h2 class="fr-alert__title">{if total > ALERTES_AFFICHEES { format!("Alertes ({ALERTES_AFFICHEES} premières sur {})", integer(total as i64)) } else { format!("Alertes ({total})") }}</h2>
            <ul>{alertes.into_iter().take(ALERTES_AFFICHEES).map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
        </div>
    }
}

/// A verdict badge from the engine (`Some(true)`: target reached).
fn verdict(atteinte: Option<bool>) -> AnyView {
    match atteinte {
        Some(true) => view! { <span class="fr-badge fr-badge--success fr-badge--sm fr-badge--no-icon">"atteinte"</span> }.into_any(),
        Some(false) => view! { <span class="fr-badge fr-badge--error fr-badge--sm fr-badge--no-icon">"non atteinte"</span> }.into_any(),
        None => "—".into_any(),
    }
}

fn ou_tiret<T>(x: Option<T>, f: impl Fn(T) -> String) -> String {
    x.map(f).unwrap_or_else(|| "—".to_owned())
}

#[component]
fn TableParties(per: ResultatPerimetre, a: AnneeConvention, decimales: usize) -> impl IntoView {
    let s = expect_context::<Session>();
    let cible = s.parametres.with(|p| p.suivi.cible_prioritaires);
    view! {
        <div class="fr-table fr-table--sm" data-testid="suivi-parties">
            <table tabindex="0">
                <caption>{format!("Objectifs et décomptes {} — {} ({})", a.annee, per.bailleur, per.departement)}</caption>
                <thead><tr>
                    <th scope="col">"Partie"</th>
                    <th scope="col">"Étalement"</th>
                    <th scope="col">"Report"</th>
                    <th scope="col">"Objectif"</th>
                    <th scope="col">"Décomptés"</th>
                    <th scope="col">"En attente"</th>
                    <th scope="col">"Écart"</th>
                    <th scope="col">"Réalisé"</th>
                    <th scope="col">"Volume restant"</th>
                    <th scope="col">"Épuisement (ans)"</th>
                    <th scope="col">"Délai médian (jours)"</th>
                    <th scope="col">{format!("Ménages prioritaires (cible {})", percent(cible, 0))}</th>
                </tr></thead>
                <tbody>
                    {per.parts.iter().zip(a.parties.clone()).map(|(p, x)| view! {
                        <tr data-partie=p.reservataire.clone() data-categorie=p.categorie.code()>
                            <th scope="row">{p.libelle()}</th>
                            <td class="nombre">{decimal(x.objectif_etalement, decimales)}</td>
                            <td class="nombre">{ecart(x.report, decimales)}</td>
                            <td class="nombre" data-col="objectif">{decimal(x.objectif, decimales)}</td>
                            <td class="nombre" data-col="decomptes">{x.decomptes}</td>
                            <td class="nombre" data-col="en_attente">{x.en_attente}</td>
                            <td class="nombre" data-col="ecart">{ecart(x.ecart, decimales)}</td>
                            <td class="nombre">{ou_tiret(x.taux, |t| percent(t, 0))}</td>
                            <td class="nombre" data-col="volume_restant">{ou_tiret(x.volume_restant, |v| decimal(v, 1))}
                                {x.volume_depasse().then(|| view! {
                                    " " <span class="fr-badge fr-badge--warning fr-badge--sm fr-badge--no-icon">{format!("dépassé de {}", decimal(x.exces, 1))}</span>
                                })}
                            </td>
                            <td class="nombre">{ou_tiret(x.annees_epuisement, |v| decimal(v, 1))}</td>
                            <td class="nombre">{ou_tiret(x.delai_median_jours, |v| decimal(v, 1))}</td>
                            <td>{match x.part_prioritaires {
                                Some(v) => view! { <span class="nombre">{percent(v, 0)}</span>" "{x.cible_prioritaires_atteinte.map(|a| verdict(Some(a)))} }.into_any(),
                                None => "—".into_any(),
                            }}</td>
                        </tr>
                    }).collect_view()}
                    <tr class="total">
                        <th scope="row" colspan="3">"Total"</th>
                        <td class="nombre" data-testid="suivi-total-objectif">{decimal(a.objectif_total, decimales)}</td>
                        <td class="nombre" data-testid="suivi-total-decomptes">{a.decomptes_total}</td>
                        <td class="nombre">{a.en_attente_total}</td>
                        <td></td><td></td><td></td><td></td><td></td><td></td>
                    </tr>
                </tbody>
            </table>
        </div>
        <p class="fr-text--xs">"Objectif = logements entiers de l'année dans l'étalement (recalculé sur les volumes restants) + écart de l'année précédente reporté, jamais plus que le volume restant. Écart = décomptés − objectif (négatif : en retard) ; réalisé = décomptés / objectif. Le volume restant déduit ce qui a été réellement décompté (un dépassement est signalé, pas masqué) ; l'épuisement compte les années pour l'utiliser à partir de l'année suivante. Délai médian : de l'orientation à la désignation."</p>
    }
}

/// The pace through the year: counted logements cumulated month by month, for the whole
/// convention or one party.
#[component]
fn Rythme(per: ResultatPerimetre, a: AnneeConvention, decimales: usize) -> impl IntoView {
    // `None`: every party.
    let partie = RwSignal::new(None::<usize>);
    let libelles: Vec<String> = per.parts.iter().map(|p| p.libelle()).collect();
    let l2 = libelles.clone();
    let titre = format!("{} ({})", per.bailleur, per.departement);
    let a2 = a.clone();
    let graphique = move || {
        let (nom, cumul, objectif) = match partie.get().and_then(|k| a2.parties.get(k).map(|x| (k, x))) {
            Some((k, x)) => (l2[k].clone(), x.cumul_mensuel, x.objectif),
            None => ("toutes parties".to_owned(), a2.cumul_mensuel, a2.objectif_total),
        };
        view! {
            <CumulMensuel titre=format!("Logements décomptés depuis janvier {}, {nom} — {titre}", a2.annee) cumul objectif decimales/>
            <details class="fr-mb-3w">
                <summary class="fr-text--sm">"Données du graphique"</summary>
                <div class="fr-table fr-table--sm" data-testid="suivi-mois">
                    <table tabindex="0">
                        <caption>{format!("Logements décomptés cumulés par mois, {nom}")}</caption>
                        <thead><tr>{MOIS.into_iter().map(|m| view! { <th scope="col">{m}</th> }).collect_view()}</tr></thead>
                        <tbody><tr>{cumul.into_iter().map(|c| view! { <td class="nombre">{c}</td> }).collect_view()}</tr></tbody>
                    </table>
                </div>
            </details>
        }
    };
    view! {
        <section class="suivi-bloc">
        <h2 class="fr-h4">"Rythme de l'année"</h2>
        <div class="fr-select-group fr-mb-2w">
            <label class="fr-label" for="suivi-rythme-partie">"Partie"</label>
            <select class="fr-select" id="suivi-rythme-partie" on:change=move |ev| partie.set(event_target_value(&ev).parse().ok())>
                <option value="" prop:selected=move || partie.get().is_none()>"Toutes les parties"</option>
                {libelles.into_iter().enumerate().map(|(k, l)| view! { <option value=k.to_string() prop:selected=move || partie.get() == Some(k)>{l}</option> }).collect_view()}
            </select>
        </div>
        {graphique}
        </section>
    }
}

/// Per commune, for the État and the local réservataires (SPEC §4.10).
#[component]
fn Communes(per: ResultatPerimetre, a: AnneeConvention) -> impl IntoView {
    let s = expect_context::<Session>();
    let mut parties: Vec<usize> = Vec::new();
    for c in &a.communes {
        if !parties.contains(&c.partie) {
            parties.push(c.partie);
        }
    }
    if parties.is_empty() {
        return None;
    }
    let choisie = RwSignal::new(parties[0]);
    let nom = move |code: &str| s.geographie.with(|g| g.as_ref().and_then(|g| g.commune(code)).map(|c| c.nom.clone()).unwrap_or_default());
    let libelle = move |k: usize| per.parts.get(k).map(|p| p.libelle()).unwrap_or_default();
    let l2 = libelle.clone();
    let annee = a.annee;
    let communes = a.communes.clone();
    let tableau = move || {
        let k = choisie.get();
        view! {
            <div class="fr-table fr-table--sm" data-testid="suivi-communes">
                <table tabindex="0">
                    <caption>{format!("Par commune en {annee} — {}", l2(k))}</caption>
                    <thead><tr>
                        <th scope="col">"Commune"</th><th scope="col">"Objectif"</th><th scope="col">"Décomptés"</th><th scope="col">"Écart"</th>
                    </tr></thead>
                    <tbody>
                        {communes.iter().filter(|c| c.partie == k).map(|c| view! {
                            <tr data-commune=c.commune.clone()>
                                <th scope="row">{format!("{} {}", c.commune, nom(&c.commune))}</th>
                                <td class="nombre">{decimal(c.objectif, 2)}</td>
                                <td class="nombre">{c.decomptes}</td>
                                <td class="nombre">{ecart(c.ecart, 2)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    };
    Some(view! {
        <section class="suivi-bloc">
        <h2 class="fr-h4">"Par commune"</h2>
        <p class="fr-text--sm">"L'objectif de l'État et des communes, EPCI ou EPT réservataires se répartit sur les communes (celles de leurs propres réservations pour les collectivités), comme les objectifs territoriaux de la convention."</p>
        <div class="fr-select-group fr-mb-2w">
            <label class="fr-label" for="suivi-commune-partie">"Partie"</label>
            <select class="fr-select" id="suivi-commune-partie" on:change=move |ev| if let Ok(k) = event_target_value(&ev).parse() { choisie.set(k) }>
                {parties.into_iter().map(|k| view! { <option value=k.to_string() prop:selected=move || choisie.get() == k>{libelle(k)}</option> }).collect_view()}
            </select>
        </div>
        {tableau}
        </section>
    })
}

/// Orientations whose designation came after the delay, or never (most late first).
#[component]
fn Retards(per: ResultatPerimetre, a: AnneeConvention) -> impl IntoView {
    let s = expect_context::<Session>();
    let delai = s.parametres.with(|p| p.suivi.delai_designation_jours);
    let page = RwSignal::new(0usize);
    let total = a.retards.len();
    let pages = total.div_ceil(PAR_PAGE);
    let date = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    let retards = a.retards.clone();
    view! {
        <section class="suivi-bloc">
        <h2 class="fr-h4">"Délais de désignation"</h2>
        <p class="fr-text--sm">{format!(
            "Le réservataire dispose de {delai} jours après l'orientation pour proposer des candidats (paramètre « délai de désignation »). Délai médian par partie : voir le tableau des objectifs."
        )}</p>
        {if total == 0 {
            view! { <p data-testid="suivi-retards-aucun">{format!("Aucune orientation de {} désignée après le délai.", a.annee)}</p> }.into_any()
        } else {
            view! {
                {move || {
                    let numero = page.get().min(pages.saturating_sub(1));
                    view! {
                        <div class="fr-table fr-table--sm" data-testid="suivi-retards">
                            <table tabindex="0">
                                <caption>{format!("Orientations désignées après le délai ou jamais en {} : {} (les plus en retard d'abord)", a.annee, integer(total as i64))}</caption>
                                <thead><tr>
                                    <th scope="col">"Ligne"</th><th scope="col">"Logement (RPLS)"</th><th scope="col">"Partie"</th>
                                    <th scope="col">"Orientation"</th><th scope="col">"Échéance"</th><th scope="col">"Désignation"</th><th scope="col">"Jours de retard"</th>
                                </tr></thead>
                                <tbody>
                                    {retards.iter().skip(numero * PAR_PAGE).take(PAR_PAGE).map(|x| view! {
                                        <tr>
                                            <td>{x.ligne}</td>
                                            <td>{x.rpls.clone()}</td>
                                            <th scope="row">{per.parts.get(x.partie).map(|p| p.libelle()).unwrap_or_default()}</th>
                                            <td>{date(x.date_orientation)}</td>
                                            <td>{date(x.echeance)}</td>
                                            <td>{x.date_designation.map(date).unwrap_or_else(|| "aucune".to_owned())}</td>
                                            <td class="nombre">{integer(x.jours)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <Pagination page pages numero/>
                    }
                }}
            }.into_any()
        }}
        </section>
    }
}

/// Hors-flux attributions of the year by motif, against the forecast (`prelevements_annuels`).
#[component]
fn HorsFlux(a: AnneeConvention) -> impl IntoView {
    let motifs: Vec<_> = crate::domain::model::Motif::TOUS.into_iter().filter(|m| a.hors_flux[*m as usize] > 0).collect();
    view! {
        <section class="suivi-bloc">
        <h2 class="fr-h4">"Attributions hors flux"</h2>
        <div class="fr-table fr-table--sm" data-testid="suivi-hors-flux">
            <table tabindex="0">
                <caption>{format!("Attributions hors flux en {} (relogements, mutations…), par motif", a.annee)}</caption>
                <thead><tr><th scope="col">"Motif"</th><th scope="col">"Baux signés"</th></tr></thead>
                <tbody>
                    {motifs.into_iter().map(|m| view! {
                        <tr data-motif=m.code()><th scope="row">{m.libelle()}</th><td class="nombre">{a.hors_flux[m as usize]}</td></tr>
                    }).collect_view()}
                    <tr class="total"><th scope="row">"Total"</th><td class="nombre" data-testid="suivi-hors-flux-total">{a.hors_flux_total}</td></tr>
                    <tr><th scope="row">"Prévision (prélèvements annuels)"</th><td class="nombre" data-testid="suivi-hors-flux-prevision">{decimal(a.prevision_hors_flux, 1)}</td></tr>
                </tbody>
            </table>
        </div>
        <p class="fr-text--xs">"Les attributions hors flux ne sont décomptées d'aucune part ; la prévision est le paramètre « prélèvements annuels » de la convention. La prévision de l'année suivante par motif est dans le bilan (classeur)."</p>
        </section>
    }
}

/// CCH L. 441-1 indicators, with their targets and the engine's verdicts.
#[component]
fn Indicateurs(per: ResultatPerimetre, a: AnneeConvention) -> impl IntoView {
    let s = expect_context::<Session>();
    let (c1, c2, cp) = s.parametres.with(|p| (p.suivi.cible_premier_quartile_hors_qpv, p.suivi.cible_autres_quartiles_en_qpv, p.suivi.cible_prioritaires));
    let x = a.indicateurs;
    let ligne = |libelle: &'static str, testid: &'static str, total: u32, dont: u32, part: Option<f64>, cible: f64, atteinte: Option<bool>| view! {
        <tr data-testid=testid>
            <th scope="row">{libelle}</th>
            <td class="nombre">{total}</td>
            <td class="nombre">{dont}</td>
            <td class="nombre">{ou_tiret(part, |v| percent(v, 1))}</td>
            <td class="nombre">{format!("au moins {}", percent(cible, 0))}</td>
            <td>{verdict(atteinte)}</td>
        </tr>
    };
    view! {
        <section class="suivi-bloc">
        <h2 class="fr-h4">"Indicateurs de l'article L. 441-1"</h2>
        <div class="fr-table fr-table--sm" data-testid="suivi-indicateurs">
            <table tabindex="0">
                <caption>{format!("Baux signés en {} dont le quartile de revenu du ménage est connu", a.annee)}</caption>
                <thead><tr>
                    <th scope="col">"Indicateur"</th><th scope="col">"Attributions"</th><th scope="col">"dont visées"</th>
                    <th scope="col">"Part"</th><th scope="col">"Cible"</th><th scope="col">"Verdict"</th>
                </tr></thead>
                <tbody>
                    {ligne("Hors QPV, à des ménages du premier quartile", "indicateur-premier-quartile", x.attributions_hors_qpv, x.premier_quartile_hors_qpv, x.part_premier_quartile_hors_qpv, c1, x.cible_premier_quartile_atteinte)}
                    {ligne("En QPV, à des ménages des autres quartiles", "indicateur-autres-quartiles", x.attributions_qpv, x.autres_quartiles_qpv, x.part_autres_quartiles_qpv, c2, x.cible_autres_quartiles_atteinte)}
                </tbody>
            </table>
        </div>
        <div class="fr-table fr-table--sm" data-testid="suivi-prioritaires">
            <table tabindex="0">
                <caption>{format!("Attributions aux ménages prioritaires (DALO, L. 441-1) en {}, cible {} par réservataire", a.annee, percent(cp, 0))}</caption>
                <thead><tr>
                    <th scope="col">"Partie"</th><th scope="col">"Baux signés"</th><th scope="col">"dont ménage renseigné"</th>
                    <th scope="col">"dont prioritaires"</th><th scope="col">"Part"</th><th scope="col">"Verdict"</th>
                </tr></thead>
                <tbody>
                    {per.parts.iter().zip(&a.parties).filter(|(_, x)| x.attributions > 0).map(|(p, x)| view! {
                        <tr data-partie=p.reservataire.clone()>
                            <th scope="row">{p.libelle()}</th>
                            <td class="nombre">{x.attributions}</td>
                            <td class="nombre">{x.prioritaire_connu}</td>
                            <td class="nombre">{x.prioritaires}</td>
                            <td class="nombre">{ou_tiret(x.part_prioritaires, |v| percent(v, 1))}</td>
                            <td>{verdict(x.cible_prioritaires_atteinte)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <p class="fr-text--xs">"La cible des ménages prioritaires s'applique à chaque réservataire ; l'État et le bailleur sont montrés pour information."</p>
        </section>
    }
}

/// The étalement after deduction next to the initial one — per party, the volume and the years
/// to exhaust it at the conversion and after the year shown — and the objectives of the next year
/// (of the next year followed, or after the last one: the yearly exchange).
#[component]
fn Volumes(per: ResultatPerimetre, conv: SuiviConvention, a: AnneeConvention, decimales: usize) -> impl IntoView {
    let s = expect_context::<Session>();
    let report = s.parametres.with(|p| p.suivi.report_ecarts);
    let nom = move |code: &str| s.geographie.with(|g| g.as_ref().and_then(|g| g.commune(code)).map(|c| c.nom.clone()).unwrap_or_default());
    // The next year followed, else the year after the last one.
    let (suivante, objectifs, apres_la_derniere): (i32, Vec<f64>, bool) = match conv.annees.iter().find(|x| x.annee > a.annee) {
        Some(x) => (x.annee, x.parties.iter().map(|p| p.objectif).collect(), false),
        None => (conv.etalement_apres.premiere_annee, conv.objectifs_suivants.clone(), true),
    };
    let explication = match (apres_la_derniere, report) {
        (false, _) => format!("L'objectif de {suivante} est celui de l'année de mouvements suivante."),
        (true, true) => format!("Objectifs de {suivante}, après la dernière année de mouvements ({}) : logements entiers de {suivante} dans l'étalement recalculé sur les volumes restants, plus l'écart de {} reporté.", a.annee, a.annee),
        (true, false) => format!("Objectifs de {suivante}, après la dernière année de mouvements ({}) : logements entiers de {suivante} dans l'étalement recalculé sur les volumes restants.", a.annee),
    };
    view! {
        <section class="suivi-bloc">
        <h2 class="fr-h4">{format!("Volumes de droits et objectifs de {suivante}")}</h2>
        <p class="fr-text--sm">{explication}</p>
        <div class="fr-table fr-table--sm" data-testid="suivi-volumes">
            <table tabindex="0">
                <caption>{format!("Étalement à la conversion ({}), après {} et objectifs de {suivante} — {} ({})", per.etalement.premiere_annee, a.annee, per.bailleur, per.departement)}</caption>
                <thead><tr>
                    <th scope="col">"Partie"</th>
                    <th scope="col">"Volume à la conversion"</th>
                    <th scope="col">{format!("Volume restant fin {}", a.annee)}</th>
                    <th scope="col">"Épuisement prévu à la conversion (ans)"</th>
                    <th scope="col">{format!("Épuisement restant après {} (ans)", a.annee)}</th>
                    <th scope="col">{format!("Objectif {suivante}")}</th>
                </tr></thead>
                <tbody>
                    {per.parts.iter().zip(&a.parties).zip(objectifs).map(|((p, x), o)| {
                        let reservataire = p.role == Role::Reservataire;
                        view! {
                            <tr data-partie=p.reservataire.clone() data-categorie=p.categorie.code()>
                                <th scope="row">{p.libelle()}</th>
                                <td class="nombre">{if reservataire { decimal(p.volume_droits, 1) } else { "—".to_owned() }}</td>
                                <td class="nombre">{ou_tiret(x.volume_restant, |v| decimal(v, 1))}</td>
                                <td class="nombre">{ou_tiret(p.annees_epuisement, |v| decimal(v, 1))}</td>
                                <td class="nombre">{ou_tiret(x.annees_epuisement, |v| decimal(v, 1))}</td>
                                <td class="nombre" data-col="objectif_suivant">{decimal(o, decimales)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {(apres_la_derniere && !conv.objectifs_suivants_communes.is_empty()).then(|| {
            // Rendered when opened only (hundreds of rows for a large convention).
            let ouvert = RwSignal::new(false);
            let lignes = conv.objectifs_suivants_communes.len();
            let tableau = move || ouvert.get().then(|| view! {
                <div class="fr-table fr-table--sm" data-testid="suivi-objectifs-suivants-communes">
                    <table tabindex="0">
                        <caption>{format!("Objectifs {suivante} par commune")}</caption>
                        <thead><tr><th scope="col">"Partie"</th><th scope="col">"Commune"</th><th scope="col">"Logements"</th></tr></thead>
                        <tbody>
                            {conv.objectifs_suivants_communes.iter().map(|o| view! {
                                <tr>
                                    <th scope="row">{per.parts.get(o.partie).map(|p| p.libelle()).unwrap_or_default()}</th>
                                    <td>{format!("{} {}", o.commune, nom(&o.commune))}</td>
                                    <td class="nombre">{decimal(o.objectif, 2)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            });
            view! {
                <details class="fr-mb-3w" on:toggle=move |ev| ouvert.set(event_target::<web_sys::Element>(&ev).has_attribute("open"))>
                    <summary class="fr-text--sm">{format!("Objectifs {suivante} par commune, pour l'État et les collectivités réservataires ({lignes} lignes)")}</summary>
                    {tableau}
                </details>
            }
        })}
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// Exports

/// The bilan of year `annee`, from the session's current data.
fn bilan_de(s: Session, annee: i32) -> Option<Bilan> {
    let Some(Lecture::Lu(import)) = s.lecture.get_untracked() else { return None };
    let r = s.resultats.get_untracked()?.ok()?;
    let suivi = s.suivi.get_untracked()?;
    let (mouvements, suivi) = &*suivi;
    Some(s.parametres.with_untracked(|p| bilan(&import.dataset, p, &r, suivi, mouvements, annee)))
}

/// The exports, rendered again only when the years followed or the results change (not on a
/// change of counting: the list of réservataires can be long).
#[component]
fn Bilans(affiche: Affiche) -> impl IntoView {
    let s = expect_context::<Session>();
    // The last year followed and the next one.
    let annees = Memo::new(move |_| {
        affiche.with(|x| {
            let x = x.as_ref()?;
            Some((*x.annees.last()?, x.conventions.iter().find(|c| !c.annees.is_empty())?.etalement_apres.premiere_annee))
        })
    });
    move || {
        let (derniere, suivante) = annees.get()?;
        let r = s.resultats_ok()?;
        Some(view! { <Exports r derniere suivante/> })
    }
}

/// Downloads of the yearly exchange: the same files as `flux suivi` (the bilan of the last year
/// followed, as the command line writes it).
#[component]
fn Exports(r: Arc<Resultats>, derniere: i32, suivante: i32) -> impl IntoView {
    let s = expect_context::<Session>();
    let message = RwSignal::new(None::<Result<String, String>>);
    // Every réservataire of every convention (État parties included), as `Bilan::reservataires`
    // lists them: one workbook each.
    let reservataires: Vec<(String, Categorie)> = {
        let mut v: Vec<(String, Categorie)> =
            r.perimetres.iter().flat_map(|p| p.parts.iter()).filter(|p| p.role != Role::Bailleur).map(|p| (p.reservataire.clone(), p.categorie)).collect();
        v.sort();
        v.dedup();
        v
    };
    let choisi = RwSignal::new(0usize);
    let liste = StoredValue::new(reservataires.clone());
    let classeur = move |nom: String, feuilles: Vec<crate::export::classeur::Feuille>| {
        message.set(Some(Ok(format!("Préparation de « {nom} »…"))));
        spawn_local(async move {
            match ecrire_xlsx(&feuilles).await {
                Ok(octets) => {
                    telecharger(&nom, TYPE_XLSX, &octets);
                    message.set(Some(Ok(format!("« {nom} » téléchargé."))));
                }
                Err(e) => message.set(Some(Err(e))),
            }
        });
    };
    view! {
        <h2 class="fr-h4">"Bilan et exports"</h2>
        <p class="fr-text--sm">{format!(
            "Bilan {derniere} (CCH R. 441-5-1, à transmettre avant le 28 février) : logements proposés et attribués par réservataire, typologie, financement, QPV, commune et période de construction, attributions hors flux, prévision {suivante} des logements retirés du flux et objectifs {suivante}. Mêmes fichiers que la commande « flux suivi »."
        )}</p>
        <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm">
            <li><button class="fr-btn" type="button" data-testid="export-bilan"
                on:click=move |_| if let Some(b) = bilan_de(s, derniere) { classeur(format!("bilan-{derniere}.xlsx"), feuilles_bilan(&b)) }>
                {format!("Bilan {derniere} consolidé (XLSX)")}</button></li>
            <li><button class="fr-btn fr-btn--secondary" type="button" data-testid="export-suivi-csv"
                on:click=move |_| {
                    let (Some(Ok(r)), Some(suivi)) = (s.resultats.get_untracked(), s.suivi.get_untracked()) else { return };
                    let (_, suivi) = &*suivi;
                    telecharger("suivi.csv", TYPE_CSV, &suivi_csv(&r, suivi));
                }>
                "Suivi de toutes les conventions (suivi.csv)"</button></li>
            <li><button class="fr-btn fr-btn--secondary" type="button" data-testid="export-objectifs-n1"
                on:click=move |_| if let Some(b) = bilan_de(s, derniere) { telecharger("objectifs_n1.csv", TYPE_CSV, &objectifs_n1_csv(&b)) }>
                {format!("Objectifs {suivante} (objectifs_n1.csv)")}</button></li>
        </ul>
        <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom fr-mb-2w">
            <div class="fr-col-12 fr-col-md-6">
                <div class="fr-select-group fr-mb-0">
                    <label class="fr-label" for="bilan-reservataire">{format!("Bilan d'un réservataire ({} classeurs)", reservataires.len())}</label>
                    <select class="fr-select" id="bilan-reservataire" data-testid="bilan-reservataire"
                        on:change=move |ev| if let Ok(k) = event_target_value(&ev).parse() { choisi.set(k) }>
                        {reservataires.iter().enumerate().map(|(k, (nom, c))| view! {
                            <option value=k.to_string() selected=k == 0>{if Role::de(*c).est_etat() { c.libelle().to_owned() } else { format!("{nom} ({})", c.libelle()) }}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <div class="fr-col-12 fr-col-md-6">
                <button class="fr-btn fr-btn--secondary" type="button" data-testid="export-bilan-reservataire"
                    on:click=move |_| {
                        let Some((nom, categorie)) = liste.with_value(|v| v.get(choisi.get_untracked()).cloned()) else { return };
                        if let Some(b) = bilan_de(s, derniere) {
                            classeur(nom_classeur(derniere, &nom, categorie.code()), feuilles_bilan(&b.de(&nom, categorie)));
                        }
                    }>
                    "Télécharger son bilan (XLSX)"</button>
            </div>
        </div>
        {move || message.get().map(|m| match m {
            Ok(t) => view! { <p class="fr-message fr-message--info" role="status" data-testid="export-message">{t}</p> }.into_any(),
            Err(t) => view! { <div class="fr-alert fr-alert--error fr-mb-2w" role="alert"><p>{t}</p></div> }.into_any(),
        })}
    }
}

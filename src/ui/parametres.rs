//! Page « Paramètres »: every parameter of SPEC §3, each with the rule or source it comes from.
//! Edits apply at once (every view recomputes); the set is saved in the browser and in the URL.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use chrono::Datelike;

use super::champs::{Case, ChampEntier, ChampNombre, ChampPourcent, ChoixRadio};
use super::navigateur::{lire_fichier, telecharger};
use super::state::Session;
use crate::domain::model::{libelles_segment, Categorie, Motif, Segment};
use crate::domain::rotation::taux_observes;
use crate::domain::parametres::{Arrondi, Cohorte, Decompte, Depassement, MethodePart, ModeRotation};
use crate::domain::Parametres;

#[component]
pub fn PageParametres() -> impl IntoView {
    let s = expect_context::<Session>();
    let erreur = move || s.resultats.get().and_then(|r| r.err());
    view! {
        <h1 class="fr-h2">"Paramètres"</h1>
        <p>"Tous les paramètres discutés en concertation. Chaque modification recalcule aussitôt les résultats ; ils sont mémorisés dans ce navigateur et dans l'adresse de la page (un lien partage les paramètres, jamais les données)."</p>
        {move || erreur().map(|e| view! {
            <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" data-testid="parametres-erreur"><p>{e}</p></div>
        })}
        <Fichiers/>
        <AlertesParametres/>
        <section class="fr-mb-4w"><h2 class="fr-h4">"Taux de rotation"</h2><Rotation/></section>
        <section class="fr-mb-4w"><h2 class="fr-h4">"Conversion des droits de suite"</h2><Conversion/></section>
        <section class="fr-mb-4w"><h2 class="fr-h4">"Part de l'État"</h2><Etat/></section>
        <section class="fr-mb-4w"><h2 class="fr-h4">"Flux annuel"</h2><Flux/></section>
        <section class="fr-mb-4w"><h2 class="fr-h4">"Dépassement et arrondi"</h2><Depassements/></section>
        <section class="fr-mb-4w"><h2 class="fr-h4">"Assiette : logements exclus"</h2><Exclusions/></section>
        <section class="fr-mb-4w"><h2 class="fr-h4">"Publication"</h2><Publication/></section>
        <section class="fr-mb-4w" data-testid="parametres-suivi"><h2 class="fr-h4">"Suivi annuel"</h2><Suivi/></section>
    }
}

/// The engine's checks of the parameters against the file (a key matching nothing, an old key, a
/// name under two categories): a typo must not go unnoticed.
#[component]
fn AlertesParametres() -> impl IntoView {
    let s = expect_context::<Session>();
    move || {
        let r = s.resultats_ok()?;
        let messages: Vec<String> = r.alertes.iter().filter(|a| a.concerne_parametres()).map(|a| a.message.clone()).collect();
        (!messages.is_empty()).then(|| view! {
            <div class="fr-alert fr-alert--warning fr-mb-3w" data-testid="alertes-parametres">
                <h2 class="fr-alert__title">"Paramètres à vérifier"</h2>
                <ul>{messages.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
            </div>
        })
    }
}

/// Reset, export and import of the parameters JSON.
#[component]
fn Fichiers() -> impl IntoView {
    let s = expect_context::<Session>();
    let message = RwSignal::new(None::<Result<String, String>>);
    view! {
        <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm fr-mb-3w">
            <li><button class="fr-btn fr-btn--secondary" type="button" data-testid="reinitialiser"
                on:click=move |_| { s.parametres.set(Parametres::default()); message.set(Some(Ok("Paramètres par défaut rétablis.".into()))) }>
                "Rétablir les valeurs par défaut"</button></li>
            <li><button class="fr-btn fr-btn--secondary" type="button" data-testid="exporter-parametres"
                on:click=move |_| telecharger("parametres.json", "application/json", s.parametres.with(|p| p.vers_json()).as_bytes())>
                "Exporter les paramètres (JSON)"</button></li>
            <li>
                <label class="fr-btn fr-btn--secondary" for="importer-parametres">"Importer des paramètres (JSON)"</label>
                <input class="fr-sr-only" type="file" id="importer-parametres" accept=".json,application/json"
                    on:change=move |ev| {
                        let input: web_sys::HtmlInputElement = ev.target().unwrap().unchecked_into();
                        let Some(f) = input.files().and_then(|f| f.get(0)) else { return };
                        spawn_local(async move {
                            let lu = lire_fichier(f).await.and_then(|o| Parametres::depuis_json(&String::from_utf8_lossy(&o)));
                            message.set(Some(match lu {
                                Ok(p) => { s.parametres.set(p); Ok("Paramètres importés.".into()) }
                                Err(e) => Err(format!("Paramètres non importés : {e}")),
                            }));
                        });
                    }/>
            </li>
        </ul>
        {move || message.get().map(|m| match m {
            Ok(t) => view! { <p class="fr-message fr-message--valid" role="status">{t}</p> }.into_any(),
            Err(t) => view! { <div class="fr-alert fr-alert--error fr-mb-2w" role="alert"><p>{t}</p></div> }.into_any(),
        })}
    }
}

/// A signal reading one value of the parameters.
fn lire<T: Send + Sync + 'static>(s: Session, f: impl Fn(&Parametres) -> T + Send + Sync + 'static) -> Signal<T> {
    Signal::derive(move || s.parametres.with(|p| f(p)))
}

/// A callback writing one value of the parameters.
fn ecrire<T: 'static>(s: Session, f: impl Fn(&mut Parametres, T) + Send + Sync + 'static) -> Callback<T> {
    Callback::new(move |v| s.regler(|p| f(p, v)))
}

#[component]
fn Rotation() -> impl IntoView {
    let s = expect_context::<Session>();
    let mode = lire(s, |p| p.rotation.mode);
    view! {
        <p class="fr-text--sm">"La concertation d'Île-de-France n'a pas dégagé de consensus sur le taux de rotation (restitution DRIHL du 25/05/2021) : comparez les méthodes."</p>
        <ChoixRadio nom="rotation-mode" legende="Méthode".into()
            options=vec![
                (ModeRotation::Unique, "Taux unique", "Le même taux pour tous les logements."),
                (ModeRotation::ParCategorie, "Par catégorie de réservataire", "Un taux par type de réservataire."),
                (ModeRotation::ParSegment, "Par segment du parc", "Par typologie, commune, QPV, financement, surface ou loyer."),
                (ModeRotation::Observe, "Taux observé du fichier", "La colonne taux_rotation de chaque ligne, à défaut le taux unique."),
            ]
            valeur=mode regler=ecrire(s, |p, v| p.rotation.mode = v)/>
        <ChampPourcent id="taux-unique".into() label="Taux unique".into()
            aide="6,3 % par défaut : mobilité du parc social francilien en 2019 (DRIEA/DRIHL, RPLS)."
            valeur=lire(s, |p| Some(p.rotation.taux_unique))
            regler=ecrire(s, |p, v: Option<f64>| if let Some(v) = v { p.rotation.taux_unique = v })/>
        {move || match mode.get() {
            ModeRotation::ParCategorie => view! { <TauxParCategorie/> }.into_any(),
            ModeRotation::ParSegment => view! { <TauxParSegment/> }.into_any(),
            _ => ().into_any(),
        }}
    }
}

#[component]
fn TauxParCategorie() -> impl IntoView {
    let s = expect_context::<Session>();
    let categories = Categorie::RESERVANTES.into_iter().chain([Categorie::NonReserve]);
    view! {
        <p class="fr-text--sm">"Laissez vide pour appliquer le taux unique."</p>
        <div class="fr-grid-row fr-grid-row--gutters" data-testid="taux-par-categorie">
            {categories.map(|c| view! {
                <div class="fr-col-12 fr-col-md-3">
                    <ChampPourcent id=format!("taux-categorie-{}", c.code()) label=c.libelle().to_owned()
                        placeholder=s.parametres.with_untracked(|p| crate::format::saisie_pourcent(p.rotation.taux_unique))
                        valeur=lire(s, move |p| p.rotation.par_categorie.get(&c).copied())
                        regler=ecrire(s, move |p, v: Option<f64>| match v {
                            Some(v) => { p.rotation.par_categorie.insert(c, v); }
                            None => { p.rotation.par_categorie.remove(&c); }
                        })/>
                </div>
            }).collect_view()}
        </div>
    }
}

const SEGMENTS: [(Segment, &str); 6] = [
    (Segment::Typologie, "Typologie"),
    (Segment::Commune, "Commune"),
    (Segment::Qpv, "QPV"),
    (Segment::Financement, "Financement"),
    (Segment::Surface, "Surface"),
    (Segment::Loyer, "Loyer"),
];

#[component]
fn TauxParSegment() -> impl IntoView {
    let s = expect_context::<Session>();
    let cle = lire(s, |p| p.rotation.par_segment.cle);
    // The values of the chosen segment: fixed bands, or the communes of the file.
    let valeurs = move || -> Vec<String> {
        match cle.get() {
            Segment::Commune => s
                .import()
                .map(|i| i.dataset.communes.clone())
                .unwrap_or_default(),
            seg => libelles_segment(seg).iter().skip(1).map(|l| l.to_string()).collect(),
        }
    };
    view! {
        <div class="fr-select-group">
            <label class="fr-label" for="segment-cle">"Segment"</label>
            <select class="fr-select" id="segment-cle" on:change=move |ev| {
                let v = event_target_value(&ev);
                if let Some((seg, _)) = SEGMENTS.iter().find(|(_, l)| *l == v) {
                    s.regler(|p| { p.rotation.par_segment.cle = *seg; p.rotation.par_segment.taux.clear(); });
                }
            }>
                {SEGMENTS.into_iter().map(|(seg, l)| view! { <option value=l selected=move || cle.get() == seg>{l}</option> }).collect_view()}
            </select>
        </div>
        <p class="fr-text--sm">"Laissez vide pour appliquer le taux unique (et pour les valeurs inconnues)."
            <button class="fr-btn fr-btn--sm fr-btn--tertiary fr-ml-2w" type="button" data-testid="remplir-observes"
                on:click=move |_| if let Some(i) = s.import() {
                    let observes = taux_observes(&i.dataset, cle.get_untracked());
                    s.regler(|p| p.rotation.par_segment.taux = observes);
                }>
                "Remplir avec les taux observés du fichier"
            </button>
        </p>
        <div class="fr-grid-row fr-grid-row--gutters" data-testid="taux-par-segment">
            {move || valeurs().into_iter().map(|v| {
                let (k1, k2) = (v.clone(), v.clone());
                view! {
                    <div class="fr-col-6 fr-col-md-2">
                        <ChampPourcent id=format!("taux-segment-{v}") label=v.replace('_', " ")
                            valeur=lire(s, move |p| p.rotation.par_segment.taux.get(&k1).copied())
                            regler=ecrire(s, move |p, t: Option<f64>| match t {
                                Some(t) => { p.rotation.par_segment.taux.insert(k2.clone(), t); }
                                None => { p.rotation.par_segment.taux.remove(&k2); }
                            })/>
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

#[component]
fn Conversion() -> impl IntoView {
    let s = expect_context::<Session>();
    let date = lire(s, |p| p.date_conversion.format("%Y-%m-%d").to_string());
    view! {
        <div class="fr-grid-row fr-grid-row--gutters">
            <div class="fr-col-12 fr-col-md-4 fr-input-group">
                <label class="fr-label" for="date-conversion">"Date de conversion"
                    <span class="fr-hint-text">"Les durées restantes des réservations sont comptées à partir de cette date."</span>
                </label>
                <input class="fr-input" type="date" id="date-conversion" prop:value=date
                    on:change=move |ev| if let Ok(d) = chrono::NaiveDate::parse_from_str(&event_target_value(&ev), "%Y-%m-%d") {
                        s.regler(|p| p.date_conversion = d)
                    }/>
            </div>
            <div class="fr-col-12 fr-col-md-4">
                <ChampNombre id="duree-sans-terme".into() label="Durée retenue sans date de fin".into() unite="ans"
                    aide="Réservation « à vie » (souvent l'État, contre les aides à la pierre) : années restantes retenues."
                    valeur=lire(s, |p| p.duree_sans_terme_ans) regler=ecrire(s, |p, v| p.duree_sans_terme_ans = v)/>
            </div>
        </div>
        <ChoixRadio nom="methode-part" legende="Part du flux de chaque réservataire".into()
            options=vec![
                (MethodePart::PartDuParc, "Part du parc (protocole Île-de-France)", "Part = logements réservés / logements de l'assiette ; le volume se consomme au fil des ans."),
                (MethodePart::Annualisation, "Annualisation du volume", "Part = volume de droits / horizon / flux annuel."),
            ]
            valeur=lire(s, |p| p.methode_part) regler=ecrire(s, |p, v| p.methode_part = v)/>
        <div class="fr-grid-row"><div class="fr-col-12 fr-col-md-4">
            <ChampNombre id="horizon".into() label="Horizon de la convention".into() unite="ans"
                aide="Utilisé par l'annualisation."
                valeur=lire(s, |p| p.horizon_ans) regler=ecrire(s, |p, v| p.horizon_ans = v)/>
        </div></div>
    }
}

#[component]
fn Etat() -> impl IntoView {
    let s = expect_context::<Session>();
    view! {
        <div class="fr-grid-row fr-grid-row--gutters">
            <div class="fr-col-12 fr-col-md-4">
                <ChampPourcent id="etat-part-totale".into() label="Part du préfet".into()
                    aide="Au plus 30 % du flux annuel de chaque bailleur (CCH L. 441-1 et R. 441-5)."
                    valeur=lire(s, |p| Some(p.etat.part_totale))
                    regler=ecrire(s, |p, v: Option<f64>| if let Some(v) = v { p.etat.part_totale = v })/>
            </div>
            <div class="fr-col-12 fr-col-md-4">
                <ChampPourcent id="etat-part-agents".into() label="dont agents de l'État".into()
                    aide="Au plus 5 % pour les agents civils et militaires de l'État."
                    valeur=lire(s, |p| Some(p.etat.part_agents))
                    regler=ecrire(s, |p, v: Option<f64>| if let Some(v) = v { p.etat.part_agents = v })/>
            </div>
        </div>
    }
}

/// `prelevements_annuels` (one value for every perimeter here) and `mises_en_service` (the list of
/// cohorts of new logements that applies to every perimeter); per-perimeter values come from an
/// imported parameters JSON and are kept.
#[component]
fn Flux() -> impl IntoView {
    let s = expect_context::<Session>();
    let cohortes = lire(s, |p| p.mises_en_service.defaut().to_vec());
    let regler_cohorte = move |k: usize, f: Box<dyn FnOnce(&mut Cohorte)>| {
        s.regler(|p| {
            let mut l = p.mises_en_service.defaut().to_vec();
            if let Some(c) = l.get_mut(k) {
                f(c);
            }
            p.mises_en_service.regler_defaut(l);
        })
    };
    view! {
        <div class="fr-grid-row fr-grid-row--gutters">
            <div class="fr-col-12 fr-col-md-4">
                <ChampNombre id="prelevements".into() label="Prélèvements annuels".into() unite="logements/an"
                    aide="Logements retirés du flux avant répartition (mutations internes, relogements), par bailleur et département (CCH R. 441-5)."
                    valeur=lire(s, |p| p.prelevements_annuels.defaut())
                    regler=ecrire(s, |p, v| p.prelevements_annuels.regler_defaut(v))/>
            </div>
        </div>
        <fieldset class="fr-fieldset" data-testid="mises-en-service">
            <legend class="fr-fieldset__legend fr-text--regular">"Mises en service de logements neufs"
                <span class="fr-hint-text">"Par année de première location. Loués d'abord hors flux (commissions de coordination), ils rejoignent le flux à leur première libération, l'année suivante, au taux de rotation moyen de la convention (restitution DRIHL : « les logements intégreraient le flux à leur libération »)."</span>
            </legend>
            {move || cohortes.get().into_iter().enumerate().map(|(k, c)| view! {
                <div class="fr-fieldset__element fr-grid-row fr-grid-row--gutters" data-testid="cohorte">
                    <div class="fr-col-6 fr-col-md-3">
                        <ChampEntier id=format!("cohorte-{k}-annee") label="Année de première location".into()
                            valeur=Signal::derive(move || u32::try_from(c.annee).unwrap_or(0))
                            regler=Callback::new(move |v: u32| regler_cohorte(k, Box::new(move |c| c.annee = i32::try_from(v).unwrap_or(c.annee))))/>
                    </div>
                    <div class="fr-col-6 fr-col-md-3">
                        <ChampNombre id=format!("cohorte-{k}-logements") label="Logements".into() unite="logements"
                            valeur=Signal::derive(move || c.logements)
                            regler=Callback::new(move |v: f64| regler_cohorte(k, Box::new(move |c| c.logements = v)))/>
                    </div>
                    <div class="fr-col-12 fr-col-md-3">
                        <button class="fr-btn fr-btn--tertiary fr-btn--sm fr-mt-4w" type="button"
                            on:click=move |_| s.regler(|p| {
                                let mut l = p.mises_en_service.defaut().to_vec();
                                if k < l.len() { l.remove(k); }
                                p.mises_en_service.regler_defaut(l);
                            })>
                            {format!("Retirer l'année {}", c.annee)}</button>
                    </div>
                </div>
            }).collect_view()}
            <div class="fr-fieldset__element">
                <button class="fr-btn fr-btn--secondary fr-btn--sm" type="button" data-testid="ajouter-cohorte"
                    on:click=move |_| s.regler(|p| {
                        let mut l = p.mises_en_service.defaut().to_vec();
                        let annee = l.last().map_or(p.date_conversion.year() + 1, |c| c.annee + 1);
                        l.push(Cohorte::vide(annee));
                        p.mises_en_service.regler_defaut(l);
                    })>
                    "Ajouter une année de mises en service"</button>
            </div>
        </fieldset>
        <p class="fr-text--sm">"Des valeurs différentes par bailleur et département se règlent dans le fichier de paramètres (JSON) : voir la documentation."</p>
    }
}

#[component]
fn Depassements() -> impl IntoView {
    let s = expect_context::<Session>();
    let priorite = lire(s, |p| p.priorite.join("\n"));
    view! {
        <ChoixRadio nom="depassement" legende="Si les parts dépassent 100 %".into()
            options=vec![
                (Depassement::Proportionnel, "Réduction proportionnelle", "Les parts hors État sont réduites à proportion."),
                (Depassement::Priorite, "Ordre de priorité", "Les réservataires sont servis dans l'ordre de la liste ci-dessous."),
            ]
            valeur=lire(s, |p| p.depassement) regler=ecrire(s, |p, v| p.depassement = v)/>
        <div class="fr-input-group">
            <label class="fr-label" for="priorite">"Ordre de priorité"
                <span class="fr-hint-text">"Un réservataire (nom exact) ou une catégorie (ex. action_logement) par ligne, le premier servi d'abord ; les autres ensuite."</span>
            </label>
            <textarea class="fr-input" id="priorite" rows="4" prop:value=priorite
                on:change=move |ev| {
                    let lignes: Vec<String> = event_target_value(&ev).lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
                    s.regler(|p| p.priorite = lignes);
                }></textarea>
        </div>
        <ChoixRadio nom="arrondi" legende="Logements entiers par an".into()
            options=vec![
                (Arrondi::Cumul, "Cumul arrondi (recommandé)", "Le droit cumulé de chaque partie est arrondi au logement le plus proche ; le bailleur, qui oriente, absorbe l'arrondi. Aucun petit réservataire n'est « noyé dans le flux »."),
                (Arrondi::PlusFortsRestes, "Plus forts restes (v1)", "Chaque année, les plus grandes fractions l'emportent : un réservataire de moins d'un demi-logement par an peut ne jamais rien recevoir."),
                (Arrondi::Report, "Report des fractions (v1)", "Chaque partie reporte sa fraction à l'année suivante ; une fraction finale inférieure à un logement n'est jamais livrée."),
                (Arrondi::Aucun, "Aucun", "Logements fractionnaires."),
            ]
            valeur=lire(s, |p| p.arrondi) regler=ecrire(s, |p, v| p.arrondi = v)/>
    }
}

/// One switch per motif hors assiette (CCH R. 441-5 II); shared with the Assiette page.
#[component]
pub fn Exclusions() -> impl IntoView {
    let s = expect_context::<Session>();
    view! {
        <fieldset class="fr-fieldset" data-testid="exclusions">
            <legend class="fr-fieldset__legend fr-text--regular">"Motifs retirés de l'assiette"
                <span class="fr-hint-text">"Décochez un motif pour remettre ces logements dans l'assiette."</span>
            </legend>
            {Motif::TOUS.into_iter().map(|m| view! {
                <div class="fr-fieldset__element fr-fieldset__element--inline">
                    <Case id=format!("exclusion-{}", m.code()) label=m.libelle().to_owned()
                        valeur=lire(s, move |p| p.exclut(m))
                        regler=ecrire(s, move |p, v| { p.exclusions.insert(m, v); })/>
                </div>
            }).collect_view()}
        </fieldset>
    }
}

#[component]
fn Publication() -> impl IntoView {
    let s = expect_context::<Session>();
    view! {
        <div class="fr-grid-row fr-grid-row--gutters">
            <div class="fr-col-12 fr-col-md-4">
                <ChampEntier id="secret".into() label="Secret statistique".into()
                    aide="Dans les vues publiées, les effectifs de 1 au seuil − 1 sont masqués « s », avec les valeurs qui en découlent et des cases complémentaires (0 : désactivé)."
                    valeur=lire(s, |p| p.secret_statistique)
                    regler=ecrire(s, |p, v: u32| p.secret_statistique = v)/>
            </div>
            <div class="fr-col-12 fr-col-md-6">
                <Case id="regroupement-plm".into() label="Regrouper les arrondissements de Paris, Lyon et Marseille".into()
                    valeur=lire(s, |p| p.regroupement_plm) regler=ecrire(s, |p, v| p.regroupement_plm = v)/>
            </div>
        </div>
    }
}

/// The yearly follow-up (SPEC §7): which outcome of an orientation counts, the designation delay,
/// the carry-over of gaps, and the CCH L. 441-1 targets.
#[component]
fn Suivi() -> impl IntoView {
    let s = expect_context::<Session>();
    let propres = lire(s, |p| p.suivi.decompte_par_perimetre.len());
    // The table of SPEC §7: for each outcome, what each counting does with it.
    let tableau: [(&str, [&str; 3]); 5] = [
        ("bail signé", ["décompté", "décompté", "décompté"]),
        ("refus du ménage", ["décompté", "non", "décompté"]),
        ("pas de désignation dans le délai", ["décompté", "non", "décompté"]),
        ("refus de la CALEOL", ["décompté", "non", "non (le bailleur oriente à nouveau)"]),
        ("en cours", ["décompté", "en attente, montré à part", "en attente, montré à part"]),
    ];
    view! {
        <p class="fr-text--sm">"Chaque année, les orientations de logements libérés (fichier de mouvements, page « Suivi de l'année ») sont décomptées des objectifs des réservataires ; ce qui est décompté se déduit de leur volume de droits. La concertation d'Île-de-France privilégie un scénario mixte, qui suit à la fois les orientations et les attributions."</p>
        <ChoixRadio nom="suivi-decompte" legende="Événement qui décompte une orientation (pour chaque convention, sauf réglage propre)".into()
            options=vec![
                (Decompte::Orientation, "À l'orientation", "Toute orientation est décomptée, quelle qu'en soit l'issue."),
                (Decompte::Bail, "Au bail signé", "Seul un bail signé est décompté ; une orientation en cours est en attente."),
                (Decompte::Mixte, "Mixte (orientations et attributions, par défaut)", "Bail signé, refus du ménage et absence de désignation dans le délai sont décomptés ; un refus de la CALEOL ne l'est pas : le bailleur oriente à nouveau."),
            ]
            valeur=lire(s, |p| p.suivi.decompte) regler=ecrire(s, |p, v| p.suivi.decompte = v)/>
        <div class="fr-table fr-table--sm fr-mb-2w" data-testid="table-decompte">
            <table tabindex="0">
                <caption>"Ce que décompte chaque choix, selon l'issue de l'orientation"</caption>
                <thead><tr>
                    <th scope="col">"Issue"</th><th scope="col">"À l'orientation"</th><th scope="col">"Au bail signé"</th><th scope="col">"Mixte"</th>
                </tr></thead>
                <tbody>
                    {tableau.into_iter().map(|(issue, effets)| view! {
                        <tr><th scope="row">{issue}</th>{effets.into_iter().map(|e| view! { <td>{e}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <p class="fr-text--xs">"Une vacance n'est décomptée qu'une fois : si le logement est orienté à nouveau après une issue non décomptée, c'est l'orientation qui termine la vacance qui compte. Une orientation « en cours » sans désignation dont le délai est échu au 31 décembre est traitée comme « pas de désignation dans le délai ». Les attributions hors flux ne sont jamais décomptées."</p>
        {move || (propres.get() > 0).then(|| view! {
            <p class="fr-text--sm" data-testid="decomptes-propres">
                {format!("{} convention(s) ont leur propre décompte (réglé sur la page « Suivi de l'année »). ", propres.get())}
                <button class="fr-btn fr-btn--tertiary fr-btn--sm" type="button" data-testid="decomptes-propres-effacer"
                    on:click=move |_| s.regler(|p| p.suivi.decompte_par_perimetre.clear())>
                    "Appliquer le choix ci-dessus à toutes les conventions"</button>
            </p>
        })}
        <div class="fr-grid-row fr-grid-row--gutters">
            <div class="fr-col-12 fr-col-md-4">
                <ChampEntier id="delai-designation".into() label="Délai de désignation".into() unite="jours"
                    aide="Le réservataire dispose d'un mois pour proposer des candidats (restitution DRIHL) ; passé ce délai, l'orientation est « sans désignation »."
                    valeur=lire(s, |p| p.suivi.delai_designation_jours)
                    regler=ecrire(s, |p, v: u32| p.suivi.delai_designation_jours = v)/>
            </div>
            <div class="fr-col-12 fr-col-md-8">
                <Case id="report-ecarts".into() label="Reporter l'écart de l'année précédente sur l'objectif de l'année".into()
                    aide="Un réservataire en retard voit son objectif augmenter d'autant l'année suivante (en avance : diminuer)."
                    valeur=lire(s, |p| p.suivi.report_ecarts) regler=ecrire(s, |p, v| p.suivi.report_ecarts = v)/>
            </div>
        </div>
        <div class="fr-grid-row fr-grid-row--gutters">
            <div class="fr-col-12 fr-col-md-4">
                <ChampPourcent id="cible-premier-quartile".into() label="Hors QPV, attributions au premier quartile".into()
                    aide="CCH L. 441-1 : au moins 25 % des attributions hors quartier prioritaire aux ménages du premier quartile de revenus."
                    valeur=lire(s, |p| Some(p.suivi.cible_premier_quartile_hors_qpv))
                    regler=ecrire(s, |p, v: Option<f64>| if let Some(v) = v { p.suivi.cible_premier_quartile_hors_qpv = v })/>
            </div>
            <div class="fr-col-12 fr-col-md-4">
                <ChampPourcent id="cible-autres-quartiles".into() label="En QPV, attributions aux autres quartiles".into()
                    aide="CCH L. 441-1 : au moins 50 % des attributions en quartier prioritaire aux ménages des trois autres quartiles."
                    valeur=lire(s, |p| Some(p.suivi.cible_autres_quartiles_en_qpv))
                    regler=ecrire(s, |p, v: Option<f64>| if let Some(v) = v { p.suivi.cible_autres_quartiles_en_qpv = v })/>
            </div>
            <div class="fr-col-12 fr-col-md-4">
                <ChampPourcent id="cible-prioritaires".into() label="Ménages prioritaires, par réservataire".into()
                    aide="Part des attributions de chaque réservataire aux ménages prioritaires (DALO, L. 441-1) ; 25 % par défaut."
                    valeur=lire(s, |p| Some(p.suivi.cible_prioritaires))
                    regler=ecrire(s, |p, v: Option<f64>| if let Some(v) = v { p.suivi.cible_prioritaires = v })/>
            </div>
        </div>
    }
}

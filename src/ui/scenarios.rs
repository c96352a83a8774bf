//! Page « Scénarios »: up to three named parameter sets side by side — the taux de rotation is
//! disputed (seed §3), so workshops compare methods in logements per year and share points. Each
//! scenario's key parameters are edited in place; « Modifier » opens all of them in Paramètres.

use leptos::prelude::*;

use super::navigateur::telecharger;
use super::state::{Page, Session, SCENARIOS_MAX};
use super::SansResultats;
use crate::domain::comparaison::Comparaison;
use crate::domain::model::Segment;
use crate::domain::parametres::{MethodePart, ModeRotation};
use crate::domain::rotation::taux_observes;
use crate::format::{decimal, ecart, lire_pourcent, percent, saisie_pourcent};

#[component]
pub fn PageScenarios() -> impl IntoView {
    let s = expect_context::<Session>();
    let perimetre = RwSignal::new(String::new());
    view! {
        <h1 class="fr-h2">"Comparer des scénarios"</h1>
        <p>"Aucun consensus n'existe sur le taux de rotation : mettez jusqu'à trois jeux de paramètres côte à côte. Les écarts sont calculés par rapport au premier scénario, en logements par an et en points de part du flux."</p>
        <Cartes/>
        <Ajouts/>
        {move || match s.comparaison.get() {
            None => view! { <SansResultats/> }.into_any(),
            Some(Err(e)) => view! { <div class="fr-alert fr-alert--error" role="alert"><p>{e}</p></div> }.into_any(),
            Some(Ok((noms, c))) => {
                let perimetres: Vec<String> = {
                    let mut v: Vec<String> = c.parties.iter().map(|p| cle(&p.bailleur, &p.departement)).collect();
                    v.dedup();
                    v
                };
                let choisi = perimetre.get();
                let choisi = if perimetres.contains(&choisi) { choisi } else { perimetres.first().cloned().unwrap_or_default() };
                let (noms_csv, c_csv) = (noms.clone(), c.clone());
                view! {
                    <p>
                        <button class="fr-btn fr-btn--secondary" type="button" data-testid="exporter-scenarios"
                            on:click=move |_| telecharger("comparaison-scenarios.csv", "text/csv;charset=utf-8", &crate::export::comparaison::comparaison_csv(&c_csv, &noms_csv))>
                            "Télécharger la comparaison (CSV)"
                        </button>
                    </p>
                    <div class="fr-select-group fr-mb-2w">
                        <label class="fr-label" for="scenario-perimetre">"Convention bailleur × département"</label>
                        <select class="fr-select" id="scenario-perimetre" on:change=move |ev| perimetre.set(event_target_value(&ev))>
                            {perimetres.iter().map(|p| {
                                let sel = *p == choisi;
                                view! { <option value=p.clone() selected=sel>{p.replace('|', " — département ")}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <TableParties noms=noms.clone() c=c.clone() perimetre=choisi/>
                    <TableCommunes noms c/>
                }.into_any()
            }
        }}
    }
}

fn cle(bailleur: &str, departement: &str) -> String {
    format!("{bailleur}|{departement}")
}

/// One card per scenario: its name, its key parameters, and actions.
#[component]
fn Cartes() -> impl IntoView {
    let s = expect_context::<Session>();
    move || {
        let n = s.scenarios.with(|v| v.len());
        view! {
            <div class="fr-grid-row fr-grid-row--gutters fr-mb-3w" data-testid="scenarios">
                {(0..n).map(|k| view! { <Carte k n/> }).collect_view()}
            </div>
        }
    }
}

#[component]
fn Carte(k: usize, n: usize) -> impl IntoView {
    let s = expect_context::<Session>();
    let lire = move |f: fn(&crate::domain::Parametres) -> String| {
        move || {
            if k == s.actif.get() {
                s.parametres.with(f)
            } else {
                s.scenarios.with(|v| v.get(k).map(|x| f(&x.parametres)).unwrap_or_default())
            }
        }
    };
    let id = |champ: &str| format!("scenario-{k}-{champ}");
    view! {
        <div class="fr-col-12 fr-col-md-4">
            <div class="scenario fr-p-2w" class:scenario--actif=move || s.actif.get() == k data-testid=format!("scenario-{k}")>
                <div class="fr-input-group">
                    <label class="fr-label" for=id("nom")>"Nom du scénario"</label>
                    <input class="fr-input" id=id("nom") prop:value=move || s.scenarios.with(|v| v.get(k).map(|x| x.nom.clone()).unwrap_or_default())
                        on:change=move |ev| { let nom = event_target_value(&ev); s.scenarios.update(|v| if let Some(x) = v.get_mut(k) { x.nom = nom }) }/>
                </div>
                <div class="fr-select-group">
                    <label class="fr-label" for=id("mode")>"Taux de rotation"</label>
                    <select class="fr-select" id=id("mode") on:change=move |ev| {
                        let v = event_target_value(&ev);
                        let (mode, segment) = match v.as_str() {
                            "par_categorie" => (ModeRotation::ParCategorie, None),
                            "par_typologie" => (ModeRotation::ParSegment, Some(Segment::Typologie)),
                            "par_segment" => (ModeRotation::ParSegment, None),
                            "observe" => (ModeRotation::Observe, None),
                            _ => (ModeRotation::Unique, None),
                        };
                        s.regler_scenario(k, |p| {
                            p.rotation.mode = mode;
                            if let Some(seg) = segment { p.rotation.par_segment.cle = seg }
                        });
                    }>
                        {[("unique", "Taux unique"), ("par_categorie", "Par catégorie"), ("par_segment", "Par segment"), ("observe", "Observé (fichier)")]
                            .into_iter().map(|(v, l)| view! {
                                <option value=v selected=move || lire(|p| mode_code(p.rotation.mode).into())() == v>{l}</option>
                            }).collect_view()}
                    </select>
                </div>
                <div class="fr-input-group">
                    <label class="fr-label" for=id("taux")>"Taux unique (%)"</label>
                    <input class="fr-input" type="number" step="0.1" min="0" max="100" id=id("taux")
                        prop:value=lire(|p| saisie_pourcent(p.rotation.taux_unique))
                        on:change=move |ev| if let Some(t) = lire_pourcent(&event_target_value(&ev)) {
                            s.regler_scenario(k, |p| p.rotation.taux_unique = t)
                        }/>
                </div>
                <div class="fr-select-group">
                    <label class="fr-label" for=id("methode")>"Part du flux"</label>
                    <select class="fr-select" id=id("methode") on:change=move |ev| {
                        let m = if event_target_value(&ev) == "annualisation" { MethodePart::Annualisation } else { MethodePart::PartDuParc };
                        s.regler_scenario(k, |p| p.methode_part = m);
                    }>
                        <option value="part_du_parc" selected=move || lire(|p| format!("{:?}", p.methode_part))() == "PartDuParc">"Part du parc"</option>
                        <option value="annualisation" selected=move || lire(|p| format!("{:?}", p.methode_part))() == "Annualisation">"Annualisation"</option>
                    </select>
                </div>
                <ul class="fr-btns-group fr-btns-group--sm fr-btns-group--inline">
                    <li><button class="fr-btn fr-btn--secondary" type="button" on:click=move |_| { s.activer(k); s.page.set(Page::Parametres) }>
                        "Tous les paramètres"</button></li>
                    {(n > 1).then(|| view! {
                        <li><button class="fr-btn fr-btn--tertiary" type="button" data-testid=format!("supprimer-scenario-{k}")
                            on:click=move |_| s.supprimer_scenario(k)>"Supprimer"</button></li>
                    })}
                </ul>
                {move || (s.actif.get() == k).then(|| view! {
                    <p class="fr-badge fr-badge--blue-ecume fr-badge--sm">"Scénario affiché dans les autres onglets"</p>
                })}
            </div>
        </div>
    }
}

fn mode_code(m: ModeRotation) -> &'static str {
    match m {
        ModeRotation::Unique => "unique",
        ModeRotation::ParCategorie => "par_categorie",
        ModeRotation::ParSegment => "par_segment",
        ModeRotation::Observe => "observe",
    }
}

/// Quick additions: the methods discussed in the IDF concertation.
#[component]
fn Ajouts() -> impl IntoView {
    let s = expect_context::<Session>();
    let plein = move || s.scenarios.with(|v| v.len() >= SCENARIOS_MAX);
    view! {
        <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm fr-mb-3w">
            <li><button class="fr-btn" type="button" disabled=plein data-testid="ajouter-copie"
                on:click=move |_| s.ajouter_scenario(|_| {})>"Ajouter une copie du scénario affiché"</button></li>
            <li><button class="fr-btn fr-btn--secondary" type="button" disabled=plein data-testid="ajouter-par-categorie"
                on:click=move |_| s.ajouter_scenario(|p| p.rotation.mode = ModeRotation::ParCategorie)>"Ajouter : taux par catégorie"</button></li>
            <li><button class="fr-btn fr-btn--secondary" type="button" disabled=plein data-testid="ajouter-par-typologie"
                on:click=move |_| {
                    let observes = s.import().map(|i| taux_observes(&i.dataset, Segment::Typologie)).unwrap_or_default();
                    s.ajouter_scenario(|p| {
                        p.rotation.mode = ModeRotation::ParSegment;
                        p.rotation.par_segment.cle = Segment::Typologie;
                        p.rotation.par_segment.taux = observes;
                    })
                }>
                "Ajouter : taux par typologie (observés dans le fichier)"</button></li>
            <li><button class="fr-btn fr-btn--secondary" type="button" disabled=plein data-testid="ajouter-observe"
                on:click=move |_| s.ajouter_scenario(|p| p.rotation.mode = ModeRotation::Observe)>"Ajouter : taux observé de chaque logement"</button></li>
        </ul>
    }
}


#[component]
fn TableParties(noms: Vec<String>, c: std::sync::Arc<Comparaison>, perimetre: String) -> impl IntoView {
    let lignes: Vec<_> = c.parties.iter().filter(|p| cle(&p.bailleur, &p.departement) == perimetre).cloned().collect();
    let autres: Vec<(usize, String)> = noms.iter().cloned().enumerate().skip(1).collect();
    let autres2 = autres.clone();
    view! {
        <div class="fr-table fr-table--sm fr-table--bordered" data-testid="comparaison-parties">
            <table tabindex="0">
                <caption>"Par réservataire : part du flux et logements par an"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Partie"</th>
                        {noms.iter().map(|n| view! { <th scope="col">{format!("{n} : part")}</th><th scope="col">{format!("{n} : log./an")}</th> }).collect_view()}
                        {autres.into_iter().map(|(_, n)| view! { <th scope="col">{format!("Écart {n} (points)")}</th><th scope="col">{format!("Écart {n} (log./an)")}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {lignes.into_iter().map(|p| {
                        let nom = p.libelle();
                        view! {
                            <tr data-partie=p.reservataire.clone()>
                                <th scope="row">{nom}</th>
                                {(0..p.parts.len()).map(|k| view! {
                                    <td class="nombre">{percent(p.parts[k], 2)}</td><td class="nombre">{decimal(p.par_an[k], 1)}</td>
                                }).collect_view()}
                                {autres2.iter().map(|(k, _)| view! {
                                    <td class="nombre ecart">{ecart(p.ecart_points(*k), 2)}</td><td class="nombre ecart">{ecart(p.ecart_par_an(*k), 1)}</td>
                                }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn TableCommunes(noms: Vec<String>, c: std::sync::Arc<Comparaison>) -> impl IntoView {
    let premiers: Vec<_> = c.communes.iter().take(200).cloned().collect();
    let total = c.communes.len();
    view! {
        <div class="fr-table fr-table--sm fr-table--bordered" data-testid="comparaison-communes">
            <table tabindex="0">
                <caption>{format!("Par commune : logements par an attendus pour l'État ({} commune(s){})", total, if total > 200 { ", 200 premières" } else { "" })}</caption>
                <thead><tr>
                    <th scope="col">"Commune"</th>
                    {noms.iter().map(|n| view! { <th scope="col">{format!("{n} : flux/an")}</th><th scope="col">{format!("{n} : État/an")}</th> }).collect_view()}
                    {noms.iter().skip(1).map(|n| view! { <th scope="col">{format!("Écart État {n}")}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {premiers.into_iter().map(|x| view! {
                        <tr>
                            <th scope="row">{format!("{} {}", x.code, x.nom)}</th>
                            {(0..x.flux.len()).map(|k| view! { <td class="nombre">{decimal(x.flux[k], 1)}</td><td class="nombre">{decimal(x.etat[k], 1)}</td> }).collect_view()}
                            {(1..x.etat.len()).map(|k| view! { <td class="nombre ecart">{ecart(x.ecart_etat(k), 1)}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

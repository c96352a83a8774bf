//! Page « Conversion et parts »: one convention perimeter (bailleur × département) at a time —
//! its flux, each party's share and logements per year, the État checks, the alerts, a chart, and
//! for each réservataire how its numbers are obtained (SPEC §4), and the territorial objectives
//! (SPEC §4.10: per commune for the État and the local réservataires, per département otherwise).

use leptos::prelude::*;

use super::graphiques::BarresParts;
use super::state::Session;
use super::{ChoixPerimetre, SansResultats};
use crate::domain::explication::expliquer;
use crate::domain::parametres::MethodePart;
use crate::domain::territoire::tableau;
use crate::domain::{ResultatPartie, ResultatPerimetre, Role};
use crate::export::conventions::annees;
use crate::format::{decimal, integer, percent};

#[component]
pub fn PageParts() -> impl IntoView {
    let s = expect_context::<Session>();
    let choix = RwSignal::new(0usize);
    view! {
        <h1 class="fr-h2">"Conversion et parts du flux"</h1>
        {move || match s.resultats_ok() {
            None => view! { <SansResultats/> }.into_any(),
            Some(r) => {
                let i = choix.get().min(r.perimetres.len().saturating_sub(1));
                let Some(per) = r.perimetres.get(i).cloned() else { return view! { <SansResultats/> }.into_any() };
                let alertes: Vec<String> = r.alertes.iter()
                    .filter(|a| a.perimetre.is_none_or(|p| p == i))
                    .map(|a| a.message.clone()).collect();
                view! {
                    <ChoixPerimetre resultats=r.clone() choix/>
                    <Synthese per=per.clone()/>
                    {(!alertes.is_empty()).then(|| view! {
                        <div class="fr-alert fr-alert--warning fr-mb-3w" data-testid="alertes">
                            <h2 class="fr-alert__title">"Alertes"</h2>
                            <ul>{alertes.into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}</ul>
                        </div>
                    })}
                    <TableParts per=per.clone()/>
                    <BarresParts titre=format!("Parts du flux annuel — {} ({})", per.bailleur, per.departement)
                        barres=per.parts.iter().map(|p| (p.libelle(), p.part)).collect()/>
                    <Objectifs per=per.clone()/>
                    <Explications per indice=i/>
                }.into_any()
            }
        }}
    }
}

#[component]
fn Synthese(per: ResultatPerimetre) -> impl IntoView {
    let c = per.controle_etat;
    let controle = |ok: bool, texte: String| {
        let classe = if ok { "fr-badge fr-badge--success fr-badge--no-icon" } else { "fr-badge fr-badge--error fr-badge--no-icon" };
        view! { <p class=classe>{texte}</p> }
    };
    view! {
        <div class="fr-grid-row fr-grid-row--gutters fr-mb-3w">
            <Chiffre titre="Flux annuel" valeur=decimal(per.flux_annuel, 1) detail=format!("logements libérés en {} (Σ τ + logements neufs entrés dans le flux − prélèvements)", per.etalement.premiere_annee) testid="flux"/>
            <Chiffre titre="Assiette" valeur=integer(per.assiette as i64) detail=format!("logements sur {}", integer(per.logements as i64)) testid="assiette"/>
            <Chiffre titre="Parts avant dépassement" valeur=percent(per.somme_parts_avant_depassement, 1) detail="État + réservataires" testid="somme-parts"/>
        </div>
        <div class="fr-badges-group fr-mb-3w" data-testid="controles-etat">
            {controle(c.part_ok, format!("Part de l'État {} ≤ 30 %", percent(c.part, 1)))}
            {controle(c.agents_ok, format!("dont agents {} ≤ 5 %", percent(c.part_agents, 1)))}
        </div>
    }
}

#[component]
fn Chiffre(titre: &'static str, valeur: String, #[prop(into)] detail: String, testid: &'static str) -> impl IntoView {
    view! {
        <div class="fr-col-12 fr-col-md-4">
            <div class="chiffre fr-p-2w">
                <p class="fr-text--sm fr-mb-1v">{titre}</p>
                <p class="chiffre__valeur fr-mb-1v" data-testid=testid>{valeur}</p>
                <p class="fr-text--xs fr-mb-0">{detail}</p>
            </div>
        </div>
    }
}

#[component]
fn TableParts(per: ResultatPerimetre) -> impl IntoView {
    view! {
        <div class="fr-table fr-table--sm" data-testid="parts">
            <table tabindex="0">
                <caption>{format!("Parts du flux — {} ({})", per.bailleur, per.departement)}</caption>
                <thead><tr>
                    <th scope="col">"Partie"</th><th scope="col">"Catégorie"</th>
                    <th scope="col">"Logements réservés"</th><th scope="col">"Volume de droits uniques"</th>
                    <th scope="col">"Part du flux"</th><th scope="col">"Logements par an"</th><th scope="col">"Années d'épuisement"</th><th scope="col">"Années nommées"</th>
                </tr></thead>
                <tbody>
                    {per.parts.iter().map(|p| view! {
                        <tr data-partie=p.reservataire.clone()>
                            <th scope="row">{p.libelle()}</th>
                            <td>{p.categorie.libelle()}</td>
                            <td class="nombre">{integer(p.logements_reserves as i64)}</td>
                            <td class="nombre">{decimal(p.volume_droits, 1)}</td>
                            <td class="nombre part">{percent(p.part, 2)}</td>
                            <td class="nombre">{decimal(p.logements_par_an, 2)}</td>
                            <td class="nombre">{p.annees_epuisement.map(|a| decimal(a, 1)).unwrap_or_else(|| "—".into())}</td>
                            <td class="annees-nommees">{match (p.petite(), p.annees_nommees.is_empty()) {
                                (false, _) => "—".to_owned(),
                                (true, true) => "aucune".to_owned(),
                                (true, false) => annees(&p.annees_nommees),
                            }}</td>
                        </tr>
                    }).collect_view()}
                    <tr class="total">
                        <th scope="row" colspan="4">"Total"</th>
                        <td class="nombre" data-testid="total-parts">{percent(per.total_parts, 2)}</td>
                        <td class="nombre">{decimal(per.total_logements_par_an, 1)}</td>
                        <td></td><td></td>
                    </tr>
                </tbody>
            </table>
        </div>
    }
}

/// « Comment est-ce calculé ? »: each réservataire's numbers in the formulas of SPEC §4, with the
/// rates and durations behind its volume (`domain::explication`).
#[component]
fn Explications(per: ResultatPerimetre, indice: usize) -> impl IntoView {
    let s = expect_context::<Session>();
    let (methode, horizon) = s.parametres.with_untracked(|p| (p.methode_part, p.horizon_ans));
    let details = match s.import() {
        Some(i) => s.parametres.with_untracked(|p| expliquer(&i.dataset, p, indice)),
        None => Vec::new(),
    };
    let reservataires: Vec<ResultatPartie> = per.parts.iter().filter(|p| p.role == Role::Reservataire).cloned().collect();
    let (f, n) = (per.flux_annuel, per.assiette);
    view! {
        <h2 class="fr-h4">"Comment est-ce calculé ?"</h2>
        <p class="fr-text--sm">"Le volume de droits uniques d'un droit de suite est le taux de rotation du logement × sa durée restante (v = τ × D) ; un droit simple non utilisé et non échu vaut 1. La dernière attribution n'est pas prise en compte (concertation Île-de-France)."</p>
        <div data-testid="explications">
            {reservataires.into_iter().map(|p| {
                let e = crate::domain::explication::de(&details, &p.reservataire, p.categorie).cloned().unwrap_or_default();
                let part = match methode {
                    MethodePart::PartDuParc => format!(
                        "Part = logements réservés / assiette = {} / {} = {}",
                        integer(p.logements_reserves as i64), integer(n as i64), percent(p.part, 2)),
                    MethodePart::Annualisation => format!(
                        "Part = volume / horizon / flux = {} / {} / {} = {}",
                        decimal(p.volume_droits, 2), decimal(horizon, 0), decimal(f, 2), percent(p.part, 2)),
                };
                let depassement = if per.depassement { " (après réduction pour dépassement de 100 %)" } else { "" };
                view! {
                    <details class="explication fr-mb-1w" data-reservataire=p.reservataire.clone() data-categorie=p.categorie.code()>
                        <summary>{p.libelle()}</summary>
                        <ol>
                            <li>{format!(
                                "Droits de suite dans l'assiette : {} (dont {} sans date de fin, comptés {} ans). Taux de rotation moyen τ = {} ; durée restante D de {} à {} ans, {} en moyenne.",
                                integer(e.droits_suite as i64), integer(e.sans_fin as i64),
                                decimal(s.parametres.with_untracked(|p| p.duree_sans_terme_ans), 0),
                                percent(e.taux_moyen(), 2), decimal(e.duree_min, 1), decimal(e.duree_max, 1), decimal(e.duree_moyenne(), 1))}</li>
                            <li>{format!(
                                "Droits simples : {} (dont {} encore utilisables, 1 droit chacun).",
                                integer(e.droits_simples as i64), integer(e.simples_utilisables as i64))}</li>
                            <li>{format!("Volume de droits uniques V = Σ τ × D + droits simples = {}", decimal(p.volume_droits, 2))}</li>
                            <li>{format!("Logements réservés L (volume > 0) : {}", integer(p.logements_reserves as i64))}</li>
                            <li>{part}{depassement}</li>
                            <li>{format!("Logements par an = part × flux = {} × {} = {}", percent(p.part, 2), decimal(f, 2), decimal(p.logements_par_an, 2))}</li>
                            <li>{match p.annees_epuisement {
                                Some(a) => format!("Épuisement du volume : V / logements par an = {} / {} = {} ans", decimal(p.volume_droits, 2), decimal(p.logements_par_an, 2), decimal(a, 1)),
                                None => "Aucun volume à consommer.".to_owned(),
                            }}</li>
                        </ol>
                    </details>
                }
            }).collect_view()}
        </div>
    }
}

/// Territorial objectives of the convention (SPEC §4.10): per commune for the État and the local
/// réservataires (on the communes of their own reservations), per département for the others.
#[component]
fn Objectifs(per: ResultatPerimetre) -> impl IntoView {
    let s = expect_context::<Session>();
    let t = tableau(&per.objectifs);
    let nom = move |code: &str| s.geographie.with(|g| g.as_ref().and_then(|g| g.commune(code)).map(|c| c.nom.clone()).unwrap_or_default());
    let libelle = |k: usize| per.parts.get(k).map(ResultatPartie::libelle).unwrap_or_default();
    view! {
        <h2 class="fr-h4">"Objectifs territoriaux (logements par an)"</h2>
        <p class="fr-text--sm">"Pour l'État et les communes, EPCI ou EPT réservataires, des objectifs par commune ; pour les autres réservataires, un objectif pour le département (restitution DRIHL, définition du flux). L'objectif d'une commune ou d'un EPCI/EPT se place sur les communes de ses propres réservations."</p>
        <div class="fr-table fr-table--sm" data-testid="objectifs-communes">
            <table tabindex="0">
                <caption>{format!("Par commune — {} ({})", per.bailleur, per.departement)}</caption>
                <thead><tr>
                    <th scope="col">"Commune"</th>
                    {t.colonnes.iter().map(|&k| view! { <th scope="col">{libelle(k)}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {t.communes.iter().map(|(code, valeurs)| view! {
                        <tr data-commune=code.clone()>
                            <th scope="row">{format!("{code} {}", nom(code))}</th>
                            {valeurs.iter().map(|v| view! { <td class="nombre">{v.map(|x| decimal(x, 2)).unwrap_or_else(|| "—".into())}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <div class="fr-table fr-table--sm" data-testid="objectifs-departement">
            <table tabindex="0">
                <caption>{format!("Pour le département {}", per.departement)}</caption>
                <thead><tr><th scope="col">"Partie"</th><th scope="col">"Logements par an"</th></tr></thead>
                <tbody>
                    {t.departement.iter().map(|&(k, v)| view! {
                        <tr><th scope="row">{libelle(k)}</th><td class="nombre">{decimal(v, 2)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

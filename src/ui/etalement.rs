//! Page « Étalement »: the year-by-year consumption of the volumes (SPEC §4.9), whole logements per
//! `arrondi`, in calendar years, a stacked chart, and the named years of the parties under one
//! logement a year. Every figure comes from the engine's `Etalement`.

use leptos::prelude::*;

use super::graphiques::ColonnesEmpilees;
use super::state::Session;
use super::{ChoixPerimetre, SansResultats};
use crate::domain::parametres::Arrondi;
use crate::domain::ResultatPerimetre;
use crate::export::conventions::annees;
use crate::format::decimal;

#[component]
pub fn PageEtalement() -> impl IntoView {
    let s = expect_context::<Session>();
    let choix = RwSignal::new(0usize);
    view! {
        <h1 class="fr-h2">"Étalement des droits dans le temps"</h1>
        <p>"Chaque année, le bailleur propose à chaque réservataire sa part du flux, déduite de son volume de droits uniques ; un réservataire dont le volume est épuisé sort du tableau et sa part revient au bailleur."</p>
        {move || match s.resultats_ok() {
            None => view! { <SansResultats/> }.into_any(),
            Some(r) => {
                let i = choix.get().min(r.perimetres.len().saturating_sub(1));
                let Some(per) = r.perimetres.get(i).cloned() else { return view! { <SansResultats/> }.into_any() };
                let arrondi = s.parametres.with(|p| p.arrondi);
                let decimales = if arrondi == Arrondi::Aucun { 2 } else { 0 };
                view! {
                    <ChoixPerimetre resultats=r.clone() choix/>
                    <p class="fr-text--sm" data-testid="arrondi">{format!("Arrondi : {}.", arrondi.libelle())}</p>
                    <AnneesNommees per=per.clone()/>
                    <Graphique per=per.clone()/>
                    <Tableau per decimales/>
                }.into_any()
            }
        }}
    }
}

#[component]
fn Graphique(per: ResultatPerimetre) -> impl IntoView {
    let (series, annees) = per.series_etalement();
    view! {
        <ColonnesEmpilees titre=format!("Logements proposés par an — {} ({})", per.bailleur, per.departement)
            series annees/>
    }
}

/// Parties under one logement a year and the calendar years in which they get one (SPEC §4.9 v2:
/// decided at conversion, whatever the rounding), and the parties « noyées dans le flux » under a
/// v1 rounding.
#[component]
fn AnneesNommees(per: ResultatPerimetre) -> impl IntoView {
    let petites: Vec<_> = per.parts.iter().filter(|p| p.petite()).cloned().collect();
    (!petites.is_empty()).then(|| view! {
        <div class="fr-callout fr-mb-3w" data-testid="annees-nommees">
            <h2 class="fr-callout__title">"Années nommées des parties de moins d'un logement par an"</h2>
            <p class="fr-text--sm">"Pour ne pas être « noyées dans le flux », elles connaissent dès la conversion les années où elles pourront faire valoir leurs droits."</p>
            <ul>
                {petites.into_iter().map(|p| {
                    let texte = if p.annees_nommees.is_empty() {
                        "aucune année avec un logement entier".to_owned()
                    } else {
                        annees(&p.annees_nommees).replace(' ', ", ")
                    };
                    view! {
                        <li data-partie=p.reservataire.clone()><strong>{p.libelle()}</strong>" : "{texte}
                            {p.noye.then(|| view! { <span class="fr-badge fr-badge--error fr-badge--sm fr-ml-1w">"noyé dans le flux"</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    })
}

#[component]
fn Tableau(per: ResultatPerimetre, decimales: usize) -> impl IntoView {
    let lignes = per.etalement.grille(per.parts.len());
    view! {
        <div class="fr-table fr-table--sm fr-table--no-caption-sm" data-testid="etalement">
            <table tabindex="0">
                <caption>"Logements proposés chaque année (tableau de données du graphique)"</caption>
                <thead><tr>
                    <th scope="col">"Année"</th>
                    <th scope="col">"Flux de l'année"</th>
                    {per.parts.iter().map(|p| view! { <th scope="col">{p.libelle()}</th> }).collect_view()}
                    <th scope="col">"Total"</th>
                </tr></thead>
                <tbody>
                    {lignes.into_iter().zip(per.etalement.flux.clone()).map(|(a, flux)| view! {
                        <tr>
                            <th scope="row">{a.annee}</th>
                            <td class="nombre">{decimal(flux, 1)}</td>
                            {a.offerts.into_iter().map(|x| view! { <td class="nombre">{decimal(x, decimales)}</td> }).collect_view()}
                            <td class="nombre">{decimal(a.total, decimales)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

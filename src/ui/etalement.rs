//! Page « Étalement »: the year-by-year consumption of the volumes (SPEC §4.9), whole logements per
//! `arrondi`, a stacked chart, and the named years of small réservataires.

use leptos::prelude::*;

use super::graphiques::{classe_serie, ColonnesEmpilees};
use super::state::Session;
use super::{libelle_partie, ChoixPerimetre, SansResultats};
use crate::domain::parametres::Arrondi;
use crate::domain::ResultatPerimetre;
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
                    {if arrondi == Arrondi::Report {
                        view! { <AnneesNommees per=per.clone()/> }.into_any()
                    } else {
                        view! { <p class="fr-text--sm">"Avec l'arrondi « report des fractions » (Paramètres), les réservataires de moins d'un logement par an obtiennent des années nommées."</p> }.into_any()
                    }}
                    <Graphique per=per.clone()/>
                    <Tableau per decimales/>
                }.into_any()
            }
        }}
    }
}

/// Logements offered per (year, party index); the bailleur is index `parts.len() - 1`.
fn grille(per: &ResultatPerimetre) -> Vec<(u16, Vec<f64>)> {
    let n = per.parts.len();
    (1..=per.etalement.annees)
        .map(|annee| {
            let mut v = vec![0.0; n];
            for l in per.etalement.lignes.iter().filter(|l| l.annee == annee) {
                if let Some(x) = v.get_mut(l.partie as usize) {
                    *x += l.offerts;
                }
            }
            (annee, v)
        })
        .collect()
}

#[component]
fn Graphique(per: ResultatPerimetre) -> impl IntoView {
    view! {
        <ColonnesEmpilees titre=format!("Logements proposés par an — {} ({})", per.bailleur, per.departement)
            series=per.parts.iter().map(libelle_partie).collect() annees=grille(&per)/>
    }
}

/// Small réservataires (less than one logement a year) and the years in which they get one.
#[component]
fn AnneesNommees(per: ResultatPerimetre) -> impl IntoView {
    let petits: Vec<(String, Vec<u16>)> = per
        .parts
        .iter()
        .enumerate()
        .filter(|(_, p)| p.volume_droits > 0.0 && p.logements_par_an > 0.0 && p.logements_par_an < 1.0 && !p.categorie.est_etat())
        .map(|(i, p)| {
            let annees = per.etalement.lignes.iter().filter(|l| l.partie as usize == i && l.offerts >= 1.0).map(|l| l.annee).collect();
            (libelle_partie(p), annees)
        })
        .collect();
    (!petits.is_empty()).then(|| view! {
        <div class="fr-callout fr-mb-3w" data-testid="annees-nommees">
            <h2 class="fr-callout__title">"Années nommées des petits réservataires"</h2>
            <p class="fr-text--sm">"Moins d'un logement par an : pour ne pas être « noyés dans le flux », ils connaissent dès la conversion les années où ils pourront faire valoir leurs droits (arrondi « report des fractions »)."</p>
            <ul>
                {petits.into_iter().map(|(nom, annees)| {
                    let texte = if annees.is_empty() {
                        "aucune année entière avec cet arrondi".to_owned()
                    } else {
                        annees.iter().map(|a| format!("année {a}")).collect::<Vec<_>>().join(", ")
                    };
                    view! { <li><strong>{nom}</strong>" : "{texte}</li> }
                }).collect_view()}
            </ul>
        </div>
    })
}

#[component]
fn Tableau(per: ResultatPerimetre, decimales: usize) -> impl IntoView {
    let lignes = grille(&per);
    view! {
        <div class="fr-table fr-table--sm fr-table--no-caption-sm" data-testid="etalement">
            <table>
                <caption>"Logements proposés chaque année (tableau de données du graphique)"</caption>
                <thead><tr>
                    <th scope="col">"Année"</th>
                    {per.parts.iter().enumerate().map(|(i, p)| view! {
                        <th scope="col"><svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" class=classe_serie(i)/></svg>" "{libelle_partie(p)}</th>
                    }).collect_view()}
                    <th scope="col">"Total"</th>
                </tr></thead>
                <tbody>
                    {lignes.into_iter().map(|(annee, v)| {
                        let total: f64 = v.iter().sum();
                        view! {
                            <tr>
                                <th scope="row">{annee}</th>
                                {v.into_iter().map(|x| view! { <td class="nombre">{decimal(x, decimales)}</td> }).collect_view()}
                                <td class="nombre">{decimal(total, decimales)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

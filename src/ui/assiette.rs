//! Page « Assiette »: logements, hors assiette by motif (with the switches), assiette, per
//! convention perimeter and per commune.

use leptos::prelude::*;

use super::parametres::Exclusions;
use super::state::Session;
use super::{libelle_motif, Pagination, SansResultats, PAR_PAGE};
use crate::domain::model::Motif;
use crate::format::integer;

#[component]
pub fn PageAssiette() -> impl IntoView {
    let s = expect_context::<Session>();
    let page = RwSignal::new(0usize);
    view! {
        <h1 class="fr-h2">"Assiette"</h1>
        <p>"Les logements dont les libérations forment le flux. Sont retirés de l'assiette les logements nécessaires aux relogements (renouvellement urbain, ORCOD, habitat indigne), aux ventes, aux mutations internes du bailleur, et ceux des réservataires restant en stock (défense, sécurité intérieure, santé) — CCH R. 441-5."</p>
        <Exclusions/>
        {move || match s.resultats_ok() {
            None => view! { <SansResultats/> }.into_any(),
            Some(r) => {
                let motifs: Vec<Motif> = Motif::TOUS.to_vec();
                let entetes = motifs.iter().map(|m| view! { <th scope="col">{libelle_motif(*m)}</th> }).collect_view();
                let entetes2 = motifs.iter().map(|m| view! { <th scope="col">{libelle_motif(*m)}</th> }).collect_view();
                let total = r.communes.total.clone();
                let pages = r.communes.communes.len().div_ceil(PAR_PAGE).max(1);
                let numero = page.get().min(pages - 1);
                view! {
                    <div class="fr-table fr-table--sm" data-testid="assiette-perimetres">
                        <table>
                            <caption>"Par convention (bailleur × département)"</caption>
                            <thead><tr>
                                <th scope="col">"Bailleur"</th><th scope="col">"Dép."</th><th scope="col">"Logements"</th>
                                {entetes}
                                <th scope="col">"Assiette"</th>
                            </tr></thead>
                            <tbody>
                                {r.perimetres.iter().map(|p| view! {
                                    <tr>
                                        <td>{p.bailleur.clone()}</td><td>{p.departement.clone()}</td>
                                        <td class="nombre">{integer(p.logements as i64)}</td>
                                        {p.hors_assiette.iter().map(|n| view! { <td class="nombre">{integer(*n as i64)}</td> }).collect_view()}
                                        <td class="nombre"><strong>{integer(p.assiette as i64)}</strong></td>
                                    </tr>
                                }).collect_view()}
                                <tr class="total">
                                    <th scope="row" colspan="2">"Total"</th>
                                    <td class="nombre" data-testid="total-logements">{integer(total.logements as i64)}</td>
                                    {total.hors_assiette.iter().map(|n| view! { <td class="nombre">{integer(*n as i64)}</td> }).collect_view()}
                                    <td class="nombre" data-testid="total-assiette"><strong>{integer(total.assiette as i64)}</strong></td>
                                </tr>
                            </tbody>
                        </table>
                    </div>
                    <div class="fr-table fr-table--sm" data-testid="assiette-departements">
                        <table>
                            <caption>"Par département (tous bailleurs)"</caption>
                            <thead><tr>
                                <th scope="col">"Département"</th><th scope="col">"Logements"</th>
                                <th scope="col">"Hors assiette"</th><th scope="col">"Assiette"</th><th scope="col">"Libérations estimées / an"</th>
                            </tr></thead>
                            <tbody>
                                {r.communes.departements.iter().map(|d| view! {
                                    <tr>
                                        <th scope="row">{format!("{} {}", d.code, d.nom)}</th>
                                        <td class="nombre">{integer(d.agregat.logements as i64)}</td>
                                        <td class="nombre">{integer(d.agregat.hors_assiette.iter().sum::<u32>() as i64)}</td>
                                        <td class="nombre">{integer(d.agregat.assiette as i64)}</td>
                                        <td class="nombre">{crate::format::decimal(d.agregat.liberations, 1)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <div class="fr-table fr-table--sm" data-testid="assiette-communes">
                        <table>
                            <caption>"Par commune (tous bailleurs)"</caption>
                            <thead><tr>
                                <th scope="col">"Commune"</th><th scope="col">"Nom"</th><th scope="col">"Logements"</th>
                                {entetes2}
                                <th scope="col">"Assiette"</th>
                            </tr></thead>
                            <tbody>
                                {r.communes.communes.iter().skip(numero * PAR_PAGE).take(PAR_PAGE).map(|c| view! {
                                    <tr>
                                        <td>{c.code.clone()}</td><td>{c.nom.clone()}</td>
                                        <td class="nombre">{integer(c.agregat.logements as i64)}</td>
                                        {c.agregat.hors_assiette.iter().map(|n| view! { <td class="nombre">{integer(*n as i64)}</td> }).collect_view()}
                                        <td class="nombre"><strong>{integer(c.agregat.assiette as i64)}</strong></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <Pagination page pages numero/>
                }.into_any()
            }
        }}
    }
}

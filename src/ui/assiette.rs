//! Page « Assiette »: logements, hors assiette by motif (with the switches), assiette, per
//! convention perimeter, per département and per commune.

use leptos::prelude::*;

use super::parametres::Exclusions;
use super::state::Session;
use super::{Pagination, SansResultats, PAR_PAGE};
use crate::domain::model::Motif;
use crate::domain::Agregat;
use crate::format::{decimal, integer};

/// One row of an assiette table: its two first cells, then the counts.
struct Ligne {
    cles: [String; 2],
    logements: u32,
    hors_assiette: [u32; Motif::N],
    assiette: u32,
}

impl Ligne {
    fn depuis(cles: [String; 2], a: &Agregat) -> Ligne {
        Ligne { cles, logements: a.logements, hors_assiette: a.hors_assiette, assiette: a.assiette }
    }
}

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
                let perimetres = r.perimetres.iter().map(|p| Ligne {
                    cles: [p.bailleur.clone(), p.departement.clone()],
                    logements: p.logements,
                    hors_assiette: p.hors_assiette,
                    assiette: p.assiette,
                }).collect();
                let total = Ligne::depuis(["Total".into(), String::new()], &r.communes.total);
                let pages = r.communes.communes.len().div_ceil(PAR_PAGE).max(1);
                let numero = page.get().min(pages - 1);
                let communes = r.communes.communes.iter().skip(numero * PAR_PAGE).take(PAR_PAGE)
                    .map(|c| Ligne::depuis([c.code.clone(), c.nom.clone()], &c.agregat)).collect();
                view! {
                    <Tableau legende="Par convention (bailleur × département)" testid="assiette-perimetres"
                        colonnes=["Bailleur", "Dép."] lignes=perimetres total=Some(total)/>
                    <div class="fr-table fr-table--sm" data-testid="assiette-departements">
                        <table tabindex="0">
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
                                        <td class="nombre">{integer(d.agregat.hors_assiette_total() as i64)}</td>
                                        <td class="nombre">{integer(d.agregat.assiette as i64)}</td>
                                        <td class="nombre">{decimal(d.agregat.liberations, 1)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <Tableau legende="Par commune (tous bailleurs)" testid="assiette-communes"
                        colonnes=["Commune", "Nom"] lignes=communes total=None/>
                    <Pagination page pages numero/>
                }.into_any()
            }
        }}
    }
}

/// Logements, hors assiette by motif and assiette, one row per `lignes`, and an optional total.
#[component]
fn Tableau(legende: &'static str, testid: &'static str, colonnes: [&'static str; 2], lignes: Vec<Ligne>, total: Option<Ligne>) -> impl IntoView {
    // The total row's cells carry test ids (`total-logements`, `total-assiette`).
    let cellules = |l: &Ligne, total: bool| {
        let id = move |nom: &'static str| total.then_some(nom);
        view! {
            <td class="nombre" data-testid=id("total-logements")>{integer(l.logements as i64)}</td>
            {l.hors_assiette.iter().map(|n| view! { <td class="nombre">{integer(*n as i64)}</td> }).collect_view()}
            <td class="nombre" data-testid=id("total-assiette")><strong>{integer(l.assiette as i64)}</strong></td>
        }
    };
    view! {
        <div class="fr-table fr-table--sm" data-testid=testid>
            <table tabindex="0">
                <caption>{legende}</caption>
                <thead><tr>
                    <th scope="col">{colonnes[0]}</th><th scope="col">{colonnes[1]}</th><th scope="col">"Logements"</th>
                    {Motif::TOUS.iter().map(|m| view! { <th scope="col">{m.libelle()}</th> }).collect_view()}
                    <th scope="col">"Assiette"</th>
                </tr></thead>
                <tbody>
                    {lignes.iter().map(|l| view! {
                        <tr><td>{l.cles[0].clone()}</td><td>{l.cles[1].clone()}</td>{cellules(l, false)}</tr>
                    }).collect_view()}
                    {total.map(|t| view! {
                        <tr class="total">
                            <th scope="row" colspan="2">{t.cles[0].clone()}</th>
                            {cellules(&t, true)}
                        </tr>
                    })}
                </tbody>
            </table>
        </div>
    }
}

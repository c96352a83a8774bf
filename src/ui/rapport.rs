//! Page « Rapport »: a printable report (the browser saves it as PDF) — title, date, source file,
//! every parameter, every convention's shares, the departmental roll-up of the communal view, a
//! chart, and the sources. The print stylesheet (style/app.css) hides the navigation and buttons.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::graphiques::BarresParts;
use super::navigateur::{ecrire_xlsx, telecharger};
use super::state::Session;
use super::{SansResultats};
use crate::domain::model::Motif;
use crate::domain::parametres::{Depassement, MethodePart, ModeRotation};
use crate::export::conventions::annees;
use crate::domain::Parametres;
use crate::format::{decimal, integer, percent};

#[component]
pub fn PageRapport() -> impl IntoView {
    let s = expect_context::<Session>();
    let imprimer = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.unchecked_into::<web_sys::Window>().print();
        }
    };
    view! {
        <div class="rapport">
            <p class="non-imprime">
                <button class="fr-btn" type="button" on:click=imprimer data-testid="imprimer">
                    "Imprimer ou enregistrer en PDF"
                </button>
            </p>
            <Exports/>
            <h1 class="fr-h2">"Conversion des réservations du stock au flux — rapport"</h1>
            <p data-testid="rapport-date">
                {format!("Établi le {} ", super::navigateur::aujourdhui().format("%d/%m/%Y"))}
                {move || s.fichier.with(|f| f.as_ref().map(|f| format!("à partir du fichier « {} ».", f.nom)))}
            </p>
            {move || match s.resultats_ok() {
                None => view! { <SansResultats/> }.into_any(),
                Some(r) => {
                    let p = s.parametres.get();
                    view! {
                        <h2 class="fr-h4">"Paramètres"</h2>
                        <TableParametres p/>
                        <h2 class="fr-h4">"Conventions : flux et parts"</h2>
                        {r.perimetres.iter().map(|per| view! {
                            <section class="rapport__perimetre">
                                <h3 class="fr-h6">{format!("{} — département {} : flux {} logements/an, assiette {} sur {} logements",
                                    per.bailleur, per.departement, decimal(per.flux_annuel, 1), integer(per.assiette as i64), integer(per.logements as i64))}</h3>
                                <div class="fr-table fr-table--sm fr-table--no-scroll"><table>
                                    <thead><tr><th scope="col">"Partie"</th><th scope="col">"Logements réservés"</th><th scope="col">"Volume"</th><th scope="col">"Part"</th><th scope="col">"Logements/an"</th><th scope="col">"Épuisement (ans)"</th><th scope="col">"Années nommées"</th></tr></thead>
                                    <tbody>{per.parts.iter().map(|x| view! {
                                        <tr><th scope="row">{x.libelle()}</th>
                                            <td class="nombre">{integer(x.logements_reserves as i64)}</td>
                                            <td class="nombre">{decimal(x.volume_droits, 1)}</td>
                                            <td class="nombre">{percent(x.part, 2)}</td>
                                            <td class="nombre">{decimal(x.logements_par_an, 1)}</td>
                                            <td class="nombre">{x.annees_epuisement.map(|a| decimal(a, 1)).unwrap_or_else(|| "—".into())}</td>
                                            <td>{annees(&x.annees_nommees)}</td></tr>
                                    }).collect_view()}</tbody>
                                </table></div>
                            </section>
                        }).collect_view()}
                        {r.perimetres.first().map(|per| view! {
                            <BarresParts titre=format!("Parts du flux — {} ({})", per.bailleur, per.departement)
                                barres=per.parts.iter().map(|x| (x.libelle(), x.part)).collect()/>
                        })}
                        <h2 class="fr-h4">"Vue agrégée par département (tous bailleurs)"</h2>
                        <div class="fr-table fr-table--sm fr-table--no-scroll"><table>
                            <thead><tr><th scope="col">"Département"</th><th scope="col">"Logements"</th><th scope="col">"Hors assiette"</th><th scope="col">"Assiette"</th><th scope="col">"Libérations/an"</th></tr></thead>
                            <tbody>{r.communes.departements.iter().map(|d| view! {
                                <tr><th scope="row">{format!("{} {}", d.code, d.nom)}</th>
                                    <td class="nombre">{integer(d.agregat.logements as i64)}</td>
                                    <td class="nombre">{integer(d.agregat.hors_assiette_total() as i64)}</td>
                                    <td class="nombre">{integer(d.agregat.assiette as i64)}</td>
                                    <td class="nombre">{decimal(d.agregat.liberations, 1)}</td></tr>
                            }).collect_view()}</tbody>
                        </table></div>
                        {(!r.alertes.is_empty()).then(|| view! {
                            <h2 class="fr-h4">"Alertes"</h2>
                            <ul>{r.alertes.iter().map(|a| view! { <li>{a.message.clone()}</li> }).collect_view()}</ul>
                        })}
                    }.into_any()
                }
            }}
            <h2 class="fr-h4">"Sources"</h2>
            <ul class="fr-text--sm">
                <li>"Loi n° 2018-1021 du 23 novembre 2018 (ELAN), article 114 ; décret n° 2020-145 du 20 février 2020 ; Code de la construction et de l'habitation, articles L. 441-1 et R. 441-5 et suivants."</li>
                <li>"DRIHL Île-de-France, restitution de la concertation régionale sur la gestion en flux, 25 mai 2021 (conversion des droits de suite en volume de droits uniques, étalement, état des lieux agrégé)."</li>
                <li>"Taux de rotation par défaut : mobilité du parc social francilien en 2019, 6,3 % (DRIEA/DRIHL, RPLS)."</li>
                <li>"Géographie : découpage administratif (COG), Etalab, Licence Ouverte 2.0."</li>
                <li>"Calcul effectué localement dans le navigateur par le calculateur de gestion en flux ; aucune donnée transmise."</li>
            </ul>
        </div>
    }
}

/// Every download in one place (French CSV conventions, JSON).
#[component]
fn Exports() -> impl IntoView {
    let s = expect_context::<Session>();
    let erreur = RwSignal::new(None::<String>);
    
    let avec = move |f: fn(&Session, &crate::domain::Resultats) -> (String, &'static str, Vec<u8>)| {
        move |_| {
            if let Some(r) = s.resultats_ok() {
                let (nom, type_mime, octets) = f(&s, &r);
                telecharger(&nom, type_mime, &octets);
            }
        }
    };
    view! {
        <section class="non-imprime fr-mb-4w" data-testid="exports">
            <h2 class="fr-h4">"Exports"</h2>
            <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm">
                <li><button class="fr-btn" type="button" data-testid="export-xlsx"
                    on:click=move |_| {
                        let (Some(r), Some(m)) = (s.resultats_ok(), s.masque.get_untracked()) else { return };
                        let tables = s.parametres.with_untracked(|p| crate::export::classeur::feuilles(&r, p, &m));
                        leptos::task::spawn_local(async move {
                            match ecrire_xlsx(&tables).await {
                                Ok(octets) => telecharger("resultats-gestion-flux.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &octets),
                                Err(e) => erreur.set(Some(e)),
                            }
                        });
                    }>
                    "Classeur complet (XLSX)"</button></li>
                <li><button class="fr-btn fr-btn--secondary" type="button" data-testid="export-conventions"
                    on:click=avec(|_, r| ("conventions.csv".into(), "text/csv;charset=utf-8", crate::export::conventions::conventions_csv(r)))>
                    "Conventions (CSV)"</button></li>
                <li><button class="fr-btn fr-btn--secondary" type="button" data-testid="export-etalement"
                    on:click=avec(|_, r| ("etalement.csv".into(), "text/csv;charset=utf-8", crate::export::etalement_csv(r)))>
                    "Étalement (CSV)"</button></li>
                <li><button class="fr-btn fr-btn--secondary" type="button" data-testid="export-objectifs"
                    on:click=avec(|_, r| ("objectifs.csv".into(), "text/csv;charset=utf-8", crate::export::objectifs_csv(r)))>
                    "Objectifs territoriaux (CSV)"</button></li>
                <li><button class="fr-btn fr-btn--secondary" type="button" data-testid="export-communes"
                    on:click=avec(|s, r| {
                        // The session's mask, decided by the domain (SPEC §5 v2): the same bytes as the CLI's communes.csv.
                        let m = s.masque.get_untracked().unwrap_or_default();
                        ("communes.csv".into(), "text/csv;charset=utf-8", crate::export::vue_csv(&r.communes.communes, "commune", &m.communes))
                    })>
                    "Vue communale publiable (CSV)"</button></li>
                <li><button class="fr-btn fr-btn--secondary" type="button" data-testid="export-synthese"
                    on:click=avec(|s, r| {
                        let c = s.import().map(|i| crate::export::Comptage {
                            lignes_lues: i.lignes_lues,
                            lignes_retenues: i.lignes_retenues,
                            lignes_rejetees: i.rejets.len(),
                            avertissements: i.avertissements.len(),
                        }).unwrap_or_default();
                        ("synthese.json".into(), "application/json", crate::export::synthese_json(c, r).into_bytes())
                    })>
                    "Synthèse (JSON)"</button></li>
                <li><button class="fr-btn fr-btn--secondary" type="button" data-testid="export-parametres"
                    on:click=move |_| telecharger("parametres.json", "application/json", s.parametres.with_untracked(|p| p.vers_json()).as_bytes())>
                    "Paramètres (JSON)"</button></li>
            </ul>
            {move || erreur.get().map(|e| view! { <div class="fr-alert fr-alert--error fr-mb-2w" role="alert"><p>{e}</p></div> })}
            <p class="fr-text--sm" data-testid="exports-secret">{move || {
                let seuil = s.parametres.with(|p| p.secret_statistique);
                if seuil == 0 {
                    "La vue communale publiable et les feuilles communales du classeur sont exactes : le secret statistique est désactivé (seuil 0).".to_owned()
                } else {
                    format!("La vue communale publiable et les feuilles communales du classeur appliquent le secret statistique (seuil {seuil}) : les cases masquées portent « s » ; la feuille « Secret statistique » du classeur et la page Vue communale (mode publication) en donnent le décompte.")
                }
            }}</p>
            <p class="fr-text--sm">"Les fichiers CSV suivent les conventions françaises : séparateur « ; », virgule décimale, UTF-8 avec BOM pour Excel ; les cellules commençant par =, +, - ou @ sont neutralisées."</p>
        </section>
    }
}

/// Every parameter of SPEC §3 with its value, in French.
#[component]
fn TableParametres(p: Parametres) -> impl IntoView {
    let mode = match p.rotation.mode {
        ModeRotation::Unique => "taux unique".to_owned(),
        ModeRotation::ParCategorie => "par catégorie de réservataire".to_owned(),
        ModeRotation::ParSegment => format!("par segment ({:?})", p.rotation.par_segment.cle).to_lowercase(),
        ModeRotation::Observe => "taux observé du fichier".to_owned(),
    };
    let taux_table = |v: Vec<(String, f64)>| if v.is_empty() { "—".to_owned() } else {
        v.into_iter().map(|(k, t)| format!("{k} {}", percent(t, 1))).collect::<Vec<_>>().join(", ")
    };
    let lignes: Vec<(&str, String)> = vec![
        ("Date de conversion", p.date_conversion.format("%d/%m/%Y").to_string()),
        ("Taux de rotation", mode),
        ("Taux unique", percent(p.rotation.taux_unique, 1)),
        ("Taux par catégorie", taux_table(p.rotation.par_categorie.iter().map(|(c, t)| (c.libelle().to_owned(), *t)).collect())),
        ("Taux par segment", taux_table(p.rotation.par_segment.taux.iter().map(|(k, t)| (k.clone(), *t)).collect())),
        ("Durée retenue sans date de fin", format!("{} ans", decimal(p.duree_sans_terme_ans, 0))),
        ("Part du flux", match p.methode_part { MethodePart::PartDuParc => "part du parc".into(), MethodePart::Annualisation => format!("annualisation sur {} ans", decimal(p.horizon_ans, 0)) }),
        ("Part de l'État", format!("{} dont agents {}", percent(p.etat.part_totale, 1), percent(p.etat.part_agents, 1))),
        ("Prélèvements annuels", p.prelevements_annuels.resume()),
        ("Mises en service (logements neufs, année de première location)", p.mises_en_service.resume()),
        ("Dépassement", match p.depassement { Depassement::Proportionnel => "réduction proportionnelle".into(), Depassement::Priorite => format!("priorité : {}", p.priorite.join(", ")) }),
        ("Arrondi", p.arrondi.libelle().into()),
        ("Motifs hors assiette retirés", Motif::TOUS.iter().filter(|m| p.exclut(**m)).map(|m| m.libelle()).collect::<Vec<_>>().join(", ")),
        ("Secret statistique", if p.secret_statistique == 0 { "désactivé".into() } else { format!("effectifs < {}", p.secret_statistique) }),
        ("Arrondissements PLM regroupés", if p.regroupement_plm { "oui" } else { "non" }.into()),
    ];
    view! {
        <div class="fr-table fr-table--sm fr-table--no-scroll" data-testid="rapport-parametres"><table>
            <tbody>{lignes.into_iter().map(|(k, v)| view! { <tr><th scope="row">{k}</th><td>{v}</td></tr> }).collect_view()}</tbody>
        </table></div>
    }
}

//! Page « Vue communale »: the aggregated état des lieux to share with all réservataires (seed,
//! « Zoom sur l'état des lieux »; SPEC §5) — per commune across all bailleurs of the file, rolled up
//! per EPCI/EPT and département, searchable, sortable, filterable. In « publication » mode every
//! table and download applies the session's mask, decided by `domain::secret` (SPEC §5 v2: small
//! counts, the values derived from them, complementary cells): this page only shows « s » where it
//! says so, and its counts. It never shows a `rpls` or an address: the engine's communal view does
//! not hold them.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::carte::{dessiner_carte, CarteCommunes};
use super::graphiques::BarresValeurs;
use super::navigateur::telecharger;
use super::state::{Session, VueAffichee};
use super::{Pagination, SansResultats, PAR_PAGE};
use crate::carte::communale::donnees as donnees_carte;
use crate::carte::ColonneCarte;
use crate::domain::agregation::{Indicateur, LigneCommunale};
use crate::domain::model::{Motif, FINANCEMENTS, TYPOLOGIES};
use crate::domain::secret::{Colonne, Masque, MasqueNiveau};
use crate::domain::{Agregat, Categorie};
use crate::export::explication_secret;
use crate::format::{decimal, integer};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Niveau {
    Communes,
    Epci,
    Departements,
}

/// Which group of columns is shown besides the always-present ones.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Groupe {
    Assiette,
    Reserves,
    Volumes,
    Attendus,
    Composition,
}

#[component]
pub fn PageCommunes() -> impl IntoView {
    let s = expect_context::<Session>();
    let niveau = RwSignal::new(Niveau::Communes);
    let groupe = RwSignal::new(Groupe::Assiette);
    let recherche = RwSignal::new(String::new());
    let departement = RwSignal::new(String::new());
    let epci = RwSignal::new(String::new());
    let tri = RwSignal::new(Indicateur::Logements);
    let publication = RwSignal::new(true);
    let page = RwSignal::new(0usize);
    let colonne_carte = RwSignal::new(ColonneCarte::Indicateur(Indicateur::Logements));
    // Any change of the selection goes back to the first page.
    Effect::new(move |_| {
        (niveau.track(), recherche.track(), departement.track(), epci.track(), tri.track());
        page.set(0);
    });

    view! {
        <h1 class="fr-h2">"Vue communale agrégée"</h1>
        <p>"L'état des lieux agrégé à l'échelle communale, tous bailleurs du fichier confondus, à transmettre simultanément à tous les réservataires pour les aider à définir leurs besoins (protocole Île-de-France). Il ne contient aucun identifiant RPLS ni adresse."</p>
        {move || match s.vue_communale() {
            None => view! { <SansResultats/> }.into_any(),
            Some(source) => {
                let seuil = s.parametres.with(|p| p.secret_statistique);
                let vue = source.vue();
                let consultation = matches!(source, VueAffichee::Publiee(_));
                let noms_epci: HashMap<String, String> = vue.epci.iter().map(|e| (e.code.clone(), e.nom.clone())).collect();
                let lignes: Vec<LigneCommunale> = match niveau.get() {
                    Niveau::Communes => vue.communes.clone(),
                    Niveau::Epci => vue.epci.clone(),
                    Niveau::Departements => vue.departements.clone(),
                };
                let departements: Vec<(String, String)> = vue.departements.iter().map(|d| (d.code.clone(), d.nom.clone())).collect();
                let epcis: Vec<(String, String)> = vue.epci.iter().map(|e| (e.code.clone(), e.nom.clone())).collect();
                let filtre_epci = epci.get();
                let q = recherche.get().to_lowercase();
                let dep = departement.get();
                let mut choisies: Vec<LigneCommunale> = lignes
                    .into_iter()
                    .filter(|l| dep.is_empty() || l.departement == dep)
                    // The EPCI/EPT filter applies to communes (their `epci`) and to EPCI rows (their code).
                    .filter(|l| filtre_epci.is_empty() || l.epci == filtre_epci || l.code == filtre_epci)
                    .filter(|l| q.is_empty() || l.code.to_lowercase().contains(&q) || l.nom.to_lowercase().contains(&q))
                    .collect();
                let indicateur = tri.get();
                choisies.sort_by(|a, b| b.agregat.valeur(indicateur).total_cmp(&a.agregat.valeur(indicateur)).then(a.code.cmp(&b.code)));
                let total = choisies.len();
                let pages = total.div_ceil(PAR_PAGE).max(1);
                let numero = page.get().min(pages - 1);
                let barres: Vec<(String, f64)> = choisies.iter().take(15)
                    .map(|l| (if l.nom.is_empty() { l.code.clone() } else { l.nom.clone() }, l.agregat.valeur(indicateur)))
                    .collect();
                let affichees: Vec<LigneCommunale> = choisies.iter().skip(numero * PAR_PAGE).take(PAR_PAGE).cloned().collect();
                let niveau_choisi = niveau.get();
                // The mask is read (and so computed) only in publication mode.
                // In consultation mode, the published file's own « s » cells.
                let masque: Option<Arc<Masque>> = match &source {
                    VueAffichee::Publiee(v) => Some(Arc::new(v.masque.clone())),
                    VueAffichee::Calculee(_) if publication.get() => s.masque_ok(),
                    VueAffichee::Calculee(_) => None,
                };
                let niveau_nom = match niveau_choisi { Niveau::Communes => "commune", Niveau::Epci => "epci", Niveau::Departements => "departement" };
                let export = choisies.clone();
                let masque_export = masque.clone();
                view! {
                    <Filtres niveau groupe recherche departement epci tri publication consultation departements epcis seuil/>
                    {match (&source, &masque) {
                        (VueAffichee::Publiee(v), _) => view! {
                            <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-2w" data-testid="consultation-vue">
                                <p>{format!("Vue publiée, en lecture seule : {}. Les cases « s » sont couvertes par le secret statistique du fichier publié.", super::consultation::resume(v))}</p>
                            </div>
                        }.into_any(),
                        (_, Some(m)) => view! { <NoteSecret masque=m.clone()/><Publier masque=m.clone() colonne=colonne_carte/> }.into_any(),
                        (_, None) => view! {
                            <div class="fr-alert fr-alert--warning fr-alert--sm fr-mb-2w" data-testid="mode-detaille">
                                <p>"Mode détaillé : effectifs exacts, sans secret statistique. Réservé à l'usage interne : activez le mode publication avant toute diffusion."</p>
                            </div>
                        }.into_any(),
                    }}
                    <p>
                        <button class="fr-btn fr-btn--secondary" type="button" data-testid="exporter-communes-csv"
                            on:click=move |_| {
                                let vide = MasqueNiveau::default();
                                let m = masque_export.as_deref().map_or(&vide, |m| niveau_de(m, niveau_choisi));
                                telecharger(&format!("vue-{niveau_nom}.csv"), "text/csv;charset=utf-8", &crate::export::vue_csv(&export, niveau_nom, m))
                            }>
                            "Télécharger cette vue (CSV)"
                        </button>
                    </p>
                    <p class="fr-text--sm" data-testid="nombre-lignes">{format!("{} ligne(s)", integer(total as i64))}</p>
                    <BarresValeurs titre=format!("{} — les 15 premières lignes", indicateur.libelle()) barres decimales=indicateur.decimales()/>
                    <Tableau lignes=affichees groupe=groupe.get() masque noms_epci niveau=niveau_choisi/>
                    <Pagination page pages numero/>
                }.into_any()
            }
        }}
        <CarteVue publication colonne=colonne_carte/>
    }
}

/// The communes map of the view (SPEC §9 « A map »), in its own reactive scope: it follows the
/// view, its column and the publication mode, not the table's search, filters or page, so typing in
/// the search box does not redraw it. A maskable column shows the secret cells hatched.
#[component]
fn CarteVue(publication: RwSignal<bool>, colonne: RwSignal<ColonneCarte>) -> impl IntoView {
    let s = expect_context::<Session>();
    // The section (and its select, which must keep the keyboard focus while the user steps through
    // the columns) is rebuilt only when a view appears or disappears; the map alone follows it.
    let presente = Memo::new(move |_| s.vue_communale().is_some());
    move || presente.get().then(|| view! {
        <section class="fr-mt-4w" aria-labelledby="titre-carte" data-testid="carte-vue">
            <h2 class="fr-h4" id="titre-carte">"Carte des communes"</h2>
            <div class="fr-select-group">
                <label class="fr-label" for="colonne-carte">"Valeur cartographiée"</label>
                <select class="fr-select" id="colonne-carte" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(c) = ColonneCarte::toutes().into_iter().find(|c| c.libelle() == v) { colonne.set(c) }
                }>
                    {ColonneCarte::toutes().into_iter().map(|c| view! { <option value=c.libelle() selected=move || colonne.get() == c>{c.libelle()}</option> }).collect_view()}
                </select>
            </div>
            {move || s.vue_communale().and_then(|source| {
                let choisie = colonne.get();
                // A maskable column in publication mode needs the mask: without it, no map (never
                // the exact values).
                let masque: Option<Arc<Masque>> = match (&source, choisie.masquable()) {
                    (_, None) => None,
                    (VueAffichee::Publiee(v), Some(_)) => Some(Arc::new(v.masque.clone())),
                    (VueAffichee::Calculee(_), Some(_)) if publication.get() => Some(s.masque_ok()?),
                    (VueAffichee::Calculee(_), Some(_)) => None,
                };
                let valeurs = donnees_carte(&source.vue().communes, choisie, masque.as_deref().map(|m| &m.communes));
                let plm = s.parametres.with(|p| p.regroupement_plm);
                Some(view! { <CarteCommunes valeurs colonne=choisie.libelle() decimales=choisie.decimales() regroupement_plm=plm id="carte-vue"/> })
            })}
        </section>
    })
}

/// The mask of one level of the view.
fn niveau_de(m: &Masque, niveau: Niveau) -> &MasqueNiveau {
    match niveau {
        Niveau::Communes => &m.communes,
        Niveau::Epci => &m.epci,
        Niveau::Departements => &m.departements,
    }
}

/// « 1 case masquée », « 3 cases masquées ».
fn cases(n: u64, singulier: &str, pluriel: &str) -> String {
    format!("{} {}", integer(n as i64), if n > 1 { pluriel } else { singulier })
}

/// What publication mode masks, and why: the counts of the domain's mask (SPEC §5 v2), per reason
/// and per table, and the rule in French (the same as the exports' note).
#[component]
fn NoteSecret(masque: Arc<Masque>) -> impl IntoView {
    let m = masque;
    if m.seuil == 0 {
        return view! {
            <div class="fr-callout fr-mb-2w" data-testid="secret-statistique">
                <p class="fr-callout__text" data-testid="secret-total">"Secret statistique désactivé (seuil 0 dans les paramètres) : aucune case masquée."</p>
            </div>
        }
        .into_any();
    }
    view! {
        <div class="fr-callout fr-mb-2w" data-testid="secret-statistique">
            <h2 class="fr-callout__title fr-h6">"Secret statistique"</h2>
            <p class="fr-text--sm" data-testid="secret-total">
                <strong>{format!("{} sur l'ensemble des tableaux publiés", cases(u64::from(m.total()), "case masquée", "cases masquées"))}</strong>
                {format!(" (communes : {} ; EPCI / EPT : {} ; départements : {}) :", integer(m.communes.nombre() as i64), integer(m.epci.nombre() as i64), integer(m.departements.nombre() as i64))}
            </p>
            <ul class="fr-text--sm">
                <li data-testid="secret-primaires">{format!("{} : effectifs non nuls, sous le seuil de {}, de logements réservés d'une catégorie ou hors assiette d'un motif, dans une commune ou un EPCI / EPT ;",
                    cases(u64::from(m.primaires), "petit effectif", "petits effectifs"), m.seuil)}</li>
                <li data-testid="secret-derivees">{format!("{} : volume de droits et logements attendus par an calculés à partir d'un effectif masqué ;",
                    cases(u64::from(m.derivees), "valeur qui en découle", "valeurs qui en découlent"))}</li>
                <li data-testid="secret-complementaires">{format!("{} : masquées en plus pour qu'aucune case masquée ne puisse être retrouvée par différence avec un total de ligne ou un niveau supérieur (EPCI / EPT, département).",
                    cases(u64::from(m.complementaires), "case complémentaire", "cases complémentaires"))}</li>
            </ul>
            <p class="fr-text--xs fr-mb-0">{explication_secret(m.seuil)}
                " Les logements, l'assiette, les libérations estimées et les logements attendus pour l'État restent publics (données ouvertes RPLS)."</p>
        </div>
    }
    .into_any()
}

#[component]
fn Filtres(
    niveau: RwSignal<Niveau>,
    groupe: RwSignal<Groupe>,
    recherche: RwSignal<String>,
    departement: RwSignal<String>,
    epci: RwSignal<String>,
    tri: RwSignal<Indicateur>,
    publication: RwSignal<bool>,
    /// A published view: always masked, no toggle.
    consultation: bool,
    departements: Vec<(String, String)>,
    epcis: Vec<(String, String)>,
    seuil: u32,
) -> impl IntoView {
    let niveaux = [(Niveau::Communes, "Communes"), (Niveau::Epci, "EPCI / EPT"), (Niveau::Departements, "Départements")];
    let groupes = [
        (Groupe::Assiette, "Assiette"),
        (Groupe::Reserves, "Logements réservés"),
        (Groupe::Volumes, "Volumes de droits"),
        (Groupe::Attendus, "Logements attendus par an"),
        (Groupe::Composition, "Composition de l'assiette"),
    ];
    view! {
        <div class="fr-grid-row fr-grid-row--gutters fr-mb-2w">
            <div class="fr-col-12 fr-col-md-4">
                <fieldset class="fr-segmented fr-segmented--sm">
                    <legend class="fr-segmented__legend">"Niveau"</legend>
                    <div class="fr-segmented__elements">
                        {niveaux.into_iter().map(|(n, l)| {
                            let id = format!("niveau-{}", l.to_lowercase().replace([' ', '/'], ""));
                            view! {
                                <div class="fr-segmented__element">
                                    <input type="radio" name="niveau" id=id.clone() prop:checked=move || niveau.get() == n on:change=move |_| niveau.set(n)/>
                                    <label class="fr-label" for=id>{l}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
            </div>
            <div class="fr-col-12 fr-col-md-4 fr-input-group">
                <label class="fr-label" for="recherche-commune">"Rechercher (nom ou code)"</label>
                <input class="fr-input" type="search" id="recherche-commune" prop:value=move || recherche.get()
                    on:input=move |ev| recherche.set(event_target_value(&ev))/>
            </div>
            <div class="fr-col-12 fr-col-md-4 fr-select-group">
                <label class="fr-label" for="filtre-departement">"Département"</label>
                <select class="fr-select" id="filtre-departement" on:change=move |ev| departement.set(event_target_value(&ev))>
                    <option value="" selected=move || departement.get().is_empty()>"Tous"</option>
                    {departements.into_iter().map(|(code, nom)| {
                        let c = code.clone();
                        view! { <option value=code.clone() selected=move || departement.get() == c>{format!("{code} {nom}")}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="fr-col-12 fr-col-md-4 fr-select-group">
                <label class="fr-label" for="filtre-epci">"EPCI / EPT"</label>
                <select class="fr-select" id="filtre-epci" on:change=move |ev| epci.set(event_target_value(&ev))>
                    <option value="" selected=move || epci.get().is_empty()>"Tous"</option>
                    {epcis.into_iter().map(|(code, nom)| {
                        let c = code.clone();
                        view! { <option value=code selected=move || epci.get() == c>{nom}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="fr-col-12 fr-col-md-4 fr-select-group">
                <label class="fr-label" for="colonnes">"Colonnes"</label>
                <select class="fr-select" id="colonnes" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some((g, _)) = groupes.iter().find(|(_, l)| *l == v) { groupe.set(*g) }
                }>
                    {groupes.into_iter().map(|(g, l)| view! { <option value=l selected=move || groupe.get() == g>{l}</option> }).collect_view()}
                </select>
            </div>
            <div class="fr-col-12 fr-col-md-4 fr-select-group">
                <label class="fr-label" for="tri">"Trier par (décroissant)"</label>
                <select class="fr-select" id="tri" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(i) = Indicateur::TOUS.into_iter().find(|i| i.libelle() == v) { tri.set(i) }
                }>
                    {Indicateur::TOUS.into_iter().map(|i| view! { <option value=i.libelle() selected=move || tri.get() == i>{i.libelle()}</option> }).collect_view()}
                </select>
            </div>
            <div class="fr-col-12 fr-col-md-4" hidden=consultation>
                <div class="fr-toggle">
                    <input type="checkbox" class="fr-toggle__input" id="publication" prop:checked=move || publication.get()
                        on:change=move |ev| publication.set(event_target_checked(&ev))/>
                    <label class="fr-toggle__label" for="publication">"Mode publication"</label>
                    <p class="fr-hint-text">{format!("Secret statistique : seuil {seuil} (paramètre).")}</p>
                </div>
            </div>
        </div>
    }
}

/// One cell of the table: a value, or masked by the domain's mask.
enum Case {
    Valeur(String),
    Secret,
}

#[component]
fn Tableau(lignes: Vec<LigneCommunale>, groupe: Groupe, masque: Option<Arc<Masque>>, noms_epci: HashMap<String, String>, niveau: Niveau) -> impl IntoView {
    let compte = |n: u32| integer(i64::from(n));
    let categories: Vec<Categorie> = Categorie::RESERVANTES.to_vec();
    // Each column: its value, and the maskable column it is (if any) — whether it is masked is the
    // domain's decision.
    type Colonnes = Box<dyn Fn(&Agregat) -> Vec<(String, Option<Colonne>)>>;
    let (entetes, cellules): (Vec<String>, Colonnes) = match groupe {
        Groupe::Assiette => (
            Motif::TOUS.iter().map(|m| format!("Hors assiette : {}", m.libelle())).chain(["Assiette".into(), "Libérations / an".into(), "Flux / an".into()]).collect(),
            Box::new(move |a: &Agregat| {
                Motif::TOUS.iter().map(|&m| (compte(a.hors_assiette[m as usize]), Some(Colonne::HorsAssiette(m))))
                    .chain([(compte(a.assiette), None), (decimal(a.liberations, 1), None), (decimal(a.flux, 1), None)])
                    .collect()
            }),
        ),
        Groupe::Reserves => (
            categories.iter().map(|c| c.libelle().to_owned()).collect(),
            Box::new(move |a: &Agregat| Categorie::RESERVANTES.iter().map(|&c| (compte(a.reserves[c as usize]), Some(Colonne::Reserves(c)))).collect()),
        ),
        Groupe::Volumes => (
            categories.iter().map(|c| c.libelle().to_owned()).collect(),
            Box::new(move |a: &Agregat| Categorie::RESERVANTES.iter().map(|&c| (decimal(a.volume[c as usize], 1), Some(Colonne::Volume(c)))).collect()),
        ),
        Groupe::Attendus => (
            categories.iter().map(|c| c.libelle().to_owned()).chain(["Bailleur".into()]).collect(),
            Box::new(move |a: &Agregat| {
                Categorie::RESERVANTES.iter().chain([&Categorie::Bailleur]).map(|&c| (decimal(a.attendus[c as usize], 1), Some(Colonne::Attendus(c)))).collect()
            }),
        ),
        Groupe::Composition => (
            TYPOLOGIES.iter().skip(1).map(|t| t.to_string())
                .chain(FINANCEMENTS.iter().skip(1).map(|f| f.to_string()))
                .chain(["QPV".into(), "Hors QPV".into()]).collect(),
            Box::new(move |a: &Agregat| a.typologie.iter().skip(1).chain(a.financement.iter().skip(1)).chain(a.qpv.iter().skip(1)).map(|&n| (compte(n), None)).collect()),
        ),
    };
    let vide = MasqueNiveau::default();
    let niveau_masque = masque.as_deref().map_or(&vide, |m| niveau_de(m, niveau));
    let lignes: Vec<(LigneCommunale, Vec<Case>)> = lignes
        .into_iter()
        .map(|l| {
            let valeurs = cellules(&l.agregat)
                .into_iter()
                .map(|(v, c)| if c.is_some_and(|c| niveau_masque.masque(&l.code, c)) { Case::Secret } else { Case::Valeur(v) })
                .collect();
            (l, valeurs)
        })
        .collect();
    view! {
        <div class="fr-table fr-table--sm fr-table--bordered" data-testid="vue-communale">
            <table tabindex="0">
                <caption class="fr-sr-only">"Vue communale agrégée"</caption>
                <thead><tr>
                    <th scope="col">"Code"</th><th scope="col">"Nom"</th>
                    {(niveau == Niveau::Communes).then(|| view! { <th scope="col">"EPCI / EPT"</th> })}
                    <th scope="col">"Logements"</th>
                    {entetes.into_iter().map(|e| view! { <th scope="col">{e}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {lignes.into_iter().map(|(l, valeurs)| {
                        let epci = noms_epci.get(&l.epci).cloned().unwrap_or_default();
                        view! {
                            <tr data-code=l.code.clone()>
                                <td>{l.code.clone()}</td><th scope="row">{l.nom.clone()}</th>
                                {(niveau == Niveau::Communes).then(|| view! { <td>{epci}</td> })}
                                <td class="nombre">{compte(l.agregat.logements)}</td>
                                {valeurs.into_iter().map(|v| match v {
                                    Case::Valeur(v) => view! { <td class="nombre">{v}</td> }.into_any(),
                                    // The same marker for every masked cell (SPEC §5 v2), read out in full.
                                    Case::Secret => view! {
                                        <td class="nombre secret" title="secret statistique">
                                            <span aria-hidden="true">"s"</span><span class="fr-sr-only">"secret statistique"</span>
                                        </td>
                                    }.into_any(),
                                }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// « Publier » (SPEC §9): the publication page — one self-contained HTML file for the DRIHL site,
/// with the view under the mask shown here — and its JSON twin, which the consultation mode opens.
#[component]
fn Publier(masque: Arc<Masque>, colonne: RwSignal<ColonneCarte>) -> impl IntoView {
    let s = expect_context::<Session>();
    let m2 = masque.clone();
    view! {
        <div class="fr-btns-group fr-btns-group--inline-md fr-mb-2w">
            <button class="fr-btn" type="button" data-testid="publier"
                on:click=move |_| {
                    let Some(r) = s.resultats_ok() else { return };
                    let p = s.parametres.get_untracked();
                    let masque = masque.clone();
                    let colonne = colonne.get_untracked();
                    spawn_local(async move {
                        // The map shown on this page, drawn by the map's worker; without it (it
                        // failed), the page has no map section.
                        let demande = crate::export::publication::demande_carte(&r.communes, &masque, colonne, &p);
                        let carte = dessiner_carte(demande).await.ok().and_then(crate::export::publication::carte_publiee);
                        let html = crate::export::publication::page(&crate::export::publication::Publication {
                            vue: &r.communes,
                            masque: &masque,
                            parametres: &p,
                            date: super::navigateur::aujourdhui(),
                            carte: carte.as_deref(),
                        });
                        telecharger("publication-vue-communale.html", "text/html;charset=utf-8", html.as_bytes());
                    });
                }>
                "Publier : page HTML autonome"
            </button>
            <button class="fr-btn fr-btn--secondary" type="button" data-testid="publier-json"
                on:click=move |_| {
                    let Some(r) = s.resultats_ok() else { return };
                    let json = s.parametres.with_untracked(|p| crate::export::publication::json(&r.communes, &m2, p));
                    telecharger("vue_communale.json", "application/json", json.as_bytes());
                }>
                "Vue publiée (JSON, pour la consultation)"
            </button>
        </div>
    }
}

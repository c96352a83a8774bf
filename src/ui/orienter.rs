//! Page « Orienter un logement » (SPEC §8): the orientation aid, advisory only. One logement picked
//! by `rpls`, commune or programme and a date → the parties of its convention ranked, each with the
//! engine's reason; a list of vacancies from a file → one proposal per vacancy, in date order, each
//! counting for the next (the same files as `flux orienter`); the orientations awaiting a
//! designation with their deadline. Every rank, lag, verdict and sentence comes from
//! `domain::orientation`; the search from `domain::recherche`.

use std::sync::Arc;

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::donnees::ListeLignes;
use super::navigateur::{apres_peinture, aujourdhui, ecrire_xlsx, lire_fichier, telecharger};
use super::state::{Lecture, Lu, Session};
use super::{Pagination, SansResultats, PAR_PAGE};
use crate::domain::orientation::{anterieures, date_par_defaut, Aide, Attente, Contexte, Situation, Vacance};
use crate::domain::recherche::{chercher, fiche, Recherche};
use crate::domain::suivi::{suivre, Mouvement, Suivi};
use crate::domain::Resultats;
use crate::export::orientation::{attentes_csv, date_fr, feuilles_orientations, orientations_csv};
use crate::format::{decimal, integer};
use crate::import::vacants::{self, Champ, ImportVacants, OptionsVacants};
use crate::import::{Format, Rejet};

const TYPE_CSV: &str = "text/csv;charset=utf-8";
const TYPE_XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// Logements listed by the search.
const RESULTATS_MAX: usize = 10;

/// What the aid is computed on: the mouvements followed and their follow-up (empty without
/// mouvements), and the aid's [`Situation`] built from them once.
pub struct Base {
    pub suivi: Lu<(Arc<Vec<Mouvement>>, Suivi)>,
    pub situation: Situation,
}

impl Base {
    fn mouvements(&self) -> &[Mouvement] {
        &self.suivi.0 .0
    }
    fn suivi(&self) -> &Suivi {
        &self.suivi.0 .1
    }
}

/// A vacancies file the user loaded.
#[derive(Clone)]
pub struct FichierVacances {
    pub nom: String,
    pub octets: Arc<Vec<u8>>,
}

/// A vacancies file read against the current état des lieux, or the French message of its failure.
pub type VacancesLues = Result<Lu<ImportVacants>, String>;

/// The list of vacancies oriented, with what it was computed from: each vacancy's proposal only
/// (the first party, when eligible, with its reason).
#[derive(Clone)]
pub struct Liste {
    pub base: Lu<Base>,
    pub vacances: Lu<ImportVacants>,
    pub aides: Arc<Vec<Aide>>,
}

impl Liste {
    /// The list again with every party ranked and its reason, for the files (`flux orienter`'s).
    fn complete(&self, s: Session, r: &Resultats) -> Option<Vec<Aide>> {
        let Some(Lecture::Lu(etat)) = s.lecture.get_untracked() else { return None };
        Some(s.parametres.with_untracked(|p| Contexte::avec(&etat.dataset, p, r, &self.base.situation).orienter_liste(&self.vacances.vacances)))
    }
}

impl PartialEq for Liste {
    fn eq(&self, autre: &Self) -> bool {
        self.base == autre.base && self.vacances == autre.vacances && Arc::ptr_eq(&self.aides, &autre.aides)
    }
}

/// The page's state, kept while the user visits other pages (provided by `Application`).
#[derive(Clone, Copy)]
pub struct Orientation {
    /// Built when first read (the page open), again only when the results, the mouvements or the
    /// parameters change — never per click.
    pub base: Memo<Option<Lu<Base>>>,
    pub requete: RwSignal<String>,
    /// The logement picked: its identifier (checked again against the current état des lieux) and
    /// its index.
    pub choisi: RwSignal<Option<(String, u32)>>,
    /// `None`: the default date ([`date_par_defaut`]).
    pub date: RwSignal<Option<NaiveDate>>,
    pub fichier: RwSignal<Option<FichierVacances>>,
    pub vacances: Memo<Option<VacancesLues>>,
    pub liste: RwSignal<Option<Liste>>,
    /// Vacancies being oriented (the message shown meanwhile).
    pub en_cours: RwSignal<Option<usize>>,
    /// Id of the last list computation started (a newer one makes an older one stop).
    pub tache: RwSignal<u64>,
}

impl Orientation {
    pub fn new(s: Session) -> Orientation {
        let base = Memo::new(move |_| {
            let Some(Lecture::Lu(etat)) = s.lecture.get() else { return None };
            let r = s.resultats_ok()?;
            s.parametres.with(|p| {
                let suivi = s.suivi.get().unwrap_or_else(|| Lu(Arc::new((Arc::new(Vec::new()), suivre(&etat.dataset, p, &r, &[])))));
                let situation = Situation::new(&etat.dataset, p, &r, &suivi.0 .0, &suivi.0 .1);
                Some(Lu(Arc::new(Base { suivi, situation })))
            })
        });
        let fichier = RwSignal::new(None::<FichierVacances>);
        let vacances = Memo::new(move |_| {
            let Some(Lecture::Lu(etat)) = s.lecture.get() else { return None };
            let f = fichier.get()?;
            Some(vacants::lire(&f.octets, &OptionsVacants::default(), &etat.dataset).map(|v| Lu(Arc::new(v))).map_err(|e| format!("Lecture impossible : {e}.")))
        });
        Orientation {
            base,
            requete: RwSignal::new(String::new()),
            choisi: RwSignal::new(None),
            date: RwSignal::new(None),
            fichier,
            vacances,
            liste: RwSignal::new(None),
            en_cours: RwSignal::new(None),
            tache: RwSignal::new(0),
        }
    }
}

/// The date of one vacancy: the one typed, else the default (the last orientation of the
/// mouvements, else today; never before the conversion year).
fn date_effective(o: Orientation, base: &Base, r: &Resultats) -> NaiveDate {
    o.date.get().unwrap_or_else(|| date_par_defaut(base.mouvements(), r.premiere_annee, aujourdhui()))
}

#[component]
pub fn PageOrienter() -> impl IntoView {
    let s = expect_context::<Session>();
    let o = expect_context::<Orientation>();
    lancer_liste(s, o);
    let delai = move || s.parametres.with(|p| p.suivi.delai_designation_jours);
    view! {
        <h1 class="fr-h2">"Orienter un logement"</h1>
        <div class="fr-callout fr-mb-4w" data-testid="orienter-avis">
            <h2 class="fr-callout__title">"Une aide indicative : le bailleur décide"</h2>
            <p class="fr-callout__text">
                "Le classement est une pré-orientation indicative, « suivant l'atteinte des objectifs fixés au sein des conventions » : "
                "la partie la plus en retard sur son objectif de l'année au prorata de la date vient d'abord. "
                "L'orientation du logement reste de la responsabilité du bailleur. "
                "Les critères ne conduisent jamais à identifier un programme à un réservataire : au sein d'un programme, une partie n'est pas proposée pour plus de vacances que sa part du flux (arrondie au-dessus) sur trois ans. "
                {move || format!("Le réservataire dispose de {} jours pour proposer des candidats.", delai())}
            </p>
        </div>
        {move || match (s.resultats_ok(), o.base.get()) {
            (Some(r), Some(base)) => view! { <Contenu r base/> }.into_any(),
            _ => view! { <SansResultats/> }.into_any(),
        }}
    }
}

#[component]
fn Contenu(r: Arc<Resultats>, base: Lu<Base>) -> impl IntoView {
    let sans_mouvements = base.mouvements().is_empty();
    view! {
        {sans_mouvements.then(|| view! {
            <div class="fr-alert fr-alert--info fr-mb-3w" data-testid="orienter-sans-mouvements">
                <p>"Aucun mouvement chargé : rien n'est encore décompté, et le retard de chaque partie est son objectif de l'année au prorata de la date. Ajoutez les mouvements de l'année dans l'onglet « Suivi de l'année » pour tenir compte des orientations déjà faites."</p>
            </div>
        })}
        <UnLogement r=r.clone() base=base.clone()/>
        <Vacances r=r.clone()/>
        <Attentes r base/>
    }
}

// ---------------------------------------------------------------------------------------------
// One logement

#[component]
fn UnLogement(r: Arc<Resultats>, base: Lu<Base>) -> impl IntoView {
    let s = expect_context::<Session>();
    let o = expect_context::<Orientation>();
    let recherche = Memo::new(move |_| -> Recherche {
        let q = o.requete.get();
        let Some(etat) = s.import() else { return Recherche::default() };
        let geo = s.geographie.get();
        chercher(&etat.dataset, &q, geo.as_deref().map(|g| g as &dyn crate::domain::Geographie), RESULTATS_MAX)
    });
    let date = {
        let (base, r) = (base.clone(), r.clone());
        move || date_effective(o, &base, &r)
    };
    let d2 = date.clone();
    view! {
        <section class="fr-mb-6w" data-testid="orienter-un">
            <h2 class="fr-h4">"Un logement vacant"</h2>
            <div class="fr-grid-row fr-grid-row--gutters">
                <div class="fr-col-12 fr-col-md-8">
                    <div class="fr-input-group">
                        <label class="fr-label" for="orienter-recherche">"Rechercher un logement de l'état des lieux"
                            <span class="fr-hint-text">"Identifiant RPLS, commune (code INSEE ou nom) ou programme — deux caractères au moins."</span>
                        </label>
                        <input class="fr-input" type="search" id="orienter-recherche" data-testid="orienter-recherche" autocomplete="off"
                            prop:value=move || o.requete.get()
                            on:input=move |ev| o.requete.set(event_target_value(&ev))/>
                    </div>
                </div>
                <div class="fr-col-12 fr-col-md-4">
                    <div class="fr-input-group">
                        <label class="fr-label" for="orienter-date">"Date de la vacance"
                            <span class="fr-hint-text">"Par défaut, la date de la dernière orientation des mouvements chargés (sinon aujourd'hui), au plus tôt le 1er janvier de l'année de conversion."</span>
                        </label>
                        <input class="fr-input" type="date" id="orienter-date" data-testid="orienter-date"
                            prop:value=move || d2().format("%Y-%m-%d").to_string()
                            on:change=move |ev| o.date.set(NaiveDate::parse_from_str(&event_target_value(&ev), "%Y-%m-%d").ok())/>
                    </div>
                </div>
            </div>
            <Trouves recherche/>
            <Classement r base date=Signal::derive(date)/>
        </section>
    }
}

/// The logements found, each with a button to pick it.
#[component]
fn Trouves(recherche: Memo<Recherche>) -> impl IntoView {
    let s = expect_context::<Session>();
    let o = expect_context::<Orientation>();
    move || {
        let x = recherche.get();
        let q = o.requete.with(|q| q.trim().to_owned());
        if q.is_empty() {
            return None;
        }
        if x.total == 0 {
            return Some(view! { <p class="fr-text--sm" data-testid="orienter-aucun">{format!("Aucun logement trouvé pour « {q} ».")}</p> }.into_any());
        }
        let etat = s.import()?;
        let ds = &etat.dataset;
        let geo = s.geographie.get();
        let nom = |code: &str| geo.as_ref().and_then(|g| g.commune(code)).map(|c| format!("{code} {}", c.nom)).unwrap_or_else(|| code.to_owned());
        let legende = if x.total > x.trouves.len() {
            format!("{} logements trouvés, les {} premiers (précisez la recherche)", integer(x.total as i64), x.trouves.len())
        } else {
            format!("{} logement(s) trouvé(s)", integer(x.total as i64))
        };
        let lignes = x
            .trouves
            .iter()
            .map(|t| {
                let f = fiche(ds, t.logement);
                let l = t.logement;
                let rpls = f.rpls.clone();
                view! {
                    <tr data-rpls=f.rpls.clone()>
                        <th scope="row">{f.rpls.clone()}</th>
                        <td>{nom(&f.commune)}</td>
                        <td>{f.programme.clone().unwrap_or_else(|| "—".into())}</td>
                        <td>{format!("{} {}", f.typologie, f.financement)}</td>
                        <td>{format!("{} ({})", f.bailleur, f.departement)}</td>
                        <td>{t.critere.libelle()}</td>
                        <td><button class="fr-btn fr-btn--sm fr-btn--secondary" type="button" data-testid="orienter-choisir"
                            aria-label=format!("Choisir le logement {}", f.rpls)
                            on:click=move |_| o.choisi.set(Some((rpls.clone(), l)))>"Choisir"</button></td>
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <div class="fr-table fr-table--sm fr-mb-2w" data-testid="orienter-resultats">
                <table tabindex="0">
                    <caption>{legende}</caption>
                    <thead><tr>
                        <th scope="col">"Logement (RPLS)"</th><th scope="col">"Commune"</th><th scope="col">"Programme"</th>
                        <th scope="col">"Typologie, financement"</th><th scope="col">"Bailleur (département)"</th><th scope="col">"Trouvé par"</th><th scope="col">""</th>
                    </tr></thead>
                    <tbody>{lignes}</tbody>
                </table>
            </div>
        }.into_any())
    }
}

/// The ranking of the logement picked, at the date.
#[component]
fn Classement(r: Arc<Resultats>, base: Lu<Base>, date: Signal<NaiveDate>) -> impl IntoView {
    let s = expect_context::<Session>();
    let o = expect_context::<Orientation>();
    let r2 = r.clone();
    let aide = Memo::new(move |_| -> Option<Aide> {
        let (rpls, l) = o.choisi.get()?;
        let etat = s.import()?;
        let ds = &etat.dataset;
        // The logement of another état des lieux is forgotten.
        if l as usize >= ds.len() || ds.rpls.get(l as usize) != rpls {
            return None;
        }
        let v = Vacance { logement: l, date: date.get(), ligne: 0 };
        Some(s.parametres.with(|p| Contexte::avec(ds, p, &r, &base.situation).orienter(v)))
    });
    move || {
        let a = aide.get()?;
        let etat = s.import()?;
        let f = fiche(&etat.dataset, a.logement);
        let per = r2.perimetres.get(a.perimetre)?;
        let nom_commune = s.geographie.with(|g| g.as_ref().and_then(|g| g.commune(&a.commune)).map(|c| c.nom.clone()).unwrap_or_default());
        let premiere = a.premiere().map(|p| p.partie);
        let caption = format!("Parties de la convention {} ({}) classées pour le logement {} au {}", per.bailleur, per.departement, a.rpls, date_fr(a.date));
        Some(view! {
            <div class="fiche-logement fr-p-2w fr-mb-3w" data-testid="orienter-fiche">
                <h3 class="fr-h5 fr-mb-1w">{format!("Logement {}", f.rpls)}</h3>
                <p class="fr-mb-0">
                    {format!("Commune {} {nom_commune} — {} {} — programme {} — convention {} ({})",
                        a.commune, f.typologie, f.financement, f.programme.clone().unwrap_or_else(|| "non renseigné".into()), per.bailleur, per.departement)}
                </p>
                {a.programme.is_none().then(|| view! {
                    <p class="fr-text--xs fr-mb-0 fr-mt-1w">"Programme non renseigné dans l'état des lieux : la règle du programme ne peut pas s'appliquer."</p>
                })}
            </div>
            {f.hors_assiette.map(|m| view! {
                <div class="fr-alert fr-alert--warning fr-alert--sm fr-mb-2w" data-testid="orienter-hors-assiette">
                    <p>{format!("Logement hors assiette dans l'état des lieux ({}) : sa vacance n'appartient pas au flux ; le classement n'est qu'indicatif.", m.libelle())}</p>
                </div>
            })}
            {match premiere {
                Some(k) => view! {
                    <p class="fr-mb-2w" data-testid="orienter-proposition">
                        "Proposition : " <strong>{per.parts[k].libelle()}</strong>
                    </p>
                }.into_any(),
                None => view! { <p class="fr-mb-2w" data-testid="orienter-proposition">"Aucune partie éligible."</p> }.into_any(),
            }}
            <div class="fr-table fr-table--sm" data-testid="orienter-classement">
                <table tabindex="0">
                    <caption>{caption}</caption>
                    <thead><tr>
                        <th scope="col">"Rang"</th><th scope="col">"Partie"</th><th scope="col">"Catégorie"</th>
                        <th scope="col">"Éligible"</th><th scope="col">"Retard (logements)"</th><th scope="col">"Raison"</th>
                    </tr></thead>
                    <tbody>
                        {a.propositions.iter().map(|p| {
                            let x = &per.parts[p.partie];
                            let proposee = premiere == Some(p.partie);
                            view! {
                                <tr class=if proposee { "orienter-proposee" } else { "" } data-partie=x.reservataire.clone() data-categorie=x.categorie.code()>
                                    <td class="nombre" data-col="rang">{p.rang}</td>
                                    <th scope="row">{x.libelle()}
                                        {proposee.then(|| view! { " " <span class="fr-badge fr-badge--info fr-badge--sm fr-badge--no-icon">"proposition"</span> })}
                                    </th>
                                    <td>{x.categorie.libelle()}</td>
                                    <td data-col="eligible">{if p.eligible {
                                        view! { <span class="fr-badge fr-badge--success fr-badge--sm fr-badge--no-icon">"oui"</span> }.into_any()
                                    } else {
                                        view! { <span class="fr-badge fr-badge--error fr-badge--sm fr-badge--no-icon">"non"</span> }.into_any()
                                    }}</td>
                                    <td class="nombre" data-col="retard">{decimal(p.retard, 2)}</td>
                                    <td class="fr-text--sm" data-col="raison">{p.raison.clone()}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="fr-text--xs">"Retard = objectif de l'année de la partie au prorata de la date − logements déjà décomptés cette année, sur toute la convention (positif : en retard). Les parties éligibles viennent d'abord, la plus en retard en tête (affinité indicative comprise) ; à égalité, le plus grand volume restant."</p>
        })
    }
}

// ---------------------------------------------------------------------------------------------
// A list of vacancies

/// Orients the list again whenever the vacancies or the aid's base change (while the page is open):
/// after a paint, so that the « en cours » message is seen; a newer computation makes an older
/// one stop.
fn lancer_liste(s: Session, o: Orientation) {
    Effect::new(move |_| {
        let (Some(base), Some(Ok(vacances))) = (o.base.get(), o.vacances.get()) else {
            o.liste.set(None);
            return;
        };
        if o.liste.with_untracked(|l| l.as_ref().is_some_and(|l| l.base == base && l.vacances == vacances)) {
            return;
        }
        o.tache.update(|t| *t += 1);
        let tache = o.tache.get_untracked();
        o.en_cours.set(Some(vacances.vacances.len()));
        spawn_local(async move {
            apres_peinture().await;
            if o.tache.get_untracked() != tache {
                return;
            }
            let (Some(Lecture::Lu(etat)), Some(r)) = (s.lecture.get_untracked(), s.resultats.get_untracked().and_then(Result::ok)) else { return };
            // The proposal of each vacancy only, with its reason (the files are written from the
            // list run again with every party's reason: see `TableListe`).
            let mut aides = s.parametres.with_untracked(|p| Contexte::avec(&etat.dataset, p, &r, &base.situation).raison_de_la_proposition_seule().orienter_liste(&vacances.vacances));
            for a in &mut aides {
                a.propositions.truncate(1);
                a.propositions.shrink_to_fit();
            }
            o.liste.set(Some(Liste { base, vacances, aides: Arc::new(aides) }));
            o.en_cours.set(None);
        });
    });
}

#[component]
fn Vacances(r: Arc<Resultats>) -> impl IntoView {
    let o = expect_context::<Orientation>();
    let erreur = RwSignal::new(None::<String>);
    let premiere_annee = r.premiere_annee;
    view! {
        <section class="fr-mb-6w" data-testid="orienter-liste">
            <h2 class="fr-h4">"Une liste de vacances"</h2>
            <p class="fr-text--sm">"Les vacances sont orientées dans l'ordre des dates, chacune comptant pour les suivantes comme si le bailleur suivait la proposition. Mêmes fichiers que la commande « flux orienter »."</p>
            <div class="depot fr-p-3w fr-mb-3w">
                <div class="fr-upload-group">
                    <label class="fr-label" for="fichier-vacances">"Fichier des vacances"
                        <span class="fr-hint-text">"Une ligne par logement vacant : rpls et date de la vacance (les autres colonnes sont ignorées). CSV, XLSX ou ODS."</span>
                    </label>
                    <input class="fr-upload" type="file" id="fichier-vacances" accept=".csv,.txt,.tsv,.xlsx,.xlsm,.ods,text/csv"
                        on:change=move |ev| {
                            let input: web_sys::HtmlInputElement = ev.target().unwrap().unchecked_into();
                            let Some(f) = input.files().and_then(|l| l.get(0)) else { return };
                            input.set_value("");
                            erreur.set(None);
                            spawn_local(async move {
                                let nom = f.name();
                                match lire_fichier(f).await {
                                    Ok(octets) => o.fichier.set(Some(FichierVacances { nom, octets: Arc::new(octets) })),
                                    Err(e) => erreur.set(Some(format!("« {nom} » : {e}"))),
                                }
                            });
                        }/>
                </div>
                <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm fr-mt-2w fr-mb-0">
                    <li><button class="fr-btn fr-btn--tertiary" type="button" data-testid="modele-vacances-csv"
                        on:click=|_| telecharger("modele-vacances.csv", TYPE_CSV, &crate::export::modele::modele_vacants_csv())>
                        "Modèle de fichier des vacances (CSV)"
                    </button></li>
                </ul>
            </div>
            {move || erreur.get().map(|e| view! {
                <div class="fr-alert fr-alert--error fr-mb-3w" role="alert"><p>{e}</p></div>
            })}
            {move || {
                let f = o.fichier.get()?;
                Some(match o.vacances.get()? {
                    Err(message) => view! {
                        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" data-testid="vacances-echec">
                            <h3 class="fr-alert__title">{format!("« {} » n'a pas pu être lu", f.nom)}</h3>
                            <p>{message}</p>
                        </div>
                    }.into_any(),
                    Ok(lu) => view! { <LectureVacances nom=f.nom.clone() lu premiere_annee/> }.into_any(),
                })
            }}
            {move || o.en_cours.get().map(|n| view! {
                <p class="fr-message fr-message--info" role="status" data-testid="vacances-en-cours">{format!("Orientation de {} vacance(s)…", integer(n as i64))}</p>
            })}
            {move || o.liste.get().map(|l| view! { <TableListe r=r.clone() liste=l/> })}
        </section>
    }
}

/// How the vacancies file was read: counts, rejects and warnings (those of the reader, and the
/// vacancies before the conversion year, as `flux orienter` writes them).
#[component]
fn LectureVacances(nom: String, lu: Lu<ImportVacants>, premiere_annee: i32) -> impl IntoView {
    let mut avertissements = lu.avertissements.clone();
    avertissements.extend(anterieures(&lu.vacances, premiere_annee).into_iter().map(|(ligne, motif)| Rejet { ligne: u64::from(ligne), colonne: Champ::Date.nom().into(), motif }));
    avertissements.sort_by_key(|a| a.ligne);
    let rejets = lu.rejets.clone();
    let a_rejets = !rejets.is_empty();
    let base_nom = nom.rsplit_once('.').map_or(nom.as_str(), |(n, _)| n).to_owned();
    let nom_rejets = format!("rejets-{base_nom}.csv");
    let lecture = match lu.format {
        Format::Csv => format!("CSV : encodage {}, séparateur « {} ».", lu.encodage, match lu.separateur {
            b';' => ";",
            b',' => ",",
            b'\t' => "tabulation",
            _ => "?",
        }),
        f => format!("Classeur {} : feuille « {} ».", f.nom(), lu.feuille.clone().unwrap_or_default()),
    };
    view! {
        <div class=if a_rejets { "fr-alert fr-alert--warning fr-mb-2w" } else { "fr-alert fr-alert--success fr-mb-2w" } data-testid="vacances-lu">
            <h3 class="fr-alert__title">{format!("« {nom} » lu")}</h3>
            <p data-testid="vacances-comptes">
                {integer(lu.lignes_lues as i64)} " lignes lues = "
                {integer(lu.lignes_retenues as i64)} " retenues + "
                {integer(lu.rejets.len() as i64)} " rejetées ; "
                {integer(avertissements.len() as i64)} " avertissement(s)."
            </p>
            <p class="fr-text--sm fr-mb-0">{lecture}</p>
        </div>
        <ListeLignes titre="Lignes rejetées" testid="vacances-rejets" lignes=rejets.clone()/>
        {a_rejets.then(|| view! {
            <p>
                <button class="fr-btn fr-btn--tertiary fr-btn--sm" type="button" data-testid="telecharger-rejets-vacances"
                    on:click=move |_| telecharger(&nom_rejets, TYPE_CSV, &crate::export::rejets_csv(&rejets))>
                    "Télécharger les rejets (CSV)"
                </button>
            </p>
        })}
        <ListeLignes titre="Avertissements" testid="vacances-avertissements" lignes=avertissements/>
    }
}

/// The proposal of each vacancy (paginated) and the downloads.
#[component]
fn TableListe(r: Arc<Resultats>, liste: Liste) -> impl IntoView {
    let s = expect_context::<Session>();
    let page = RwSignal::new(0usize);
    let message = RwSignal::new(None::<Result<String, String>>);
    let total = liste.aides.len();
    let pages = total.div_ceil(PAR_PAGE);
    let sans = liste.aides.iter().filter(|a| a.premiere().is_none()).count();
    let (r1, r2, l1, l2) = (r.clone(), r.clone(), liste.clone(), liste.clone());
    let nom = move |code: &str| s.geographie.with(|g| g.as_ref().and_then(|g| g.commune(code)).map(|c| format!("{code} {}", c.nom)).unwrap_or_else(|| code.to_owned()));
    let tableau = move || {
        let numero = page.get().min(pages.saturating_sub(1));
        view! {
            <div class="fr-table fr-table--sm" data-testid="vacances-propositions">
                <table tabindex="0">
                    <caption>{format!("Proposition pour chacune des {} vacances, dans l'ordre des dates", integer(total as i64))}</caption>
                    <thead><tr>
                        <th scope="col">"Date"</th><th scope="col">"Logement (RPLS)"</th><th scope="col">"Commune"</th><th scope="col">"Programme"</th>
                        <th scope="col">"Proposition"</th><th scope="col">"Retard (logements)"</th><th scope="col">"Raison"</th>
                    </tr></thead>
                    <tbody>
                        {liste.aides.iter().skip(numero * PAR_PAGE).take(PAR_PAGE).map(|a| {
                            let per = &r.perimetres[a.perimetre];
                            let (partie, retard, raison) = match a.premiere() {
                                Some(p) => (per.parts[p.partie].libelle(), decimal(p.retard, 2), p.raison.clone()),
                                None => ("aucune partie éligible".to_owned(), "—".to_owned(), String::new()),
                            };
                            view! {
                                <tr data-rpls=a.rpls.clone()>
                                    <td>{date_fr(a.date)}</td>
                                    <th scope="row">{a.rpls.clone()}</th>
                                    <td>{nom(&a.commune)}</td>
                                    <td>{a.programme.clone().unwrap_or_else(|| "—".into())}</td>
                                    <td data-col="partie">{partie}</td>
                                    <td class="nombre">{retard}</td>
                                    <td class="fr-text--sm">{raison}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <Pagination page pages numero/>
        }
    };
    view! {
        <p data-testid="vacances-synthese">{format!("{} vacance(s) orientée(s), dont {} sans partie éligible.", integer(total as i64), integer(sans as i64))}</p>
        <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm">
            <li><button class="fr-btn" type="button" data-testid="export-orientations-csv"
                on:click=move |_| {
                    let (l1, r1) = (l1.clone(), r1.clone());
                    message.set(Some(Ok("Préparation de « orientations.csv »…".into())));
                    spawn_local(async move {
                        apres_peinture().await;
                        if let Some(aides) = l1.complete(s, &r1) {
                            telecharger("orientations.csv", TYPE_CSV, &orientations_csv(&r1, &aides));
                            message.set(Some(Ok("« orientations.csv » téléchargé.".into())));
                        }
                    });
                }>
                "Toutes les parties classées (orientations.csv)"</button></li>
            <li><button class="fr-btn fr-btn--secondary" type="button" data-testid="export-orientations-xlsx"
                on:click=move |_| {
                    let (l2, r2) = (l2.clone(), r2.clone());
                    message.set(Some(Ok("Préparation de « orientations.xlsx »…".into())));
                    spawn_local(async move {
                        apres_peinture().await;
                        let Some(aides) = l2.complete(s, &r2) else { return };
                        // As `flux orienter`: the orientations awaiting a designation at the date
                        // of the last vacancy.
                        let attentes = match (s.lecture.get_untracked(), aides.iter().map(|a| a.date).max()) {
                            (Some(Lecture::Lu(etat)), Some(d)) => s.parametres.with_untracked(|p| {
                                Contexte::avec(&etat.dataset, p, &r2, &l2.base.situation).attentes(l2.base.mouvements(), l2.base.suivi(), d)
                            }),
                            _ => Vec::new(),
                        };
                        let feuilles = feuilles_orientations(&r2, &aides, &attentes);
                        drop(aides);
                        match ecrire_xlsx(&feuilles).await {
                            Ok(octets) => {
                                telecharger("orientations.xlsx", TYPE_XLSX, &octets);
                                message.set(Some(Ok("« orientations.xlsx » téléchargé.".into())));
                            }
                            Err(e) => message.set(Some(Err(e))),
                        }
                    });
                }>
                "Propositions, classements et attentes (XLSX)"</button></li>
        </ul>
        {move || message.get().map(|m| match m {
            Ok(t) => view! { <p class="fr-message fr-message--info" role="status" data-testid="orienter-message">{t}</p> }.into_any(),
            Err(t) => view! { <div class="fr-alert fr-alert--error fr-mb-2w" role="alert"><p>{t}</p></div> }.into_any(),
        })}
        {tableau}
    }
}

// ---------------------------------------------------------------------------------------------
// Designation deadlines

#[component]
fn Attentes(r: Arc<Resultats>, base: Lu<Base>) -> impl IntoView {
    let s = expect_context::<Session>();
    let o = expect_context::<Orientation>();
    let page = RwSignal::new(0usize);
    let (b1, r1) = (base.clone(), r.clone());
    let date = Memo::new(move |_| date_effective(o, &b1, &r1));
    let (b2, r2) = (base.clone(), r.clone());
    let attentes = Memo::new(move |_| -> Arc<Vec<Attente>> {
        let Some(Lecture::Lu(etat)) = s.lecture.get() else { return Arc::default() };
        Arc::new(s.parametres.with(|p| Contexte::avec(&etat.dataset, p, &r2, &b2.situation).attentes(b2.mouvements(), b2.suivi(), date.get())))
    });
    let delai = move || s.parametres.with(|p| p.suivi.delai_designation_jours);
    let r3 = r.clone();
    view! {
        <section class="fr-mb-4w" data-testid="orienter-attentes">
            <h2 class="fr-h4">"Orientations en attente de désignation"</h2>
            <p class="fr-text--sm">{move || format!(
                "Orientations en cours sans désignation des mouvements chargés, au {} (la date de la vacance ci-dessus) : échéance = date d'orientation + {} jours (paramètre « délai de désignation »), les dépassées d'abord.",
                date_fr(date.get()), delai()
            )}</p>
            {move || {
                let v = attentes.get();
                let total = v.len();
                if total == 0 {
                    return view! { <p data-testid="attentes-aucune">"Aucune orientation en attente de désignation."</p> }.into_any();
                }
                let depassees = v.iter().filter(|a| a.jours_restants < 0).count();
                let pages = total.div_ceil(PAR_PAGE);
                let numero = page.get().min(pages.saturating_sub(1));
                let (r4, v2) = (r3.clone(), v.clone());
                view! {
                    <p>
                        <button class="fr-btn fr-btn--secondary fr-btn--sm" type="button" data-testid="export-attentes-csv"
                            on:click=move |_| telecharger("attentes.csv", TYPE_CSV, &attentes_csv(&r4, &v2))>
                            "Télécharger les attentes (attentes.csv)"</button>
                    </p>
                    <div class="fr-table fr-table--sm" data-testid="attentes">
                        <table tabindex="0">
                            <caption>{format!("{} orientation(s) en attente de désignation, dont {} hors délai", integer(total as i64), integer(depassees as i64))}</caption>
                            <thead><tr>
                                <th scope="col">"Logement (RPLS)"</th><th scope="col">"Partie"</th><th scope="col">"Convention"</th>
                                <th scope="col">"Orientation"</th><th scope="col">"Échéance"</th><th scope="col">"Jours restants"</th>
                            </tr></thead>
                            <tbody>
                                {v.iter().skip(numero * PAR_PAGE).take(PAR_PAGE).map(|a| {
                                    let per = &r3.perimetres[a.perimetre];
                                    view! {
                                        <tr data-rpls=a.rpls.clone()>
                                            <th scope="row">{a.rpls.clone()}</th>
                                            <td>{per.parts[a.partie].libelle()}</td>
                                            <td>{format!("{} ({})", per.bailleur, per.departement)}</td>
                                            <td>{date_fr(a.date_orientation)}</td>
                                            <td>{date_fr(a.echeance)}</td>
                                            <td class="nombre" data-col="jours">{integer(a.jours_restants)}
                                                {(a.jours_restants < 0).then(|| view! { " " <span class="fr-badge fr-badge--error fr-badge--sm fr-badge--no-icon">"hors délai"</span> })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <Pagination page pages numero/>
                }.into_any()
            }}
        </section>
    }
}

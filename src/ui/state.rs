//! The session of one user: the file read, the parameters, and the results derived from them.
//! A plain type with methods above thin components (Leptos `todomvc` style): components read its
//! signals and call its methods; every number comes from `domain::calculer_avec`.

use std::sync::Arc;

use leptos::prelude::*;

use crate::domain::comparaison::{comparer, Comparaison};
use crate::domain::agregation::VueCommunale;
use crate::domain::secret::{masquer, Masque};
use crate::import::vue_publiee::VuePubliee;
use crate::domain::suivi::{preparer, suivre_prepare, Mouvement, Preparation, Suivi};
use crate::domain::{calculer_avec, Parametres, Resultats};
use crate::dossier::{self, Dossier};
use crate::geo::Geographie;
use crate::import::columns::Correspondance;
use crate::import::mouvements::{ImportMouvements, OptionsMouvements};
use crate::import::{self, Import, ImportError, OptionsLecture};

/// The pages of the app, in the order of the work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Donnees,
    Parametres,
    Assiette,
    Parts,
    Etalement,
    Suivi,
    Orienter,
    Communes,
    Scenarios,
    Rapport,
}

impl Page {
    pub const TOUTES: [Page; 10] = [
        Page::Donnees,
        Page::Parametres,
        Page::Assiette,
        Page::Parts,
        Page::Etalement,
        Page::Suivi,
        Page::Orienter,
        Page::Communes,
        Page::Scenarios,
        Page::Rapport,
    ];

    pub fn titre(self) -> &'static str {
        match self {
            Page::Donnees => "Données",
            Page::Parametres => "Paramètres",
            Page::Assiette => "Assiette",
            Page::Parts => "Conversion et parts",
            Page::Etalement => "Étalement",
            Page::Suivi => "Suivi de l'année",
            Page::Orienter => "Orienter un logement",
            Page::Communes => "Vue communale",
            Page::Scenarios => "Scénarios",
            Page::Rapport => "Rapport et exports",
        }
    }

    /// Fragment of the URL (`#parts`), so that the browser's back button and links work.
    pub fn ancre(self) -> &'static str {
        match self {
            Page::Donnees => "donnees",
            Page::Parametres => "parametres",
            Page::Assiette => "assiette",
            Page::Parts => "parts",
            Page::Etalement => "etalement",
            Page::Suivi => "suivi",
            Page::Orienter => "orienter",
            Page::Communes => "communes",
            Page::Scenarios => "scenarios",
            Page::Rapport => "rapport",
        }
    }

    pub fn depuis_ancre(ancre: &str) -> Option<Page> {
        Page::TOUTES.into_iter().find(|p| p.ancre() == ancre.trim_start_matches('#'))
    }
}

/// A file the user loaded, kept so that it can be read again with a manual mapping and saved in
/// a dossier.
#[derive(Clone)]
pub struct Fichier {
    pub nom: String,
    pub contenu: Contenu,
}

/// What the page keeps of the loaded file.
#[derive(Clone)]
pub enum Contenu {
    /// Its bytes (workbooks, the demo, a dossier's files, a CSV read on the page's thread).
    Octets(Arc<Vec<u8>>),
    /// Only the browser's handle on it: a large CSV read by the workers (`chargement`), which
    /// the page's memory never held whole (issue #14, tab ≤ 600 MB); read again when needed.
    Disque(send_wrapper::SendWrapper<web_sys::File>),
}

impl Fichier {
    pub fn octets(nom: String, octets: Vec<u8>) -> Fichier {
        Fichier { nom, contenu: Contenu::Octets(Arc::new(octets)) }
    }

    /// The file's bytes (read from the disk for a [`Contenu::Disque`]).
    pub async fn lire(&self) -> Result<Vec<u8>, String> {
        match &self.contenu {
            Contenu::Octets(o) => Ok(o.to_vec()),
            Contenu::Disque(f) => super::navigateur::lire_fichier(web_sys::File::clone(f)).await,
        }
    }
}

/// Outcome of reading the file.
#[derive(Clone)]
pub enum Lecture {
    Lu(Arc<Import>),
    /// The file could not be read as an état des lieux; the French message, and the headers found
    /// (to map columns by hand) when the failure is a missing required column.
    Echec {
        message: String,
        entetes: Vec<String>,
        correspondance: Correspondance,
        /// Sheets of a workbook (to pick another one), empty for a CSV.
        feuilles: Vec<String>,
        feuille: Option<String>,
    },
}

/// A large file being read: what the progress bar shows (issue « a whole region »).
#[derive(Clone, Debug, PartialEq)]
pub struct Chargement {
    pub nom: String,
    /// « Lecture du fichier » then « Analyse des lignes ».
    pub etape: &'static str,
    /// Bytes done and in all, for the current step.
    pub fait: u64,
    pub total: u64,
    pub lignes: usize,
    /// `performance.now()` at the start of the step and now, for the time left.
    pub debut_ms: f64,
    pub maintenant_ms: f64,
}

impl Chargement {
    /// Whole percentage done, and the estimated seconds left (`format::avancement`).
    pub fn avancement(&self) -> (u32, Option<f64>) {
        crate::format::avancement(self.fait, self.total, self.maintenant_ms - self.debut_ms)
    }
}

/// A file of mouvements (SPEC §7) the user loaded, and how to read it. It is read again whenever
/// the état des lieux changes (its `rpls` and réservataires are resolved against it).
#[derive(Clone)]
pub struct FichierMouvements {
    pub nom: String,
    pub octets: Arc<Vec<u8>>,
    pub options: OptionsMouvements,
    /// The demo year, loaded with the demo état des lieux: it goes when another état des lieux
    /// is loaded (its `rpls` would all be unknown there).
    pub demo: bool,
}

/// A mouvements file that could not be read: the French message, and what is needed to read it
/// again by hand (the headers found when a required column is missing, the workbook's sheets).
#[derive(Clone, Debug, PartialEq)]
pub struct EchecMouvements {
    pub message: String,
    pub entetes: Vec<String>,
    pub correspondance: crate::import::mouvements::Correspondance,
    pub feuilles: Vec<String>,
    pub feuille: Option<String>,
}

/// A mouvements file as read against the current état des lieux.
pub type MouvementsLus = Result<Lu<ImportMouvements>, EchecMouvements>;

/// A value read from a file, shared; two are equal when they are the same reading (the memo does
/// not compare a whole import).
#[derive(Debug)]
pub struct Lu<T>(pub Arc<T>);

impl<T> Clone for Lu<T> {
    fn clone(&self) -> Self {
        Lu(self.0.clone())
    }
}

impl<T> PartialEq for Lu<T> {
    fn eq(&self, autre: &Self) -> bool {
        Arc::ptr_eq(&self.0, &autre.0)
    }
}

impl<T> std::ops::Deref for Lu<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// A named parameter set of the scenario comparison.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Scenario {
    pub nom: String,
    pub parametres: Parametres,
}

/// At most three scenarios side by side (issue « scénarios »).
pub const SCENARIOS_MAX: usize = 3;

/// Results of every scenario, lined up: names, then the comparison (or the first French error).
pub type Comparee = Result<(Vec<String>, Arc<Comparaison>), String>;

#[derive(Clone, Copy)]
pub struct Session {
    pub page: RwSignal<Page>,
    pub fichier: RwSignal<Option<Fichier>>,
    pub lecture: RwSignal<Option<Lecture>>,
    pub parametres: RwSignal<Parametres>,
    pub geographie: RwSignal<Option<Arc<Geographie>>>,
    /// `Err` holds the French message of invalid parameters (nothing is computed then).
    pub resultats: Memo<Option<Result<Arc<Resultats>, String>>>,
    /// The statistical secrecy of the published communal view (SPEC §5 v2), decided once by
    /// `domain::secret::masquer` for every table and download that publishes it. Memos are lazy:
    /// computed only when the publication mode or an export reads it (the audit takes ~0.7 s on a
    /// 1.4 M-logement region).
    pub masque: Memo<Option<Arc<Masque>>>,
    /// A published communal view opened for consultation (SPEC §9), without any détail: the Vue
    /// communale shows it instead of the results' view while it is set.
    pub publiee: RwSignal<Option<Arc<VuePubliee>>>,
    /// The scenarios; `parametres` is the working copy of `scenarios[actif]`.
    pub scenarios: RwSignal<Vec<Scenario>>,
    pub actif: RwSignal<usize>,
    /// Computed only while the comparison page reads it.
    pub comparaison: Memo<Option<Comparee>>,
    /// The large file being read, if any; the previous data stays until it is done.
    pub chargement: RwSignal<Option<Chargement>>,
    /// How the état des lieux was last read (sheet, columns by hand): kept in a dossier.
    pub options_lecture: RwSignal<OptionsLecture>,
    /// The mouvements files loaded (one per year, or more), in the order loaded.
    pub fichiers_mouvements: RwSignal<Vec<FichierMouvements>>,
    /// Each of them read against the current état des lieux.
    pub mouvements: Memo<Vec<MouvementsLus>>,
    /// The mouvements of every file read, in the order loaded (shared: the follow-up is
    /// recomputed on a parameter change without copying them again).
    pub mouvements_lus: Memo<Lu<Vec<Mouvement>>>,
    /// What the follow-up reads from the mouvements and the results alone (each row's convention,
    /// party and year, the vacancies), with the mouvements: a change of counting re-reads from it.
    pub preparation: Memo<Option<Lu<(Arc<Vec<Mouvement>>, Preparation)>>>,
    /// The follow-up of every convention over the years of mouvements (SPEC §7), when results and
    /// mouvements are there, with the mouvements it follows (computed when read: the exports; the
    /// Suivi page computes the convention it shows). Compared by identity: a new follow-up
    /// is only computed when its inputs changed, and comparing two whole ones would cost more.
    pub suivi: Memo<Option<Lu<(Arc<Vec<Mouvement>>, Suivi)>>>,
    /// Id of the current reading: a new file or « Annuler » changes it, and a reading that sees
    /// another id stops.
    pub tache: RwSignal<u64>,
}

impl Session {
    pub fn new(parametres: Parametres) -> Session {
        let lecture = RwSignal::new(None::<Lecture>);
        let parametres = RwSignal::new(parametres);
        let geographie = RwSignal::new(None::<Arc<Geographie>>);
        let parametres_conversion = Memo::new(move |_| parametres.with(Parametres::de_conversion));
        let validite = Memo::new(move |_| parametres.with(Parametres::valider));
        let resultats = Memo::new(move |_| {
            let import = match lecture.get()? {
                Lecture::Lu(import) => import,
                Lecture::Echec { .. } => return None,
            };
            let geo = geographie.get();
            Some(parametres_conversion.with(|p| {
                validite.get()?;
                let geo = geo.as_deref().map(|g| g as &dyn crate::domain::Geographie);
                Ok(Arc::new(calculer_avec(&import.dataset, p, geo)))
            }))
        });
        let masque = Memo::new(move |_| {
            let r = resultats.get()?.ok()?;
            let seuil = parametres.with(|p| p.secret_statistique);
            Some(Arc::new(masquer(&r.communes, seuil)))
        });
        let scenarios = RwSignal::new(vec![Scenario { nom: "A".into(), parametres: parametres.get_untracked() }]);
        let actif = RwSignal::new(0usize);
        // Every edit of the working parameters lands in the active scenario.
        Effect::new(move |_| {
            let p = parametres.get();
            let k = actif.get_untracked();
            scenarios.update(|v| if let Some(x) = v.get_mut(k) { if x.parametres != p { x.parametres = p } });
        });
        let publiee = RwSignal::new(None::<Arc<VuePubliee>>);
        let comparaison = Memo::new(move |_| {
            // Consulting a published view: the scenarios need the detail (see `resultats_ok`).
            if publiee.with(Option::is_some) {
                return None;
            }
            let import = match lecture.get()? {
                Lecture::Lu(import) => import,
                Lecture::Echec { .. } => return None,
            };
            let geo = geographie.get();
            let geo = geo.as_deref().map(|g| g as &dyn crate::domain::Geographie);
            Some(scenarios.with(|v| -> Comparee {
                let mut res = Vec::with_capacity(v.len());
                for sc in v {
                    sc.parametres.valider().map_err(|e| format!("scénario {} : {e}", sc.nom))?;
                    res.push(calculer_avec(&import.dataset, &sc.parametres, geo));
                }
                let noms = v.iter().map(|x| x.nom.clone()).collect();
                Ok((noms, Arc::new(comparer(&res.iter().collect::<Vec<_>>()))))
            }))
        });
        let fichiers_mouvements = RwSignal::new(Vec::<FichierMouvements>::new());
        let mouvements = Memo::new(move |_| -> Vec<MouvementsLus> {
            let Some(Lecture::Lu(etat)) = lecture.get() else { return Vec::new() };
            fichiers_mouvements.with(|v| {
                v.iter()
                    .map(|f| {
                        import::mouvements::lire(&f.octets, &f.options, &etat.dataset).map(|m| Lu(Arc::new(m))).map_err(|e| {
                            let entetes = match &e {
                                ImportError::ColonnesManquantes { entetes, .. } => entetes.clone(),
                                _ => Vec::new(),
                            };
                            let detectee = import::mouvements::detecter(entetes.iter().map(String::as_str));
                            let feuilles = import::feuilles(&f.octets).unwrap_or_default();
                            EchecMouvements {
                                message: format!("Lecture impossible : {e}."),
                                correspondance: f.options.correspondance.clone().unwrap_or(detectee),
                                entetes,
                                feuille: f.options.feuille.clone().or_else(|| feuilles.first().cloned()),
                                feuilles,
                            }
                        })
                    })
                    .collect()
            })
        });
        let mouvements_lus = Memo::new(move |_| {
            Lu(Arc::new(mouvements.with(|v| v.iter().flatten().flat_map(|m| m.mouvements.iter().cloned()).collect::<Vec<Mouvement>>())))
        });
        let preparation = Memo::new(move |_| {
            let Some(Lecture::Lu(etat)) = lecture.get() else { return None };
            let r = resultats.get()?.ok()?;
            let lus = mouvements_lus.get();
            if lus.is_empty() {
                return None;
            }
            let prep = preparer(&etat.dataset, &r, &lus);
            Some(Lu(Arc::new((lus.0, prep))))
        });
        let suivi = Memo::new(move |_| {
            let Some(Lecture::Lu(etat)) = lecture.get() else { return None };
            let r = resultats.get()?.ok()?;
            let prep = preparation.get()?;
            let (lus, prep) = &*prep;
            let s = parametres.with(|p| suivre_prepare(&etat.dataset, p, &r, lus, prep, None));
            Some(Lu(Arc::new((lus.clone(), s))))
        });
        Session {
            page: RwSignal::new(Page::Donnees),
            fichier: RwSignal::new(None),
            lecture,
            parametres,
            geographie,
            resultats,
            masque,
            publiee,
            scenarios,
            actif,
            comparaison,
            chargement: RwSignal::new(None),
            tache: RwSignal::new(0),
            options_lecture: RwSignal::new(OptionsLecture::default()),
            fichiers_mouvements,
            mouvements,
            mouvements_lus,
            preparation,
            suivi,
        }
    }

    /// Adds a mouvements file (read with detected columns, first sheet).
    pub fn ajouter_mouvements(&self, nom: String, octets: Vec<u8>) {
        self.fichiers_mouvements.update(|v| v.push(FichierMouvements { nom, octets: Arc::new(octets), options: OptionsMouvements::default(), demo: false }));
    }

    /// Adds the demo year of mouvements (removed when another état des lieux is loaded).
    pub fn ajouter_mouvements_demo(&self, nom: String, octets: Vec<u8>) {
        self.fichiers_mouvements.update(|v| v.push(FichierMouvements { nom, octets: Arc::new(octets), options: OptionsMouvements::default(), demo: true }));
    }

    /// Forgets the demo mouvements (a new état des lieux is loaded).
    fn retirer_mouvements_demo(&self) {
        if self.fichiers_mouvements.with_untracked(|v| v.iter().any(|f| f.demo)) {
            self.fichiers_mouvements.update(|v| v.retain(|f| !f.demo));
        }
    }

    /// Removes the `k`-th mouvements file.
    pub fn retirer_mouvements(&self, k: usize) {
        self.fichiers_mouvements.update(|v| if k < v.len() { v.remove(k); });
    }

    /// Reads the `k`-th mouvements file again with other options (sheet, columns by hand).
    pub fn relire_mouvements(&self, k: usize, options: OptionsMouvements) {
        self.fichiers_mouvements.update(|v| if let Some(f) = v.get_mut(k) { f.options = options });
    }

    /// Everything loaded and set, as one dossier (SPEC §7 « a dossier that lasts »).
    pub async fn dossier(&self) -> Result<Dossier, String> {
        let etat = match self.fichier.get_untracked() {
            Some(f) => {
                let (feuille, colonnes) = match self.lecture.get_untracked() {
                    Some(Lecture::Lu(i)) => (i.feuille.clone(), None),
                    _ => (None, None),
                };
                Some(dossier::Fichier { octets: f.lire().await?, nom: f.nom, feuille, colonnes })
            }
            None => None,
        };
        let etat = etat.map(|mut e| {
            if let Some(c) = self.options_lecture.get_untracked().correspondance {
                e.colonnes = Some(dossier::colonnes_de(&c));
            }
            e
        });
        let mouvements = self
            .fichiers_mouvements
            .get_untracked()
            .into_iter()
            .map(|f| dossier::Fichier {
                nom: f.nom,
                octets: f.octets.to_vec(),
                feuille: f.options.feuille.clone(),
                colonnes: f.options.correspondance.as_ref().map(dossier::colonnes_mouvements_de),
            })
            .collect();
        let scenarios = self
            .scenarios
            .get_untracked()
            .into_iter()
            .map(|x| dossier::Scenario { nom: x.nom, parametres: serde_json::from_str(&x.parametres.vers_json()).unwrap_or_default() })
            .collect();
        Ok(Dossier { parametres: self.parametres.get_untracked(), scenarios, etat_des_lieux: etat, mouvements })
    }

    /// Restores a dossier: the état des lieux, its reading options, the parameters, the scenarios
    /// and the mouvements. A dossier that cannot be read leaves the session as it was.
    pub fn ouvrir_dossier(&self, octets: &[u8]) -> Result<(), String> {
        let d = dossier::lire(octets)?;
        let mut scenarios = Vec::new();
        for x in &d.scenarios {
            let p = Parametres::depuis_json(&x.parametres.to_string()).map_err(|e| format!("dossier, scénario {} : {e}", x.nom))?;
            scenarios.push(Scenario { nom: x.nom.clone(), parametres: p });
        }
        if let Some(e) = d.etat_des_lieux {
            let correspondance = e.colonnes.as_ref().map(dossier::correspondance_de);
            self.fichier.set(Some(Fichier::octets(e.nom, e.octets)));
            self.lire(&OptionsLecture { feuille: e.feuille, correspondance });
        }
        self.fichiers_mouvements.set(
            d.mouvements
                .into_iter()
                .map(|f| FichierMouvements {
                    nom: f.nom,
                    octets: Arc::new(f.octets),
                    options: OptionsMouvements { feuille: f.feuille, correspondance: f.colonnes.as_ref().map(dossier::correspondance_mouvements_de) },
                    demo: false,
                })
                .collect(),
        );
        if scenarios.is_empty() {
            scenarios.push(Scenario { nom: "A".into(), parametres: d.parametres.clone() });
        }
        self.scenarios.set(scenarios);
        self.actif.set(0);
        self.parametres.set(d.parametres);
        Ok(())
    }

    /// Starts a new reading (cancelling any other); returns its id.
    pub fn nouvelle_tache(&self) -> u64 {
        self.tache.update(|t| *t += 1);
        self.tache.get_untracked()
    }

    /// Cancels the reading in progress: the data already loaded stays.
    pub fn annuler(&self) {
        self.nouvelle_tache();
        self.chargement.set(None);
    }

    /// Makes scenario `k` the one edited by the Paramètres page and shown by every other page.
    pub fn activer(&self, k: usize) {
        let Some(p) = self.scenarios.with_untracked(|v| v.get(k).map(|x| x.parametres.clone())) else { return };
        self.actif.set(k);
        self.parametres.set(p);
    }

    /// Edits scenario `k` (the working copy when it is the active one).
    pub fn regler_scenario(&self, k: usize, f: impl FnOnce(&mut Parametres)) {
        if k == self.actif.get_untracked() {
            self.parametres.update(f);
        } else {
            self.scenarios.update(|v| if let Some(x) = v.get_mut(k) { f(&mut x.parametres) });
        }
    }

    /// Adds a scenario: a copy of the active one, changed by `f`, named with the next letter.
    pub fn ajouter_scenario(&self, f: impl FnOnce(&mut Parametres)) {
        self.scenarios.update(|v| {
            if v.len() >= SCENARIOS_MAX {
                return;
            }
            let mut p = self.parametres.get_untracked();
            f(&mut p);
            let nom = ["A", "B", "C", "D"].into_iter().find(|n| v.iter().all(|x| x.nom != *n)).unwrap_or("D");
            v.push(Scenario { nom: nom.into(), parametres: p });
        });
    }

    pub fn supprimer_scenario(&self, k: usize) {
        if self.scenarios.with_untracked(|v| v.len()) <= 1 {
            return;
        }
        self.scenarios.update(|v| _ = v.remove(k));
        let actif = self.actif.get_untracked();
        if actif >= k && actif > 0 {
            self.activer(actif - 1);
        } else {
            self.activer(actif);
        }
    }

    /// Loads a new file (CSV, XLSX or ODS) and reads it with detected columns, first sheet.
    pub fn charger(&self, nom: String, octets: Vec<u8>) {
        self.retirer_mouvements_demo();
        self.fichier.set(Some(Fichier::octets(nom, octets)));
        self.lire(&OptionsLecture::default());
    }

    /// (Re)reads the current file with a chosen sheet and/or a manual column mapping (a file
    /// kept on disk is read again by the workers, with its progress bar).
    pub fn lire(&self, options: &OptionsLecture) {
        let Some(fichier) = self.fichier.get_untracked() else { return };
        match &fichier.contenu {
            Contenu::Octets(octets) => {
                self.options_lecture.set(options.clone());
                self.recevoir(import::lire(octets, options), options);
            }
            Contenu::Disque(f) => {
                let (s, f, options) = (*self, web_sys::File::clone(f), options.clone());
                leptos::task::spawn_local(async move {
                    if let Err(e) = super::chargement::lire(s, f, options).await {
                        s.lecture.set(Some(Lecture::Echec { message: e, entetes: Vec::new(), correspondance: Correspondance::default(), feuilles: Vec::new(), feuille: None }));
                    }
                });
            }
        }
    }

    /// Installs a file read elsewhere (step by step, or by the workers) with `options`.
    pub fn installer(&self, fichier: Fichier, lu: Result<Import, ImportError>, options: OptionsLecture) {
        self.retirer_mouvements_demo();
        self.fichier.set(Some(fichier));
        self.options_lecture.set(options.clone());
        self.recevoir(lu, &options);
    }

    /// The outcome of a reading of the current file becomes the session's data.
    fn recevoir(&self, lu: Result<Import, ImportError>, options: &OptionsLecture) {
        let Some(fichier) = self.fichier.get_untracked() else { return };
        let correspondance = options.correspondance.as_ref();
        let lecture = match lu {
            Ok(mut import) => {
                // Unknown commune codes are warned about once the official geography is here.
                if let Some(geo) = self.geographie.get_untracked() {
                    import::signaler_communes_inconnues(&mut import, |code| geo.commune(code).is_some());
                }
                Lecture::Lu(Arc::new(import))
            }
            Err(e) => {
                let (entetes, correspondance) = match &e {
                    ImportError::ColonnesManquantes { entetes, .. } => {
                        let detectee = import::columns::detecter(entetes.iter().map(String::as_str));
                        (entetes.clone(), correspondance.cloned().unwrap_or(detectee))
                    }
                    _ => (Vec::new(), Correspondance::default()),
                };
                let feuilles = match &fichier.contenu {
                    Contenu::Octets(octets) => import::feuilles(octets).unwrap_or_default(),
                    Contenu::Disque(_) => Vec::new(),
                };
                let feuille = options.feuille.clone().or_else(|| feuilles.first().cloned());
                Lecture::Echec { message: format!("Lecture impossible : {e}."), entetes, correspondance, feuilles, feuille }
            }
        };
        self.lecture.set(Some(lecture));
    }

    /// The import when the file was read.
    pub fn import(&self) -> Option<Arc<Import>> {
        match self.lecture.get()? {
            Lecture::Lu(import) => Some(import),
            Lecture::Echec { .. } => None,
        }
    }

    /// Results when a file is read and the parameters are valid — and no published view is being
    /// consulted: then the pages that need the detail say so (SPEC §9) rather than show the
    /// état des lieux still loaded behind it, which comes back when the consultation is left.
    pub fn resultats_ok(&self) -> Option<Arc<Resultats>> {
        if self.publiee.with(Option::is_some) {
            return None;
        }
        self.resultats.get().and_then(Result::ok)
    }

    /// The mask of the published communal view, when there are results (computed on first read).
    pub fn masque_ok(&self) -> Option<Arc<Masque>> {
        self.masque.get()
    }

    /// Opens a published view for consultation (replaces the one opened before, if any).
    pub fn consulter(&self, v: VuePubliee) {
        self.publiee.set(Some(Arc::new(v)));
    }

    /// The communal view shown: the published one in consultation mode, else the results' own.
    pub fn vue_communale(&self) -> Option<VueAffichee> {
        match self.publiee.get() {
            Some(v) => Some(VueAffichee::Publiee(v)),
            None => self.resultats_ok().map(VueAffichee::Calculee),
        }
    }

    /// Edits the parameters in place (every view recomputes from the engine).
    pub fn regler(&self, f: impl FnOnce(&mut Parametres)) {
        self.parametres.update(f);
    }
}

/// Where the communal view shown comes from.
#[derive(Clone)]
pub enum VueAffichee {
    /// Computed from the état des lieux loaded.
    Calculee(Arc<Resultats>),
    /// Opened for consultation: published, already masked.
    Publiee(Arc<VuePubliee>),
}

impl VueAffichee {
    pub fn vue(&self) -> &VueCommunale {
        match self {
            VueAffichee::Calculee(r) => &r.communes,
            VueAffichee::Publiee(v) => &v.vue,
        }
    }
}

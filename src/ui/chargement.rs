//! Reading a large état des lieux without freezing the page. A large CSV is read by several Web
//! Workers at once (`import::plages`, `src/bin/lecteur.rs`): each reads its byte range straight
//! from the file, the page only joins their parts, and keeps the file's handle instead of its
//! bytes. Other files (workbooks, small or unusual CSV) are read by slices on the page's thread,
//! then parsed chunk by chunk (`import::progressif`), yielding to the browser in between. Both
//! show a progress bar and a cancel button that leaves the previous data untouched.

use leptos::prelude::*;

use super::navigateur::{ceder, lecteurs, lire_par_tranches, lire_tranche, maintenant_ms, marquer, message_consigne, taille_octets, Equipe, MessageLecteur};
use super::state::{Chargement, Contenu, Fichier, Session};
use crate::format::{decimal, integer, megaoctets};
use crate::import::plages::{self, Avancement, Plan};
use crate::import::progressif::LectureProgressive;
use crate::import::{tableur, Format, Import, ImportError, OptionsLecture, LIGNE_MAX};

/// Largest file read in the browser (≈ 4 million logements; the tab then needs ≈ 1,5 Go). Above
/// it, the command line `flux` reads any size.
pub const TAILLE_MAX: u64 = 500 * 1024 * 1024;

/// Reads a newly chosen `fichier` into the session. Errors are French messages for the page.
pub async fn charger(s: Session, fichier: web_sys::File) -> Result<(), String> {
    lire(s, fichier, OptionsLecture::default()).await
}

/// Reads `fichier` with `options` (a manual mapping: the file read again) into the session.
pub async fn lire(s: Session, fichier: web_sys::File, options: OptionsLecture) -> Result<(), String> {
    let taille = taille_octets(&fichier);
    if taille > TAILLE_MAX {
        return Err(format!(
            "Le fichier « {} » fait {} Mo : au-delà de {} Mo, le navigateur ne peut pas le traiter sans risque. Utilisez la commande « flux » (voir la documentation), ou découpez le fichier par département.",
            fichier.name(),
            megaoctets(taille),
            megaoctets(TAILLE_MAX)
        ));
    }
    let tache = s.nouvelle_tache();
    let actif = move || s.tache.get_untracked() == tache;
    let nom = fichier.name();
    let etape = |etape: &'static str, fait: u64, total: u64, lignes: usize, debut_ms: f64| {
        if actif() {
            s.chargement.set(Some(Chargement { nom: nom.clone(), etape, fait, total, lignes, debut_ms, maintenant_ms: maintenant_ms() }));
        }
    };
    let debut = maintenant_ms();
    let n = lecteurs();
    if plages::en_parallele(taille, n) {
        etape("Analyse des lignes", 0, taille, 0, debut);
        marquer("flux:lecteurs:debut");
        let progres = |fait: u64, lignes: usize| etape("Analyse des lignes", fait, taille, lignes, debut);
        match lire_en_parallele(&fichier, n, &options, progres, actif).await {
            Lecture::Annulee => return Ok(()),
            Lecture::Finie(lu) => {
                // The next file's workers start once this one's results are shown: their warm-up
                // (`plages::echauffer`) would otherwise share the cores with the first calculation.
                gloo::timers::callback::Timeout::new(RELEVE_MS, preparer_lecteurs).forget();
                s.chargement.set(None);
                s.installer(Fichier { nom, contenu: Contenu::Disque(send_wrapper::SendWrapper::new(fichier)) }, lu, options);
                return Ok(());
            }
            Lecture::SurLaPage => {}
        }
    }
    etape("Lecture du fichier", 0, taille, 0, debut);
    let Some(octets) = lire_par_tranches(&fichier, |n| etape("Lecture du fichier", n, taille, 0, debut), actif).await? else {
        return Ok(());
    };
    // Workbooks are small by nature (a spreadsheet holds at most 1 048 576 rows): read at once.
    if !matches!(tableur::format(&octets), Ok(Format::Csv)) {
        s.chargement.set(None);
        s.charger(nom, octets);
        return Ok(());
    }
    let mut lecture = match LectureProgressive::commencer(&octets, options.correspondance.as_ref()) {
        Ok(l) => l,
        Err(e) => {
            s.chargement.set(None);
            s.installer(Fichier::octets(nom, octets), Err(e), options);
            return Ok(());
        }
    };
    let debut = maintenant_ms();
    loop {
        ceder().await;
        if !actif() {
            return Ok(());
        }
        let reste = lecture.avancer();
        let (fait, total) = lecture.avancement();
        etape("Analyse des lignes", fait as u64, total as u64, lecture.lignes_lues(), debut);
        if !reste {
            break;
        }
    }
    ceder().await;
    if !actif() {
        return Ok(());
    }
    let import = lecture.finir();
    s.chargement.set(None);
    s.installer(Fichier::octets(nom, octets), import, options);
    Ok(())
}

/// Readings of the demo file by the page's warm-up ([`echauffer_page`]): about 20 000 logements in all.
const LECTURES_ECHAUFFEMENT: usize = 5;

/// Warms up the page's own hot functions: joins the demo file's parts as after a reading by the
/// workers (`plages::lecture_echantillon`) and computes its results twice, the second replacing
/// the first as after a parameter change, a few times over. V8 runs WebAssembly first in its
/// baseline tier and compiles a function with its optimising tier once it has run enough, counted
/// over all its calls; without this, the first large file's join and calculation ran in the
/// baseline tier (docs/engine.md, stop 23). The demo's bytes are already in the page; a generated
/// sample would bring the generator into the page's module (25 KB gzip). Runs once, shortly after
/// the demo is shown, unless a file was chosen since (`tache`: the reading task then): that
/// reading needs the page's thread, and its own join and calculation warm the same functions up.
pub fn echauffer_page(s: Session, tache: u64) {
    if s.tache.get_untracked() != tache || s.chargement.get_untracked().is_some() {
        return;
    }
    // The demo only: a dossier opened meanwhile may hold a large file.
    let demo = s.fichier.with_untracked(|f| f.as_ref().filter(|f| f.nom == super::donnees::DEMO_NOM).map(|f| f.contenu.clone()));
    let Some(Contenu::Octets(demo)) = demo else {
        return;
    };
    marquer("flux:echauffement:debut");
    let geo = s.geographie.get_untracked();
    let geo = geo.as_deref().map(|g| g as &dyn crate::domain::Geographie);
    let p = s.parametres.with_untracked(crate::domain::Parametres::de_conversion);
    for _ in 0..LECTURES_ECHAUFFEMENT {
        let Some(imp) = plages::lecture_echantillon(&demo) else { break };
        let premiers = std::hint::black_box(crate::domain::calculer_avec(&imp.dataset, &p, geo));
        let seconds = std::hint::black_box(crate::domain::calculer_avec(&imp.dataset, &p, geo));
        drop(premiers);
        drop(seconds);
    }
    marquer("flux:echauffement:fin");
}

/// Delay before the workers for the next file are started, after a reading by workers.
const RELEVE_MS: u32 = 3_000;

/// Script of the reading workers (Trunk's loader of `src/bin/lecteur.rs`).
const LECTEUR: &str = "./lecteur_loader.js";

thread_local! {
    /// Reading workers started ahead of the next large file: their module is loaded, compiled and
    /// warmed up (`plages::echauffer`) while the user picks the file. Their « pret » messages wait
    /// in the team's queue.
    static EQUIPE_PRETE: std::cell::RefCell<Option<Equipe>> = const { std::cell::RefCell::new(None) };
}

/// Starts the reading workers for the next file, unless they are already there.
pub fn preparer_lecteurs() {
    EQUIPE_PRETE.with(|e| {
        let mut e = e.borrow_mut();
        if e.is_none() {
            *e = Equipe::demarrer(LECTEUR, lecteurs()).ok();
        }
    });
}

/// `n` reading workers: those started ahead when they are as many, else new ones.
fn equipe(n: usize) -> Result<Equipe, String> {
    match EQUIPE_PRETE.with(|e| e.borrow_mut().take()) {
        Some(equipe) if equipe.len() == n => Ok(equipe),
        _ => Equipe::demarrer(LECTEUR, n),
    }
}

/// How a reading by the workers ended.
enum Lecture {
    Finie(Result<Import, ImportError>),
    /// The user cancelled.
    Annulee,
    /// The file must be read on the page's thread: not a CSV, no `rpls` column, a cut inside
    /// quotes, UTF-16, or no worker could start (see `import::plages`).
    SurLaPage,
}

/// Reads a CSV in `n` workers, each its byte range; `progres(bytes, rows)` as they go. A range
/// that is not UTF-8 makes every range be read again as Windows-1252.
async fn lire_en_parallele(
    fichier: &web_sys::File,
    n: usize,
    options: &OptionsLecture,
    progres: impl Fn(u64, usize),
    actif: impl Fn() -> bool,
) -> Lecture {
    let Ok(debut) = lire_tranche(fichier, 0, LIGNE_MAX as u64 + 4).await else { return Lecture::SurLaPage };
    if !matches!(tableur::format(&debut), Ok(Format::Csv)) {
        return Lecture::SurLaPage;
    }
    let taille = taille_octets(fichier);
    let mut windows_1252 = false;
    loop {
        let plan = match plages::preparer(&debut, taille, options.correspondance.as_ref(), n, windows_1252) {
            Ok(Some(plan)) => plan,
            Ok(None) => return Lecture::SurLaPage,
            Err(e) => return Lecture::Finie(Err(e)),
        };
        let Ok(mut equipe) = equipe(plan.consignes.len()) else { return Lecture::SurLaPage };
        let k = plan.consignes.len();
        let mut avancement = Avancement::new(k, taille);
        let mut parts: Vec<Option<(js_sys::Uint8Array, u64, bool)>> = vec![None; k];
        while parts.iter().any(Option::is_none) {
            if !actif() {
                return Lecture::Annulee;
            }
            let Some((i, message)) = equipe.suivant(100).await else { continue };
            let Ok(m) = message else { return Lecture::SurLaPage };
            match MessageLecteur::lire(&m) {
                MessageLecteur::Pret => {
                    marquer(&format!("flux:lecteurs:pret{i}"));
                    let json = serde_json::to_string(&plan.consignes[i]).unwrap_or_default();
                    if equipe.envoyer(i, &message_consigne(&json, fichier)).is_err() {
                        return Lecture::SurLaPage;
                    }
                }
                MessageLecteur::Progres { fait, lignes } => {
                    let (fait, lignes) = avancement.noter(i, fait, lignes);
                    progres(fait, lignes);
                }
                MessageLecteur::Fin { part, guillemets, pas_utf8 } => {
                    marquer(&format!("flux:lecteurs:part{i}"));
                    parts[i] = Some((part, guillemets, pas_utf8));
                }
                MessageLecteur::Erreur => return Lecture::SurLaPage,
            }
        }
        drop(equipe);
        marquer("flux:lecteurs:parts");
        let parts: Vec<_> = parts.into_iter().flatten().collect();
        if !windows_1252 && parts.iter().any(|p| p.2) {
            windows_1252 = true;
            continue;
        }
        if !Plan::coupes_sures(&parts.iter().map(|p| p.1).collect::<Vec<_>>()) {
            return Lecture::SurLaPage;
        }
        ceder().await;
        if !actif() {
            return Lecture::Annulee;
        }
        return match plages::assembler(plan, parts.into_iter().map(|p| p.0.to_vec())) {
            Ok(lu) => {
                marquer("flux:lecteurs:assemble");
                Lecture::Finie(lu)
            }
            Err(_) => Lecture::SurLaPage,
        };
    }
}

/// The progress of the reading in progress, with its cancel button.
#[component]
pub fn Progression() -> impl IntoView {
    let s = expect_context::<Session>();
    move || {
        s.chargement.get().map(|c| {
            let (pourcent, reste) = c.avancement();
            let detail = format!(
                "{} Mo sur {}{}{}",
                megaoctets(c.fait),
                megaoctets(c.total),
                if c.lignes > 0 { format!(" — {} lignes lues", integer(c.lignes as i64)) } else { String::new() },
                reste.map(|r| format!(" — environ {} s restantes", decimal(r, 0))).unwrap_or_default(),
            );
            view! {
                <div class="chargement fr-p-3w fr-mb-3w" role="status" aria-live="polite" data-testid="chargement">
                    <p class="fr-mb-1w"><strong>{format!("{} : « {} »", c.etape, c.nom)}</strong></p>
                    <progress max="100" value=pourcent.to_string() aria-label="Avancement">{format!("{pourcent} %")}</progress>
                    <p class="fr-text--sm fr-mb-1w" data-testid="chargement-detail">{detail}</p>
                    <button class="fr-btn fr-btn--secondary fr-btn--sm" type="button" data-testid="annuler" on:click=move |_| s.annuler()>
                        "Annuler (les données déjà chargées sont conservées)"
                    </button>
                </div>
            }
        })
    }
}

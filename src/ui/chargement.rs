//! Reading a large état des lieux without freezing the page: the file is read by slices, then
//! parsed chunk by chunk (`import::progressif`), yielding to the browser in between, with a
//! progress bar and a cancel button that leaves the previous data untouched.

use leptos::prelude::*;

use super::navigateur::{ceder, lire_par_tranches, maintenant_ms, taille_octets};
use super::state::{Chargement, Session};
use crate::format::{decimal, integer, megaoctets};
use crate::import::progressif::LectureProgressive;
use crate::import::{tableur, Format};

/// Largest file read in the browser (≈ 4 million logements; the tab then needs ≈ 1,5 Go). Above
/// it, the command line `flux` reads any size.
pub const TAILLE_MAX: u64 = 500 * 1024 * 1024;

/// Reads `fichier` into the session. Errors are French messages for the page.
pub async fn charger(s: Session, fichier: web_sys::File) -> Result<(), String> {
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
    let mut lecture = match LectureProgressive::commencer(&octets, None) {
        Ok(l) => l,
        Err(e) => {
            s.chargement.set(None);
            s.installer(nom, octets, Err(e));
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
    s.installer(nom, octets, import);
    Ok(())
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

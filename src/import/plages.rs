//! A CSV état des lieux read by byte ranges, each in its own Web Worker (issue #14, « lecture
//! parallèle dans le navigateur »). The page reads only the header ([`preparer`]); each worker
//! reads its range of the file straight from the `File` handle, piece by piece ([`LecteurPlage`]),
//! and hands back its part in a compact binary form ([`Plage`]); the page joins the parts in file
//! order ([`assembler`]). The file itself is never held whole, neither by the page nor by a
//! worker: that is what keeps a 1.4 M-logement file within the tab's memory budget. The command
//! line reads the same ranges on its threads, straight from disk ([`lire_fichier`]).
//!
//! Same rejects, warnings and logements as [`super::lire`]: a range starts after the first line
//! break at or after its nominal start and ends after the first line break at or after its
//! nominal end, so two neighbouring workers agree on their common cut without talking to each
//! other. A cut inside a quoted field (an odd number of quotes before it) would split a record:
//! the page then reads the file the single-threaded way ([`Plan::coupes_sures`]). So does a file
//! without `rpls` column (its identifiers are line numbers, unknown to a worker), or in UTF-16.
//! A range that is not UTF-8 makes the page read every range again as Windows-1252
//! (single-byte: each range decodes on its own exactly as the whole file would).

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::columns::{Champ, Correspondance};
use super::ligne::{Partiel, Plafond};
use super::{csv, Entete, Import, ImportError, Rejet, LOGEMENTS_MAX};
use crate::domain::model::Categorie;
use crate::domain::dataset::DatasetBuilder;
use crate::domain::Dataset;

/// Bytes a worker takes from the file at a time: ~40 ms of work, then a progress message to the
/// page.
pub const PIECE: usize = 4 << 20;

/// Bytes parsed at a time, about a core's second-level cache: the passes over them (UTF-8 check,
/// quotes, line cut, then fields) find them there. Parsed 4 MB at a time, they were read from
/// the shared cache or memory at each pass: the import took 6 % longer (stop 26).
pub const LOT: usize = 1 << 20;

/// Smallest file worth the workers: below, their start-up costs more than they save.
pub const TAILLE_MIN: u64 = 4 << 20;

/// Workers for a file: `demande` when the page's address sets it (1 to 8; 1 reads on the
/// page), else the browser's logical processors, from 2 to 8.
pub fn lecteurs(demande: Option<usize>, processeurs: usize) -> usize {
    match demande {
        Some(n) => n.clamp(1, 8),
        None => processeurs.clamp(2, 8),
    }
}

/// Whether a file of `taille` bytes is read by `lecteurs` workers (else on the page's thread).
pub fn en_parallele(taille: u64, lecteurs: usize) -> bool {
    taille >= TAILLE_MIN && lecteurs > 1
}

/// What one worker is told: how to read a record, and its nominal range of the file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Consigne {
    pub sep: u8,
    pub map: Correspondance,
    pub nb_colonnes: usize,
    /// Nominal range `[debut, fin)` of file offsets (see the module's doc for the actual one).
    pub debut: u64,
    pub fin: u64,
    /// The first range starts exactly at `debut` (the first data line).
    pub premiere: bool,
    /// Decode each piece from Windows-1252 before reading it.
    pub windows_1252: bool,
}

/// How the page reads a file by ranges: the header and one [`Consigne`] per worker.
pub struct Plan {
    entete: Entete,
    lignes_entete: u64,
    encodage: &'static str,
    pub consignes: Vec<Consigne>,
}

/// Reads the header from the first bytes of a file of `taille` bytes and plans `n` ranges. At
/// least [`csv::LIGNE_MAX`] + 4 bytes are needed (or the whole file when smaller): the header
/// line is looked for there, as [`super::lire`] does. `Ok(None)`: the file must be read the
/// single-threaded way (see the module's doc). `windows_1252`: the data was found not to be
/// UTF-8; the header is then decoded that way too, as [`super::lire`] decodes the whole text.
pub fn preparer(
    debut_du_fichier: &[u8],
    taille: u64,
    correspondance: Option<&Correspondance>,
    n: usize,
    windows_1252: bool,
) -> Result<Option<Plan>, ImportError> {
    if csv::utf16(debut_du_fichier).is_some() {
        return Ok(None);
    }
    let (reste, bom) = match debut_du_fichier.strip_prefix(b"\xEF\xBB\xBF") {
        Some(reste) => (reste, 3),
        None => (debut_du_fichier, 0),
    };
    if csv::binaire(reste) {
        return Err(ImportError::Binaire);
    }
    // Line breaks and quotes are ASCII: the header line ends at the same byte in both encodings.
    let debut = bom + csv::fin_premiere_ligne(&reste[..reste.len().min(csv::LIGNE_MAX + 1)]) as u64;
    let decode;
    let (texte, windows_1252) = if windows_1252 || std::str::from_utf8(&reste[..(debut - bom) as usize]).is_err() {
        decode = encoding_rs::WINDOWS_1252.decode(reste).0.into_owned();
        (decode.as_bytes(), true)
    } else {
        (reste, false)
    };
    let Some(entete) = Entete::lire(texte, correspondance)? else {
        return Ok(None);
    };
    if entete.map.colonne(Champ::Rpls).is_none() {
        return Ok(None);
    }
    let encodage = match (windows_1252, bom) {
        (true, _) => "Windows-1252",
        (false, 3) => "UTF-8 (BOM)",
        (false, _) => "UTF-8",
    };
    let n = n.max(1) as u64;
    let donnees = taille.saturating_sub(debut);
    let consignes = (0..n)
        .map(|k| Consigne {
            sep: entete.sep,
            map: entete.map.clone(),
            nb_colonnes: entete.entetes.len(),
            debut: debut + donnees * k / n,
            fin: debut + donnees * (k + 1) / n,
            premiere: k == 0,
            windows_1252,
        })
        .collect();
    Ok(Some(Plan {
        lignes_entete: csv::lignes(&texte[..entete.debut]),
        entete,
        encodage,
        consignes,
    }))
}

impl Plan {
    /// Whether the data is read as Windows-1252.
    pub fn windows_1252(&self) -> bool {
        self.consignes.first().is_some_and(|c| c.windows_1252)
    }

    /// Whether every cut between ranges falls outside quotes, given the quotes each range held
    /// (in file order): an even number before the cut, the rule [`csv::decouper`] applies.
    pub fn coupes_sures(guillemets: &[u64]) -> bool {
        let mut avant = 0u64;
        guillemets.iter().all(|&g| {
            let sure = avant.is_multiple_of(2);
            avant += g;
            sure
        })
    }
}

/// The progress of the workers together: each reports its own bytes and rows.
#[derive(Clone, Debug, Default)]
pub struct Avancement {
    faits: Vec<(u64, usize)>,
    /// The file's size: a range read a little past its nominal end never shows more.
    taille: u64,
}

impl Avancement {
    pub fn new(lecteurs: usize, taille: u64) -> Avancement {
        Avancement { faits: vec![(0, 0); lecteurs], taille }
    }

    /// Worker `i` has read `fait` bytes of its range and `lignes` rows: the bytes (at most the
    /// file's size) and rows of all.
    pub fn noter(&mut self, i: usize, fait: u64, lignes: usize) -> (u64, usize) {
        if let Some(f) = self.faits.get_mut(i) {
            *f = (fait, lignes);
        }
        let (octets, lignes) = self.faits.iter().fold((0, 0), |(a, b), &(f, l)| (a + f, b + l));
        (octets.min(self.taille), lignes)
    }
}

/// One worker's reading of its range, fed with the file's bytes from the nominal start on.
pub struct LecteurPlage {
    consigne: Consigne,
    /// File offset of the next byte fed.
    position: u64,
    /// The range's first byte was found (after the first line break, unless it is the first).
    commencee: bool,
    /// The range's last byte was fed: nothing more is needed.
    finie: bool,
    /// The reader's buffer: the bytes of the range fed but not read yet are `tampon[..rempli]`
    /// (the end of a piece, up to a safe cut); the rest is room written in place by the next
    /// [`LecteurPlage::nourrir_en_place`]. Kept from one range to the next by the command line's
    /// threads ([`LecteurPlage::avec_tampon`]), so that its pages are taken from the system once.
    tampon: Vec<u8>,
    rempli: usize,
    /// What the pieces read so far gave, line numbers from the start of the range.
    total: Option<Partiel>,
    /// Memory for the range's logements and lines: a part already joined
    /// ([`LecteurPlage::reprendre`]).
    colonnes: Option<(Dataset, Vec<u32>)>,
    /// Bytes of the file after the range whose logements will be joined into its part (the
    /// command line's first range, [`LecteurPlage::prevoir`]).
    apres: u64,
    guillemets: u64,
    plafond: Plafond,
}

impl LecteurPlage {
    pub fn new(consigne: Consigne) -> LecteurPlage {
        LecteurPlage::avec_tampon(consigne, Vec::new())
    }

    /// A reader that writes the range's bytes into `tampon` (its contents do not matter), the
    /// buffer a previous range gave back ([`LecteurPlage::finir_et_rendre`]).
    pub fn avec_tampon(consigne: Consigne, tampon: Vec<u8>) -> LecteurPlage {
        LecteurPlage {
            position: consigne.debut,
            commencee: consigne.premiere,
            finie: consigne.debut >= consigne.fin && !consigne.premiere,
            consigne,
            tampon,
            rempli: 0,
            total: None,
            colonnes: None,
            apres: 0,
            guillemets: 0,
            plafond: Plafond::new(LOGEMENTS_MAX),
        }
    }

    /// The range's part will also receive the logements of `octets` more bytes of the file (the
    /// other ranges, joined into the first): its columns get room for them too after the first
    /// lot, while they hold that lot only, rather than being copied into larger ones at the join
    /// (a tenth of the file's logements, 1 300 page faults on 1.4 M; stop 26).
    pub fn prevoir(&mut self, octets: u64) {
        self.apres = octets;
    }

    /// The range's logements and lines will be written in the memory of `ds` and `lignes` (a
    /// part the join has copied, their contents dropped).
    pub fn reprendre(&mut self, ds: Dataset, mut lignes: Vec<u32>) {
        lignes.clear();
        self.colonnes = Some((ds, lignes));
    }

    /// File offset of the next byte to feed.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Rows read so far.
    pub fn lignes_lues(&self) -> usize {
        self.total.as_ref().map_or(0, |p| p.lues)
    }

    /// Feeds the next bytes of the file (from [`LecteurPlage::position`]). `false` once the range
    /// is complete, or its reading stopped (not UTF-8, over the cap): no more bytes are needed.
    pub fn nourrir(&mut self, octets: &[u8]) -> bool {
        let n = octets.len();
        let ecrire = |d: &mut [u8]| {
            d.copy_from_slice(octets);
            Ok::<_, std::convert::Infallible>(n)
        };
        self.nourrir_en_place(n, ecrire).unwrap_or_else(|e| match e {})
    }

    /// [`LecteurPlage::nourrir`] with the next bytes written straight into the reader's buffer:
    /// `ecrire` gets room for at most `n` bytes and says how many it wrote (a `read` from the
    /// file, a copy out of a JS array). The file's bytes are copied once, not twice: the
    /// command line reads 170 MB through here.
    pub fn nourrir_en_place<E>(
        &mut self,
        n: usize,
        ecrire: impl FnOnce(&mut [u8]) -> Result<usize, E>,
    ) -> Result<bool, E> {
        if self.finie {
            return Ok(false);
        }
        let debut = self.rempli;
        if self.tampon.len() < debut + n {
            self.tampon.resize(debut + n, 0);
        }
        let lu = ecrire(&mut self.tampon[debut..debut + n])?.min(n);
        let mut position = self.position;
        self.position += lu as u64;
        let mut nouveaux = debut..debut + lu;
        if !self.commencee {
            match memchr::memchr(b'\n', &self.tampon[nouveaux.clone()]) {
                // The first line break at or after the nominal start is at or after its end:
                // the next range starts at the same place, this one is empty.
                Some(i) if position + i as u64 >= self.consigne.fin => self.finie = true,
                Some(i) => {
                    self.commencee = true;
                    position += i as u64 + 1;
                    nouveaux.start += i + 1;
                }
                None if self.position >= self.consigne.fin => self.finie = true,
                None => {}
            }
            if !self.commencee {
                return Ok(!self.finie);
            }
            // Nothing was kept before the range's first line: its bytes go to the front.
            self.tampon.copy_within(nouveaux.clone(), debut);
            nouveaux = debut..debut + nouveaux.len();
        }
        // The range ends after the first line break at or after the nominal end.
        let avant_fin = self.consigne.fin.saturating_sub(position).min(nouveaux.len() as u64) as usize;
        let garder = match memchr::memchr(b'\n', &self.tampon[nouveaux.start + avant_fin..nouveaux.end]) {
            Some(i) => {
                self.finie = true;
                avant_fin + i + 1
            }
            None => nouveaux.len(),
        };
        self.rempli += garder;
        if self.rempli >= LOT {
            // Read in place, about `LOT` bytes at a time (or a longer record whole), then the
            // rest moved to the front.
            let tampon = std::mem::take(&mut self.tampon);
            let mut lu = 0;
            while self.rempli - lu >= LOT {
                let reste = &tampon[lu..self.rempli];
                let coupe = match coupe_sure(&reste[..LOT]) {
                    0 => coupe_sure(reste),
                    c => c,
                };
                if coupe == 0 {
                    break;
                }
                self.lire(&reste[..coupe]);
                lu += coupe;
            }
            self.tampon = tampon;
            self.tampon.copy_within(lu..self.rempli, 0);
            self.rempli -= lu;
        }
        Ok(!self.finie && !self.arretee())
    }

    /// The reading stopped early: a record is not UTF-8 (the page reads again as Windows-1252),
    /// or the file went over the cap.
    fn arretee(&self) -> bool {
        self.total.as_ref().is_some_and(|p| p.pas_utf8 || p.trop.is_some())
    }

    /// Reads one piece ending at a record boundary.
    fn lire(&mut self, piece: &[u8]) {
        if self.arretee() {
            return;
        }
        let decode;
        let piece = if self.consigne.windows_1252 {
            decode = encoding_rs::WINDOWS_1252.decode(piece).0;
            decode.as_bytes()
        } else {
            piece
        };
        let guillemets = memchr::memchr_iter(b'"', piece).count() as u64;
        self.guillemets += guillemets;
        let c = &self.consigne;
        let premiere = self.total.is_none();
        let avant = self.total.take().unwrap_or_else(|| match self.colonnes.take() {
            Some((ds, lignes)) => Partiel { builder: DatasetBuilder::avec_colonnes_de(ds), lignes, ..Partiel::default() },
            None => Partiel::default(),
        });
        let mut p = super::lire_morceau_apres(avant, piece, c.sep, &c.map, c.nb_colonnes, guillemets > 0, &self.plafond);
        // After the range's first piece, room for the rest of the range at the same rows per
        // byte, an eighth more: the columns then never grow by copying themselves (a range of
        // 20 MB doubles each column four or five times), and pages reserved but never written
        // are not taken from the system.
        // With other ranges to come, a quarter more: the join reserves their logements at the
        // whole range's rows per byte, a tenth more, and must find the room already there.
        let reste = self.consigne.fin.saturating_sub(self.position) + self.apres;
        if premiere && !p.builder.is_empty() && reste > 0 {
            let marge = if self.apres > 0 { (5, 4) } else { (9, 8) };
            let (num, den) = (reste * marge.0, piece.len() as u64 * marge.1);
            p.builder.reserver_au_prorata(num, den);
            p.lignes.reserve_exact((p.lignes.len() as u128 * u128::from(num) / u128::from(den)) as usize);
        }
        self.total = Some(p);
    }

    /// The range's part, once [`LecteurPlage::nourrir`] said no more was needed or the file
    /// ended.
    pub fn finir(self) -> Plage {
        self.finir_et_rendre().0
    }

    /// [`LecteurPlage::finir`], and the reader's buffer for the next range.
    pub fn finir_et_rendre(mut self) -> (Plage, Vec<u8>) {
        let tampon = std::mem::take(&mut self.tampon);
        if self.rempli > 0 {
            self.lire(&tampon[..self.rempli]);
        }
        let p = self.total.unwrap_or_default();
        let plage = Plage {
            guillemets: self.guillemets,
            pas_utf8: p.pas_utf8,
            lues: p.lues,
            retenues: p.retenues,
            rejets: p.rejets,
            avertissements: p.avertissements,
            lignes: p.lignes,
            categories: p.categories.into_iter().collect(),
            lignes_physiques: p.lignes_physiques,
            trop: p.trop,
            dataset: p.builder.brut(),
        };
        (plage, tampon)
    }
}

/// Reads two small generated états des lieux (both profiles of `flux generer`, 2 000 logements
/// each) the way a worker reads its range, and returns the logements kept. A reading worker does
/// this before it says it is ready, so that the browser has compiled the reading's hot functions
/// with its optimising tier before the user's file arrives. V8 runs WebAssembly first in its
/// baseline tier and does not replace a call already running. A worker's first 4 MB piece is one
/// call, and it took about three times as long as the next pieces.
pub fn echauffer() -> usize {
    let mut total = 0;
    for exports in [false, true] {
        let mut texte = Vec::new();
        let genere = match exports {
            true => crate::generate::generer_exports(&mut texte, 2000, 2, 1),
            false => crate::generate::generer(&mut texte, 2000, 2, 1),
        };
        let Ok(Some(plan)) = genere.map_err(|_| ()).and_then(|()| preparer(&texte, texte.len() as u64, None, 1, false).map_err(|_| ())) else {
            continue;
        };
        total += parts_en_memoire(&texte, &plan).iter().map(|octets| Plage::lire(octets).map_or(0, |p| p.logements())).sum::<usize>();
    }
    total
}

/// The parts of `plan`'s ranges of `texte`, each read whole as a worker reads it and sent as bytes.
fn parts_en_memoire(texte: &[u8], plan: &Plan) -> Vec<Vec<u8>> {
    plan.consignes
        .iter()
        .map(|c| {
            let mut l = LecteurPlage::new(c.clone());
            l.nourrir(&texte[(c.debut as usize).min(texte.len())..]);
            l.finir().octets()
        })
        .collect()
}

/// The CSV `texte` read the way the page reads a large file: two ranges, each read as a worker
/// reads it and sent as bytes, then joined with [`assembler`]. The page's warm-up
/// (`ui::chargement::echauffer_page`) runs this on the demo file, with a calculation, so that the
/// page's own hot functions (the join, the engine) are compiled by the optimising tier before the
/// user's file comes (docs/engine.md, stop 23). `None`: a file the workers would not read.
pub fn lecture_echantillon(texte: &[u8]) -> Option<Import> {
    let plan = preparer(texte, texte.len() as u64, None, 2, false).ok()??;
    let parts = parts_en_memoire(texte, &plan);
    assembler(plan, parts).ok()?.ok()
}

/// The end of the last line of `texte` that is outside quotes (0: none): a record boundary.
fn coupe_sure(texte: &[u8]) -> usize {
    if memchr::memchr(b'"', texte).is_none() {
        return memchr::memrchr(b'\n', texte).map_or(0, |i| i + 1);
    }
    let mut dedans = false;
    let mut coupe = 0;
    for i in memchr::memchr2_iter(b'"', b'\n', texte) {
        match texte[i] {
            b'"' => dedans = !dedans,
            _ if !dedans => coupe = i + 1,
            _ => {}
        }
    }
    coupe
}

/// One range's part of the import, as a worker hands it to the page (line numbers from the start
/// of the range; the logements as appended, names interned within the range).
#[derive(Serialize, Deserialize)]
pub struct Plage {
    /// Quotes in the range (see [`Plan::coupes_sures`]).
    pub guillemets: u64,
    /// A record is not UTF-8: the whole file must be read again as Windows-1252.
    pub pas_utf8: bool,
    lues: usize,
    retenues: usize,
    rejets: Vec<Rejet>,
    avertissements: Vec<Rejet>,
    #[serde(with = "crate::domain::colonnes")]
    lignes: Vec<u32>,
    categories: Vec<(String, Vec<(Categorie, u64)>)>,
    lignes_physiques: u64,
    trop: Option<u64>,
    dataset: Dataset,
}

impl Plage {
    /// The binary form sent from the worker to the page.
    pub fn octets(&self) -> Vec<u8> {
        postcard::to_allocvec(self).expect("sérialisation d'une plage")
    }

    /// Reads what [`Plage::octets`] wrote.
    pub fn lire(octets: &[u8]) -> Result<Plage, String> {
        postcard::from_bytes(octets).map_err(|e| format!("résultat d'un lecteur illisible : {e}"))
    }

    /// Logements kept in the range.
    pub fn logements(&self) -> usize {
        self.lignes.len()
    }

    fn partiel(self) -> Partiel {
        Partiel {
            builder: DatasetBuilder::depuis_brut(self.dataset),
            lues: self.lues,
            retenues: self.retenues,
            rejets: self.rejets,
            avertissements: self.avertissements,
            lignes: self.lignes,
            categories: self.categories.into_iter().collect::<FxHashMap<_, _>>(),
            lignes_physiques: self.lignes_physiques,
            trop: self.trop,
            ..Partiel::default()
        }
    }
}

/// Joins the ranges' parts, in file order, into the finished import (the same as
/// [`super::lire`]'s on the whole file). Each part is decoded only when its turn comes, so that
/// the page holds one part at a time besides the growing dataset. `Err`: a part could not be
/// decoded (the page then reads the file the single-threaded way).
pub fn assembler(
    plan: Plan,
    parts: impl IntoIterator<Item = Vec<u8>>,
) -> Result<Result<Import, ImportError>, String> {
    assembler_max(plan, parts.into_iter().map(|octets| Plage::lire(&octets)), LOGEMENTS_MAX, |_, _| {})
}

/// [`assembler`] with at most `max` logements (tests use a small cap), the parts decoded.
/// `rendre` gets each part once it is copied (see [`LecteurPlage::reprendre`]).
fn assembler_max(
    plan: Plan,
    parts: impl IntoIterator<Item = Result<Plage, String>>,
    max: u64,
    rendre: impl FnMut(Dataset, Vec<u32>),
) -> Result<Result<Import, ImportError>, String> {
    let plafond = Plafond::new(max);
    let (mut cumul, mut avant) = (0u64, plan.lignes_entete);
    let mut trop = None;
    let mut illisible = None;
    let partiels = parts.into_iter().map_while(|part| {
        let p = match part {
            Ok(p) => p.partiel(),
            Err(e) => {
                illisible = Some(e);
                return None;
            }
        };
        if let Some(l) = plafond.depasse(&p, &mut cumul) {
            trop = Some(l + avant);
            return None;
        }
        avant += p.lignes_physiques;
        Some(p)
    });
    let import = plan.entete.assembler(plan.lignes_entete, partiels, plan.encodage, rendre);
    if let Some(e) = illisible {
        return Err(e);
    }
    Ok(match trop {
        Some(ligne) => Err(ImportError::TropDeLogements { ligne }),
        None => Ok(import),
    })
}

/// The command line's reading of a CSV file: `n` ranges, as the browser's workers read them,
/// taken in turn by `fils` threads, each range read `piece` bytes at a time from
/// `ouvrir(debut)` (the file's bytes from offset `debut` on). The file is never held whole (a
/// 1.4 M logement file would otherwise take 160 MB before its first row is read), reading the
/// disk overlaps parsing, and each part is joined as soon as the parts before it are: the
/// calling thread holds the growing dataset and the few parts not joined yet, not all of them.
///
/// `Ok(None)`: the file must be read whole with [`super::lire`] (see the module's doc: UTF-16, no
/// `rpls` column, a cut inside quotes).
pub fn lire_par_fils<R: std::io::Read>(
    debut_du_fichier: &[u8],
    taille: u64,
    correspondance: Option<&Correspondance>,
    (n, fils): (usize, usize),
    piece: usize,
    ouvrir: impl Fn(u64) -> std::io::Result<R> + Sync,
) -> std::io::Result<Option<Result<Import, ImportError>>> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let arret = AtomicBool::new(false);
    // Each thread's reader buffer goes from one range to the next (`tampon`), and the parts the
    // join has copied come back for the next ranges' logements (`copiees`).
    let copiees = std::sync::Mutex::new(Vec::<(Dataset, Vec<u32>)>::new());
    // `apres`: the bytes after the range joined into its part (see [`LecteurPlage::prevoir`]).
    let lire_plage = |c: &Consigne, apres: u64, tampon: &mut Vec<u8>| -> std::io::Result<Plage> {
        let mut source = ouvrir(c.debut)?;
        let mut l = LecteurPlage::avec_tampon(c.clone(), std::mem::take(tampon));
        l.prevoir(apres);
        if let Some((ds, lignes)) = copiees.lock().ok().and_then(|mut v| v.pop()) {
            l.reprendre(ds, lignes);
        }
        loop {
            let mut lu = 0;
            let encore = l.nourrir_en_place(piece.max(1), |d| {
                lu = source.read(d)?;
                Ok::<_, std::io::Error>(lu)
            })?;
            if lu == 0 || !encore || arret.load(Ordering::Relaxed) {
                let (plage, rendu) = l.finir_et_rendre();
                *tampon = rendu;
                return Ok(plage);
            }
        }
    };
    let mut windows_1252 = false;
    loop {
        let mut plan = match preparer(debut_du_fichier, taille, correspondance, n, windows_1252) {
            Ok(Some(plan)) => plan,
            Ok(None) => return Ok(None),
            Err(e) => return Ok(Some(Err(e))),
        };
        arret.store(false, Ordering::Relaxed);
        let en_windows_1252 = plan.windows_1252();
        let consignes = degressives(std::mem::take(&mut plan.consignes), fils);
        let suivante = AtomicUsize::new(0);
        let (envoi, reception) = std::sync::mpsc::channel::<(usize, std::io::Result<Plage>)>();
        let consignes = &consignes;
        let (import, fin) = std::thread::scope(|s| {
            for _ in 0..fils.clamp(1, consignes.len()) {
                let envoi = envoi.clone();
                let (suivante, arret, lire_plage) = (&suivante, &arret, &lire_plage);
                s.spawn(move || {
                    let mut tampon = Vec::new();
                    while !arret.load(Ordering::Relaxed) {
                        let k = suivante.fetch_add(1, Ordering::Relaxed);
                        let Some(c) = consignes.get(k) else { break };
                        let apres = match (k, consignes.last()) {
                            (0, Some(d)) => d.fin.saturating_sub(c.fin),
                            _ => 0,
                        };
                        if envoi.send((k, lire_plage(c, apres, &mut tampon))).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(envoi);
            let premiere_et_toutes = match (consignes.first(), consignes.last()) {
                (Some(p), Some(d)) => (p.fin - p.debut, d.fin - p.debut),
                _ => (0, 0),
            };
            let mut en_ordre = EnOrdre { reception, attente: Default::default(), suivante: 0, n: consignes.len(), guillemets: 0, fin: None, windows_1252: en_windows_1252, premiere_et_toutes };
            let parts = std::iter::from_fn(|| en_ordre.suivante()).map(Ok);
            let rendre = |ds, lignes| {
                if let Ok(mut v) = copiees.lock() {
                    v.push((ds, lignes));
                }
            };
            let import = assembler_max(plan, parts, LOGEMENTS_MAX, rendre).expect("plages lues sur place");
            // A part that stops the join stops the threads too (they finish their current range).
            arret.store(true, Ordering::Relaxed);
            (import, en_ordre.fin)
        });
        match fin {
            None => return Ok(Some(import)),
            Some(Fin::Erreur(e)) => return Err(e),
            Some(Fin::Windows1252) => windows_1252 = true,
            Some(Fin::CoupeDansDesGuillemets) => return Ok(None),
        }
    }
}

/// The same span cut into ranges of decreasing size when there are more ranges than threads
/// (weight 3m − 2k for range k of m: the first is about three times the last). Each thread takes
/// the next range when it is done with one, so the reading ends with small ranges: less time with
/// one core idle at the end, and a smaller last part to join once every thread has finished.
fn degressives(mut consignes: Vec<Consigne>, fils: usize) -> Vec<Consigne> {
    let m = consignes.len() as u64;
    let (Some(premiere), Some(derniere)) = (consignes.first(), consignes.last()) else {
        return consignes;
    };
    if m <= fils as u64 {
        return consignes;
    }
    let (debut, etendue) = (premiere.debut, derniere.fin - premiere.debut);
    // Weights before range k: Σ_{j<k} (3m − 2j) = k(3m − k + 1).
    let cumul = |k: u64| k * (3 * m - k + 1);
    let total = cumul(m);
    for (k, c) in (0..).zip(consignes.iter_mut()) {
        c.debut = debut + etendue * cumul(k) / total;
        c.fin = debut + etendue * cumul(k + 1) / total;
    }
    consignes
}

/// Why [`EnOrdre`] stopped before the last part.
enum Fin {
    Erreur(std::io::Error),
    /// A part is not UTF-8: every range is read again as Windows-1252.
    Windows1252,
    /// A cut between ranges falls inside quotes: the file is read whole.
    CoupeDansDesGuillemets,
}

/// The parts of [`lire_par_fils`] in file order, as the threads hand them over in any order;
/// stops at the first part that makes the reading by ranges wrong or impossible.
struct EnOrdre {
    reception: std::sync::mpsc::Receiver<(usize, std::io::Result<Plage>)>,
    attente: std::collections::BTreeMap<usize, std::io::Result<Plage>>,
    suivante: usize,
    n: usize,
    /// Quotes in the parts joined so far (see [`Plan::coupes_sures`]).
    guillemets: u64,
    fin: Option<Fin>,
    windows_1252: bool,
    /// Bytes of the first range and of the whole span: the first part, which the others are
    /// joined into, is reserved for the rest at the same rows per byte.
    premiere_et_toutes: (u64, u64),
}

impl EnOrdre {
    fn suivante(&mut self) -> Option<Plage> {
        if self.fin.is_some() || self.suivante == self.n {
            return None;
        }
        let lue = loop {
            if let Some(p) = self.attente.remove(&self.suivante) {
                break p;
            }
            match self.reception.recv() {
                Ok((k, p)) => {
                    self.attente.insert(k, p);
                }
                Err(_) => {
                    self.fin = Some(Fin::Erreur(std::io::Error::other("un fil de lecture s'est arrêté")));
                    return None;
                }
            }
        };
        self.suivante += 1;
        let plage = match lue {
            Ok(p) => p,
            Err(e) => {
                self.fin = Some(Fin::Erreur(e));
                return None;
            }
        };
        if plage.pas_utf8 && !self.windows_1252 {
            self.fin = Some(Fin::Windows1252);
            return None;
        }
        if !Plan::coupes_sures(&[self.guillemets, plage.guillemets]) {
            self.fin = Some(Fin::CoupeDansDesGuillemets);
            return None;
        }
        self.guillemets += plage.guillemets;
        let mut plage = plage;
        if self.suivante == 1 {
            // Room for the other ranges' logements at the first one's rows per byte, a tenth
            // more (pages never written are not taken from the system).
            let (premiere, toutes) = self.premiere_et_toutes;
            plage.dataset.reserver_au_prorata(toutes.saturating_sub(premiere) * 11, premiere * 10);
        }
        Some(plage)
    }
}

/// [`lire_par_fils`] on a file on disk, with `demande` threads (1 to 8), else one per processor
/// (2 to 8), as [`lecteurs`] decides for the browser. `Ok(None)`: read it whole with
/// [`super::lire`] — a workbook, a file under [`TAILLE_MIN`], a single thread asked for, or one
/// of [`lire_par_fils`]'s cases.
pub fn lire_fichier(
    chemin: &std::path::Path,
    correspondance: Option<&Correspondance>,
    demande: Option<usize>,
) -> std::io::Result<Option<Result<Import, ImportError>>> {
    use std::io::{Read, Seek};
    let mut fichier = std::fs::File::open(chemin)?;
    let taille = fichier.metadata()?.len();
    let n = lecteurs(demande, std::thread::available_parallelism().map_or(1, |n| n.get()));
    if !en_parallele(taille, n) {
        return Ok(None);
    }
    let mut debut = Vec::new();
    (&mut fichier).take(csv::LIGNE_MAX as u64 + 4).read_to_end(&mut debut)?;
    if !matches!(super::tableur::format(&debut), Ok(super::Format::Csv)) {
        return Ok(None);
    }
    // Six ranges per thread, of decreasing size ([`degressives`]): the join then holds about a
    // tenth of the dataset besides it (2 cores), and the reading ends on small ranges (stop 24:
    // eight equal ranges left one core idle for up to 50 ms at the end).
    lire_par_fils(&debut, taille, correspondance, (6 * n, n), 1 << 20, |position| {
        let mut f = std::fs::File::open(chemin)?;
        f.seek(std::io::SeekFrom::Start(position))?;
        Ok(f)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{lire, tests::memes, OptionsLecture};

    /// The ranges read as the command line reads them (two threads), from the bytes in memory
    /// fed `piece` bytes at a time, then joined. `None`: the file needs the single-threaded
    /// reading.
    fn par_plages(octets: &[u8], n: usize, piece: usize) -> Option<Result<Import, ImportError>> {
        let debut = &octets[..octets.len().min(csv::LIGNE_MAX + 4)];
        lire_par_fils(debut, octets.len() as u64, None, (n, 2), piece, |d| Ok(&octets[d as usize..])).unwrap()
    }

    fn comparer(octets: &[u8], n: usize, piece: usize) {
        let a = par_plages(octets, n, piece).expect("lecture par plages").unwrap();
        let b = lire(octets, &OptionsLecture::default()).unwrap();
        assert_eq!(a.encodage, b.encodage);
        assert_eq!(a.separateur, b.separateur);
        memes(&a, &b);
    }

    /// Any number of ranges, fed in pieces of any size, gives the one-shot reading's import:
    /// rows, rejects, warnings (duplicates across ranges, one name with two categories), lines.
    #[test]
    fn same_import_as_the_one_shot_reading() {
        let octets = crate::import::tests::fichier_v2(12_000, true);
        for (n, piece) in [(1, 1 << 20), (2, 7_919), (3, 65_536), (8, 100_003), (40, 4_096)] {
            comparer(&octets, n, piece);
        }
    }

    /// Ranges of decreasing size cover the same span end to end, the first about three times
    /// the last; with no more ranges than threads they stay equal.
    #[test]
    fn decreasing_ranges_cover_the_span() {
        let octets = crate::import::tests::fichier_v2(3_000, true);
        let egales = preparer(&octets, octets.len() as u64, None, 12, false).unwrap().unwrap().consignes;
        let d = degressives(egales.clone(), 2);
        let taille = |c: &Consigne| c.fin - c.debut;
        assert_eq!((d.len(), d[0].debut, d[11].fin), (12, egales[0].debut, egales[11].fin));
        for w in d.windows(2) {
            assert_eq!(w[0].fin, w[1].debut);
            assert!(taille(&w[0]) > taille(&w[1]));
        }
        assert!(taille(&d[0]) > 2 * taille(&d[11]) && taille(&d[0]) < 4 * taille(&d[11]));
        assert!(d.iter().zip(&egales).all(|(a, b)| a.premiere == b.premiere));
        let memes = degressives(egales.clone(), 12);
        assert!(memes.iter().zip(&egales).all(|(a, b)| (a.debut, a.fin) == (b.debut, b.fin)));
    }

    /// A piece larger than [`LOT`] (up to several, as the browser's workers feed [`PIECE`]) is
    /// read in several lots cut at line ends.
    #[test]
    fn pieces_cut_inside_a_range() {
        let octets = crate::import::tests::fichier_v2(90_000, true);
        assert!(octets.len() > PIECE, "{} octets", octets.len());
        comparer(&octets, 1, PIECE + 12_345);
        comparer(&octets, 2, 1 << 20);
        comparer(&octets, 3, LOT - 1);
        comparer(&octets, 1, 3 * LOT + 7);
    }

    /// A byte-order mark, CRLF line ends and quoted fields (a separator and a line break inside
    /// quotes) in some ranges only; a Windows-1252 file read again in that encoding.
    #[test]
    fn bom_quotes_and_windows_1252() {
        let mut texte = String::from("\u{feff}rpls;commune;reservataire;categorie\r\n");
        for i in 0..3_000 {
            let nom = match i % 500 {
                7 => "\"Ville; de Paris\"".to_owned(),
                11 => "\"Action\nLogement\"".to_owned(),
                _ => format!("R{}", i % 13),
            };
            texte.push_str(&format!("L{i};930{:02};{nom};{}\r\n", i % 40 + 1, ["etat", "action_logement", "commune", "autre"][i % 4]));
        }
        for n in [2, 5, 9] {
            comparer(texte.as_bytes(), n, 333);
        }
        let latin: Vec<u8> = "rpls;commune;reservataire\n"
            .bytes()
            .chain((0..2_000).flat_map(|i| format!("A{i};93048;Pr\u{e9}fecture {}\n", i % 3).into_bytes()))
            .collect();
        let latin = encoding_rs::WINDOWS_1252.encode(std::str::from_utf8(&latin).unwrap()).0.into_owned();
        let a = par_plages(&latin, 3, 1_000).unwrap().unwrap();
        assert_eq!(a.encodage, "Windows-1252");
        assert_eq!(a.dataset.reservataires[0].nom, "Préfecture 0");
        comparer(&latin, 4, 777);
    }

    /// A cut that falls inside a quoted field is refused: the single-threaded reading is used.
    #[test]
    fn a_cut_inside_quotes_falls_back() {
        let mut texte = String::from("rpls;commune;reservataire\n");
        texte.push_str("A1;93048;\"R");
        texte.push_str(&"\nsuite".repeat(2_000));
        texte.push_str("\"\n");
        for i in 0..500 {
            texte.push_str(&format!("B{i};93048;R\n"));
        }
        assert!(par_plages(texte.as_bytes(), 4, 512).is_none());
        assert!(!Plan::coupes_sures(&[1, 1, 0]));
        assert!(!Plan::coupes_sures(&[2, 1, 1, 0]));
        assert!(Plan::coupes_sures(&[2, 4, 1]));
    }

    /// Files the workers cannot read alone go the single-threaded way; header errors are the
    /// one-shot reading's.
    #[test]
    fn fallbacks_and_header_errors() {
        let sans_rpls = b"commune;reservataire\n93048;Etat\n".to_vec();
        assert!(par_plages(&sans_rpls, 2, 10).is_none());
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("rpls;commune\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert!(par_plages(&utf16, 2, 10).is_none());
        let manquante = b"rpls;reservataire\nA;Etat\n".to_vec();
        let (a, b) = (par_plages(&manquante, 2, 10).unwrap(), lire(&manquante, &OptionsLecture::default()));
        assert_eq!(a.err().map(|e| e.to_string()), b.err().map(|e| e.to_string()));
        assert!(matches!(par_plages(b"\0\0\0binaire", 2, 10), Some(Err(ImportError::Binaire))));
    }

    /// The progress shown is the sum of every worker's last report.
    #[test]
    fn progress_of_all_workers() {
        let mut a = Avancement::new(3, 400);
        assert_eq!(a.noter(0, 100, 10), (100, 10));
        assert_eq!(a.noter(2, 50, 4), (150, 14));
        assert_eq!(a.noter(0, 300, 25), (350, 29));
        assert_eq!(a.noter(7, 1, 1), (350, 29), "an unknown worker is ignored");
        assert_eq!(a.noter(1, 90, 2), (400, 31), "never more than the file");
    }

    /// The warm-up reads both generated samples whole, through the workers' path.
    #[test]
    fn warm_up_reads_both_samples() {
        assert_eq!(echauffer(), 4000);
    }

    /// The page's warm-up sample goes through the page's path (ranges, bytes, join) whole, and
    /// gives what the one-shot reading gives.
    #[test]
    fn sample_read_as_the_page_reads() {
        let mut texte = Vec::new();
        crate::generate::generer(&mut texte, 3000, 3, 5).unwrap();
        let imp = lecture_echantillon(&texte).expect("échantillon lu");
        assert_eq!((imp.dataset.len(), imp.rejets.len()), (3000, 0));
        memes(&imp, &lire(&texte, &OptionsLecture::default()).unwrap());
    }

    /// Two workers at least, eight at most; the address may ask for one (the page's reading).
    #[test]
    fn number_of_workers() {
        assert_eq!(lecteurs(None, 0), 2);
        assert_eq!(lecteurs(None, 4), 4);
        assert_eq!(lecteurs(None, 64), 8);
        assert_eq!(lecteurs(Some(1), 16), 1);
        assert_eq!(lecteurs(Some(0), 16), 1);
        assert_eq!(lecteurs(Some(20), 2), 8);
        assert!(en_parallele(TAILLE_MIN, 2));
        assert!(!en_parallele(TAILLE_MIN - 1, 2));
        assert!(!en_parallele(1 << 30, 1));
    }

    /// A part crosses from a worker to the page as bytes (its columns as little-endian bytes,
    /// `domain::colonnes`): joined from those bytes, the import is the one joined from the parts
    /// themselves, column for column.
    #[test]
    fn parts_cross_as_bytes_unchanged() {
        let octets = crate::import::tests::fichier_v2(12_000, true);
        let debut = &octets[..octets.len().min(csv::LIGNE_MAX + 4)];
        let plan = || preparer(debut, octets.len() as u64, None, 3, false).unwrap().unwrap();
        let lire = |plan: &Plan| -> Vec<Plage> {
            plan.consignes
                .iter()
                .map(|c| {
                    let mut l = LecteurPlage::new(c.clone());
                    let p = l.position() as usize;
                    l.nourrir(&octets[p..]);
                    l.finir()
                })
                .collect()
        };
        let (p1, p2) = (plan(), plan());
        let directes = lire(&p1);
        let en_octets: Vec<Vec<u8>> = lire(&p2).iter().map(Plage::octets).collect();
        let a = assembler_max(p1, directes.into_iter().map(Ok), LOGEMENTS_MAX, |_, _| {}).unwrap().unwrap();
        let b = assembler(p2, en_octets).unwrap().unwrap();
        memes(&a, &b);
        let tout = |i: &Import| postcard::to_allocvec(&i.dataset).unwrap();
        assert_eq!(tout(&a), tout(&b));
    }

    /// The cap on logements gives the one-shot reading's line, whichever range goes over it.
    #[test]
    fn cap_over_ranges() {
        let octets = crate::import::tests::fichier_v2(3_000, true);
        let debut = &octets[..octets.len().min(csv::LIGNE_MAX + 4)];
        let plan = preparer(debut, octets.len() as u64, None, 3, false).unwrap().unwrap();
        let plages: Vec<Result<Plage, String>> = plan
            .consignes
            .iter()
            .map(|c| {
                let mut l = LecteurPlage::new(c.clone());
                l.plafond = Plafond::new(2_000);
                let p = l.position() as usize;
                l.nourrir(&octets[p..]);
                Plage::lire(&l.finir().octets())
            })
            .collect();
        // Each worker counts against its own cap; the page's check is over the file.
        let attendu = crate::import::lire_en_max(&octets, None, Some(1), 2_000).err();
        assert!(attendu.is_some());
        let obtenu = assembler_max(plan, plages, 2_000, |_, _| {}).unwrap().err();
        assert_eq!(obtenu.map(|e| e.to_string()), attendu.map(|e| e.to_string()));
    }
}

//! Import layer: turns an uploaded état des lieux (bytes) into the compact [`Dataset`].
//!
//! Bad input never crashes and never disappears silently (SPEC §2): a row that cannot be computed
//! is rejected with its line, column and reason; a doubtful value is kept and warned about; and
//! rows read = rows kept + rows rejected, always.
//!
//! [`lire`] is the one entry point: it recognises a workbook (XLSX, ODS: [`tableur`]) from
//! its first bytes, else reads CSV. Modules: [`csv`] (encoding, separator, chunks), [`columns`]
//! (header matching), [`values`] (cell parsing), `ligne` (one record → one logement, shared by
//! every format). See docs/import.md.

mod balayage;
pub mod bornes;
pub mod columns;
pub mod csv;
pub mod plages;
pub mod progressif;
mod ligne;
pub mod mouvements;
pub mod tableur;
pub mod vue_publiee;
pub mod vacants;
pub mod values;

use std::borrow::Cow;
use std::fmt;

use ::csv::{ByteRecord, StringRecord};
use serde::{Deserialize, Serialize};

use crate::domain::Dataset;
use columns::{Champ, Correspondance};
pub(crate) use ligne::erreur_tableur;
use ligne::{Champs, Partiel, Plafond, Tampons};
pub use ligne::{LONGUEUR_MAX, MARQUE_NOTICE};
pub use tableur::feuilles;
pub use csv::LIGNE_MAX;

/// Most logements one file may describe (the sum of `nb` over its rows): more than the whole
/// French social parc (≈ 5,4 million logements, RPLS 2024). Every logement costs about 50 bytes
/// once expanded, so a few rows with a mistyped `nb` (each row is capped at
/// [`values::NB_MAX`]) must not take the browser tab down: the reading stops there with
/// [`ImportError::TropDeLogements`].
pub const LOGEMENTS_MAX: u64 = 6_000_000;

/// A rejected row or a warning: the file line (header = line 1), the column and a French reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejet {
    pub ligne: u64,
    pub colonne: String,
    pub motif: String,
}

/// Warnings have the same shape as rejects (SPEC §2: "listed the same way").
pub type Avertissement = Rejet;

/// Format of an état des lieux, recognised from its first bytes (never from its file name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Format {
    Csv,
    Xlsx,
    Ods,
}

impl Format {
    pub fn nom(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Xlsx => "XLSX",
            Format::Ods => "ODS",
        }
    }
}

#[derive(Debug)]
pub struct Import {
    pub dataset: Dataset,
    /// Rows read (header, blank rows and the template's notice line excluded). Rows, not
    /// logements: a row with `nb` = 40 counts once here and 40 times in the dataset.
    pub lignes_lues: usize,
    /// Rows kept: `lignes_lues` = `lignes_retenues` + `rejets.len()`. The logements are
    /// `dataset.len()`.
    pub lignes_retenues: usize,
    pub rejets: Vec<Rejet>,
    pub avertissements: Vec<Avertissement>,
    /// File line of each kept logement (dataset order); for a workbook, the spreadsheet row. A
    /// row standing for `nb` logements appears `nb` times.
    pub lignes: Vec<u32>,
    pub correspondance: Correspondance,
    pub entetes: Vec<String>,
    pub format: Format,
    /// CSV separator; 0 for a workbook.
    pub separateur: u8,
    /// CSV encoding; the format name (« XLSX ») for a workbook.
    pub encodage: &'static str,
    /// The sheet read (workbooks only).
    pub feuille: Option<String>,
    /// Every sheet of the workbook (empty for a CSV), to offer a choice.
    pub feuilles: Vec<String>,
}

/// How to read a file: which sheet of a workbook, and a hand-made column mapping. `C` is the
/// mapping of the kind of file read: the état des lieux ([`Correspondance`], the default) or the
/// mouvements ([`mouvements::Correspondance`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OptionsLecture<C = Correspondance> {
    /// Sheet name (workbooks); `None` = the first sheet. Ignored for a CSV.
    pub feuille: Option<String>,
    /// Overrides the header detection.
    pub correspondance: Option<C>,
}

/// What the readers feed, record after record, whatever the format: the état des lieux
/// (`ligne::Partiel`), the mouvements ([`mouvements`]) or the vacancies ([`vacants`]). Each
/// record is the row's cells as texts (a workbook's typed cells already written as a CSV would
/// hold them).
pub(crate) trait Destination {
    /// One record, at file line `ligne` (its first line when it spans several).
    fn ligne(&mut self, ligne: u64, rec: &StringRecord);
    /// Whether [`Destination::champs`] takes the records of quote-free CSV lines as they are
    /// (else they go through the csv crate's reader and [`Destination::ligne`]).
    const CHAMPS: bool = false;
    /// One record of a quote-free CSV line, its fields sliced in place (see [`Champs`]); only
    /// called when [`Destination::CHAMPS`] is set.
    fn champs(&mut self, ligne: u64, rec: &Champs) {
        let mut r = StringRecord::new();
        (0..rec.fins.len()).for_each(|i| r.push_field(ligne::Enregistrement::get(rec, i).unwrap_or("")));
        self.ligne(ligne, &r);
    }
    /// A record that could not even be split into cells: read and rejected.
    fn illisible(&mut self, ligne: u64, motif: String);
    fn avertir(&mut self, ligne: u64, colonne: &str, motif: String);
    /// The header row of a workbook: checks the mapping (given, or detected from `entetes`) or
    /// refuses the file. (A CSV header is read before its chunks, see [`LigneEntete`].)
    fn entete(&mut self, entetes: &[String]) -> Result<(), ImportError>;
    /// Name of the field read from column `j` (warnings about merged cells).
    fn champ(&self, j: usize) -> Option<&'static str>;
    /// Whether the reading must stop here (the file went over [`LOGEMENTS_MAX`]).
    fn fini(&self) -> bool {
        false
    }
    /// Name of the field of column `j` when it holds dates: there a plain number of 5 digits or
    /// more in a workbook is an Excel serial date that lost its format (read with a warning).
    fn colonne_date(&self, j: usize) -> Option<&'static str>;
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// No header line.
    Vide,
    /// Required fields without a column; the headers found.
    ColonnesManquantes {
        champs: Vec<&'static str>,
        entetes: Vec<String>,
    },
    /// Neither text nor a known workbook (NUL bytes, control characters).
    Binaire,
    /// An OLE2 document: Excel 97-2003 (.xls), or a workbook encrypted with a password. Not read:
    /// calamine's reader of that format loops forever on some damaged files (found by fuzzing,
    /// docs/import.md), and saving as .xlsx is one click.
    Xls,
    /// A workbook that calamine cannot open (damaged, encrypted, not a spreadsheet archive).
    ClasseurIllisible { format: &'static str, detail: String },
    /// The requested sheet does not exist.
    FeuilleInconnue {
        feuille: String,
        feuilles: Vec<String>,
    },
    /// The sheet holds no cell.
    FeuilleVide { feuille: String },
    /// A header line longer than [`csv::LIGNE_MAX`] bytes (its length: up to the first line
    /// break): not a table of lines.
    EnteteTropLongue { octets: u64 },
    /// More logements (rows × `nb`) than [`LOGEMENTS_MAX`], noticed at file line `ligne`.
    TropDeLogements { ligne: u64 },
    /// A workbook that would make the reader hold more than its caps (cells, shared strings,
    /// decompressed parts: see `bornes`); `detail` says which, in French.
    ClasseurDemesure { format: &'static str, detail: String },
}

/// Quoted list of names, for messages.
fn liste(noms: &[String]) -> String {
    noms.iter()
        .map(|n| format!("« {n} »"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Vide => write!(f, "le fichier est vide"),
            ImportError::ColonnesManquantes { champs, entetes } => {
                // Headers as the user typed them, shortened: a garbled line must stay readable.
                let lus: Vec<String> = entetes
                    .iter()
                    .filter(|e| !e.is_empty())
                    .take(30)
                    .map(|e| match e.char_indices().nth(40) {
                        Some((i, _)) => format!("{}…", &e[..i]),
                        None => e.clone(),
                    })
                    .collect();
                write!(
                    f,
                    "colonne(s) obligatoire(s) introuvable(s) : {} (en-têtes lus : {})",
                    champs.join(", "),
                    lus.join(", ")
                )?;
                if entetes.len() == 1 {
                    write!(f, " ; une seule colonne lue : vérifiez le séparateur (« ; », « , » ou tabulation) ou la feuille choisie")?;
                }
                Ok(())
            }
            ImportError::Binaire => write!(
                f,
                "le fichier n'est ni un texte CSV ni un classeur XLSX ou ODS (contenu binaire)"
            ),
            ImportError::Xls => write!(
                f,
                "les classeurs Excel 97-2003 (.xls) et les classeurs protégés par un mot de passe ne sont pas pris en charge : enregistrez le fichier au format .xlsx (sans mot de passe) ou CSV"
            ),
            ImportError::ClasseurIllisible { format, detail } => write!(
                f,
                "classeur {format} illisible, endommagé ou protégé par un mot de passe ({detail})"
            ),
            ImportError::FeuilleInconnue { feuille, feuilles } => write!(
                f,
                "feuille « {feuille} » introuvable ; feuilles du classeur : {}",
                liste(feuilles)
            ),
            ImportError::FeuilleVide { feuille } => {
                write!(f, "la feuille « {feuille} » est vide")
            }
            ImportError::EnteteTropLongue { octets } => write!(
                f,
                "la ligne 1 (en-têtes) fait {} octets ({} au plus) : ce n'est pas un tableau CSV ligne à ligne (fichier endommagé ou sans retour à la ligne ?)",
                crate::format::integer(*octets as i64),
                crate::format::integer(csv::LIGNE_MAX as i64)
            ),
            ImportError::TropDeLogements { ligne } => write!(
                f,
                "plus de {} logements dans le fichier (lignes × nb), seuil franchi à la ligne {ligne} : c'est plus que tout le parc social français ; vérifiez la colonne nb ou découpez le fichier",
                crate::format::integer(LOGEMENTS_MAX as i64)
            ),
            ImportError::ClasseurDemesure { format, detail } => write!(
                f,
                "classeur {format} trop volumineux pour être lu sans risque : {detail} ; enregistrez la feuille utile au format CSV (ou supprimez les lignes et colonnes vides mises en forme)"
            ),
        }
    }
}

impl std::error::Error for ImportError {}

/// Reads an état des lieux in any supported format (SPEC §2): XLSX or ODS when the bytes are a
/// workbook, else CSV (separator and encoding detected).
pub fn lire(bytes: &[u8], options: &OptionsLecture) -> Result<Import, ImportError> {
    match tableur::format(bytes)? {
        Format::Csv => lire_en(bytes, options.correspondance.as_ref(), None),
        format => tableur::lire_etat(bytes, format, options),
    }
}

/// Number of data rows (header excluded) of a CSV état des lieux, whatever its separator or
/// encoding, without checking columns (the web demo's summary).
pub fn count_data_rows(bytes: &[u8]) -> usize {
    let (texte, _) = csv::decoder(bytes);
    let debut = csv::fin_premiere_ligne(&texte);
    let sep = csv::separateur(&texte[..debut]);
    let mut rec = ByteRecord::new();
    let mut r = csv::lecteur(&texte[debut..], sep);
    let mut n = 0;
    while r.read_byte_record(&mut rec).unwrap_or(false) {
        n += 1;
    }
    n
}

/// Reads a CSV état des lieux with detected columns.
pub fn lire_csv(bytes: &[u8]) -> Result<Import, ImportError> {
    lire_csv_avec(bytes, None)
}

/// Reads a CSV état des lieux; `correspondance` overrides the header detection.
pub fn lire_csv_avec(
    bytes: &[u8],
    correspondance: Option<&Correspondance>,
) -> Result<Import, ImportError> {
    lire_en(bytes, correspondance, None)
}

/// `parts`: number of chunks parsed in parallel (default: one per core above 4 MB).
///
/// The text is first read as UTF-8, each record being checked as it is parsed (no separate pass
/// over the file); if any record is not valid UTF-8, the whole file is decoded as Windows-1252 and
/// read again. A UTF-16 file (Excel's « Texte Unicode » export) is recognised by its BOM.
fn lire_en(
    bytes: &[u8],
    correspondance: Option<&Correspondance>,
    parts: Option<usize>,
) -> Result<Import, ImportError> {
    lire_en_max(bytes, correspondance, parts, LOGEMENTS_MAX)
}

/// [`lire_en`] with at most `max` logements (tests use a small cap).
fn lire_en_max(
    bytes: &[u8],
    correspondance: Option<&Correspondance>,
    parts: Option<usize>,
    max: u64,
) -> Result<Import, ImportError> {
    if let Some((texte, encodage)) = csv::utf16(bytes) {
        return lire_texte(texte.as_bytes(), encodage, correspondance, parts, max)?
            .ok_or(ImportError::Binaire);
    }
    let (texte, encodage) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(reste) => (Cow::Borrowed(reste), "UTF-8 (BOM)"),
        None => (Cow::Borrowed(bytes), "UTF-8"),
    };
    if csv::binaire(&texte) {
        return Err(ImportError::Binaire);
    }
    match lire_texte(&texte, encodage, correspondance, parts, max)? {
        Some(import) => Ok(import),
        None => {
            let (decode, _, _) = encoding_rs::WINDOWS_1252.decode(&texte);
            let decode = decode.into_owned();
            Ok(
                lire_texte(decode.as_bytes(), "Windows-1252", correspondance, parts, max)?
                    .expect("texte décodé en UTF-8"),
            )
        }
    }
}

/// Reads a text assumed UTF-8; `None` when it is not.
fn lire_texte(
    texte: &[u8],
    encodage: &'static str,
    correspondance: Option<&Correspondance>,
    parts: Option<usize>,
    max: u64,
) -> Result<Option<Import>, ImportError> {
    let Some(entete) = Entete::lire(texte, correspondance)? else {
        return Ok(None);
    };
    let morceaux = csv::decouper(
        texte,
        entete.debut,
        parts.unwrap_or_else(|| paralleles(texte.len())),
        entete.guillemets,
    );
    let decalages = entete.decalages(texte, &morceaux);
    let plafond = Plafond::new(max);
    let partiels: Vec<Partiel> = crate::domain::en_parallele(morceaux.len(), |i| {
        entete.lire_morceau(texte, &morceaux[i], decalages[i], &plafond)
    });
    entete.verifier_plafond(texte, &plafond, &partiels)?;
    if partiels.iter().any(|p| p.pas_utf8) {
        return Ok(None);
    }
    let lignes_entete = csv::lignes(&texte[..entete.debut]);
    Ok(Some(entete.assembler(lignes_entete, partiels, encodage, |_, _| {})))
}

/// The header line of any CSV (état des lieux or mouvements): where the data starts, the
/// separator and the headers.
pub(crate) struct LigneEntete {
    pub debut: usize,
    pub sep: u8,
    pub entetes: Vec<String>,
    /// Whether the data holds any quote: without any, no record can span lines (cheap line
    /// numbers, free cuts between chunks).
    pub guillemets: bool,
}

impl LigneEntete {
    /// `None` when the header line is not UTF-8.
    pub fn lire(texte: &[u8]) -> Result<Option<LigneEntete>, ImportError> {
        // Looked for in the first `LIGNE_MAX` bytes only: a file without line breaks is refused
        // before its one line is parsed (and held) as headers.
        let debut = csv::fin_premiere_ligne(&texte[..texte.len().min(csv::LIGNE_MAX + 1)]);
        if debut > csv::LIGNE_MAX {
            let octets = memchr::memchr(b'\n', texte).unwrap_or(texte.len()) as u64;
            return Err(ImportError::EnteteTropLongue { octets });
        }
        if texte[..debut].iter().all(|b| b.is_ascii_whitespace()) {
            return Err(ImportError::Vide);
        }
        let Ok(entete) = std::str::from_utf8(&texte[..debut]) else {
            return Ok(None);
        };
        let sep = csv::separateur(entete.as_bytes());
        let mut rec = ByteRecord::new();
        csv::lecteur(entete.as_bytes(), sep)
            .read_byte_record(&mut rec)
            .map_err(|_| ImportError::Vide)?;
        let entetes: Vec<String> = rec
            .iter()
            .map(|c| String::from_utf8_lossy(c).trim().to_owned())
            .collect();
        let guillemets = memchr::memchr(b'"', &texte[debut..]).is_some();
        Ok(Some(LigneEntete { debut, sep, entetes, guillemets }))
    }
}

/// The text of a CSV file as UTF-8, and its encoding: UTF-16 with BOM, UTF-8 with or without
/// BOM, else Windows-1252; binary content refused. (The état des lieux reader does the same
/// without a separate validation pass: see [`lire_en`].)
pub(crate) fn texte_csv(bytes: &[u8]) -> Result<(Cow<'_, [u8]>, &'static str), ImportError> {
    if let Some((texte, encodage)) = csv::utf16(bytes) {
        return Ok((Cow::Owned(texte.into_bytes()), encodage));
    }
    let (texte, encodage) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(reste) => (reste, "UTF-8 (BOM)"),
        None => (bytes, "UTF-8"),
    };
    if csv::binaire(texte) {
        return Err(ImportError::Binaire);
    }
    if csv::utf8(texte).is_some() {
        return Ok((Cow::Borrowed(texte), encodage));
    }
    let (decode, _, _) = encoding_rs::WINDOWS_1252.decode(texte);
    Ok((Cow::Owned(decode.into_owned().into_bytes()), "Windows-1252"))
}

/// The header line of a CSV état des lieux and its mapping.
struct Entete {
    debut: usize,
    sep: u8,
    entetes: Vec<String>,
    map: Correspondance,
    guillemets: bool,
}

impl Entete {
    /// `None` when the header line is not UTF-8.
    fn lire(texte: &[u8], correspondance: Option<&Correspondance>) -> Result<Option<Entete>, ImportError> {
        let Some(LigneEntete { debut, sep, entetes, guillemets }) = LigneEntete::lire(texte)? else {
            return Ok(None);
        };
        let map = correspondance_verifiee(correspondance, &entetes)?;
        Ok(Some(Entete { debut, sep, entetes, map, guillemets }))
    }

    /// Parses chunk `r`; `decalage`: the file lines before it (see [`Entete::decalages`]).
    fn lire_morceau(
        &self,
        texte: &[u8],
        r: &std::ops::Range<usize>,
        decalage: u64,
        plafond: &Plafond,
    ) -> Partiel {
        lire_morceau(
            &texte[r.clone()],
            decalage,
            self.sep,
            &self.map,
            self.entetes.len(),
            self.guillemets,
            plafond,
        )
    }

    /// [`ImportError::TropDeLogements`] when the chunks read (in file order, from the first)
    /// hold more logements than `plafond` allows.
    fn verifier_plafond(
        &self,
        texte: &[u8],
        plafond: &Plafond,
        partiels: &[Partiel],
    ) -> Result<(), ImportError> {
        let mut avant = vec![csv::lignes(&texte[..self.debut])];
        for p in partiels {
            avant.push(avant[avant.len() - 1] + p.lignes_physiques);
        }
        match plafond.verifier(partiels, |i| avant[i]) {
            Some(ligne) => Err(ImportError::TropDeLogements { ligne }),
            None => Ok(()),
        }
    }

    /// File lines before each chunk, when a chunk needs them while it is parsed: only for the
    /// line-based identifiers of a file without `rpls` column (else zeros; line numbers of
    /// rejects and warnings are shifted afterwards, in [`Entete::assembler`], so that the common
    /// file pays no extra pass).
    fn decalages(&self, texte: &[u8], morceaux: &[std::ops::Range<usize>]) -> Vec<u64> {
        if self.map.colonne(Champ::Rpls).is_some() {
            return vec![0; morceaux.len()];
        }
        let mut avant = csv::lignes(&texte[..self.debut]);
        morceaux
            .iter()
            .map(|r| {
                let d = avant;
                avant += csv::lignes(&texte[r.clone()]);
                d
            })
            .collect()
    }

    /// Joins the chunks (in file order; `lignes_entete`: the file lines before the first) into
    /// the finished import.
    fn assembler(
        self,
        lignes_entete: u64,
        partiels: impl IntoIterator<Item = Partiel>,
        encodage: &'static str,
        mut rendre: impl FnMut(Dataset, Vec<u32>),
    ) -> Import {
        // Line numbers were counted from the start of each chunk: shift them by the lines before it.
        let mut avant = lignes_entete;
        let mut total = Partiel::default();
        for (i, mut p) in partiels.into_iter().enumerate() {
            p.decaler(avant);
            avant += p.lignes_physiques;
            if i == 0 {
                total = p;
                continue;
            }
            let (ds, lignes) = total.fusionner(p);
            rendre(ds, lignes);
        }
        let mut import = assembler(total, self.map, self.entetes, 1, Format::Csv, encodage);
        import.separateur = self.sep;
        import
    }
}

/// The mapping to use (given, or detected from the headers), refused when a required field has no
/// column.
fn correspondance_verifiee(
    donnee: Option<&Correspondance>,
    entetes: &[String],
) -> Result<Correspondance, ImportError> {
    let map = donnee
        .cloned()
        .unwrap_or_else(|| columns::detecter(entetes.iter().map(|s| s.as_str())));
    let manquants = map.manquants();
    if !manquants.is_empty() {
        return Err(ImportError::ColonnesManquantes {
            champs: manquants.iter().map(|c| c.nom()).collect(),
            entetes: entetes.to_vec(),
        });
    }
    Ok(map)
}

/// The finished import of any format: duplicates and inconsistent categories warned, the missing
/// `rpls` column too (on the header line `ligne_entete`), warnings sorted, counts set.
fn assembler(
    mut p: Partiel,
    map: Correspondance,
    entetes: Vec<String>,
    ligne_entete: u64,
    format: Format,
    encodage: &'static str,
) -> Import {
    let mut dataset = std::mem::take(&mut p.builder).finir();
    if map.colonne(Champ::Rpls).is_none() {
        p.avertir(
            ligne_entete,
            Champ::Rpls.nom(),
            "pas de colonne d'identifiant RPLS : chaque ligne est identifiée par son numéro (L2 pour la ligne 2, etc.)".into(),
        );
    }
    doublons(&dataset, &p.lignes, &mut p.avertissements);
    p.categories_multiples();
    trier(&mut p.avertissements);
    p.rejets.sort_by_key(|r| r.ligne);
    dataset.nb_rejets = p.rejets.len();
    dataset.nb_avertissements = p.avertissements.len();
    Import {
        lignes_retenues: p.retenues,
        dataset,
        lignes_lues: p.lues,
        rejets: p.rejets,
        avertissements: p.avertissements,
        lignes: p.lignes,
        correspondance: map,
        entetes,
        format,
        separateur: 0,
        encodage,
        feuille: None,
        feuilles: Vec::new(),
    }
}

/// Parallel chunks for a text of `taille` bytes: natively one per core (at most 8) above 4 MB.
fn paralleles(taille: usize) -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    if taille > 4 << 20 {
        return std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    }
    let _ = taille;
    1
}

/// Parses one chunk; line numbers are relative to its start (first line = 1). `decalage`: the
/// file lines before the chunk, for line-based identifiers (0 when they are not needed).
fn lire_morceau(
    morceau: &[u8],
    decalage: u64,
    sep: u8,
    map: &Correspondance,
    nb_colonnes: usize,
    guillemets: bool,
    plafond: &Plafond,
) -> Partiel {
    let p = Partiel {
        decalage,
        ..Partiel::default()
    };
    lire_morceau_apres(p, morceau, sep, map, nb_colonnes, guillemets, plafond)
}

/// Parses the chunk that follows `p`'s in the same range into `p` itself: its rows are appended
/// to the same dataset (no part of its own to merge afterwards: a reader by ranges parses its
/// range piece by piece) and numbered on from `p`'s lines.
fn lire_morceau_apres(
    p: Partiel,
    morceau: &[u8],
    sep: u8,
    map: &Correspondance,
    nb_colonnes: usize,
    guillemets: bool,
    plafond: &Plafond,
) -> Partiel {
    let mut d = MorceauEtat {
        avant: p.lignes_physiques,
        p,
        tampons: Tampons::default(),
        map,
        nb_colonnes,
        plafond,
    };
    match parcourir_morceau(morceau, sep, guillemets, &mut d) {
        Some(coupures) => d.p.lignes_physiques += coupures,
        None => {
            d.p.pas_utf8 = true;
            d.p.lignes_physiques += csv::lignes(morceau);
        }
    }
    d.p
}

/// Feeds `d` with every record of a CSV chunk (no header; line numbers relative to its start,
/// first line = 1): a record spanning several lines gets a warning, an unparsable one is
/// rejected. Gives the chunk's line breaks (counted by the quote-free scan as it goes, not by
/// another pass over the chunk); `None` as soon as a record is not valid UTF-8 (the caller
/// decodes the file as Windows-1252 and reads it again).
///
/// A record longer than [`csv::LIGNE_MAX`] (a line without end, a quote never closed) is not read
/// into memory: it is rejected with the lines it spans, and the reading resumes at the first line
/// break after that many bytes (see [`trop_long`]).
pub(crate) fn parcourir_morceau(
    morceau: &[u8],
    sep: u8,
    guillemets: bool,
    d: &mut impl Destination,
) -> Option<u64> {
    if !guillemets && d_champs(d) {
        if let Some(lu) = parcourir_sans_guillemets(morceau, sep, d) {
            return lu;
        }
    }
    let mut rec = StringRecord::new();
    // Start of the part read by the current reader, and the file lines before it in the chunk.
    let (mut depart, mut avant) = (0, 0);
    'lecteurs: loop {
        let partie = &morceau[depart..];
        let fin = std::cell::Cell::new(0);
        let mut lecteur = csv::lecteur_borne(partie, sep, &fin);
        loop {
            let (ligne, derniere) = match lecteur.read_record(&mut rec) {
                Ok(false) => break 'lecteurs,
                Ok(true) => {
                    let apres = lecteur.position().byte() as usize;
                    // The reader may end a record a little past the cap (it reads 8 KB at a
                    // time): the rule stays exact, whatever the chunks.
                    if apres - fin.get() > csv::LIGNE_MAX
                        && longueur(partie, fin.get(), apres) > csv::LIGNE_MAX
                    {
                        let (ligne, reprise, motif) = trop_long(partie, fin.get(), avant);
                        d.illisible(ligne, motif);
                        avant += csv::lignes(&partie[..reprise]);
                        depart += reprise;
                        continue 'lecteurs;
                    }
                    fin.set(apres);
                    let (l, m) = csv::etendue(partie, lecteur.position(), &rec, guillemets);
                    (l + avant, m + avant)
                }
                Err(e) if matches!(e.kind(), ::csv::ErrorKind::Utf8 { .. }) => return None,
                Err(e) if matches!(e.kind(), ::csv::ErrorKind::Io(_)) => {
                    let (ligne, reprise, motif) = trop_long(partie, fin.get(), avant);
                    d.illisible(ligne, motif);
                    avant += csv::lignes(&partie[..reprise]);
                    depart += reprise;
                    continue 'lecteurs;
                }
                Err(e) => {
                    d.illisible(lecteur.position().line() + avant, format!("ligne illisible : {e}"));
                    continue;
                }
            };
        // A record ending after its first line holds a quoted line break: often an unclosed quote
        // that swallowed the next lines, which must not vanish silently.
        if derniere > ligne {
            d.avertir(
                ligne,
                "",
                format!("enregistrement étalé sur {} lignes du fichier (retour à la ligne entre guillemets) : vérifiez qu'aucun guillemet n'est resté ouvert", derniere - ligne + 1),
            );
        }
            d.ligne(ligne, &rec);
            if d.fini() {
                break 'lecteurs;
            }
        }
    }
    Some(csv::lignes(morceau))
}

fn d_champs<D: Destination>(_: &D) -> bool {
    D::CHAMPS
}

/// [`parcourir_morceau`] for a chunk without quotes (the common file): every record is one line,
/// its fields sliced in place, no copy nor per-record UTF-8 check (the chunk is checked at once:
/// `Some(None)` when it is not UTF-8), and the line breaks counted as they are met (`Some(Some(n))`).
/// `None` when a carriage return stands alone somewhere (the csv crate ends a record there too:
/// left to it).
fn parcourir_sans_guillemets(morceau: &[u8], sep: u8, d: &mut impl Destination) -> Option<Option<u64>> {
    let cr_seul = memchr::memchr_iter(b'\r', morceau).any(|i| morceau.get(i + 1) != Some(&b'\n'));
    if cr_seul {
        return None;
    }
    let Some(texte) = csv::utf8(morceau) else {
        return Some(None);
    };
    // Lines met, and the offset after the last line break met: after an early stop (the cap),
    // the breaks left are counted in the rest.
    let (mut numero, mut reprise) = (0u64, 0);
    balayage::lignes(morceau, sep, csv::LIGNE_MAX, |debut, fin, fins| {
        numero += 1;
        reprise = fin + 1;
        let brute = &texte[debut..fin];
        let l = brute.strip_suffix('\r').unwrap_or(brute);
        if l.is_empty() {
            return true;
        }
        if l.len() > csv::LIGNE_MAX {
            d.illisible(numero, motif_ligne_longue(l.len()));
            return true;
        }
        fins.push(l.len());
        d.champs(numero, &Champs { ligne: l, fins });
        !d.fini()
    });
    // `reprise` is past the end when the last line has no break.
    let coupures = numero - u64::from(reprise > morceau.len());
    Some(Some(coupures + csv::lignes(morceau.get(reprise..).unwrap_or_default())))
}

/// Bytes of the record read between offsets `fin` (end of the previous one) and `apres` of
/// `partie`: from its first byte to its line break.
fn longueur(partie: &[u8], fin: usize, apres: usize) -> usize {
    let debut = fin + partie[fin..apres].iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
    let r = &partie[debut..apres];
    let r = r.strip_suffix(b"\n").unwrap_or(r);
    r.strip_suffix(b"\r").unwrap_or(r).len()
}

/// The reason of a line longer than [`csv::LIGNE_MAX`] bytes.
fn motif_ligne_longue(octets: usize) -> String {
    format!(
        "ligne de {} octets ({} au plus) : fichier endommagé ou sans retour à la ligne ; ligne ignorée",
        crate::format::integer(octets as i64),
        crate::format::integer(csv::LIGNE_MAX as i64)
    )
}

/// A record of more than [`csv::LIGNE_MAX`] bytes starting after offset `fin` of `partie`
/// (`avant`: the lines before `partie`): its first line, where to resume (after the first line
/// break at least `LIGNE_MAX` bytes further, or the end) and the French reason of its rejection.
#[cold]
fn trop_long(partie: &[u8], fin: usize, avant: u64) -> (u64, usize, String) {
    let debut = fin + partie[fin..].iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
    let ligne = avant + 1 + csv::lignes(&partie[..debut]);
    let reprise = memchr::memchr(b'\n', &partie[(debut + csv::LIGNE_MAX).min(partie.len())..])
        .map_or(partie.len(), |k| debut + csv::LIGNE_MAX + k + 1);
    let max = crate::format::integer(csv::LIGNE_MAX as i64);
    let internes = csv::lignes(&partie[debut..reprise.saturating_sub(1).max(debut)]);
    let motif = if internes == 0 {
        let fin_ligne = partie[..reprise].strip_suffix(b"\n").unwrap_or(&partie[..reprise]);
        motif_ligne_longue(fin_ligne.strip_suffix(b"\r").unwrap_or(fin_ligne).len() - debut)
    } else {
        format!(
            "enregistrement de plus de {max} octets étalé sur {} lignes (guillemet jamais refermé ?) : ces lignes sont ignorées",
            crate::format::integer(internes as i64 + 1)
        )
    };
    (ligne, reprise, motif)
}

/// One CSV chunk of an état des lieux being read.
struct MorceauEtat<'m> {
    p: Partiel,
    /// Lines of the part before this chunk: the chunk's line numbers are shifted by them.
    avant: u64,
    tampons: Tampons,
    map: &'m Correspondance,
    nb_colonnes: usize,
    plafond: &'m Plafond,
}

impl Destination for MorceauEtat<'_> {
    fn ligne(&mut self, ligne: u64, rec: &StringRecord) {
        self.p
            .ligne(self.avant + ligne, rec, &mut self.tampons, self.map, self.nb_colonnes, self.plafond);
    }
    const CHAMPS: bool = true;
    fn champs(&mut self, ligne: u64, rec: &Champs) {
        self.p
            .ligne(self.avant + ligne, rec, &mut self.tampons, self.map, self.nb_colonnes, self.plafond);
    }
    fn fini(&self) -> bool {
        self.p.trop.is_some()
    }
    fn illisible(&mut self, ligne: u64, motif: String) {
        self.p.illisible(self.avant + ligne, motif);
    }
    fn avertir(&mut self, ligne: u64, colonne: &str, motif: String) {
        self.p.avertir(self.avant + ligne, colonne, motif);
    }
    fn entete(&mut self, _: &[String]) -> Result<(), ImportError> {
        Ok(())
    }
    fn champ(&self, j: usize) -> Option<&'static str> {
        self.map.champ(j).map(Champ::nom)
    }
    fn colonne_date(&self, j: usize) -> Option<&'static str> {
        (self.map.colonne(Champ::DateFin) == Some(j)).then(|| Champ::DateFin.nom())
    }
}

/// Whether logement `i` is the first of its row (a row stands for `nb` consecutive logements of
/// the same line).
fn premier_de_sa_ligne(lignes: &[u32], i: usize) -> bool {
    i == 0 || lignes[i] != lignes[i - 1]
}

/// Warns about every row whose commune code the official geography does not know (SPEC §2:
/// "an unknown commune code" is a warning; the row is kept). `connue` is the geography lookup.
/// One warning per row, not per logement of a row with `nb` > 1.
pub fn signaler_communes_inconnues(imp: &mut Import, connue: impl Fn(&str) -> bool) {
    let ds = &imp.dataset;
    let inconnues: Vec<bool> = ds.communes.iter().map(|c| !connue(c)).collect();
    if !inconnues.contains(&true) {
        return;
    }
    for i in (0..ds.len()).filter(|&i| premier_de_sa_ligne(&imp.lignes, i)) {
        let commune = ds.cellules[ds.cellule[i] as usize].commune as usize;
        if inconnues[commune] {
            imp.avertissements.push(Rejet {
                ligne: imp.lignes[i] as u64,
                colonne: Champ::Commune.nom().to_owned(),
                motif: format!(
                    "code commune « {} » inconnu de la géographie officielle",
                    ds.communes[commune]
                ),
            });
        }
    }
    trier(&mut imp.avertissements);
    imp.dataset.nb_avertissements = imp.avertissements.len();
}

/// Warnings in file order, then in the order of the fields of SPEC §2.
fn trier(avertissements: &mut [Avertissement]) {
    let rang = |c: &str| Champ::LUS.iter().position(|x| x.nom() == c);
    avertissements.sort_by_cached_key(|a| (a.ligne, rang(&a.colonne)));
}

/// Warns about every `rpls` seen on more than one row (SPEC §2), naming the first line. The
/// logements of one row with `nb` > 1 share its identifier: not duplicates. Warnings in file order.
fn doublons(ds: &Dataset, lignes: &[u32], avertissements: &mut Vec<Avertissement>) {
    let mut paires = paires_en_double(ds, lignes);
    paires.sort_unstable();
    avertissements.extend(paires.into_iter().map(|(i, j)| {
        let (i, j) = (i as usize, j as usize);
        Rejet {
            ligne: lignes[i] as u64,
            colonne: Champ::Rpls.nom().to_owned(),
            motif: format!("identifiant RPLS « {} » en double (déjà ligne {})", ds.rpls.get(i), lignes[j]),
        }
    }));
}

/// Every logement `i`, first of its row, whose `rpls` an earlier such logement `j` (the first one)
/// already had: the pairs `(i, j)`, in no particular order.
///
/// One table of 1.4 M identifiers does not fit in a cache, and each probe missed it: 77–113 ms on
/// one core, the import's longest step after the parallel reading (about 17 ms now). So the identifiers are first
/// dealt by the top bits of their hash into partitions small enough for the cache (in file order
/// within each, read straight through), then each partition looks for its duplicates in a table
/// of its own; both steps on every core natively. A partition's table holds the other 32 bits of
/// the hash with the logement: the identifier's text is read only when they match.
fn paires_en_double(ds: &Dataset, lignes: &[u32]) -> Vec<(u32, u32)> {
    use crate::domain::parallele::en_parallele;
    use std::hash::BuildHasher;
    const BLOCS: usize = 8;
    let n = ds.len();
    // About 4 096 identifiers per partition, at most 256 partitions.
    let bits = (usize::BITS - (n / 4096).leading_zeros()).min(8);
    let partition = |h: u64| if bits == 0 { 0 } else { (h >> (64 - bits)) as usize };
    let nb_partitions = 1usize << bits;
    // In a partition's table, the entry's 32 bits of hash give both the bucket (low bits) and
    // hashbrown's tag (top bits), away from the partition's bits.
    let cle_table = |cle: u32| u64::from(cle) << 32 | u64::from(cle);
    let taille_bloc = n.div_ceil(BLOCS).max(1);
    let blocs: Vec<Vec<Vec<(u32, u32)>>> = en_parallele(BLOCS, |b| {
        let rangs = (b * taille_bloc).min(n)..((b + 1) * taille_bloc).min(n);
        let place = rangs.len() / nb_partitions * 9 / 8 + 8;
        // Not `vec![Vec::with_capacity(place); n]`: a clone gets no capacity, so all partitions
        // but the last grew by copying themselves.
        let mut parts: Vec<Vec<(u32, u32)>> = (0..nb_partitions).map(|_| Vec::with_capacity(place)).collect();
        for i in rangs.filter(|&i| premier_de_sa_ligne(lignes, i)) {
            let h = rustc_hash::FxBuildHasher.hash_one(ds.rpls.get(i));
            parts[partition(h)].push((h as u32, i as u32));
        }
        parts
    });
    en_parallele(nb_partitions, |p| {
        let taille: usize = blocs.iter().map(|b| b[p].len()).sum();
        let mut premiers = hashbrown::HashTable::<(u32, u32)>::with_capacity(taille);
        let mut paires = Vec::new();
        for &(cle, i) in blocs.iter().flat_map(|b| &b[p]) {
            let rpls = || ds.rpls.get(i as usize);
            let meme = |&(c, j): &(u32, u32)| c == cle && ds.rpls.get(j as usize) == rpls();
            match premiers.find(cle_table(cle), meme) {
                Some(&(_, j)) => paires.push((i, j)),
                None => {
                    premiers.insert_unique(cle_table(cle), (cle, i), |&(c, _)| cle_table(c));
                }
            }
        }
        paires
    })
    .concat()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The line breaks of a chunk, on which the next chunk's line numbers rest: counted by the
    /// quote-free scan as it goes, by the csv crate's path, and after a stop at the cap, all as
    /// a plain count of the bytes.
    #[test]
    fn chunk_line_breaks_counted_on_every_path() {
        let entetes = ["rpls", "bailleur", "commune", "reservataire", "categorie"];
        let map = columns::detecter(entetes);
        let corps = "R1;B;75101;;\nR2;B;75101;Ville;commune\r\n\nR3;B;xx;;\n;;;;\nR4;B;75102;;;x\nR5;B;75101;;";
        for fin in [corps.len(), corps.len() - 3, corps.rfind('\n').unwrap_or(0) + 1, 0] {
            let morceau = &corps.as_bytes()[..fin];
            for (guillemets, plafond) in [(false, u64::MAX), (true, u64::MAX), (false, 1), (true, 1)] {
                let p = lire_morceau(morceau, 0, b';', &map, entetes.len(), guillemets, &Plafond::new(plafond));
                assert_eq!(p.lignes_physiques, csv::lignes(morceau), "{fin} octets, guillemets {guillemets}, plafond {plafond}");
            }
        }
    }

    /// A v2 état des lieux of `n` rows (no header counted): `nb` (with bad values), `programme`
    /// (spaces to trim), réservataires coded with several categories, duplicated and invalid
    /// rows, a quoted line break. Without `rpls`, the column is left out (open-data layout).
    pub(crate) fn fichier_v2(n: usize, rpls: bool) -> Vec<u8> {
        let mut s = String::new();
        if rpls {
            s += "rpls;";
        }
        s += "commune;reservataire;categorie;date_fin;programme;nb\n";
        for i in 0..n {
            if rpls {
                let id = if i % 1000 == 999 { i - 500 } else { i };
                s += &format!("R{id};");
            }
            let commune = match i % 997 {
                996 => "9A048",
                k if k % 3 == 0 => "93048",
                k if k % 3 == 1 => "93066",
                _ => "75112",
            };
            let (reservataire, categorie) = match i {
                _ if i % 1500 == 1499 => ("Ville de Montreuil", "epci"),
                _ if i % 4000 == 3999 => ("Action Logement", "autre"),
                _ if i % 5003 == 5002 => ("\"Action\nLogement\"", "3"),
                _ if i % 2 == 0 => ("Ville de Montreuil", "commune"),
                _ if i % 5 == 1 => ("Action Logement", "3"),
                _ => ("", ""),
            };
            let nb = match i {
                _ if i % 1231 == 1230 => "0".to_owned(),
                _ if i % 1733 == 1732 => "2,5".to_owned(),
                _ if i % 2003 == 2002 => "250000".to_owned(),
                _ if i % 11 == 0 => String::new(),
                _ => (1 + i % 7).to_string(),
            };
            s += &format!(
                "{commune};{reservataire};{categorie};31/12/{};  Résidence {}  ;{nb}\n",
                2030 + i % 20,
                i % 40
            );
        }
        s.into_bytes()
    }

    /// Asserts that two imports of the same file are identical: counts, rejects, warnings, lines,
    /// and every logement (identifier, commune, réservataire and its category, date, programme).
    pub(crate) fn memes(a: &Import, b: &Import) {
        assert_eq!(
            (a.lignes_lues, a.lignes_retenues, a.dataset.len()),
            (b.lignes_lues, b.lignes_retenues, b.dataset.len())
        );
        assert_eq!(a.rejets, b.rejets);
        assert_eq!(a.avertissements, b.avertissements);
        assert_eq!(a.lignes, b.lignes);
        // The fixed counts, made as parts are joined and at the end for the rest, are those of
        // a plain count of the dataset's rows.
        for i in [a, b] {
            assert!(i.dataset.fixes == crate::domain::fixes::ComptesFixes::compter(&i.dataset, 1));
        }
        let cle = |i: &Import, k: usize| {
            let ds = &i.dataset;
            let q = ds.partie[k];
            let r = (q != crate::domain::dataset::AUCUN)
                .then(|| ds.reservataires[ds.parties[q as usize].reservataire as usize].clone());
            let p = ds.programme_de(k);
            (
                ds.rpls.get(k).to_owned(),
                ds.code_commune(ds.cellule[k] as usize).to_owned(),
                r,
                ds.fin[k],
                ds.motif[k],
                (p != crate::domain::dataset::AUCUN).then(|| ds.programmes[p as usize].clone()),
            )
        };
        for k in 0..a.dataset.len() {
            assert_eq!(cle(a, k), cle(b, k), "logement {k}");
        }
    }

    /// `nb`, `programme`, the missing `rpls` column and the same name with two categories give
    /// the same import whatever the number of chunks read in parallel.
    #[test]
    fn chunked_parse_of_v2_columns_equals_sequential_parse() {
        for rpls in [true, false] {
            let f = fichier_v2(12_000, rpls);
            let a = lire_en(&f, None, Some(1)).unwrap();
            for parts in [2, 3, 7] {
                let b = lire_en(&f, None, Some(parts)).unwrap();
                assert!(
                    csv::decouper(&f, csv::fin_premiere_ligne(&f), parts, true).len() > 1,
                    "{parts} morceaux"
                );
                memes(&a, &b);
            }
            assert_eq!(a.lignes_lues, 12_000);
            assert_eq!(a.lignes_lues, a.lignes_retenues + a.rejets.len());
            assert_eq!(a.lignes.len(), a.dataset.len());
            assert!(a.dataset.len() > 3 * a.lignes_retenues, "nb développé");
            let motifs: Vec<(u64, &str)> = a
                .avertissements
                .iter()
                .filter(|w| w.colonne == "categorie")
                .map(|w| (w.ligne, w.motif.as_str()))
                .collect();
            assert_eq!(
                motifs,
                [
                    (1501, "le réservataire « Ville de Montreuil » a ici la catégorie epci mais apparaît aussi avec la catégorie commune (ligne 2) : vérifier le codage"),
                    (4001, "le réservataire « Action Logement » a ici la catégorie autre mais apparaît aussi avec la catégorie action_logement (ligne 3) : vérifier le codage"),
                ]
            );
            let sans_id: Vec<_> = a.avertissements.iter().filter(|w| w.colonne == "rpls").collect();
            match rpls {
                true => assert!(sans_id.iter().all(|w| w.motif.contains("en double"))),
                false => {
                    assert_eq!(sans_id.len(), 1);
                    assert_eq!((sans_id[0].ligne, a.dataset.rpls.get(0)), (1, "L2"));
                }
            }
            assert_eq!(a.dataset.programmes.len(), 40);
            assert_eq!(a.dataset.programmes[0], "Résidence 0", "espaces retirés");
        }
    }

    /// A line of more than `LIGNE_MAX` bytes is rejected without being held (its length and
    /// line in the reason) and the reading goes on after it; an unclosed quote that would swallow
    /// the rest of the file is cut the same way, naming the lines it spans; the same in one
    /// chunk, in parallel chunks and step by step.
    #[test]
    fn giant_records_are_rejected_and_reading_resumes() {
        let mut f = b"rpls;commune;reservataire\nA1;93048;Ville\nA2;93048;".to_vec();
        f.extend(std::iter::repeat_n(b'x', 3 * csv::LIGNE_MAX));
        f.extend_from_slice(b"\r\nA3;93048;Action Logement\nA4;93048;\"Action");
        for i in 0..40_000 {
            f.extend_from_slice(format!("\nA{};93066;Ville de Saint-Denis", 5 + i).as_bytes());
        }
        f.extend_from_slice(b"\n");
        let a = lire_en(&f, None, Some(1)).unwrap();
        let motifs: Vec<(u64, &str)> =
            a.rejets.iter().map(|r| (r.ligne, r.motif.as_str())).collect();
        // The quoted record starts on line 5 and is cut at the end of the line holding its
        // 1 048 577th byte.
        let debut = memchr::memmem::find(&f, b"A4;").unwrap();
        let fin = 1 + csv::lignes(&f[..debut + csv::LIGNE_MAX]);
        assert_eq!(
            motifs,
            [
                (3, "ligne de 3\u{202f}145\u{202f}737 octets (1\u{202f}048\u{202f}576 au plus) : fichier endommagé ou sans retour à la ligne ; ligne ignorée"),
                (5, format!("enregistrement de plus de 1\u{202f}048\u{202f}576 octets étalé sur {} lignes (guillemet jamais refermé ?) : ces lignes sont ignorées", crate::format::integer(fin as i64 - 4)).as_str()),
            ]
        );
        assert_eq!(a.lignes_lues, a.lignes_retenues + 2);
        assert_eq!(a.lignes[..3], [2, 4, fin as u32 + 1], "lecture reprise après");
        assert_eq!(*a.lignes.last().unwrap(), 40_005);
        for parts in [2, 5] {
            memes(&a, &lire_en(&f, None, Some(parts)).unwrap());
        }
        let mut l = progressif::LectureProgressive::commencer(&f, None).unwrap();
        while l.avancer() {}
        memes(&a, &l.finir().unwrap());

        // A line of exactly LIGNE_MAX bytes is a record (its cell too long), one byte more is
        // not: the same with and without quotes in the file (the quote-free lines are sliced in
        // place, the others go through the csv reader), in any chunks.
        for guillemets in [false, true] {
            let mut f = b"rpls;commune;reservataire\nA1;93048;".to_vec();
            f.extend(std::iter::repeat_n(b'x', csv::LIGNE_MAX - 9));
            f.extend_from_slice(b"\r\nA2;93048;");
            f.extend(std::iter::repeat_n(b'x', csv::LIGNE_MAX - 8));
            f.extend_from_slice(b"\nA3;93048;Ville\n");
            if guillemets {
                f.extend_from_slice(b"A4;93048;\"Ville\"\n");
            }
            let a = lire_en(&f, None, Some(1)).unwrap();
            let motifs: Vec<(u64, &str, &str)> = a
                .rejets
                .iter()
                .map(|r| (r.ligne, r.colonne.as_str(), r.motif.as_str()))
                .collect();
            assert_eq!(
                motifs,
                [
                    (2, "reservataire", "valeur de 1\u{202f}048\u{202f}567 caractères (1\u{202f}000 au plus) : fichier endommagé ou guillemet non fermé ?"),
                    (3, "", "ligne de 1\u{202f}048\u{202f}577 octets (1\u{202f}048\u{202f}576 au plus) : fichier endommagé ou sans retour à la ligne ; ligne ignorée"),
                ],
                "guillemets : {guillemets}"
            );
            assert_eq!(a.lignes, if guillemets { vec![4, 5] } else { vec![4] });
            for parts in [2, 3] {
                memes(&a, &lire_en(&f, None, Some(parts)).unwrap());
            }
            memes(&a, &progressif::LectureProgressive::commencer(&f, None).unwrap().finir().unwrap());
        }

        let mut entete = b"rpls;commune;".to_vec();
        entete.extend(std::iter::repeat_n(b'x', csv::LIGNE_MAX));
        entete.extend_from_slice(b"\nA1;93048;x\n");
        let e = lire_en(&entete, None, None).unwrap_err();
        assert_eq!(e, ImportError::EnteteTropLongue { octets: csv::LIGNE_MAX as u64 + 13 });
        assert_eq!(
            e.to_string(),
            "la ligne 1 (en-têtes) fait 1\u{202f}048\u{202f}589 octets (1\u{202f}048\u{202f}576 au plus) : ce n'est pas un tableau CSV ligne à ligne (fichier endommagé ou sans retour à la ligne ?)"
        );
        assert!(progressif::LectureProgressive::commencer(&entete, None).is_err());
    }

    /// More logements than the cap (rows × `nb`): refused at the line where the count goes over,
    /// whatever the number of chunks (each one stops reading), and step by step.
    #[test]
    fn logements_are_capped_per_file() {
        let mut f = b"rpls;commune;nb\n".to_vec();
        for i in 0..5_000 {
            f.extend_from_slice(format!("R{i};93048;{}\n", 1 + i % 3).as_bytes());
        }
        // Σ nb over the first k rows: 2k on average; the cap of 4 000 falls on row 2 000.
        let cumul: Vec<u64> = (0..5_000u64).scan(0, |c, i| { *c += 1 + i % 3; Some(*c) }).collect();
        let ligne = 2 + cumul.iter().position(|&c| c > 4_000).unwrap() as u64;
        for parts in [1, 2, 3] {
            let e = lire_en_max(&f, None, Some(parts), 4_000).unwrap_err();
            assert_eq!(e, ImportError::TropDeLogements { ligne }, "{parts} morceaux");
        }
        let tout = cumul[4_999];
        assert_eq!(lire_en_max(&f, None, Some(2), tout).unwrap().dataset.len() as u64, tout);
        assert_eq!(
            ImportError::TropDeLogements { ligne: 62 }.to_string(),
            "plus de 6\u{202f}000\u{202f}000 logements dans le fichier (lignes × nb), seuil franchi à la ligne 62 : c'est plus que tout le parc social français ; vérifiez la colonne nb ou découpez le fichier"
        );
    }

    /// The partitioned duplicate check finds what a plain first-seen map finds, in file order:
    /// identifiers drawn from a small pool (many duplicates, in many partitions), rows of several
    /// logements (one identifier, not duplicates of one another), sizes below and above the
    /// partitions' threshold.
    #[test]
    fn duplicates_as_a_plain_first_seen_map() {
        let mut graine = 0x9e37_79b9_7f4a_7c15u64;
        for lignes in [1, 10, 5_000, 60_000] {
            let mut f = String::from("rpls;commune;nb\n");
            for k in 0..lignes {
                graine ^= graine << 13;
                graine ^= graine >> 7;
                graine ^= graine << 17;
                let nb = if graine % 10 == 0 { 3 } else { 1 };
                f += &format!("R{};93048;{nb}\n", (graine >> 20) % (lignes as u64 * 3 / 4 + 1) + k as u64 % 2 * 1_000_000);
            }
            let a = lire(f.as_bytes(), &OptionsLecture::default()).unwrap();
            let mut vus = std::collections::HashMap::new();
            let mut attendus = Vec::new();
            for i in (0..a.dataset.len()).filter(|&i| premier_de_sa_ligne(&a.lignes, i)) {
                let rpls = a.dataset.rpls.get(i);
                match vus.get(rpls) {
                    Some(&premiere) => attendus.push((a.lignes[i] as u64, format!("identifiant RPLS « {rpls} » en double (déjà ligne {premiere})"))),
                    None => {
                        vus.insert(rpls.to_owned(), a.lignes[i]);
                    }
                }
            }
            let obtenus: Vec<_> = a.avertissements.iter().filter(|w| w.colonne == "rpls").map(|w| (w.ligne, w.motif.clone())).collect();
            assert!(lignes < 5_000 || attendus.len() > lignes / 10, "{} doublons", attendus.len());
            assert_eq!(obtenus, attendus, "{lignes} lignes");
        }
    }

    #[test]
    fn chunked_parse_equals_sequential_parse() {
        let mut f = Vec::new();
        crate::generate::generer(&mut f, 3000, 3, 5).unwrap();
        f.extend_from_slice(
            b"R1;B;ABC;;;;;;;;;;;;;\nR2;B;93048\n\"R3\";\"B\nx\";93048;T3;;;;;;;;;;;;\n",
        );
        let a = lire_en(&f, None, Some(1)).unwrap();
        for parts in [2, 3, 7] {
            let b = lire_en(&f, None, Some(parts)).unwrap();
            assert_eq!(
                (a.lignes_lues, a.lignes_retenues),
                (b.lignes_lues, b.lignes_retenues)
            );
            assert_eq!(a.rejets, b.rejets);
            assert_eq!(a.avertissements, b.avertissements);
            assert_eq!(a.lignes, b.lignes);
            assert_eq!(a.dataset.cellule.len(), b.dataset.cellule.len());
            let cle = |i: &Import, k: usize| {
                let ds = &i.dataset;
                let q = ds.partie[k];
                let r = (q != crate::domain::dataset::AUCUN).then(|| {
                    ds.reservataires[ds.parties[q as usize].reservataire as usize].clone()
                });
                (
                    ds.rpls.get(k).to_owned(),
                    ds.code_commune(ds.cellule[k] as usize).to_owned(),
                    r,
                    ds.fin[k],
                    ds.motif[k],
                )
            };
            assert!((0..a.dataset.len()).all(|k| cle(&a, k) == cle(&b, k)));
        }
        assert_eq!(a.rejets.len(), 2);
        assert_eq!(a.lignes_lues, 3003);
        assert_eq!(*a.lignes.last().unwrap(), 3004);
    }
}

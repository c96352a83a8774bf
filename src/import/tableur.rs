//! Workbooks (XLSX, ODS) read through calamine from bytes: there is no filesystem in the
//! browser, so readers are built over a `Cursor`.
//!
//! Each data row becomes the same record of texts as a CSV line and goes to the same
//! [`Destination`] (the état des lieux's `ligne`, or the mouvements'), so a value gives the same
//! reject or warning in every format. Line numbers are the spreadsheet's row numbers; the header
//! is the first non-empty row (row 1 in a normal sheet). What a typed cell becomes:
//! - number: its shortest decimal writing (3.0 → "3", 0.063 → "0.063");
//! - date (a date-formatted number, or an ODS date): "AAAA-MM-JJ"; in a date column
//!   ([`Destination::colonne_date`]: `date_fin`, the mouvements' dates) a bare number of 5 digits
//!   or more is an Excel serial date (with a warning);
//! - boolean: "oui" / "non";
//! - formula: its cached result (what Excel last computed and saved);
//! - error (#N/A…): its text, which `ligne` ignores or rejects with a French reason;
//! - merged block: only the top-left cell holds the value. In XLSX a block spanning
//!   several data rows is applied down its first column (with one warning); ODS does not tell
//!   calamine about merges, so there the covered cells are empty.
//!
//! Rows whose every cell is empty are layout, not data: they are skipped and not counted.

use std::fmt::Write as _;
use std::io::Cursor;

use ::csv::StringRecord;
use calamine::{
    Data, DataRef, Dimensions, ExcelDateTime, ExcelDateTimeType, Ods, Reader, SheetType, Xlsx,
};

use super::columns::{normaliser, Champ, Correspondance};
use super::ligne::{Plafond, Tampons};
use super::{
    assembler, correspondance_verifiee, Destination, Format, Import, ImportError, OptionsLecture,
    Partiel,
};

type Source<'a> = Cursor<&'a [u8]>;

/// ZIP local file header (XLSX, ODS).
const ZIP: &[u8] = b"PK\x03\x04";
/// OLE2 compound document (Excel 97-2003; also an encrypted XLSX): refused, see [`ImportError::Xls`].
const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
/// ODS stores this uncompressed as the archive's first entry.
const MIME_ODS: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// Format from the first bytes: a ZIP is an ODS when it says so, else XLSX; anything else is read
/// as CSV, except an OLE2 document (.xls, encrypted workbook), refused.
pub fn format(bytes: &[u8]) -> Result<Format, ImportError> {
    Ok(if bytes.starts_with(OLE) {
        return Err(ImportError::Xls);
    } else if bytes.starts_with(ZIP) {
        let debut = &bytes[..bytes.len().min(256)];
        match memchr::memmem::find(debut, MIME_ODS) {
            Some(_) => Format::Ods,
            None => Format::Xlsx,
        }
    } else {
        Format::Csv
    })
}

/// Opened once per reading: the size difference between the two readers does not matter.
#[allow(clippy::large_enum_variant)]
enum Classeur<'a> {
    Xlsx(Xlsx<Source<'a>>),
    Ods(Ods<Source<'a>>),
}

fn illisible(format: Format, e: impl std::fmt::Display) -> ImportError {
    ImportError::ClasseurIllisible {
        format: format.nom(),
        detail: e.to_string(),
    }
}

impl<'a> Classeur<'a> {
    /// Opens a workbook; a ZIP that is not an XLSX is tried as an ODS before giving up.
    /// Its parts are checked against the caps of [`super::bornes`] first.
    fn ouvrir(bytes: &'a [u8], format: Format) -> Result<Classeur<'a>, ImportError> {
        super::bornes::verifier(bytes, format)?;
        let source = Cursor::new(bytes);
        match format {
            Format::Ods => Ods::new(source)
                .map(Classeur::Ods)
                .map_err(|e| illisible(format, e)),
            _ => match Xlsx::new(source.clone()) {
                Ok(x) => Ok(Classeur::Xlsx(x)),
                Err(e) => Ods::new(source)
                    .map(Classeur::Ods)
                    .map_err(|_| illisible(format, e)),
            },
        }
    }

    fn format(&self) -> Format {
        match self {
            Classeur::Xlsx(_) => Format::Xlsx,
            Classeur::Ods(_) => Format::Ods,
        }
    }

    /// Worksheets (chart and macro sheets left out), in workbook order, with their visibility.
    fn feuilles(&self) -> Vec<(String, bool)> {
        let meta = match self {
            Classeur::Xlsx(c) => c.sheets_metadata(),
            Classeur::Ods(c) => c.sheets_metadata(),
        };
        meta.iter()
            .filter(|s| s.typ == SheetType::WorkSheet)
            .map(|s| (s.name.clone(), s.visible == calamine::SheetVisible::Visible))
            .collect()
    }

    /// Calls `f` on each row holding cells, in order: its 0-based index and its cells from
    /// column A (at most [`COLONNES_MAX`]). XLSX is streamed cell by cell (calamine's
    /// `worksheet_range` would allocate the sheet's whole bounding box: a lone cell in XFD1048576
    /// asks for 550 GB); ODS goes through the range.
    fn parcourir(
        &mut self,
        nom: &str,
        mut f: impl FnMut(u32, &[DataRef]) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let format = self.format();
        let mut ligne: Vec<DataRef> = Vec::new();
        match self {
            Classeur::Xlsx(c) => {
                let mut cellules = c
                    .worksheet_cells_reader(nom)
                    .map_err(|e| illisible(format, e))?;
                let mut courante = None;
                // Already counted by the scan of `bornes`: a second guard, should it have missed
                // the sheet's part.
                let mut n = 0u64;
                while let Some(c) = cellules.next_cell().map_err(|e| illisible(format, e))? {
                    n += 1;
                    if n > super::bornes::CELLULES_MAX {
                        return Err(ImportError::ClasseurDemesure {
                            format: format.nom(),
                            detail: format!(
                                "la feuille « {nom} » compte plus de {} cellules",
                                crate::format::integer(super::bornes::CELLULES_MAX as i64)
                            ),
                        });
                    }
                    let (r, j) = c.get_position();
                    if courante != Some(r) {
                        if let Some(k) = courante {
                            f(k, &ligne)?;
                        }
                        ligne.clear();
                        courante = Some(r);
                    }
                    let j = j as usize;
                    if j < COLONNES_MAX {
                        if ligne.len() <= j {
                            ligne.resize(j + 1, DataRef::Empty);
                        }
                        ligne[j] = c.get_value().clone();
                    }
                }
                if let Some(k) = courante {
                    f(k, &ligne)?;
                }
            }
            Classeur::Ods(c) => {
                let plage = c.worksheet_range(nom).map_err(|e| illisible(format, e))?;
                let (r0, c0) = plage.start().unwrap_or_default();
                for (i, cellules) in plage.rows().enumerate() {
                    ligne.clear();
                    ligne.resize((c0 as usize).min(COLONNES_MAX), DataRef::Empty);
                    let reste = COLONNES_MAX - ligne.len();
                    ligne.extend(cellules.iter().take(reste).map(reference));
                    f(r0 + i as u32, &ligne)?;
                }
            }
        }
        Ok(())
    }

    /// Merged blocks of a sheet (none known for ODS), read by the scan of [`super::bornes`]
    /// (which also caps the sheet's cells and blocks). A sheet part not found only loses the
    /// fill-down.
    fn fusions(&self, bytes: &[u8], nom: &str) -> Result<Vec<Dimensions>, ImportError> {
        let meta = match self {
            Classeur::Xlsx(c) => c.sheets_metadata(),
            Classeur::Ods(_) => return Ok(Vec::new()),
        };
        let Some(rang) = meta.iter().position(|s| s.name == nom) else {
            return Ok(Vec::new());
        };
        Ok(super::bornes::feuille_xlsx(bytes, rang, nom)?
            .map(|f| f.fusions)
            .unwrap_or_default())
    }

    fn epoque_1904(&self) -> bool {
        match self {
            Classeur::Xlsx(c) => c.has_1904_epoch(),
            Classeur::Ods(_) => false,
        }
    }
}

/// Sheet names of a workbook, in order (empty for a CSV file), to offer a choice.
pub fn feuilles(bytes: &[u8]) -> Result<Vec<String>, ImportError> {
    match format(bytes)? {
        Format::Csv => Ok(Vec::new()),
        f => Ok(Classeur::ouvrir(bytes, f)?
            .feuilles()
            .into_iter()
            .map(|(nom, _)| nom)
            .collect()),
    }
}

/// The sheet to read: the one named (exactly, else ignoring case, accents and spaces, else its
/// 1-based number), or by default the first visible worksheet.
fn choisir(feuilles: &[(String, bool)], voulue: Option<&str>) -> Result<String, ImportError> {
    let noms: Vec<String> = feuilles.iter().map(|(n, _)| n.clone()).collect();
    let Some(voulue) = voulue else {
        return feuilles
            .iter()
            .find(|(_, visible)| *visible)
            .or(feuilles.first())
            .map(|(n, _)| n.clone())
            .ok_or_else(|| ImportError::ClasseurIllisible {
                format: "",
                detail: "aucune feuille de calcul".into(),
            });
    };
    let cle = normaliser(voulue);
    noms.iter()
        .find(|n| n.as_str() == voulue)
        .or_else(|| {
            noms.iter()
                .find(|n| !cle.is_empty() && normaliser(n) == cle)
        })
        .or_else(|| {
            let rang: usize = voulue.trim().parse().ok()?;
            noms.get(rang.checked_sub(1)?)
        })
        .cloned()
        .ok_or(ImportError::FeuilleInconnue {
            feuille: voulue.to_owned(),
            feuilles: noms.clone(),
        })
}

/// Widest row read: cells further right are ignored (no état des lieux has that many columns).
const COLONNES_MAX: usize = 1024;

/// Reads a workbook état des lieux (see the module documentation).
pub(super) fn lire_etat(
    bytes: &[u8],
    format: Format,
    options: &OptionsLecture,
) -> Result<Import, ImportError> {
    let mut etat = FeuilleEtat {
        donnee: options.correspondance.as_ref(),
        map: Correspondance::default(),
        nb_colonnes: 0,
        p: Partiel::default(),
        tampons: Tampons::default(),
        plafond: Plafond::new(super::LOGEMENTS_MAX),
    };
    let f = parcourir(bytes, format, options.feuille.as_deref(), &mut etat)?;
    let mut import = assembler(etat.p, etat.map, f.entetes, f.ligne_entete, f.format, f.format.nom());
    import.feuille = Some(f.nom);
    import.feuilles = f.feuilles;
    Ok(import)
}

/// An état des lieux being read from a sheet.
struct FeuilleEtat<'o> {
    /// The mapping given by the user, if any.
    donnee: Option<&'o Correspondance>,
    /// The mapping used, once the header is read.
    map: Correspondance,
    nb_colonnes: usize,
    p: Partiel,
    tampons: Tampons,
    plafond: Plafond,
}

impl Destination for FeuilleEtat<'_> {
    fn ligne(&mut self, ligne: u64, rec: &StringRecord) {
        self.p.ligne(
            ligne,
            rec,
            &mut self.tampons,
            &self.map,
            self.nb_colonnes,
            &self.plafond,
        );
    }
    fn fini(&self) -> bool {
        self.p.trop.is_some()
    }
    fn illisible(&mut self, ligne: u64, motif: String) {
        self.p.illisible(ligne, motif);
    }
    fn avertir(&mut self, ligne: u64, colonne: &str, motif: String) {
        self.p.avertir(ligne, colonne, motif);
    }
    fn entete(&mut self, entetes: &[String]) -> Result<(), ImportError> {
        self.map = correspondance_verifiee(self.donnee, entetes)?;
        self.nb_colonnes = entetes.len();
        Ok(())
    }
    fn champ(&self, j: usize) -> Option<&'static str> {
        self.map.champ(j).map(Champ::nom)
    }
    fn colonne_date(&self, j: usize) -> Option<&'static str> {
        (self.map.colonne(Champ::DateFin) == Some(j)).then(|| Champ::DateFin.nom())
    }
}

/// What [`parcourir`] found besides the rows it fed: the sheet read and its header.
pub(crate) struct FeuilleLue {
    pub format: Format,
    /// The sheet read.
    pub nom: String,
    /// Every worksheet of the workbook, to offer a choice.
    pub feuilles: Vec<String>,
    /// Spreadsheet line of the header (1-based).
    pub ligne_entete: u64,
    pub entetes: Vec<String>,
}

/// Reads a sheet of a workbook (`feuille`, or the first visible one) into `d`: the first row
/// holding a value is the header ([`Destination::entete`]), every later row with a value a
/// record of texts (see the module documentation), numbered as the spreadsheet's rows.
pub(crate) fn parcourir(
    bytes: &[u8],
    format: Format,
    feuille: Option<&str>,
    d: &mut impl Destination,
) -> Result<FeuilleLue, ImportError> {
    let mut classeur = Classeur::ouvrir(bytes, format)?;
    let format = classeur.format();
    let feuilles = classeur.feuilles();
    let nom = choisir(&feuilles, feuille).map_err(|e| match e {
        ImportError::ClasseurIllisible { detail, .. } => illisible(format, detail),
        e => e,
    })?;
    let mut lecture = Lecture {
        d,
        epoque_1904: classeur.epoque_1904(),
        fusions: classeur.fusions(bytes, &nom)?,
        entete: None,
        remplir: Vec::new(),
        rec: StringRecord::new(),
        cellule: String::new(),
    };
    classeur.parcourir(&nom, |r, cellules| lecture.ligne(r, cellules))?;
    let Some((ligne_entete, entetes)) = lecture.entete else {
        return Err(ImportError::FeuilleVide { feuille: nom });
    };
    Ok(FeuilleLue {
        format,
        nom,
        feuilles: feuilles.into_iter().map(|(n, _)| n).collect(),
        ligne_entete: ligne_entete as u64 + 1,
        entetes,
    })
}

/// The reading of one sheet, row after row.
struct Lecture<'d, D> {
    d: &'d mut D,
    epoque_1904: bool,
    fusions: Vec<Dimensions>,
    /// Header row (0-based) and header texts, once the first non-empty row is seen.
    entete: Option<(u32, Vec<String>)>,
    /// Merged blocks met so far.
    remplir: Vec<Remplissage>,
    rec: StringRecord,
    cellule: String,
}

/// A merged block applied down its first column: spreadsheet lines `de` (its top, holding the
/// value) to `a`.
struct Remplissage {
    colonne: usize,
    de: u64,
    a: u64,
    texte: String,
}

impl<D: Destination> Lecture<'_, D> {
    /// One row: the header if none was met yet, else a data row. Rows without any value are
    /// layout: skipped, not counted.
    fn ligne(&mut self, r: u32, cellules: &[DataRef]) -> Result<(), ImportError> {
        let n = r as u64 + 1;
        let vide = cellules.iter().all(|c| {
            texte(c, self.epoque_1904, &mut self.cellule);
            self.cellule.trim().is_empty()
        });
        let Some((entete, entetes)) = &self.entete else {
            if vide {
                return Ok(());
            }
            let entetes: Vec<String> = cellules
                .iter()
                .map(|c| {
                    texte(c, self.epoque_1904, &mut self.cellule);
                    self.cellule.trim().to_owned()
                })
                .collect();
            self.d.entete(&entetes)?;
            self.entete = Some((r, entetes));
            return Ok(());
        };
        let (entete, nb_colonnes) = (*entete, entetes.len());
        self.retenir_fusions(r, entete, cellules);
        if vide && !self.remplir.iter().any(|f| f.de < n && n <= f.a) {
            return Ok(());
        }
        self.rec.clear();
        for j in 0..nb_colonnes {
            let c = cellules.get(j).unwrap_or(&DataRef::Empty);
            match serie(c).and_then(|v| Some((v, self.d.colonne_date(j)?))) {
                Some((v, champ)) => {
                    let (a, m, d, ..) =
                        ExcelDateTime::new(v, ExcelDateTimeType::DateTime, self.epoque_1904)
                            .to_ymd_hms_milli();
                    self.cellule.clear();
                    let _ = write!(self.cellule, "{a:04}-{m:02}-{d:02}");
                    self.d.avertir(
                        n,
                        champ,
                        format!("nombre {v} lu comme une date du tableur : {d:02}/{m:02}/{a:04}"),
                    );
                }
                None => texte(c, self.epoque_1904, &mut self.cellule),
            }
            let rempli = self
                .remplir
                .iter()
                .find(|f| f.colonne == j && f.de < n && n <= f.a)
                .filter(|_| self.cellule.trim().is_empty());
            self.rec
                .push_field(rempli.map_or(self.cellule.as_str(), |f| f.texte.as_str()));
        }
        self.d.ligne(n, &self.rec);
        if self.d.fini() {
            return Err(ImportError::TropDeLogements { ligne: n });
        }
        Ok(())
    }

    /// Merged blocks whose top-left cell is on data row `r` and that span several rows: their
    /// value will fill the empty cells below (one warning per block, on a mapped column).
    fn retenir_fusions(&mut self, r: u32, entete: u32, cellules: &[DataRef]) {
        for d in self
            .fusions
            .iter()
            .filter(|d| d.start.0 == r && d.end.0 > r && r > entete)
        {
            let colonne = d.start.1 as usize;
            let Some(c) = cellules.get(colonne) else {
                continue;
            };
            texte(c, self.epoque_1904, &mut self.cellule);
            let valeur = self.cellule.trim().to_owned();
            if valeur.is_empty() {
                continue;
            }
            let (de, a) = (r as u64 + 1, d.end.0 as u64 + 1);
            if let Some(champ) = self.d.champ(colonne) {
                let motif = format!("cellule fusionnée sur les lignes {de} à {a} : sa valeur « {valeur} » vaut pour chacune");
                self.d.avertir(de, champ, motif);
            }
            self.remplir.push(Remplissage {
                colonne,
                de,
                a,
                texte: valeur,
            });
        }
    }
}

/// An Excel serial date in a numeric cell: 5 digits or more (a 4-digit number is a year) and at
/// most 9999-12-31.
fn serie(c: &DataRef) -> Option<f64> {
    let v = match *c {
        DataRef::Int(i) => i as f64,
        DataRef::Float(f) => f,
        _ => return None,
    };
    (10_000.0..2_958_466.0).contains(&v).then_some(v)
}

/// An ODS cell as the XLSX reader gives them.
fn reference(c: &Data) -> DataRef<'_> {
    match c {
        Data::Int(i) => DataRef::Int(*i),
        Data::Float(f) => DataRef::Float(*f),
        Data::String(s) => DataRef::SharedString(s),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(d) => DataRef::DateTime(*d),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
        Data::Empty => DataRef::Empty,
    }
}

/// The text of a cell as a CSV would hold it (see the module documentation), into `sortie`.
fn texte(c: &DataRef, epoque_1904: bool, sortie: &mut String) {
    sortie.clear();
    let _ = match c {
        DataRef::Empty => Ok(()),
        DataRef::SharedString(s) => {
            sortie.push_str(s);
            Ok(())
        }
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            sortie.push_str(s);
            Ok(())
        }
        DataRef::Int(i) => write!(sortie, "{i}"),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => write!(sortie, "{}", *f as i64),
        DataRef::Float(f) => write!(sortie, "{f}"),
        DataRef::Bool(b) => {
            sortie.push_str(if *b { "oui" } else { "non" });
            Ok(())
        }
        DataRef::DateTime(d) if d.is_datetime() => {
            let (a, m, j, ..) =
                ExcelDateTime::new(d.as_f64(), ExcelDateTimeType::DateTime, epoque_1904)
                    .to_ymd_hms_milli();
            write!(sortie, "{a:04}-{m:02}-{j:02}")
        }
        DataRef::DateTime(d) => write!(sortie, "{}", d.as_f64()),
        DataRef::Error(e) => write!(sortie, "{e}"),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_magic_bytes() {
        assert_eq!(format(b"rpls;commune\n"), Ok(Format::Csv));
        assert_eq!(format(b"PK\x03\x04rest"), Ok(Format::Xlsx));
        let mut ods = b"PK\x03\x04".to_vec();
        ods.extend_from_slice(&[0; 26]);
        ods.extend_from_slice(b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet");
        assert_eq!(format(&ods), Ok(Format::Ods));
        assert_eq!(format(OLE), Err(ImportError::Xls));
        assert_eq!(feuilles(b"a;b\n").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn typed_cells_as_text() {
        let t = |c: Data| {
            let mut s = String::new();
            texte(&reference(&c), false, &mut s);
            s
        };
        assert_eq!(t(Data::Float(3.0)), "3");
        assert_eq!(t(Data::Float(0.063)), "0.063");
        assert_eq!(t(Data::Float(45.5)), "45.5");
        assert_eq!(t(Data::Int(93048)), "93048");
        assert_eq!(t(Data::Bool(true)), "oui");
        assert_eq!(t(Data::Error(calamine::CellErrorType::NA)), "#N/A");
        let d = ExcelDateTime::new(47483.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(t(Data::DateTime(d)), "2029-12-31");
        assert_eq!(serie(&DataRef::Int(2040)), None);
        assert_eq!(serie(&DataRef::Float(47483.0)), Some(47483.0));
    }

    #[test]
    fn sheet_choice() {
        let f = vec![
            ("Cachée".to_owned(), false),
            ("État des lieux".to_owned(), true),
            ("Notes".to_owned(), true),
        ];
        assert_eq!(choisir(&f, None).unwrap(), "État des lieux");
        assert_eq!(
            choisir(&f, Some("etat des LIEUX")).unwrap(),
            "État des lieux"
        );
        assert_eq!(choisir(&f, Some("3")).unwrap(), "Notes");
        let e = choisir(&f, Some("Parc")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "feuille « Parc » introuvable ; feuilles du classeur : « Cachée », « État des lieux », « Notes »"
        );
    }
}

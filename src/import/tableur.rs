//! Workbooks (XLSX, ODS) read through calamine from bytes: there is no filesystem in the
//! browser, so readers are built over a `Cursor`.
//!
//! Each data row becomes the same record of texts as a CSV line and goes through the same
//! conversion (`ligne`), so a value gives the same reject or warning in every format. Line
//! numbers are the spreadsheet's row numbers; the header is the first non-empty row (row 1 in a
//! normal sheet). What a typed cell becomes:
//! - number: its shortest decimal writing (3.0 → "3", 0.063 → "0.063");
//! - date (a date-formatted number, or an ODS date): "AAAA-MM-JJ"; in the `date_fin` column a
//!   bare number of 5 digits or more is an Excel serial date (with a warning);
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
use calamine::{Data, Dimensions, ExcelDateTime, ExcelDateTimeType, Ods, Range, Reader, SheetType, Xlsx};

use super::columns::{normaliser, Champ};
use super::{assembler, correspondance_verifiee, Format, Import, ImportError, OptionsLecture, Partiel};

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
    fn ouvrir(bytes: &'a [u8], format: Format) -> Result<Classeur<'a>, ImportError> {
        let source = Cursor::new(bytes);
        match format {
            Format::Ods => Ods::new(source).map(Classeur::Ods).map_err(|e| illisible(format, e)),
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

    fn plage(&mut self, nom: &str) -> Result<Range<Data>, ImportError> {
        let f = self.format();
        match self {
            Classeur::Xlsx(c) => c.worksheet_range(nom).map_err(|e| illisible(f, e)),
            Classeur::Ods(c) => c.worksheet_range(nom).map_err(|e| illisible(f, e)),
        }
    }

    /// Merged blocks of a sheet (none known for ODS). A failure only loses the fill-down.
    fn fusions(&mut self, nom: &str) -> Vec<Dimensions> {
        match self {
            Classeur::Xlsx(c) => c.merge_cells_by_sheet_name(nom).unwrap_or_default(),
            Classeur::Ods(_) => Vec::new(),
        }
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
        .or_else(|| noms.iter().find(|n| !cle.is_empty() && normaliser(n) == cle))
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

/// Reads a workbook état des lieux (see the module documentation).
pub(super) fn lire(bytes: &[u8], format: Format, options: &OptionsLecture) -> Result<Import, ImportError> {
    let mut classeur = Classeur::ouvrir(bytes, format)?;
    let format = classeur.format();
    let feuilles = classeur.feuilles();
    let feuille = choisir(&feuilles, options.feuille.as_deref()).map_err(|e| match e {
        ImportError::ClasseurIllisible { detail, .. } => illisible(format, detail),
        e => e,
    })?;
    let plage = classeur.plage(&feuille)?;
    let fusions = classeur.fusions(&feuille);
    let epoque_1904 = classeur.epoque_1904();
    drop(classeur);

    let vide = || ImportError::FeuilleVide { feuille: feuille.clone() };
    let (ligne0, _) = plage.start().ok_or_else(vide)?;
    let mut lignes = plage.rows().enumerate();
    let mut cellule = String::new();
    let (r_entete, entete) = lignes
        .by_ref()
        .find(|(_, r)| !ligne_vide(r, epoque_1904, &mut cellule))
        .ok_or_else(vide)?;
    let entetes: Vec<String> = entete
        .iter()
        .map(|c| {
            texte(c, epoque_1904, &mut cellule);
            cellule.trim().to_owned()
        })
        .collect();
    let map = correspondance_verifiee(options.correspondance.as_ref(), &entetes)?;
    let nb_colonnes = entetes.len();
    let numero = |r: usize| ligne0 as u64 + r as u64 + 1;

    let mut p = Partiel::default();
    let remplir = remplissages(&plage, &fusions, ligne0 as usize + r_entete);
    for r in &remplir {
        if let Some(champ) = map.champ(r.colonne) {
            texte(&r.valeur, epoque_1904, &mut cellule);
            let motif = format!(
                "cellule fusionnée sur les lignes {} à {} : sa valeur « {} » vaut pour chacune",
                r.de,
                r.a,
                cellule.trim()
            );
            p.avertir(r.de as u64, champ.nom(), motif);
        }
    }
    let col_date = map.colonne(Champ::DateFin);
    let mut rec = StringRecord::new();
    let mut tampon = String::new();
    for (r, ligne) in lignes {
        let n = numero(r);
        if ligne_vide(ligne, epoque_1904, &mut cellule) && !remplir.iter().any(|f| f.couvre(n)) {
            continue;
        }
        rec.clear();
        for (j, c) in ligne.iter().enumerate() {
            let c = match remplir.iter().find(|f| f.colonne == j && f.couvre(n)) {
                Some(f) if matches!(c, Data::Empty) && n > f.de as u64 => &f.valeur,
                _ => c,
            };
            match (c, col_date == Some(j)) {
                (Data::Int(_) | Data::Float(_), true) if serie(c).is_some() => {
                    let v = serie(c).unwrap_or_default();
                    let (a, m, d, ..) = ExcelDateTime::new(v, ExcelDateTimeType::DateTime, epoque_1904)
                        .to_ymd_hms_milli();
                    cellule.clear();
                    let _ = write!(cellule, "{a:04}-{m:02}-{d:02}");
                    p.avertir(
                        n,
                        Champ::DateFin.nom(),
                        format!("nombre {v} lu comme une date du tableur : {d:02}/{m:02}/{a:04}"),
                    );
                }
                _ => texte(c, epoque_1904, &mut cellule),
            }
            rec.push_field(&cellule);
        }
        p.ligne(n, &rec, &mut tampon, &map, nb_colonnes);
    }
    let mut import = assembler(p, map, entetes, format, format.nom());
    import.feuille = Some(feuille);
    import.feuilles = feuilles.into_iter().map(|(n, _)| n).collect();
    Ok(import)
}

/// An Excel serial date in a numeric cell: 5 digits or more (a 4-digit number is a year) and at
/// most 9999-12-31.
fn serie(c: &Data) -> Option<f64> {
    let v = match *c {
        Data::Int(i) => i as f64,
        Data::Float(f) => f,
        _ => return None,
    };
    (10_000.0..2_958_466.0).contains(&v).then_some(v)
}

/// A merged block to apply down its first column: spreadsheet rows `de` (its top, holding the
/// value) to `a`, column index `colonne` in the range.
struct Remplissage {
    colonne: usize,
    de: u32,
    a: u32,
    valeur: Data,
}

impl Remplissage {
    fn couvre(&self, ligne: u64) -> bool {
        (self.de as u64..=self.a as u64).contains(&ligne)
    }
}

/// Merged blocks of data rows (below the header row `entete`, 0-based) spanning several rows
/// and starting inside the range, with their top-left value.
fn remplissages(plage: &Range<Data>, fusions: &[Dimensions], entete: usize) -> Vec<Remplissage> {
    let Some((l0, c0)) = plage.start() else {
        return Vec::new();
    };
    let fin = plage.end().unwrap_or((l0, c0));
    fusions
        .iter()
        .filter(|d| d.end.0 > d.start.0 && d.start.0 as usize > entete)
        .filter(|d| d.start.1 >= c0 && d.start.1 <= fin.1 && d.start.0 <= fin.0)
        .filter_map(|d| {
            let valeur = plage.get_value(d.start)?.clone();
            (!matches!(valeur, Data::Empty)).then(|| Remplissage {
                colonne: (d.start.1 - c0) as usize,
                de: d.start.0 + 1,
                a: d.end.0.min(fin.0) + 1,
                valeur,
            })
        })
        .collect()
}

fn ligne_vide(ligne: &[Data], epoque_1904: bool, tampon: &mut String) -> bool {
    ligne.iter().all(|c| {
        texte(c, epoque_1904, tampon);
        tampon.trim().is_empty()
    })
}

/// The text of a cell as a CSV would hold it (see the module documentation), into `sortie`.
fn texte(c: &Data, epoque_1904: bool, sortie: &mut String) {
    sortie.clear();
    let _ = match c {
        Data::Empty => Ok(()),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
            sortie.push_str(s);
            Ok(())
        }
        Data::Int(i) => write!(sortie, "{i}"),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => write!(sortie, "{}", *f as i64),
        Data::Float(f) => write!(sortie, "{f}"),
        Data::Bool(b) => {
            sortie.push_str(if *b { "oui" } else { "non" });
            Ok(())
        }
        Data::DateTime(d) if d.is_datetime() => {
            let (a, m, j, ..) = ExcelDateTime::new(d.as_f64(), ExcelDateTimeType::DateTime, epoque_1904)
                .to_ymd_hms_milli();
            write!(sortie, "{a:04}-{m:02}-{j:02}")
        }
        Data::DateTime(d) => write!(sortie, "{}", d.as_f64()),
        Data::Error(e) => write!(sortie, "{e}"),
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
            texte(&c, false, &mut s);
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
        assert_eq!(serie(&Data::Int(2040)), None);
        assert_eq!(serie(&Data::Float(47483.0)), Some(47483.0));
    }

    #[test]
    fn sheet_choice() {
        let f = vec![("Cachée".to_owned(), false), ("État des lieux".to_owned(), true), ("Notes".to_owned(), true)];
        assert_eq!(choisir(&f, None).unwrap(), "État des lieux");
        assert_eq!(choisir(&f, Some("etat des LIEUX")).unwrap(), "État des lieux");
        assert_eq!(choisir(&f, Some("3")).unwrap(), "Notes");
        let e = choisir(&f, Some("Parc")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "feuille « Parc » introuvable ; feuilles du classeur : « Cachée », « État des lieux », « Notes »"
        );
    }
}

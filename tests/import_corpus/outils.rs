//! Helpers shared by the import tests (included with `#[path]`): the corpus directory, counts,
//! and a minimal ODS writer (the XLSX ones use rust_xlsxwriter, the XLS one
//! `generer_xls.py`).
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;

use gestion_flux::import::{self, Import, OptionsLecture, Rejet};

pub fn chemin(nom: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/import_corpus")
        .join(nom)
}

pub fn octets(nom: &str) -> Vec<u8> {
    std::fs::read(chemin(nom)).unwrap_or_else(|e| panic!("{nom} : {e}"))
}

/// Reads a corpus file with default options.
pub fn lire(nom: &str) -> Result<Import, import::ImportError> {
    import::lire(&octets(nom), &OptionsLecture::default())
}

/// (rows read, kept, rejected, warnings), after checking that read = kept + rejected and that
/// every logement has its line (a row standing for `nb` logements: `nb` times its line, so at
/// least as many logements as rows kept).
pub fn comptes(imp: &Import) -> (usize, usize, usize, usize) {
    assert_eq!(
        imp.lignes_lues,
        imp.lignes_retenues + imp.rejets.len(),
        "lues = retenues + rejetées"
    );
    assert_eq!(imp.lignes.len(), imp.dataset.len());
    let mut lignes = imp.lignes.clone();
    lignes.dedup();
    assert_eq!(lignes.len(), imp.lignes_retenues, "une ligne par ligne retenue");
    (
        imp.lignes_lues,
        imp.lignes_retenues,
        imp.rejets.len(),
        imp.avertissements.len(),
    )
}

/// (line, column, reason) of rejects or warnings.
pub fn motifs(r: &[Rejet]) -> Vec<(u64, &str, &str)> {
    r.iter()
        .map(|r| (r.ligne, r.colonne.as_str(), r.motif.as_str()))
        .collect()
}

/// Checks counts, rejects and warnings of an import at once.
pub fn verifier(
    imp: &Import,
    attendus: (usize, usize, usize, usize),
    rejets: &[(u64, &str, &str)],
    avertissements: &[(u64, &str, &str)],
) {
    assert_eq!(motifs(&imp.rejets), rejets, "rejets");
    assert_eq!(
        motifs(&imp.avertissements),
        avertissements,
        "avertissements"
    );
    assert_eq!(comptes(imp), attendus);
}

/// One cell of an ODS sheet.
pub enum Cellule<'a> {
    Texte(&'a str),
    Nombre(f64),
    Pourcent(f64),
    /// AAAA-MM-JJ.
    Date(&'a str),
    Booleen(bool),
    /// Formula and its cached result.
    Formule(&'a str, f64),
    /// LibreOffice's error result of a formula (#N/A…).
    Erreur(&'a str),
    /// Top-left cell of a block merged over `n` rows.
    Fusion(u32, &'a str),
    /// A cell covered by a merge.
    Couverte,
    Vide,
}

fn echapper(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn cellule_ods(c: &Cellule) -> String {
    use Cellule::*;
    let p = |t: &str| format!("<text:p>{}</text:p>", echapper(t));
    match c {
        Texte(t) => format!(
            r#"<table:table-cell office:value-type="string">{}</table:table-cell>"#,
            p(t)
        ),
        Nombre(x) => format!(
            r#"<table:table-cell office:value-type="float" office:value="{x}">{}</table:table-cell>"#,
            p(&x.to_string())
        ),
        Pourcent(x) => format!(
            r#"<table:table-cell office:value-type="percentage" office:value="{x}">{}</table:table-cell>"#,
            p(&format!("{} %", x * 100.0))
        ),
        Date(d) => format!(
            r#"<table:table-cell office:value-type="date" office:date-value="{d}">{}</table:table-cell>"#,
            p(d)
        ),
        Booleen(b) => format!(
            r#"<table:table-cell office:value-type="boolean" office:boolean-value="{b}">{}</table:table-cell>"#,
            p(if *b { "VRAI" } else { "FAUX" })
        ),
        Formule(f, x) => format!(
            r#"<table:table-cell table:formula="{}" office:value-type="float" office:value="{x}">{}</table:table-cell>"#,
            echapper(f),
            p(&x.to_string())
        ),
        Erreur(e) => format!(
            r#"<table:table-cell table:formula="of:=NA()" office:value-type="string" office:string-value="" calcext:value-type="error">{}</table:table-cell>"#,
            p(e)
        ),
        Fusion(n, t) => format!(
            r#"<table:table-cell table:number-rows-spanned="{n}" table:number-columns-spanned="1" office:value-type="string">{}</table:table-cell>"#,
            p(t)
        ),
        Couverte => "<table:covered-table-cell/>".into(),
        Vide => "<table:table-cell/>".into(),
    }
}

/// An ODS workbook: sheets of rows; an empty row stands for `table:number-rows-repeated="2"`
/// empty rows (as LibreOffice writes blank lines).
pub fn ods(feuilles: &[(&str, Vec<Vec<Cellule>>)]) -> Vec<u8> {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" office:version="1.3"><office:body><office:spreadsheet>"#,
    );
    for (nom, lignes) in feuilles {
        xml += &format!(r#"<table:table table:name="{}">"#, echapper(nom));
        for l in lignes {
            if l.is_empty() {
                xml += r#"<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>"#;
                continue;
            }
            xml += "<table:table-row>";
            l.iter().for_each(|c| xml += &cellule_ods(c));
            xml += "</table:table-row>";
        }
        xml += "</table:table>";
    }
    xml += "</office:spreadsheet></office:body></office:document-content>";
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    for (nom, contenu) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", xml.as_str()),
    ] {
        z.start_file(nom, options).unwrap();
        z.write_all(contenu.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// A ZIP archive holding `fichiers` (name, content): not a workbook.
pub fn zip(fichiers: &[(&str, &[u8])]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().last_modified_time(zip::DateTime::default());
    for (nom, contenu) in fichiers {
        z.start_file(*nom, options).unwrap();
        z.write_all(contenu).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// `classeur` (a ZIP: XLSX or ODS) with the entries `parties` (name, content) replaced or added,
/// every entry deflated: crafted workbooks whose parts declare or hold far too much (issue 14).
pub fn remplacer(classeur: &[u8], parties: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Read;
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(classeur)).unwrap();
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .last_modified_time(zip::DateTime::default());
    let mut vus = Vec::new();
    for i in 0..source.len() {
        let mut f = source.by_index(i).unwrap();
        let nom = f.name().unwrap().into_owned();
        let mut contenu = Vec::new();
        f.read_to_end(&mut contenu).unwrap();
        let contenu = match parties.iter().find(|(n, _)| *n == nom) {
            Some((_, c)) => c.to_vec(),
            None => contenu,
        };
        // The ODS mimetype stays first and stored.
        let o = if nom == "mimetype" {
            options
                .compression_method(zip::CompressionMethod::Stored)
                .compression_level(None)
        } else {
            options
        };
        z.start_file(nom.as_str(), o).unwrap();
        z.write_all(&contenu).unwrap();
        vus.push(nom);
    }
    for (nom, contenu) in parties.iter().filter(|(n, _)| !vus.iter().any(|v| v == n)) {
        z.start_file(*nom, options).unwrap();
        z.write_all(contenu).unwrap();
    }
    z.finish().unwrap().into_inner()
}

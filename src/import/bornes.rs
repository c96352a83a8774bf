//! Caps on what a workbook may make the readers hold in memory, checked **before** calamine
//! materialises anything (issue 14, « bounded readers »).
//!
//! calamine reads some parts of a workbook whole when it opens it: an ODS's `content.xml` (every
//! sheet, as dense ranges where `table:number-rows-repeated` and `table:number-columns-repeated`
//! are expanded), an XLSX's shared strings (with a `Vec::reserve` of the count the file declares),
//! styles, workbook and relationships; and it reads an XLSX sheet's merged blocks into a vector.
//! A few kilobytes of ZIP can declare billions of cells or strings, and the process (or the
//! browser tab) dies before any message. So each such part is streamed once here, decompressed
//! block by block and never held, and compared with the caps below; a workbook over them is
//! refused with [`ImportError::ClasseurDemesure`] and a French detail. The XLSX sheet itself is
//! streamed cell by cell by the reader (`tableur`), so its declared `<dimension>` costs nothing:
//! its cells are counted here (with its merged blocks, which this scan reads instead of
//! calamine) and capped the same way.

use std::io::Read;

use calamine::Dimensions;

use super::{Format, ImportError};
use crate::format::integer;

/// Cells a workbook may make the reader materialise: an ODS's sheets as calamine expands them
/// (all sheets at once), an XLSX sheet's cells. 20 million is a 1.2 million-row sheet of 16
/// columns, more than a spreadsheet holds (1 048 576 rows); calamine's ODS range costs about
/// 56 bytes per cell natively (≈ 36 in the browser), so the cap keeps it around 1 GB.
pub const CELLULES_MAX: u64 = 20_000_000;
/// Shared strings of an XLSX (distinct texts): declared (`uniqueCount`, which calamine reserves
/// at once) or present.
pub const CHAINES_MAX: u64 = 5_000_000;
/// Merged blocks of the sheet read (the reader checks each row against them).
pub const FUSIONS_MAX: usize = 100_000;
/// Decompressed bytes of a part read whole (ODS `content.xml`, XLSX `sharedStrings.xml`).
pub const PARTIE_MAX: u64 = 512 << 20;
/// Decompressed bytes of the small parts read whole (styles, workbook, relationships, theme,
/// metadata, manifest): a few kilobytes in a real workbook.
pub const PARTIE_ANNEXE_MAX: u64 = 64 << 20;
/// Decompressed bytes of the XLSX sheet read (streamed, so only time is at stake).
pub const FEUILLE_OCTETS_MAX: u64 = 4 << 30;
/// Longest text between two tags, or tag, in a workbook's XML: Excel holds at most 32 767
/// characters in a cell.
pub const TEXTE_MAX: usize = 1 << 20;

/// calamine's own limits for an ODS sheet (it caps the repeats to them).
const LIGNES_ODS: u64 = 1_048_576;
const COLONNES_ODS: u64 = 16_384;

fn demesure(format: Format, detail: String) -> ImportError {
    ImportError::ClasseurDemesure {
        format: format.nom(),
        detail,
    }
}

/// Why a scan stopped.
enum Arret {
    /// Over a cap: the French detail.
    Cap(String),
    /// The part cannot be decompressed or is not XML: left to calamine, which says so.
    Illisible,
}

/// Streams a decompressed part, calling `balise` on every tag (the bytes between `<` and `>`);
/// refuses more than `octets_max` bytes, and a text or tag longer than [`TEXTE_MAX`].
fn balayer(
    mut lecteur: impl Read,
    partie: &str,
    octets_max: u64,
    mut balise: impl FnMut(&[u8]) -> Result<(), String>,
) -> Result<(), Arret> {
    const BLOC: usize = 1 << 16;
    let mut tampon: Vec<u8> = Vec::with_capacity(2 * BLOC);
    let (mut total, mut texte) = (0u64, 0usize);
    let trop_long = || {
        Arret::Cap(format!(
            "un texte ou une balise de plus de {} octets dans « {partie} »",
            integer(TEXTE_MAX as i64)
        ))
    };
    loop {
        let ancien = tampon.len();
        tampon.resize(ancien + BLOC, 0);
        let n = lecteur
            .read(&mut tampon[ancien..])
            .map_err(|_| Arret::Illisible)?;
        tampon.truncate(ancien + n);
        total += n as u64;
        if total > octets_max {
            return Err(Arret::Cap(format!(
                "« {partie} » dépasse {} octets une fois décompressé",
                integer(octets_max as i64)
            )));
        }
        let mut i = 0;
        loop {
            let Some(k) = memchr::memchr(b'<', &tampon[i..]) else {
                texte += tampon.len() - i;
                i = tampon.len();
                break;
            };
            texte += k;
            if texte > TEXTE_MAX {
                return Err(trop_long());
            }
            let Some(g) = memchr::memchr(b'>', &tampon[i + k + 1..]) else {
                // An incomplete tag: kept for the next block.
                i += k;
                break;
            };
            balise(&tampon[i + k + 1..i + k + 1 + g]).map_err(Arret::Cap)?;
            texte = 0;
            i += k + g + 2;
        }
        if texte > TEXTE_MAX || tampon.len() - i > TEXTE_MAX {
            return Err(trop_long());
        }
        tampon.drain(..i);
        if n == 0 {
            return Ok(());
        }
    }
}

/// The name of a tag without its namespace prefix (`x:c` → `c`), and whether it closes itself;
/// `None` for an end tag, a comment, a declaration or a processing instruction.
fn nom_local(balise: &[u8]) -> Option<&[u8]> {
    if matches!(balise.first(), None | Some(b'/' | b'!' | b'?')) {
        return None;
    }
    let fin = balise
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(balise.len());
    let nom = &balise[..fin];
    Some(match memchr::memrchr(b':', nom) {
        Some(k) => &nom[k + 1..],
        None => nom,
    })
}

/// The attributes of a tag, as (name with its prefix, raw value).
fn attributs(balise: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let debut = balise
        .iter()
        .position(|b| b.is_ascii_whitespace())
        .unwrap_or(balise.len());
    let mut reste = &balise[debut..];
    std::iter::from_fn(move || {
        let egal = memchr::memchr(b'=', reste)?;
        let nom = reste[..egal].trim_ascii();
        let apres = reste[egal + 1..].trim_ascii_start();
        let guillemet = *apres.first().filter(|q| matches!(q, b'"' | b'\''))?;
        let fin = memchr::memchr(guillemet, &apres[1..])?;
        let valeur = &apres[1..1 + fin];
        reste = &apres[fin + 2..];
        Some((nom, valeur))
    })
}

fn attribut<'a>(balise: &'a [u8], nom: &[u8]) -> Option<&'a [u8]> {
    attributs(balise).find(|(n, _)| *n == nom).map(|(_, v)| v)
}

fn nombre(v: &[u8]) -> Option<u64> {
    std::str::from_utf8(v).ok()?.trim().parse().ok()
}

/// A cell reference (`B12`, `$B$12`) as 0-based (row, column).
fn reference(r: &[u8]) -> Option<(u32, u32)> {
    let r: Vec<u8> = r.iter().copied().filter(|&b| b != b'$').collect();
    let lettres = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if lettres == 0 || lettres > 3 {
        return None;
    }
    let colonne = r[..lettres].iter().try_fold(0u32, |c, b| {
        Some(c * 26 + (b.to_ascii_uppercase() - b'A') as u32 + 1)
    })?;
    let ligne: u32 = std::str::from_utf8(&r[lettres..]).ok()?.parse().ok()?;
    (ligne >= 1 && ligne <= LIGNES_ODS as u32 && colonne <= COLONNES_ODS as u32)
        .then(|| (ligne - 1, colonne - 1))
}

/// A range reference (`A1:C3`, or one cell) as calamine's [`Dimensions`].
fn plage(r: &[u8]) -> Option<Dimensions> {
    let (a, b) = match memchr::memchr(b':', r) {
        Some(k) => (reference(&r[..k])?, reference(&r[k + 1..])?),
        None => (reference(r)?, reference(r)?),
    };
    Some(Dimensions::new(a, b))
}

/// The five predefined XML entities and numeric references, for names shown in messages.
fn texte_xml(v: &[u8]) -> String {
    let s = String::from_utf8_lossy(v);
    if !s.contains('&') {
        return s.into_owned();
    }
    let mut sortie = String::new();
    let mut reste = s.as_ref();
    while let Some(k) = reste.find('&') {
        sortie.push_str(&reste[..k]);
        let Some(fin) = reste[k..].find(';') else {
            sortie.push_str(&reste[k..]);
            return sortie;
        };
        let entite = &reste[k + 1..k + fin];
        let c = match entite {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entite
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entite.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => sortie.push(c),
            None => sortie.push_str(&reste[k..=k + fin]),
        }
        reste = &reste[k + fin + 1..];
    }
    sortie.push_str(reste);
    sortie
}

type Archive<'a> = zip::ZipArchive<std::io::Cursor<&'a [u8]>>;

/// Name of an entry of `archive`, looked up as calamine does (exact, else ignoring case and the
/// direction of slashes).
fn entree(archive: &Archive, nom: &str) -> Option<String> {
    let cle = |n: &str| n.replace('\\', "/").to_ascii_lowercase();
    let voulu = cle(nom);
    let noms = noms(archive);
    let exact = noms.iter().position(|n| n == nom);
    exact
        .or_else(|| noms.iter().position(|n| cle(n) == voulu))
        .map(|i| noms[i].clone())
}

/// The names of the entries of `archive`.
fn noms(archive: &Archive) -> Vec<String> {
    archive
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.into_owned())
        .collect()
}

/// Streams entry `nom` of `archive` through [`balayer`]. A missing or undecompressable entry is
/// left to calamine (which reports it, or does not need it).
fn balayer_entree(
    archive: &mut Archive,
    nom: &str,
    format: Format,
    octets_max: u64,
    balise: impl FnMut(&[u8]) -> Result<(), String>,
) -> Result<(), ImportError> {
    let Ok(fichier) = archive.by_name(nom) else {
        return Ok(());
    };
    match balayer(fichier, nom, octets_max, balise) {
        Ok(()) | Err(Arret::Illisible) => Ok(()),
        Err(Arret::Cap(detail)) => Err(demesure(format, detail)),
    }
}

/// Checks every part that calamine reads whole when it opens a workbook (see the module
/// documentation). Bytes that are not a ZIP archive are left to calamine.
pub fn verifier(bytes: &[u8], format: Format) -> Result<(), ImportError> {
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Ok(());
    };
    for nom in &noms(&archive) {
        let cle = nom.replace('\\', "/").to_ascii_lowercase();
        let fichier = cle.rsplit('/').next().unwrap_or(&cle);
        if fichier == "sharedstrings.xml" {
            balayer_entree(
                &mut archive,
                nom,
                format,
                PARTIE_MAX,
                chaines_partagees(CHAINES_MAX),
            )?;
        } else if cle == "content.xml" {
            let mut ods = Ods::default();
            balayer_entree(&mut archive, nom, format, PARTIE_MAX, |b| ods.balise(b))?;
        } else if fichier.ends_with(".rels")
            || matches!(
                fichier,
                "workbook.xml" | "styles.xml" | "meta.xml" | "manifest.xml"
            )
            || cle.contains("theme/")
        {
            balayer_entree(&mut archive, nom, format, PARTIE_ANNEXE_MAX, |_| Ok(()))?;
        }
    }
    Ok(())
}

/// The shared strings: the count declared (`<sst uniqueCount>`) and the `<si>` met, at most
/// `plafond`.
fn chaines_partagees(plafond: u64) -> impl FnMut(&[u8]) -> Result<(), String> {
    let mut n = 0u64;
    let max = integer(plafond as i64);
    move |b| {
        match nom_local(b) {
            Some(b"si") => {
                n += 1;
                if n > plafond {
                    return Err(format!("plus de {max} chaînes de caractères partagées"));
                }
            }
            Some(b"sst") => {
                if let Some(d) = attribut(b, b"uniqueCount").and_then(nombre) {
                    if d > plafond {
                        return Err(format!(
                            "la table des chaînes partagées annonce {} chaînes ({max} au plus)",
                            integer(d.min(i64::MAX as u64) as i64)
                        ));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// An ODS `content.xml` as calamine will materialise it: per sheet, each XML row up to its last
/// non-empty cell (column repeats expanded), then the dense range from the first to the last
/// non-empty row (row repeats expanded) over the columns in use. All sheets are held at once.
#[derive(Default)]
struct Ods {
    /// Cells of the sheets already closed.
    avant: u64,
    feuille: Option<FeuilleOds>,
}

#[derive(Default)]
struct FeuilleOds {
    nom: String,
    /// Cells of the XML rows (before row repeats).
    xml: u64,
    /// Expanded index of the current row; its repeats; its column; the end of its last value.
    ligne: u64,
    repetitions: u64,
    colonne: u64,
    etendue: u64,
    debut_valeurs: Option<u64>,
    /// First and last (exclusive) expanded rows holding a value; first and last column in use.
    premiere: Option<u64>,
    derniere: u64,
    colonne_min: u64,
    colonne_max: u64,
}

impl FeuilleOds {
    /// The dense range so far: (rows, columns).
    fn plage(&self) -> (u64, u64) {
        match self.premiere {
            Some(p) => (self.derniere - p, self.colonne_max + 1 - self.colonne_min),
            None => (0, 0),
        }
    }

    fn fin_de_ligne(&mut self) {
        self.xml += self.etendue;
        if let Some(debut) = self.debut_valeurs {
            if self.premiere.is_none() {
                self.premiere = Some(self.ligne);
                self.colonne_min = debut;
            }
            self.colonne_min = self.colonne_min.min(debut);
            self.colonne_max = self.colonne_max.max(self.etendue - 1);
            self.derniere = self.ligne + self.repetitions;
        }
        self.ligne = (self.ligne + self.repetitions).min(LIGNES_ODS);
        (
            self.repetitions,
            self.colonne,
            self.etendue,
            self.debut_valeurs,
        ) = (0, 0, 0, None);
    }
}

impl Ods {
    fn balise(&mut self, b: &[u8]) -> Result<(), String> {
        if b.first() == Some(&b'/') {
            match &b[1..] {
                b"table:table-row" => {
                    if let Some(f) = &mut self.feuille {
                        f.fin_de_ligne();
                    }
                    return self.verifier();
                }
                b"table:table" => {
                    if let Some(f) = self.feuille.take() {
                        let (l, c) = f.plage();
                        self.avant += f.xml + l * c;
                    }
                }
                _ => {}
            }
            return Ok(());
        }
        let auto = b.last() == Some(&b'/');
        let nom = &b[..b
            .iter()
            .position(|c| c.is_ascii_whitespace() || *c == b'/')
            .unwrap_or(b.len())];
        match nom {
            b"table:table" if !auto => {
                self.feuille = Some(FeuilleOds {
                    nom: attribut(b, b"table:name")
                        .map(texte_xml)
                        .unwrap_or_default(),
                    ..FeuilleOds::default()
                });
            }
            b"table:table-row" => {
                let Some(f) = &mut self.feuille else {
                    return Ok(());
                };
                let n = attribut(b, b"table:number-rows-repeated").and_then(nombre);
                f.repetitions = n.unwrap_or(1).min(LIGNES_ODS - f.ligne);
                if auto {
                    f.fin_de_ligne();
                    return self.verifier();
                }
            }
            b"table:table-cell" | b"table:covered-table-cell" => {
                let Some(f) = &mut self.feuille else {
                    return Ok(());
                };
                let n = attribut(b, b"table:number-columns-repeated").and_then(nombre);
                let n = n.unwrap_or(1).min(COLONNES_ODS - f.colonne);
                // calamine keeps a cell with a value or a formula; one with content (a paragraph)
                // is counted too, to stay on the safe side.
                let valeur = !auto
                    || attributs(b)
                        .any(|(k, _)| matches!(k, b"office:value-type" | b"table:formula"));
                if valeur && n > 0 {
                    f.debut_valeurs.get_or_insert(f.colonne);
                    f.etendue = f.colonne + n;
                }
                f.colonne += n;
            }
            _ => {}
        }
        Ok(())
    }

    /// The cells of the sheets so far against [`CELLULES_MAX`].
    fn verifier(&self) -> Result<(), String> {
        let Some(f) = &self.feuille else {
            return Ok(());
        };
        let (l, c) = f.plage();
        let cellules = self.avant + f.xml + l * c;
        if cellules <= CELLULES_MAX {
            return Ok(());
        }
        Err(format!(
            "la feuille « {} » déclare {} lignes × {} colonnes de cellules (répétitions comprises), soit {} cellules à lire avec les feuilles précédentes ({} au plus)",
            f.nom,
            integer(l as i64),
            integer(c as i64),
            integer(cellules as i64),
            integer(CELLULES_MAX as i64)
        ))
    }
}

/// What the scan of an XLSX sheet found: its merged blocks (calamine would read them from the
/// same XML).
#[derive(Debug)]
pub struct FeuilleXlsx {
    pub fusions: Vec<Dimensions>,
}

/// Scans sheet `rang` (0-based, in workbook order, whatever its type) of an XLSX: counts its cells
/// against [`CELLULES_MAX`] and its merged blocks against [`FUSIONS_MAX`], and reads the blocks.
/// `None` when its part cannot be found the way calamine finds it (then calamine fails too, or
/// the sheet is read without merged blocks).
pub fn feuille_xlsx(
    bytes: &[u8],
    rang: usize,
    nom: &str,
) -> Result<Option<FeuilleXlsx>, ImportError> {
    feuille_xlsx_max(bytes, rang, nom, (CELLULES_MAX, FUSIONS_MAX))
}

/// [`feuille_xlsx`] with other caps (cells, merged blocks): tests.
fn feuille_xlsx_max(
    bytes: &[u8],
    rang: usize,
    nom: &str,
    (cellules_max, fusions_max): (u64, usize),
) -> Result<Option<FeuilleXlsx>, ImportError> {
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Ok(None);
    };
    let Some(chemin) = chemin_feuille(&mut archive, rang) else {
        return Ok(None);
    };
    let (mut cellules, mut fusions, mut dimension) = (0u64, Vec::new(), None);
    let max = integer(cellules_max as i64);
    balayer_entree(
        &mut archive,
        &chemin,
        Format::Xlsx,
        FEUILLE_OCTETS_MAX,
        |b| {
            match nom_local(b) {
                Some(b"c") => {
                    cellules += 1;
                    if cellules > cellules_max {
                        let declaree = dimension
                            .map(|d: Dimensions| {
                                format!(
                                    " (dimension déclarée : {} lignes × {} colonnes)",
                                    integer((d.end.0 - d.start.0 + 1) as i64),
                                    integer((d.end.1 - d.start.1 + 1) as i64)
                                )
                            })
                            .unwrap_or_default();
                        return Err(format!(
                            "la feuille « {nom} » compte plus de {max} cellules{declaree}"
                        ));
                    }
                }
                Some(b"mergeCell") => {
                    if let Some(d) = attribut(b, b"ref").and_then(plage) {
                        if fusions.len() == fusions_max {
                            return Err(format!(
                            "la feuille « {nom} » compte plus de {} blocs de cellules fusionnées",
                            integer(fusions_max as i64)
                        ));
                        }
                        fusions.push(d);
                    }
                }
                Some(b"dimension") => dimension = attribut(b, b"ref").and_then(plage),
                _ => {}
            }
            Ok(())
        },
    )?;
    Ok(Some(FeuilleXlsx { fusions }))
}

/// The small XML part `nom`, read whole (already capped by [`verifier`]).
fn lire_partie(archive: &mut Archive, nom: &str) -> Option<Vec<u8>> {
    let nom = entree(archive, nom)?;
    let mut f = archive.by_name(&nom).ok()?;
    let mut v = Vec::new();
    f.by_ref()
        .take(PARTIE_ANNEXE_MAX)
        .read_to_end(&mut v)
        .ok()?;
    Some(v)
}

/// Every tag of an XML text, as [`balayer`] sees them.
fn balises(xml: &[u8]) -> Vec<&[u8]> {
    let mut v = Vec::new();
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'<', &xml[i..]) {
        let Some(g) = memchr::memchr(b'>', &xml[i + k..]) else {
            break;
        };
        v.push(&xml[i + k + 1..i + k + g]);
        i += k + g + 1;
    }
    v
}

/// The part of sheet `rang`, as calamine resolves it: the workbook named by the package
/// relationships, its `<sheet>` elements in order, each one's relationship target (absolute, or
/// relative to the workbook's folder).
fn chemin_feuille(archive: &mut Archive, rang: usize) -> Option<String> {
    let paquet = lire_partie(archive, "_rels/.rels")?;
    let classeur = balises(&paquet)
        .into_iter()
        .filter(|b| nom_local(b) == Some(b"Relationship"))
        .find(|b| attribut(b, b"Type").is_some_and(|t| t.ends_with(b"/officeDocument")))
        .and_then(|b| attribut(b, b"Target"))
        .map(texte_xml)
        .unwrap_or_else(|| "xl/workbook.xml".into());
    let classeur = classeur.trim_start_matches('/');
    let (dossier, fichier) = match classeur.rfind('/') {
        Some(k) => (&classeur[..=k], &classeur[k + 1..]),
        None => ("", classeur),
    };
    let xml = lire_partie(archive, classeur)?;
    let feuille = balises(&xml)
        .into_iter()
        .filter(|b| nom_local(b) == Some(b"sheet"))
        .nth(rang)?;
    let id = attributs(feuille)
        .find(|(k, _)| *k == b"id" || k.ends_with(b":id"))
        .map(|(_, v)| v)?;
    let liens = lire_partie(archive, &format!("{dossier}_rels/{fichier}.rels"))?;
    let cible = balises(&liens)
        .into_iter()
        .filter(|b| nom_local(b) == Some(b"Relationship"))
        .find(|b| attribut(b, b"Id") == Some(id))
        .and_then(|b| attribut(b, b"Target"))
        .map(texte_xml)?;
    let chemin = match cible.strip_prefix('/') {
        Some(absolu) => absolu.to_owned(),
        None => format!("{dossier}{cible}"),
    };
    entree(archive, &chemin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_names() {
        assert_eq!(reference(b"A1"), Some((0, 0)));
        assert_eq!(reference(b"$AB$12"), Some((11, 27)));
        assert_eq!(reference(b"XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(reference(b"XFE1"), None);
        assert_eq!(reference(b"A0"), None);
        assert_eq!(reference(b"A99999999999"), None);
        let d = plage(b"B2:C4").unwrap();
        assert_eq!((d.start, d.end), ((1, 1), (3, 2)));
        assert_eq!(nom_local(b"x:c r=\"A1\""), Some(&b"c"[..]));
        assert_eq!(nom_local(b"row/"), Some(&b"row"[..]));
        assert_eq!(nom_local(b"/row"), None);
        let a: Vec<_> = attributs(b"c r=\"A1\" t='s' s = \"2\"").collect();
        assert_eq!(a, [(&b"r"[..], &b"A1"[..]), (b"t", b"s"), (b"s", b"2")]);
        assert_eq!(texte_xml(b"R&amp;D &#233;t&#xE9;"), "R&D été");
    }

    /// The scan follows tags and texts across the blocks it decompresses, and refuses a text
    /// longer than [`TEXTE_MAX`] or more bytes than allowed.
    #[test]
    fn scan_across_blocks() {
        let mut xml = String::from("<a>");
        for i in 0..50_000 {
            xml += &format!("<b n=\"{i}\">texte</b>");
        }
        xml += "</a>";
        let mut n = 0;
        let r = balayer(xml.as_bytes(), "x", u64::MAX, |b| {
            if nom_local(b) == Some(b"b") {
                assert_eq!(attribut(b, b"n").and_then(nombre), Some(n));
                n += 1;
            }
            Ok(())
        });
        assert!(r.is_ok() && n == 50_000);
        let long = format!("<a>{}</a>", "x".repeat(TEXTE_MAX + 1));
        let Err(Arret::Cap(m)) = balayer(long.as_bytes(), "x.xml", u64::MAX, |_| Ok(())) else {
            panic!()
        };
        assert_eq!(
            m,
            "un texte ou une balise de plus de 1\u{202f}048\u{202f}576 octets dans « x.xml »"
        );
        let Err(Arret::Cap(m)) = balayer(xml.as_bytes(), "x.xml", 1000, |_| Ok(())) else {
            panic!()
        };
        assert_eq!(
            m,
            "« x.xml » dépasse 1\u{202f}000 octets une fois décompressé"
        );
    }

    /// The sheet's part is found as calamine finds it (second sheet here), its cells and merged
    /// blocks counted and capped, and the shared strings too.
    #[test]
    fn xlsx_sheet_scan_with_small_caps() {
        let mut w = rust_xlsxwriter::Workbook::new();
        w.add_worksheet()
            .set_name("Lisez-moi")
            .unwrap()
            .write(0, 0, "note")
            .unwrap();
        let f = w.add_worksheet().set_name("Parc & co").unwrap();
        for r in 0..10 {
            for c in 0..3 {
                f.write(r, c, format!("v{r}-{c}")).unwrap();
            }
        }
        f.merge_range(2, 0, 4, 0, "fusion", &rust_xlsxwriter::Format::new())
            .unwrap();
        let x = w.save_to_buffer().unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&x[..])).unwrap();
        let mut xml = String::new();
        archive
            .by_name("xl/worksheets/sheet2.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        let n = xml.matches("<c ").count() as u64;
        assert!(n >= 28, "{n} cellules");
        let lu = feuille_xlsx_max(&x, 1, "Parc & co", (n, 1))
            .unwrap()
            .unwrap();
        assert_eq!(lu.fusions, [Dimensions::new((2, 0), (4, 0))]);
        let e = feuille_xlsx_max(&x, 1, "Parc & co", (n - 1, 1)).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("classeur XLSX trop volumineux pour être lu sans risque : la feuille « Parc & co » compte plus de {} cellules (dimension déclarée : 10 lignes × 3 colonnes) ; enregistrez la feuille utile au format CSV (ou supprimez les lignes et colonnes vides mises en forme)", n - 1)
        );
        let e = feuille_xlsx_max(&x, 1, "Parc & co", (n, 0)).unwrap_err();
        assert!(
            e.to_string()
                .contains("compte plus de 0 blocs de cellules fusionnées"),
            "{e}"
        );
        assert_eq!(
            feuille_xlsx_max(&x, 0, "Lisez-moi", (1, 0))
                .unwrap()
                .unwrap()
                .fusions,
            []
        );
        assert!(feuille_xlsx_max(&x, 2, "?", (1, 0)).unwrap().is_none());
        let nom = entree(&archive, "xl/sharedStrings.xml").unwrap();
        let mut xml = String::new();
        archive
            .by_name(&nom)
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        let sst = |max| {
            balayer_entree(
                &mut archive.clone(),
                &nom,
                Format::Xlsx,
                PARTIE_MAX,
                chaines_partagees(max),
            )
        };
        let u = xml.matches("<si>").count() as u64;
        assert!(sst(u).is_ok());
        let e = sst(u - 1).unwrap_err().to_string();
        assert!(
            e.contains(&format!("annonce {u} chaînes ({} au plus)", u - 1)),
            "{e}"
        );
        assert!(verifier(&x, Format::Xlsx).is_ok());
    }

    /// The ODS estimate follows calamine: trailing empty cells and rows cost nothing, repeated
    /// values and the empty rows between values are expanded.
    #[test]
    fn ods_cells_as_calamine_expands_them() {
        let estimer = |xml: &str| {
            let mut o = Ods::default();
            for b in balises(xml.as_bytes()) {
                o.balise(b).unwrap();
            }
            o.avant
        };
        let valeur =
            r#"<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>"#;
        let xml = format!(
            r#"<table:table table:name="F"><table:table-row>{valeur}{valeur}<table:table-cell table:number-columns-repeated="1000"/></table:table-row><table:table-row table:number-rows-repeated="10"><table:table-cell/></table:table-row><table:table-row><table:table-cell/>{valeur}</table:table-row><table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>"#
        );
        // XML rows: 2 + 0 + 2 cells; range: 12 rows × 2 columns.
        assert_eq!(estimer(&xml), 4 + 24);
        let xml = format!(
            r#"<table:table table:name="F"><table:table-row table:number-rows-repeated="1000">{}</table:table-row></table:table>"#,
            valeur.replace(
                "<table:table-cell ",
                r#"<table:table-cell table:number-columns-repeated="300" "#
            )
        );
        assert_eq!(estimer(&xml), 300 + 1000 * 300);
    }
}

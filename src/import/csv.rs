//! CSV dialect of an état des lieux (SPEC §2): encoding (UTF-8 with or without BOM, else
//! Windows-1252), separator (`;`, `,` or tab, detected on the header line), and the split of a
//! large file into chunks at line boundaries so that they can be parsed in parallel.

use std::borrow::Cow;

/// UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// `octets` as text if they are valid UTF-8: checked with SIMD, a region's file is ≈ 170 MB.
pub fn utf8(octets: &[u8]) -> Option<&str> {
    simdutf8::basic::from_utf8(octets).ok()
}

/// Decoded text of the file (borrowed when it already was UTF-8) and the encoding found.
pub fn decoder(octets: &[u8]) -> (Cow<'_, [u8]>, &'static str) {
    if let Some(reste) = octets.strip_prefix(BOM) {
        return (Cow::Borrowed(reste), "UTF-8 (BOM)");
    }
    if utf8(octets).is_some() {
        return (Cow::Borrowed(octets), "UTF-8");
    }
    let (texte, _, _) = encoding_rs::WINDOWS_1252.decode(octets);
    (Cow::Owned(texte.into_owned().into_bytes()), "Windows-1252")
}

/// A UTF-16 text (with its BOM: Excel's « Texte Unicode » export), decoded, and its encoding.
pub fn utf16(octets: &[u8]) -> Option<(String, &'static str)> {
    let (encodage, nom) = match octets {
        [0xFF, 0xFE, ..] => (encoding_rs::UTF_16LE, "UTF-16LE"),
        [0xFE, 0xFF, ..] => (encoding_rs::UTF_16BE, "UTF-16BE"),
        _ => return None,
    };
    let (texte, _) = encodage.decode_with_bom_removal(octets);
    Some((texte.into_owned(), nom))
}

/// Whether the start of a file (64 KB) is binary rather than text: a NUL byte, or more than 1 %
/// of control characters other than tab, CR and LF (an image, a PDF, an archive, random bytes).
pub fn binaire(octets: &[u8]) -> bool {
    let debut = &octets[..octets.len().min(64 << 10)];
    let controles = debut
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
        .count();
    memchr::memchr(0, debut).is_some() || controles * 100 > debut.len()
}

/// First and last line (1-based, in `chunk`) of the record just read, from the reader's position
/// after it. The csv crate's own line count is right there — it counts every newline it consumed,
/// skipped blank lines included — but the start position it gives a record is the end of the
/// previous one (before the blank lines and the `\n` of a CRLF), hence this. A line break inside
/// the record can only sit in a quoted field: counted only when the chunk has quotes, so the
/// common file costs nothing per row.
pub fn etendue(
    chunk: &[u8],
    apres: &::csv::Position,
    rec: &::csv::StringRecord,
    guillemets: bool,
) -> (u64, u64) {
    let fin = apres.byte() as usize;
    let avant = |k: usize| fin.checked_sub(k).and_then(|i| chunk.get(i)).copied();
    let termine = avant(1) == Some(b'\n');
    let derniere = apres.line() - termine as u64;
    if !guillemets {
        return (derniere, derniere);
    }
    // A quote left open runs to the end of the file: the last newline is then inside the field.
    let dans_le_champ = termine
        && avant(2) != Some(b'"')
        && rec.iter().last().is_some_and(|c| c.ends_with('\n'));
    let internes = lignes(rec.as_slice().as_bytes()) - dans_le_champ as u64;
    (derniere.saturating_sub(internes).max(1), derniere)
}

/// End (exclusive, after the newline) of the first line, outside quotes.
pub fn fin_premiere_ligne(texte: &[u8]) -> usize {
    let mut guillemets = false;
    for (i, &b) in texte.iter().enumerate() {
        match b {
            b'"' => guillemets = !guillemets,
            b'\n' if !guillemets => return i + 1,
            _ => {}
        }
    }
    texte.len()
}

/// The separator of the header line: the most frequent of `;`, tab and `,` outside quotes
/// (`;` wins ties: French exports).
pub fn separateur(entete: &[u8]) -> u8 {
    let mut n = [0usize; 3];
    let mut guillemets = false;
    for &b in entete {
        match b {
            b'"' => guillemets = !guillemets,
            b';' if !guillemets => n[0] += 1,
            b'\t' if !guillemets => n[1] += 1,
            b',' if !guillemets => n[2] += 1,
            _ => {}
        }
    }
    let seps = [b';', b'\t', b','];
    let max = n.iter().copied().max().unwrap_or(0);
    seps[n.iter().position(|&k| k == max).unwrap_or(0)]
}

/// Splits `texte[debut..]` into at most `parts` ranges ending at line boundaries. A cut is kept
/// only when the text before it holds an even number of quotes (it is not inside a quoted field);
/// otherwise the chunks are merged. `guillemets`: whether the text holds any quote at all.
pub fn decouper(
    texte: &[u8],
    debut: usize,
    parts: usize,
    guillemets: bool,
) -> Vec<std::ops::Range<usize>> {
    let mut coupes = vec![debut];
    let taille = texte.len() - debut;
    for k in 1..parts {
        let cible = debut + taille * k / parts;
        let Some(nl) = memchr::memchr(b'\n', &texte[cible..]) else {
            break;
        };
        let coupe = cible + nl + 1;
        let precedente = *coupes.last().unwrap_or(&debut);
        let hors_guillemets = !guillemets
            || memchr::memchr_iter(b'"', &texte[debut..coupe])
                .count()
                .is_multiple_of(2);
        if coupe > precedente && coupe < texte.len() && hors_guillemets {
            coupes.push(coupe);
        }
    }
    coupes.push(texte.len());
    coupes.windows(2).map(|w| w[0]..w[1]).collect()
}

/// Number of line breaks in `octets`.
pub fn lignes(octets: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', octets).count() as u64
}

/// A record reader over a chunk (no header row; every line is data).
pub fn lecteur(chunk: &[u8], sep: u8) -> ::csv::Reader<&[u8]> {
    ::csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .flexible(true)
        .from_reader(chunk)
}

/// Longest CSV record read, in bytes: a line, or the lines a quoted field joins. No état des lieux
/// row comes near it (18 fields of at most [`super::LONGUEUR_MAX`] bytes, plus unmapped columns);
/// a longer one is a file without line breaks, or a quote never closed that swallows the rest of
/// the file. The csv reader would hold the whole record in memory (200 MB for a 200 MB line):
/// [`lecteur_borne`] stops it first.
pub const LIGNE_MAX: usize = 1 << 20;

/// The bytes of a chunk as the csv reader pulls them (8 KB at a time), refusing to go further
/// than [`LIGNE_MAX`] bytes past the end of the last record read (`fin`, updated by the caller
/// after each record): the record being read is then longer than that, and the reader returns
/// an I/O error instead of growing its buffer. One comparison per 8 KB.
pub struct Borne<'a> {
    texte: &'a [u8],
    lu: usize,
    fin: &'a std::cell::Cell<usize>,
}

impl std::io::Read for Borne<'_> {
    fn read(&mut self, tampon: &mut [u8]) -> std::io::Result<usize> {
        if self.lu > self.fin.get() + LIGNE_MAX {
            return Err(std::io::Error::other("enregistrement trop long"));
        }
        let n = tampon.len().min(self.texte.len() - self.lu);
        tampon[..n].copy_from_slice(&self.texte[self.lu..self.lu + n]);
        self.lu += n;
        Ok(n)
    }
}

/// [`lecteur`] over a [`Borne`]: `fin` is the offset (in `chunk`) where the last record read ends.
pub fn lecteur_borne<'a>(
    chunk: &'a [u8],
    sep: u8,
    fin: &'a std::cell::Cell<usize>,
) -> ::csv::Reader<Borne<'a>> {
    ::csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .flexible(true)
        .from_reader(Borne { texte: chunk, lu: 0, fin })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        assert_eq!(decoder(b"\xEF\xBB\xBFa;b").0.as_ref(), b"a;b");
        let (t, e) = decoder(b"cat\xE9gorie");
        assert_eq!(
            (std::str::from_utf8(&t).unwrap(), e),
            ("catégorie", "Windows-1252")
        );
    }

    #[test]
    fn utf16_and_binary() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("rpls\tcommune".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(utf16(&le), Some(("rpls\tcommune".to_owned(), "UTF-16LE")));
        assert_eq!(utf16(b"rpls"), None);
        assert!(binaire(b"PDF\x00\x01") && binaire(&[7u8; 10]));
        assert!(!binaire("rpls;commune\r\nA;93048\t\n".as_bytes()) && !binaire(b""));
    }

    #[test]
    fn separators() {
        assert_eq!(separateur(b"rpls;commune;\"a,b,c\""), b';');
        assert_eq!(separateur(b"rpls,commune,x"), b',');
        assert_eq!(separateur(b"rpls\tcommune"), b'\t');
        assert_eq!(separateur(b"rpls"), b';');
    }

    #[test]
    fn chunks_end_at_lines_and_skip_quoted_newlines() {
        let t = b"h\n1;a\n2;b\n3;c\n4;d\n";
        let c = decouper(t, 2, 2, false);
        assert_eq!(c.len(), 2);
        assert!(t[c[0].clone()].ends_with(b"\n") && c[0].start == 2 && c[1].end == t.len());
        let q = b"h\n1;\"a\nb\nc\nd\ne\"\n2;x\n";
        let c = decouper(q, 2, 2, true);
        assert!(c
            .iter()
            .all(|r| q[r.clone()].iter().filter(|&&b| b == b'"').count() % 2 == 0));
        assert_eq!(lignes(q), 7);
        let texte = b"h\r\n\r\na;\"x\ny\"\r\nb\n\n\nc";
        let mut r = lecteur(texte, b';');
        let mut rec = ::csv::StringRecord::new();
        let mut vues = Vec::new();
        while r.read_record(&mut rec).unwrap() {
            vues.push(etendue(texte, &r.position(), &rec, true));
        }
        assert_eq!(vues, [(1, 1), (3, 4), (5, 5), (8, 8)], "CRLF, lignes vides, guillemets");
        let texte = b"a;\"x\n\"\nb;\"y\nz\n";
        let mut r = lecteur(texte, b';');
        let mut vues = Vec::new();
        while r.read_record(&mut rec).unwrap() {
            vues.push(etendue(texte, &r.position(), &rec, true));
        }
        assert_eq!(vues, [(1, 2), (3, 4)], "guillemet resté ouvert jusqu'à la fin");
    }
}

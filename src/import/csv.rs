//! CSV dialect of an état des lieux (SPEC §2): encoding (UTF-8 with or without BOM, else
//! Windows-1252), separator (`;`, `,` or tab, detected on the header line), and the split of a
//! large file into chunks at line boundaries so that they can be parsed in parallel.

use std::borrow::Cow;

/// UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decoded text of the file (borrowed when it already was UTF-8) and the encoding found.
pub fn decoder(octets: &[u8]) -> (Cow<'_, [u8]>, &'static str) {
    if let Some(reste) = octets.strip_prefix(BOM) {
        return (Cow::Borrowed(reste), "UTF-8 (BOM)");
    }
    if std::str::from_utf8(octets).is_ok() {
        return (Cow::Borrowed(octets), "UTF-8");
    }
    let (texte, _, _) = encoding_rs::WINDOWS_1252.decode(octets);
    (Cow::Owned(texte.into_owned().into_bytes()), "Windows-1252")
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
/// otherwise the chunks are merged.
pub fn decouper(texte: &[u8], debut: usize, parts: usize) -> Vec<std::ops::Range<usize>> {
    let mut coupes = vec![debut];
    let taille = texte.len() - debut;
    let guillemets = memchr::memchr(b'"', &texte[debut..]).is_some();
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
    fn separators() {
        assert_eq!(separateur(b"rpls;commune;\"a,b,c\""), b';');
        assert_eq!(separateur(b"rpls,commune,x"), b',');
        assert_eq!(separateur(b"rpls\tcommune"), b'\t');
        assert_eq!(separateur(b"rpls"), b';');
    }

    #[test]
    fn chunks_end_at_lines_and_skip_quoted_newlines() {
        let t = b"h\n1;a\n2;b\n3;c\n4;d\n";
        let c = decouper(t, 2, 2);
        assert_eq!(c.len(), 2);
        assert!(t[c[0].clone()].ends_with(b"\n") && c[0].start == 2 && c[1].end == t.len());
        let q = b"h\n1;\"a\nb\nc\nd\ne\"\n2;x\n";
        let c = decouper(q, 2, 2);
        assert!(c
            .iter()
            .all(|r| q[r.clone()].iter().filter(|&&b| b == b'"').count() % 2 == 0));
        assert_eq!(lignes(q), 7);
    }
}

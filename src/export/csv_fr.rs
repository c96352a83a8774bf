//! French CSV conventions of every export (SPEC §5): `;` separator, decimal comma, UTF-8 with a
//! BOM so that Excel opens it, and cells starting with `=`, `+`, `-`, `@` (or a tab / carriage
//! return) escaped with a leading `'` so that a spreadsheet never evaluates them (CSV injection).

use std::borrow::Cow;
use std::fmt::Write as _;

/// Accumulates a CSV document in memory.
pub struct CsvFr {
    texte: String,
    debut_ligne: bool,
}

impl Default for CsvFr {
    fn default() -> Self {
        CsvFr::new()
    }
}

impl CsvFr {
    /// A new document, starting with the UTF-8 BOM.
    pub fn new() -> CsvFr {
        CsvFr {
            texte: String::from("\u{feff}"),
            debut_ligne: true,
        }
    }

    fn separer(&mut self) {
        if !self.debut_ligne {
            self.texte.push(';');
        }
        self.debut_ligne = false;
    }

    /// A text cell: escaped against formulas, quoted when it holds `;`, `"` or a line break.
    pub fn texte(&mut self, s: &str) -> &mut Self {
        self.separer();
        self.texte.push_str(&echapper(s));
        self
    }

    /// A cell already passed through [`echapper`] (names repeated on many rows).
    pub fn echappe(&mut self, s: &str) -> &mut Self {
        self.separer();
        self.texte.push_str(s);
        self
    }

    /// An integer cell.
    pub fn entier(&mut self, n: impl std::fmt::Display) -> &mut Self {
        self.separer();
        let _ = write!(self.texte, "{n}");
        self
    }

    /// An integer cell, written without the formatting machinery (large exports).
    pub fn entier_i64(&mut self, n: i64) -> &mut Self {
        self.separer();
        if n < 0 {
            self.texte.push('-');
        }
        chiffres_de(&mut self.texte, n.unsigned_abs(), 1);
        self
    }

    /// A new document with room for `octets` bytes (large exports: no regrowth).
    pub fn avec_capacite(octets: usize) -> CsvFr {
        let mut c = CsvFr::new();
        c.texte.reserve(octets);
        c
    }

    /// A decimal cell with a comma, at most `decimales` digits (trailing zeros dropped).
    pub fn nombre(&mut self, x: f64, decimales: usize) -> &mut Self {
        self.separer();
        nombre_fr(&mut self.texte, x, decimales);
        self
    }

    /// An empty cell.
    pub fn vide(&mut self) -> &mut Self {
        self.separer();
        self
    }

    /// A header line.
    pub fn entetes<'a>(&mut self, noms: impl IntoIterator<Item = &'a str>) -> &mut Self {
        for n in noms {
            self.texte(n);
        }
        self.fin()
    }

    pub fn fin(&mut self) -> &mut Self {
        self.texte.push_str("\r\n");
        self.debut_ligne = true;
        self
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.texte.len()
    }

    pub fn is_empty(&self) -> bool {
        self.texte.is_empty()
    }

    /// Writes what was accumulated to `w` and starts again empty (no BOM), keeping the room.
    pub fn vider(&mut self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        w.write_all(self.texte.as_bytes())?;
        self.texte.clear();
        Ok(())
    }

    pub fn octets(self) -> Vec<u8> {
        self.texte.into_bytes()
    }
}

/// A text cell's content: a leading `'` before `=`, `+`, `-`, `@`, tab or carriage return (so that
/// a spreadsheet never evaluates it), and quotes when it holds `;`, `"` or a line break.
pub fn echapper(s: &str) -> Cow<'_, str> {
    let formule = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let guillemets = s.contains([';', '"', '\n', '\r']);
    if !formule && !guillemets {
        return Cow::Borrowed(s);
    }
    let mut r = String::with_capacity(s.len() + 3);
    if guillemets {
        r.push('"');
    }
    if formule {
        r.push('\'');
    }
    if guillemets {
        r.push_str(&s.replace('"', "\"\""));
        r.push('"');
    } else {
        r.push_str(s);
    }
    Cow::Owned(r)
}

/// Writes `x` with a decimal comma and at most `decimales` digits, trailing zeros dropped
/// (`-0` shown as `0`). Fixed-point integer arithmetic: much faster than `{:.3}` on large exports.
pub fn nombre_fr(sortie: &mut String, x: f64, decimales: usize) {
    let echelle = 10i64.pow(decimales.min(9) as u32);
    let v = (x * echelle as f64).round();
    if !v.is_finite() || v.abs() > 9e15 {
        let _ = write!(sortie, "{x}");
        return;
    }
    let v = v as i64;
    if v < 0 {
        sortie.push('-');
    }
    let v = v.unsigned_abs();
    // The usual widths divide by a constant (a multiplication), the others by `echelle`.
    let (entier, mut frac) = match decimales {
        2 => (v / 100, v % 100),
        3 => (v / 1000, v % 1000),
        6 => (v / 1_000_000, v % 1_000_000),
        _ => (v / echelle as u64, v % echelle as u64),
    };
    chiffres_de(sortie, entier, 1);
    if frac > 0 {
        let mut chiffres = decimales.min(9);
        while frac % 10 == 0 {
            frac /= 10;
            chiffres -= 1;
        }
        sortie.push(',');
        chiffres_de(sortie, frac, chiffres);
    }
}

/// The decimal digits of `n`, at least `largeur` of them (leading zeros): what `{n:0largeur$}`
/// writes, without the formatting machinery (millions of numbers in the large exports).
#[inline]
pub fn chiffres_de(sortie: &mut String, n: u64, largeur: usize) {
    let mut tampon = itoa::Buffer::new();
    let chiffres = tampon.format(n);
    for _ in chiffres.len()..largeur {
        sortie.push('0');
    }
    sortie.push_str(chiffres);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_conventions() {
        let mut c = CsvFr::new();
        c.texte("a;b")
            .texte("=SOMME(A1)")
            .texte("-5")
            .nombre(5.263157, 3)
            .nombre(76.0, 2)
            .entier(3)
            .vide()
            .fin();
        let t = String::from_utf8(c.octets()).unwrap();
        assert_eq!(t, "\u{feff}\"a;b\";'=SOMME(A1);'-5;5,263;76;3;\r\n");
        for (x, d, attendu) in [
            (-0.0001, 2, "0"),
            (5.05, 3, "5,05"),
            (-1.5, 1, "-1,5"),
            (0.0625, 3, "0,063"),
            (1234567.0, 2, "1234567"),
        ] {
            let mut s = String::new();
            nombre_fr(&mut s, x, d);
            assert_eq!(s, attendu);
        }
    }

    proptest::proptest! {
        /// `chiffres_de` writes what the formatting machinery writes, leading zeros included.
        #[test]
        fn digits_are_the_formatted_ones(n in proptest::prelude::any::<u64>(), petit in 0u64..1000, largeur in 0usize..25) {
            for n in [n, petit] {
                let mut s = String::from("x");
                chiffres_de(&mut s, n, largeur);
                proptest::prop_assert_eq!(s, format!("x{n:0largeur$}"));
            }
        }
    }
}

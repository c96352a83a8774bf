//! Cell values of an état des lieux (SPEC §2): numbers with a decimal comma or point, percentages
//! ("6,3 %"), dates (JJ/MM/AAAA, AAAA-MM-JJ, AAAA), yes/no, and the coded fields (typologie,
//! financement, QPV, catégorie, motif, type de droit). Every error is a French reason for the user.

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::domain::model::{Categorie, Motif, TypeDroit, FINANCEMENTS};

use super::columns::cle;

pub type Resultat<T> = Result<T, String>;

/// A number: spaces (also non-breaking) as thousands separators, decimal comma or point, an
/// optional trailing `%` (divides by 100). `None` when the cell is empty.
///
/// Inlined where it is called: the plain decimal and the plain percentage, five cells of every
/// row, take no call and build no `Result` through memory (stop 25); the rest is [`nombre_general`].
#[inline]
pub fn nombre(s: &str) -> Resultat<Option<f64>> {
    match nombre_simple(s.as_bytes()) {
        Some(v) => Ok(Some(v)),
        None => nombre_general(s),
    }
}

/// [`nombre`] of the plain decimal and the plain percentage (« 7,9 % », « 6.3% », a non-breaking
/// space before the sign), without its `Result`: the same value as the general reading,
/// [`decimal_simple`] being exact. `None` for anything else.
#[inline]
pub(crate) fn nombre_simple(octets: &[u8]) -> Option<f64> {
    match octets.strip_suffix(b"%") {
        Some(r) => Some(decimal_simple(sans_espaces_a_la_fin(r))? / 100.0),
        None => decimal_simple(octets),
    }
}

/// [`nombre`] for anything but a plain decimal or percentage: surrounding spaces, thousands
/// separators, an empty cell, errors.
#[inline(never)]
fn nombre_general(s: &str) -> Resultat<Option<f64>> {
    let s = rogner(s);
    if s.is_empty() {
        return Ok(None);
    }
    let (s, pourcent) = match s.strip_suffix('%') {
        Some(r) => (r.trim_end(), true),
        None => (s, false),
    };
    let mut tampon = [0u8; 48];
    let mut n = 0;
    for c in s.chars() {
        let b = match c {
            ',' => b'.',
            ' ' | '\u{a0}' | '\u{202f}' | '\'' => continue,
            c if c.is_ascii() => c as u8,
            _ => return Err(format!("« {s} » n'est pas un nombre")),
        };
        if n == tampon.len() {
            return Err(format!("« {s} » n'est pas un nombre"));
        }
        tampon[n] = b;
        n += 1;
    }
    let texte = std::str::from_utf8(&tampon[..n]).unwrap_or("");
    match texte.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(if pourcent { v / 100.0 } else { v })),
        _ => Err(format!("« {s} » n'est pas un nombre")),
    }
}

/// Fast path for plain decimals ("445,10", "0.063", "1975"): at most 15 digits and one decimal
/// separator. mantissa / 10^k with both exact in f64 is correctly rounded, hence the same value as
/// `str::parse` (Clinger's fast path).
#[inline]
pub(crate) fn decimal_simple(s: &[u8]) -> Option<f64> {
    // At most 15 digits and a separator: a longer text leaves the fast path (and would overflow).
    if s.len() > 16 {
        return None;
    }
    let (mut mantisse, mut virgule) = (0u64, None);
    for (k, &b) in s.iter().enumerate() {
        let chiffre = b.wrapping_sub(b'0');
        if chiffre < 10 {
            mantisse = mantisse * 10 + u64::from(chiffre);
        } else if matches!(b, b',' | b'.') && virgule.is_none() {
            virgule = Some(k);
        } else {
            return None;
        }
    }
    let (chiffres, decimales) = match virgule {
        None => (s.len(), 0),
        Some(k) => (s.len() - 1, s.len() - 1 - k),
    };
    if chiffres == 0 || chiffres > 15 {
        return None;
    }
    // Powers of ten exact in f64 (at most 15 decimals): the same divisor as `powi`, looked up.
    const PUISSANCES: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    Some(mantisse as f64 / PUISSANCES[decimales])
}

/// `s` without the spaces, non-breaking or narrow non-breaking, that end it (the ones a
/// spreadsheet puts before « % »), compared byte-wise.
#[inline]
fn sans_espaces_a_la_fin(mut s: &[u8]) -> &[u8] {
    loop {
        s = match s {
            [r @ .., b' '] => r,
            // U+00A0 and U+202F in UTF-8.
            [r @ .., 0xc2, 0xa0] | [r @ .., 0xe2, 0x80, 0xaf] => r,
            _ => return s,
        };
    }
}

/// `s.trim()`, with a shortcut for the common cell that starts and ends with a printable ASCII
/// character (nothing to trim; the Unicode whitespace test is what `trim` spends its time on).
#[inline]
pub(crate) fn rogner(s: &str) -> &str {
    let octets = s.as_bytes();
    match (octets.first(), octets.last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => s,
        (None, _) => s,
        _ => s.trim(),
    }
}

/// A non-negative quantity (surface, loyer).
#[inline]
pub fn quantite(s: &str) -> Resultat<Option<f64>> {
    match nombre(s)? {
        Some(v) if v < 0.0 => Err(format!("« {} » est négatif", s.trim())),
        v => Ok(v),
    }
}

/// A taux de rotation: 0..1, or a percentage ("6,3 %"). A bare number between 1 and 100 is read as
/// a percentage too (a common spreadsheet habit); the caller raises a warning then. Negative or
/// above 100 %: an error (the caller keeps the logement and ignores the rate).
#[inline]
pub fn taux(s: &str) -> Resultat<Option<(f64, bool)>> {
    match taux_simple(s) {
        Some(v) => Ok(Some((v, false))),
        None => taux_general(s),
    }
}

/// [`taux`]'s common cell (« 7,9 % », « 0,063 »: a plain decimal or percentage from 0 to
/// 100 %), inlined where `taux` is called; `None` for the rest, left to [`taux_general`].
#[inline]
fn taux_simple(s: &str) -> Option<f64> {
    nombre_simple(s.as_bytes()).filter(|v| (0.0..=1.0).contains(v))
}

#[inline(never)]
fn taux_general(s: &str) -> Resultat<Option<(f64, bool)>> {
    let v = nombre(s).map_err(|_| format!("taux de rotation « {} » illisible", s.trim()))?;
    match v {
        None => Ok(None),
        Some(v) if (0.0..=1.0).contains(&v) => Ok(Some((v, false))),
        Some(v) if v > 1.0 && v <= 100.0 && !s.contains('%') => Ok(Some((v / 100.0, true))),
        Some(_) => Err(format!(
            "taux de rotation « {} » hors de 0 à 100 %",
            s.trim()
        )),
    }
}

/// A date: JJ/MM/AAAA (also with `-` or `.`), AAAA-MM-JJ (a time part is ignored), or AAAA alone
/// meaning 31/12 of that year. A well-formed date that does not exist (31/02/2024, a 13th month)
/// gets its own message: it is often a day/month swap.
#[inline(always)]
pub fn date(s: &str) -> Resultat<Option<NaiveDate>> {
    let s = rogner(s);
    if s.is_empty() {
        return Ok(None);
    }
    // Fast path: JJ/MM/AAAA or AAAA-MM-JJ written in full, an existing date (no allocation);
    // anything else, errors included, goes the general way below.
    match date_rapide(s.as_bytes()) {
        Some(d) => Ok(Some(d)),
        None => date_general(s),
    }
}

#[inline(never)]
fn date_general(s: &str) -> Resultat<Option<NaiveDate>> {
    let s = s.split([' ', 'T']).next().unwrap_or(s);
    let erreur = || format!("date « {s} » illisible (JJ/MM/AAAA, AAAA-MM-JJ ou AAAA)");
    let parties: Vec<&str> = s.split(['/', '-', '.']).collect();
    let nombre = |x: &str| {
        if x.is_empty() || x.len() > 4 || !x.bytes().all(|b| b.is_ascii_digit()) {
            return Err(erreur());
        }
        x.parse::<u32>().map_err(|_| erreur())
    };
    let (a, m, j) = match parties.as_slice() {
        [a] if a.len() == 4 => (nombre(a)?, 12, 31),
        [a, m, j] if a.len() == 4 => (nombre(a)?, nombre(m)?, nombre(j)?),
        [j, m, a] if a.len() == 4 => (nombre(a)?, nombre(m)?, nombre(j)?),
        _ => return Err(erreur()),
    };
    match NaiveDate::from_ymd_opt(a as i32, m, j) {
        Some(d) => Ok(Some(d)),
        None if !(1..=12).contains(&m) => Err(format!(
            "date « {s} » inexistante : il n'y a pas de mois {m} (JJ/MM/AAAA attendu)"
        )),
        None => Err(format!(
            "date « {s} » inexistante : le mois {m:02}/{a} n'a pas de jour {j}"
        )),
    }
}

/// JJ/MM/AAAA or AAAA-MM-JJ, every digit written, when the date exists.
#[inline]
fn date_rapide(b: &[u8]) -> Option<NaiveDate> {
    fn n(c: &[u8]) -> Option<u32> {
        c.iter().try_fold(0u32, |v, &d| d.is_ascii_digit().then(|| v * 10 + (d - b'0') as u32))
    }
    if b.len() != 10 {
        return None;
    }
    let (a, m, j) = match b {
        [j0, j1, b'/', m0, m1, b'/', a @ ..] => (n(a)?, n(&[*m0, *m1])?, n(&[*j0, *j1])?),
        [a0, a1, a2, a3, b'-', m0, m1, b'-', j0, j1] => {
            (n(&[*a0, *a1, *a2, *a3])?, n(&[*m0, *m1])?, n(&[*j0, *j1])?)
        }
        _ => return None,
    };
    NaiveDate::from_ymd_opt(a as i32, m, j)
}

/// Largest `nb` of one row (SPEC §2 v2). No bailleur holds that many logements in one commune or
/// arrondissement, let alone identical ones; a larger count is a typo (extra zeros, a shifted
/// column) and would cost memory: every logement takes about 50 bytes once expanded.
pub const NB_MAX: u32 = 100_000;

/// `nb`: the number of identical logements a row stands for, a whole number from 1 to
/// [`NB_MAX`]; `None` when the cell is empty (the row is one logement). "40", "40,0" and
/// "1 200" are read; "2,5", 0, negatives and absurd values are errors.
#[inline]
pub fn nb(s: &str) -> Resultat<Option<u32>> {
    // Fast path: no `nb` column, or an empty cell (the row is one logement).
    match s.is_empty() {
        true => Ok(None),
        false => nb_general(s),
    }
}

#[inline(never)]
fn nb_general(s: &str) -> Resultat<Option<u32>> {
    let t = rogner(s);
    let v = match nombre(t) {
        Ok(None) => return Ok(None),
        Ok(Some(v)) if !t.ends_with('%') => v,
        _ => {
            return Err(format!(
                "nombre de logements « {t} » illisible (nombre entier attendu)"
            ))
        }
    };
    if v < 1.0 {
        return Err(format!(
            "nombre de logements « {t} » invalide : au moins 1 attendu"
        ));
    }
    if v.fract() != 0.0 {
        return Err(format!(
            "nombre de logements « {t} » invalide : nombre entier attendu"
        ));
    }
    if v > NB_MAX as f64 {
        return Err(format!(
            "nombre de logements « {t} » invraisemblable ({} au plus) : faute de frappe ?",
            crate::format::integer(NB_MAX as i64)
        ));
    }
    Ok(Some(v as u32))
}

/// oui/non, o/n, yes/no, true/false, vrai/faux, 1/0, x.
#[inline]
pub fn oui_non(s: &str) -> Resultat<Option<bool>> {
    // Fast path: the cell as most files write it (no key to build).
    match s {
        "" => Ok(None),
        "oui" => Ok(Some(true)),
        "non" => Ok(Some(false)),
        _ => oui_non_general(s),
    }
}

#[inline(never)]
fn oui_non_general(s: &str) -> Resultat<Option<bool>> {
    match cle(s).as_str() {
        "" => Ok(None),
        "oui" | "o" | "yes" | "y" | "true" | "vrai" | "1" | "x" => Ok(Some(true)),
        "non" | "n" | "no" | "false" | "faux" | "0" => Ok(Some(false)),
        _ => Err(format!("« {} » n'est ni oui ni non", s.trim())),
    }
}

/// Typologie: a number of rooms (1..n), T1..T6+ or F1..F6+, "studio" (T1); 6 and more → T6+.
/// Returns the index in `TYPOLOGIES` (1..=6).
#[inline]
pub fn typologie(s: &str) -> Resultat<u8> {
    // Fast path: "T3" or "3".
    match s.as_bytes() {
        [b'T', d @ b'1'..=b'6'] | [d @ b'1'..=b'6'] => Ok(d - b'0'),
        _ => typologie_general(s),
    }
}

#[inline(never)]
fn typologie_general(s: &str) -> Resultat<u8> {
    let k = cle(s);
    let n = k.as_str();
    if n.is_empty() {
        return Ok(0);
    }
    if n == "studio" || n == "chambre" {
        return Ok(1);
    }
    let chiffres = n
        .strip_prefix('t')
        .or_else(|| n.strip_prefix('f'))
        .unwrap_or(n);
    match chiffres.trim_end_matches("plus").parse::<u32>() {
        Ok(k) if k >= 1 => Ok(k.min(6) as u8),
        _ => Err(format!("typologie « {} » inconnue", s.trim())),
    }
}

/// Financement: PLAI, PLUS, PLS, PLI, or the RPLS code (10, 11 → PLAI; 12, 13, 50–55 → PLUS and
/// ancien; 14 → PLS; 16 → PLI; other codes → Autre). Returns the index in `FINANCEMENTS`; an
/// unknown text is an error (the caller classes it `Autre` with a warning), a number never is
/// (SPEC §2: "others → Autre").
#[inline]
pub fn financement(s: &str) -> Resultat<u8> {
    match FINANCEMENTS.iter().position(|f| *f == s) {
        Some(i) => Ok(i as u8),
        None => financement_general(s),
    }
}

#[inline(never)]
fn financement_general(s: &str) -> Resultat<u8> {
    let k = cle(s);
    let n = k.as_str();
    Ok(match n {
        "" => 0,
        "plai" | "plaintegration" => 1,
        "plus" | "pla" | "hlmo" => 2,
        "pls" => 3,
        "pli" => 4,
        "autre" | "autres" => 5,
        _ => match n.parse::<u32>() {
            Ok(10 | 11) => 1,
            Ok(12 | 13 | 50..=55) => 2,
            Ok(14) => 3,
            Ok(16) => 4,
            Ok(_) => 5,
            Err(_) => return Err(format!("financement « {} » inconnu", s.trim())),
        },
    })
}

/// QPV: oui/non, 1 (en QPV) / 2 (hors QPV), true/false, or a QPV code (non-empty = en QPV).
/// Returns the index in `QPV` (1 = qpv, 2 = hors QPV).
pub fn qpv(s: &str) -> u8 {
    match s {
        "oui" | "1" => return 1,
        "non" | "2" => return 2,
        _ => {}
    }
    match cle(s).as_str() {
        "" => 0,
        "2" | "0" | "non" | "n" | "false" | "faux" | "horsqpv" => 2,
        _ => 1,
    }
}

/// Catégorie of réservataire: the codes of SPEC §2 (accents, case and punctuation ignored), common
/// spellings, or the RPLS CONTRESLOG code 1..7.
#[inline]
pub fn categorie(s: &str) -> Resultat<Option<Categorie>> {
    match Categorie::depuis_code(s).filter(|c| *c != Categorie::Bailleur) {
        Some(c) => Ok(Some(c)),
        None => categorie_general(s),
    }
}

#[inline(never)]
fn categorie_general(s: &str) -> Resultat<Option<Categorie>> {
    let c = match cle(s).as_str() {
        "" => return Ok(None),
        "1" | "etatagents" | "etatfonctionnaires" | "fonctionnaires" => Categorie::EtatAgents,
        "2" | "etatprioritaires" | "etat" | "prefet" | "prefecture" | "contingentprefectoral" => {
            Categorie::EtatPrioritaires
        }
        "3" | "actionlogement" | "al" | "1logement" => Categorie::ActionLogement,
        "4" | "commune" | "ville" | "collectivite" => Categorie::Commune,
        "5" | "ministere" => Categorie::Ministere,
        "6" | "autre" | "autres" => Categorie::Autre,
        "7" | "nonreserve" | "bailleur" | "aucun" | "non" => Categorie::NonReserve,
        "epci" | "ept" | "metropole" | "intercommunalite" => Categorie::Epci,
        "departement" | "conseildepartemental" => Categorie::Departement,
        "region" | "conseilregional" => Categorie::Region,
        "employeur" | "entreprise" => Categorie::Employeur,
        _ => {
            return Err(format!(
                "catégorie de réservataire « {} » inconnue",
                s.trim()
            ))
        }
    };
    Ok(Some(c))
}

/// Guess of a category from a réservataire's name when the file gives none.
pub fn categorie_du_nom(nom: &str) -> Categorie {
    let n = super::columns::normaliser(nom);
    let contient = |x: &[&str]| x.iter().any(|m| n.contains(m));
    if contient(&["actionlogement"]) {
        Categorie::ActionLogement
    } else if contient(&["prefet", "prefecture", "etat"]) && !contient(&["etablissement"]) {
        Categorie::EtatPrioritaires
    } else if contient(&["ville", "commune", "mairie"]) {
        Categorie::Commune
    } else if contient(&["departement"]) {
        Categorie::Departement
    } else if contient(&["region"]) {
        Categorie::Region
    } else if contient(&["ministere"]) {
        Categorie::Ministere
    } else if contient(&[
        "epci",
        "metropole",
        "agglomeration",
        "communaute",
        "territoire",
    ]) {
        Categorie::Epci
    } else {
        Categorie::Autre
    }
}

/// Motif hors assiette: the codes of SPEC §2 or common spellings; empty / non / 0 = in the assiette.
#[inline]
pub fn motif(s: &str) -> Resultat<Option<Motif>> {
    // Fast path: a logement in the assiette (the empty cell of almost every row).
    if s.is_empty() {
        return Ok(None);
    }
    motif_general(s)
}

#[inline(never)]
fn motif_general(s: &str) -> Resultat<Option<Motif>> {
    let m = match cle(s).as_str() {
        "" | "non" | "0" | "aucun" | "dansassiette" => return Ok(None),
        "renouvellementurbain" | "ru" | "anru" | "npnru" | "renovationurbaine" => {
            Motif::RenouvellementUrbain
        }
        "orcod" | "coproprietedegradee" | "coproprietesdegradees" => Motif::Orcod,
        "lhi" | "habitatindigne" | "luttecontrelhabitatindigne" => Motif::Lhi,
        "vente" | "ventehlm" | "ventes" => Motif::Vente,
        "mutation" | "mutations" | "mutationinterne" | "mutationsinternes" => Motif::Mutation,
        "defense" | "defensenationale" | "armees" => Motif::Defense,
        "securiteinterieure" | "interieur" | "police" | "gendarmerie" => Motif::SecuriteInterieure,
        "sante" | "etablissementdesante" | "etablissementspublicsdesante" => Motif::Sante,
        "autre" => Motif::Autre,
        _ => return Err(format!("motif hors assiette « {} » inconnu", s.trim())),
    };
    Ok(Some(m))
}

/// Type de droit: `suite` (default) or `simple` (`unique` accepted).
#[inline]
pub fn type_droit(s: &str) -> Resultat<TypeDroit> {
    match s {
        "suite" | "" => Ok(TypeDroit::Suite),
        "simple" => Ok(TypeDroit::Simple),
        _ => type_droit_general(s),
    }
}

#[inline(never)]
fn type_droit_general(s: &str) -> Resultat<TypeDroit> {
    match cle(s).as_str() {
        "" | "suite" | "droitdesuite" => Ok(TypeDroit::Suite),
        "simple" | "unique" | "droitsimple" | "droitunique" => Ok(TypeDroit::Simple),
        _ => Err(format!(
            "type de droit « {} » inconnu (suite ou simple)",
            s.trim()
        )),
    }
}

/// INSEE commune code: 5 characters, digits or 2A/2B. A 4-digit code lost its leading zero in a
/// spreadsheet and is padded (the caller warns: the result is longer than the input).
#[inline]
pub fn commune(s: &str) -> Resultat<Cow<'_, str>> {
    let s = rogner(s);
    match s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit()) {
        true => Ok(Cow::Borrowed(s)),
        false => commune_general(s),
    }
}

#[inline(never)]
fn commune_general(s: &str) -> Resultat<Cow<'_, str>> {
    let chiffres = |c: &str| c.bytes().all(|b| b.is_ascii_digit());
    let corse = s.len() == 5
        && matches!(&s.as_bytes()[..2], b"2A" | b"2B" | b"2a" | b"2b")
        && chiffres(&s[2..]);
    if corse {
        Ok(Cow::Owned(s.to_ascii_uppercase()))
    } else if s.len() == 4 && chiffres(s) {
        Ok(Cow::Owned(format!("0{s}")))
    } else if s.is_empty() {
        Err("code commune vide".into())
    } else {
        Err(format!(
            "code commune « {s} » invalide (5 caractères INSEE attendus)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nb_is_a_whole_number_from_1_to_the_cap() {
        assert_eq!(nb(""), Ok(None));
        assert_eq!(nb(" 40 "), Ok(Some(40)));
        assert_eq!(nb("40,0"), Ok(Some(40)));
        assert_eq!(nb("1 200"), Ok(Some(1200)));
        assert_eq!(nb("100000"), Ok(Some(NB_MAX)));
        let erreur = |s: &str| nb(s).unwrap_err();
        assert_eq!(
            erreur("0"),
            "nombre de logements « 0 » invalide : au moins 1 attendu"
        );
        assert_eq!(
            erreur("-3"),
            "nombre de logements « -3 » invalide : au moins 1 attendu"
        );
        assert_eq!(
            erreur("2,5"),
            "nombre de logements « 2,5 » invalide : nombre entier attendu"
        );
        assert_eq!(
            erreur("abc"),
            "nombre de logements « abc » illisible (nombre entier attendu)"
        );
        assert_eq!(
            erreur("40 %"),
            "nombre de logements « 40 % » illisible (nombre entier attendu)"
        );
        assert_eq!(
            erreur("100001"),
            "nombre de logements « 100001 » invraisemblable (100\u{202f}000 au plus) : faute de frappe ?"
        );
        assert!(nb("1e9").is_err());
    }

    #[test]
    fn numbers_and_rates() {
        assert_eq!(nombre("1 234,5").unwrap(), Some(1234.5));
        for x in [
            "445,10",
            "0.063",
            "1975",
            "0,1",
            "12345678,123456",
            "0,0000001",
        ] {
            assert_eq!(
                decimal_simple(x.as_bytes()),
                Some(x.replace(',', ".").parse::<f64>().unwrap()),
                "{x}"
            );
        }
        assert_eq!(decimal_simple(b"1,2,3"), None);
        assert_eq!(
            decimal_simple(b"99999999999999999999999"),
            None,
            "found by cargo fuzz"
        );
        assert_eq!(nombre("99999999999999999999999").unwrap(), Some(1e23));
        assert_eq!(nombre("6,3 %").unwrap(), Some(0.063));
        assert_eq!(nombre("").unwrap(), None);
        assert!(nombre("abc").is_err());
        assert_eq!(taux("0,063").unwrap(), Some((0.063, false)));
        assert_eq!(taux("6,3 %").unwrap(), Some((0.063, false)));
        assert_eq!(taux("6.3").unwrap(), Some((0.063, true)));
        assert_eq!(
            taux("150 %").unwrap_err(),
            "taux de rotation « 150 % » hors de 0 à 100 %"
        );
        assert!(taux("-0,05").is_err() && taux("abc").is_err());
    }

    /// The fast paths (percentages, full dates) give exactly what the general parsing gives.
    #[test]
    fn fast_paths_equal_the_general_parsing() {
        for t in ["7,9 %", "6.3%", "0,5\u{a0}%", "12 %", "100 %", "7,95 %", "7,9\u{202f}%", " 7,9 \u{a0} % ", "\t6,3%"] {
            let lent = t.trim().strip_suffix('%').unwrap().trim_end().replace(',', ".");
            let attendu = lent.parse::<f64>().unwrap() / 100.0;
            assert_eq!(nombre(t).unwrap(), Some(attendu), "{t}");
            assert_eq!(nombre_simple(t.trim().as_bytes()), Some(attendu), "{t}");
            assert_eq!(taux_simple(t.trim()), Some(attendu), "{t}");
            assert_eq!(taux(t).unwrap(), Some((attendu, false)), "{t}");
        }
        // Outside the fast path: a bare number read as a percentage (with its warning), out of
        // range, empty, malformed.
        assert_eq!(taux("6,3"), Ok(Some((0.063, true))));
        assert!(taux("150 %").is_err() && taux("-0,05").is_err() && taux("7,9 %%").is_err());
        assert_eq!(taux(""), Ok(None));
        for t in ["", "-0,05", "7,9 %%"] {
            assert_eq!(nombre_simple(t.as_bytes()), None, "{t}");
        }
        for t in ["6,3", "150 %", "", "-0,05", "7,9 %%"] {
            assert_eq!(taux_simple(t), None, "{t}");
        }
        assert_eq!(taux("0,063"), Ok(Some((0.063, false))));
        assert_eq!(nombre("1 234,5 %").unwrap(), Some(1234.5 / 100.0));
        // The shortcut of `rogner` trims exactly what `trim` does.
        for t in ["", " ", "a", " a", "a ", "\u{a0}7\u{a0}", "\t7;", "7\r", "é", "\u{202f}", "x\u{3000}", "~!"] {
            assert_eq!(rogner(t), t.trim(), "{t:?}");
        }
        assert!(nombre("- %").is_err() && nombre("%").is_err());
        for (t, a, m, j) in [("31/12/2045", 2045, 12, 31), ("2045-06-30", 2045, 6, 30), ("29/02/2024", 2024, 2, 29)] {
            assert_eq!(date_rapide(t.as_bytes()), NaiveDate::from_ymd_opt(a, m, j));
        }
        for t in ["31/02/2024", "1/02/2024", "31-12-2045", "2045/06/30", "12/13/2024", "2045-6-30"] {
            assert_eq!(date_rapide(t.as_bytes()), None, "{t}");
        }
    }

    proptest::proptest! {
        /// The fast decimal path gives `str::parse`'s value (comma read as a point) or steps
        /// aside: texts of digits with at most a few separators, up to 18 bytes, leading zeros.
        #[test]
        fn decimal_fast_path_is_exact(t in "[0-9]{0,18}|[0-9]{0,9}[,.][0-9]{0,9}|[0-9,.]{1,6}") {
            let general = t.replace(',', ".").parse::<f64>().ok();
            match decimal_simple(t.as_bytes()) {
                Some(v) => proptest::prop_assert_eq!(Some(v), general),
                None => proptest::prop_assert!(general.is_none() || t.bytes().filter(u8::is_ascii_digit).count() > 15 || t.is_empty() || t.matches([',', '.']).count() > 1),
            }
            proptest::prop_assert_eq!(nombre(&t).ok().flatten(), general.filter(|v| v.is_finite()).filter(|_| !t.is_empty()));
        }

        /// `rogner` trims exactly what `trim` does.
        #[test]
        fn trimming_as_trim(t in "[ \t\u{a0}\u{202f}a-z~!é]{0,5}") {
            proptest::prop_assert_eq!(rogner(&t), t.trim());
        }
    }

    #[test]
    fn dates() {
        let d = |a, m, j| Some(NaiveDate::from_ymd_opt(a, m, j).unwrap());
        assert_eq!(date("31/12/2045").unwrap(), d(2045, 12, 31));
        assert_eq!(date("2045-06-30").unwrap(), d(2045, 6, 30));
        assert_eq!(date("2045-06-30 00:00:00").unwrap(), d(2045, 6, 30));
        assert_eq!(date("2045").unwrap(), d(2045, 12, 31));
        assert_eq!(date(" ").unwrap(), None);
        assert_eq!(
            date("31/02/2024").unwrap_err(),
            "date « 31/02/2024 » inexistante : le mois 02/2024 n'a pas de jour 31"
        );
        assert!(date("12/13/2024").unwrap_err().contains("pas de mois 13"));
        assert!(date("demain").unwrap_err().contains("illisible"));
        assert!(date("+1/02/2024").is_err() && date("1/02/20245").is_err());
    }

    #[test]
    fn coded_fields() {
        assert_eq!(typologie("T3").unwrap(), 3);
        assert_eq!(typologie("7").unwrap(), 6);
        assert_eq!(typologie("T6+").unwrap(), 6);
        assert_eq!(typologie("").unwrap(), 0);
        assert!(typologie("grand").is_err());
        assert_eq!(
            ["11", "53", "PLS", "16", "99", "Autre", ""].map(|f| financement(f).unwrap()),
            [1, 2, 3, 4, 5, 5, 0]
        );
        assert!(financement("PLUS CD").is_err());
        assert!(typologie("-3").is_err());
        assert_eq!(
            [qpv("oui"), qpv("2"), qpv("QP093012"), qpv("")],
            [1, 2, 1, 0]
        );
        assert_eq!(categorie("1").unwrap(), Some(Categorie::EtatAgents));
        assert_eq!(
            categorie("État prioritaires").unwrap(),
            Some(Categorie::EtatPrioritaires)
        );
        assert_eq!(
            categorie("action_logement").unwrap(),
            Some(Categorie::ActionLogement)
        );
        assert!(categorie("martien").is_err());
        assert_eq!(
            motif("Renouvellement urbain").unwrap(),
            Some(Motif::RenouvellementUrbain)
        );
        assert_eq!(
            motif("securite_interieure").unwrap(),
            Some(Motif::SecuriteInterieure)
        );
        assert!(motif("plage").is_err());
        assert_eq!(type_droit("unique").unwrap(), TypeDroit::Simple);
        assert_eq!(commune("1053").unwrap(), "01053");
        assert_eq!(commune("2a004").unwrap(), "2A004");
        assert!(matches!(commune("93048").unwrap(), Cow::Borrowed("93048")));
        assert!(commune("ABCDE").is_err());
        assert_eq!(categorie_du_nom("Ville de Montreuil"), Categorie::Commune);
        assert_eq!(
            categorie_du_nom("Action Logement Services"),
            Categorie::ActionLogement
        );
    }
}

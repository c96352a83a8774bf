//! French number formatting shared by the UI and the exports (pure, so native tests are
//! deterministic). Matches Chromium's `Intl.NumberFormat('fr-FR')`: U+202F (espace fine
//! insécable) between thousands, a decimal comma, and U+00A0 before `%`.

/// Thousands separator used by `Intl.NumberFormat('fr-FR')`.
pub const THOUSANDS_SEP: char = '\u{202F}';
/// Space placed before the percent sign by `Intl.NumberFormat('fr-FR', {style: 'percent'})`.
pub const PERCENT_SPACE: char = '\u{00A0}';

/// Whole number with French thousands grouping: `12345` → `12 345`.
pub fn integer(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(THOUSANDS_SEP);
        }
        out.push(c);
    }
    out
}

/// Decimal number with `decimals` digits after a comma: `12345.67, 1` → `12 345,7`.
pub fn decimal(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "–".to_owned();
    }
    let rounded = format!("{:.*}", decimals, x.abs());
    let (int_part, frac_part) = rounded.split_once('.').unwrap_or((&rounded, ""));
    let sign = if x < 0.0 && rounded.chars().any(|c| c.is_ascii_digit() && c != '0') { "-" } else { "" };
    let grouped = integer(int_part.parse::<i64>().unwrap_or(0));
    if frac_part.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{frac_part}")
    }
}

/// A fraction shown as a percentage: `0.3, 1` → `30,0 %`.
pub fn percent(fraction: f64, decimals: usize) -> String {
    format!("{}{PERCENT_SPACE}%", decimal(fraction * 100.0, decimals))
}

/// A fraction as the number typed in a percent input (0.063 → « 6.3 »: the browser wants a point).
pub fn saisie_pourcent(fraction: f64) -> String {
    saisie(fraction * 100.0)
}

/// The value of a number input (the browser wants a decimal point), without float noise.
pub fn saisie(v: f64) -> String {
    let s = format!("{:.6}", v);
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A number typed by a French user: decimal comma or point, spaces ignored; empty = none.
pub fn lire_nombre(texte: &str) -> Option<f64> {
    let t: String = texte.chars().filter(|c| !c.is_whitespace()).collect::<String>().replace(',', ".");
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A percentage typed by a user, as a fraction (« 6,3 » → 0.063).
pub fn lire_pourcent(texte: &str) -> Option<f64> {
    lire_nombre(texte).map(|v| v / 100.0)
}

/// A whole number typed by a user (« 5 », « 5,0 »); negative or fractional values are refused.
pub fn lire_entier(texte: &str) -> Option<u32> {
    lire_nombre(texte).filter(|v| *v >= 0.0 && v.fract() == 0.0 && *v <= u32::MAX as f64).map(|v| v as u32)
}

/// A signed difference: `+1,2`, `-0,5`, `0,0` (no sign on what rounds to zero).
pub fn ecart(x: f64, decimales: usize) -> String {
    let t = decimal(x, decimales);
    if x > 0.0 && t.chars().any(|c| c.is_ascii_digit() && c != '0') { format!("+{t}") } else { t }
}

/// A size in bytes as whole megabytes (« 170 »).
pub fn megaoctets(octets: u64) -> String {
    decimal(octets as f64 / 1_048_576.0, 0)
}

/// Progress of a step: its fraction done (0..1) as a whole percentage, and the seconds left once a
/// little is done (extrapolated from the time spent).
pub fn avancement(fait: u64, total: u64, ecoule_ms: f64) -> (u32, Option<f64>) {
    let f = if total == 0 { 0.0 } else { (fait as f64 / total as f64).clamp(0.0, 1.0) };
    let reste = (f > 0.02).then(|| (ecoule_ms / 1000.0 * (1.0 - f) / f).ceil());
    ((f * 100.0).round() as u32, reste)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands_like_intl_fr() {
        assert_eq!(integer(0), "0");
        assert_eq!(integer(999), "999");
        assert_eq!(integer(1_000), "1\u{202F}000");
        assert_eq!(integer(1_400_000), "1\u{202F}400\u{202F}000");
        assert_eq!(integer(-12_345), "-12\u{202F}345");
    }

    #[test]
    fn inputs_and_progress() {
        assert_eq!(saisie_pourcent(0.063), "6.3");
        assert_eq!(lire_pourcent("6,3"), Some(0.063));
        assert_eq!(lire_nombre(" 1 200,5 "), Some(1200.5));
        assert_eq!((lire_entier("5"), lire_entier("-1"), lire_entier("2,5")), (Some(5), None, None));
        assert_eq!(avancement(50, 100, 2000.0), (50, Some(2.0)));
        assert_eq!(avancement(1, 100, 10.0).1, None);
        assert_eq!(megaoctets(170 * 1_048_576), "170");
    }

    #[test]
    fn decimal_comma_and_rounding() {
        assert_eq!(decimal(12_345.67, 1), "12\u{202F}345,7");
        assert_eq!(decimal(5.263, 2), "5,26");
        assert_eq!(decimal(-0.04, 1), "0,0");
        assert_eq!(decimal(f64::NAN, 1), "–");
    }

    #[test]
    fn percent_uses_nbsp_before_sign() {
        assert_eq!(percent(0.3, 1), "30,0\u{00A0}%");
        assert_eq!(percent(0.05263, 2), "5,26\u{00A0}%");
    }
}

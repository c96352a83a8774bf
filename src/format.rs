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

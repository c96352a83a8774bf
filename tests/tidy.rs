//! Tidy test (in the manner of rust-analyzer's): the views format, they do not compute. Every total,
//! cap, tolerance, rate or year a page shows comes from the engine's results, so the end-to-end
//! comparison with the command line covers everything shown. This test fails if a file of `src/ui`
//! contains, outside comments and string literals:
//! - a floating-point literal (`0.30`, `1e-9`, `100.0`): a rate, a cap or a tolerance typed again;
//! - a conversion to a float (`as f64`) or a use of `f64::…`: arithmetic on numbers;
//! - a sum (`.sum(`, `.sum::<…>`): a total recomputed by a view.
//!
//! `navigateur.rs` is exempt: it wraps browser APIs that speak in floats (file sizes and slices,
//! `performance.now()`), and holds no domain number.

use std::path::Path;

const EXEMPTES: [&str; 1] = ["navigateur.rs"];

/// The code of a Rust file with comments and the contents of string and char literals blanked.
fn code(source: &str) -> String {
    let c: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '/' if c.get(i + 1) == Some(&'/') => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '/' if c.get(i + 1) == Some(&'*') => {
                i += 2;
                while i + 1 < c.len() && !(c[i] == '*' && c[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            'r' if matches!(c.get(i + 1), Some('"') | Some('#')) && (i == 0 || !c[i - 1].is_alphanumeric()) => {
                let mut j = i + 1;
                let mut dieses = 0;
                while c.get(j) == Some(&'#') {
                    dieses += 1;
                    j += 1;
                }
                if c.get(j) != Some(&'"') {
                    out.push(c[i]);
                    i += 1;
                    continue;
                }
                j += 1;
                loop {
                    if j >= c.len() {
                        break;
                    }
                    if c[j] == '"' && (0..dieses).all(|k| c.get(j + 1 + k) == Some(&'#')) {
                        j += 1 + dieses;
                        break;
                    }
                    j += 1;
                }
                out.push_str("\"\"");
                i = j;
            }
            '"' => {
                i += 1;
                while i < c.len() && c[i] != '"' {
                    if c[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
                out.push_str("\"\"");
            }
            // A char literal ('a', '\n', '\u{202F}'), not a lifetime ('a in <'a>).
            '\'' if c.get(i + 2) == Some(&'\'') || c.get(i + 1) == Some(&'\\') => {
                i += 1;
                while i < c.len() && c[i] != '\'' {
                    if c[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
                out.push_str("' '");
            }
            x => {
                out.push(x);
                i += 1;
            }
        }
    }
    out
}

/// Floating-point literals: digits, a point, digits (not a tuple field `x.0.1`), or an exponent.
fn litteraux_flottants(code: &str) -> Vec<String> {
    let c: Vec<char> = code.chars().collect();
    let mut trouves = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let debut_nombre = c[i].is_ascii_digit() && (i == 0 || !(c[i - 1].is_alphanumeric() || c[i - 1] == '_' || c[i - 1] == '.'));
        if !debut_nombre {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < c.len() && (c[j].is_ascii_digit() || c[j] == '_') {
            j += 1;
        }
        let decimal = c.get(j) == Some(&'.') && c.get(j + 1).is_some_and(char::is_ascii_digit);
        let exposant = matches!(c.get(j), Some('e') | Some('E')) && c.get(j + 1).is_some_and(|x| x.is_ascii_digit() || *x == '-');
        if decimal || exposant {
            let mut k = j + 1;
            while k < c.len() && (c[k].is_ascii_alphanumeric() || c[k] == '_' || c[k] == '.' || c[k] == '-') {
                k += 1;
            }
            trouves.push(c[i..k].iter().collect());
            i = k;
        } else {
            i = j;
        }
    }
    trouves
}

fn violations(source: &str) -> Vec<String> {
    let code = code(source);
    let mut v: Vec<String> = litteraux_flottants(&code).into_iter().map(|l| format!("littéral flottant {l}")).collect();
    for motif in ["as f64", "as f32", "f64::", ".sum(", ".sum::<"] {
        let n = code.matches(motif).count();
        if n > 0 {
            v.push(format!("{n} × « {motif} »"));
        }
    }
    v
}

#[test]
fn views_do_not_compute() {
    let dossier = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    let mut fautes = Vec::new();
    for e in std::fs::read_dir(&dossier).unwrap() {
        let chemin = e.unwrap().path();
        let nom = chemin.file_name().unwrap().to_string_lossy().into_owned();
        if EXEMPTES.contains(&nom.as_str()) {
            continue;
        }
        for f in violations(&std::fs::read_to_string(&chemin).unwrap()) {
            fautes.push(format!("src/ui/{nom} : {f}"));
        }
    }
    assert!(fautes.is_empty(), "the views compute (move it to the domain or to a pure module):\n{}", fautes.join("\n"));
}

/// The detector itself: it must catch what it is for, and not what it is not.
#[test]
fn the_detector_catches_floats_and_sums_only_in_code() {
    assert_eq!(violations("let x = a <= 0.30 + 1e-9;"), ["littéral flottant 0.30", "littéral flottant 1e-9"]);
    assert_eq!(violations("let t: f64 = v.iter().sum();"), ["1 × « .sum( »"]);
    assert_eq!(violations("let n = x as f64;"), ["1 × « as f64 »"]);
    assert!(violations("// 0.30 in a comment\nlet s = \"6,3 % or 0.063\"; let y = p.0.1; let c = '.'; fn f<'a>(x: &'a str) {}").is_empty());
    assert!(violations("let r = r#\"raw 1.5 \"quoted\" \"#; let n = 100;").is_empty());
}

//! Charts drawn as SVG by the app (no script, no inline style), each next to its data table.
//! Geometry is computed here from the engine's numbers; nothing is recomputed.

use leptos::prelude::*;

/// Colour classes (`.serie-0` … in style/app.css), cycled per party.
pub fn classe_serie(i: usize) -> String {
    format!("serie-{}", i % 8)
}

/// Horizontal bars of shares: one per (label, value in [0, 1]) with its percentage.
#[component]
pub fn BarresParts(titre: String, barres: Vec<(String, f64)>) -> impl IntoView {
    view! { <Barres titre barres maximum=1.0 etiquette=|v| crate::format::percent(v, 1)/> }
}

/// Horizontal bars of values ranked by the caller, scaled to the largest.
#[component]
pub fn BarresValeurs(titre: String, barres: Vec<(String, f64)>) -> impl IntoView {
    let maximum = barres.iter().map(|b| b.1).fold(0.0_f64, f64::max);
    view! { <Barres titre barres maximum etiquette=|v| crate::format::decimal(v, 1)/> }
}

#[component]
fn Barres(titre: String, barres: Vec<(String, f64)>, maximum: f64, etiquette: fn(f64) -> String) -> impl IntoView {
    const LARGEUR: f64 = 640.0;
    const ETIQUETTE: f64 = 220.0;
    const HAUTEUR: f64 = 26.0;
    let hauteur = HAUTEUR * barres.len() as f64 + 8.0;
    let echelle = LARGEUR - ETIQUETTE - 70.0;
    let legende = titre.clone();
    view! {
        <figure class="fr-mb-3w graphique" role="group" aria-label=legende>
            <svg viewBox=format!("0 0 {LARGEUR} {hauteur}") width=LARGEUR role="img" aria-hidden="true">
                {barres.into_iter().enumerate().map(|(i, (label, v))| {
                    let y = 4.0 + i as f64 * HAUTEUR;
                    let w = if maximum > 0.0 { (v / maximum).clamp(0.0, 1.0) * echelle } else { 0.0 };
                    view! {
                        <g>
                            <text x=ETIQUETTE - 8.0 y=y + 17.0 text-anchor="end" class="graphique__etiquette">{tronquer(&label, 32)}</text>
                            <rect x=ETIQUETTE y=y + 3.0 width=w height=HAUTEUR - 8.0 class=classe_serie(i)/>
                            <text x=ETIQUETTE + w + 6.0 y=y + 17.0 class="graphique__valeur">{etiquette(v)}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption class="fr-text--sm">{titre}</figcaption>
        </figure>
    }
}

/// Stacked columns: one column per year, one segment per series.
#[component]
pub fn ColonnesEmpilees(titre: String, series: Vec<String>, annees: Vec<(u16, Vec<f64>)>) -> impl IntoView {
    const HAUTEUR: f64 = 260.0;
    const MARGE: f64 = 40.0;
    let n = annees.len().max(1) as f64;
    let pas = (900.0 / n).clamp(8.0, 40.0);
    let largeur = MARGE + pas * n + 10.0;
    let max = annees.iter().map(|(_, v)| v.iter().sum::<f64>()).fold(0.0_f64, f64::max).max(1e-9);
    let echelle = (HAUTEUR - 30.0) / max;
    let legende = titre.clone();
    view! {
        <figure class="fr-mb-3w graphique" role="group" aria-label=legende>
            <svg viewBox=format!("0 0 {largeur} {HAUTEUR}") width=largeur.max(480.0) role="img" aria-hidden="true">
                <text x="0" y="12" class="graphique__valeur">{crate::format::decimal(max, 0)}</text>
                <line x1=MARGE y1=HAUTEUR - 20.0 x2=largeur y2=HAUTEUR - 20.0 class="graphique__axe"/>
                {annees.into_iter().enumerate().map(|(k, (annee, valeurs))| {
                    let x = MARGE + k as f64 * pas;
                    let mut y = HAUTEUR - 20.0;
                    let segments = valeurs.into_iter().enumerate().map(|(i, v)| {
                        let h = v.max(0.0) * echelle;
                        y -= h;
                        view! { <rect x=x + 1.0 y=y width=pas - 2.0 height=h class=classe_serie(i)/> }
                    }).collect_view();
                    view! {
                        <g>{segments}
                            {(k % ((40.0 / pas).ceil() as usize).max(1) == 0).then(|| view! {
                                <text x=x + pas / 2.0 y=HAUTEUR - 6.0 text-anchor="middle" class="graphique__etiquette">{annee}</text>
                            })}
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption class="fr-text--sm">{titre}</figcaption>
            <ul class="legende">
                {series.into_iter().enumerate().map(|(i, s)| view! {
                    <li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" class=classe_serie(i)/></svg>" "{s}</li>
                }).collect_view()}
            </ul>
        </figure>
    }
}

fn tronquer(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

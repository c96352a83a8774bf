//! Charts drawn as SVG by the app (no script, no inline style), each next to its data table.
//! The geometry comes from `crate::graphique` (pure functions); these components only place it.

use leptos::prelude::*;

use crate::graphique::{barres, colonnes, maximum, mois, paires, BARRES_ETIQUETTE, BARRES_LARGEUR, COLONNES_HAUTEUR, ECHELLE_PARTS, MOIS_HAUTEUR, MOIS_LARGEUR};

/// Colour classes (`.serie-0` … in style/app.css), cycled per party.
pub fn classe_serie(i: usize) -> String {
    format!("serie-{}", i % 8)
}

/// Horizontal bars of shares: one per (label, value in [0, 1]) with its percentage.
#[component]
pub fn BarresParts(titre: String, barres: Vec<(String, f64)>) -> impl IntoView {
    view! { <Barres titre barres maximum=ECHELLE_PARTS etiquette=|v| crate::format::percent(v, 1) une_couleur=false/> }
}

/// Horizontal bars of values ranked by the caller, scaled to the largest, in one colour (the rows
/// are not categories); counts are shown without decimals.
#[component]
pub fn BarresValeurs(titre: String, barres: Vec<(String, f64)>, decimales: usize) -> impl IntoView {
    let m = maximum(barres.iter().map(|b| b.1));
    let etiquette = move |v| crate::format::decimal(v, decimales);
    view! { <Barres titre barres maximum=m etiquette une_couleur=true/> }
}

#[component]
fn Barres(
    titre: String,
    barres: Vec<(String, f64)>,
    maximum: f64,
    etiquette: impl Fn(f64) -> String + 'static,
    une_couleur: bool,
) -> impl IntoView {
    let valeurs: Vec<f64> = barres.iter().map(|b| b.1).collect();
    let (geometrie, hauteur) = self::barres(&valeurs, maximum);
    let legende = titre.clone();
    view! {
        <figure class="fr-mb-3w graphique" role="group" aria-label=legende>
            <svg viewBox=format!("0 0 {BARRES_LARGEUR} {hauteur}") width=BARRES_LARGEUR role="img" aria-hidden="true">
                {barres.into_iter().zip(geometrie).enumerate().map(|(i, ((label, v), g))| view! {
                    <g>
                        <text x=g.x_etiquette y=g.y_texte text-anchor="end" class="graphique__etiquette">{tronquer(&label, 32)}</text>
                        <rect x=BARRES_ETIQUETTE y=g.y width=g.largeur height=g.hauteur class=classe_serie(if une_couleur { 0 } else { i })/>
                        <text x=g.x_valeur y=g.y_texte class="graphique__valeur">{etiquette(v)}</text>
                    </g>
                }).collect_view()}
            </svg>
            <figcaption class="fr-text--sm">{titre}</figcaption>
        </figure>
    }
}

/// Stacked columns: one column per calendar year, one segment per series.
#[component]
pub fn ColonnesEmpilees(titre: String, series: Vec<String>, annees: Vec<(i32, Vec<f64>)>) -> impl IntoView {
    let g = colonnes(&annees.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>());
    let legende = titre.clone();
    view! {
        <figure class="fr-mb-3w graphique" role="group" aria-label=legende>
            <svg viewBox=format!("0 0 {} {COLONNES_HAUTEUR}", g.largeur) width=g.largeur_affichee role="img" aria-hidden="true">
                <text x="0" y="12" class="graphique__valeur">{crate::format::decimal(g.maximum, 0)}</text>
                <line x1="40" y1=g.y_axe x2=g.largeur y2=g.y_axe class="graphique__axe"/>
                {annees.into_iter().zip(g.colonnes).map(|((annee, _), c)| view! {
                    <g>
                        {c.segments.into_iter().enumerate().map(|(i, s)| view! {
                            <rect x=c.x y=s.y width=c.largeur height=s.hauteur class=classe_serie(i)/>
                        }).collect_view()}
                        {c.x_etiquette.map(|x| view! {
                            <text x=x y=g.y_etiquettes text-anchor="middle" class="graphique__etiquette">{annee}</text>
                        })}
                    </g>
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

/// Paired horizontal bars, one row per party: its objective (above) and what was counted (below),
/// on one scale. `lignes`: (label, objective, counted).
#[component]
pub fn BarresAppariees(titre: String, lignes: Vec<(String, f64, u32)>, decimales: usize) -> impl IntoView {
    let valeurs: Vec<(f64, u32)> = lignes.iter().map(|l| (l.1, l.2)).collect();
    let (geometrie, hauteur) = paires(&valeurs);
    let legende = titre.clone();
    view! {
        <figure class="fr-mb-3w graphique" role="group" aria-label=legende data-testid="graphique-objectifs">
            <svg viewBox=format!("0 0 {BARRES_LARGEUR} {hauteur}") width=BARRES_LARGEUR role="img" aria-hidden="true">
                {lignes.into_iter().zip(geometrie).map(|((label, objectif, decomptes), g)| view! {
                    <g>
                        <text x=g.objectif.x_etiquette y=g.y_texte text-anchor="end" class="graphique__etiquette">{tronquer(&label, 32)}</text>
                        <rect x=BARRES_ETIQUETTE y=g.objectif.y width=g.objectif.largeur height=g.objectif.hauteur class=classe_serie(2)/>
                        <text x=g.objectif.x_valeur y=g.objectif.y_texte class="graphique__valeur">{crate::format::decimal(objectif, decimales)}</text>
                        <rect x=BARRES_ETIQUETTE y=g.decomptes.y width=g.decomptes.largeur height=g.decomptes.hauteur class=classe_serie(0)/>
                        <text x=g.decomptes.x_valeur y=g.decomptes.y_texte class="graphique__valeur">{decomptes}</text>
                    </g>
                }).collect_view()}
            </svg>
            <figcaption class="fr-text--sm">{titre}</figcaption>
            <ul class="legende">
                <li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" class=classe_serie(2)/></svg>" Objectif de l'année"</li>
                <li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" class=classe_serie(0)/></svg>" Logements décomptés"</li>
            </ul>
        </figure>
    }
}

/// Abbreviated month names, January first.
pub const MOIS: [&str; 12] = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];

/// Counted logements cumulated month by month (columns), and the objective's even pace through
/// the year (a dashed line from 0 in January to the objective at the end of December).
#[component]
pub fn CumulMensuel(titre: String, cumul: [u32; 12], objectif: f64, decimales: usize) -> impl IntoView {
    let g = mois(&cumul, objectif);
    let (x1, y1, x2, y2) = g.rythme;
    let legende = titre.clone();
    view! {
        <figure class="fr-mb-3w graphique" role="group" aria-label=legende data-testid="graphique-mois">
            <svg viewBox=format!("0 0 {MOIS_LARGEUR} {MOIS_HAUTEUR}") width=MOIS_LARGEUR role="img" aria-hidden="true">
                <text x="0" y=g.y_maximum class="graphique__valeur">{crate::format::decimal(g.maximum, decimales)}</text>
                <line x1=g.x_axe y1=g.y_axe x2=x2 y2=g.y_axe class="graphique__axe"/>
                {g.colonnes.into_iter().zip(cumul).zip(MOIS).map(|((c, n), m)| view! {
                    <g>
                        <rect x=c.x y=c.y width=c.largeur height=c.hauteur class=classe_serie(0)/>
                        <text x=c.x_etiquette y=g.y_etiquettes text-anchor="middle" class="graphique__etiquette">{m}</text>
                        <text x=c.x_etiquette y=c.y text-anchor="middle" dy="-3" class="graphique__valeur">{n}</text>
                    </g>
                }).collect_view()}
                <line x1=x1 y1=y1 x2=x2 y2=y2 stroke="#ce614a" stroke-width="2" stroke-dasharray="6 4"/>
            </svg>
            <figcaption class="fr-text--sm">{titre}</figcaption>
            <ul class="legende">
                <li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" class=classe_serie(0)/></svg>" Logements décomptés depuis janvier"</li>
                <li><svg width="24" height="12" aria-hidden="true"><line x1="0" y1="6" x2="24" y2="6" stroke="#ce614a" stroke-width="2" stroke-dasharray="6 4"/></svg>
                    {format!(" Rythme régulier de l'objectif ({} en fin d'année)", crate::format::decimal(objectif, decimales))}</li>
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

//! Geometry of the app's SVG charts, as pure functions (natively tested): the components in
//! `ui::graphiques` only place what these return. Units are SVG user units.

/// Scale of a chart of shares (fractions of the flux).
pub const ECHELLE_PARTS: f64 = 1.0;

/// Horizontal bar chart: label column, bar area, value label.
pub const BARRES_LARGEUR: f64 = 640.0;
pub const BARRES_ETIQUETTE: f64 = 220.0;
const BARRES_HAUTEUR: f64 = 26.0;
const BARRES_VALEUR: f64 = 70.0;

/// One bar of a horizontal bar chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Barre {
    /// Baseline of the label and value texts.
    pub y_texte: f64,
    /// Top of the bar.
    pub y: f64,
    pub largeur: f64,
    pub hauteur: f64,
    /// Left of the value text, after the bar.
    pub x_valeur: f64,
    /// Right end of the label text.
    pub x_etiquette: f64,
}

/// Bars for `valeurs` scaled to `maximum` (bars are clamped to the chart); the chart's height.
pub fn barres(valeurs: &[f64], maximum: f64) -> (Vec<Barre>, f64) {
    let echelle = BARRES_LARGEUR - BARRES_ETIQUETTE - BARRES_VALEUR;
    let b = valeurs
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let y = 4.0 + i as f64 * BARRES_HAUTEUR;
            let largeur = if maximum > 0.0 { (v / maximum).clamp(0.0, 1.0) * echelle } else { 0.0 };
            Barre {
                y_texte: y + 17.0,
                y: y + 3.0,
                largeur,
                hauteur: BARRES_HAUTEUR - 8.0,
                x_valeur: BARRES_ETIQUETTE + largeur + 6.0,
                x_etiquette: BARRES_ETIQUETTE - 8.0,
            }
        })
        .collect();
    (b, BARRES_HAUTEUR * valeurs.len() as f64 + 8.0)
}

/// The largest value (0 when empty or all negative): the scale of a ranked bar chart.
pub fn maximum(valeurs: impl IntoIterator<Item = f64>) -> f64 {
    valeurs.into_iter().fold(0.0, f64::max)
}

/// Stacked columns: one column per year, one segment per series.
pub const COLONNES_HAUTEUR: f64 = 260.0;
const COLONNES_MARGE: f64 = 40.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub y: f64,
    pub hauteur: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Colonne {
    pub x: f64,
    pub largeur: f64,
    pub segments: Vec<Segment>,
    /// Centre of the year label, when this column carries one (not every column has room).
    pub x_etiquette: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Colonnes {
    pub largeur: f64,
    /// At least the minimum display width.
    pub largeur_affichee: f64,
    pub colonnes: Vec<Colonne>,
    /// The tallest column's total (the axis' top label).
    pub maximum: f64,
    /// The axis line's height.
    pub y_axe: f64,
    pub y_etiquettes: f64,
}

/// Geometry of stacked columns, one per entry of `annees` (the values of each series).
pub fn colonnes(annees: &[Vec<f64>]) -> Colonnes {
    let n = annees.len().max(1) as f64;
    let pas = (900.0 / n).clamp(8.0, 40.0);
    let largeur = COLONNES_MARGE + pas * n + 10.0;
    let maximum = annees.iter().map(|v| v.iter().sum::<f64>()).fold(0.0, f64::max);
    let echelle = (COLONNES_HAUTEUR - 30.0) / maximum.max(1e-9);
    let y_axe = COLONNES_HAUTEUR - 20.0;
    let tous_les = ((40.0 / pas).ceil() as usize).max(1);
    let colonnes = annees
        .iter()
        .enumerate()
        .map(|(k, valeurs)| {
            let x = COLONNES_MARGE + k as f64 * pas;
            let mut y = y_axe;
            let segments = valeurs
                .iter()
                .map(|v| {
                    let hauteur = v.max(0.0) * echelle;
                    y -= hauteur;
                    Segment { y, hauteur }
                })
                .collect();
            Colonne {
                x: x + 1.0,
                largeur: pas - 2.0,
                segments,
                x_etiquette: (k % tous_les == 0).then_some(x + pas / 2.0),
            }
        })
        .collect();
    Colonnes {
        largeur,
        largeur_affichee: largeur.max(480.0),
        colonnes,
        maximum,
        y_axe,
        y_etiquettes: COLONNES_HAUTEUR - 6.0,
    }
}

/// Paired horizontal bars (objective and counted, per party): two bars per row on one scale.
pub const PAIRES_HAUTEUR: f64 = 34.0;

/// One row of paired bars: the objective's bar above, the counted one below.
#[derive(Clone, Debug, PartialEq)]
pub struct Paire {
    /// Baseline of the row's label.
    pub y_texte: f64,
    pub objectif: Barre,
    pub decomptes: Barre,
}

/// Paired bars for (objective, counted) rows, on the scale of the largest value of both; the
/// chart's height.
pub fn paires(valeurs: &[(f64, u32)]) -> (Vec<Paire>, f64) {
    let echelle = BARRES_LARGEUR - BARRES_ETIQUETTE - BARRES_VALEUR;
    let m = maximum(valeurs.iter().flat_map(|&(o, d)| [o, f64::from(d)]));
    let barre = |v: f64, y: f64, hauteur: f64| {
        let largeur = if m > 0.0 { (v / m).clamp(0.0, 1.0) * echelle } else { 0.0 };
        Barre { y_texte: y + hauteur - 2.0, y, largeur, hauteur, x_valeur: BARRES_ETIQUETTE + largeur + 6.0, x_etiquette: BARRES_ETIQUETTE - 8.0 }
    };
    let p = valeurs
        .iter()
        .enumerate()
        .map(|(i, &(o, d))| {
            let y = 4.0 + i as f64 * PAIRES_HAUTEUR;
            Paire { y_texte: y + 19.0, objectif: barre(o, y + 2.0, 13.0), decomptes: barre(f64::from(d), y + 16.0, 13.0) }
        })
        .collect();
    (p, PAIRES_HAUTEUR * valeurs.len() as f64 + 8.0)
}

/// Cumulated monthly counts (January … December) as columns, with the objective's even pace (a
/// straight line from 0 to the objective at the end of December).
pub const MOIS_LARGEUR: f64 = 640.0;
pub const MOIS_HAUTEUR: f64 = 240.0;
const MOIS_GAUCHE: f64 = 48.0;
const MOIS_BAS: f64 = 24.0;
const MOIS_HAUT: f64 = 16.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Mois {
    /// One column per month.
    pub colonnes: Vec<ColonneMois>,
    /// The objective's pace: from (x1, y1) at the start of January to (x2, y2) at the end of
    /// December.
    pub rythme: (f64, f64, f64, f64),
    /// Top of the scale (the larger of the objective and the year's count) and its label's height.
    pub maximum: f64,
    pub y_maximum: f64,
    pub x_axe: f64,
    pub y_axe: f64,
    pub y_etiquettes: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ColonneMois {
    pub x: f64,
    pub y: f64,
    pub largeur: f64,
    pub hauteur: f64,
    /// Centre of the month's label.
    pub x_etiquette: f64,
}

pub fn mois(cumul: &[u32; 12], objectif: f64) -> Mois {
    let pas = (MOIS_LARGEUR - MOIS_GAUCHE - 8.0) / 12.0;
    let y_axe = MOIS_HAUTEUR - MOIS_BAS;
    let maximum = maximum(cumul.iter().map(|&c| f64::from(c)).chain([objectif]));
    let echelle = if maximum > 0.0 { (y_axe - MOIS_HAUT) / maximum } else { 0.0 };
    let colonnes = cumul
        .iter()
        .enumerate()
        .map(|(m, &c)| {
            let x = MOIS_GAUCHE + m as f64 * pas;
            let hauteur = f64::from(c) * echelle;
            ColonneMois { x: x + 3.0, y: y_axe - hauteur, largeur: pas - 6.0, hauteur, x_etiquette: x + pas / 2.0 }
        })
        .collect();
    Mois {
        colonnes,
        rythme: (MOIS_GAUCHE, y_axe, MOIS_GAUCHE + 12.0 * pas, y_axe - objectif.max(0.0) * echelle),
        maximum,
        y_maximum: MOIS_HAUT - 4.0,
        x_axe: MOIS_GAUCHE,
        y_axe,
        y_etiquettes: MOIS_HAUTEUR - 6.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_maximum_and_stay_in_the_chart() {
        let (b, h) = barres(&[0.5, 1.0, 2.0], 1.0);
        assert_eq!(h, 3.0 * 26.0 + 8.0);
        assert_eq!(b[1].largeur, 350.0);
        assert_eq!(b[0].largeur, 175.0);
        assert_eq!(b[2].largeur, 350.0, "clamped");
        assert_eq!(barres(&[3.0], 0.0).0[0].largeur, 0.0);
        assert_eq!(maximum([1.0, 4.0, 2.0]), 4.0);
    }

    #[test]
    fn stacked_columns_sum_their_segments() {
        let c = colonnes(&[vec![10.0, 20.0], vec![30.0, 0.0]]);
        assert_eq!(c.maximum, 30.0);
        let col = &c.colonnes[0];
        let total: f64 = col.segments.iter().map(|s| s.hauteur).sum();
        assert!((total - 230.0).abs() < 1e-9, "the tallest column fills the height: {total}");
        assert_eq!(col.segments[1].y + col.segments[1].hauteur, col.segments[0].y);
        assert!(c.colonnes[0].x_etiquette.is_some());
    }
    #[test]
    fn paired_bars_share_one_scale() {
        let (p, h) = paires(&[(4.0, 2), (1.0, 8)]);
        assert_eq!(h, 2.0 * PAIRES_HAUTEUR + 8.0);
        assert_eq!(p[1].decomptes.largeur, 350.0, "8 is the largest value");
        assert_eq!(p[0].objectif.largeur, 175.0);
        assert_eq!(p[0].decomptes.largeur, 87.5);
        assert!(p[0].objectif.y + p[0].objectif.hauteur <= p[0].decomptes.y, "objective above counted");
        assert!(p[0].decomptes.y + p[0].decomptes.hauteur <= p[1].objectif.y, "rows do not overlap");
        assert_eq!(paires(&[(0.0, 0)]).0[0].objectif.largeur, 0.0);
    }

    #[test]
    fn months_rise_to_the_year_and_the_pace_to_the_objective() {
        let mut cumul = [0u32; 12];
        for (m, c) in cumul.iter_mut().enumerate() {
            *c = m as u32;
        }
        let g = mois(&cumul, 22.0);
        assert_eq!(g.maximum, 22.0);
        assert_eq!(g.colonnes.len(), 12);
        assert_eq!(g.colonnes[0].hauteur, 0.0);
        let (x1, y1, x2, y2) = g.rythme;
        assert_eq!((x1, y1), (g.x_axe, g.y_axe));
        assert!((y2 - (g.y_axe - (g.y_axe - 16.0))).abs() < 1e-9, "the objective at the top");
        assert!(x2 > g.colonnes[11].x);
        let h11 = g.colonnes[11].hauteur;
        assert!((h11 - 11.0 / 22.0 * (g.y_axe - 16.0)).abs() < 1e-9);
        assert!(g.colonnes.windows(2).all(|w| w[0].x < w[1].x));
        let vide = mois(&[0; 12], 0.0);
        assert!(vide.colonnes.iter().all(|c| c.hauteur == 0.0) && vide.rythme.1 == vide.rythme.3);
    }
}

//! The choropleth as one SVG string (SPEC §9 « A map »): the same markup is inserted by the app
//! and written into the static publication page, so it needs no script, no stylesheet and no
//! external resource. Colours and line widths are presentation attributes (the app's CSP forbids
//! inline styles, not attributes); every text written is XML-escaped.
//!
//! Each commune is a focusable `<path>` (`tabindex="0"`, `role="img"`, `aria-label`) with a
//! `<title>` (the browser's tooltip), so that a keyboard or screen-reader user can read the map
//! commune by commune; the data table next to it remains the full alternative.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write;

use serde::{Deserialize, Serialize};

use super::{classe, classes_quantiles, limites_de, Carte, Commune, Genre, Vue, LARGEUR_VUE};
use crate::format::decimal;
use crate::geo::Geographie;

/// A commune's value on the map. A commune with no entry has no data (drawn light grey).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Donnee {
    Valeur(f64),
    /// Masked by the statistical secret (SPEC §5): drawn hatched, its value never written.
    Secret,
}

/// Sequential single-hue palette, lightest first: DSFR blue-france 850 (`#cacafb`) to sun-113
/// (`#000091`), the three between interpolated so that each class is about 1.75 times as dark as
/// the previous one in WCAG contrast (tested in `tests/carte.rs`).
pub const PALETTE: [&str; 5] = ["#cacafb", "#9191f7", "#6060ea", "#3636c3", "#000091"];
/// Communes without data: DSFR grey-950 (light grey), clearly lighter than the first class.
pub const SANS_DONNEE: &str = "#eeeeee";
/// Lines, legend text and the secret hatching: DSFR grey-50 (title text) and grey-200 (default
/// text, border-plain), both above 11:1 on white.
pub const TRAIT_FONCE: &str = "#161616";
pub const TRAIT: &str = "#3a3a3a";
/// Casing drawn under the outlines so that they stand out on dark classes too (over 3:1 on every
/// class, the dark core doing so on light ones).
pub const LISERE: &str = "#ffffff";

/// Source line written under every map (Licence Ouverte 2.0 asks for the source).
pub const SOURCE: &str = "Source : IGN, ADMIN EXPRESS COG (Licence Ouverte 2.0) ; calcul : calculateur de gestion en flux.";

/// Default number of classes.
pub const CLASSES: usize = 5;

/// What to draw and how to label it.
#[derive(Clone, Debug)]
pub struct Options<'a> {
    /// Prefix of the SVG's ids (hatch pattern, title): unique in the page.
    pub id: &'a str,
    /// The column mapped, as the table names it (« Logements », « Assiette »…).
    pub colonne: &'a str,
    /// Decimals of the column: 0 for counts (whole bounds and values), 1 for estimates.
    pub decimales: usize,
    /// Paris, Lyon and Marseille drawn whole (their arrondissements' data rolled up), SPEC
    /// `regroupement_plm`.
    pub regroupement_plm: bool,
    /// Number of quantile classes asked (fewer when values tie).
    pub classes: usize,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options { id: "carte", colonne: "Valeur", decimales: 0, regroupement_plm: true, classes: CLASSES }
    }
}

/// One class of the legend.
#[derive(Clone, Debug, PartialEq)]
pub struct ClasseLegende {
    pub couleur: &'static str,
    /// « 0 », « 1 à 4 », « plus de 3,2 à 5,1 »…
    pub libelle: String,
    /// Communes drawn in this class.
    pub communes: usize,
}

/// The SVG and what it shows, for the page's text around it.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendu {
    pub svg: String,
    /// Shapes drawn (communes, and arrondissements when the cities are not rolled up).
    pub dessinees: usize,
    pub avec_valeur: usize,
    pub secretes: usize,
    pub sans_donnee: usize,
    /// Bounds from [`classes_quantiles`] (empty without any value).
    pub bornes: Vec<f64>,
    pub legende: Vec<ClasseLegende>,
    /// Codes of the data with no shape on this map (another region, an unknown code, or a city
    /// row when its arrondissements have rows too and are drawn).
    pub hors_carte: Vec<String>,
}

/// A map to draw, as the app sends it to the drawing Web Worker (`src/bin/dessin.rs`), which holds
/// the contours and this renderer so that the page's own module does not (its size budget).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Demande {
    /// Commune (or arrondissement) code → value or secret.
    pub donnees: Vec<(String, Donnee)>,
    /// Prefix of the SVG's ids.
    pub id: String,
    /// The column mapped, as the table names it.
    pub colonne: String,
    pub decimales: usize,
    pub regroupement_plm: bool,
}

/// What a drawing gives back to the page: the SVG and the counts its text needs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Dessin {
    pub svg: String,
    pub avec_valeur: usize,
    pub secretes: usize,
    /// See [`Rendu::hors_carte`].
    pub hors_carte: Vec<String>,
}

impl Demande {
    /// Draws the map on `carte` (with the EPCI/EPT outlines when `geo` is given).
    pub fn dessiner(&self, carte: &Carte, geo: Option<&Geographie>) -> Dessin {
        let options = Options { id: &self.id, colonne: &self.colonne, decimales: self.decimales, regroupement_plm: self.regroupement_plm, ..Options::default() };
        let r = dessiner(carte, &self.donnees, geo, &options);
        Dessin { svg: r.svg, avec_valeur: r.avec_valeur, secretes: r.secretes, hors_carte: r.hors_carte }
    }
}

/// Colours of `n` classes: the whole palette for 5, evenly spread otherwise (always the lightest
/// for the first class and the darkest for the last).
pub fn couleurs(n: usize) -> Vec<&'static str> {
    let m = PALETTE.len() - 1;
    match n {
        0 => Vec::new(),
        1 => vec![PALETTE[m / 2]],
        _ => (0..n).map(|i| PALETTE[(i * m + (n - 1) / 2) / (n - 1)]).collect(),
    }
}

/// Legend labels of the classes of `bornes` (class `i` holds `b_i < v ≤ b_{i+1}`, the first one
/// `b_0` too). Counts read in whole numbers: « 0 », « 1 à 4 », « 5 à 12 »; estimates with their
/// decimals: « 0,4 à 1,2 », « plus de 1,2 à 3,5 ».
pub fn libelles_classes(bornes: &[f64], decimales: usize) -> Vec<String> {
    let f = |x: f64| decimal(x, decimales);
    let plage = |bas: String, haut: String| if bas == haut { bas } else { format!("{bas} à {haut}") };
    bornes
        .windows(2)
        .enumerate()
        .map(|(i, w)| match (i, decimales) {
            (0, _) => plage(f(w[0]), f(w[1])),
            // Whole counts: the next whole number after the lower bound.
            (_, 0) if w[0].fract() == 0.0 => plage(f(w[0] + 1.0), f(w[1])),
            _ => format!("plus de {}", plage(f(w[0]), f(w[1]))),
        })
        .collect()
}

/// XML-escapes a text for an element's content or an attribute value (either quote).
pub fn echapper(texte: &str) -> String {
    let mut s = String::with_capacity(texte.len());
    for c in texte.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#39;"),
            // Not allowed in XML 1.0 (a stray byte in a name): dropped rather than written.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => s.push(c),
        }
    }
    s
}

/// Département of a commune code (`2A…`, `97x…` included).
fn departement(code: &str) -> &str {
    let n = if code.starts_with("97") { 3 } else { 2 };
    code.get(..n).unwrap_or(code)
}

/// Draws `donnees` (commune code → value or secret) on `carte`.
///
/// Shapes: every commune of the départements that hold at least one commune of the data (the
/// whole map when none does), framed to them — « the communes of the file's region ». A city is
/// drawn whole with `regroupement_plm`, and also without it when the data has a row for the
/// city and none for its arrondissements (a file coded by city); otherwise its arrondissements.
/// Several rows on one shape (arrondissements under a city) add up, and are secret if any is.
///
/// Classes: quantiles of the drawn values ([`classes_quantiles`]); secret and missing values are
/// kept out of them. With `geo`, names follow the official geography and EPCI/EPT outlines are
/// drawn; without it, the asset's names and only département outlines.
pub fn dessiner(carte: &Carte, donnees: &[(String, Donnee)], geo: Option<&Geographie>, options: &Options) -> Rendu {
    let plm = options.regroupement_plm;
    let connues: Vec<(&Commune, Donnee)> =
        donnees.iter().filter_map(|(code, d)| carte.commune(code).map(|c| (c, *d))).collect();
    // Cities drawn whole.
    let avec_arrondissements: HashSet<&str> = connues.iter().filter_map(|(c, _)| c.ville.as_deref()).collect();
    let entieres: HashSet<&str> = carte
        .villes_plm
        .iter()
        .map(String::as_str)
        .filter(|v| plm || (connues.iter().any(|(c, _)| c.code == *v) && !avec_arrondissements.contains(v)))
        .collect();
    // Each row onto its shape.
    let mut valeurs: HashMap<&str, Donnee> = HashMap::new();
    let mut hors_carte: Vec<String> = donnees
        .iter()
        .filter(|(code, _)| carte.commune(code).is_none())
        .map(|(code, _)| code.clone())
        .collect();
    for (c, d) in &connues {
        let forme = match (c.genre, c.ville.as_deref()) {
            (Genre::Arrondissement, Some(v)) if entieres.contains(v) => v,
            (Genre::Arrondissement, _) => c.code.as_str(),
            (Genre::Commune, _) if carte.villes_plm.contains(&c.code) && !entieres.contains(c.code.as_str()) => {
                hors_carte.push(c.code.clone());
                continue;
            }
            (Genre::Commune, _) => c.code.as_str(),
        };
        let cumul = match (valeurs.get(forme), d) {
            (None, d) => *d,
            (Some(Donnee::Valeur(a)), Donnee::Valeur(b)) => Donnee::Valeur(a + b),
            _ => Donnee::Secret,
        };
        valeurs.insert(forme, cumul);
    }
    let deps: BTreeSet<&str> = valeurs.keys().map(|code| departement(code)).collect();
    let formes: Vec<&Commune> = carte
        .communes
        .iter()
        .filter(|c| match (c.genre, c.ville.as_deref()) {
            (Genre::Arrondissement, Some(v)) => !entieres.contains(v),
            _ => !carte.villes_plm.contains(&c.code) || entieres.contains(c.code.as_str()),
        })
        .filter(|c| deps.is_empty() || deps.contains(departement(&c.code)))
        .collect();
    let mut vue = Vue::autour(formes.iter().copied(), LARGEUR_VUE).unwrap_or_else(|| Vue::entiere(carte));
    vue.relatif = true;

    // Classes.
    let nombres: Vec<f64> = formes
        .iter()
        .filter_map(|c| match valeurs.get(c.code.as_str()) {
            Some(Donnee::Valeur(v)) => Some(*v),
            _ => None,
        })
        .collect();
    let bornes = classes_quantiles(&nombres, options.classes);
    let teintes = couleurs(bornes.len().saturating_sub(1));
    let mut legende: Vec<ClasseLegende> = libelles_classes(&bornes, options.decimales)
        .into_iter()
        .zip(&teintes)
        .map(|(libelle, &couleur)| ClasseLegende { couleur, libelle, communes: 0 })
        .collect();

    let id = echapper(options.id);
    let colonne = echapper(options.colonne);
    let nom = |c: &Commune| geo.and_then(|g| g.commune(&c.code)).map_or(c.nom.as_str(), |g| g.nom.as_str()).to_owned();
    let mut svg = String::with_capacity(400_000);
    let mut communes = String::with_capacity(380_000);
    let (mut secretes, mut sans_donnee) = (0, 0);
    for c in &formes {
        let (remplissage, texte) = match valeurs.get(c.code.as_str()) {
            Some(Donnee::Valeur(v)) => {
                let k = classe(*v, &bornes);
                if let Some(l) = legende.get_mut(k) {
                    l.communes += 1;
                }
                (teintes.get(k).copied().unwrap_or(SANS_DONNEE).to_owned(), decimal(*v, options.decimales))
            }
            Some(Donnee::Secret) => {
                secretes += 1;
                (format!("url(#{id}-secret)"), "s (secret statistique)".to_owned())
            }
            None => {
                sans_donnee += 1;
                (SANS_DONNEE.to_owned(), "pas de donnée".to_owned())
            }
        };
        let etiquette = echapper(&format!("{} ({}) — {} : {texte}", nom(c), c.code, options.colonne));
        let _ = write!(
            communes,
            r#"<path d="{}" fill="{remplissage}" data-code="{}" tabindex="0" role="img" aria-label="{etiquette}"><title>{etiquette}</title></path>"#,
            carte.chemin(c, &vue),
            echapper(&c.code),
        );
    }

    // Outlines: EPCI/EPT (official geography), then départements and the boundary over them.
    let par_departement = limites_de(formes.iter().copied(), &vue, |c| {
        geo.and_then(|g| g.commune(&c.code)).map_or_else(|| departement(&c.code).to_owned(), |g| g.departement.clone())
    });
    let par_epci = geo.map(|g| limites_de(formes.iter().copied(), &vue, |c| g.intercommunalite(&c.code).map(|i| i.code)));

    // Legend, under the map.
    let (largeur, hauteur_carte) = (vue.largeur, vue.hauteur);
    let lignes = legende.len().max(4);
    let y0 = hauteur_carte + 24.0;
    // One more line for the source of the contours.
    let hauteur = y0 + 90.0 + 28.0 * lignes as f64;
    let avec_valeur = nombres.len();
    let description = echapper(&format!(
        "{} communes ou arrondissements dessinés : {} avec une valeur, {} sous secret statistique (hachurés), {} sans donnée (gris clair). {} Limites des départements en trait épais{}. Chaque commune porte son nom et sa valeur ; le tableau de données donne les mêmes valeurs.",
        formes.len(),
        avec_valeur,
        secretes,
        sans_donnee,
        if legende.is_empty() {
            String::new()
        } else {
            format!(
                "Classes par quantiles (chaque classe regroupe à peu près le même nombre de communes), du plus clair au plus foncé : {}.",
                legende.iter().map(|l| format!("{} ({} communes)", l.libelle, l.communes)).collect::<Vec<_>>().join(" ; ")
            )
        },
        if par_epci.is_some() { ", des EPCI et EPT en trait fin" } else { "" },
    ));
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" class="carte" role="group" aria-labelledby="{id}-titre" aria-describedby="{id}-desc" font-family="Marianne, arial, sans-serif"><title id="{id}-titre">Carte des communes : {colonne}</title><desc id="{id}-desc">{description}</desc><defs><pattern id="{id}-secret" patternUnits="userSpaceOnUse" width="5" height="5" patternTransform="rotate(45)"><rect width="5" height="5" fill="{LISERE}"/><line x1="1" y1="0" x2="1" y2="5" stroke="{TRAIT}" stroke-width="1.6"/></pattern></defs>"##,
        nombre(largeur),
        nombre(hauteur),
    );
    let _ = write!(svg, r#"<g stroke="{LISERE}" stroke-width="0.5" stroke-linejoin="round">{communes}</g>"#);
    svg.push_str(r#"<g fill="none" stroke-linejoin="round" stroke-linecap="round" pointer-events="none" aria-hidden="true">"#);
    if let Some(l) = &par_epci {
        trait_double(&mut svg, &l.interieures, 2.2, TRAIT, 0.9);
    }
    trait_double(&mut svg, &par_departement.interieures, 4.0, TRAIT_FONCE, 1.8);
    let _ = write!(
        svg,
        r#"<path d="{}" stroke="{TRAIT_FONCE}" stroke-width="1.8" vector-effect="non-scaling-stroke"/></g>"#,
        par_departement.exterieure
    );

    // Legend: title and method, classes in the first column, other keys in the second.
    let _ = write!(svg, r#"<g class="carte__legende" fill="{TRAIT_FONCE}" font-size="20">"#);
    let _ = write!(svg, r#"<text x="0" y="{}" font-weight="700">{colonne}</text>"#, nombre(y0 + 6.0));
    if !legende.is_empty() {
        let _ = write!(
            svg,
            r#"<text x="0" y="{}" font-size="17" fill="{TRAIT}">Quantiles : chaque classe regroupe à peu près le même nombre de communes.</text>"#,
            nombre(y0 + 32.0)
        );
    }
    let ligne = |i: usize| y0 + 50.0 + 28.0 * i as f64;
    for (i, l) in legende.iter().enumerate() {
        case(&mut svg, 0.0, ligne(i), l.couleur, &format!("{} ({} communes)", l.libelle, l.communes));
    }
    let x2 = largeur / 2.0;
    case(&mut svg, x2, ligne(0), &format!("url(#{id}-secret)"), &format!("s : secret statistique ({secretes} communes)"));
    case(&mut svg, x2, ligne(1), SANS_DONNEE, &format!("Pas de donnée ({sans_donnee} communes)"));
    let mut cles = vec![(TRAIT_FONCE, 1.8, "Limite de département")];
    if par_epci.is_some() {
        cles.push((TRAIT, 0.9, "Limite d'EPCI ou d'EPT"));
    }
    for (k, (couleur, epaisseur, texte)) in cles.into_iter().enumerate() {
        let y = ligne(2 + k);
        let _ = write!(
            svg,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{couleur}" stroke-width="{}"/><text x="{}" y="{}">{}</text>"#,
            nombre(x2),
            nombre(y + 9.0),
            nombre(x2 + 34.0),
            nombre(y + 9.0),
            nombre(epaisseur * 1.5),
            nombre(x2 + 44.0),
            nombre(y + 16.0),
            echapper(texte),
        );
    }
    // The contours' licence asks for their source (README « Carte : provenance et licence »).
    let _ = write!(svg, r#"<text x="0" y="{}" font-size="15" fill="{TRAIT}">{SOURCE}</text>"#, nombre(ligne(lignes) + 12.0));
    svg.push_str("</g></svg>");

    hors_carte.sort();
    hors_carte.dedup();
    Rendu {
        svg,
        dessinees: formes.len(),
        avec_valeur,
        secretes,
        sans_donnee,
        bornes,
        legende,
        hors_carte,
    }
}

/// A line drawn twice: a light casing under a darker core, both in screen pixels.
fn trait_double(svg: &mut String, d: &str, lisere: f64, couleur: &str, epaisseur: f64) {
    if d.is_empty() {
        return;
    }
    for (c, e) in [(LISERE, lisere), (couleur, epaisseur)] {
        let _ = write!(svg, r#"<path d="{d}" stroke="{c}" stroke-width="{}" vector-effect="non-scaling-stroke"/>"#, nombre(e));
    }
}

/// A legend entry: a swatch with an outline, then its text.
fn case(svg: &mut String, x: f64, y: f64, remplissage: &str, texte: &str) {
    let _ = write!(
        svg,
        r#"<rect x="{}" y="{}" width="34" height="18" fill="{remplissage}" stroke="{TRAIT}" stroke-width="1"/><text x="{}" y="{}">{}</text>"#,
        nombre(x),
        nombre(y),
        nombre(x + 44.0),
        nombre(y + 16.0),
        echapper(texte),
    );
}

/// A coordinate with one decimal at most.
fn nombre(x: f64) -> String {
    let mut s = String::new();
    super::nombre(&mut s, x);
    s
}

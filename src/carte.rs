//! The communes map (SPEC §9 « A map »), as pure functions natively tested: reading the contours
//! asset, SVG paths of the communes, outlines of groups of communes (département, EPCI/EPT) and
//! the classes of a choropleth. The pages only place what these return (no arithmetic in
//! `src/ui`, see `tests/tidy.rs`).
//!
//! The asset (`data/carte-idf.txt`, built by `scripts/build-carte.py` from IGN ADMIN EXPRESS COG
//! contours, see the README « Carte : provenance et licence ») holds every commune and every
//! Paris/Lyon/Marseille arrondissement of a region in Lambert-93, on an integer grid (10 m),
//! delta-encoded. Neighbouring communes share their vertices exactly, so a shared limit is the same
//! integer segment in both communes' rings, run in opposite directions (rings are oriented
//! anticlockwise, holes clockwise): group outlines are found by matching segments, with no
//! geometric computation and no rounding.
//!
//! Both the cities (75056, 69123, 13055) and their arrondissements are in the asset: with
//! `regroupement_plm` the map draws the city, otherwise its arrondissements ([`Carte::formes`]).
//!
//! [`rendu::dessiner`] turns a parsed map and a column of the communal view into one SVG string
//! (choropleth, outlines, legend), shared by the app and the static publication page.

use std::collections::HashMap;
use std::fmt::Write;
use std::hash::Hash;

pub mod communale;
pub mod rendu;
pub use communale::ColonneCarte;
pub use rendu::{dessiner, Demande, Dessin, Donnee, Options, Rendu};

/// Same-origin URL of the contours in the built app (copied into `dist/carte/` by Trunk, see
/// `index.html`), fetched by the drawing worker the first time a map is shown.
pub const CARTE_URL: &str = "carte/carte-idf.txt";

/// A point of the asset's grid: units of [`Carte::pas`] metres from [`Carte::origine`], y north.
pub type Point = (i32, i32);

/// Width of the SVG viewBox of [`Vue::entiere`], in user units: the page scales the SVG to its
/// container, this only fixes the precision of the coordinates (one decimal, 0.1 unit).
pub const LARGEUR_VUE: f64 = 1000.0;

/// Whether a shape is a commune or a municipal arrondissement (Paris, Lyon, Marseille).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Genre {
    Commune,
    Arrondissement,
}

/// One commune or arrondissement of the asset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commune {
    /// INSEE code.
    pub code: String,
    pub genre: Genre,
    /// For an arrondissement, the city's code (75056, 69123 or 13055).
    pub ville: Option<String>,
    pub nom: String,
    /// Closed rings (last point not repeated), exteriors anticlockwise and holes clockwise.
    pub anneaux: Vec<Vec<Point>>,
}

/// The map of a region's communes.
#[derive(Clone, Debug)]
pub struct Carte {
    pas: u32,
    origine: (i64, i64),
    etendue: (i32, i32),
    communes: Vec<Commune>,
    index: HashMap<String, usize>,
    /// Codes of the cities that have arrondissements in the asset.
    villes_plm: Vec<String>,
}

/// How grid points become SVG coordinates: `x' = (x − x_min) × echelle`,
/// `y' = (y_max − y) × echelle` (SVG's y points down), written with one decimal at most.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Vue {
    pub x_min: i32,
    pub y_max: i32,
    pub echelle: f64,
    /// The viewBox's width and height (its origin is 0 0).
    pub largeur: f64,
    pub hauteur: f64,
    /// Paths written with relative moves (`l dx dy`, in tenths exactly: each point is rounded
    /// first, then differenced, so nothing drifts): about a third shorter. Off by default.
    pub relatif: bool,
}

/// Outlines drawn over the communes: the limits between groups, each drawn once, and the
/// boundary of the whole map.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Limites {
    /// Every segment separating two communes of different groups, chained into polylines.
    pub interieures: String,
    /// Every segment with a commune on one side only (the region's boundary), chained.
    pub exterieure: String,
}

/// The outline of one group of communes (a département, an EPCI…): its boundary rings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContourGroupe<K> {
    pub cle: K,
    /// SVG path: one closed subpath (`Z`) per ring, an open one if the topology had a gap.
    pub d: String,
    pub anneaux: usize,
    /// Rings that did not close (0 on a clean asset).
    pub ouverts: usize,
}

impl Carte {
    /// Reads the asset written by `scripts/build-carte.py`. Errors name the line, in French.
    pub fn parse(texte: &str) -> Result<Carte, String> {
        let mut pas = None;
        let mut origine = None;
        let mut etendue = None;
        let mut version = None;
        let mut communes = Vec::new();
        for (i, ligne) in texte.lines().enumerate() {
            let n = i + 1;
            if ligne.is_empty() || ligne.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = ligne.split('\t').collect();
            let entier = |s: &str| s.parse::<i64>().map_err(|_| format!("ligne {n} : nombre invalide « {s} »"));
            match (f[0], f.len()) {
                ("carte", 2) => version = Some(f[1].to_owned()),
                ("projection", 2) => {
                    if f[1] != "EPSG:2154" {
                        return Err(format!("ligne {n} : projection {} non prise en charge", f[1]));
                    }
                }
                ("pas", 2) => pas = Some(entier(f[1])?),
                ("origine", 3) => origine = Some((entier(f[1])?, entier(f[2])?)),
                ("etendue", 3) => etendue = Some((entier(f[1])?, entier(f[2])?)),
                ("C", 6) => communes.push(commune(&f, n)?),
                _ => return Err(format!("ligne {n} : ligne non reconnue « {} »", f[0])),
            }
        }
        if version.as_deref() != Some("1") {
            return Err("version de carte absente ou non prise en charge (attendu « carte 1 »)".into());
        }
        let pas = pas.filter(|p| *p > 0).ok_or("pas absent ou nul")?;
        let origine = origine.ok_or("origine absente")?;
        let (w, h) = etendue.ok_or("étendue absente")?;
        let etendue = (
            i32::try_from(w).map_err(|_| "étendue trop grande")?,
            i32::try_from(h).map_err(|_| "étendue trop grande")?,
        );
        let mut index = HashMap::with_capacity(communes.len());
        for (i, c) in communes.iter().enumerate() {
            if index.insert(c.code.clone(), i).is_some() {
                return Err(format!("commune {} en double", c.code));
            }
        }
        let mut villes_plm: Vec<String> = communes.iter().filter_map(|c| c.ville.clone()).collect();
        villes_plm.sort();
        villes_plm.dedup();
        Ok(Carte { pas: pas as u32, origine, etendue, communes, index, villes_plm })
    }

    /// Metres per grid unit.
    pub fn pas(&self) -> u32 {
        self.pas
    }

    /// Lambert-93 coordinates (metres) of the grid point (0, 0).
    pub fn origine(&self) -> (i64, i64) {
        self.origine
    }

    /// The grid's extent: every point has 0 ≤ x ≤ width and 0 ≤ y ≤ height.
    pub fn etendue(&self) -> (i32, i32) {
        self.etendue
    }

    /// Every commune and arrondissement, by code.
    pub fn communes(&self) -> &[Commune] {
        &self.communes
    }

    pub fn commune(&self, code: &str) -> Option<&Commune> {
        self.index.get(code).map(|&i| &self.communes[i])
    }

    /// The shapes to draw: with `regroupement_plm` the cities and no arrondissement, otherwise the
    /// arrondissements in place of their cities. They tile the region without overlap.
    pub fn formes(&self, plm: bool) -> impl Iterator<Item = &Commune> {
        self.communes.iter().filter(move |c| match c.genre {
            Genre::Arrondissement => !plm,
            Genre::Commune => plm || !self.villes_plm.contains(&c.code),
        })
    }

    /// The drawn shape that stands for the data of `code`: with `regroupement_plm` an
    /// arrondissement's data belongs to its city; without, the arrondissements are drawn and a
    /// city code (a row coded 75056 in a file not rolled up) has no shape of its own (`None`: the
    /// data table still lists it). `None` too for a code absent from the map.
    pub fn forme_de(&self, code: &str, plm: bool) -> Option<&Commune> {
        let c = self.commune(code)?;
        match (c.genre, plm) {
            (Genre::Arrondissement, true) => self.commune(c.ville.as_deref()?),
            (Genre::Commune, false) if self.villes_plm.contains(&c.code) => None,
            _ => Some(c),
        }
    }

    /// SVG path of a commune: one closed subpath per ring. Draw it with `fill-rule="evenodd"` or
    /// the default `nonzero` alike (holes run the other way).
    pub fn chemin(&self, commune: &Commune, vue: &Vue) -> String {
        let mut d = String::with_capacity(commune.anneaux.iter().map(|a| a.len() * 12).sum());
        for anneau in &commune.anneaux {
            ecrire_ligne(&mut d, anneau.iter().copied(), vue);
            d.push('Z');
        }
        d
    }

    /// Limits between groups of the drawn shapes (`groupe` gives each its key: département, EPCI
    /// or EPT code…) and the boundary of the map. A segment is a limit when the shape on its other
    /// side (the same segment, reversed) is of another group, and part of the boundary when no
    /// shape has it reversed. Each is written once, chained into the longest polylines.
    pub fn limites<K: Eq + Hash + Clone>(&self, plm: bool, vue: &Vue, groupe: impl Fn(&Commune) -> K) -> Limites {
        limites_de(self.formes(plm), vue, groupe)
    }

    /// The boundary of each group of drawn shapes, in order of first appearance (shapes by code).
    /// A group's boundary is made of its shapes' segments whose reverse is not in the same group;
    /// on a clean asset they chain head to tail into closed rings.
    pub fn contours_groupes<K: Eq + Hash + Clone>(
        &self,
        plm: bool,
        vue: &Vue,
        groupe: impl Fn(&Commune) -> K,
    ) -> Vec<ContourGroupe<K>> {
        let (segments, groupes) = segments(self.formes(plm), groupe);
        let mut bords: Vec<Vec<(Point, Point)>> = vec![Vec::new(); groupes.len()];
        for (&(a, b), &g) in &segments {
            if segments.get(&(b, a)).is_none_or(|&h| h != g) {
                bords[g].push((a, b));
            }
        }
        groupes
            .into_iter()
            .zip(bords)
            .map(|(cle, mut bord)| {
                bord.sort_unstable();
                let (d, anneaux, ouverts) = anneaux_orientes(&bord, vue);
                ContourGroupe { cle, d, anneaux, ouverts }
            })
            .collect()
    }
}

/// [`Carte::limites`] for any set of shapes that tile without overlap (a map restricted to some
/// départements, cities drawn whole or by arrondissement as the data asks).
pub fn limites_de<'a, K: Eq + Hash + Clone>(
    formes: impl IntoIterator<Item = &'a Commune>,
    vue: &Vue,
    groupe: impl Fn(&Commune) -> K,
) -> Limites {
    let (segments, _) = segments(formes, groupe);
    let mut interieures = Vec::new();
    let mut exterieure = Vec::new();
    for (&(a, b), &g) in &segments {
        match segments.get(&(b, a)) {
            None => exterieure.push((a, b)),
            Some(&h) if h != g && a < b => interieures.push((a, b)),
            _ => {}
        }
    }
    // Hash order is not stable: sort so that the same map gives the same strings.
    interieures.sort_unstable();
    exterieure.sort_unstable();
    Limites { interieures: polylignes(&interieures, vue), exterieure: polylignes(&exterieure, vue) }
}

/// Directed segments of the drawn shapes → index of their group, and the groups' keys in order
/// of first appearance.
#[allow(clippy::type_complexity)]
fn segments<'a, K: Eq + Hash + Clone>(
    formes: impl IntoIterator<Item = &'a Commune>,
    groupe: impl Fn(&Commune) -> K,
) -> (HashMap<(Point, Point), usize>, Vec<K>) {
    let mut cles: Vec<K> = Vec::new();
    let mut indices: HashMap<K, usize> = HashMap::new();
    let mut segments = HashMap::with_capacity(40_000);
    for c in formes {
        let k = groupe(c);
        let g = match indices.get(&k) {
            Some(&g) => g,
            None => {
                cles.push(k.clone());
                indices.insert(k, cles.len() - 1);
                cles.len() - 1
            }
        };
        for anneau in &c.anneaux {
            for (i, &a) in anneau.iter().enumerate() {
                let b = anneau[(i + 1) % anneau.len()];
                segments.insert((a, b), g);
            }
        }
    }
    (segments, cles)
}

impl Vue {
    /// The whole map, [`LARGEUR_VUE`] units wide.
    pub fn entiere(carte: &Carte) -> Vue {
        let (w, h) = carte.etendue();
        Vue::cadre((0, 0), (w, h), LARGEUR_VUE)
    }

    /// The smallest frame around `communes` (zooming on a département, say), `largeur` wide, with
    /// a margin of 2 % on every side so that outlines are not cut.
    pub fn autour<'a>(communes: impl IntoIterator<Item = &'a Commune>, largeur: f64) -> Option<Vue> {
        let mut points = communes.into_iter().flat_map(|c| c.anneaux.iter().flatten());
        let &(x, y) = points.next()?;
        let (mut min, mut max) = ((x, y), (x, y));
        for &(x, y) in points {
            min = (min.0.min(x), min.1.min(y));
            max = (max.0.max(x), max.1.max(y));
        }
        let marge = ((max.0 - min.0).max(max.1 - min.1) / 50).max(1);
        Some(Vue::cadre((min.0 - marge, min.1 - marge), (max.0 + marge, max.1 + marge), largeur))
    }

    fn cadre(min: Point, max: Point, largeur: f64) -> Vue {
        let w = (max.0 - min.0).max(1);
        let echelle = largeur / f64::from(w);
        Vue {
            x_min: min.0,
            y_max: max.1,
            echelle,
            largeur: arrondi(f64::from(w) * echelle),
            hauteur: arrondi(f64::from(max.1 - min.1) * echelle),
            relatif: false,
        }
    }

    /// The `viewBox` attribute.
    pub fn view_box(&self) -> String {
        let mut s = String::from("0 0 ");
        nombre(&mut s, self.largeur);
        s.push(' ');
        nombre(&mut s, self.hauteur);
        s
    }

    /// SVG coordinates of a grid point.
    pub fn projeter(&self, (x, y): Point) -> (f64, f64) {
        (f64::from(x - self.x_min) * self.echelle, f64::from(self.y_max - y) * self.echelle)
    }
}

/// Bounds of `n` quantile classes of `valeurs`, for a choropleth: `[b0, b1, …, bk]` with `b0` the
/// minimum and `bk` the maximum; class `i` holds the values `v` with `b_i < v ≤ b_{i+1}` (the
/// first class also holds `b0`). Non-finite values (no data, masked by the statistical secret)
/// are left out: the page shows them apart, never in a class.
///
/// Bounds are data values (nearest rank: `b_i` is the ⌈i·m/n⌉-th smallest of the m values), so a
/// legend of whole logements reads in whole logements, and every class holds at least one value.
/// **Ties**: a bound equal to the previous one is dropped, so a run of equal values is never split
/// between classes and there may be fewer than `n` classes. **Zeros** (more generally, a run of
/// values equal to the minimum that reaches the first quantile): they get a class of their own,
/// `[b0, b1]` with `b0 = b1`, so that « aucun » never shares a colour with « quelques-uns ».
pub fn classes_quantiles(valeurs: &[f64], n: usize) -> Vec<f64> {
    let mut v: Vec<f64> = valeurs.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return Vec::new();
    }
    v.sort_by(f64::total_cmp);
    let (m, n) = (v.len(), n.max(1));
    let mut bornes = vec![v[0]];
    for i in 1..=n {
        let b = v[(i * m).div_ceil(n) - 1];
        let zero_a_part = bornes.len() == 1 && b == v[0];
        if b > *bornes.last().unwrap_or(&b) || zero_a_part {
            bornes.push(b);
        }
    }
    if *bornes.last().unwrap_or(&v[0]) < v[m - 1] {
        bornes.push(v[m - 1]);
    }
    bornes
}

/// The class of `v` for `bornes` from [`classes_quantiles`]: the first `i` with `v ≤ b_{i+1}`;
/// values below the minimum go to the first class, above the maximum to the last (a value added
/// after the bounds were computed). 0 when there is no class.
pub fn classe(v: f64, bornes: &[f64]) -> usize {
    let classes = bornes.len().saturating_sub(1);
    bornes.iter().skip(1).position(|&b| v <= b).unwrap_or(classes.saturating_sub(1))
}

/// One `C` line: code, genre, city, name, rings.
fn commune(f: &[&str], n: usize) -> Result<Commune, String> {
    let genre = match f[2] {
        "COM" => Genre::Commune,
        "ARM" => Genre::Arrondissement,
        autre => return Err(format!("ligne {n} : type « {autre} » inconnu (COM ou ARM)")),
    };
    let ville = (!f[3].is_empty()).then(|| f[3].to_owned());
    if (genre == Genre::Arrondissement) != ville.is_some() {
        return Err(format!("ligne {n} : un arrondissement, et lui seul, a une ville"));
    }
    let mut anneaux = Vec::new();
    for texte in f[5].split(';') {
        let mut anneau = Vec::new();
        let mut courant = (0i32, 0i32);
        for (i, paire) in texte.split(' ').enumerate() {
            let (x, y) = paire
                .split_once(',')
                .and_then(|(x, y)| Some((x.parse::<i32>().ok()?, y.parse::<i32>().ok()?)))
                .ok_or_else(|| format!("ligne {n} ({}) : point invalide « {paire} »", f[1]))?;
            courant = if i == 0 { (x, y) } else { (courant.0 + x, courant.1 + y) };
            anneau.push(courant);
        }
        if anneau.len() < 3 {
            return Err(format!("ligne {n} ({}) : anneau de moins de trois points", f[1]));
        }
        anneaux.push(anneau);
    }
    Ok(Commune { code: f[1].to_owned(), genre, ville, nom: f[4].to_owned(), anneaux })
}

/// Chains undirected segments into polylines: each starts at a node where the chain cannot go on
/// unambiguously (an end, or a junction of three limits or more), what is left are closed loops.
fn polylignes(segments: &[(Point, Point)], vue: &Vue) -> String {
    let mut voisins: HashMap<Point, Vec<usize>> = HashMap::new();
    for (i, &(a, b)) in segments.iter().enumerate() {
        voisins.entry(a).or_default().push(i);
        voisins.entry(b).or_default().push(i);
    }
    let mut utilise = vec![false; segments.len()];
    let mut d = String::new();
    let suivre = |depart: Point, premier: usize, utilise: &mut Vec<bool>, d: &mut String| {
        let mut points = vec![depart];
        let (mut courant, mut s) = (depart, premier);
        loop {
            utilise[s] = true;
            let (a, b) = segments[s];
            courant = if a == courant { b } else { a };
            points.push(courant);
            let v = &voisins[&courant];
            match v.iter().find(|&&t| !utilise[t]) {
                Some(&t) if v.len() == 2 => s = t,
                _ => break,
            }
        }
        let ferme = points.len() > 2 && points.first() == points.last();
        if ferme {
            points.pop();
        }
        ecrire_ligne(d, points.into_iter(), vue);
        if ferme {
            d.push('Z');
        }
    };
    // Open chains first, from their ends and junctions, then the loops left.
    for (i, &(a, b)) in segments.iter().enumerate() {
        for depart in [a, b] {
            if !utilise[i] && voisins[&depart].len() != 2 {
                suivre(depart, i, &mut utilise, &mut d);
            }
        }
    }
    for i in 0..segments.len() {
        if !utilise[i] {
            suivre(segments[i].0, i, &mut utilise, &mut d);
        }
    }
    d
}

/// Chains directed segments head to tail into rings: the path, the number of rings and of those
/// that did not close.
fn anneaux_orientes(segments: &[(Point, Point)], vue: &Vue) -> (String, usize, usize) {
    let mut depuis: HashMap<Point, Vec<usize>> = HashMap::new();
    for (i, &(a, _)) in segments.iter().enumerate() {
        depuis.entry(a).or_default().push(i);
    }
    let mut utilise = vec![false; segments.len()];
    let (mut d, mut anneaux, mut ouverts) = (String::new(), 0, 0);
    for i in 0..segments.len() {
        if utilise[i] {
            continue;
        }
        let depart = segments[i].0;
        let mut points = vec![depart];
        let mut s = i;
        loop {
            utilise[s] = true;
            let fin = segments[s].1;
            if fin == depart {
                break;
            }
            points.push(fin);
            match depuis.get(&fin).and_then(|v| v.iter().find(|&&t| !utilise[t])) {
                Some(&t) => s = t,
                None => break,
            }
        }
        let ferme = segments[s].1 == depart;
        ecrire_ligne(&mut d, points.into_iter(), vue);
        if ferme {
            d.push('Z');
        } else {
            ouverts += 1;
        }
        anneaux += 1;
    }
    (d, anneaux, ouverts)
}

/// `M x y L x y x y …` for the points, in the view's coordinates.
fn ecrire_ligne(d: &mut String, points: impl Iterator<Item = Point>, vue: &Vue) {
    if vue.relatif {
        return ecrire_ligne_relative(d, points, vue);
    }
    for (i, p) in points.enumerate() {
        d.push_str(match i {
            0 => "M",
            1 => "L",
            _ => " ",
        });
        let (x, y) = vue.projeter(p);
        nombre(d, x);
        d.push(' ');
        nombre(d, y);
    }
}

/// `M x y l dx dy dx dy …`: moves between points rounded to tenths, points that round onto the
/// previous one left out (neighbours round a shared point alike, so shared limits stay shared).
/// Numbers are written the short way SVG allows (`.5`, `-.3`, no space before a minus sign).
fn ecrire_ligne_relative(d: &mut String, points: impl Iterator<Item = Point>, vue: &Vue) {
    let dixiemes = |v: f64| (v * 10.0).round() as i64;
    let mut precedent: Option<(i64, i64)> = None;
    let mut decimale = false;
    let mut n = String::new();
    for p in points {
        let (x, y) = vue.projeter(p);
        let q = (dixiemes(x), dixiemes(y));
        match precedent {
            None => {
                d.push('M');
                ecrire_dixiemes(d, q.0);
                d.push(' ');
                ecrire_dixiemes(d, q.1);
                d.push('l');
                decimale = false;
            }
            Some(r) if r == q => continue,
            Some(r) => {
                for v in [q.0 - r.0, q.1 - r.1] {
                    n.clear();
                    ecrire_dixiemes(&mut n, v);
                    let n = n.strip_prefix("0.").map(|f| format!(".{f}")).unwrap_or_else(|| n.replacen("-0.", "-.", 1));
                    let colle = d.ends_with('l') || n.starts_with('-') || (n.starts_with('.') && decimale);
                    if !colle {
                        d.push(' ');
                    }
                    decimale = n.contains('.');
                    d.push_str(&n);
                }
            }
        }
        precedent = Some(q);
    }
    if d.ends_with('l') {
        d.pop();
    }
}

/// A number of tenths written as a decimal: `-3` → `-0.3`, `25` → `2.5`, `40` → `4`.
fn ecrire_dixiemes(d: &mut String, n: i64) {
    if n < 0 {
        d.push('-');
    }
    let a = n.unsigned_abs();
    let _ = write!(d, "{}", a / 10);
    if a % 10 != 0 {
        let _ = write!(d, ".{}", a % 10);
    }
}

fn arrondi(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A coordinate with one decimal at most (`12`, `12.5`, `-0.3`), without the float formatter.
fn nombre(d: &mut String, x: f64) {
    ecrire_dixiemes(d, (x * 10.0).round() as i64);
}

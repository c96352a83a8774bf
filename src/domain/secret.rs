//! Statistical secrecy of the published communal view (SPEC §5 v2, « done properly »). The engine
//! decides the mask once; every published output (the app's publication mode, `communes.csv` and
//! its roll-ups, the workbook, the publication page) applies it.
//!
//! - A **sensitive** cell is a count from 1 to `secret_statistique` − 1 of reserved logements of
//!   one category, or of hors-assiette logements of one motif, in one commune or EPCI/EPT.
//! - Every value **computed from** a masked count is masked with it: the volume and the expected
//!   yearly logements of that category there (not the État's: share × public liberations).
//! - **Complementary** cells are masked so that no masked value can be recomputed from published
//!   ones by difference: with a row total (logements − assiette = Σ motifs; flux = Σ expected
//!   logements of the categories), or with a higher level (an EPCI/EPT or a département = Σ of its
//!   communes). Every relation then holds 0 or at least 2 masked cells. The heuristic chooses, in
//!   a relation with a single masked cell, the smallest published cell of that relation (least
//!   information lost), else the parent.
//! - Public: commune totals of logements, assiette and estimated liberations (the RPLS open data
//!   publishes them), the flux, the État's expected logements, the assiette's split by typologie,
//!   financement and QPV.
//!
//! Every masked cell, primary or complementary, shows the same marker « s ».

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::agregation::{Agregat, LigneCommunale, VueCommunale};
use super::model::{Categorie, Motif};

/// The marker of every masked cell.
pub const MARQUE: &str = "s";

/// A maskable column of the communal view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Colonne {
    HorsAssiette(Motif),
    Reserves(Categorie),
    Volume(Categorie),
    /// Expected yearly logements of a category (the bailleur's included).
    Attendus(Categorie),
}

impl Colonne {
    /// Every maskable column.
    pub fn toutes() -> Vec<Colonne> {
        let mut v: Vec<Colonne> = Motif::TOUS.iter().map(|&m| Colonne::HorsAssiette(m)).collect();
        v.extend(Categorie::RESERVANTES.iter().map(|&c| Colonne::Reserves(c)));
        v.extend(Categorie::RESERVANTES.iter().map(|&c| Colonne::Volume(c)));
        v.extend(Categorie::RESERVANTES.iter().chain(&[Categorie::Bailleur]).filter(|c| !c.est_etat()).map(|&c| Colonne::Attendus(c)));
        v
    }

    /// The value of the column in a row.
    pub fn valeur(self, a: &Agregat) -> f64 {
        match self {
            Colonne::HorsAssiette(m) => f64::from(a.hors_assiette[m as usize]),
            Colonne::Reserves(c) => f64::from(a.reserves[c as usize]),
            Colonne::Volume(c) => a.volume[c as usize],
            Colonne::Attendus(c) => a.attendus[c as usize],
        }
    }

    /// Position in [`Colonne::toutes`]: motifs, reserves, volumes, then the expected logements of
    /// the non-État categories and the bailleur.
    fn index(self) -> usize {
        let r = Categorie::RESERVANTES.len();
        match self {
            Colonne::HorsAssiette(m) => m as usize,
            Colonne::Reserves(c) => Motif::N + c as usize,
            Colonne::Volume(c) => Motif::N + r + c as usize,
            Colonne::Attendus(Categorie::Bailleur) => Motif::N + 2 * r + r - 2,
            Colonne::Attendus(c) => Motif::N + 2 * r + c as usize - 2,
        }
    }
}

/// Why a cell is masked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Raison {
    /// A small count.
    Primaire,
    /// Computed from a masked count (volume, expected logements of that category).
    Derivee,
    /// Masked so that another cannot be recomputed.
    Complementaire,
}

/// The mask of one level of the view (communes, EPCI/EPT or départements): for each row (by its
/// code) with masked cells, the masked columns and why. The default masks nothing.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MasqueNiveau {
    pub lignes: std::collections::BTreeMap<String, Vec<(Colonne, Raison)>>,
}

impl MasqueNiveau {
    /// Is column `c` of row `code` masked?
    pub fn masque(&self, code: &str, c: Colonne) -> bool {
        self.lignes.get(code).is_some_and(|l| l.iter().any(|(x, _)| *x == c))
    }

    /// How many cells of this level are masked (each shows « s » in its table).
    pub fn nombre(&self) -> usize {
        self.lignes.values().map(Vec::len).sum()
    }
}

/// The mask of the whole view.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Masque {
    pub seuil: u32,
    pub communes: MasqueNiveau,
    pub epci: MasqueNiveau,
    pub departements: MasqueNiveau,
    /// Cells masked as small counts, as derived values, as complements.
    pub primaires: u32,
    pub derivees: u32,
    pub complementaires: u32,
}

impl Masque {
    pub fn total(&self) -> u32 {
        self.primaires + self.derivees + self.complementaires
    }
}

/// A cell of the view: level (0 communes, 1 EPCI, 2 départements), row, column.
type Case = (usize, usize, Colonne);

/// A published linear relation: Σ coefficient × cell = a published value (row totals: all +1;
/// levels: parent +1, children −1).
type Relation = Vec<(f64, Case)>;

/// Every relation a reader of the published view can write (SPEC §5 v2): row totals (logements −
/// assiette = Σ motifs; flux = Σ expected logements, the État's being public), and levels (an
/// EPCI/EPT = Σ its communes, a département = Σ its communes, a département = Σ of the EPCI/EPT
/// wholly inside it + its communes outside them).
fn relations(vue: &VueCommunale) -> Vec<Relation> {
    let niveaux: [&[LigneCommunale]; 3] = [&vue.communes, &vue.epci, &vue.departements];
    let colonnes = Colonne::toutes();
    let mut relations: Vec<Relation> = Vec::new();
    for (n, lignes) in niveaux.iter().enumerate() {
        for i in 0..lignes.len() {
            relations.push(Motif::TOUS.iter().map(|&x| (1.0, (n, i, Colonne::HorsAssiette(x)))).collect());
            relations.push(colonnes.iter().filter(|c| matches!(c, Colonne::Attendus(_))).map(|&c| (1.0, (n, i, c))).collect());
        }
    }
    let enfants = |parent: &LigneCommunale, niveau: usize| -> Vec<usize> {
        vue.communes
            .iter()
            .enumerate()
            .filter(|(_, c)| if niveau == 1 { c.epci == parent.code } else { c.departement == parent.code })
            .map(|(k, _)| k)
            .collect()
    };
    for (n, parents) in [(1usize, &vue.epci), (2, &vue.departements)] {
        for (p, parent) in parents.iter().enumerate() {
            let e = enfants(parent, n);
            for &c in &colonnes {
                let mut r = vec![(1.0, (n, p, c))];
                r.extend(e.iter().map(|&k| (-1.0, (0, k, c))));
                relations.push(r);
            }
        }
    }
    for (p, dep) in vue.departements.iter().enumerate() {
        let dedans: Vec<usize> = (0..vue.epci.len())
            .filter(|&e| {
                let e = enfants(&vue.epci[e], 1);
                !e.is_empty() && e.iter().all(|&k| vue.communes[k].departement == dep.code)
            })
            .collect();
        if dedans.is_empty() {
            continue;
        }
        let codes: Vec<&str> = dedans.iter().map(|&e| vue.epci[e].code.as_str()).collect();
        let seules: Vec<usize> = enfants(dep, 2).into_iter().filter(|&k| !codes.contains(&vue.communes[k].epci.as_str())).collect();
        for &c in &colonnes {
            let mut r = vec![(1.0, (2, p, c))];
            r.extend(dedans.iter().map(|&e| (-1.0, (1, e, c))));
            r.extend(seules.iter().map(|&k| (-1.0, (0, k, c))));
            relations.push(r);
        }
    }
    relations
}

/// The masked cells that the relations, solved together, determine (Gaussian elimination over the
/// masked cells, per connected group of relations), each with the relations its determination
/// comes from (a superset: the rows combined to isolate it).
///
/// `deja` keeps each group's solution between calls: a group whose masked cells and relations are
/// unchanged (most of them, from one round of [`masquer`] to the next) is not solved again.
///
/// Every cell of the view has a place in a flat table ([`Plat`]): `places` gives, for each
/// relation, the place of each of its cells, and `masquee` tells by place whether a cell is
/// masked; the unknown number of a masked cell is found there too (this runs at every round).
fn determinees(relations: &[Relation], places: &[Vec<u32>], masquee: &[bool], deja: &mut Solutions, atelier: &mut Atelier) -> Vec<(Case, Vec<usize>)> {
    let mut index: Vec<u32> = vec![u32::MAX; masquee.len()];
    let mut inconnues: Vec<Case> = Vec::new();
    // For each unknown: the last relation that met it and its place in that relation's row (a
    // cell named twice in one relation adds its coefficients).
    let mut vue_dans: Vec<(usize, usize)> = Vec::new();
    // The rows of the relations that hold masked cells, end to end in one vector (row `j` is
    // `termes[bornes[j]..bornes[j + 1]]`): one allocation per round, not one per relation.
    let mut termes: Vec<(usize, f64)> = Vec::new();
    let mut bornes: Vec<usize> = vec![0];
    let mut origine: Vec<usize> = Vec::new();
    for (numero, (r, places)) in relations.iter().zip(places).enumerate() {
        let debut = termes.len();
        for (&(coef, case), &place) in r.iter().zip(places) {
            if masquee[place as usize] {
                let place = &mut index[place as usize];
                if *place == u32::MAX {
                    *place = inconnues.len() as u32;
                    inconnues.push(case);
                    vue_dans.push((usize::MAX, 0));
                }
                let k = *place as usize;
                match vue_dans[k] {
                    (n, p) if n == numero => termes[p].1 += coef,
                    _ => {
                        vue_dans[k] = (numero, termes.len());
                        termes.push((k, coef));
                    }
                }
            }
        }
        let mut garde = debut;
        for t in debut..termes.len() {
            if termes[t].1.abs() > 1e-12 {
                termes[garde] = termes[t];
                garde += 1;
            }
        }
        termes.truncate(garde);
        if garde > debut {
            bornes.push(garde);
            origine.push(numero);
        }
    }
    let lignes: Vec<&[(usize, f64)]> = bornes.windows(2).map(|b| &termes[b[0]..b[1]]).collect();
    // Connected groups of unknowns (union-find).
    let mut parent: Vec<usize> = (0..inconnues.len()).collect();
    fn racine(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for l in &lignes {
        for w in l.windows(2) {
            let (a, b) = (racine(&mut parent, w[0].0), racine(&mut parent, w[1].0));
            parent[a] = b;
        }
    }
    let mut groupes: FxHashMap<usize, (Vec<usize>, Vec<usize>)> = FxHashMap::default();
    for k in 0..inconnues.len() {
        let g = racine(&mut parent, k);
        groupes.entry(g).or_default().0.push(k);
    }
    for (j, l) in lignes.iter().enumerate() {
        let g = racine(&mut parent, l[0].0);
        groupes.entry(g).or_default().1.push(j);
    }
    let mut res = Vec::new();
    // Only this round's groups are kept for the next one (a changed group's old solution goes).
    let mut precedentes = std::mem::take(deja);
    for (vars, eqs) in groupes.values() {
        // The group's masked cells (in order) and relations determine its matrix.
        let cle = (vars.iter().map(|&k| inconnues[k]).collect::<Vec<Case>>(), eqs.iter().map(|&j| origine[j]).collect::<Vec<usize>>());
        let connue = precedentes.remove(&cle);
        let solution = deja.entry(cle).or_insert_with(|| {
            connue.unwrap_or_else(|| {
                // The rows are built: the second field now holds each unknown's place in its group.
                vars.iter().enumerate().for_each(|(a, &b)| vue_dans[b].1 = a);
                let a: Vec<Creuse> = eqs.iter().map(|&j| Creuse::de(lignes[j].iter().map(|&(k, c)| (vue_dans[k].1, c)))).collect();
                echelonner(vars.len(), a, atelier)
            })
        });
        for (k, b) in solution.iter() {
            let (k, b) = (*k, b);
            let sources = (0..eqs.len()).filter(|&e| b[e / 64] >> (e % 64) & 1 == 1).map(|e| origine[eqs[e]]).collect();
            res.push((inconnues[vars[k]], sources));
        }
    }
    res.sort_by(|a, b| (a.0 .0, a.0 .1, a.0 .2).cmp(&(b.0 .0, b.0 .1, b.0 .2)));
    res.dedup_by(|a, b| a.0 == b.0);
    res
}

/// The place of each cell of the view in one flat table: the communes' rows, then the EPCI/EPT's,
/// then the départements', each row [`Colonne::toutes`] long (the order of [`masquer`]'s mask).
struct Plat {
    debut: [usize; 3],
    nb_colonnes: usize,
}

impl Plat {
    fn new(lignes_par_niveau: [usize; 3]) -> Plat {
        Plat { debut: [0, lignes_par_niveau[0], lignes_par_niveau[0] + lignes_par_niveau[1]], nb_colonnes: Colonne::toutes().len() }
    }

    fn place(&self, (n, i, c): Case) -> u32 {
        ((self.debut[n] + i) * self.nb_colonnes + c.index()) as u32
    }
}

/// Solved groups of relations: (masked cells, relations) → [`echelonner`]'s answer.
type Solutions = FxHashMap<(Vec<Case>, Vec<usize>), Vec<(usize, Vec<u64>)>>;

/// A sparse row of the relations' matrix: (unknown, coefficient), sorted by unknown, no zero.
#[derive(Clone, Debug, Default)]
struct Creuse(Vec<(usize, f64)>);

impl Creuse {
    fn de(termes: impl Iterator<Item = (usize, f64)>) -> Creuse {
        let mut v: Vec<(usize, f64)> = termes.collect();
        v.sort_by_key(|t| t.0);
        v.dedup_by(|b, a| {
            let meme = a.0 == b.0;
            if meme {
                a.1 += b.1;
            }
            meme
        });
        v.retain(|t| t.1 != 0.0);
        Creuse(v)
    }

    /// The coefficient of unknown `k` (0 when absent). The elimination asks mostly for the column
    /// it is at, which the rows below the pivot hold first (their earlier columns are gone): that
    /// case is answered without a binary search (10–15 % of the secret's time, measured).
    fn coef(&self, k: usize) -> f64 {
        match self.0.first() {
            None => 0.0,
            Some(&(j, c)) if j == k => c,
            Some(&(j, _)) if j > k => 0.0,
            Some(_) => self.0.binary_search_by_key(&k, |t| t.0).map_or(0.0, |i| self.0[i].1),
        }
    }

    /// `self − f × base` into `r` (cleared first), keeping every non-zero result (as a dense row
    /// would); `nouvelle` is told each unknown the result holds that `self` did not (fill-in).
    fn moins_dans(&self, f: f64, base: &Creuse, r: &mut Vec<(usize, f64)>, mut nouvelle: impl FnMut(usize)) {
        let (a, b) = (&self.0, &base.0);
        r.clear();
        r.reserve(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            let (t, neuve) = match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) if x.0 == y.0 => {
                    i += 1;
                    j += 1;
                    ((x.0, x.1 - f * y.1), false)
                }
                (Some(x), Some(y)) if x.0 < y.0 => {
                    i += 1;
                    (*x, false)
                }
                (Some(x), None) => {
                    i += 1;
                    (*x, false)
                }
                (_, Some(y)) => {
                    j += 1;
                    ((y.0, -(f * y.1)), true)
                }
                (None, None) => unreachable!("loop condition"),
            };
            if t.1 != 0.0 {
                r.push(t);
                if neuve {
                    nouvelle(t.0);
                }
            }
        }
    }
}

/// For each of `n` rows, the set of rows it combines (a bitset), at first itself alone.
fn provenances(n: usize) -> Vec<Vec<u64>> {
    let mots = n.div_ceil(64);
    (0..n)
        .map(|k| {
            let mut b = vec![0u64; mots];
            b[k / 64] |= 1 << (k % 64);
            b
        })
        .collect()
}

/// The buffers of [`echelonner`], kept from one solve to the next: each round of [`masquer`]
/// solves the same large group again with one more masked cell (3 800 unknowns at 1.4 M
/// logements, 46 rounds), and its column lists then keep their room instead of growing again.
#[derive(Default)]
struct Atelier {
    /// For each unknown, the rows holding it.
    par_colonne: Vec<Vec<usize>>,
    /// The rows of the column being eliminated.
    lignes: Vec<usize>,
}

/// Reduced row echelon form of the rows `a` over `m` unknowns — the same steps, pivots and
/// floating-point operations as the textbook dense elimination (columns in order, the first row in
/// the current order with a coefficient above 1e-9 as pivot, rows swapped), on sparse rows with a
/// column index: the relations touch few masked cells each, so this costs a fraction of the dense
/// form on a region-wide file. Returns each row with a single unknown left (that unknown is
/// determined) and the rows it combines (bitset over `a`).
fn echelonner(m: usize, mut a: Vec<Creuse>, atelier: &mut Atelier) -> Vec<(usize, Vec<u64>)> {
    const EPS: f64 = 1e-9;
    let n = a.len();
    let mut prov = provenances(n);
    // Rows holding each unknown (may list a row that no longer holds it: checked on use).
    let Atelier { par_colonne, lignes } = atelier;
    par_colonne.iter_mut().for_each(Vec::clear);
    if par_colonne.len() < m {
        par_colonne.resize_with(m, Vec::new);
    }
    for (r, l) in a.iter().enumerate() {
        for &(k, _) in &l.0 {
            par_colonne[k].push(r);
        }
    }
    // Current order of the rows (as the dense form swaps them): row → position and back.
    let mut position: Vec<usize> = (0..n).collect();
    let mut rang: Vec<usize> = (0..n).collect();
    let mut pivot = 0;
    let mut tampon = Vec::new();
    let (mut base, mut base_prov) = (Creuse::default(), Vec::new());
    for col in 0..m {
        if pivot == n {
            break;
        }
        let candidat = par_colonne[col].iter().copied().filter(|&r| position[r] >= pivot && a[r].coef(col).abs() > EPS).min_by_key(|&r| position[r]);
        let Some(r) = candidat else { continue };
        let (q, autre) = (position[r], rang[pivot]);
        rang.swap(pivot, q);
        position[r] = pivot;
        position[autre] = q;
        let p = a[r].coef(col);
        a[r].0.iter_mut().for_each(|t| t.1 /= p);
        // The pivot row, copied into buffers kept from column to column.
        base.0.clone_from(&a[r].0);
        base_prov.clone_from(&prov[r]);
        lignes.clone_from(&par_colonne[col]);
        par_colonne[col].clear();
        lignes.sort_unstable();
        lignes.dedup();
        for &k in lignes.iter() {
            if k == r {
                continue;
            }
            let f = a[k].coef(col);
            if f.abs() <= EPS {
                continue;
            }
            a[k].moins_dans(f, &base, &mut tampon, |c| par_colonne[c].push(k));
            // The old row's storage becomes the next operation's.
            std::mem::swap(&mut a[k].0, &mut tampon);
            prov[k].iter_mut().zip(&base_prov).for_each(|(x, y)| *x |= y);
            // A residue left at `col` (rounding) keeps the row listed there.
            if a[k].coef(col) != 0.0 {
                par_colonne[col].push(k);
            }
        }
        par_colonne[col].push(r);
        pivot += 1;
    }
    // In the rows' final order, as the dense form reads them.
    let mut res = Vec::new();
    for &r in &rang {
        let mut nz = a[r].0.iter().filter(|t| t.1.abs() > EPS);
        if let (Some(&(k, _)), None) = (nz.next(), nz.next()) {
            res.push((k, prov[r].clone()));
        }
    }
    res
}

/// Decides the mask of `vue` for threshold `seuil` (0 disables it).
pub fn masquer(vue: &VueCommunale, seuil: u32) -> Masque {
    let niveaux: [&[LigneCommunale]; 3] = [&vue.communes, &vue.epci, &vue.departements];
    if seuil == 0 {
        return Masque { seuil, ..Default::default() };
    }
    let colonnes = Colonne::toutes();
    let mut m: [Vec<Vec<Option<Raison>>>; 3] = niveaux.map(|l| vec![vec![None; colonnes.len()]; l.len()]);
    let petit = |v: f64| v >= 1.0 && v < f64::from(seuil);
    // Primary cells, in communes and EPCI/EPT.
    for (n, lignes) in niveaux.iter().enumerate().take(2) {
        for (i, l) in lignes.iter().enumerate() {
            for &c in &colonnes {
                if matches!(c, Colonne::HorsAssiette(_) | Colonne::Reserves(_)) && petit(c.valeur(&l.agregat)) {
                    m[n][i][c.index()] = Some(Raison::Primaire);
                }
            }
        }
    }
    let relations = relations(vue);
    let mut solutions = Solutions::default();
    let mut atelier = Atelier::default();
    let plat = Plat::new(niveaux.map(<[LigneCommunale]>::len));
    let places: Vec<Vec<u32>> = relations.iter().map(|r| r.iter().map(|&(_, case)| plat.place(case)).collect()).collect();
    let valeur = |(n, i, c): Case| c.valeur(&niveaux[n][i].agregat);
    // The cell to mask in a relation to protect the others: the smallest published non-zero one
    // (least information lost; a zero whose total is known protects nothing), else any.
    let complement = |r: &Relation, m: &[Vec<Vec<Option<Raison>>>; 3]| -> Option<Case> {
        r.iter()
            .map(|x| x.1)
            .filter(|&(n, i, c)| m[n][i][c.index()].is_none())
            .min_by(|a, b| {
                let (va, vb) = (valeur(*a), valeur(*b));
                (va == 0.0).cmp(&(vb == 0.0)).then(va.total_cmp(&vb)).then(a.0.cmp(&b.0))
            })
    };
    loop {
        // 1. Derived cells follow their counts; every relation holds 0 or ≥ 2 masked cells.
        loop {
            let mut change = false;
            for lignes in m.iter_mut() {
                for ligne in lignes.iter_mut() {
                    for &k in &Categorie::RESERVANTES {
                        if ligne[Colonne::Reserves(k).index()].is_some() {
                            // The État's expected logements are public (share × public liberations).
                            let derivees = [Some(Colonne::Volume(k)), (!k.est_etat()).then_some(Colonne::Attendus(k))];
                            for d in derivees.into_iter().flatten() {
                                if ligne[d.index()].is_none() {
                                    ligne[d.index()] = Some(Raison::Derivee);
                                    change = true;
                                }
                            }
                        }
                    }
                }
            }
            for r in &relations {
                let masquees = r.iter().filter(|&&(_, (n, i, c))| m[n][i][c.index()].is_some()).count();
                if masquees == 1 {
                    if let Some((n, i, c)) = complement(r, &m) {
                        m[n][i][c.index()] = Some(Raison::Complementaire);
                        change = true;
                    }
                }
            }
            if !change {
                break;
            }
        }
        // 2. The relations solved together must determine no masked cell; else mask one more cell
        // in the relation of each determined cell that has the fewest masked cells.
        let masquees: Vec<bool> = m.iter().flatten().flatten().map(Option::is_some).collect();
        let trouvees = determinees(&relations, &places, &masquees, &mut solutions, &mut atelier);
        if trouvees.is_empty() {
            break;
        }
        // Each determined cell: one more masked cell in the relation of its determination that
        // holds the fewest masked cells (it breaks that combination).
        let mut change = false;
        let masquees = |r: &Relation, m: &[Vec<Vec<Option<Raison>>>; 3]| r.iter().filter(|&&(_, (n, i, c))| m[n][i][c.index()].is_some()).count();
        for (_, sources) in trouvees {
            // An aggregate first (an EPCI/EPT, then a département): it tells least, and it sits in
            // fewer relations than a commune.
            let agregat = |n: usize| sources.iter().flat_map(|&k| relations[k].iter().map(|x| x.1)).find(|&(l, i, c)| l == n && m[l][i][c.index()].is_none() && valeur((l, i, c)) != 0.0);
            let choix = agregat(1).or_else(|| agregat(2)).or_else(|| sources
                .iter()
                .map(|&k| &relations[k])
                .filter(|r| complement(r, &m).is_some())
                .min_by_key(|r| masquees(r, &m))
                .and_then(|r| complement(r, &m)));
            if let Some((n, i, c)) = choix {
                m[n][i][c.index()] = Some(Raison::Complementaire);
                change = true;
            }
        }
        if !change {
            break;
        }
    }
    let mut res = Masque { seuil, ..Default::default() };
    let mut niveaux_masques = Vec::new();
    for (n, lignes) in m.iter().enumerate() {
        let mut niveau = MasqueNiveau::default();
        for (i, ligne) in lignes.iter().enumerate() {
            let mut l = Vec::new();
            for &c in &colonnes {
                if let Some(r) = ligne[c.index()] {
                    match r {
                        Raison::Primaire => res.primaires += 1,
                        Raison::Derivee => res.derivees += 1,
                        Raison::Complementaire => res.complementaires += 1,
                    }
                    l.push((c, r));
                }
            }
            if !l.is_empty() {
                niveau.lignes.insert(niveaux[n][i].code.clone(), l);
            }
        }
        niveaux_masques.push(niveau);
    }
    res.departements = niveaux_masques.pop().unwrap_or_default();
    res.epci = niveaux_masques.pop().unwrap_or_default();
    res.communes = niveaux_masques.pop().unwrap_or_default();
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook dense elimination `echelonner` must reproduce step for step (it was the
    /// implementation until the region-wide files made it the slowest step of the command line).
    fn echelonner_dense(m: usize, lignes: &[Vec<(usize, f64)>]) -> Vec<(usize, Vec<u64>)> {
        let mut a: Vec<Vec<f64>> = lignes
            .iter()
            .map(|l| {
                let mut v = vec![0.0; m];
                for &(k, c) in l {
                    v[k] += c;
                }
                v
            })
            .collect();
        let n = a.len();
        let mut prov = provenances(n);
        let mut pivot = 0;
        for col in 0..m {
            let Some(k) = (pivot..n).find(|&k| a[k][col].abs() > 1e-9) else { continue };
            a.swap(pivot, k);
            prov.swap(pivot, k);
            let p = a[pivot][col];
            a[pivot].iter_mut().for_each(|x| *x /= p);
            let (base, base_prov) = (a[pivot].clone(), prov[pivot].clone());
            for (k, ligne) in a.iter_mut().enumerate() {
                if k != pivot && ligne[col].abs() > 1e-9 {
                    let f = ligne[col];
                    ligne.iter_mut().zip(&base).for_each(|(x, y)| *x -= f * y);
                    prov[k].iter_mut().zip(&base_prov).for_each(|(x, y)| *x |= y);
                }
            }
            pivot += 1;
        }
        let mut res = Vec::new();
        for (ligne, b) in a.iter().zip(&prov) {
            let mut nz = ligne.iter().enumerate().filter(|(_, x)| x.abs() > 1e-9);
            if let (Some((k, _)), None) = (nz.next(), nz.next()) {
                res.push((k, b.clone()));
            }
        }
        res
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn sparse_elimination_is_the_dense_one(
            m in 1usize..40,
            lignes in proptest::collection::vec(proptest::collection::vec((0usize..40, -2i8..=2), 1..6), 0..70),
        ) {
            let lignes: Vec<Vec<(usize, f64)>> = lignes
                .into_iter()
                .map(|l| l.into_iter().map(|(k, c)| (k % m, f64::from(c))).collect())
                .collect();
            let creuses: Vec<Creuse> = lignes.iter().map(|l| Creuse::de(l.iter().copied())).collect();
            // Buffers left by another solve (more unknowns, rows reversed) change nothing.
            let mut atelier = Atelier::default();
            echelonner(m + 3, creuses.iter().rev().cloned().collect(), &mut atelier);
            proptest::prop_assert_eq!(echelonner(m, creuses, &mut atelier), echelonner_dense(m, &lignes));
        }
    }

    #[test]
    fn column_indices_are_positions() {
        for (k, c) in Colonne::toutes().into_iter().enumerate() {
            assert_eq!(c.index(), k, "{c:?}");
        }
    }
}

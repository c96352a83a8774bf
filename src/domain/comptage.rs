//! Steps 1–4 (SPEC §4.1–4.4) in one pass over the logements: assiette, τ_l, v_l, and their sums
//! per cellule (bailleur × commune) and per partie (perimeter × réservataire). This is the only
//! loop whose cost grows with the file; everything after it works on these sums.

use chrono::Datelike;

use super::agregation::{additionner, Agregat};
use super::dataset::{Dataset, AUCUN};
use super::model::Categorie;
use super::parallele::en_parallele;
use super::{assiette, conversion, rotation, Parametres};

/// Per-partie sums of steps 2–4.
#[derive(Clone, Copy, Default)]
pub(crate) struct ComptePartie {
    /// L_r
    pub logements: u32,
    /// V_r
    pub volume: f64,
    pub lignes_assiette: u32,
}

/// Per-cellule sums that depend on the parameters (the hot loop's accumulators).
#[derive(Clone, Copy, Default)]
struct CompteCellule {
    liberations: f64,
    reserves: [u32; Categorie::N],
    volume: [f64; Categorie::N],
}

pub(crate) struct Comptes {
    pub cellules: Vec<Agregat>,
    pub parties: Vec<ComptePartie>,
    /// (partie, cellule, Σ τ_l, logements) over the reserved assiette logements of commune, EPCI
    /// and EPT parties, sorted: where their objective goes (SPEC §4.10 v2).
    pub territoires: Vec<(u32, u32, f64, u32)>,
}

/// The single pass over logements (in parallel blocks natively): assiette, τ_l, v_l, and their
/// sums per cellule and partie; then the per-cellule counters of the communal view.
pub(crate) fn compter(ds: &Dataset, p: &Parametres) -> Comptes {
    // A fixed number of blocks (not the number of cores) keeps float sums identical on every machine.
    const BLOCS: usize = 4;
    let taille = ds.len().div_ceil(BLOCS).max(1);
    let mut blocs = en_parallele(BLOCS, |b| {
        compter_bloc(
            ds,
            p,
            (b * taille).min(ds.len())..((b + 1) * taille).min(ds.len()),
        )
    });
    let (mut cellules, mut parties) = blocs.remove(0);
    for (bc, bp) in blocs {
        for (x, y) in cellules.iter_mut().zip(&bc) {
            x.liberations += y.liberations;
            additionner(&mut x.reserves, &y.reserves);
            additionner(&mut x.volume, &y.volume);
        }
        for (x, y) in parties.iter_mut().zip(&bp) {
            x.logements += y.logements;
            x.volume += y.volume;
            x.lignes_assiette += y.lignes_assiette;
        }
    }
    let exclu = assiette::exclusions(p);
    let cellules = cellules
        .iter()
        .enumerate()
        .map(|(c, chaud)| {
            let mut a = Agregat {
                liberations: chaud.liberations,
                reserves: chaud.reserves,
                volume: chaud.volume,
                ..Default::default()
            };
            for (m, f) in ds.fixes.de(c) {
                a.logements += f.logements;
                if exclu[m] {
                    a.hors_assiette[m - 1] += f.logements;
                } else {
                    a.assiette += f.logements;
                    additionner(&mut a.typologie, &f.typologie);
                    additionner(&mut a.financement, &f.financement);
                    additionner(&mut a.qpv, &f.qpv);
                }
            }
            a
        })
        .collect();
    Comptes { cellules, parties, territoires: territoires(ds, p) }
}

/// Σ τ_l and the number of reserved assiette logements (v_l > 0) of each local réservataire in
/// each cellule, from the few logements they reserve (`Dataset::logements_communaux`).
fn territoires(ds: &Dataset, p: &Parametres) -> Vec<(u32, u32, f64, u32)> {
    let taux = rotation::Taux::new(ds, &p.rotation);
    let exclu = assiette::exclusions(p);
    let conversion = p.date_conversion.num_days_from_ce();
    // Summed in file order into one entry per (partie, cellule), then the few entries sorted: a
    // sort of every logement cost a tenth of a recomputation on files with many communal parties.
    let mut place: rustc_hash::FxHashMap<(u32, u32), usize> = rustc_hash::FxHashMap::default();
    let mut t: Vec<(u32, u32, f64, u32)> = Vec::new();
    for &i in &ds.logements_communaux {
        let i = i as usize;
        if exclu[ds.motif[i] as usize] {
            continue;
        }
        let tau = taux.taux(i);
        let v = conversion::volume(ds.droit[i], ds.fin[i], conversion, tau, p.duree_sans_terme_ans);
        if v > 0.0 {
            let cle = (ds.partie[i], ds.cellule[i]);
            let k = *place.entry(cle).or_insert_with(|| {
                t.push((cle.0, cle.1, 0.0, 0));
                t.len() - 1
            });
            t[k].2 += tau;
            t[k].3 += 1;
        }
    }
    t.sort_unstable_by_key(|x| (x.0, x.1));
    t
}

/// Steps 1–4 over logements `lignes`: τ_l, v_l, L_r, V_r.
fn compter_bloc(
    ds: &Dataset,
    p: &Parametres,
    lignes: std::ops::Range<usize>,
) -> (Vec<CompteCellule>, Vec<ComptePartie>) {
    let taux = rotation::Taux::new(ds, &p.rotation);
    let exclu = assiette::exclusions(p);
    let conversion = p.date_conversion.num_days_from_ce();
    // Unreserved logements go to a sink partie (last slot, category `non_reserve`) so that the loop
    // has no data-dependent branch; the sink is dropped below.
    let categories: Vec<u8> = (0..ds.parties.len() as u32)
        .map(|q| ds.categorie_partie(q) as u8)
        .chain([Categorie::NonReserve as u8])
        .collect();
    let puits = ds.parties.len();
    let mut cellules = vec![CompteCellule::default(); ds.cellules.len()];
    let mut parties = vec![ComptePartie::default(); ds.parties.len() + 1];
    for i in lignes {
        if exclu[ds.motif[i] as usize] {
            continue;
        }
        let t = taux.taux(i);
        let c = &mut cellules[ds.cellule[i] as usize];
        c.liberations += t;
        let q = if ds.partie[i] == AUCUN {
            puits
        } else {
            ds.partie[i] as usize
        };
        let v = conversion::volume(
            ds.droit[i],
            ds.fin[i],
            conversion,
            t,
            p.duree_sans_terme_ans,
        );
        // Step 4: a logement counts as reserved by r if v_l > 0 (v_l is never negative).
        let reserve = (v > 0.0) as u32;
        let cp = &mut parties[q];
        cp.lignes_assiette += 1;
        cp.logements += reserve;
        cp.volume += v;
        let k = categories[q] as usize;
        c.reserves[k] += reserve;
        c.volume[k] += v;
    }
    parties.pop();
    for c in &mut cellules {
        c.reserves[Categorie::NonReserve as usize] = 0;
        c.volume[Categorie::NonReserve as usize] = 0.0;
    }
    (cellules, parties)
}


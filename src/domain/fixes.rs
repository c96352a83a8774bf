//! Counts of each cellule's logements that no parameter changes (typology, financing, QPV, by
//! motif of exclusion), made once at ingest so that [`super::calculer`] visits each logement
//! only for τ_l and v_l (SPEC §4.1–4.4: the assiette depends on which motifs are excluded, so
//! the counts are kept by motif and summed per calculation).
//!
//! Almost every logement has no motif (a region's real-shaped file: 3.5 % with one), so the
//! counts without a motif are a dense row per cellule and the others a short list per cellule.
//! A dense table of every motif (10 rows per cellule) was 8 MB on a region's 12 000 cellules: each
//! core scanned every logement for its own range of it, missing the cache at each (14 ms at the
//! end of the import, stop 26). The rows are now counted in shares ([`Partage`]) into a table that
//! fits a core's cache (about 800 KB): by the join of the reading's parts as it appends them
//! (`DatasetBuilder::ajouter`), and by each core for the rows no join counted; the shares are
//! then added.

use serde::{Deserialize, Serialize};

use super::dataset::Dataset;
use super::model::{Motif, FINANCEMENTS, QPV, TYPOLOGIES};

/// The counts of the logements of one cellule with one motif byte.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CompteFixe {
    pub logements: u32,
    pub typologie: [u32; TYPOLOGIES.len()],
    pub financement: [u32; FINANCEMENTS.len()],
    pub qpv: [u32; QPV.len()],
}

impl CompteFixe {
    /// Counts logement `i` of `ds`.
    #[inline]
    fn compter(&mut self, ds: &Dataset, i: usize) {
        self.un(ds.typologie[i], ds.financement[i], ds.qpv[i]);
    }

    /// Counts one logement of this typologie, financement and QPV.
    #[inline]
    fn un(&mut self, typologie: u8, financement: u8, qpv: u8) {
        self.logements += 1;
        self.typologie[usize::from(typologie)] += 1;
        self.financement[usize::from(financement)] += 1;
        self.qpv[usize::from(qpv)] += 1;
    }

    fn ajouter(&mut self, b: &CompteFixe) {
        use super::agregation::additionner;
        self.logements += b.logements;
        additionner(&mut self.typologie, &b.typologie);
        additionner(&mut self.financement, &b.financement);
        additionner(&mut self.qpv, &b.qpv);
    }
}

/// The counts of one share of the rows, made by one core ([`ComptesFixes::assembler`] adds them).
#[derive(Default)]
pub struct Partage {
    sans_motif: Vec<CompteFixe>,
    /// Its logements with a motif, few: each as its cellule, motif, typologie, financement and
    /// QPV packed in one integer ([`Partage::cle`]), counted when the shares are added without
    /// going back to the rows (spread over the whole file, each would miss the cache).
    avec_motif: Vec<u64>,
}

impl Partage {
    /// Counts logements `lignes` of `ds`, with room for the cellules interned since the last
    /// call (a join adds some). An empty share makes no table ([`ComptesFixes::assembler`] adds
    /// tables of any length).
    pub fn compter_lignes(&mut self, ds: &Dataset, lignes: std::ops::Range<usize>) {
        if lignes.is_empty() {
            return;
        }
        if self.sans_motif.len() < ds.cellules.len() {
            self.sans_motif.resize(ds.cellules.len(), CompteFixe::default());
        }
        lignes.for_each(|i| self.compter(ds, i));
    }

    /// Counts logement `i` of `ds`.
    #[inline]
    fn compter(&mut self, ds: &Dataset, i: usize) {
        match ds.motif[i] {
            0 => self.sans_motif[ds.cellule[i] as usize].compter(ds, i),
            m => self.avec_motif.push(Partage::cle(ds.cellule[i], m, ds.typologie[i], ds.financement[i], ds.qpv[i])),
        }
    }

    /// Cellule (top 32 bits), motif, typologie, financement, QPV (a byte each).
    fn cle(cellule: u32, motif: u8, typologie: u8, financement: u8, qpv: u8) -> u64 {
        u64::from(cellule) << 32 | u64::from(u32::from_be_bytes([motif, typologie, financement, qpv]))
    }
}

/// Per cellule and motif byte (0: none, else `Motif as u8 + 1`, as [`Dataset::motif`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ComptesFixes {
    /// By cellule: its logements without a motif.
    sans_motif: Vec<CompteFixe>,
    /// Cellule `c`'s logements with a motif are `avec_motif[debuts[c]..debuts[c + 1]]`, by motif.
    debuts: Vec<u32>,
    avec_motif: Vec<(u8, CompteFixe)>,
}

impl ComptesFixes {
    /// Counts every logement of `ds`, in `blocs` shares of the rows (one per core natively):
    /// the sums are whole numbers, the same however the rows are shared.
    pub fn compter(ds: &Dataset, blocs: usize) -> ComptesFixes {
        let (n, taille) = (ds.len(), ds.len().div_ceil(blocs.max(1)).max(1));
        let parts = super::parallele::en_parallele(blocs.max(1), |b| {
            let mut part = Partage::default();
            part.compter_lignes(ds, (b * taille).min(n)..((b + 1) * taille).min(n));
            part
        });
        ComptesFixes::assembler(ds, parts)
    }

    /// The counts of every logement of `ds` from shares that count each of its rows once (in
    /// any order: the sums are whole numbers). The largest share's table becomes the result's,
    /// the others are added to it: at the end of a region's import, the join's table is the
    /// only one (a fresh table of 12 000 cellules, zeroed, then added to, took a millisecond).
    pub fn assembler(ds: &Dataset, mut parts: Vec<Partage>) -> ComptesFixes {
        let nb_cellules = ds.cellules.len();
        let plus_grande = (0..parts.len()).max_by_key(|&k| parts[k].sans_motif.len());
        let mut sans_motif = plus_grande.map(|k| std::mem::take(&mut parts[k].sans_motif)).unwrap_or_default();
        sans_motif.resize(nb_cellules, CompteFixe::default());
        for part in &parts {
            sans_motif.iter_mut().zip(&part.sans_motif).for_each(|(x, y)| x.ajouter(y));
        }
        // The logements with a motif, sorted by cellule and motif (their keys' top bits), then
        // counted motif by motif. A stable sort: the keys come in file order, where a cellule's
        // rows are mostly together, and it takes such runs as they are.
        let mut cles: Vec<u64> = parts.iter().flat_map(|p| p.avec_motif.iter().copied()).collect();
        cles.sort_by_key(|&k| k >> 24);
        // One entry per (cellule, motif): counted first, so that the table (2 MB on a region's
        // file) is made at its size rather than grown by copies.
        let paires = cles.chunk_by(|a, b| a >> 24 == b >> 24).count();
        let (mut debuts, mut avec_motif) = (Vec::with_capacity(nb_cellules + 1), Vec::<(u8, CompteFixe)>::with_capacity(paires));
        let mut cles = cles.into_iter().peekable();
        debuts.push(0);
        for c in 0..nb_cellules as u64 {
            while let Some(k) = cles.next_if(|&k| k >> 32 == c) {
                let [m, typologie, financement, qpv] = (k as u32).to_be_bytes();
                if avec_motif.len() == debuts[c as usize] as usize || avec_motif.last().is_none_or(|&(x, _)| x != m) {
                    avec_motif.push((m, CompteFixe::default()));
                }
                if let Some((_, f)) = avec_motif.last_mut() {
                    f.un(typologie, financement, qpv);
                }
            }
            debuts.push(avec_motif.len() as u32);
        }
        ComptesFixes { sans_motif, debuts, avec_motif }
    }

    /// Cellule `c`'s counts by motif byte, the motifs present only (no motif first).
    pub fn de(&self, c: usize) -> impl Iterator<Item = (usize, &CompteFixe)> {
        let autres = match (self.debuts.get(c), self.debuts.get(c + 1)) {
            (Some(&d), Some(&f)) => &self.avec_motif[d as usize..f as usize],
            _ => &[],
        };
        self.sans_motif
            .get(c)
            .map(|f| (0, f))
            .into_iter()
            .chain(autres.iter().map(|(m, f)| (usize::from(*m), f)))
    }

    /// Cellule `c`'s logements of motif `m`.
    pub fn logements(&self, c: usize, m: Motif) -> u32 {
        self.de(c).filter(|&(x, _)| x == m as usize + 1).map(|(_, f)| f.logements).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The counts, however the rows are shared between blocks (some empty), equal a plain count of every
    /// (cellule, motif) in a dense table; motifs absent from a cellule are not listed.
    #[test]
    fn shared_counts_equal_a_dense_count() {
        let ds = crate::domain::dataset::tests::petit_jeu_exports();
        let mut dense = vec![[CompteFixe::default(); Motif::N + 1]; ds.cellules.len()];
        for i in 0..ds.len() {
            dense[ds.cellule[i] as usize][ds.motif[i] as usize].compter(&ds, i);
        }
        assert!(ds.motif.iter().any(|&m| m != 0), "the file has logements with a motif");
        // More shares than rows: most are empty and make no table.
        for blocs in [1, 2, 3, 7, 6_000] {
            let f = ComptesFixes::compter(&ds, blocs);
            for (c, ligne) in dense.iter().enumerate() {
                let presents: Vec<(usize, CompteFixe)> =
                    ligne.iter().enumerate().filter(|&(m, x)| m == 0 || x.logements > 0).map(|(m, x)| (m, *x)).collect();
                let lus: Vec<(usize, CompteFixe)> = f.de(c).map(|(m, x)| (m, *x)).collect();
                assert_eq!(lus, presents, "cellule {c}, {blocs} blocs");
                for m in Motif::TOUS {
                    assert_eq!(f.logements(c, m), ligne[m as usize + 1].logements);
                }
            }
            assert_eq!(f.de(ds.cellules.len()).count(), 0);
        }
    }
}

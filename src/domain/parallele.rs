//! The engine's one parallel helper: scoped threads natively, sequential in the browser.

/// Runs `f(0..n)`, on scoped threads natively, sequentially in the browser. Results keep their
/// order.
///
/// Each thread takes the next run of indices from a shared counter until none is left, rather
/// than one fixed block per core: conventions differ widely in size, and with fixed halves one
/// core sat idle for the end of the étalement (stop 24's timelines).
pub(crate) fn en_parallele<R: Send>(n: usize, f: impl Fn(usize) -> R + Sync) -> Vec<R> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let coeurs = coeurs();
        if coeurs > 1 && n > 1 {
            // About eight runs per core: small enough to even out the end, few enough that the
            // counter is not contended.
            let lot = (n / (coeurs * 8)).max(1);
            let suivant = AtomicUsize::new(0);
            let (f, suivant) = (&f, &suivant);
            let mut lots: Vec<(usize, Vec<R>)> = std::thread::scope(|s| {
                let taches: Vec<_> = (0..coeurs.min(n))
                    .map(|_| {
                        s.spawn(move || {
                            let mut faits = Vec::new();
                            loop {
                                let debut = suivant.fetch_add(lot, Ordering::Relaxed);
                                if debut >= n {
                                    return faits;
                                }
                                faits.push((debut, (debut..(debut + lot).min(n)).map(f).collect::<Vec<R>>()));
                            }
                        })
                    })
                    .collect();
                taches
                    .into_iter()
                    .flat_map(|t| t.join().expect("calcul parallèle"))
                    .collect()
            });
            lots.sort_unstable_by_key(|&(debut, _)| debut);
            return lots.into_iter().flat_map(|(_, r)| r).collect();
        }
    }
    (0..n).map(f).collect()
}

/// The threads the engine uses: one per core natively (at most 8), one in the browser (whose
/// page has no threads; its workers only read files).
pub(crate) fn coeurs() -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    return std::thread::available_parallelism().map_or(1, |c| c.get().min(8));
    #[cfg(target_arch = "wasm32")]
    1
}

#[cfg(test)]
mod tests {
    use super::en_parallele;

    /// Every index once, results in index order, whatever the number of items and however
    /// uneven their work.
    #[test]
    fn results_in_order_each_index_once() {
        for n in [0, 1, 2, 3, 15, 16, 17, 100, 1_001] {
            let vus = std::sync::atomic::AtomicUsize::new(0);
            let r = en_parallele(n, |i| {
                vus.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                // Uneven work: every seventh item is long.
                let tours = if i % 7 == 0 { 20_000 } else { 10 };
                (0..tours).fold(i as u64, |a, k| std::hint::black_box(a.wrapping_add(k))) - (0..tours).sum::<u64>()
            });
            assert_eq!(r, (0..n as u64).collect::<Vec<_>>());
            assert_eq!(vus.into_inner(), n);
        }
    }
}

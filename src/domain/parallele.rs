//! The engine's one parallel helper: scoped threads natively, sequential in the browser.

/// Runs `f(0..n)`, on scoped threads natively (one contiguous block per core), sequentially in the
/// browser. Results keep their order.
pub(crate) fn en_parallele<R: Send>(n: usize, f: impl Fn(usize) -> R + Sync) -> Vec<R> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let coeurs = std::thread::available_parallelism().map_or(1, |c| c.get().min(8));
        if coeurs > 1 && n > 1 {
            let bloc = n.div_ceil(coeurs);
            let f = &f;
            return std::thread::scope(|s| {
                let taches: Vec<_> = (0..n)
                    .step_by(bloc)
                    .map(|debut| {
                        s.spawn(move || (debut..(debut + bloc).min(n)).map(f).collect::<Vec<R>>())
                    })
                    .collect();
                taches
                    .into_iter()
                    .flat_map(|t| t.join().expect("calcul parallèle"))
                    .collect()
            });
        }
    }
    (0..n).map(f).collect()
}

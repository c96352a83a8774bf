use gestion_flux::{import, domain};
fn main() {
    let octets = std::fs::read("/tmp/bench/idf.csv").unwrap();
    let imp = import::lire(&octets, &Default::default()).unwrap();
    let p = domain::Parametres::default();
    let r = domain::calculer_avec(&imp.dataset, &p, Some(gestion_flux::geo::Geographie::officielle()));
    let t = std::time::Instant::now();
    let m = domain::secret::masquer(&r.communes, 5);
    eprintln!("masquer {:?} total {} prim {} der {} comp {}", t.elapsed(), m.total(), m.primaires, m.derivees, m.complementaires);
}

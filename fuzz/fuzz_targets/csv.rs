//! Any bytes through `import::lire` (mostly the CSV reader): no panic, counts reconcile, and the
//! engine computes on whatever was kept. An even first byte puts our canonical header in front,
//! so that mutations reach the value parsers instead of stopping at the header.
#![no_main]

use gestion_flux::domain::{calculer, Parametres};
use gestion_flux::generate::ENTETE;
use gestion_flux::import::{self, OptionsLecture};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut octets = Vec::with_capacity(data.len() + ENTETE.len() + 1);
    if data.first().is_some_and(|b| b % 2 == 0) {
        octets.extend_from_slice(ENTETE.as_bytes());
        octets.push(b'\n');
        octets.extend_from_slice(&data[1..]);
    } else {
        octets.extend_from_slice(data);
    }
    verifier(&octets);
});

fn verifier(octets: &[u8]) {
    let Ok(imp) = import::lire(octets, &OptionsLecture::default()) else {
        return;
    };
    assert_eq!(imp.lignes_lues, imp.lignes_retenues + imp.rejets.len());
    // A row may stand for `nb` logements: each logement has its row's line.
    assert_eq!(imp.lignes.len(), imp.dataset.len());
    assert!(imp.lignes_retenues <= imp.dataset.len());
    let r = calculer(&imp.dataset, &Parametres::default());
    for p in &r.perimetres {
        let somme: f64 = p.parts.iter().map(|x| x.part).sum();
        assert!(
            (somme - 1.0).abs() < 1e-9 || p.parts.is_empty(),
            "parts {somme}"
        );
    }
}

//! The assiette (SPEC §1, CCH R. 441-5 II): the logements whose vacancies make up the flux. A
//! logement is out of it when its `hors_assiette` motif is switched on in `exclusions`.

use super::model::Motif;
use super::parametres::Parametres;

/// For each motif byte of the dataset (0 = none, `m + 1` = motif m): is the logement excluded?
pub fn exclusions(p: &Parametres) -> [bool; Motif::N + 1] {
    let mut t = [false; Motif::N + 1];
    for m in Motif::TOUS {
        t[m as usize + 1] = p.exclut(m);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switching_a_motif_off_puts_logements_back() {
        let mut p = Parametres::default();
        // SPEC §3 v2: every legal motif out, `autre` kept in the assiette.
        assert_eq!(
            exclusions(&p),
            [false, true, true, true, true, true, true, true, true, false]
        );
        p.exclusions.insert(Motif::Vente, false);
        let t = exclusions(&p);
        assert!(!t[Motif::Vente as usize + 1] && t[Motif::Lhi as usize + 1] && !t[0]);
    }
}

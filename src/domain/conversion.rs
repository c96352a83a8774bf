//! Steps 2–3 (SPEC §4.2–4.3, seed §3): remaining duration D_l and volume of droits uniques v_l.
//!
//! Seed §3: "la transformation de l'ensemble des droits de suite existants en un volume de droits
//! uniques … déterminé en prenant en compte le taux de rotation et la durée restante des
//! réservations"; "la prise en considération de la dernière attribution … n'est pas retenue"
//! (so no correction for the last attribution).

use super::dataset::{DROIT_SIMPLE, DROIT_UTILISE, SANS_FIN};

/// Days per year used to turn a number of days into years (SPEC §4.2: "in days / 365.25").
pub const JOURS_PAR_AN: f64 = 365.25;

/// D_l = max(0, (date_fin − date_conversion) in days / 365.25); no `date_fin` → `duree_sans_terme`.
/// Dates are days from the common era.
#[inline]
pub fn duree_restante(fin: i32, conversion: i32, duree_sans_terme: f64) -> f64 {
    if fin == SANS_FIN {
        duree_sans_terme
    } else {
        ((fin as f64 - conversion as f64) / JOURS_PAR_AN).max(0.0)
    }
}

/// v_l = τ_l × D_l for a droit de suite; for a droit simple, 1 if not used and not expired, else 0.
/// A droit simple is *expired* when its `date_fin` is strictly before the conversion date (a right
/// ending on the conversion day can still be used that day); without `date_fin` it never expires.
#[inline]
pub fn volume(droit: u8, fin: i32, conversion: i32, taux: f64, duree_sans_terme: f64) -> f64 {
    if droit & DROIT_SIMPLE != 0 {
        let utilise = droit & DROIT_UTILISE != 0;
        let expire = fin != SANS_FIN && fin < conversion;
        if utilise || expire {
            0.0
        } else {
            1.0
        }
    } else {
        taux * duree_restante(fin, conversion, duree_sans_terme)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remaining_duration() {
        assert_eq!(duree_restante(SANS_FIN, 0, 20.0), 20.0);
        assert_eq!(duree_restante(7305, 0, 20.0), 20.0);
        assert_eq!(duree_restante(-10, 0, 20.0), 0.0);
    }

    #[test]
    fn volume_of_each_right() {
        assert!((volume(0, 3653, 0, 0.08, 20.0) - 0.8).abs() < 1e-3);
        assert_eq!(volume(0, SANS_FIN, 0, 0.05, 20.0), 1.0);
        assert_eq!(volume(DROIT_SIMPLE, SANS_FIN, 0, 0.05, 20.0), 1.0);
        assert_eq!(volume(DROIT_SIMPLE, 0, 0, 0.05, 20.0), 1.0);
        assert_eq!(volume(DROIT_SIMPLE, -1, 0, 0.05, 20.0), 0.0);
        assert_eq!(
            volume(DROIT_SIMPLE | DROIT_UTILISE, 100, 0, 0.05, 20.0),
            0.0
        );
    }
}

//! Properties of the v2 étalement (SPEC §4.9, `arrondi = cumul`) over random perimeters — tiny
//! volumes, tiny flux, hundreds of parties, shares leaving the bailleur no room, new logements:
//! - every year, the whole logements sum to T(k) − T(k−1) and none is negative;
//! - in a year without deferral, no party other than the bailleur is more than half a logement
//!   from its exact cumulated entitlement; in a year with deferral, within 1.5 (observed bound);
//! - a réservataire whose volume is used up has received ⌊V_r + 0.5⌋ logements (within one when a
//!   deferral hit its last year), hence at least one when V_r ≥ 0.5;
//! - named years are exactly the years in which a party under one logement a year receives one.

use gestion_flux::domain::etalement::{etaler, Etalement, PartEtalement};
use gestion_flux::domain::flux::FluxAnnuels;
use gestion_flux::domain::parametres::{Arrondi, Cohorte};
use proptest::prelude::*;

const TOL: f64 = 1e-6;

#[derive(Clone, Debug)]
struct Perimetre {
    flux: f64,
    cohortes: Vec<(i32, f64)>,
    etat: f64,
    agents: f64,
    /// (share weight, volume) of each réservataire.
    reservataires: Vec<(f64, f64)>,
    /// Σ of the réservataires' shares: up to 1 − p_État (bailleur without room).
    remplissage: f64,
}

fn volume() -> impl Strategy<Value = f64> {
    prop_oneof![0.0..1.0f64, 0.4..0.6f64, 1.0..30.0f64, 30.0..2000.0f64]
}

fn perimetre() -> impl Strategy<Value = Perimetre> {
    (
        prop_oneof![0.05..3.0f64, 3.0..60.0f64, 60.0..3000.0f64],
        proptest::collection::vec((2026i32..2040, 0.0..500.0f64), 0..3),
        0.0..=0.30f64,
        0.0..=1.0f64,
        prop_oneof![
            proptest::collection::vec((0.01..1.0f64, volume()), 0..6),
            proptest::collection::vec((0.01..1.0f64, volume()), 100..300),
        ],
        prop_oneof![0.0..=1.0f64, Just(1.0)],
    )
        .prop_map(|(flux, cohortes, etat, agents, reservataires, remplissage)| Perimetre {
            flux,
            cohortes,
            etat,
            agents: agents * 0.05f64.min(etat),
            reservataires,
            remplissage,
        })
}

impl Perimetre {
    fn flux(&self) -> FluxAnnuels {
        let c: Vec<Cohorte> = self.cohortes.iter().map(|&(annee, logements)| Cohorte { annee, logements }).collect();
        FluxAnnuels::new(2026, self.flux, 0.063, 0.0, &c)
    }

    fn parties(&self) -> Vec<PartEtalement> {
        let poids: f64 = self.reservataires.iter().map(|r| r.0).sum();
        let disponible = (1.0 - self.etat) * self.remplissage;
        let mut p = vec![
            PartEtalement { part: self.etat - self.agents, volume: None },
            PartEtalement { part: self.agents, volume: None },
        ];
        p.extend(self.reservataires.iter().map(|&(w, v)| PartEtalement {
            part: if poids > 0.0 { w / poids * disponible } else { 0.0 },
            volume: Some(v),
        }));
        p
    }
}

/// Per year and party: (whole logements, exact, deferred).
fn par_annee(e: &Etalement, n: usize) -> Vec<Vec<(f64, f64, u32)>> {
    let mut g = vec![vec![(0.0, 0.0, 0u32); n + 1]; e.annees as usize];
    for l in &e.lignes {
        let x = &mut g[(l.annee - e.premiere_annee) as usize][l.partie as usize];
        *x = (x.0 + l.offerts, x.1 + l.exact, x.2 + l.differes);
    }
    g
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn cumul_keeps_every_party_within_half_a_logement(per in perimetre()) {
        let flux = per.flux();
        let parties = per.parties();
        let n = parties.len();
        let e = etaler(&flux, &parties, Arrondi::Cumul);
        let g = par_annee(&e, n);
        let (mut cumul_f, mut t_avant) = (0.0, 0.0);
        let mut q = vec![0.0; n];
        let mut a = vec![0.0; n];
        let mut pire_avec_report: f64 = 0.0;
        for (k, annee) in g.iter().enumerate() {
            cumul_f += flux.flux(k as u16 + 1);
            let t = (cumul_f + 0.5 + 1e-9f64).floor();
            let somme: f64 = annee.iter().map(|x| x.0).sum();
            prop_assert_eq!(somme, t - t_avant, "année {}", k + 1);
            t_avant = t;
            prop_assert!(annee.iter().all(|x| x.0 >= 0.0 && x.0.fract() == 0.0), "{annee:?}");
            let report = annee.iter().any(|x| x.2 > 0);
            for r in 0..n {
                q[r] += annee[r].1;
                a[r] += annee[r].0;
                let ecart = (a[r] - q[r]).abs();
                if report {
                    pire_avec_report = pire_avec_report.max(ecart);
                } else {
                    prop_assert!(ecart <= 0.5 + TOL, "année {} partie {r}: A {} Q {}", k + 1, a[r], q[r]);
                }
            }
        }
        // Observed bound in years with a deferral (SPEC asks to document it): 1.5.
        prop_assert!(pire_avec_report <= 1.5 + TOL, "{pire_avec_report}");
        for (r, p) in parties.iter().enumerate() {
            let Some(v) = p.volume else { continue };
            let consomme: f64 = g.iter().map(|x| x[r].1).sum();
            if p.part <= 0.0 || consomme < v - 1e-6 {
                continue; // not used up within the table (50 years at most)
            }
            let attendu = (v + 0.5 + 1e-9).floor();
            let dernier_report = g.iter().rev().find(|x| x[r].1 > 0.0).is_some_and(|x| x.iter().any(|y| y.2 > 0));
            if dernier_report {
                prop_assert!((e.totaux[r] - attendu).abs() <= 1.0, "V {v}: {} logements", e.totaux[r]);
            } else {
                prop_assert_eq!(e.totaux[r], attendu, "V {}", v);
            }
            if v >= 0.5 && !dernier_report {
                prop_assert!(e.totaux[r] >= 1.0);
            }
        }
        // Named years: exactly the years of a whole logement, for parties under one a year.
        for (r, p) in parties.iter().enumerate() {
            let annees: Vec<i32> = g.iter().enumerate().filter(|(_, x)| x[r].0 >= 1.0).map(|(k, _)| 2026 + k as i32).collect();
            if p.part * flux.flux(1) < 1.0 {
                prop_assert_eq!(&e.annees_nommees[r], &annees);
            } else {
                prop_assert!(e.annees_nommees[r].is_empty());
            }
        }
    }

    /// The v1 roundings keep the yearly totals too; `aucun` gives exact amounts and the cumul's
    /// named years.
    #[test]
    fn every_rounding_sums_to_the_rounded_cumulated_flux(per in perimetre()) {
        let flux = per.flux();
        let parties = per.parties();
        for arrondi in [Arrondi::PlusFortsRestes, Arrondi::Report, Arrondi::Aucun] {
            let e = etaler(&flux, &parties, arrondi);
            let g = par_annee(&e, parties.len());
            let mut cumul_f = 0.0;
            let mut t_avant = 0.0;
            for (k, annee) in g.iter().enumerate() {
                let f = flux.flux(k as u16 + 1);
                cumul_f += f;
                let t = (cumul_f + 0.5 + 1e-9f64).floor();
                let somme: f64 = annee.iter().map(|x| x.0).sum();
                if arrondi == Arrondi::Aucun {
                    prop_assert!((somme - f).abs() <= 1e-6 * f.max(1.0));
                } else {
                    prop_assert_eq!(somme, t - t_avant, "{:?} année {}", arrondi, k + 1);
                    prop_assert!(annee.iter().all(|x| x.0 >= 0.0));
                }
                t_avant = t;
            }
            if arrondi == Arrondi::Aucun {
                prop_assert_eq!(&e.annees_nommees, &etaler(&flux, &parties, Arrondi::Cumul).annees_nommees);
            }
        }
    }
}

//! Step 9 (SPEC §4.9, seed §3 "modalités d'étalement dans le temps"): the volume of droits uniques
//! is consumed year after year. "Les organismes … s'engageraient sur une proportion de logements
//! proposés … la part de logements réservés du réservataire … de manière annuelle. L'utilisation de
//! ces droits … viendrait se déduire du stock"; for small réservataires, "identifier dès la
//! conversion les années sur lesquelles ils pourraient faire valoir leurs droits".

use serde::Serialize;

use super::flux::FluxAnnuels;
use super::parametres::Arrondi;
use super::regles::{ANNEES_MAX, TOLERANCE};

/// A party of the convention other than the bailleur, in tie-break order (État prioritaires, État
/// agents, réservataires by name); the bailleur is added last by [`etaler`].
#[derive(Clone, Copy, Debug)]
pub struct PartEtalement {
    /// Share of the flux p.
    pub part: f64,
    /// Volume V_r consumed by the offers; `None` for the État (statutory share, not consumed).
    pub volume: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LigneEtalement {
    /// Calendar year A_k (SPEC §4.9 v2).
    pub annee: i32,
    /// Index of the party; `parties.len()` is the bailleur.
    pub partie: u32,
    /// Whole logements W(k) of the rounding mode (exact amounts with `aucun`).
    pub offerts: f64,
    /// offered_r(k) before rounding.
    pub exact: f64,
    /// Whole logements this party deferred to the next year (`cumul` only, when the bailleur had
    /// no room).
    pub differes: u32,
    /// Remaining V_r after the year; `None` for the État and the bailleur.
    pub volume_restant: Option<f64>,
}

/// The year-by-year table of one perimeter.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Etalement {
    /// A_1, the calendar year of `date_conversion`.
    pub premiere_annee: i32,
    /// Number of years of the table.
    pub annees: u16,
    /// F_k of each year of the table.
    pub flux: Vec<f64>,
    /// Whole logements of each year, T(k) − T(k−1) with T(k) = ⌊Σ_{j≤k} F_j + 0.5⌋ (exact F_k
    /// with `aucun`).
    pub logements_annee: Vec<f64>,
    pub lignes: Vec<LigneEtalement>,
    /// Per party (bailleur last): whole logements over the whole table.
    pub totaux: Vec<f64>,
    /// Per party (bailleur last): years to use V_r up, simulated with the F_k (`None` when nothing
    /// is consumed).
    pub annees_epuisement: Vec<Option<f64>>,
    /// Per party (bailleur last): calendar years in which it receives a whole logement, for the
    /// parties under one logement a year (p × F_1 < 1); empty otherwise and for the bailleur.
    pub annees_nommees: Vec<Vec<i32>>,
}

impl Etalement {
    /// Calendar years of the table.
    pub fn annees_civiles(&self) -> impl Iterator<Item = i32> + '_ {
        (0..i32::from(self.annees)).map(|k| self.premiere_annee + k)
    }

    /// Whole logements per party (`n` parties, bailleur included) for each year: the table as a
    /// grid, with the year's total.
    pub fn grille(&self, n: usize) -> Vec<AnneeEtalement> {
        let mut g: Vec<AnneeEtalement> = self
            .annees_civiles()
            .zip(&self.logements_annee)
            .map(|(annee, &total)| AnneeEtalement {
                annee,
                offerts: vec![0.0; n],
                total,
            })
            .collect();
        for l in &self.lignes {
            let k = (l.annee - self.premiere_annee) as usize;
            if let Some(x) = g.get_mut(k).and_then(|a| a.offerts.get_mut(l.partie as usize)) {
                *x += l.offerts;
            }
        }
        g
    }
}

/// One year of [`Etalement::grille`].
#[derive(Clone, Debug, PartialEq)]
pub struct AnneeEtalement {
    pub annee: i32,
    /// Whole logements per party (bailleur last).
    pub offerts: Vec<f64>,
    pub total: f64,
}

/// ⌊x⌋, the same value as `f64::floor` for every `x`. On x86-64 without SSE4.1 (Rust's default
/// target) `floor` is a library call, and the étalement takes three per party and year (14 % of a
/// whole calculation natively); the amounts here are non-negative and far below 2⁵², where
/// truncating to an integer is exact and is the floor. (WebAssembly has its own `f64.floor`.)
#[inline]
fn plancher(x: f64) -> f64 {
    if x > 0.0 && x < (1u64 << 52) as f64 {
        x as i64 as f64
    } else {
        x.floor()
    }
}

/// ⌊x + 0.5⌋: the nearest whole number, halves up (SPEC §4.9 v2), robust to the noise of sums.
fn arrondi_demi(x: f64) -> f64 {
    plancher(x + 0.5 + TOLERANCE)
}

/// Largest remainder (méthode des plus forts restes): floors of the exact amounts, then one more
/// logement to the largest remainders until `total` is reached; ties go to the earlier party
/// (the party order is the tie-break order of the issue).
pub fn plus_forts_restes(exacts: &[f64], total: f64) -> Vec<f64> {
    let mut entiers: Vec<f64> = exacts
        .iter()
        .map(|a| plancher(a + TOLERANCE).max(0.0))
        .collect();
    let manque = (total - entiers.iter().sum::<f64>()).round() as i64;
    // Remainders are compared on a 1e-9 grid so that floating-point noise (0.3 − 0.05 ≠ 0.25)
    // never breaks a tie that is exact on paper; ties go to the lower index.
    let mut ordre: Vec<(std::cmp::Reverse<i64>, usize)> = exacts
        .iter()
        .zip(&entiers)
        .enumerate()
        .map(|(i, (a, e))| (std::cmp::Reverse(((a - e) / TOLERANCE).round() as i64), i))
        .collect();
    let k = manque.unsigned_abs() as usize;
    if manque > 0 && k < ordre.len() {
        // Only the k largest remainders matter: a selection, not a sort.
        ordre.select_nth_unstable(k);
        ordre.truncate(k);
    } else {
        ordre.sort_unstable();
    }
    if manque > 0 {
        for &(_, i) in ordre.iter().cycle().take(k) {
            entiers[i] += 1.0;
        }
    } else {
        // The year's total is below the sum of the floors: take back from the smallest remainders.
        for _ in 0..k {
            if let Some(&(_, j)) = ordre.iter().rev().find(|&&(_, j)| entiers[j] >= 1.0) {
                entiers[j] -= 1.0;
            }
        }
    }
    entiers
}

/// State of one party across the years.
#[derive(Clone, Copy, Debug)]
struct Compte {
    par_an_1: f64,
    part: f64,
    /// Remaining V_r (∞ for the État).
    restant: f64,
    /// Q_r(k): exact cumulated entitlement.
    q: f64,
    /// A_r(k): whole logements received.
    a: f64,
    /// Years to use V_r up, once known.
    epuisement: Option<f64>,
    /// Whether the party consumes a volume (not the État).
    consomme: bool,
}

impl Compte {
    /// Whole logements still owed under `cumul` (deferred ones included).
    fn du_cumul(&self) -> f64 {
        arrondi_demi(self.q) - self.a
    }
    /// Whole logements still owed under `report` (floor of the cumulated entitlement).
    fn du_report(&self) -> f64 {
        plancher(self.q + TOLERANCE) - self.a
    }
    /// Whether a whole logement is still owed under `arrondi` (it is handed out even in a year
    /// with nothing to consume).
    fn doit(&self, arrondi: Arrondi) -> bool {
        match arrondi {
            Arrondi::Cumul => self.du_cumul() >= 1.0,
            Arrondi::Report => self.du_report() >= 1.0,
            _ => false,
        }
    }
    /// A party whose volume is used up and who is owed nothing more: it takes no part in any
    /// later year (nothing changes its account once it is out of the table).
    fn epuise(&self, arrondi: Arrondi) -> bool {
        self.consomme && self.restant <= TOLERANCE && !self.doit(arrondi)
    }
}

/// Year-by-year étalement of one perimeter whose flux is `flux` year by year.
///
/// offered_r(k) = min(p_r × F_k, remaining V_r); remaining V_r −= offered_r(k). A réservataire whose
/// volume is used up leaves the table and its part returns to the bailleur, whose exact amount is
/// the residual F_k − Σ offered. Whole logements follow `arrondi`; every year they sum to
/// T(k) − T(k−1). Stops when every volume is used and every logement owed delivered, after at most
/// [`ANNEES_MAX`] years. Réservataires with a zero share never consume and are not listed.
pub fn etaler(flux: &FluxAnnuels, parties: &[PartEtalement], arrondi: Arrondi) -> Etalement {
    let n = parties.len();
    let f1 = flux.flux(1);
    let mut comptes: Vec<Compte> = parties
        .iter()
        .map(|p| Compte {
            par_an_1: p.part * f1,
            part: p.part,
            restant: p.volume.unwrap_or(f64::INFINITY),
            q: 0.0,
            a: 0.0,
            epuisement: None,
            consomme: p.volume.is_some(),
        })
        .collect();
    // Parties that may still take part in a year, in party order: all but those without a share
    // (a NaN share stays, as it always did), less the ones used up as the years go (a region's
    // conventions run 40 years or so, most of their parties far fewer).
    let mut vivants: Vec<usize> =
        (0..n).filter(|&i| comptes[i].part > 0.0 || comptes[i].part.is_nan()).collect();
    let mut res = Etalement {
        premiere_annee: flux.annee(1),
        totaux: vec![0.0; n + 1],
        // One room for every year the table may have: 800 bytes, against a growth at each year.
        flux: Vec::with_capacity(ANNEES_MAX.into()),
        logements_annee: Vec::with_capacity(ANNEES_MAX.into()),
        ..Default::default()
    };
    // (party, calendar year) of each named year, in year order: each party's list is made once
    // at the end at its size (a region has tens of thousands of small parties).
    let mut nommees: Vec<(usize, i32)> = Vec::new();
    let (mut cumul_flux, mut t_avant) = (0.0, 0.0);
    for k in 1..=ANNEES_MAX {
        let annee = flux.annee(k);
        let fk = flux.flux(k);
        cumul_flux += fk;
        let t = arrondi_demi(cumul_flux);
        let budget = t - t_avant;
        t_avant = t;
        // This year's lines: the parties that take part, in party order, then the bailleur. Each
        // line is written once, with its whole logements as far as the party's own account gives
        // them; the bailleur's, and the deferrals when it has no room, are settled below.
        let debut = res.lignes.len();
        // `report`: the year's whole logements not handed out yet, in party order.
        let mut reste = budget;
        for &i in &vivants {
            let c = &mut comptes[i];
            let par_an = c.part * fk;
            let e = if !c.consomme {
                par_an
            } else if c.restant <= TOLERANCE {
                0.0
            } else if c.restant - par_an <= TOLERANCE {
                // Used up this year: the fraction of the year it took, for `annees_epuisement`.
                if par_an > 0.0 {
                    c.epuisement = Some(f64::from(k - 1) + c.restant / par_an);
                }
                c.restant
            } else {
                par_an
            };
            if e > 0.0 || c.doit(arrondi) {
                if c.consomme {
                    c.restant = if c.restant - e <= TOLERANCE { 0.0 } else { c.restant - e };
                }
                c.q += e;
                let offerts = match arrondi {
                    Arrondi::Cumul => c.du_cumul().max(0.0),
                    Arrondi::Report => {
                        let x = c.du_report().min(reste).max(0.0);
                        reste -= x;
                        x
                    }
                    Arrondi::Aucun => e,
                    // Below, from every exact amount of the year.
                    Arrondi::PlusFortsRestes => 0.0,
                };
                res.lignes.push(LigneEtalement {
                    annee,
                    partie: i as u32,
                    offerts,
                    exact: e,
                    differes: 0,
                    volume_restant: c.consomme.then_some(c.restant),
                });
            }
        }
        let lignes = &mut res.lignes[debut..];
        let exact_bailleur = (fk - lignes.iter().map(|l| l.exact).sum::<f64>()).max(0.0);
        let offerts_bailleur = match arrondi {
            Arrondi::Aucun => exact_bailleur,
            Arrondi::Report => reste,
            Arrondi::PlusFortsRestes => {
                let exacts: Vec<f64> = lignes.iter().map(|l| l.exact).chain([exact_bailleur]).collect();
                let entiers = plus_forts_restes(&exacts, budget);
                lignes.iter_mut().zip(&entiers).for_each(|(l, &x)| l.offerts = x);
                entiers[lignes.len()]
            }
            Arrondi::Cumul => {
                let mut bailleur = budget - lignes.iter().map(|l| l.offerts).sum::<f64>();
                // The bailleur has no room: the parties furthest ahead of their entitlement
                // (largest A_r(k) − Q_r(k), then larger share, then party order) each defer one
                // logement, which stays owed and comes back by the same formula.
                while bailleur < 0.0 {
                    let avance = |j: usize| {
                        let (c, w) = (&comptes[lignes[j].partie as usize], lignes[j].offerts);
                        (((c.a + w - c.q) / TOLERANCE).round() as i64, c.part)
                    };
                    let Some(j) = (0..lignes.len()).filter(|&j| lignes[j].offerts >= 1.0).max_by(|&x, &y| {
                        let ((ax, px), (ay, py)) = (avance(x), avance(y));
                        ax.cmp(&ay).then(px.total_cmp(&py)).then(y.cmp(&x))
                    }) else {
                        break;
                    };
                    lignes[j].offerts -= 1.0;
                    lignes[j].differes += 1;
                    bailleur += 1.0;
                }
                bailleur.max(0.0)
            }
        };
        res.lignes.push(LigneEtalement {
            annee,
            partie: n as u32,
            offerts: offerts_bailleur,
            exact: exact_bailleur,
            differes: 0,
            volume_restant: None,
        });
        res.flux.push(fk);
        res.logements_annee.push(if arrondi == Arrondi::Aucun { fk } else { budget });
        // The year's whole logements, now settled, go to the accounts.
        for l in &res.lignes[debut..] {
            let i = l.partie as usize;
            if i < n {
                comptes[i].a += l.offerts;
                if l.offerts >= 1.0 - TOLERANCE && comptes[i].par_an_1 < 1.0 {
                    nommees.push((i, annee));
                }
            }
            res.totaux[i] += l.offerts;
        }
        res.annees = k;
        vivants.retain(|&i| !comptes[i].epuise(arrondi));
        let continuer = vivants.iter().any(|&i| {
            let c = &comptes[i];
            c.part > 0.0
                && ((c.consomme && c.restant > TOLERANCE)
                    || match arrondi {
                        Arrondi::Cumul => c.du_cumul() >= 1.0,
                        Arrondi::Report => c.consomme && c.du_report() >= 1.0,
                        _ => false,
                    })
        });
        if !continuer {
            break;
        }
    }
    let mut nombre = vec![0; n + 1];
    for &(i, _) in &nommees {
        nombre[i] += 1;
    }
    res.annees_nommees = nombre.into_iter().map(Vec::with_capacity).collect();
    for (i, annee) in nommees {
        res.annees_nommees[i].push(annee);
    }
    // The table grew year by year (its length is known only now): a region holds hundreds of
    // thousands of lines, whose spare room would otherwise stay allocated with the results.
    res.lignes.shrink_to_fit();
    // Volumes not used up within the table: the rest at the last year's pace.
    let fk = res.flux.last().copied().unwrap_or(0.0);
    res.annees_epuisement = comptes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (c.consomme && parties[i].volume.is_some_and(|v| v > 0.0) && c.part > 0.0)
                .then(|| {
                    c.epuisement.or_else(|| {
                        (c.part * fk > 0.0)
                            .then(|| f64::from(res.annees) + c.restant / (c.part * fk))
                    })
                })
                .flatten()
        })
        .chain([None])
        .collect();
    if arrondi == Arrondi::Aucun {
        // Named years are decided at conversion whatever the rounding (SPEC §4.9 v2): without
        // rounding, they are those of the default rule, `cumul`.
        res.annees_nommees = etaler(flux, parties, Arrondi::Cumul).annees_nommees;
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// `plancher` is `f64::floor`, bit for bit: any f64 (NaN, infinities, −0.0, huge), and
        /// the amounts of an étalement with the tolerance added.
        #[test]
        fn plancher_is_floor(x in proptest::num::f64::ANY, q in 0.0f64..1e7) {
            for x in [x, q, q + TOLERANCE, q + 0.5 + TOLERANCE, -q, q.floor(), (1u64 << 52) as f64 - 0.5, -0.0] {
                proptest::prop_assert_eq!(plancher(x).to_bits(), x.floor().to_bits(), "{}", x);
            }
        }
    }

    fn constant(f: f64) -> FluxAnnuels {
        FluxAnnuels::new(2026, f, 0.063, 0.0, &[])
    }

    fn offerts(e: &Etalement, partie: u32) -> Vec<(i32, f64)> {
        e.lignes
            .iter()
            .filter(|l| l.partie == partie && l.offerts > 0.0)
            .map(|l| (l.annee, l.offerts))
            .collect()
    }

    fn etat(part: f64) -> PartEtalement {
        PartEtalement { part, volume: None }
    }

    fn reservataire(part: f64, volume: f64) -> PartEtalement {
        PartEtalement { part, volume: Some(volume) }
    }

    /// Issue worked example 5.
    #[test]
    fn largest_remainder_example() {
        let r = plus_forts_restes(&[187.5, 37.5, 9.75, 20.10, 495.15], 750.0);
        assert_eq!(r, vec![188.0, 37.0, 10.0, 20.0, 495.0]);
    }

    /// The case: F = 100, 3 droits de suite × 12 years at 6,3 % → V = 2.268, 0.2 logement
    /// a year. Under the v1 largest remainder it never wins a logement; under `cumul` it gets
    /// ⌊V + 0.5⌋ = 2, in named years.
    #[test]
    fn small_reservataire_is_not_drowned_under_cumul() {
        let v = 3.0 * 12.0 * 0.063;
        let parties = [etat(0.25), etat(0.05), reservataire(0.002, v)];
        let pfr = etaler(&constant(100.0), &parties, Arrondi::PlusFortsRestes);
        assert_eq!(pfr.totaux[2], 0.0, "v1: noyé dans le flux");
        let c = etaler(&constant(100.0), &parties, Arrondi::Cumul);
        assert_eq!(c.totaux[2], 2.0);
        // 0.2 a year: the cumulated entitlement crosses 0.5 in year 3 and 1.5 in year 8.
        assert_eq!(offerts(&c, 2), vec![(2028, 1.0), (2033, 1.0)]);
        assert_eq!(c.annees_nommees[2], vec![2028, 2033]);
        assert_eq!(pfr.annees_nommees[2], Vec::<i32>::new());
    }

    /// Issue worked example 4 (v1 `report`): 0.15 logement a year, volume 3 → years 7, 14, 20.
    #[test]
    fn report_names_years_for_small_reservataires() {
        let parties = [etat(0.3), reservataire(0.0015, 3.0)];
        let e = etaler(&constant(100.0), &parties, Arrondi::Report);
        assert_eq!(offerts(&e, 1), vec![(2032, 1.0), (2039, 1.0), (2045, 1.0)]);
        assert_eq!(e.annees_nommees[1], vec![2032, 2039, 2045]);
        assert_eq!(e.annees, 20);
        assert_eq!(e.premiere_annee, 2026);
        for a in e.grille(3) {
            assert_eq!(a.offerts.iter().sum::<f64>(), 100.0);
        }
        let c = etaler(&constant(100.0), &parties, Arrondi::Cumul);
        assert_eq!(offerts(&c, 1), vec![(2029, 1.0), (2035, 1.0), (2042, 1.0)]);
    }

    #[test]
    fn reservataire_leaves_and_part_returns_to_bailleur() {
        let parties = [etat(0.3), reservataire(0.1, 25.0)];
        for arrondi in [Arrondi::PlusFortsRestes, Arrondi::Cumul] {
            let e = etaler(&constant(100.0), &parties, arrondi);
            assert_eq!(offerts(&e, 1), vec![(2026, 10.0), (2027, 10.0), (2028, 5.0)]);
            assert_eq!(e.annees, 3);
            let bailleur: Vec<f64> = e.lignes.iter().filter(|l| l.partie == 2).map(|l| l.offerts).collect();
            assert_eq!(bailleur, vec![60.0, 60.0, 65.0]);
            assert_eq!(e.annees_epuisement[1], Some(2.5));
            let fin = e.lignes.iter().find(|l| l.annee == 2028 && l.partie == 1).unwrap();
            assert_eq!(fin.volume_restant, Some(0.0));
        }
    }

    /// With a fractional flux the yearly totals follow T(k) − T(k−1), so that the cumulated
    /// whole logements never drift from the cumulated flux.
    #[test]
    fn yearly_totals_follow_the_rounded_cumulated_flux() {
        let parties = [etat(0.25), etat(0.05), reservataire(0.2, 40.0)];
        for arrondi in [Arrondi::Cumul, Arrondi::PlusFortsRestes, Arrondi::Report] {
            let e = etaler(&constant(10.5), &parties, arrondi);
            let totaux: Vec<f64> = e.grille(4).iter().map(|a| a.offerts.iter().sum()).collect();
            assert_eq!(&totaux[..4], &[11.0, 10.0, 11.0, 10.0], "{arrondi:?}");
            assert_eq!(totaux, e.logements_annee);
        }
    }

    /// No room for the bailleur (shares sum to 100 %): parties furthest ahead defer one logement.
    #[test]
    fn deferral_when_the_bailleur_has_no_room() {
        let parties = [etat(0.25), etat(0.05), reservataire(0.35, 10.0), reservataire(0.35, 10.0)];
        let e = etaler(&constant(3.0), &parties, Arrondi::Cumul);
        for a in e.grille(5) {
            assert!(a.offerts.iter().all(|&x| x >= 0.0));
            assert_eq!(a.offerts.iter().sum::<f64>(), a.total);
        }
        assert!(e.lignes.iter().any(|l| l.differes > 0), "some year defers");
        assert_eq!((e.totaux[2], e.totaux[3]), (10.0, 10.0));
    }

    #[test]
    fn report_keeps_yearly_sums_with_many_small_parties() {
        let parties = [reservataire(0.2, 5.0); 5];
        let e = etaler(&constant(1.0), &parties, Arrondi::Report);
        for a in e.grille(6) {
            assert_eq!(a.offerts.iter().sum::<f64>(), 1.0);
            assert!(a.offerts.iter().all(|&x| x >= 0.0));
        }
        assert_eq!(e.totaux[..5].iter().sum::<f64>(), 25.0);
    }

    /// New logements change F_k, and `annees_epuisement` is simulated with the F_k.
    #[test]
    fn exhaustion_is_simulated_with_the_yearly_flux() {
        let c = [super::super::parametres::Cohorte { annee: 2026, logements: 1000.0 }];
        let f = FluxAnnuels::new(2026, 100.0, 0.1, 0.0, &c);
        assert_eq!((f.flux(1), f.flux(2)), (100.0, 200.0));
        let e = etaler(&f, &[reservataire(0.1, 25.0)], Arrondi::Aucun);
        // 10 in 2026, then 20 a year: the last 15 take three quarters of 2027.
        assert!((e.annees_epuisement[0].unwrap() - 1.75).abs() < 1e-12);
        assert_eq!(e.flux, [100.0, 200.0]);
    }
}

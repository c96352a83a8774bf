//! Property tests of the invariants of SPEC §4, over random états des lieux and parameters:
//! shares of a perimeter sum to exactly 100 % and none is negative; no volume is negative; the
//! communal view's totals equal the detailed totals; rows read = kept + rejected; whole-logement
//! yearly targets sum to T(k) − T(k−1), the rounded cumulated flux (SPEC §4.9 v2). The v2 rounding
//! itself (`cumul`) is tested on random perimeters in `etalement_proprietes.rs`.

use chrono::{Duration, NaiveDate};
use gestion_flux::domain::model::{Motif, Segment, TypeDroit};
use gestion_flux::domain::parametres::{
    Arrondi, Cohorte, Depassement, MethodePart, ModeRotation, MisesEnService, ParPerimetre,
};
use gestion_flux::domain::{calculer, Categorie, Dataset, Logement, Parametres, Resultats};
use gestion_flux::import;
use proptest::prelude::*;

const COMMUNES: [&str; 6] = ["75112", "75113", "93048", "93066", "94028", "97411"];
const NOMS: [&str; 6] = [
    "",
    "Action Logement",
    "Ville A",
    "Préfecture",
    "RATP",
    "Ville B",
];
const BAILLEURS: [&str; 3] = ["", "Bailleur 1", "Bailleur 2"];

#[derive(Clone, Debug)]
struct L {
    bailleur: usize,
    commune: usize,
    nom: usize,
    categorie: Option<usize>,
    simple: bool,
    fin: Option<i64>,
    utilise: bool,
    motif: Option<usize>,
    taux: Option<f64>,
    typologie: u8,
    financement: u8,
    qpv: u8,
    surface: Option<f64>,
}

fn logement() -> impl Strategy<Value = L> {
    (
        (
            0..BAILLEURS.len(),
            0..COMMUNES.len(),
            0..NOMS.len(),
            proptest::option::weighted(0.8, 0..Categorie::N - 1),
        ),
        (
            any::<bool>(),
            proptest::option::weighted(0.8, -3000i64..25000),
            any::<bool>(),
        ),
        (
            proptest::option::weighted(0.15, 0..Motif::N),
            proptest::option::weighted(0.7, 0.0..0.3f64),
        ),
        (0u8..7, 0u8..6, 0u8..3, proptest::option::of(10.0..150.0f64)),
    )
        .prop_map(
            |(
                (bailleur, commune, nom, categorie),
                (simple, fin, utilise),
                (motif, taux),
                (typologie, financement, qpv, surface),
            )| L {
                bailleur,
                commune,
                nom,
                categorie,
                simple,
                fin,
                utilise,
                motif,
                taux,
                typologie,
                financement,
                qpv,
                surface,
            },
        )
}

fn conversion() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
}

fn dataset(ls: &[L]) -> Dataset {
    Dataset::depuis_logements(ls.iter().map(|l| Logement {
        rpls: "x",
        bailleur: BAILLEURS[l.bailleur],
        commune: COMMUNES[l.commune],
        typologie: l.typologie,
        financement: l.financement,
        qpv: l.qpv,
        surface: l.surface,
        hors_assiette: l.motif.map(|m| Motif::TOUS[m]),
        reservataire: NOMS[l.nom],
        categorie: l.categorie.map(|c| Categorie::TOUTES[c]),
        type_droit: if l.simple {
            TypeDroit::Simple
        } else {
            TypeDroit::Suite
        },
        date_fin: l.fin.map(|d| conversion() + Duration::days(d)),
        droit_utilise: l.utilise,
        taux_rotation: l.taux,
        ..Default::default()
    }))
}

fn parametres() -> impl Strategy<Value = Parametres> {
    (
        (0usize..4, 0.0..0.25f64, 0usize..6, 0.0..0.3f64),
        (any::<bool>(), 1.0..30.0f64, 0.0..=0.30f64, 0.0..=1.0f64),
        (
            0.0..5.0f64,
            0.0..5.0f64,
            any::<bool>(),
            proptest::collection::vec(0..NOMS.len(), 0..4),
        ),
        (
            0usize..4,
            proptest::collection::vec(any::<bool>(), Motif::N),
            any::<bool>(),
            0.0..40.0f64,
        ),
    )
        .prop_map(
            |(
                (mode, unique, segment, autre),
                (annualisation, horizon, etat, agents),
                (prel, mises, priorite, ordre),
                (arrondi, excl, plm, sans_terme),
            )| {
                let mut p = Parametres {
                    date_conversion: conversion(),
                    ..Default::default()
                };
                p.rotation.mode = [
                    ModeRotation::Unique,
                    ModeRotation::ParCategorie,
                    ModeRotation::ParSegment,
                    ModeRotation::Observe,
                ][mode];
                p.rotation.taux_unique = unique;
                p.rotation
                    .par_categorie
                    .insert(Categorie::ActionLogement, autre);
                p.rotation.par_segment.cle = [
                    Segment::Typologie,
                    Segment::Commune,
                    Segment::Qpv,
                    Segment::Financement,
                    Segment::Surface,
                    Segment::Loyer,
                ][segment];
                p.rotation.par_segment.taux = [
                    ("T3".into(), autre),
                    ("93048".into(), autre),
                    ("qpv".into(), autre),
                    ("PLUS".into(), autre),
                    ("50_70".into(), autre),
                ]
                .into();
                p.methode_part = if annualisation {
                    MethodePart::Annualisation
                } else {
                    MethodePart::PartDuParc
                };
                p.horizon_ans = horizon;
                p.etat.part_totale = etat;
                p.etat.part_agents = (agents * 0.05).min(etat);
                p.prelevements_annuels = ParPerimetre::Uniforme(prel);
                // New logements: one cohort in 2024 (already in F_1) and one in 2026 (from F_3).
                p.mises_en_service = MisesEnService::Liste(vec![
                    Cohorte { annee: 2024, logements: (mises * 3.0).floor() },
                    Cohorte { annee: 2026, logements: (mises * 7.0).floor() },
                ]);
                p.depassement = if priorite {
                    Depassement::Priorite
                } else {
                    Depassement::Proportionnel
                };
                p.priorite = ordre
                    .into_iter()
                    .map(|i| {
                        if i == 0 {
                            "commune".to_owned()
                        } else {
                            NOMS[i].to_owned()
                        }
                    })
                    .collect();
                p.arrondi = [Arrondi::Cumul, Arrondi::PlusFortsRestes, Arrondi::Report, Arrondi::Aucun][arrondi];
                p.exclusions = Motif::TOUS.into_iter().zip(excl).collect();
                p.regroupement_plm = plm;
                p.duree_sans_terme_ans = sans_terme;
                p
            },
        )
}

fn egal(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn verifier_parts(r: &Resultats) -> Result<(), TestCaseError> {
    for per in &r.perimetres {
        let somme: f64 = per.parts.iter().map(|p| p.part).sum();
        prop_assert!(
            egal(somme, 1.0),
            "Σ parts = {somme} ({} / {})",
            per.bailleur,
            per.departement
        );
        prop_assert!(per.flux_annuel >= 0.0);
        for p in &per.parts {
            prop_assert!(
                p.part >= 0.0 && p.volume_droits >= 0.0 && p.logements_par_an >= 0.0,
                "{p:?}"
            );
            prop_assert!(p.annees_epuisement.is_none_or(|a| a >= 0.0));
        }
        for l in &per.etalement.lignes {
            prop_assert!(
                l.offerts >= 0.0 && l.exact >= 0.0 && l.volume_restant.is_none_or(|v| v >= 0.0),
                "{l:?}"
            );
        }
    }
    Ok(())
}

fn verifier_vue_communale(r: &Resultats) -> Result<(), TestCaseError> {
    let t = &r.communes.total;
    let somme = |f: &dyn Fn(&gestion_flux::domain::ResultatPerimetre) -> f64| {
        r.perimetres.iter().map(f).sum::<f64>()
    };
    prop_assert_eq!(t.logements as f64, somme(&|p| p.logements as f64));
    prop_assert_eq!(t.assiette as f64, somme(&|p| p.assiette as f64));
    for m in 0..Motif::N {
        prop_assert_eq!(
            t.hors_assiette[m] as f64,
            somme(&|p| p.hors_assiette[m] as f64)
        );
    }
    prop_assert!(
        egal(t.flux, somme(&|p| p.flux_annuel)),
        "flux {} ≠ {}",
        t.flux,
        somme(&|p| p.flux_annuel)
    );
    prop_assert!(egal(t.liberations, somme(&|p| p.liberations)));
    for c in Categorie::TOUTES {
        let parts = |f: &dyn Fn(&gestion_flux::domain::ResultatPartie) -> f64| {
            somme(&|p| p.parts.iter().filter(|x| x.categorie == c).map(f).sum())
        };
        prop_assert!(
            egal(t.attendus[c as usize], parts(&|x| x.logements_par_an)),
            "attendus {c:?}"
        );
        if c != Categorie::Bailleur {
            prop_assert_eq!(
                t.reserves[c as usize] as f64,
                parts(&|x| x.logements_reserves as f64),
                "réservés {:?}",
                c
            );
            prop_assert!(
                egal(t.volume[c as usize], parts(&|x| x.volume_droits)),
                "volume {c:?}"
            );
        }
    }
    let communes: u32 = r
        .communes
        .communes
        .iter()
        .map(|c| c.agregat.logements)
        .sum();
    let departements: u32 = r
        .communes
        .departements
        .iter()
        .map(|c| c.agregat.logements)
        .sum();
    prop_assert_eq!(communes, t.logements);
    prop_assert_eq!(departements, t.logements);
    Ok(())
}

fn verifier_arrondis(r: &Resultats, arrondi: Arrondi) -> Result<(), TestCaseError> {
    for per in &r.perimetres {
        let e = &per.etalement;
        prop_assert_eq!(e.premiere_annee, 2025);
        let mut cumul = 0.0;
        for (k, a) in e.grille(per.parts.len()).iter().enumerate() {
            let f = e.flux[k];
            prop_assert_eq!(a.annee, 2025 + k as i32);
            let avant = (cumul + 0.5 + 1e-9f64).floor();
            cumul += f;
            let t = (cumul + 0.5 + 1e-9f64).floor();
            let entiers: f64 = a.offerts.iter().sum();
            let exacts: f64 = e.lignes.iter().filter(|l| l.annee == a.annee).map(|l| l.exact).sum();
            // SPEC §4 invariant: whole-logement yearly targets sum to T(k) − T(k−1), every year.
            match arrondi {
                Arrondi::Aucun => prop_assert!(egal(entiers, f)),
                _ => {
                    prop_assert_eq!(entiers, t - avant, "année {}", a.annee);
                    prop_assert!(a.offerts.iter().all(|x| x.fract() == 0.0 && *x >= 0.0));
                }
            }
            prop_assert!(egal(exacts, f), "Σ exacts {exacts} ≠ F {f}");
        }
        prop_assert_eq!(per.flux_annuel, e.flux[0]);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn parts_a_100_pour_cent_et_rien_de_negatif(ls in proptest::collection::vec(logement(), 0..120), p in parametres()) {
        verifier_parts(&calculer(&dataset(&ls), &p))?;
    }

    #[test]
    fn totaux_communaux_egaux_aux_totaux_detailles(ls in proptest::collection::vec(logement(), 0..120), p in parametres()) {
        let r = calculer(&dataset(&ls), &p);
        verifier_vue_communale(&r)?;
        prop_assert_eq!(r.communes.total.logements as usize, ls.len());
    }

    #[test]
    fn logements_entiers_sommant_au_flux_arrondi(ls in proptest::collection::vec(logement(), 0..120), p in parametres()) {
        verifier_arrondis(&calculer(&dataset(&ls), &p), p.arrondi)?;
    }

    #[test]
    fn moteur_compact_egal_a_une_lecture_naive(ls in proptest::collection::vec(logement(), 0..120), p in parametres()) {
        verifier_reference(&ls, &p, &calculer(&dataset(&ls), &p))?;
    }

    #[test]
    fn lignes_lues_egal_retenues_plus_rejetees(lignes in proptest::collection::vec(ligne_csv(), 0..60), sep in prop::sample::select(vec![';', ',', '\t'])) {
        let mut texte = ["rpls", "commune", "categorie", "hors_assiette", "date_fin", "taux_rotation", "typologie"].join(&sep.to_string());
        texte.push('\n');
        for l in &lignes {
            texte.push_str(&l.iter().map(|c| c.replace(sep, " ")).collect::<Vec<_>>().join(&sep.to_string()));
            texte.push('\n');
        }
        let imp = import::lire_csv(texte.as_bytes()).unwrap();
        prop_assert_eq!(imp.lignes_lues, imp.lignes_retenues + imp.rejets.len());
        prop_assert_eq!(imp.lignes_retenues, imp.dataset.len());
        // A row of blank cells only is layout, skipped and not counted (docs/import.md).
        let non_vides = lignes.iter().filter(|l| l.iter().any(|c| !c.trim().is_empty())).count();
        prop_assert_eq!(imp.lignes_lues, non_vides);
        prop_assert!(imp.rejets.iter().all(|r| r.ligne >= 2 && !r.motif.is_empty()));
    }
}

/// Reference: SPEC §4.1–4.5 read literally, logement by logement, without the compact form
/// (interning, pre-aggregated counts, blocks, sink partie) — for `unique` and `observe` rotation.
fn verifier_reference(ls: &[L], p: &Parametres, r: &Resultats) -> Result<(), TestCaseError> {
    use std::collections::BTreeMap;
    if !matches!(
        p.rotation.mode,
        ModeRotation::Unique | ModeRotation::Observe
    ) {
        return Ok(());
    }
    // (bailleur, département) → (logements, assiette, Σ τ, {(nom, catégorie) → (L, V)})
    type Reference = (u32, u32, f64, BTreeMap<(String, Categorie), (u32, f64)>);
    let mut perimetres: BTreeMap<(String, String), Reference> = BTreeMap::new();
    for l in ls {
        let bailleur = if BAILLEURS[l.bailleur].is_empty() {
            "Bailleur"
        } else {
            BAILLEURS[l.bailleur]
        };
        let commune = COMMUNES[l.commune];
        let dep = if commune.starts_with("97") {
            &commune[..3]
        } else {
            &commune[..2]
        };
        let e = perimetres
            .entry((bailleur.to_owned(), dep.to_owned()))
            .or_default();
        e.0 += 1;
        if l.motif.is_some_and(|m| p.exclut(Motif::TOUS[m])) {
            continue;
        }
        e.1 += 1;
        let tau = match p.rotation.mode {
            ModeRotation::Observe => l.taux.unwrap_or(p.rotation.taux_unique),
            _ => p.rotation.taux_unique,
        };
        e.2 += tau;
        let nom = NOMS[l.nom];
        let categorie = match l.categorie.map(|c| Categorie::TOUTES[c]) {
            None if nom.is_empty() => continue,
            None => Categorie::Autre,
            Some(Categorie::NonReserve | Categorie::Bailleur) => continue,
            Some(c) => c,
        };
        let nom = if nom.is_empty() {
            gestion_flux::domain::dataset::nom_par_defaut(categorie, commune)
        } else {
            nom.to_owned()
        };
        let v = if l.simple {
            if l.utilise || l.fin.is_some_and(|d| d < 0) {
                0.0
            } else {
                1.0
            }
        } else {
            tau * l
                .fin
                .map_or(p.duree_sans_terme_ans, |d| (d as f64 / 365.25).max(0.0))
        };
        let x = e.3.entry((nom, categorie)).or_default();
        if v > 0.0 {
            x.0 += 1;
            x.1 += v;
        }
    }
    prop_assert_eq!(perimetres.len(), r.perimetres.len());
    for per in &r.perimetres {
        let (n, assiette, taux, parts) =
            &perimetres[&(per.bailleur.clone(), per.departement.clone())];
        prop_assert_eq!((*n, *assiette), (per.logements, per.assiette));
        // F_1 = Σ τ + τ̄ × (new logements let before 2025) − prélèvements (SPEC §4.5 v2).
        let moyen = if *assiette > 0 { taux / *assiette as f64 } else { p.rotation.taux_unique };
        let avant: f64 = p.mises_en_service.cohortes("", "").iter().filter(|c| c.annee < 2025).map(|c| c.logements).sum();
        let f = (taux + moyen * avant - p.prelevements_annuels.valeur("", "")).max(0.0);
        prop_assert!(egal(per.flux_annuel, f), "F {} ≠ {}", per.flux_annuel, f);
        for x in per
            .parts
            .iter()
            .filter(|x| !x.categorie.est_etat() && x.categorie != Categorie::Bailleur)
        {
            let (l, v) = parts
                .get(&(x.reservataire.clone(), x.categorie))
                .copied()
                .unwrap_or_default();
            prop_assert_eq!(l, x.logements_reserves, "{}", x.reservataire);
            prop_assert!(
                egal(v, x.volume_droits),
                "{} V {} ≠ {}",
                x.reservataire,
                x.volume_droits,
                v
            );
        }
        for c in [Categorie::EtatPrioritaires, Categorie::EtatAgents] {
            let (l, v) = parts
                .iter()
                .filter(|(k, _)| k.1 == c)
                .fold((0, 0.0), |a, (_, x)| (a.0 + x.0, a.1 + x.1));
            let x = per.parts.iter().find(|x| x.categorie == c).unwrap();
            prop_assert_eq!(l, x.logements_reserves);
            prop_assert!(egal(v, x.volume_droits));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Any bytes after a valid header: never a panic, and the counts still reconcile.
    #[test]
    fn octets_quelconques_sans_panique(corps in proptest::collection::vec(any::<u8>(), 0..400), sep in prop::sample::select(vec![b';', b',', b'\t'])) {
        let mut octets = format!("rpls{0}commune{0}categorie{0}date_fin{0}taux_rotation\n", sep as char).into_bytes();
        octets.extend(corps);
        if let Ok(imp) = import::lire_csv(&octets) {
            prop_assert_eq!(imp.lignes_lues, imp.lignes_retenues + imp.rejets.len());
            let r = calculer(&imp.dataset, &Parametres { date_conversion: conversion(), ..Default::default() });
            verifier_parts(&r)?;
        }
    }
}

/// A CSV row with valid or broken cells (and sometimes a wrong number of cells).
fn ligne_csv() -> impl Strategy<Value = Vec<String>> {
    let cellule = |valides: Vec<&'static str>| prop::sample::select(valides).prop_map(String::from);
    (
        cellule(vec!["R1", "R2", "", "R3"]),
        cellule(vec!["93048", "75112", "1053", "ABC", "", "2A004"]),
        cellule(vec!["", "3", "commune", "martien", "etat_agents"]),
        cellule(vec!["", "vente", "plage", "LHI"]),
        cellule(vec!["", "31/12/2040", "2040", "2040-02-30", "demain"]),
        cellule(vec!["", "0,05", "6,3 %", "abc", "150 %"]),
        cellule(vec!["", "T3", "5", "grand"]),
        0usize..10,
    )
        .prop_map(|(a, b, c, d, e, f, g, coupe)| {
            let mut v = vec![a, b, c, d, e, f, g];
            if coupe < 2 {
                v.truncate(3 + coupe);
            }
            v
        })
}

//! The five worked examples of the engine issue, on whole datasets through `calculer`.

use chrono::{Duration, NaiveDate};
use gestion_flux::domain::model::Segment;
use gestion_flux::domain::model::TypeDroit;
use gestion_flux::domain::parametres::{Arrondi, MethodePart, ModeRotation, TauxParSegment};
use gestion_flux::domain::{
    calculer, Categorie, Dataset, Logement, Parametres, ResultatPartie, Resultats,
};

fn conversion() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
}

/// `n` logements, reserved by `nom` with `annees` years left (None = no end). Dates are whole days,
/// so durations are exact to half a day (relative tolerance 5e-4 on volumes).
fn bloc<'a>(
    n: usize,
    nom: &'a str,
    categorie: Option<Categorie>,
    annees: Option<f64>,
) -> Vec<Logement<'a>> {
    let fin = annees.map(|a| conversion() + Duration::days((a * 365.25).round() as i64));
    (0..n)
        .map(|_| Logement {
            rpls: "x",
            bailleur: "Bailleur A",
            commune: "93048",
            reservataire: nom,
            categorie,
            date_fin: fin,
            ..Default::default()
        })
        .collect()
}

fn parametres(taux: f64) -> Parametres {
    let mut p = Parametres {
        date_conversion: conversion(),
        ..Default::default()
    };
    p.rotation.taux_unique = taux;
    p
}

fn partie<'a>(r: &'a Resultats, nom: &str) -> &'a ResultatPartie {
    r.perimetres[0]
        .parts
        .iter()
        .find(|p| p.reservataire == nom)
        .unwrap_or_else(|| panic!("{nom} absent"))
}

fn proche(a: f64, b: f64, tolerance_relative: f64) -> bool {
    (a - b).abs() <= tolerance_relative * b.abs().max(1.0)
}

#[test]
fn exemple_1_un_departement_quatre_reservataires() {
    let mut l = bloc(
        2500,
        "Action Logement",
        Some(Categorie::ActionLogement),
        Some(25.0),
    );
    l.extend(bloc(
        1200,
        "Ville de Montreuil",
        Some(Categorie::Commune),
        Some(15.0),
    ));
    l.extend(bloc(
        300,
        "Ministère de la Justice",
        Some(Categorie::Ministere),
        Some(5.0),
    ));
    l.extend(bloc(
        2000,
        "Préfecture",
        Some(Categorie::EtatPrioritaires),
        None,
    ));
    l.extend(bloc(4000, "", None, None));
    let r = calculer(&Dataset::depuis_logements(l), &parametres(0.08));
    let per = &r.perimetres[0];
    assert_eq!((per.assiette, per.departement.as_str()), (10_000, "93"));
    assert!(proche(per.flux_annuel, 800.0, 1e-12));
    let attendu = [
        ("Action Logement", 0.25, 5000.0, Some(25.0)),
        ("Ville de Montreuil", 0.12, 1440.0, Some(15.0)),
        ("Ministère de la Justice", 0.03, 120.0, Some(5.0)),
        ("Etat - prioritaires", 0.25, 2000.0 * 0.08 * 20.0, None),
        ("Etat - agents", 0.05, 0.0, None),
        ("Bailleur A", 0.30, 0.0, None),
    ];
    for (nom, part, volume, annees) in attendu {
        let p = partie(&r, nom);
        assert!(proche(p.part, part, 1e-9), "{nom} part {}", p.part);
        assert!(
            proche(p.volume_droits, volume, 5e-4),
            "{nom} volume {}",
            p.volume_droits
        );
        assert_eq!(p.annees_epuisement.is_some(), annees.is_some(), "{nom}");
        if let (Some(a), Some(e)) = (p.annees_epuisement, annees) {
            assert!(proche(a, e, 5e-4), "{nom} années {a}");
        }
    }
    assert_eq!(
        per.parts
            .iter()
            .map(|p| p.categorie.code())
            .collect::<Vec<_>>(),
        [
            "etat_prioritaires",
            "etat_agents",
            "action_logement",
            "ministere",
            "commune",
            "bailleur"
        ]
    );
    assert_eq!(partie(&r, "Etat - prioritaires").logements_reserves, 2000);
}

fn exemple_2(p: &Parametres, observe: bool) -> Resultats {
    let mut l = Vec::new();
    for (n, taux, financement, reserve) in [
        (1000, 0.04, 1, true),
        (3000, 0.04, 1, false),
        (6000, 0.10, 2, false),
    ] {
        for mut x in bloc(
            n,
            if reserve { "X" } else { "" },
            reserve.then_some(Categorie::Employeur),
            Some(10.0),
        ) {
            x.financement = financement;
            x.taux_rotation = observe.then_some(taux);
            l.push(x);
        }
    }
    calculer(&Dataset::depuis_logements(l), p)
}

#[test]
fn exemple_2_segments_part_du_parc_et_annualisation() {
    let mut p = parametres(0.063);
    p.rotation.mode = ModeRotation::ParSegment;
    p.rotation.par_segment = TauxParSegment {
        cle: Segment::Financement,
        taux: [("PLAI".into(), 0.04), ("PLUS".into(), 0.10)].into(),
    };
    for (p, observe) in [
        (p.clone(), false),
        (
            Parametres {
                rotation: {
                    let mut r = p.rotation.clone();
                    r.mode = ModeRotation::Observe;
                    r
                },
                ..p.clone()
            },
            true,
        ),
    ] {
        let r = exemple_2(&p, observe);
        assert!(
            proche(r.perimetres[0].flux_annuel, 760.0, 1e-6),
            "{}",
            r.perimetres[0].flux_annuel
        );
        let x = partie(&r, "X");
        assert!(proche(x.part, 0.10, 1e-12));
        assert!(proche(x.logements_par_an, 76.0, 1e-6));
        assert!(proche(x.volume_droits, 400.0, 5e-4));
        assert!((x.annees_epuisement.unwrap() - 5.26).abs() < 0.01);
    }
    p.methode_part = MethodePart::Annualisation;
    let r = exemple_2(&p, false);
    let x = partie(&r, "X");
    assert!(
        proche(x.logements_par_an, 40.0, 5e-4),
        "{}",
        x.logements_par_an
    );
    assert!((x.part - 0.05263).abs() < 1e-4);
    assert!(proche(x.annees_epuisement.unwrap(), 10.0, 1e-9));
}

#[test]
fn exemple_3_depassement_proportionnel() {
    let mut l = bloc(
        500,
        "Action Logement",
        Some(Categorie::ActionLogement),
        Some(10.0),
    );
    l.extend(bloc(300, "Ville", Some(Categorie::Commune), Some(10.0)));
    l.extend(bloc(200, "", None, None));
    let r = calculer(&Dataset::depuis_logements(l), &parametres(0.063));
    let non_etat: f64 = r.perimetres[0]
        .parts
        .iter()
        .filter(|p| !p.categorie.est_etat() && p.categorie != Categorie::Bailleur)
        .map(|p| p.part)
        .sum();
    assert!(proche(non_etat, 0.70, 1e-12));
    assert!(proche(partie(&r, "Action Logement").part, 0.4375, 1e-12));
    assert_eq!(partie(&r, "Bailleur A").part, 0.0);
    assert!(r
        .alertes
        .iter()
        .any(|a| a.code == "depassement" && a.perimetre == Some(0)));
}

#[test]
fn exemple_4_report_annees_nommees() {
    let mut l = bloc(
        3,
        "Petit réservataire",
        Some(Categorie::Employeur),
        Some(20.0),
    );
    l.extend(bloc(1997, "", None, None));
    let mut p = parametres(0.05);
    p.arrondi = Arrondi::Report;
    let r = calculer(&Dataset::depuis_logements(l), &p);
    let per = &r.perimetres[0];
    let x = partie(&r, "Petit réservataire");
    assert!(proche(x.logements_par_an, 0.15, 1e-12) && proche(x.volume_droits, 3.0, 1e-12));
    let indice = per
        .parts
        .iter()
        .position(|p| p.reservataire == "Petit réservataire")
        .unwrap() as u32;
    let lignes: Vec<_> = per
        .etalement
        .lignes
        .iter()
        .filter(|l| l.partie == indice)
        .collect();
    let annees: Vec<u16> = lignes
        .iter()
        .filter(|l| l.offerts > 0.0)
        .map(|l| l.annee)
        .collect();
    assert_eq!(annees, vec![7, 14, 20]);
    assert_eq!(
        lignes.last().unwrap().annee,
        20,
        "quitte la table après l'année 20"
    );
    assert_eq!(lignes.last().unwrap().volume_restant, Some(0.0));
}

#[test]
fn exemple_5_plus_forts_restes() {
    let mut l = bloc(65, "A", Some(Categorie::Autre), Some(10.0));
    l.extend(bloc(134, "B", Some(Categorie::Autre), Some(10.0)));
    l.extend(bloc(3301, "C", Some(Categorie::Autre), Some(10.0)));
    l.extend(bloc(1500, "", None, None));
    for x in l.iter_mut().take(10) {
        x.type_droit = TypeDroit::Suite;
    }
    let r = calculer(&Dataset::depuis_logements(l), &parametres(0.15));
    let per = &r.perimetres[0];
    assert!(proche(per.flux_annuel, 750.0, 1e-12));
    let annee1: Vec<(String, f64, f64)> = per
        .etalement
        .lignes
        .iter()
        .filter(|l| l.annee == 1)
        .map(|l| {
            (
                per.parts[l.partie as usize].reservataire.clone(),
                l.exact,
                l.offerts,
            )
        })
        .collect();
    let exacts: Vec<f64> = annee1
        .iter()
        .map(|x| (x.1 * 100.0).round() / 100.0)
        .collect();
    assert_eq!(exacts[..5], [187.5, 37.5, 9.75, 20.10, 495.15]);
    let entiers: Vec<f64> = annee1.iter().map(|x| x.2).collect();
    assert_eq!(entiers[..5], [188.0, 37.0, 10.0, 20.0, 495.0]);
    assert_eq!(entiers.iter().sum::<f64>(), 750.0);
}

//! The orientation aid's files (SPEC §8): `orientations.csv` (every party of each vacancy's
//! convention, ranked, with its reason), `attentes.csv` (orientations awaiting a designation,
//! overdue first), and the same tables for an XLSX download.
//!
//! Dates are written JJ/MM/AAAA (as the generated mouvements; the readers take them back), the lag
//! with a decimal comma, `eligible` as `oui`/`non`; names go through [`CsvFr::texte`] (escaped
//! against formulas).

use chrono::NaiveDate;

use super::classeur::Feuille;
use super::csv_fr::CsvFr;
use super::Cellule;
use crate::domain::orientation::{Aide, Attente, Proposition};
use crate::domain::Resultats;

/// Columns of `orientations.csv`.
pub const ENTETES_ORIENTATIONS: [&str; 8] = ["rpls", "date", "rang", "partie", "categorie", "eligible", "retard", "raison"];

/// Columns of `attentes.csv`.
pub const ENTETES_ATTENTES: [&str; 6] = ["rpls", "partie", "categorie", "date_orientation", "echeance", "jours_restants"];

/// Columns of the « Propositions » sheet: the party proposed first for each vacancy.
pub const ENTETES_PROPOSITIONS: [&str; 8] = ["rpls", "commune", "programme", "date", "partie", "categorie", "retard", "raison"];

/// Decimals of the lag.
const DECIMALES: usize = 2;

/// A date as the files write it.
pub fn date_fr(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn oui_non(b: bool) -> &'static str {
    if b {
        "oui"
    } else {
        "non"
    }
}

/// Name and category code of party `p` of the vacancy's convention.
fn partie<'r>(r: &'r Resultats, a: &Aide, p: &Proposition) -> (&'r str, &'static str) {
    let x = &r.perimetres[a.perimetre].parts[p.partie];
    (&x.reservataire, x.categorie.code())
}

/// `orientations.csv`: one row per vacancy × party of its convention, in the aid's order (rang 1 =
/// the proposal; eligible parties first).
pub fn orientations_csv(r: &Resultats, aides: &[Aide]) -> Vec<u8> {
    let mut c = CsvFr::new();
    c.entetes(ENTETES_ORIENTATIONS);
    for a in aides {
        let date = date_fr(a.date);
        for p in &a.propositions {
            let (nom, categorie) = partie(r, a, p);
            c.texte(&a.rpls).texte(&date).entier(p.rang).texte(nom).texte(categorie).texte(oui_non(p.eligible));
            c.nombre(p.retard, DECIMALES).texte(&p.raison).fin();
        }
    }
    c.octets()
}

/// Name and category code of the party an orientation awaits.
fn partie_attente<'r>(r: &'r Resultats, a: &Attente) -> (&'r str, &'static str) {
    let x = &r.perimetres[a.perimetre].parts[a.partie];
    (&x.reservataire, x.categorie.code())
}

/// `attentes.csv`: the orientations awaiting a designation, in the given order (overdue first, as
/// `Contexte::attentes` returns them); `jours_restants` negative when overdue.
pub fn attentes_csv(r: &Resultats, attentes: &[Attente]) -> Vec<u8> {
    let mut c = CsvFr::new();
    c.entetes(ENTETES_ATTENTES);
    for a in attentes {
        let (nom, categorie) = partie_attente(r, a);
        c.texte(&a.rpls).texte(nom).texte(categorie).texte(&date_fr(a.date_orientation)).texte(&date_fr(a.echeance));
        c.entier(a.jours_restants).fin();
    }
    c.octets()
}

/// The same tables as workbook sheets (for the app's XLSX download): « Propositions » (the party
/// proposed first for each vacancy), « Orientations » (every party ranked, the columns of
/// `orientations.csv`) and « Attentes » (the columns of `attentes.csv`).
pub fn feuilles_orientations(r: &Resultats, aides: &[Aide], attentes: &[Attente]) -> Vec<Feuille> {
    let t = |s: &str| Cellule::Texte(s.to_owned());
    let entetes = |e: &[&str]| e.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let propositions = aides
        .iter()
        .map(|a| {
            let mut v = vec![t(&a.rpls), t(&a.commune), t(a.programme.as_deref().unwrap_or("")), t(&date_fr(a.date))];
            match a.premiere() {
                Some(p) => {
                    let (nom, categorie) = partie(r, a, p);
                    v.extend([t(nom), t(categorie), Cellule::Nombre(p.retard, DECIMALES), t(&p.raison)]);
                }
                None => v.extend([t(""), t(""), t(""), t("aucune partie éligible")]),
            }
            v
        })
        .collect();
    let orientations = aides
        .iter()
        .flat_map(|a| {
            let date = date_fr(a.date);
            a.propositions.iter().map(move |p| {
                let (nom, categorie) = partie(r, a, p);
                vec![
                    t(&a.rpls),
                    t(&date),
                    Cellule::Entier(p.rang as u64),
                    t(nom),
                    t(categorie),
                    t(oui_non(p.eligible)),
                    Cellule::Nombre(p.retard, DECIMALES),
                    t(&p.raison),
                ]
            })
        })
        .collect();
    let attentes = attentes
        .iter()
        .map(|a| {
            let (nom, categorie) = partie_attente(r, a);
            // A whole number cell cannot be negative (Cellule::Entier): the days as a number.
            vec![t(&a.rpls), t(nom), t(categorie), t(&date_fr(a.date_orientation)), t(&date_fr(a.echeance)), Cellule::Nombre(a.jours_restants as f64, 0)]
        })
        .collect();
    vec![
        Feuille { nom: "Propositions".into(), entetes: entetes(&ENTETES_PROPOSITIONS), lignes: propositions, colonnes_figees: 1 },
        Feuille { nom: "Orientations".into(), entetes: entetes(&ENTETES_ORIENTATIONS), lignes: orientations, colonnes_figees: 1 },
        Feuille { nom: "Attentes".into(), entetes: entetes(&ENTETES_ATTENTES), lignes: attentes, colonnes_figees: 1 },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calculer;
    use crate::domain::orientation::{Contexte, Vacance};
    use crate::domain::suivi::{suivre, Issue, Mouvement};
    use crate::domain::Parametres;
    use crate::import::lire_csv;

    fn jour(m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, j).unwrap()
    }

    /// A réservataire whose name starts with `=` (escaped), a commune réservataire, one vacancy
    /// off its territory, one orientation awaiting a designation.
    #[test]
    fn files_have_their_columns_and_french_conventions() {
        let mut s = String::from("rpls;bailleur;commune;reservataire;categorie;date_fin\n");
        for i in 0..20 {
            s.push_str(&format!("A{i};B;93048;=Employeur;employeur;31/12/2040\n"));
            s.push_str(&format!("V{i};B;93048;Ville;commune;31/12/2040\n"));
        }
        for i in 0..160 {
            s.push_str(&format!("N{i};B;{};;;\n", if i % 2 == 0 { "93048" } else { "93066" }));
        }
        let ds = lire_csv(s.as_bytes()).unwrap().dataset;
        let p = Parametres { date_conversion: jour(1, 1), ..Default::default() };
        let r = calculer(&ds, &p);
        let n = |rpls: &str| (0..ds.len()).find(|&i| ds.rpls.get(i) == rpls).unwrap() as u32;
        let m = Mouvement {
            logement: n("N2"),
            ligne: 2,
            date_liberation: None,
            date_orientation: jour(3, 1),
            reservataire: "Ville".into(),
            date_designation: None,
            issue: Issue::EnCours,
            date_bail: None,
            hors_flux: None,
            quartile: None,
            prioritaire: None,
        };
        let mouvements = [m];
        let suivi = suivre(&ds, &p, &r, &mouvements);
        let mut c = Contexte::new(&ds, &p, &r, &mouvements, &suivi);
        let aides = c.orienter_liste(&[Vacance { logement: n("N1"), date: jour(3, 14), ligne: 2 }]);
        let attentes = c.attentes(&mouvements, &suivi, jour(3, 14));
        let texte = String::from_utf8(orientations_csv(&r, &aides)).unwrap();
        let lignes: Vec<&str> = texte.split("\r\n").collect();
        assert_eq!(lignes[0], "\u{feff}rpls;date;rang;partie;categorie;eligible;retard;raison");
        assert_eq!(lignes.len(), 1 + r.perimetres[0].parts.len() + 1, "{texte}");
        assert!(lignes[1].starts_with("N1;14/03/2026;1;"), "{}", lignes[1]);
        let employeur = lignes.iter().find(|l| l.contains("Employeur")).unwrap();
        assert!(employeur.contains(";'=Employeur;employeur;oui;"), "{employeur}");
        let ville = lignes.iter().find(|l| l.contains(";Ville;")).unwrap();
        assert!(ville.contains(";commune;non;") && ville.contains("hors de son territoire"), "{ville}");
        // The lag with a decimal comma: Ville's objective is not measured off its territory.
        let retard = |l: &str| l.split(';').nth(6).unwrap().to_owned();
        assert!(lignes[1..lignes.len() - 1].iter().any(|l| retard(l).contains(',')), "{texte}");

        let texte = String::from_utf8(attentes_csv(&r, &attentes)).unwrap();
        assert_eq!(texte, "\u{feff}rpls;partie;categorie;date_orientation;echeance;jours_restants\r\nN2;Ville;commune;01/03/2026;31/03/2026;17\r\n");

        let f = feuilles_orientations(&r, &aides, &attentes);
        assert_eq!(f.iter().map(|f| f.nom.as_str()).collect::<Vec<_>>(), ["Propositions", "Orientations", "Attentes"]);
        assert_eq!((f[0].lignes.len(), f[1].lignes.len(), f[2].lignes.len()), (1, r.perimetres[0].parts.len(), 1));
        assert_eq!(f[1].entetes, ENTETES_ORIENTATIONS);
        assert_eq!(f[0].lignes[0][4], Cellule::Texte(r.perimetres[0].parts[aides[0].premiere().unwrap().partie].reservataire.clone()));
        // The workbook is written.
        assert!(!crate::export::classeur::ecrire_xlsx(&f).is_empty());
    }
}

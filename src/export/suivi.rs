//! The follow-up's files (SPEC §7): `suivi.csv` (one row per convention × party × year),
//! `objectifs_n1.csv` (the objectives of the next year), and the R. 441-5-1 bilan as XLSX tables
//! (consolidated, and one per réservataire).

use super::classeur::Feuille;
use super::csv_fr::CsvFr;
use super::Cellule;
use crate::domain::suivi::bilan::{Bilan, HorsFlux};
use crate::domain::suivi::Suivi;
use crate::domain::Resultats;

/// Columns of `suivi.csv` (SPEC §7 « command line »).
pub const ENTETES_SUIVI: [&str; 10] =
    ["bailleur", "departement", "reservataire", "categorie", "annee", "objectif", "decomptes", "en_attente", "ecart", "volume_restant"];

/// `suivi.csv`.
pub fn suivi_csv(r: &Resultats, s: &Suivi) -> Vec<u8> {
    let mut c = CsvFr::new();
    c.entetes(ENTETES_SUIVI);
    for conv in &s.conventions {
        let per = &r.perimetres[conv.perimetre];
        for a in &conv.annees {
            for (p, x) in per.parts.iter().zip(&a.parties) {
                c.texte(&per.bailleur).texte(&per.departement).texte(&p.reservataire).texte(p.categorie.code());
                c.entier(a.annee).nombre(x.objectif, 3).entier(x.decomptes).entier(x.en_attente).nombre(x.ecart, 3);
                match x.volume_restant {
                    Some(v) => c.nombre(v, 3),
                    None => c.vide(),
                };
                c.fin();
            }
        }
    }
    c.octets()
}

/// Columns of `objectifs_n1.csv`.
pub const ENTETES_OBJECTIFS_N1: [&str; 7] = ["bailleur", "departement", "reservataire", "categorie", "commune", "annee", "objectif"];

/// `objectifs_n1.csv`: the objectives of the year after the bilan's, per commune for the État and
/// the local réservataires, per département for the others.
pub fn objectifs_n1_csv(b: &Bilan) -> Vec<u8> {
    let mut c = CsvFr::new();
    c.entetes(ENTETES_OBJECTIFS_N1);
    for o in &b.objectifs_suivants {
        c.texte(&o.bailleur).texte(&o.departement).texte(&o.reservataire).texte(o.categorie.code()).texte(&o.commune);
        c.entier(b.annee + 1).nombre(o.logements, 3).fin();
    }
    c.octets()
}

fn motif(h: &HorsFlux) -> String {
    h.motif.map_or_else(|| "prelevements_annuels".to_owned(), |m| m.code().to_owned())
}

/// The bilan as workbook tables: the year's proposals and attributions, the hors-flux
/// attributions, the forecast of N+1 and the objectives of N+1.
pub fn feuilles_bilan(b: &Bilan) -> Vec<Feuille> {
    let t = |s: &str| Cellule::Texte(s.to_owned());
    let n = b.annee;
    let mut f = vec![Feuille {
        nom: format!("Bilan {n}"),
        entetes: ["bailleur", "departement", "reservataire", "categorie", "commune", "typologie", "financement", "qpv", "periode_construction", "proposes", "attribues"]
            .map(String::from)
            .to_vec(),
        lignes: b
            .lignes
            .iter()
            .map(|l| {
                vec![
                    t(&l.bailleur),
                    t(&l.departement),
                    t(&l.reservataire),
                    t(l.categorie.code()),
                    t(&l.commune),
                    t(l.typologie),
                    t(l.financement),
                    t(l.qpv),
                    t(l.periode),
                    Cellule::Entier(u64::from(l.proposes)),
                    Cellule::Entier(u64::from(l.attribues)),
                ]
            })
            .collect(),
        colonnes_figees: 0,
    }];
    let hors = |nom: String, v: &[HorsFlux], decimales: usize| Feuille {
        nom,
        entetes: ["bailleur", "departement", "motif", "logements"].map(String::from).to_vec(),
        lignes: v.iter().map(|h| vec![t(&h.bailleur), t(&h.departement), Cellule::Texte(motif(h)), Cellule::Nombre(h.logements, decimales)]).collect(),
        colonnes_figees: 0,
    };
    if !b.hors_flux.is_empty() || !b.prevision_hors_flux.is_empty() {
        f.push(hors(format!("Hors flux {n}"), &b.hors_flux, 0));
        f.push(hors(format!("Prévision hors flux {}", n + 1), &b.prevision_hors_flux, 2));
    }
    f.push(Feuille {
        nom: format!("Objectifs {}", n + 1),
        entetes: ENTETES_OBJECTIFS_N1.map(String::from).to_vec(),
        lignes: b
            .objectifs_suivants
            .iter()
            .map(|o| vec![t(&o.bailleur), t(&o.departement), t(&o.reservataire), t(o.categorie.code()), t(&o.commune), Cellule::Entier((n + 1) as u64), Cellule::Nombre(o.logements, 3)])
            .collect(),
        colonnes_figees: 0,
    });
    f
}

/// A file name for a réservataire's workbook: `bilan-2026-action-logement.xlsx` (ASCII, no
/// separator or reserved character, the category added to tell homonyms apart).
pub fn nom_classeur(annee: i32, reservataire: &str, categorie: &str) -> String {
    let mut s = String::new();
    for c in format!("{reservataire} {categorie}").chars() {
        let c = match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' => 'e',
            'î' | 'ï' | 'Î' => 'i',
            'ô' | 'ö' | 'Ô' => 'o',
            'ù' | 'û' | 'ü' | 'Û' => 'u',
            'ç' | 'Ç' => 'c',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    format!("bilan-{annee}-{}.xlsx", s.trim_matches('-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workbook_names_are_plain() {
        assert_eq!(nom_classeur(2026, "Ville de Saint-Denis", "commune"), "bilan-2026-ville-de-saint-denis-commune.xlsx");
        assert_eq!(nom_classeur(2026, "../État/", "etat_prioritaires"), "bilan-2026-etat-etat-prioritaires.xlsx");
    }
}

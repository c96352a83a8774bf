//! The yearly bilan of CCH R. 441-5-1, due before 28 February: logements proposed (oriented) and
//! attributed in year N, per réservataire × typologie × financement × QPV / hors QPV × commune ×
//! période de construction; the hors-flux attributions; the forecast of logements taken out of the
//! flux in N+1 by category of operation; and the objectives of N+1 per party.
//!
//! Classes: typologie T1…T6+, financement PLAI / PLUS / PLS / PLI / Autre, QPV « qpv » / « hors_qpv »
//! (« inconnu » when the état des lieux does not say), période de construction
//! [`crate::domain::model::PERIODES`].

use std::collections::BTreeMap;

use serde::Serialize;

use super::mouvement::{Issue, Mouvement};
use super::resultats::Suivi;
use crate::domain::dataset::Dataset;
use crate::domain::model::{periode, Categorie, Motif, FINANCEMENTS, PERIODES, QPV, TYPOLOGIES};
use crate::domain::parametres::Parametres;
use crate::domain::resultats::Resultats;
use crate::domain::rotation::Taux;

/// One line of the bilan: a party and a class of logements, with the counts of the year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LigneBilan {
    pub bailleur: String,
    pub departement: String,
    pub reservataire: String,
    pub categorie: Categorie,
    pub commune: String,
    pub typologie: &'static str,
    pub financement: &'static str,
    pub qpv: &'static str,
    pub periode: &'static str,
    /// Orientations (logements proposed to the party).
    pub proposes: u32,
    /// Signed leases.
    pub attribues: u32,
}

/// Hors-flux attributions of the year (relogements, mutations…), or the forecast for N+1.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HorsFlux {
    pub bailleur: String,
    pub departement: String,
    /// `None`: the yearly `prelevements_annuels` of the convention.
    pub motif: Option<Motif>,
    pub logements: f64,
}

/// An objective of year N + 1.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObjectifSuivant {
    pub bailleur: String,
    pub departement: String,
    pub reservataire: String,
    pub categorie: Categorie,
    /// INSEE code for the État and the local réservataires, empty for the département.
    pub commune: String,
    pub logements: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Bilan {
    pub annee: i32,
    pub lignes: Vec<LigneBilan>,
    pub hors_flux: Vec<HorsFlux>,
    pub prevision_hors_flux: Vec<HorsFlux>,
    pub objectifs_suivants: Vec<ObjectifSuivant>,
}

impl Bilan {
    /// The réservataires of the bilan (name, category), one workbook each.
    pub fn reservataires(&self) -> Vec<(String, Categorie)> {
        let mut v: Vec<(String, Categorie)> = self.lignes.iter().map(|l| (l.reservataire.clone(), l.categorie)).collect();
        v.extend(self.objectifs_suivants.iter().map(|o| (o.reservataire.clone(), o.categorie)));
        v.retain(|(_, c)| *c != Categorie::Bailleur);
        v.sort();
        v.dedup();
        v
    }

    /// The part of the bilan that concerns one réservataire.
    pub fn de(&self, reservataire: &str, categorie: Categorie) -> Bilan {
        Bilan {
            annee: self.annee,
            lignes: self.lignes.iter().filter(|l| l.reservataire == reservataire && l.categorie == categorie).cloned().collect(),
            hors_flux: Vec::new(),
            prevision_hors_flux: Vec::new(),
            objectifs_suivants: self
                .objectifs_suivants
                .iter()
                .filter(|o| o.reservataire == reservataire && o.categorie == categorie)
                .cloned()
                .collect(),
        }
    }
}

/// The bilan of year `annee`.
pub fn bilan(ds: &Dataset, p: &Parametres, r: &Resultats, s: &Suivi, mouvements: &[Mouvement], annee: i32) -> Bilan {
    let mut lignes: BTreeMap<(usize, usize, u32, u8, u8, u8, u8), (u32, u32)> = BTreeMap::new();
    let mut hors: BTreeMap<(usize, Motif), u32> = BTreeMap::new();
    for (m, l) in mouvements.iter().zip(&s.lignes) {
        if l.annee != annee {
            continue;
        }
        let i = m.logement as usize;
        if let Some(motif) = m.hors_flux {
            if m.issue == Issue::BailSigne {
                *hors.entry((l.perimetre, motif)).or_default() += 1;
            }
            continue;
        }
        let Some(k) = l.partie else { continue };
        let cle = (
            l.perimetre,
            k,
            ds.cellules[ds.cellule[i] as usize].commune,
            ds.typologie[i],
            ds.financement[i],
            ds.qpv[i],
            periode(ds.annee_construction[i]),
        );
        let e = lignes.entry(cle).or_default();
        e.0 += 1;
        e.1 += u32::from(m.issue == Issue::BailSigne);
    }
    let lignes = lignes
        .into_iter()
        .map(|((i, k, commune, t, f, q, c), (proposes, attribues))| {
            let per = &r.perimetres[i];
            LigneBilan {
                bailleur: per.bailleur.clone(),
                departement: per.departement.clone(),
                reservataire: per.parts[k].reservataire.clone(),
                categorie: per.parts[k].categorie,
                commune: ds.communes[commune as usize].clone(),
                typologie: TYPOLOGIES[t as usize],
                financement: FINANCEMENTS[f as usize],
                qpv: QPV[q as usize],
                periode: PERIODES[c as usize],
                proposes,
                attribues,
            }
        })
        .collect();
    let hors_flux = hors
        .into_iter()
        .map(|((i, motif), n)| HorsFlux {
            bailleur: r.perimetres[i].bailleur.clone(),
            departement: r.perimetres[i].departement.clone(),
            motif: Some(motif),
            logements: f64::from(n),
        })
        .collect();
    // Forecast of N+1: the expected vacancies of the logements out of the assiette, by motif (Σ τ),
    // and the yearly prélèvements of each convention.
    let taux = Taux::new(ds, &p.rotation);
    let mut prevu = vec![[0.0f64; Motif::N]; ds.perimetres.len()];
    for i in 0..ds.len() {
        let octet = ds.motif[i] as usize;
        if octet == 0 || !p.exclut(Motif::TOUS[octet - 1]) {
            continue;
        }
        let per = ds.cellules[ds.cellule[i] as usize].perimetre as usize;
        prevu[per][octet - 1] += taux.taux(i);
    }
    let mut prevision_hors_flux = Vec::new();
    for (i, per) in r.perimetres.iter().enumerate() {
        for m in Motif::TOUS {
            if prevu[i][m as usize] > 0.0 {
                prevision_hors_flux.push(HorsFlux { bailleur: per.bailleur.clone(), departement: per.departement.clone(), motif: Some(m), logements: prevu[i][m as usize] });
            }
        }
        let prelevements = p.prelevements_annuels.valeur(&per.bailleur, &per.departement);
        if prelevements > 0.0 {
            prevision_hors_flux.push(HorsFlux { bailleur: per.bailleur.clone(), departement: per.departement.clone(), motif: None, logements: prelevements });
        }
    }
    let mut objectifs_suivants = Vec::new();
    for c in &s.conventions {
        let per = &r.perimetres[c.perimetre];
        for (k, x) in per.parts.iter().enumerate() {
            let communes: Vec<_> = c.objectifs_suivants_communes.iter().filter(|o| o.partie == k).collect();
            let objectif = |commune: String, logements| ObjectifSuivant {
                bailleur: per.bailleur.clone(),
                departement: per.departement.clone(),
                reservataire: x.reservataire.clone(),
                categorie: x.categorie,
                commune,
                logements,
            };
            if communes.is_empty() {
                objectifs_suivants.push(objectif(String::new(), c.objectifs_suivants[k]));
            } else {
                objectifs_suivants.extend(communes.into_iter().map(|o| objectif(o.commune.clone(), o.objectif)));
            }
        }
    }
    Bilan { annee, lignes, hors_flux, prevision_hors_flux, objectifs_suivants }
}

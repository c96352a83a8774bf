//! SPEC §7 (v2): the flux year after year — the mouvements of each year counted against each
//! party's share, volumes deducted, the yearly bilan (CCH R. 441-5-1) and next year's objectives.
//!
//! Seed: « le besoin d'un outil de gestion et de suivi pour piloter la gestion en flux est
//! unanimement souligné »; the droits used « viendraient se déduire du stock de droits établi lors
//! de la conversion »; the yearly exchanges « faire le bilan de l'année et définir les objectifs de
//! l'année à venir ».
//!
//! Years: the conversion year A_1 and those after it. The years before the first year of
//! mouvements are deducted as projected (the whole logements of §4.9); each year with mouvements
//! is deducted as counted; a year without mouvements between two followed years is deducted as
//! projected. After each followed year the étalement is projected again from the volumes left,
//! and its first year gives the next objective (plus the gap carried).

pub mod bilan;
pub mod decompte;
pub mod mouvement;
pub mod resultats;

use chrono::Datelike;

pub use mouvement::{Issue, Mouvement};
pub use resultats::*;

use crate::domain::alertes::Alerte;
use crate::domain::dataset::Dataset;
use crate::domain::etalement::{etaler, Etalement, PartEtalement};
use crate::domain::model::QPV;
use crate::domain::parametres::Parametres;
use crate::domain::regles::TOLERANCE;
use crate::domain::resultats::{ResultatPerimetre, Resultats, Role};

/// The party of convention `per` a mouvement was oriented to (SPEC §7 `reservataire`): empty = the
/// bailleur, `Etat - prioritaires` / `Etat - agents`, else a réservataire of the convention by name.
pub fn partie_de(per: &ResultatPerimetre, reservataire: &str) -> Option<usize> {
    let role = match reservataire.trim() {
        "" => Role::Bailleur,
        n if n == crate::domain::Categorie::EtatPrioritaires.nom_sortie() => Role::EtatPrioritaires,
        n if n == crate::domain::Categorie::EtatAgents.nom_sortie() => Role::EtatAgents,
        n => return per.parts.iter().position(|p| p.role == Role::Reservataire && p.reservataire == n),
    };
    per.parts.iter().position(|p| p.role == role)
}

/// Whole logements of party `k` in calendar year `annee` of an étalement (0 outside the table).
fn entiers(e: &Etalement, k: usize, annee: i32) -> f64 {
    e.lignes.iter().filter(|l| l.annee == annee && l.partie as usize == k).map(|l| l.offerts).sum()
}

/// The étalement of a convention projected again from calendar year `annee`, from the volumes
/// left (`None` for the État), at the same shares.
fn projeter(per: &ResultatPerimetre, restants: &[Option<f64>], annee: i32, p: &Parametres) -> Etalement {
    let parties: Vec<PartEtalement> = per
        .parts
        .iter()
        .zip(restants)
        .filter(|(x, _)| x.role != Role::Bailleur)
        .map(|(x, v)| PartEtalement { part: x.part, volume: *v })
        .collect();
    etaler(&per.flux_annuels.a_partir(annee), &parties, p.arrondi)
}

fn mediane(mut v: Vec<i64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] as f64 } else { (v[n / 2 - 1] + v[n / 2]) as f64 / 2.0 })
}

fn taux(n: u32, sur: u32) -> Option<f64> {
    (sur > 0).then(|| f64::from(n) / f64::from(sur))
}

/// Follows the conventions of `r` (computed on `ds` with `p`) over the years of `mouvements`.
pub fn suivre(ds: &Dataset, p: &Parametres, r: &Resultats, mouvements: &[Mouvement]) -> Suivi {
    let sp = &p.suivi;
    let delai = sp.delai_designation_jours;
    let mut alertes = Vec::new();

    // 1. Each row: its convention, its party, its year.
    let mut lignes: Vec<LigneSuivie> = mouvements
        .iter()
        .map(|m| {
            let perimetre = ds.cellules[ds.cellule[m.logement as usize] as usize].perimetre as usize;
            LigneSuivie {
                perimetre,
                partie: partie_de(&r.perimetres[perimetre], &m.reservataire),
                annee: m.date_orientation.year(),
                compte: false,
                en_attente: false,
            }
        })
        .collect();
    let mut avant = 0;
    for (l, m) in lignes.iter_mut().zip(mouvements) {
        if l.annee < r.premiere_annee {
            avant += 1;
            l.partie = None;
        } else if l.partie.is_none() {
            let per = &r.perimetres[l.perimetre];
            alertes.push(Alerte {
                code: "suivi_partie_inconnue",
                perimetre: Some(l.perimetre),
                message: format!(
                    "ligne {} : « {} » n'a pas de réservation dans la convention {} / {} ; orientation non décomptée.",
                    m.ligne, m.reservataire, per.bailleur, per.departement
                ),
            });
        }
    }
    if avant > 0 {
        alertes.push(Alerte::generale(
            "suivi_avant_conversion",
            format!("{avant} orientation(s) datée(s) d'avant l'année de conversion ({}) : non suivies.", r.premiere_annee),
        ));
    }
    let mut annees: Vec<i32> = lignes.iter().filter(|l| l.partie.is_some()).map(|l| l.annee).collect();
    annees.sort_unstable();
    annees.dedup();

    // 2. Vacancies, read with their convention's counting.
    let valides: Vec<usize> = (0..mouvements.len()).filter(|&i| lignes[i].partie.is_some()).collect();
    let sous: Vec<Mouvement> = valides.iter().map(|&i| mouvements[i].clone()).collect();
    for v in decompte::vacances(&sous) {
        let rangs: Vec<usize> = v.iter().map(|&j| valides[j]).collect();
        let per = &r.perimetres[lignes[rangs[0]].perimetre];
        let mode = sp.decompte(&per.bailleur, &per.departement);
        let fin = lignes[*rangs.last().unwrap()].annee;
        let refs: Vec<&Mouvement> = rangs.iter().map(|&i| &mouvements[i]).collect();
        let lecture = decompte::lire_vacance(&refs, mode, delai, fin);
        if let Some(k) = lecture.compte {
            lignes[rangs[k]].compte = true;
        }
        if let Some(k) = lecture.en_attente {
            lignes[rangs[k]].en_attente = true;
        }
    }

    // 3. Per convention and year.
    let conventions = r
        .perimetres
        .iter()
        .enumerate()
        .map(|(i, per)| suivre_convention(ds, p, per, i, mouvements, &lignes, &annees, &mut alertes))
        .collect();
    Suivi { annees, conventions, lignes, alertes }
}

#[allow(clippy::too_many_arguments)]
fn suivre_convention(
    ds: &Dataset,
    p: &Parametres,
    per: &ResultatPerimetre,
    i: usize,
    mouvements: &[Mouvement],
    lignes: &[LigneSuivie],
    annees: &[i32],
    alertes: &mut Vec<Alerte>,
) -> SuiviConvention {
    let sp = &p.suivi;
    let n = per.parts.len();
    let mut restants: Vec<Option<f64>> = per.parts.iter().map(|x| (x.role == Role::Reservataire).then_some(x.volume_droits)).collect();
    let mut projection = per.etalement.clone();
    let mut curseur = per.etalement.premiere_annee;
    let mut precedent: Option<(i32, Vec<f64>)> = None;
    let mut res = SuiviConvention {
        perimetre: i,
        decompte: sp.decompte(&per.bailleur, &per.departement),
        ..Default::default()
    };
    // Weights of the per-commune objectives (SPEC §4.10), from the conversion's objectives.
    let mut poids: Vec<(usize, String, f64)> = Vec::new();
    for k in 0..n {
        let siens: Vec<_> = per.objectifs.iter().filter(|o| o.partie == k && o.commune.is_some()).collect();
        let total: f64 = siens.iter().map(|o| o.logements_par_an).sum();
        for o in siens {
            let w = if total > 0.0 { o.logements_par_an / total } else { 0.0 };
            poids.push((k, o.commune.clone().unwrap_or_default(), w));
        }
    }
    let du_perimetre: Vec<usize> = (0..mouvements.len()).filter(|&j| lignes[j].perimetre == i && lignes[j].partie.is_some()).collect();
    let commune_de = |j: usize| ds.code_commune(ds.cellule[mouvements[j].logement as usize] as usize);

    for &annee in annees {
        // Years before this one not yet deducted: as projected.
        for a in curseur..annee {
            for (k, v) in restants.iter_mut().enumerate() {
                if let Some(v) = v {
                    *v = (*v - entiers(&projection, k, a)).max(0.0);
                }
            }
        }
        let reportable = sp.report_ecarts && precedent.as_ref().is_some_and(|(a, _)| *a == annee - 1);
        let de_l_annee: Vec<usize> = du_perimetre.iter().copied().filter(|&j| lignes[j].annee == annee).collect();
        let mut parties = Vec::with_capacity(n);
        for k in 0..n {
            let objectif_etalement = entiers(&projection, k, annee);
            let report = if reportable { -precedent.as_ref().map_or(0.0, |(_, e)| e[k]) } else { 0.0 };
            let mut objectif = (objectif_etalement + report).max(0.0);
            if let Some(v) = restants[k] {
                objectif = objectif.min((v + 0.5 + TOLERANCE).floor());
            }
            let siennes: Vec<usize> = de_l_annee.iter().copied().filter(|&j| lignes[j].partie == Some(k)).collect();
            let comptees: Vec<usize> = siennes.iter().copied().filter(|&j| lignes[j].compte).collect();
            let decomptes = comptees.len() as u32;
            let mut cumul_mensuel = [0u32; 12];
            for &j in &comptees {
                cumul_mensuel[mouvements[j].date_orientation.month0() as usize] += 1;
            }
            for m in 1..12 {
                cumul_mensuel[m] += cumul_mensuel[m - 1];
            }
            let mut exces = 0.0;
            let volume_restant = restants[k].map(|v| {
                let reste = v - f64::from(decomptes);
                if reste < -TOLERANCE {
                    exces = -reste;
                }
                reste.max(0.0)
            });
            restants[k] = volume_restant;
            let delais: Vec<i64> = siennes
                .iter()
                .filter_map(|&j| mouvements[j].date_designation.map(|d| (d - mouvements[j].date_orientation).num_days()))
                .collect();
            let baux: Vec<usize> = siennes.iter().copied().filter(|&j| mouvements[j].issue == Issue::BailSigne).collect();
            let prioritaire_connu = baux.iter().filter(|&&j| mouvements[j].prioritaire.is_some()).count() as u32;
            let prioritaires = baux.iter().filter(|&&j| mouvements[j].prioritaire == Some(true)).count() as u32;
            let part_prioritaires = taux(prioritaires, prioritaire_connu);
            parties.push(SuiviPartie {
                objectif_etalement,
                report,
                objectif,
                decomptes,
                en_attente: siennes.iter().filter(|&&j| lignes[j].en_attente).count() as u32,
                ecart: f64::from(decomptes) - objectif,
                taux: (objectif > 0.0).then(|| f64::from(decomptes) / objectif),
                cumul_mensuel,
                volume_restant,
                exces,
                annees_epuisement: None,
                delai_median_jours: mediane(delais),
                attributions: baux.len() as u32,
                prioritaires,
                prioritaire_connu,
                part_prioritaires,
                cible_prioritaires_atteinte: (per.parts[k].role == Role::Reservataire)
                    .then_some(part_prioritaires.map(|x| x + TOLERANCE >= sp.cible_prioritaires))
                    .flatten(),
            });
            if exces > 0.0 {
                alertes.push(Alerte {
                    code: "suivi_volume_depasse",
                    perimetre: Some(i),
                    message: format!(
                        "{} / {} : {} a reçu en {annee} {} logement(s) de plus que son volume de droits restant.",
                        per.bailleur,
                        per.departement,
                        per.parts[k].reservataire,
                        crate::format::decimal(exces, 1)
                    ),
                });
            }
        }
        // The étalement projected again from next year, with the volumes left.
        projection = projeter(per, &restants, annee + 1, p);
        curseur = annee + 1;
        for (k, x) in parties.iter_mut().enumerate() {
            x.annees_epuisement = projection.annees_epuisement.get(k).copied().flatten();
        }
        let communes = poids
            .iter()
            .map(|(k, commune, w)| {
                let objectif = parties[*k].objectif * w;
                let decomptes = de_l_annee.iter().filter(|&&j| lignes[j].partie == Some(*k) && lignes[j].compte && commune_de(j) == commune).count() as u32;
                SuiviCommune { partie: *k, commune: commune.clone(), objectif, decomptes, ecart: f64::from(decomptes) - objectif }
            })
            .collect();
        let mut hors_flux = [0u32; crate::domain::model::Motif::N];
        for &j in &de_l_annee {
            let m = &mouvements[j];
            if let (Some(motif), Issue::BailSigne) = (m.hors_flux, m.issue) {
                hors_flux[motif as usize] += 1;
            }
        }
        let mut retards: Vec<Retard> = de_l_annee
            .iter()
            .filter(|&&j| mouvements[j].hors_flux.is_none() && per.parts[lignes[j].partie.unwrap_or(0)].role != Role::Bailleur)
            .filter_map(|&j| {
                let m = &mouvements[j];
                let echeance = decompte::echeance(m, sp.delai_designation_jours);
                let fin = chrono::NaiveDate::from_ymd_opt(annee, 12, 31)?;
                let jusqu_a = m.date_designation.unwrap_or(fin);
                let jours = (jusqu_a - echeance).num_days();
                (jours > 0).then(|| Retard {
                    ligne: m.ligne,
                    rpls: ds.rpls.get(m.logement as usize).to_owned(),
                    partie: lignes[j].partie.unwrap_or(0),
                    date_orientation: m.date_orientation,
                    echeance,
                    date_designation: m.date_designation,
                    jours,
                })
            })
            .collect();
        retards.sort_by(|a, b| b.jours.cmp(&a.jours).then(a.ligne.cmp(&b.ligne)));
        let indicateurs = indicateurs(ds, sp, mouvements, &de_l_annee);
        let hors_flux_total = hors_flux.iter().sum();
        precedent = Some((annee, parties.iter().map(|x| x.ecart).collect()));
        let mut cumul_mensuel = [0u32; 12];
        for x in &parties {
            for (c, v) in cumul_mensuel.iter_mut().zip(x.cumul_mensuel) {
                *c += v;
            }
        }
        res.annees.push(AnneeConvention {
            annee,
            objectif_total: parties.iter().map(|x| x.objectif).sum(),
            decomptes_total: parties.iter().map(|x| x.decomptes).sum(),
            en_attente_total: parties.iter().map(|x| x.en_attente).sum(),
            cumul_mensuel,
            parties,
            communes,
            orientations: de_l_annee.len() as u32,
            vacances_decomptees: de_l_annee.iter().filter(|&&j| lignes[j].compte).count() as u32,
            hors_flux,
            hors_flux_total,
            prevision_hors_flux: p.prelevements_annuels.valeur(&per.bailleur, &per.departement),
            retards,
            indicateurs,
        });
    }
    // Next year's objectives (the yearly exchange), adjusted by the last gap.
    let suivante = curseur;
    let reportable = sp.report_ecarts && precedent.as_ref().is_some_and(|(a, _)| *a == suivante - 1);
    res.objectifs_suivants = (0..n)
        .map(|k| {
            let report = if reportable { -precedent.as_ref().map_or(0.0, |(_, e)| e[k]) } else { 0.0 };
            let mut o = (entiers(&projection, k, suivante) + report).max(0.0);
            if let Some(v) = restants[k] {
                o = o.min((v + 0.5 + TOLERANCE).floor());
            }
            o
        })
        .collect();
    res.objectifs_suivants_communes = poids
        .iter()
        .map(|(k, commune, w)| ObjectifCommune { partie: *k, commune: commune.clone(), objectif: res.objectifs_suivants[*k] * w })
        .collect();
    res.etalement_apres = projection;
    res
}

/// CCH L. 441-1 indicators over the signed leases of `rangs` whose quartile is known.
fn indicateurs(ds: &Dataset, sp: &crate::domain::parametres::ParametresSuivi, mouvements: &[Mouvement], rangs: &[usize]) -> Indicateurs {
    let mut x = Indicateurs::default();
    let qpv = QPV.iter().position(|q| *q == "qpv").unwrap_or(1) as u8;
    let hors = QPV.iter().position(|q| *q == "hors_qpv").unwrap_or(2) as u8;
    for &j in rangs {
        let m = &mouvements[j];
        let Some(q) = m.quartile else { continue };
        if m.issue != Issue::BailSigne {
            continue;
        }
        let statut = ds.qpv[m.logement as usize];
        if statut == hors {
            x.attributions_hors_qpv += 1;
            x.premier_quartile_hors_qpv += u32::from(q == 1);
        } else if statut == qpv {
            x.attributions_qpv += 1;
            x.autres_quartiles_qpv += u32::from(q != 1);
        }
    }
    x.part_premier_quartile_hors_qpv = taux(x.premier_quartile_hors_qpv, x.attributions_hors_qpv);
    x.cible_premier_quartile_atteinte = x.part_premier_quartile_hors_qpv.map(|t| t + TOLERANCE >= sp.cible_premier_quartile_hors_qpv);
    x.part_autres_quartiles_qpv = taux(x.autres_quartiles_qpv, x.attributions_qpv);
    x.cible_autres_quartiles_atteinte = x.part_autres_quartiles_qpv.map(|t| t + TOLERANCE >= sp.cible_autres_quartiles_en_qpv);
    x
}

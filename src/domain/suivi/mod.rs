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
use rustc_hash::FxHashMap;

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

/// Whole logements of each of the `n` parties in calendar year `annee` of an étalement (0 outside
/// the table), in one pass over its lines (added in line order, from −0 as `Iterator::sum`).
fn entiers(e: &Etalement, n: usize, annee: i32) -> Vec<f64> {
    let mut v = vec![-0.0; n];
    for l in e.lignes.iter().filter(|l| l.annee == annee) {
        if let Some(x) = v.get_mut(l.partie as usize) {
            *x += l.offerts;
        }
    }
    v
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
    suivre_prepare(ds, p, r, mouvements, &preparer(ds, r, mouvements), None)
}

/// What the follow-up reads from the mouvements and the conversion alone, whatever the parameters
/// of the follow-up: each row's convention, party and year, the years followed, the rows that
/// cannot be followed, and the vacancies. Kept by a caller that recomputes the follow-up on a
/// change of counting ([`suivre_prepare`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Preparation {
    lignes: Vec<LigneSuivie>,
    /// The calendar years followed (`Suivi::annees`).
    pub annees: Vec<i32>,
    alertes: Vec<Alerte>,
    /// The rows of the vacancies in order, and the bounds of each vacancy in it.
    ordre: Vec<usize>,
    bornes: Vec<usize>,
    /// The rows followed, per convention.
    par_perimetre: Vec<Vec<usize>>,
}

/// The first part of [`suivre`]: see [`Preparation`].
pub fn preparer(ds: &Dataset, r: &Resultats, mouvements: &[Mouvement]) -> Preparation {
    let mut alertes = Vec::new();
    // 1. Each row: its convention, its party (looked up once per convention and name), its year.
    let mut connues: FxHashMap<(usize, &str), Option<usize>> = FxHashMap::default();
    let mut lignes: Vec<LigneSuivie> = mouvements
        .iter()
        .map(|m| {
            let perimetre = ds.cellules[ds.cellule[m.logement as usize] as usize].perimetre as usize;
            LigneSuivie {
                perimetre,
                partie: *connues.entry((perimetre, m.reservataire.as_str())).or_insert_with(|| partie_de(&r.perimetres[perimetre], &m.reservataire)),
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
    // 2. The vacancies (rows of one logement, SPEC §7).
    let valides: Vec<usize> = (0..mouvements.len()).filter(|&i| lignes[i].partie.is_some()).collect();
    let (ordre, bornes) = decompte::vacances_bornes(mouvements, valides);
    let mut par_perimetre: Vec<Vec<usize>> = vec![Vec::new(); r.perimetres.len()];
    for (j, l) in lignes.iter().enumerate() {
        if l.partie.is_some() {
            par_perimetre[l.perimetre].push(j);
        }
    }
    Preparation { lignes, annees, alertes, ordre, bornes, par_perimetre }
}

/// The follow-up from its [`Preparation`] (made with the same `r` and `mouvements`), for every
/// convention (`seules = None`), or for the conventions listed only: the others are left empty
/// (no year) — a page showing one convention needs only that one. The conventions computed are
/// those of [`suivre`].
pub fn suivre_prepare(ds: &Dataset, p: &Parametres, r: &Resultats, mouvements: &[Mouvement], prep: &Preparation, seules: Option<&[usize]>) -> Suivi {
    let sp = &p.suivi;
    let delai = sp.delai_designation_jours;
    let retenue = |i: usize| seules.is_none_or(|v| v.contains(&i));
    let mut lignes = prep.lignes.clone();
    let mut alertes = prep.alertes.clone();

    // Vacancies, read with their convention's counting.
    let modes: Vec<_> = r.perimetres.iter().map(|per| sp.decompte(&per.bailleur, &per.departement)).collect();
    let mut refs: Vec<&Mouvement> = Vec::new();
    for w in prep.bornes.windows(2) {
        let rangs = &prep.ordre[w[0]..w[1]];
        let perimetre = lignes[rangs[0]].perimetre;
        if !retenue(perimetre) {
            continue;
        }
        let fin = lignes[rangs[rangs.len() - 1]].annee;
        refs.clear();
        refs.extend(rangs.iter().map(|&i| &mouvements[i]));
        let lecture = decompte::lire_vacance(&refs, modes[perimetre], delai, fin);
        if let Some(k) = lecture.compte {
            lignes[rangs[k]].compte = true;
        }
        if let Some(k) = lecture.en_attente {
            lignes[rangs[k]].en_attente = true;
        }
    }

    // Per convention and year.
    let conventions = r
        .perimetres
        .iter()
        .enumerate()
        .map(|(i, per)| {
            if retenue(i) {
                suivre_convention(ds, p, per, i, mouvements, &lignes, &prep.par_perimetre[i], &prep.annees, &mut alertes)
            } else {
                SuiviConvention { perimetre: i, decompte: modes[i], ..Default::default() }
            }
        })
        .collect();
    Suivi { annees: prep.annees.clone(), conventions, lignes, alertes }
}

#[allow(clippy::too_many_arguments)]
fn suivre_convention(
    ds: &Dataset,
    p: &Parametres,
    per: &ResultatPerimetre,
    i: usize,
    mouvements: &[Mouvement],
    lignes: &[LigneSuivie],
    du_perimetre: &[usize],
    annees: &[i32],
    alertes: &mut Vec<Alerte>,
) -> SuiviConvention {
    let sp = &p.suivi;
    let n = per.parts.len();
    let mut restants: Vec<Option<f64>> = per.parts.iter().map(|x| (x.role == Role::Reservataire).then_some(x.volume_droits)).collect();
    // The conversion's étalement until a year is followed (not copied: most conventions are big).
    let mut projection = std::borrow::Cow::Borrowed(&per.etalement);
    let mut curseur = per.etalement.premiere_annee;
    let mut precedent: Option<(i32, Vec<f64>)> = None;
    let mut res = SuiviConvention {
        perimetre: i,
        decompte: sp.decompte(&per.bailleur, &per.departement),
        ..Default::default()
    };
    // Weights of the per-commune objectives (SPEC §4.10), from the conversion's objectives: per
    // party in party order, each party's communes in the order of the objectives.
    let mut par_commune: Vec<&crate::domain::territoire::Objectif> = per.objectifs.iter().filter(|o| o.commune.is_some() && o.partie < n).collect();
    par_commune.sort_by_key(|o| o.partie);
    let mut totaux = vec![-0.0; n];
    for o in &par_commune {
        totaux[o.partie] += o.logements_par_an;
    }
    let poids: Vec<(usize, String, f64)> = par_commune
        .iter()
        .map(|o| {
            let total = totaux[o.partie];
            let w = if total > 0.0 { o.logements_par_an / total } else { 0.0 };
            (o.partie, o.commune.clone().unwrap_or_default(), w)
        })
        .collect();
    let commune_de = |j: usize| ds.code_commune(ds.cellule[mouvements[j].logement as usize] as usize);

    for &annee in annees {
        // Years before this one not yet deducted: as projected.
        for a in curseur..annee {
            let projetes = entiers(&projection, n, a);
            for (v, w) in restants.iter_mut().zip(&projetes) {
                if let Some(v) = v {
                    *v = (*v - w).max(0.0);
                }
            }
        }
        let reportable = sp.report_ecarts && precedent.as_ref().is_some_and(|(a, _)| *a == annee - 1);
        let de_l_annee: Vec<usize> = du_perimetre.iter().copied().filter(|&j| lignes[j].annee == annee).collect();
        let mut par_partie: Vec<Vec<usize>> = vec![Vec::new(); n];
        for &j in &de_l_annee {
            if let Some(k) = lignes[j].partie {
                par_partie[k].push(j);
            }
        }
        let projetes = entiers(&projection, n, annee);
        let mut parties = Vec::with_capacity(n);
        for (k, siennes) in par_partie.iter().enumerate() {
            let objectif_etalement = projetes[k];
            let report = if reportable { -precedent.as_ref().map_or(0.0, |(_, e)| e[k]) } else { 0.0 };
            let mut objectif = (objectif_etalement + report).max(0.0);
            if let Some(v) = restants[k] {
                objectif = objectif.min((v + 0.5 + TOLERANCE).floor());
            }
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
        projection = std::borrow::Cow::Owned(projeter(per, &restants, annee + 1, p));
        curseur = annee + 1;
        for (k, x) in parties.iter_mut().enumerate() {
            x.annees_epuisement = projection.annees_epuisement.get(k).copied().flatten();
        }
        // Counted rows per (party, commune).
        let mut comptes: FxHashMap<(usize, &str), u32> = FxHashMap::default();
        for &j in &de_l_annee {
            if let (Some(k), true) = (lignes[j].partie, lignes[j].compte) {
                *comptes.entry((k, commune_de(j))).or_default() += 1;
            }
        }
        let communes = poids
            .iter()
            .map(|(k, commune, w)| {
                let objectif = parties[*k].objectif * w;
                let decomptes = comptes.get(&(*k, commune.as_str())).copied().unwrap_or(0);
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
    let projetes = entiers(&projection, n, suivante);
    res.objectifs_suivants = (0..n)
        .map(|k| {
            let report = if reportable { -precedent.as_ref().map_or(0.0, |(_, e)| e[k]) } else { 0.0 };
            let mut o = (projetes[k] + report).max(0.0);
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
    res.etalement_apres = projection.into_owned();
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

//! What the follow-up returns (SPEC §7 « Outputs of the follow-up »): per convention, year and
//! party — objective, counted, pending, gap, rate, remaining volume — and the year's designation
//! delays, hors-flux attributions and L. 441-1 indicators. Views format these; they compute nothing.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::alertes::Alerte;
use crate::domain::etalement::Etalement;
use crate::domain::model::Motif;
use crate::domain::parametres::Decompte;

/// The follow-up of every convention over the years of mouvements.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Suivi {
    /// Calendar years followed (those with mouvements, from the conversion year on), ascending.
    pub annees: Vec<i32>,
    /// Aligned with `Resultats::perimetres`.
    pub conventions: Vec<SuiviConvention>,
    /// How each mouvement was read (same order as the mouvements given).
    pub lignes: Vec<LigneSuivie>,
    /// Rows that could not be followed (dated before the conversion, party without reservations in
    /// that convention), and counts beyond a volume.
    pub alertes: Vec<Alerte>,
}

/// How one mouvement was read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct LigneSuivie {
    /// Convention (index in `Resultats::perimetres`).
    pub perimetre: usize,
    /// Party (index in the convention's `parts`); `None` when it could not be attached.
    pub partie: Option<usize>,
    pub annee: i32,
    /// It counts against its party's flux.
    pub compte: bool,
    /// It is pending (an `en_cours` outcome under `bail` or `mixte`).
    pub en_attente: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SuiviConvention {
    pub perimetre: usize,
    pub decompte: Decompte,
    /// One entry per followed year (`Suivi::annees`).
    pub annees: Vec<AnneeConvention>,
    /// The étalement projected again after the last followed year, from the volumes left (shown
    /// next to the initial one).
    pub etalement_apres: Etalement,
    /// Objectives of the year after the last followed one, per party (aligned with `parts`),
    /// adjusted by the last gap when `suivi.report_ecarts`.
    pub objectifs_suivants: Vec<f64>,
    /// The same per commune, for the État and the local réservataires.
    pub objectifs_suivants_communes: Vec<ObjectifCommune>,
}

/// A party's objective in one commune.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObjectifCommune {
    pub partie: usize,
    pub commune: String,
    pub objectif: f64,
}

/// One convention in one year.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AnneeConvention {
    pub annee: i32,
    /// Aligned with the convention's `parts`.
    pub parties: Vec<SuiviPartie>,
    /// Per commune, for the État and the local réservataires (SPEC §4.10).
    pub communes: Vec<SuiviCommune>,
    /// Mouvement rows of the year.
    pub orientations: u32,
    /// Vacancies whose reading ended in a count this year.
    pub vacances_decomptees: u32,
    /// Totals over the parties.
    pub objectif_total: f64,
    pub decomptes_total: u32,
    pub en_attente_total: u32,
    /// Counted logements of every party month by month, cumulated (January … December): the
    /// convention's pace through the year.
    pub cumul_mensuel: [u32; 12],
    /// Hors-flux attributions (signed leases) by motif, their total, and the forecast
    /// (`prelevements_annuels` of the convention).
    pub hors_flux: [u32; Motif::N],
    pub hors_flux_total: u32,
    pub prevision_hors_flux: f64,
    /// Orientations whose designation came after the delay, or never, most late first.
    pub retards: Vec<Retard>,
    pub indicateurs: Indicateurs,
}

/// One party of a convention in one year.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SuiviPartie {
    /// Whole logements of the year in the étalement (projected from the volumes left).
    pub objectif_etalement: f64,
    /// The previous year's gap carried (− gap: positive when the party was behind).
    pub report: f64,
    /// The year's objective: étalement + report, never below 0, never above the volume left.
    pub objectif: f64,
    pub decomptes: u32,
    pub en_attente: u32,
    /// decomptes − objectif (negative = behind).
    pub ecart: f64,
    /// decomptes / objectif, when the objective is not 0.
    pub taux: Option<f64>,
    /// Counted logements month by month, cumulated (January … December).
    pub cumul_mensuel: [u32; 12],
    /// V_r left after deducting what was counted; `None` for the État and the bailleur.
    pub volume_restant: Option<f64>,
    /// Counted beyond the volume (reported, not hidden).
    pub exces: f64,
    /// Years to use the volume left, from the next year.
    pub annees_epuisement: Option<f64>,
    /// Median designation delay in days (orientation → designation), over the year's rows.
    pub delai_median_jours: Option<f64>,
    /// Signed leases of the year, of which to priority households, of the known ones.
    pub attributions: u32,
    pub prioritaires: u32,
    pub prioritaire_connu: u32,
    /// prioritaires / prioritaire_connu, against `suivi.cible_prioritaires`.
    pub part_prioritaires: Option<f64>,
    pub cible_prioritaires_atteinte: Option<bool>,
}

impl SuiviPartie {
    /// More was counted than the volume left (the excess is reported, not hidden).
    pub fn volume_depasse(&self) -> bool {
        self.exces > 0.0
    }
}

/// One party in one commune in one year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SuiviCommune {
    pub partie: usize,
    pub commune: String,
    pub objectif: f64,
    pub decomptes: u32,
    pub ecart: f64,
}

/// An orientation whose designation came late or never came.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Retard {
    pub ligne: u32,
    pub rpls: String,
    pub partie: usize,
    pub date_orientation: NaiveDate,
    pub echeance: NaiveDate,
    pub date_designation: Option<NaiveDate>,
    /// Days past the deadline (to the designation, or to 31 December when none came).
    pub jours: i64,
}

/// CCH L. 441-1 indicators of one convention-year, over the signed leases whose household quartile
/// is known.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Indicateurs {
    pub attributions_hors_qpv: u32,
    pub premier_quartile_hors_qpv: u32,
    /// Share of attributions outside QPV to first-quartile households (legal target 25 %).
    pub part_premier_quartile_hors_qpv: Option<f64>,
    pub cible_premier_quartile_atteinte: Option<bool>,
    pub attributions_qpv: u32,
    pub autres_quartiles_qpv: u32,
    /// Share of attributions in QPV to the other quartiles (legal target 50 %).
    pub part_autres_quartiles_qpv: Option<f64>,
    pub cible_autres_quartiles_atteinte: Option<bool>,
}

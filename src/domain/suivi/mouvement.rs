//! Input 2 of SPEC §7: the mouvements of a year — one row per orientation of a vacant logement
//! (a logement oriented twice in a year has two rows). Read by `import::mouvements`, counted by
//! [`super::decompte`].

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::model::Motif;

/// How an orientation ended (SPEC §7 `issue`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Issue {
    /// The lease was signed (`date_bail`).
    BailSigne,
    /// The households proposed declined.
    RefusMenage,
    /// The commission (CALEOL) refused.
    RefusCaleol,
    /// No candidate within the delay (`suivi.delai_designation_jours`).
    NonDesigne,
    /// Still in progress.
    EnCours,
}

impl Issue {
    pub const TOUTES: [Issue; 5] = [Issue::BailSigne, Issue::RefusMenage, Issue::RefusCaleol, Issue::NonDesigne, Issue::EnCours];

    /// Code in files.
    pub fn code(self) -> &'static str {
        match self {
            Issue::BailSigne => "bail_signe",
            Issue::RefusMenage => "refus_menage",
            Issue::RefusCaleol => "refus_caleol",
            Issue::NonDesigne => "non_designe",
            Issue::EnCours => "en_cours",
        }
    }

    pub fn depuis_code(code: &str) -> Option<Issue> {
        Issue::TOUTES.into_iter().find(|i| i.code() == code)
    }

    /// Label shown to people.
    pub fn libelle(self) -> &'static str {
        match self {
            Issue::BailSigne => "bail signé",
            Issue::RefusMenage => "refus du ménage",
            Issue::RefusCaleol => "refus de la CALEOL",
            Issue::NonDesigne => "pas de désignation dans le délai",
            Issue::EnCours => "en cours",
        }
    }
}

/// One orientation of a vacant logement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mouvement {
    /// The logement, as its index in the état des lieux (`Dataset`), resolved from `rpls`.
    pub logement: u32,
    /// Line of the file (messages, follow-up tables).
    pub ligne: u32,
    /// Date the logement became vacant.
    pub date_liberation: Option<NaiveDate>,
    /// Date the bailleur oriented it to a party (for a direct attribution by the bailleur, the
    /// date of the bail).
    pub date_orientation: NaiveDate,
    /// The party it was oriented to, as written in the file: a réservataire name of the état des
    /// lieux, `Etat - prioritaires`, `Etat - agents`; empty = the bailleur's own share.
    pub reservataire: String,
    /// Date the réservataire proposed candidates.
    pub date_designation: Option<NaiveDate>,
    pub issue: Issue,
    /// Date the lease was signed (with `bail_signe`).
    pub date_bail: Option<NaiveDate>,
    /// An attribution made outside the flux (relogement RU/ORCOD/LHI, mutation…): never counted
    /// against a share, it feeds the hors-assiette bilan.
    pub hors_flux: Option<Motif>,
    /// The household's income quartile, 1–4 (L. 441-1 indicators).
    pub quartile: Option<u8>,
    /// Household recognised as a priority (DALO, L. 441-1).
    pub prioritaire: Option<bool>,
}

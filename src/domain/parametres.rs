//! Parameters of the conversion (SPEC §3). Every field has the default of the spec, is saved in the
//! parameters JSON under the same name (nested objects for `rotation.*` and `etat.*`), and carries
//! the rule or source it comes from. Unknown keys are refused so that a typo never goes unnoticed.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::model::{Categorie, Motif, Segment};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Parametres {
    /// Date from which remaining durations are counted. Default: 1 January of the current year.
    pub date_conversion: NaiveDate,
    /// Taux de rotation (seed §3: "aucun consensus … taux unique, par type de réservataire, par
    /// typologie, surface, niveau de loyer, localisation").
    pub rotation: Rotation,
    /// Remaining years of a droit de suite without `date_fin` (réservation "à vie"). Default 20.
    pub duree_sans_terme_ans: f64,
    /// How a réservataire's share of the flux is derived (SPEC §4.7).
    pub methode_part: MethodePart,
    /// Convention horizon in years, used by `annualisation`. Default 10.
    pub horizon_ans: f64,
    /// Préfet's share (CCH L. 441-1, R. 441-5: at most 30 % of the flux, of which at most 5 % for
    /// agents civils et militaires de l'État).
    pub etat: Etat,
    /// Logements per year taken from the flux before the split (mutations, relogements), per
    /// bailleur × département. Default 0.
    pub prelevements_annuels: ParPerimetre,
    /// New logements per year joining the flux (mises en service), per bailleur × département.
    /// Default 0.
    pub mises_en_service_annuelles: ParPerimetre,
    /// What to do when shares exceed 100 % (SPEC §4.8).
    pub depassement: Depassement,
    /// Order used by `depassement = priorite`: réservataire names or category codes
    /// (e.g. `"action_logement"`), first served first. Unlisted réservataires come last.
    pub priorite: Vec<String>,
    /// How yearly logements become whole numbers (SPEC §4.9).
    pub arrondi: Arrondi,
    /// Which `hors_assiette` motifs are taken out of the assiette (CCH R. 441-5 II); switching one
    /// off puts those logements back. Default: all on.
    pub exclusions: BTreeMap<Motif, bool>,
    /// Statistical secrecy of published aggregates: counts 1..seuil−1 are shown as « < seuil »;
    /// 0 disables. Default 5.
    pub secret_statistique: u32,
    /// Roll Paris/Lyon/Marseille arrondissements up to the city in the communal view. Default true.
    pub regroupement_plm: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rotation {
    pub mode: ModeRotation,
    /// 6,3 %: Île-de-France mobility rate of the social parc in 2019 (DRIEA/DRIHL, RPLS).
    pub taux_unique: f64,
    /// Rate per category of réservataire (`non_reserve` for unreserved logements); a missing
    /// category uses `taux_unique`.
    pub par_categorie: BTreeMap<Categorie, f64>,
    /// Rates of the bailleur's parc by one segment; a missing value uses `taux_unique`.
    pub par_segment: TauxParSegment,
}

/// Rates keyed by the values of one segment: typologie `T1`…`T6+`, financement `PLAI`…`Autre`,
/// qpv `qpv`/`hors_qpv`, surface and loyer bands (see [`super::model::SURFACES`],
/// [`super::model::LOYERS`]), or commune INSEE codes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TauxParSegment {
    pub cle: Segment,
    pub taux: BTreeMap<String, f64>,
}

impl Default for TauxParSegment {
    fn default() -> Self {
        TauxParSegment {
            cle: Segment::Typologie,
            taux: BTreeMap::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModeRotation {
    #[default]
    Unique,
    ParCategorie,
    ParSegment,
    /// The row's own `taux_rotation`, falling back to `taux_unique`.
    Observe,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MethodePart {
    /// IDF protocol: share = reserved logements / logements of the assiette.
    #[default]
    PartDuParc,
    /// share = volume / horizon / flux.
    Annualisation,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Etat {
    /// Total préfet share, ≤ 0,30 (CCH L. 441-1). Default 0,30: the préfet aims at 30 %.
    pub part_totale: f64,
    /// Part for State agents, ≤ 0,05 and ≤ `part_totale`. Default 0,05.
    pub part_agents: f64,
}

impl Default for Etat {
    fn default() -> Self {
        Etat {
            part_totale: 0.30,
            part_agents: 0.05,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Depassement {
    /// Scale the non-État shares proportionally so that everything fits in 100 %.
    #[default]
    Proportionnel,
    /// Serve réservataires in the order of `priorite`.
    Priorite,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arrondi {
    /// Largest remainder over all parties of one convention-year, summing to the rounded flux.
    #[default]
    PlusFortsRestes,
    /// Each party carries its fraction to the next year (small réservataires get named years).
    Report,
    /// No rounding: fractional logements.
    Aucun,
}

/// A yearly number of logements per bailleur × département: one value for every perimeter, or a
/// default plus values for named perimeters (`"BAILLEUR|93"`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    untagged,
    expecting = "prélèvements / mises en service : un nombre, ou {\"defaut\": nombre, \"par_perimetre\": {\"BAILLEUR|93\": nombre}}"
)]
pub enum ParPerimetre {
    Uniforme(f64),
    Detaille(ParPerimetreDetaille),
}

/// The detailed form of [`ParPerimetre`]; unknown keys are refused (a forgotten `par_perimetre`
/// level would otherwise silently mean 0 everywhere).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParPerimetreDetaille {
    #[serde(default)]
    pub defaut: f64,
    #[serde(default)]
    pub par_perimetre: BTreeMap<String, f64>,
}

impl Default for ParPerimetre {
    fn default() -> Self {
        ParPerimetre::Uniforme(0.0)
    }
}

impl ParPerimetre {
    /// Value for the perimeter (bailleur, département).
    pub fn valeur(&self, bailleur: &str, departement: &str) -> f64 {
        match self {
            ParPerimetre::Uniforme(v) => *v,
            ParPerimetre::Detaille(ParPerimetreDetaille { defaut, par_perimetre }) => par_perimetre
                .get(&format!("{bailleur}|{departement}"))
                .copied()
                .unwrap_or(*defaut),
        }
    }

    fn valeurs(&self) -> Vec<f64> {
        match self {
            ParPerimetre::Uniforme(v) => vec![*v],
            ParPerimetre::Detaille(ParPerimetreDetaille { defaut, par_perimetre }) => std::iter::once(*defaut)
                .chain(par_perimetre.values().copied())
                .collect(),
        }
    }
}

impl Default for Rotation {
    fn default() -> Self {
        Rotation {
            mode: ModeRotation::Unique,
            taux_unique: 0.063,
            par_categorie: BTreeMap::new(),
            par_segment: TauxParSegment::default(),
        }
    }
}

impl Default for Parametres {
    fn default() -> Self {
        let annee = chrono::Local::now().date_naive().year();
        Parametres {
            date_conversion: NaiveDate::from_ymd_opt(annee, 1, 1).expect("1er janvier"),
            rotation: Rotation::default(),
            duree_sans_terme_ans: 20.0,
            methode_part: MethodePart::PartDuParc,
            horizon_ans: 10.0,
            etat: Etat::default(),
            prelevements_annuels: ParPerimetre::default(),
            mises_en_service_annuelles: ParPerimetre::default(),
            depassement: Depassement::Proportionnel,
            priorite: Vec::new(),
            arrondi: Arrondi::PlusFortsRestes,
            exclusions: Motif::TOUS.into_iter().map(|m| (m, true)).collect(),
            secret_statistique: 5,
            regroupement_plm: true,
        }
    }
}

impl Parametres {
    /// Reads a parameters JSON; missing keys take their default. Errors are in French and name the key.
    pub fn depuis_json(texte: &str) -> Result<Parametres, String> {
        let p: Parametres = serde_json::from_str(texte)
            .map_err(|e| format!("fichier de paramètres illisible : {e}"))?;
        p.valider()?;
        Ok(p)
    }

    pub fn vers_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("paramètres sérialisables")
    }

    /// Is this motif taken out of the assiette? (a motif missing from `exclusions` is on)
    pub fn exclut(&self, motif: Motif) -> bool {
        self.exclusions.get(&motif).copied().unwrap_or(true)
    }

    /// Checks the legal and arithmetic bounds; every message names the parameter.
    pub fn valider(&self) -> Result<(), String> {
        let mut erreurs = Vec::new();
        let mut taux = |nom: &str, v: f64| {
            if !(0.0..=1.0).contains(&v) {
                erreurs.push(format!(
                    "{nom} = {v} : un taux de rotation doit être entre 0 et 1"
                ));
            }
        };
        taux("rotation.taux_unique", self.rotation.taux_unique);
        for (c, v) in &self.rotation.par_categorie {
            taux(&format!("rotation.par_categorie.{}", c.code()), *v);
        }
        for (k, v) in &self.rotation.par_segment.taux {
            taux(&format!("rotation.par_segment.taux.{k}"), *v);
        }
        let e = &self.etat;
        if !(0.0..=0.30).contains(&e.part_totale) {
            erreurs.push(format!(
                "etat.part_totale = {} : la part de l'État est au plus de 30 % du flux (0,30)",
                e.part_totale
            ));
        }
        if !(0.0..=0.05).contains(&e.part_agents) {
            erreurs.push(format!(
                "etat.part_agents = {} : la part des agents de l'État est au plus de 5 % (0,05)",
                e.part_agents
            ));
        } else if e.part_agents > e.part_totale {
            erreurs.push(format!(
                "etat.part_agents = {} dépasse etat.part_totale = {}",
                e.part_agents, e.part_totale
            ));
        }
        if !(self.duree_sans_terme_ans >= 0.0 && self.duree_sans_terme_ans <= 200.0) {
            erreurs.push(format!(
                "duree_sans_terme_ans = {} : doit être entre 0 et 200 ans",
                self.duree_sans_terme_ans
            ));
        }
        if !(self.horizon_ans > 0.0 && self.horizon_ans <= 100.0) {
            erreurs.push(format!(
                "horizon_ans = {} : doit être entre 0 (exclu) et 100 ans",
                self.horizon_ans
            ));
        }
        for (nom, pp) in [
            ("prelevements_annuels", &self.prelevements_annuels),
            (
                "mises_en_service_annuelles",
                &self.mises_en_service_annuelles,
            ),
        ] {
            if pp.valeurs().iter().any(|v| !(v.is_finite() && *v >= 0.0)) {
                erreurs.push(format!(
                    "{nom} : un nombre de logements par an doit être positif ou nul"
                ));
            }
        }
        if erreurs.is_empty() {
            Ok(())
        } else {
            Err(erreurs.join(" ; "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_spec() {
        let p = Parametres::default();
        assert_eq!(p.rotation.mode, ModeRotation::Unique);
        assert_eq!(p.rotation.taux_unique, 0.063);
        assert_eq!(p.duree_sans_terme_ans, 20.0);
        assert_eq!(p.methode_part, MethodePart::PartDuParc);
        assert_eq!(p.horizon_ans, 10.0);
        assert_eq!((p.etat.part_totale, p.etat.part_agents), (0.30, 0.05));
        assert_eq!(p.depassement, Depassement::Proportionnel);
        assert_eq!(p.arrondi, Arrondi::PlusFortsRestes);
        assert!(Motif::TOUS.iter().all(|m| p.exclut(*m)));
        assert_eq!(p.secret_statistique, 5);
        assert!(p.regroupement_plm);
        assert_eq!(p.date_conversion.ordinal(), 1);
        assert!(p.valider().is_ok());
    }

    #[test]
    fn json_round_trip_and_nesting() {
        let p = Parametres::depuis_json(
            r#"{"date_conversion":"2025-01-01","rotation":{"mode":"par_segment",
            "par_segment":{"cle":"typologie","taux":{"T1":0.09}}},"etat":{"part_totale":0.25},
            "prelevements_annuels":3,"mises_en_service_annuelles":{"defaut":1,"par_perimetre":{"B|93":4}},
            "exclusions":{"vente":false}}"#,
        )
        .unwrap();
        assert_eq!(p.rotation.mode, ModeRotation::ParSegment);
        assert_eq!(p.rotation.taux_unique, 0.063);
        assert_eq!(p.etat.part_agents, 0.05);
        assert_eq!(p.prelevements_annuels.valeur("X", "75"), 3.0);
        assert_eq!(p.mises_en_service_annuelles.valeur("B", "93"), 4.0);
        assert_eq!(p.mises_en_service_annuelles.valeur("B", "94"), 1.0);
        assert!(!p.exclut(Motif::Vente) && p.exclut(Motif::Lhi));
        assert_eq!(Parametres::depuis_json(&p.vers_json()).unwrap(), p);
    }

    #[test]
    fn invalid_parameters_are_named_in_french() {
        let e = Parametres::depuis_json(r#"{"etat":{"part_totale":0.31}}"#).unwrap_err();
        assert!(e.contains("etat.part_totale") && e.contains("30 %"), "{e}");
        let e = Parametres::depuis_json(r#"{"etat":{"part_totale":0.04,"part_agents":0.05}}"#)
            .unwrap_err();
        assert!(e.contains("part_agents"), "{e}");
        let e = Parametres::depuis_json(r#"{"horizon":10}"#).unwrap_err();
        assert!(e.contains("horizon"), "{e}");
        assert!(Parametres::depuis_json(r#"{"rotation":{"taux_unique":1.5}}"#).is_err());
    }

    #[test]
    fn per_perimeter_values_refuse_unknown_keys() {
        let ok = Parametres::depuis_json(r#"{"mises_en_service_annuelles": {"defaut": 2, "par_perimetre": {"B|93": 40}}}"#).unwrap();
        assert_eq!(ok.mises_en_service_annuelles.valeur("B", "93"), 40.0);
        assert_eq!(ok.mises_en_service_annuelles.valeur("B", "94"), 2.0);
        let e = Parametres::depuis_json(r#"{"mises_en_service_annuelles": {"B|93": 40}}"#).unwrap_err();
        assert!(e.contains("mises en service : un nombre, ou"), "{e}");
    }
}

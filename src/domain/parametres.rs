//! Parameters of the conversion (SPEC §3). Every field has the default of the spec, is saved in the
//! parameters JSON under the same name (nested objects for `rotation.*` and `etat.*`), and carries
//! the rule or source it comes from. Unknown keys are refused so that a typo never goes unnoticed.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::model::{Categorie, Motif, Segment};
use super::regles::{PART_AGENTS_MAX, PART_ETAT_MAX};

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
    /// New logements by calendar year of first letting (SPEC §3 v2, §4.5): let first in stock,
    /// they join the flux from the next year at the perimeter's mean rate (seed: « les logements
    /// intégreraient le flux à leur libération »). Default: none.
    pub mises_en_service: MisesEnService,
    /// v1 key (a constant yearly number added to F), still read: turned into `mises_en_service`
    /// with that number every year, and a warning explaining the change. Never written back.
    #[serde(skip_serializing)]
    pub mises_en_service_annuelles: Option<ParPerimetre>,
    /// What to do when shares exceed 100 % (SPEC §4.8).
    pub depassement: Depassement,
    /// Order used by `depassement = priorite`: réservataire names or category codes
    /// (e.g. `"action_logement"`), first served first. Unlisted réservataires come last.
    pub priorite: Vec<String>,
    /// How yearly logements become whole numbers (SPEC §4.9).
    pub arrondi: Arrondi,
    /// Which `hors_assiette` motifs are taken out of the assiette (CCH R. 441-5 II); switching one
    /// off puts those logements back. Default: every legal motif on, `autre` off (SPEC §3 v2: the
    /// seed insists that exclusions are not extended beyond the texts). A list of the excluded
    /// motifs is accepted too.
    #[serde(deserialize_with = "exclusions_map_ou_liste")]
    pub exclusions: BTreeMap<Motif, bool>,
    /// Statistical secrecy of published aggregates (SPEC §5 v2, `domain::secret`): counts
    /// 1..seuil−1 are masked « s », with their derived and complementary cells; 0 disables.
    /// Default 5.
    pub secret_statistique: u32,
    /// Roll Paris/Lyon/Marseille arrondissements up to the city in the communal view. Default true.
    pub regroupement_plm: bool,
    /// The yearly follow-up (SPEC §7): which outcome counts, the designation delay, carry-over of
    /// gaps, the L. 441-1 targets.
    pub suivi: ParametresSuivi,
    /// Notes raised while reading the parameters (an old key converted…), in French; shown as
    /// alerts, never saved.
    #[serde(skip)]
    pub avertissements: Vec<String>,
}

/// `exclusions` as a map `{motif: true/false}` or as the list of excluded motifs.
fn exclusions_map_ou_liste<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<Motif, bool>, D::Error> {
    #[derive(Deserialize)]
    #[serde(
        untagged,
        expecting = "exclusions : {\"motif\": true/false} ou une liste de motifs"
    )]
    enum Forme {
        Carte(BTreeMap<Motif, bool>),
        Liste(Vec<Motif>),
    }
    Ok(match Forme::deserialize(d)? {
        Forme::Carte(m) => m,
        Forme::Liste(l) => Motif::TOUS.iter().map(|&m| (m, l.contains(&m))).collect(),
    })
}

/// Which outcome of an orientation makes it count against the flux of the party it was oriented
/// to (SPEC §7, a convention choice; the IDF concertation favours the mixed scenario).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decompte {
    /// Every orientation counts.
    Orientation,
    /// Only a signed lease counts.
    Bail,
    /// Orientations and attributions both tracked: a lease, a household's refusal or no designation
    /// within the delay count; a CALEOL refusal does not (the bailleur orients again).
    #[default]
    Mixte,
}

impl Decompte {
    pub const TOUS: [Decompte; 3] = [Decompte::Orientation, Decompte::Bail, Decompte::Mixte];

    pub fn code(self) -> &'static str {
        match self {
            Decompte::Orientation => "orientation",
            Decompte::Bail => "bail",
            Decompte::Mixte => "mixte",
        }
    }

    /// Label shown to people.
    pub fn libelle(self) -> &'static str {
        match self {
            Decompte::Orientation => "à l'orientation",
            Decompte::Bail => "au bail signé",
            Decompte::Mixte => "mixte (orientations et attributions)",
        }
    }
}

/// Parameters of the yearly follow-up (SPEC §7).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ParametresSuivi {
    /// Default counting of every convention (`mixte`).
    pub decompte: Decompte,
    /// Conventions with their own counting (`"BAILLEUR|93": "bail"`).
    pub decompte_par_perimetre: BTreeMap<String, Decompte>,
    /// Days the réservataire has to propose candidates (seed: « un mois »). Default 30.
    pub delai_designation_jours: u32,
    /// The previous year's gap adjusts the year's objective. Default true.
    pub report_ecarts: bool,
    /// CCH L. 441-1: at least 25 % of the attributions outside QPV go to first-quartile households.
    pub cible_premier_quartile_hors_qpv: f64,
    /// CCH L. 441-1: at least 50 % of the attributions in QPV go to households of the other quartiles.
    pub cible_autres_quartiles_en_qpv: f64,
    /// Share of each réservataire's attributions to priority households (DALO, L. 441-1). Default 25 %.
    pub cible_prioritaires: f64,
}

impl Default for ParametresSuivi {
    fn default() -> Self {
        ParametresSuivi {
            decompte: Decompte::Mixte,
            decompte_par_perimetre: BTreeMap::new(),
            delai_designation_jours: 30,
            report_ecarts: true,
            cible_premier_quartile_hors_qpv: 0.25,
            cible_autres_quartiles_en_qpv: 0.50,
            cible_prioritaires: 0.25,
        }
    }
}

impl ParametresSuivi {
    /// The counting of convention (bailleur, département).
    pub fn decompte(&self, bailleur: &str, departement: &str) -> Decompte {
        self.decompte_par_perimetre.get(&cle_perimetre(bailleur, departement)).copied().unwrap_or(self.decompte)
    }
}

/// One cohort of new logements: `logements` first let in calendar year `annee`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cohorte {
    pub annee: i32,
    pub logements: f64,
}

impl Cohorte {
    /// A year without logements yet (a new line of the editor).
    pub fn vide(annee: i32) -> Cohorte {
        Cohorte { annee, logements: 0.0 }
    }
}

/// `mises_en_service`: a list of cohorts for every perimeter, or a default list plus lists for
/// named perimeters (`"BAILLEUR|93"`, the key form of `prelevements_annuels`); a perimeter's own
/// list replaces the default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    untagged,
    expecting = "mises_en_service : une liste [{\"annee\": 2027, \"logements\": 120}], ou {\"defaut\": [...], \"par_perimetre\": {\"BAILLEUR|93\": [...]}}"
)]
pub enum MisesEnService {
    Liste(Vec<Cohorte>),
    Detaille(MisesEnServiceDetaille),
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MisesEnServiceDetaille {
    #[serde(default)]
    pub defaut: Vec<Cohorte>,
    #[serde(default)]
    pub par_perimetre: BTreeMap<String, Vec<Cohorte>>,
}

impl Default for MisesEnService {
    fn default() -> Self {
        MisesEnService::Liste(Vec::new())
    }
}

impl MisesEnService {
    /// The cohorts of the perimeter (bailleur, département).
    pub fn cohortes(&self, bailleur: &str, departement: &str) -> &[Cohorte] {
        match self {
            MisesEnService::Liste(l) => l,
            MisesEnService::Detaille(d) => d
                .par_perimetre
                .get(&cle_perimetre(bailleur, departement))
                .unwrap_or(&d.defaut),
        }
    }

    fn toutes(&self) -> impl Iterator<Item = &Cohorte> {
        let (defaut, autres): (&[Cohorte], Vec<&Vec<Cohorte>>) = match self {
            MisesEnService::Liste(l) => (l, Vec::new()),
            MisesEnService::Detaille(d) => (&d.defaut, d.par_perimetre.values().collect()),
        };
        defaut.iter().chain(autres.into_iter().flatten())
    }

    /// In words, for the report: « 120 en 2027, 50 en 2029 », and the conventions with their own list.
    pub fn resume(&self) -> String {
        let liste = |l: &[Cohorte]| {
            if l.is_empty() {
                "aucune".to_owned()
            } else {
                l.iter().map(|c| format!("{} en {}", crate::format::decimal(c.logements, 0), c.annee)).collect::<Vec<_>>().join(", ")
            }
        };
        match self {
            MisesEnService::Liste(l) => liste(l),
            MisesEnService::Detaille(d) => format!("{} par défaut ; {} convention(s) avec leur propre liste", liste(&d.defaut), d.par_perimetre.len()),
        }
    }

    /// The list that applies to every perimeter without its own (the editable one in the app).
    pub fn defaut(&self) -> &[Cohorte] {
        match self {
            MisesEnService::Liste(l) => l,
            MisesEnService::Detaille(d) => &d.defaut,
        }
    }

    /// Replaces the default list, keeping per-perimeter lists.
    pub fn regler_defaut(&mut self, l: Vec<Cohorte>) {
        match self {
            MisesEnService::Liste(x) => *x = l,
            MisesEnService::Detaille(d) => d.defaut = l,
        }
    }

    /// Named perimeters (`"BAILLEUR|93"`), to check them against the file.
    pub fn perimetres(&self) -> Vec<&str> {
        match self {
            MisesEnService::Liste(_) => Vec::new(),
            MisesEnService::Detaille(d) => d.par_perimetre.keys().map(String::as_str).collect(),
        }
    }

    /// v1 `mises_en_service_annuelles` (a constant added to F every year) as cohorts: that number
    /// of new logements every year of the étalement from `debut`.
    fn depuis_annuelles(v1: &ParPerimetre, debut: i32) -> MisesEnService {
        let liste = |n: f64| -> Vec<Cohorte> {
            if n > 0.0 {
                (0..i32::from(super::regles::ANNEES_MAX))
                    .map(|k| Cohorte { annee: debut + k, logements: n })
                    .collect()
            } else {
                Vec::new()
            }
        };
        match v1 {
            ParPerimetre::Uniforme(n) => MisesEnService::Liste(liste(*n)),
            ParPerimetre::Detaille(d) => MisesEnService::Detaille(MisesEnServiceDetaille {
                defaut: liste(d.defaut),
                par_perimetre: d.par_perimetre.iter().map(|(k, n)| (k.clone(), liste(*n))).collect(),
            }),
        }
    }
}

/// Key of a convention perimeter in the per-perimeter parameters: `"BAILLEUR|93"`.
pub fn cle_perimetre(bailleur: &str, departement: &str) -> String {
    format!("{bailleur}|{departement}")
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
    /// SPEC §4.9 v2 (default): each party's cumulated entitlement rounded to the nearest whole
    /// logement, the bailleur absorbing the rounding — no small réservataire is « noyé dans le flux ».
    #[default]
    Cumul,
    /// v1: largest remainder year by year over all parties of one convention-year.
    PlusFortsRestes,
    /// Each party carries its fraction to the next year (small réservataires get named years).
    Report,
    /// No rounding: fractional logements.
    Aucun,
}

impl Arrondi {
    /// Label shown to people.
    pub fn libelle(self) -> &'static str {
        match self {
            Arrondi::Cumul => "cumul arrondi (le bailleur absorbe l'arrondi)",
            Arrondi::PlusFortsRestes => "plus forts restes (v1)",
            Arrondi::Report => "report des fractions (v1)",
            Arrondi::Aucun => "aucun (logements fractionnaires)",
        }
    }
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
    /// In words, for the report.
    pub fn resume(&self) -> String {
        match self {
            ParPerimetre::Uniforme(x) => format!("{} par convention", crate::format::decimal(*x, 1)),
            ParPerimetre::Detaille(d) => format!("{} par défaut, {} valeur(s) par convention", crate::format::decimal(d.defaut, 1), d.par_perimetre.len()),
        }
    }

    /// The value of every perimeter without its own (the editable one in the app).
    pub fn defaut(&self) -> f64 {
        match self {
            ParPerimetre::Uniforme(x) => *x,
            ParPerimetre::Detaille(d) => d.defaut,
        }
    }

    pub fn regler_defaut(&mut self, v: f64) {
        match self {
            ParPerimetre::Uniforme(x) => *x = v,
            ParPerimetre::Detaille(d) => d.defaut = v,
        }
    }

    /// Value for the perimeter (bailleur, département).
    pub fn valeur(&self, bailleur: &str, departement: &str) -> f64 {
        match self {
            ParPerimetre::Uniforme(v) => *v,
            ParPerimetre::Detaille(ParPerimetreDetaille { defaut, par_perimetre }) => par_perimetre
                .get(&cle_perimetre(bailleur, departement))
                .copied()
                .unwrap_or(*defaut),
        }
    }

    /// Named perimeters (`"BAILLEUR|93"`), to check them against the file.
    pub fn perimetres(&self) -> Vec<&str> {
        match self {
            ParPerimetre::Uniforme(_) => Vec::new(),
            ParPerimetre::Detaille(d) => d.par_perimetre.keys().map(String::as_str).collect(),
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
            mises_en_service: MisesEnService::default(),
            mises_en_service_annuelles: None,
            depassement: Depassement::Proportionnel,
            priorite: Vec::new(),
            arrondi: Arrondi::Cumul,
            exclusions: Motif::TOUS
                .into_iter()
                .map(|m| (m, exclu_par_defaut(m)))
                .collect(),
            secret_statistique: 5,
            regroupement_plm: true,
            suivi: ParametresSuivi::default(),
            avertissements: Vec::new(),
        }
    }
}

/// Default of a motif in `exclusions`: every legal motif of CCH R. 441-5 II is taken out; `autre`
/// stays in the assiette (SPEC §3 v2).
pub fn exclu_par_defaut(m: Motif) -> bool {
    m != Motif::Autre
}

impl Parametres {
    /// The parameters of the conversion: all but those of the yearly follow-up (SPEC §7), which
    /// change nothing in [`super::calculer`]'s results. The page keys its results on these, so that
    /// a change of `suivi.decompte` recomputes the follow-up only.
    pub fn de_conversion(&self) -> Parametres {
        Parametres { suivi: Default::default(), ..self.clone() }
    }

    /// Reads a parameters JSON; missing keys take their default. Errors are in French and name the
    /// key. The v1 key `mises_en_service_annuelles` is converted, with a note in `avertissements`.
    pub fn depuis_json(texte: &str) -> Result<Parametres, String> {
        let mut p: Parametres = serde_json::from_str(texte)
            .map_err(|e| format!("fichier de paramètres illisible : {e}"))?;
        if let Some(v1) = p.mises_en_service_annuelles.take() {
            p.mises_en_service =
                MisesEnService::depuis_annuelles(&v1, p.date_conversion.year());
            p.avertissements.push(
                "mises_en_service_annuelles (v1) est remplacé par mises_en_service : le nombre donné \
                 est lu comme autant de logements neufs mis en service chaque année ; loués d'abord \
                 hors flux, ils rejoignent le flux l'année suivante au taux de rotation moyen du \
                 périmètre (ils ne s'ajoutent plus directement au flux)."
                    .to_owned(),
            );
        }
        p.valider()?;
        Ok(p)
    }

    pub fn vers_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("paramètres sérialisables")
    }

    /// Is this motif taken out of the assiette? (a motif missing from `exclusions` keeps its
    /// default, [`exclu_par_defaut`])
    pub fn exclut(&self, motif: Motif) -> bool {
        self.exclusions
            .get(&motif)
            .copied()
            .unwrap_or_else(|| exclu_par_defaut(motif))
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
        if !(0.0..=PART_ETAT_MAX).contains(&e.part_totale) {
            erreurs.push(format!(
                "etat.part_totale = {} : la part de l'État est au plus de 30 % du flux (0,30)",
                e.part_totale
            ));
        }
        if !(0.0..=PART_AGENTS_MAX).contains(&e.part_agents) {
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
        if self
            .prelevements_annuels
            .valeurs()
            .iter()
            .any(|v| !(v.is_finite() && *v >= 0.0))
        {
            erreurs.push(
                "prelevements_annuels : un nombre de logements par an doit être positif ou nul"
                    .to_owned(),
            );
        }
        if let Some(c) = self
            .mises_en_service
            .toutes()
            .find(|c| !(c.logements.is_finite() && c.logements >= 0.0) || !(1900..=2200).contains(&c.annee))
        {
            erreurs.push(format!(
                "mises_en_service : {} logements en {} — un nombre de logements positif ou nul et une année entre 1900 et 2200 sont attendus",
                c.logements, c.annee
            ));
        }
        let s = &self.suivi;
        for (nom, v) in [
            ("suivi.cible_premier_quartile_hors_qpv", s.cible_premier_quartile_hors_qpv),
            ("suivi.cible_autres_quartiles_en_qpv", s.cible_autres_quartiles_en_qpv),
            ("suivi.cible_prioritaires", s.cible_prioritaires),
        ] {
            if !(0.0..=1.0).contains(&v) {
                erreurs.push(format!("{nom} = {v} : une part doit être entre 0 et 1"));
            }
        }
        if s.delai_designation_jours > 366 {
            erreurs.push(format!("suivi.delai_designation_jours = {} : au plus 366 jours", s.delai_designation_jours));
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

    /// The conversion's parameters keep every parameter but the follow-up's, which go back to
    /// their defaults.
    #[test]
    fn conversion_parameters_drop_only_the_follow_up() {
        let mut p = Parametres { duree_sans_terme_ans: 25.0, ..Default::default() };
        p.suivi.delai_designation_jours = 45;
        p.suivi.report_ecarts = !p.suivi.report_ecarts;
        let c = p.de_conversion();
        assert_eq!(c, Parametres { suivi: ParametresSuivi::default(), ..p.clone() });
        assert_ne!(c, p);
        assert_eq!(c.duree_sans_terme_ans, 25.0);
    }

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
        assert_eq!(p.arrondi, Arrondi::Cumul, "SPEC §3 v2");
        assert!(Motif::TOUS.iter().filter(|m| **m != Motif::Autre).all(|m| p.exclut(*m)));
        assert!(!p.exclut(Motif::Autre), "SPEC §3 v2: autre off by default");
        assert_eq!(p.mises_en_service, MisesEnService::Liste(Vec::new()));
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
            "prelevements_annuels":3,
            "mises_en_service":{"defaut":[{"annee":2026,"logements":10}],"par_perimetre":{"B|93":[{"annee":2027,"logements":120}]}},
            "exclusions":{"vente":false}}"#,
        )
        .unwrap();
        assert_eq!(p.rotation.mode, ModeRotation::ParSegment);
        assert_eq!(p.rotation.taux_unique, 0.063);
        assert_eq!(p.etat.part_agents, 0.05);
        assert_eq!(p.prelevements_annuels.valeur("X", "75"), 3.0);
        assert_eq!(p.mises_en_service.cohortes("B", "93"), [Cohorte { annee: 2027, logements: 120.0 }]);
        assert_eq!(p.mises_en_service.cohortes("B", "94"), [Cohorte { annee: 2026, logements: 10.0 }]);
        assert!(!p.exclut(Motif::Vente) && p.exclut(Motif::Lhi) && !p.exclut(Motif::Autre));
        assert!(p.avertissements.is_empty());
        assert_eq!(Parametres::depuis_json(&p.vers_json()).unwrap(), p);
        let liste = Parametres::depuis_json(r#"{"mises_en_service":[{"annee":2027,"logements":120}]}"#).unwrap();
        assert_eq!(liste.mises_en_service.cohortes("Z", "75").len(), 1);
    }

    #[test]
    fn exclusions_as_a_list_of_motifs() {
        let p = Parametres::depuis_json(r#"{"exclusions":["vente","autre"]}"#).unwrap();
        assert!(p.exclut(Motif::Vente) && p.exclut(Motif::Autre) && !p.exclut(Motif::Lhi));
    }

    /// The v1 key is read as new logements every year, with a note explaining the change.
    #[test]
    fn v1_mises_en_service_annuelles_is_converted_with_a_warning() {
        let p = Parametres::depuis_json(
            r#"{"date_conversion":"2026-01-01","mises_en_service_annuelles":{"defaut":2,"par_perimetre":{"B|93":40}}}"#,
        )
        .unwrap();
        let c = p.mises_en_service.cohortes("B", "93");
        assert_eq!(c.len(), 50);
        assert_eq!((c[0].annee, c[0].logements, c[49].annee), (2026, 40.0, 2075));
        assert_eq!(p.mises_en_service.cohortes("B", "94")[0].logements, 2.0);
        assert_eq!(p.avertissements.len(), 1);
        assert!(p.avertissements[0].contains("mises_en_service_annuelles (v1)"), "{:?}", p.avertissements);
        assert!(!p.vers_json().contains("mises_en_service_annuelles"), "never written back");
        let p = Parametres::depuis_json(r#"{"mises_en_service_annuelles":0}"#).unwrap();
        assert_eq!(p.mises_en_service.cohortes("B", "93").len(), 0);
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
        let e = Parametres::depuis_json(r#"{"mises_en_service":[{"annee":2027,"logements":-3}]}"#).unwrap_err();
        assert!(e.starts_with("mises_en_service : -3 logements en 2027"), "{e}");
        let e = Parametres::depuis_json(r#"{"mises_en_service":[{"an":2027,"logements":3}]}"#).unwrap_err();
        assert!(e.contains("mises_en_service : une liste"), "{e}");
    }

    #[test]
    fn per_perimeter_values_refuse_unknown_keys() {
        let ok = Parametres::depuis_json(r#"{"prelevements_annuels": {"defaut": 2, "par_perimetre": {"B|93": 40}}}"#).unwrap();
        assert_eq!(ok.prelevements_annuels.valeur("B", "93"), 40.0);
        assert_eq!(ok.prelevements_annuels.valeur("B", "94"), 2.0);
        let e = Parametres::depuis_json(r#"{"prelevements_annuels": {"B|93": 40}}"#).unwrap_err();
        assert!(e.contains("mises en service : un nombre, ou"), "{e}");
    }
}

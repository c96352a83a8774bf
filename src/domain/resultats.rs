//! What the engine returns: every number and every verdict a page, an export or the command line
//! shows. Views format these; they never derive a total, a cap check or a year from them.

use serde::Serialize;

use super::agregation::{Agregat, VueCommunale};
use super::alertes::Alerte;
use super::etalement::Etalement;
use super::model::{self, Categorie};
use super::regles::ControleEtat;
use super::territoire::Objectif;

/// The role of a party in a convention, explicit (never inferred from its position in a list).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The préfet's share for priority households (CCH L. 441-1).
    EtatPrioritaires,
    /// The préfet's share for agents civils et militaires de l'État.
    EtatAgents,
    /// A réservataire whose droits are converted into a volume.
    Reservataire,
    /// The bailleur's residual share; it orients the logements and absorbs the rounding.
    Bailleur,
}

impl Role {
    pub fn de(categorie: Categorie) -> Role {
        match categorie {
            Categorie::EtatPrioritaires => Role::EtatPrioritaires,
            Categorie::EtatAgents => Role::EtatAgents,
            Categorie::Bailleur => Role::Bailleur,
            _ => Role::Reservataire,
        }
    }

    pub fn est_etat(self) -> bool {
        matches!(self, Role::EtatPrioritaires | Role::EtatAgents)
    }
}

/// Label shown to people for a party named `nom` of category `categorie`: the État parties by
/// their category, the bailleur marked as such, a réservataire by its name — with its category
/// when another party of the convention has the same name (`homonyme`).
pub fn libelle_partie(nom: &str, categorie: Categorie, homonyme: bool) -> String {
    match Role::de(categorie) {
        Role::EtatPrioritaires | Role::EtatAgents => categorie.libelle().to_owned(),
        Role::Bailleur => format!("{nom} (bailleur)"),
        Role::Reservataire if homonyme => format!("{nom} ({})", categorie.libelle()),
        Role::Reservataire => nom.to_owned(),
    }
}

/// One party of a convention: État prioritaires, État agents, a réservataire, or the bailleur.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResultatPartie {
    /// Name in the outputs of SPEC §6 (`Etat - prioritaires` for the État, the bailleur's name).
    pub reservataire: String,
    pub categorie: Categorie,
    pub role: Role,
    /// L_r: logements with v_l > 0 in the assiette.
    pub logements_reserves: u32,
    /// V_r = Σ v_l (for the État: for information, not converted).
    pub volume_droits: f64,
    /// Share of the flux, a fraction, after overflow.
    pub part: f64,
    /// Share before the overflow rule (SPEC §4.8).
    pub part_avant_depassement: f64,
    /// p × F_1: the convention's yearly figure at signature.
    pub logements_par_an: f64,
    /// Years to use V_r up, simulated with the F_k; `None` for the État, the bailleur, or when
    /// nothing is consumed.
    pub annees_epuisement: Option<f64>,
    /// Calendar years in which a party under one logement a year receives a whole logement
    /// (SPEC §4.9 v2); empty otherwise.
    pub annees_nommees: Vec<i32>,
    /// Whole logements over the whole étalement.
    pub logements_etalement: f64,
    /// Under the v1 roundings: its whole logements fall short of its volume by one or more.
    pub noye: bool,
    /// Another party of the convention has the same name (under another category).
    pub homonyme: bool,
}

impl ResultatPartie {
    /// Label shown to people (« État — prioritaires », « Seine Habitat (bailleur) », else the name).
    pub fn libelle(&self) -> String {
        libelle_partie(&self.reservataire, self.categorie, self.homonyme)
    }

    /// Less than one logement a year: it gets named years.
    pub fn petite(&self) -> bool {
        self.role != Role::Bailleur && self.logements_par_an < 1.0 && self.part > 0.0
    }
}

/// Results of one convention perimeter (bailleur, département).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResultatPerimetre {
    pub bailleur: String,
    pub departement: String,
    pub logements: u32,
    pub assiette: u32,
    /// Logements out of the assiette per active motif (index `Motif as usize`).
    pub hors_assiette: [u32; model::Motif::N],
    pub hors_assiette_total: u32,
    /// Logements with motif `autre` kept in the assiette (SPEC §3 v2 alert).
    pub autre_dans_assiette: u32,
    /// Σ τ_l over the assiette (estimated yearly liberations).
    pub liberations: f64,
    /// τ̄: the rate at which new logements rotate once in the flux.
    pub taux_moyen: f64,
    /// F_1, the flux of the conversion year (SPEC §4.5 v2).
    pub flux_annuel: f64,
    /// F_k year by year (to project the étalement again from a later year, SPEC §7).
    pub flux_annuels: super::flux::FluxAnnuels,
    /// p_État + Σ p_r before overflow.
    pub somme_parts_avant_depassement: f64,
    /// The shares exceeded 100 % and were reduced (SPEC §4.8).
    pub depassement: bool,
    /// The État's shares of the flux against the legal caps.
    pub controle_etat: ControleEtat,
    /// The État's stock of reservations against the same caps (share of the assiette).
    pub controle_stock_etat: ControleEtat,
    /// Σ of the shares (exactly 1) and of the yearly logements (F_1).
    pub total_parts: f64,
    pub total_logements_par_an: f64,
    /// État prioritaires, État agents, réservataires by name, bailleur (the tie-break order).
    pub parts: Vec<ResultatPartie>,
    pub etalement: Etalement,
    pub objectifs: Vec<Objectif>,
}

impl ResultatPerimetre {
    pub fn partie(&self, role: Role) -> Option<&ResultatPartie> {
        self.parts.iter().find(|p| p.role == role)
    }

    /// The étalement as chart series, at most [`SERIES_MAX`] so that each has its own colour: the
    /// État parties, the réservataires with the largest volumes, the others together, the bailleur.
    /// The data table keeps every party.
    pub fn series_etalement(&self) -> (Vec<String>, Vec<(i32, Vec<f64>)>) {
        let reservataires: Vec<usize> = (0..self.parts.len()).filter(|&k| self.parts[k].role == Role::Reservataire).collect();
        let mut par_volume = reservataires.clone();
        par_volume.sort_by(|&a, &b| self.parts[b].volume_droits.total_cmp(&self.parts[a].volume_droits).then(a.cmp(&b)));
        let autres = reservataires.len() > SERIES_MAX - 3;
        let gardes: Vec<usize> = par_volume.into_iter().take(if autres { SERIES_MAX - 4 } else { SERIES_MAX }).collect();
        // Series: each kept party in party order, then « others », the bailleur last.
        let mut serie_de = vec![None; self.parts.len()];
        let mut noms = Vec::new();
        for (k, x) in self.parts.iter().enumerate() {
            if x.role != Role::Reservataire || gardes.contains(&k) {
                if x.role == Role::Bailleur && autres {
                    noms.push(format!("Autres réservataires ({})", reservataires.len() - gardes.len()));
                }
                serie_de[k] = Some(noms.len());
                noms.push(x.libelle());
            }
        }
        let autre = noms.iter().position(|n| n.starts_with("Autres réservataires"));
        let annees = self
            .etalement
            .grille(self.parts.len())
            .into_iter()
            .map(|a| {
                let mut v = vec![0.0; noms.len()];
                for (k, x) in a.offerts.iter().enumerate() {
                    if let Some(s) = serie_de[k].or(autre) {
                        v[s] += x;
                    }
                }
                (a.annee, v)
            })
            .collect();
        (noms, annees)
    }

    /// `BAILLEUR|DEP`, the key of per-perimeter parameters.
    pub fn cle(&self) -> String {
        super::parametres::cle_perimetre(&self.bailleur, &self.departement)
    }
}

/// Series of a chart that each get a colour of their own.
pub const SERIES_MAX: usize = 8;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Resultats {
    pub perimetres: Vec<ResultatPerimetre>,
    /// Counters per cellule (bailleur × commune), `Dataset::cellules` order.
    pub cellules: Vec<Agregat>,
    pub communes: VueCommunale,
    pub alertes: Vec<Alerte>,
    /// The calendar year A_1 of `date_conversion`.
    pub premiere_annee: i32,
}

#[cfg(test)]
mod tests {
    use crate::domain::{calculer, Parametres};
    use crate::import::lire_csv;

    /// Ten réservataires: the chart keeps four of them, the others together, eight series in all,
    /// and every year's total is the table's.
    #[test]
    fn chart_series_are_at_most_eight() {
        let mut csv = String::from("rpls;bailleur;commune;reservataire;categorie;date_fin\n");
        for i in 0..10 {
            for j in 0..=i {
                csv.push_str(&format!("R{i}-{j};B;93048;Réservataire {i};autre;31/12/2045\n"));
            }
        }
        for j in 0..300 {
            csv.push_str(&format!("N{j};B;93048;;;\n"));
        }
        let p = Parametres { date_conversion: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), ..Default::default() };
        let r = calculer(&lire_csv(csv.as_bytes()).unwrap().dataset, &p);
        let per = &r.perimetres[0];
        let (noms, annees) = per.series_etalement();
        assert_eq!(noms.len(), super::SERIES_MAX, "{noms:?}");
        assert_eq!(noms[2..6], ["Réservataire 6", "Réservataire 7", "Réservataire 8", "Réservataire 9"]);
        assert_eq!(noms[6], "Autres réservataires (6)");
        for (a, g) in annees.iter().zip(per.etalement.grille(per.parts.len())) {
            assert_eq!(a.1.iter().sum::<f64>(), g.total);
        }
    }
}

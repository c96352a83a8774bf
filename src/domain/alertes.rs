//! Alerts of SPEC §5: the État's share or stock above the caps; shares over 100 % before overflow;
//! a réservataire with reservations but no logement in the assiette; rows rejected or warned; (v2)
//! logements kept in the assiette with motif `autre`; a réservataire « noyé dans le flux »; a party
//! squeezed to a share of 0 by `priorite`; parameters that match nothing in the file.

use serde::Serialize;

use super::parametres::{Arrondi, Depassement, Parametres};
use super::resultats::{ResultatPerimetre, Role};

/// A fraction in French (« 27,3 % ») for the messages.
fn pourcent(x: f64) -> String {
    crate::format::percent(x, 1)
}

fn nombre(x: f64) -> String {
    crate::format::decimal(x, 1)
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alerte {
    /// Stable code: `part_etat`, `depassement`, `reservataire_hors_assiette`, `lignes_rejetees`,
    /// `lignes_avertissements`, `autre_dans_assiette`, `noye_dans_le_flux`, `part_nulle_priorite`,
    /// `parametre_sans_effet`, `parametre_obsolete`, `homonymes`.
    pub code: &'static str,
    /// Index of the perimeter concerned, if any.
    pub perimetre: Option<usize>,
    /// French message for the user.
    pub message: String,
}

impl Alerte {
    /// About the parameters as set (shown on the parameters page too).
    pub fn concerne_parametres(&self) -> bool {
        matches!(self.code, "parametre_sans_effet" | "parametre_obsolete" | "homonymes")
    }

    pub fn generale(code: &'static str, message: String) -> Alerte {
        Alerte { code, perimetre: None, message }
    }
}

/// Alerts on the import counts and on the parameters as read.
pub fn generales(p: &Parametres, nb_rejets: usize, nb_avertissements: usize) -> Vec<Alerte> {
    let mut a = Vec::new();
    if nb_rejets > 0 {
        a.push(Alerte::generale(
            "lignes_rejetees",
            format!("{nb_rejets} ligne(s) rejetée(s) à l'import : voir la liste des rejets."),
        ));
    }
    if nb_avertissements > 0 {
        a.push(Alerte::generale(
            "lignes_avertissements",
            format!("{nb_avertissements} avertissement(s) à l'import : voir la liste des avertissements."),
        ));
    }
    a.extend(p.avertissements.iter().map(|m| Alerte::generale("parametre_obsolete", m.clone())));
    a
}

/// Alerts of one perimeter. `sans_assiette` lists réservataires whose logements are all out of
/// the assiette.
pub fn perimetre(i: usize, r: &ResultatPerimetre, p: &Parametres, sans_assiette: &[&str]) -> Vec<Alerte> {
    let mut a = Vec::new();
    let lieu = format!("{} / {}", r.bailleur, r.departement);
    let mut alerte = |code, message| a.push(Alerte { code, perimetre: Some(i), message });
    // The préfet's flux share is capped by the parameters (validated); what can exceed the legal
    // 30 % (5 % for agents) is the État's stock of reservations, which the conversion reduces.
    let stock = &r.controle_stock_etat;
    if !(stock.part_ok && stock.agents_ok) {
        alerte(
            "part_etat",
            format!(
                "{lieu} : l'État réserve aujourd'hui {} des logements de l'assiette (dont {} pour ses agents) ; sa part du flux est plafonnée à 30 % (dont 5 % pour les agents).",
                pourcent(stock.part),
                pourcent(stock.part_agents)
            ),
        );
    }
    let flux = &r.controle_etat;
    if !(flux.part_ok && flux.agents_ok) {
        alerte(
            "part_etat",
            format!(
                "{lieu} : la part de l'État ({}, dont agents {}) dépasse le plafond légal de 30 % (dont 5 % pour les agents).",
                pourcent(flux.part),
                pourcent(flux.part_agents)
            ),
        );
    }
    if r.depassement {
        alerte(
            "depassement",
            format!(
                "{lieu} : les parts dépassent 100 % du flux ({}) avant réduction ; parts des réservataires réduites, part du bailleur {}.",
                pourcent(r.somme_parts_avant_depassement),
                pourcent(r.partie(Role::Bailleur).map_or(0.0, |b| b.part))
            ),
        );
    }
    for nom in sans_assiette {
        alerte(
            "reservataire_hors_assiette",
            format!("{lieu} : {nom} a des réservations mais aucun logement dans l'assiette."),
        );
    }
    if r.autre_dans_assiette > 0 {
        alerte(
            "autre_dans_assiette",
            format!(
                "{lieu} : {} logement(s) de motif « autre » restent dans l'assiette : les exclusions ne s'étendent pas au-delà des motifs prévus par les textes (paramètre exclusions.autre pour les retirer).",
                r.autre_dans_assiette
            ),
        );
    }
    for x in &r.parts {
        if x.noye {
            alerte(
                "noye_dans_le_flux",
                format!(
                    "{lieu} : {} ({}) reçoit {} logement(s) entier(s) sur tout l'étalement pour un volume de {} : « noyé dans le flux » avec l'arrondi {} (l'arrondi « cumul » le protège).",
                    x.reservataire,
                    x.categorie.code(),
                    nombre(x.logements_etalement),
                    nombre(x.volume_droits),
                    match p.arrondi {
                        Arrondi::PlusFortsRestes => "« plus forts restes »",
                        _ => "« report »",
                    }
                ),
            );
        }
        if p.depassement == Depassement::Priorite
            && x.role == Role::Reservataire
            && x.part_avant_depassement > 0.0
            && x.part <= 0.0
        {
            alerte(
                "part_nulle_priorite",
                format!(
                    "{lieu} : {} ({}) n'a plus de part du flux après application de l'ordre de priorité (part avant réduction {}).",
                    x.reservataire,
                    x.categorie.code(),
                    pourcent(x.part_avant_depassement)
                ),
            );
        }
    }
    a
}

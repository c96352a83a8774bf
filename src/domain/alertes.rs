//! Alerts of SPEC §5: État share > 30 % or agents > 5 %; shares over 100 % before overflow; a
//! réservataire with reservations but no logement in the assiette; rows rejected or warned.

use serde::Serialize;

use super::model::Categorie;
use super::parametres::Parametres;
use super::ResultatPerimetre;

/// A fraction in French (« 27,3 % ») for the messages.
fn pourcent(x: f64) -> String {
    crate::format::percent(x, 1)
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alerte {
    /// Stable code: `part_etat`, `depassement`, `reservataire_hors_assiette`, `lignes_rejetees`,
    /// `lignes_avertissements`.
    pub code: &'static str,
    /// Index of the perimeter concerned, if any.
    pub perimetre: Option<usize>,
    /// French message for the user.
    pub message: String,
}

/// Alerts on the parameters and the import counts.
pub fn generales(p: &Parametres, nb_rejets: usize, nb_avertissements: usize) -> Vec<Alerte> {
    let mut a = Vec::new();
    let alerte = |code, message| Alerte {
        code,
        perimetre: None,
        message,
    };
    if p.etat.part_totale > 0.30 + 1e-12 || p.etat.part_agents > 0.05 + 1e-12 {
        a.push(alerte(
            "part_etat",
            format!(
                "La part de l'État ({}, dont agents {}) dépasse le plafond légal de 30 % (dont 5 % pour les agents).",
                pourcent(p.etat.part_totale),
                pourcent(p.etat.part_agents)
            ),
        ));
    }
    if nb_rejets > 0 {
        a.push(alerte(
            "lignes_rejetees",
            format!("{nb_rejets} ligne(s) rejetée(s) à l'import : voir la liste des rejets."),
        ));
    }
    if nb_avertissements > 0 {
        a.push(alerte(
            "lignes_avertissements",
            format!("{nb_avertissements} avertissement(s) à l'import : voir la liste des avertissements."),
        ));
    }
    a
}

/// Alerts of one perimeter. `sans_assiette` lists réservataires whose logements are all out of
/// the assiette.
pub fn perimetre(i: usize, r: &ResultatPerimetre, sans_assiette: &[&str]) -> Vec<Alerte> {
    let mut a = Vec::new();
    let lieu = format!("{} / {}", r.bailleur, r.departement);
    // The préfet's flux share is capped by the parameters (validated); what can exceed the legal
    // 30 % (5 % for agents) is the État's stock of reservations, which the conversion reduces.
    if r.assiette > 0 {
        let reserves = |c: Categorie| r.parts.iter().filter(|p| p.categorie == c).map(|p| p.logements_reserves).sum::<u32>();
        let (prioritaires, agents) = (reserves(Categorie::EtatPrioritaires), reserves(Categorie::EtatAgents));
        let (part, part_agents) = ((prioritaires + agents) as f64 / r.assiette as f64, agents as f64 / r.assiette as f64);
        if part > 0.30 + 1e-12 || part_agents > 0.05 + 1e-12 {
            a.push(Alerte {
                code: "part_etat",
                perimetre: Some(i),
                message: format!(
                    "{lieu} : l'État réserve aujourd'hui {} des logements de l'assiette (dont {} pour ses agents) ; sa part du flux est plafonnée à 30 % (dont 5 % pour les agents).",
                    pourcent(part),
                    pourcent(part_agents)
                ),
            });
        }
    }
    if r.somme_parts_avant_depassement > 1.0 + 1e-12 {
        a.push(Alerte {
            code: "depassement",
            perimetre: Some(i),
            message: format!(
                "{lieu} : les parts dépassent 100 % du flux ({}) avant réduction ; parts des réservataires réduites, part du bailleur {}.",
                pourcent(r.somme_parts_avant_depassement),
                pourcent(r.parts.last().map_or(0.0, |b| b.part))
            ),
        });
    }
    for nom in sans_assiette {
        a.push(Alerte {
            code: "reservataire_hors_assiette",
            perimetre: Some(i),
            message: format!(
                "{lieu} : {nom} a des réservations mais aucun logement dans l'assiette."
            ),
        });
    }
    a
}

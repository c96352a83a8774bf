//! Alerts of SPEC §5: État share > 30 % or agents > 5 %; shares over 100 % before overflow; a
//! réservataire with reservations but no logement in the assiette; rows rejected or warned.

use serde::Serialize;

use super::parametres::Parametres;
use super::ResultatPerimetre;

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
                "La part de l'État ({:.1} %, dont agents {:.1} %) dépasse le plafond légal de 30 % (dont 5 % pour les agents).",
                p.etat.part_totale * 100.0,
                p.etat.part_agents * 100.0
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
    if r.somme_parts_avant_depassement > 1.0 + 1e-12 {
        a.push(Alerte {
            code: "depassement",
            perimetre: Some(i),
            message: format!(
                "{lieu} : les parts dépassent 100 % du flux ({:.1} %) avant réduction ; parts des réservataires réduites, part du bailleur {:.1} %.",
                r.somme_parts_avant_depassement * 100.0,
                r.parts.last().map_or(0.0, |b| b.part * 100.0)
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

//! The communal view (SPEC §5) as the data of a map (SPEC §9 « A map »): one column for every
//! commune, a masked cell drawn as secret and its value never passed on. The app's « Vue
//! communale » and the publication page map what this returns; they pick nothing themselves.

use super::Donnee;
use crate::domain::agregation::{Indicateur, LigneCommunale};
use crate::domain::secret::{Colonne, MasqueNiveau};
use crate::domain::Categorie;

/// A column a map of the communal view can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColonneCarte {
    /// Logements, assiette, libérations, État per year: public (RPLS open data), never masked.
    Indicateur(Indicateur),
    /// Logements reserved by one category: masked where SPEC §5 v2 says so.
    Reserves(Categorie),
}

impl ColonneCarte {
    /// Every column offered, public ones first.
    pub fn toutes() -> Vec<ColonneCarte> {
        Indicateur::TOUS
            .into_iter()
            .map(ColonneCarte::Indicateur)
            .chain(Categorie::RESERVANTES.iter().map(|&c| ColonneCarte::Reserves(c)))
            .collect()
    }

    /// As the tables name it.
    pub fn libelle(self) -> String {
        match self {
            ColonneCarte::Indicateur(i) => i.libelle().to_owned(),
            ColonneCarte::Reserves(c) => format!("Logements réservés : {}", c.libelle()),
        }
    }

    /// Counts are whole; estimates have one decimal.
    pub fn decimales(self) -> usize {
        match self {
            ColonneCarte::Indicateur(i) => i.decimales(),
            ColonneCarte::Reserves(_) => 0,
        }
    }

    /// The maskable column it is, if any: only then does a map need the secret's mask.
    pub fn masquable(self) -> Option<Colonne> {
        match self {
            ColonneCarte::Indicateur(_) => None,
            ColonneCarte::Reserves(c) => Some(Colonne::Reserves(c)),
        }
    }
}

/// Each commune's value of `colonne`, or secret where `masque` (the communes' level of the
/// publication mask) masks it. Without a mask (detailed mode), every value.
pub fn donnees(communes: &[LigneCommunale], colonne: ColonneCarte, masque: Option<&MasqueNiveau>) -> Vec<(String, Donnee)> {
    communes
        .iter()
        .map(|l| {
            let d = match colonne {
                ColonneCarte::Indicateur(i) => Donnee::Valeur(l.agregat.valeur(i)),
                ColonneCarte::Reserves(c) => {
                    let c = Colonne::Reserves(c);
                    if masque.is_some_and(|m| m.masque(&l.code, c)) {
                        Donnee::Secret
                    } else {
                        Donnee::Valeur(c.valeur(&l.agregat))
                    }
                }
            };
            (l.code.clone(), d)
        })
        .collect()
}

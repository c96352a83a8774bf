//! The communal aggregated view (SPEC §5, seed "Zoom sur l'état des lieux": "un état des lieux
//! agrégé (à l'échelle communale) qui serait transmis simultanément à tous les réservataires"):
//! per commune across all bailleurs of the file, then rolled up per EPCI/EPT and département.
//!
//! The engine fills one [`Agregat`] per cellule (bailleur × commune); this module adds them up by
//! commune. Commune names and EPCI/EPT come from an optional [`Geographie`] (implemented by
//! `crate::geo`, the official COG); without it names stay empty and EPCI roll-ups are not
//! produced. No `rpls` or address ever reaches this view.

use std::collections::BTreeMap;

use serde::Serialize;

use super::model::{commune_plm, departement, Categorie, Motif, FINANCEMENTS, QPV, TYPOLOGIES};

/// Official geography lookup (commune name, EPCI/EPT).
pub trait Geographie {
    fn nom_commune(&self, code: &str) -> Option<String>;
    /// (code, name) of the EPCI or EPT the commune belongs to.
    fn epci(&self, code: &str) -> Option<(String, String)>;
    /// Name of a département (roll-up rows); none by default.
    fn nom_departement(&self, _code: &str) -> Option<String> {
        None
    }
}

/// Additive counters of a group of logements (a cellule, a commune, an EPCI, a département).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Agregat {
    pub logements: u32,
    /// Logements taken out of the assiette, by active motif.
    pub hors_assiette: [u32; Motif::N],
    pub assiette: u32,
    /// Estimated yearly liberations Σ τ_l over the assiette.
    pub liberations: f64,
    /// Share of the perimeters' annual flux F_c (SPEC §4.10).
    pub flux: f64,
    /// Reserved logements (v_l > 0) by category of réservataire (index `Categorie as usize`).
    pub reserves: [u32; Categorie::N],
    /// Volume of droits uniques by category (État volumes for information).
    pub volume: [f64; Categorie::N],
    /// Expected yearly logements by category (share × F_c), `bailleur` included.
    pub attendus: [f64; Categorie::N],
    /// Split of the assiette by typologie, financement and QPV (indices of the model tables).
    pub typologie: [u32; TYPOLOGIES.len()],
    pub financement: [u32; FINANCEMENTS.len()],
    pub qpv: [u32; QPV.len()],
}

/// Element-wise `a += b` of two counter arrays.
pub(crate) fn additionner<T: Copy + std::ops::AddAssign, const N: usize>(
    a: &mut [T; N],
    b: &[T; N],
) {
    a.iter_mut().zip(b).for_each(|(x, y)| *x += *y);
}

impl Agregat {
    /// Logements out of the assiette, all active motifs.
    pub fn hors_assiette_total(&self) -> u32 {
        self.hors_assiette.iter().sum()
    }

    /// Expected yearly logements of the État (prioritaires + agents).
    pub fn etat_par_an(&self) -> f64 {
        self.attendus[Categorie::EtatPrioritaires as usize] + self.attendus[Categorie::EtatAgents as usize]
    }

    /// The value of an indicator (to rank, chart or map rows).
    pub fn valeur(&self, i: Indicateur) -> f64 {
        match i {
            Indicateur::Logements => f64::from(self.logements),
            Indicateur::Assiette => f64::from(self.assiette),
            Indicateur::Liberations => self.liberations,
            Indicateur::EtatParAn => self.etat_par_an(),
        }
    }

    pub fn ajouter(&mut self, b: &Agregat) {
        self.logements += b.logements;
        additionner(&mut self.hors_assiette, &b.hors_assiette);
        self.assiette += b.assiette;
        self.liberations += b.liberations;
        self.flux += b.flux;
        additionner(&mut self.reserves, &b.reserves);
        additionner(&mut self.volume, &b.volume);
        additionner(&mut self.attendus, &b.attendus);
        additionner(&mut self.typologie, &b.typologie);
        additionner(&mut self.financement, &b.financement);
        additionner(&mut self.qpv, &b.qpv);
    }
}

/// An indicator of a row of the communal view, to rank, chart or map it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Indicateur {
    Logements,
    Assiette,
    Liberations,
    EtatParAn,
}

impl Indicateur {
    pub const TOUS: [Indicateur; 4] = [Indicateur::Logements, Indicateur::Assiette, Indicateur::Liberations, Indicateur::EtatParAn];

    pub fn libelle(self) -> &'static str {
        match self {
            Indicateur::Logements => "Logements",
            Indicateur::Assiette => "Assiette",
            Indicateur::Liberations => "Libérations annuelles estimées",
            Indicateur::EtatParAn => "Logements par an attendus pour l'État",
        }
    }

    /// Counts are whole numbers; estimates have decimals.
    pub fn decimales(self) -> usize {
        match self {
            Indicateur::Logements | Indicateur::Assiette => 0,
            Indicateur::Liberations | Indicateur::EtatParAn => 1,
        }
    }
}

/// One row of the communal view (a commune, or a roll-up where `code` is the EPCI or département).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LigneCommunale {
    pub code: String,
    pub nom: String,
    pub epci: String,
    pub departement: String,
    pub agregat: Agregat,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct VueCommunale {
    /// Sorted by INSEE code.
    pub communes: Vec<LigneCommunale>,
    /// Sorted by EPCI code; empty without geography.
    pub epci: Vec<LigneCommunale>,
    pub departements: Vec<LigneCommunale>,
    pub total: Agregat,
}

/// Adds up cellules by commune (arrondissements rolled up when `regroupement_plm`), then by EPCI
/// and département. `cellules` yields (INSEE code, counters).
pub fn vue_communale<'a>(
    cellules: impl Iterator<Item = (&'a str, &'a Agregat)>,
    regroupement_plm: bool,
    geo: Option<&dyn Geographie>,
) -> VueCommunale {
    let mut communes: BTreeMap<&str, Agregat> = BTreeMap::new();
    for (code, a) in cellules {
        let code = if regroupement_plm {
            commune_plm(code)
        } else {
            code
        };
        communes.entry(code).or_default().ajouter(a);
    }
    let mut vue = VueCommunale::default();
    let mut epci: BTreeMap<String, LigneCommunale> = BTreeMap::new();
    let mut deps: BTreeMap<String, LigneCommunale> = BTreeMap::new();
    for (code, agregat) in communes {
        let nom = geo.and_then(|g| g.nom_commune(code)).unwrap_or_default();
        let (code_epci, nom_epci) = geo.and_then(|g| g.epci(code)).unwrap_or_default();
        let dep = departement(code).to_owned();
        let ligne = LigneCommunale {
            code: code.to_owned(),
            nom,
            epci: code_epci.clone(),
            departement: dep.clone(),
            agregat,
        };
        if !code_epci.is_empty() {
            let e = epci
                .entry(code_epci.clone())
                .or_insert_with(|| LigneCommunale {
                    code: code_epci.clone(),
                    nom: nom_epci,
                    epci: code_epci,
                    departement: dep.clone(),
                    ..Default::default()
                });
            e.agregat.ajouter(&ligne.agregat);
        }
        let d = deps.entry(dep.clone()).or_insert_with(|| LigneCommunale {
            code: dep.clone(),
            nom: geo
                .and_then(|g| g.nom_departement(&dep))
                .unwrap_or_default(),
            departement: dep,
            ..Default::default()
        });
        d.agregat.ajouter(&ligne.agregat);
        vue.total.ajouter(&ligne.agregat);
        vue.communes.push(ligne);
    }
    vue.epci = epci.into_values().collect();
    vue.departements = deps.into_values().collect();
    vue
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Geo;
    impl Geographie for Geo {
        fn nom_commune(&self, code: &str) -> Option<String> {
            Some(format!("Commune {code}"))
        }
        fn epci(&self, code: &str) -> Option<(String, String)> {
            (code.starts_with("75"))
                .then(|| ("200054781".into(), "Métropole du Grand Paris".into()))
        }
    }

    #[test]
    fn rolls_up_plm_epci_and_departements() {
        let a = Agregat {
            logements: 2,
            assiette: 1,
            ..Default::default()
        };
        let cellules = [("75112", &a), ("75113", &a), ("93048", &a)];
        let v = vue_communale(cellules.into_iter(), true, Some(&Geo));
        assert_eq!(v.communes.len(), 2);
        assert_eq!(v.communes[0].code, "75056");
        assert_eq!(v.communes[0].agregat.logements, 4);
        assert_eq!(v.communes[0].nom, "Commune 75056");
        assert_eq!(v.epci.len(), 1);
        assert_eq!(
            v.departements
                .iter()
                .map(|d| d.agregat.logements)
                .collect::<Vec<_>>(),
            vec![4, 2]
        );
        assert_eq!(v.total.logements, 6);
        let v = vue_communale(cellules.into_iter(), false, None);
        assert_eq!(v.communes.len(), 3);
        assert!(v.epci.is_empty() && v.communes[0].nom.is_empty());
    }
}

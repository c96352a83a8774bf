//! Domain vocabulary (SPEC §1, §2): categories of réservataire, motifs hors assiette, kinds of right,
//! and the descriptive segments of a logement (typologie, financement, QPV, surface and rent bands).
//!
//! Every enum is `#[repr(u8)]` with a dense index so that the dataset stores it in one byte per
//! logement and the engine can keep per-category or per-motif counters in plain arrays.

use serde::{Deserialize, Serialize};

/// Category of a réservataire (SPEC §2 `categorie`, RPLS `CONTRESLOG`), plus `Bailleur` for the
/// residual party of the outputs (SPEC §6: "the bailleur as a party of category `bailleur`").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum Categorie {
    EtatPrioritaires,
    EtatAgents,
    Commune,
    Epci,
    Departement,
    Region,
    ActionLogement,
    Employeur,
    Ministere,
    Autre,
    #[default]
    NonReserve,
    /// Output only: the bailleur's residual share.
    Bailleur,
}

impl Categorie {
    /// Categories a logement can be reserved by (columns `reserves_<c>` / `volume_<c>` of SPEC §6):
    /// the first ten of [`Categorie::TOUTES`], i.e. all but `non_reserve` and `bailleur`.
    pub const RESERVANTES: [Categorie; 10] = {
        let mut r = [Categorie::Autre; 10];
        let mut i = 0;
        while i < 10 {
            r[i] = Categorie::TOUTES[i];
            i += 1;
        }
        r
    };
    /// Number of categories (dense indices `0..N`).
    pub const N: usize = 12;
    /// All categories in index order.
    pub const TOUTES: [Categorie; 12] = [
        Categorie::EtatPrioritaires,
        Categorie::EtatAgents,
        Categorie::Commune,
        Categorie::Epci,
        Categorie::Departement,
        Categorie::Region,
        Categorie::ActionLogement,
        Categorie::Employeur,
        Categorie::Ministere,
        Categorie::Autre,
        Categorie::NonReserve,
        Categorie::Bailleur,
    ];

    /// Snake-case code used in files (`etat_prioritaires`, …).
    pub fn code(self) -> &'static str {
        match self {
            Categorie::EtatPrioritaires => "etat_prioritaires",
            Categorie::EtatAgents => "etat_agents",
            Categorie::Commune => "commune",
            Categorie::Epci => "epci",
            Categorie::Departement => "departement",
            Categorie::Region => "region",
            Categorie::ActionLogement => "action_logement",
            Categorie::Employeur => "employeur",
            Categorie::Ministere => "ministere",
            Categorie::Autre => "autre",
            Categorie::NonReserve => "non_reserve",
            Categorie::Bailleur => "bailleur",
        }
    }

    /// Name of the party in the outputs of SPEC §6 (`Etat - prioritaires`, `Etat - agents`), and the
    /// default name of a réservataire given only by its category. Plain ASCII for the État, as the
    /// spec writes it; never shown as a label (see [`Categorie::libelle`]).
    pub fn nom_sortie(self) -> &'static str {
        match self {
            Categorie::EtatPrioritaires => "Etat - prioritaires",
            Categorie::EtatAgents => "Etat - agents",
            Categorie::Epci => "EPCI",
            c => c.libelle(),
        }
    }

    /// Label shown to people (pages, report, workbook headings).
    pub fn libelle(self) -> &'static str {
        match self {
            Categorie::EtatPrioritaires => "État — prioritaires",
            Categorie::EtatAgents => "État — agents",
            Categorie::Commune => "Commune",
            Categorie::Epci => "EPCI / EPT",
            Categorie::Departement => "Département",
            Categorie::Region => "Région",
            Categorie::ActionLogement => "Action Logement",
            Categorie::Employeur => "Employeur",
            Categorie::Ministere => "Ministère",
            Categorie::Autre => "Autre réservataire",
            Categorie::NonReserve => "Non réservé",
            Categorie::Bailleur => "Bailleur",
        }
    }

    pub fn depuis_code(code: &str) -> Option<Categorie> {
        Categorie::TOUTES.into_iter().find(|c| c.code() == code)
    }

    /// The two État categories: not converted, the préfet gets its statutory share (SPEC §4.2).
    pub fn est_etat(self) -> bool {
        matches!(self, Categorie::EtatPrioritaires | Categorie::EtatAgents)
    }

    /// Réservataires whose convention is on their own territory (SPEC §1: a commune, an EPCI, an
    /// EPT): their objective is placed on the communes of their own reservations (SPEC §4.10 v2).
    pub fn territoriale(self) -> bool {
        matches!(self, Categorie::Commune | Categorie::Epci)
    }

    /// Objectives expressed per commune (SPEC §4.10, CCH R. 441-5: État and communes).
    pub fn objectif_communal(self) -> bool {
        self.est_etat() || self.territoriale()
    }
}

/// Why a logement is taken out of the assiette (SPEC §1, CCH R. 441-5 II).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum Motif {
    /// Relogements of renouvellement urbain (ANRU/NPNRU).
    RenouvellementUrbain,
    /// Requalification of copropriétés dégradées (ORCOD).
    Orcod,
    /// Lutte contre l'habitat indigne.
    Lhi,
    /// Logements needed for sales (vente HLM).
    Vente,
    /// Logements needed for the bailleur's internal mutations.
    Mutation,
    /// Réservataires staying in stock: défense nationale…
    Defense,
    /// … sécurité intérieure …
    SecuriteInterieure,
    /// … établissements publics de santé.
    Sante,
    Autre,
}

impl Motif {
    pub const N: usize = 9;
    pub const TOUS: [Motif; 9] = [
        Motif::RenouvellementUrbain,
        Motif::Orcod,
        Motif::Lhi,
        Motif::Vente,
        Motif::Mutation,
        Motif::Defense,
        Motif::SecuriteInterieure,
        Motif::Sante,
        Motif::Autre,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Motif::RenouvellementUrbain => "renouvellement_urbain",
            Motif::Orcod => "orcod",
            Motif::Lhi => "lhi",
            Motif::Vente => "vente",
            Motif::Mutation => "mutation",
            Motif::Defense => "defense",
            Motif::SecuriteInterieure => "securite_interieure",
            Motif::Sante => "sante",
            Motif::Autre => "autre",
        }
    }

    pub fn depuis_code(code: &str) -> Option<Motif> {
        Motif::TOUS.into_iter().find(|m| m.code() == code)
    }

    /// Label shown to people.
    pub fn libelle(self) -> &'static str {
        match self {
            Motif::RenouvellementUrbain => "Renouvellement urbain",
            Motif::Orcod => "ORCOD",
            Motif::Lhi => "Habitat indigne",
            Motif::Vente => "Vente",
            Motif::Mutation => "Mutations internes",
            Motif::Defense => "Défense",
            Motif::SecuriteInterieure => "Sécurité intérieure",
            Motif::Sante => "Santé",
            Motif::Autre => "Autre (hors textes)",
        }
    }
}

/// Kind of reservation right (SPEC §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeDroit {
    /// Offered again at every vacancy until the reservation ends.
    #[default]
    Suite,
    /// One designation only (droit unique).
    Simple,
}

/// A segment dimension of the parc, used by `rotation.par_segment` and the communal splits.
/// Each has a small closed set of values stored as one byte (0 = unknown).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    Typologie,
    Commune,
    Qpv,
    Financement,
    Surface,
    Loyer,
}

/// Labels of a segment's byte values (index 0 = unknown). `Commune` is keyed by INSEE code instead.
pub fn libelles_segment(segment: Segment) -> &'static [&'static str] {
    match segment {
        Segment::Typologie => &TYPOLOGIES,
        Segment::Financement => &FINANCEMENTS,
        Segment::Qpv => &QPV,
        Segment::Surface => &SURFACES,
        Segment::Loyer => &LOYERS,
        Segment::Commune => &[],
    }
}

/// Typologie groups of SPEC §2 (T1 … T6+).
pub const TYPOLOGIES: [&str; 7] = ["inconnu", "T1", "T2", "T3", "T4", "T5", "T6+"];
/// Financement groups of SPEC §2.
pub const FINANCEMENTS: [&str; 6] = ["inconnu", "PLAI", "PLUS", "PLS", "PLI", "Autre"];
/// QPV status: 1 = en QPV, 2 = hors QPV (RPLS convention).
pub const QPV: [&str; 3] = ["inconnu", "qpv", "hors_qpv"];

/// Surface bands (m² habitables), chosen on the usual RPLS breakdown around typologies:
/// < 30, 30–50, 50–70, 70–90, ≥ 90. Lower bound included.
pub const BORNES_SURFACE: [f64; 4] = [30.0, 50.0, 70.0, 90.0];
pub const SURFACES: [&str; 6] = ["inconnu", "moins_30", "30_50", "50_70", "70_90", "90_plus"];
/// Rent bands (€/month, loyer principal): < 300, 300–450, 450–600, ≥ 600. Lower bound included.
pub const BORNES_LOYER: [f64; 3] = [300.0, 450.0, 600.0];
pub const LOYERS: [&str; 5] = ["inconnu", "moins_300", "300_450", "450_600", "600_plus"];

/// Periods of construction of the yearly bilan (CCH R. 441-5-1 « période de construction »), on
/// the usual RPLS breakdown: before 1949, 1949–1974, 1975–1989, 1990–2004, 2005–2014, 2015 and
/// after. Index 0 = unknown.
pub const PERIODES: [&str; 7] = ["inconnue", "avant 1949", "1949-1974", "1975-1989", "1990-2004", "2005-2014", "2015 et après"];
/// First year of each period after the first.
pub const BORNES_PERIODE: [f64; 5] = [1949.0, 1975.0, 1990.0, 2005.0, 2015.0];

/// Period of construction of a year (0 = unknown).
pub fn periode(annee_construction: u16) -> u8 {
    tranche((annee_construction > 0).then_some(f64::from(annee_construction)), &BORNES_PERIODE)
}

/// Band index (1-based, 0 = unknown) of a value against ascending bounds.
pub fn tranche(valeur: Option<f64>, bornes: &[f64]) -> u8 {
    match valeur {
        Some(v) if v.is_finite() => 1 + bornes.iter().take_while(|&&b| v >= b).count() as u8,
        _ => 0,
    }
}

/// Département of an INSEE commune code: first two characters, three for overseas (97x).
pub fn departement(commune: &str) -> &str {
    let n = if commune.starts_with("97") { 3 } else { 2 };
    commune.get(..n).unwrap_or(commune)
}

/// Paris, Lyon and Marseille arrondissements roll up to their city (`regroupement_plm`).
pub fn commune_plm(commune: &str) -> &str {
    match commune.get(..3) {
        Some("751") if commune != "75056" => "75056",
        Some("132") if commune.starts_with("132") && commune != "13055" => "13055",
        Some("693") if commune.get(..4) == Some("6938") => "69123",
        _ => commune,
    }
}

/// Sort key of a réservataire name: case- and accent-insensitive (« Action Logement », « État… »
/// and « Ville de… » in dictionary order), then the name itself so that the order is total.
pub fn cle_de_tri(nom: &str) -> (String, &str) {
    let plie = nom
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ÿ' => 'y',
            c => c,
        })
        .collect();
    (plie, nom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_and_departements() {
        assert_eq!(tranche(Some(29.9), &BORNES_SURFACE), 1);
        assert_eq!(tranche(Some(30.0), &BORNES_SURFACE), 2);
        assert_eq!(tranche(Some(120.0), &BORNES_SURFACE), 5);
        assert_eq!(tranche(None, &BORNES_LOYER), 0);
        assert_eq!((periode(0), periode(1930), periode(1949), periode(1974), periode(2015)), (0, 1, 2, 2, 6));
        assert_eq!(departement("93048"), "93");
        assert_eq!(departement("97411"), "974");
        assert_eq!(departement("2A004"), "2A");
        assert_eq!(commune_plm("75112"), "75056");
        assert_eq!(commune_plm("69383"), "69123");
        assert_eq!(commune_plm("13201"), "13055");
        assert_eq!(commune_plm("69001"), "69001");
        assert_eq!(commune_plm("93048"), "93048");
    }
}

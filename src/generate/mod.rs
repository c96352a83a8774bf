//! A seeded, realistic Île-de-France état des lieux (demo, tests, benchmarks): N logements of B
//! bailleurs in real IDF communes, grouped in résidences (programmes) that share a commune, a
//! construction year, a financement and a QPV status, with plausible mixes of réservataires, kinds
//! of right, end dates, typologies and hors-assiette motifs. Same seed, same bytes.
//!
//! The commune table (`communes_idf.csv`: INSEE code, name, population; Paris by arrondissement)
//! was extracted once from `@etalab/decoupage-administratif` 6.0.0.

use std::io::{self, Write};

pub mod mouvements;

const COMMUNES_IDF: &str = include_str!("communes_idf.csv");

/// Départements of Île-de-France and their weight in the regional social parc (RPLS order of
/// magnitude: Paris, Hauts-de-Seine and Seine-Saint-Denis hold half of it).
const DEPARTEMENTS: [(&str, &str, f64); 8] = [
    ("75", "Paris", 0.18),
    ("77", "Seine-et-Marne", 0.07),
    ("78", "Yvelines", 0.09),
    ("91", "Essonne", 0.09),
    ("92", "Hauts-de-Seine", 0.15),
    ("93", "Seine-Saint-Denis", 0.20),
    ("94", "Val-de-Marne", 0.13),
    ("95", "Val-d'Oise", 0.09),
];

/// splitmix64: a tiny, well-mixed deterministic generator.
pub struct Alea(u64);

impl Alea {
    pub fn new(graine: u64) -> Alea {
        Alea(graine)
    }
    pub fn suivant(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn reel(&mut self) -> f64 {
        (self.suivant() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in 0..n.
    pub fn entier(&mut self, n: usize) -> usize {
        (((self.suivant() >> 32) * n as u64) >> 32) as usize
    }
    /// Index drawn with the given weights.
    pub fn choisir(&mut self, poids: &[f64]) -> usize {
        let mut x = self.reel() * poids.iter().sum::<f64>();
        for (i, p) in poids.iter().enumerate() {
            if x < *p {
                return i;
            }
            x -= p;
        }
        poids.len() - 1
    }
    fn vrai(&mut self, p: f64) -> bool {
        self.reel() < p
    }
}

struct Commune {
    code: &'static str,
    nom: &'static str,
}

/// IDF communes per département, with weights (square root of population: social housing is
/// concentrated but small communes have some).
fn communes() -> Vec<(Vec<Commune>, Vec<f64>)> {
    let mut par_dep: Vec<(Vec<Commune>, Vec<f64>)> = DEPARTEMENTS
        .iter()
        .map(|_| (Vec::new(), Vec::new()))
        .collect();
    for ligne in COMMUNES_IDF.lines().filter(|l| !l.starts_with('#')) {
        let mut c = ligne.split(';');
        let (Some(code), Some(nom), Some(pop)) = (c.next(), c.next(), c.next()) else {
            continue;
        };
        if let Some(d) = DEPARTEMENTS
            .iter()
            .position(|(dep, _, _)| code.starts_with(dep))
        {
            par_dep[d].0.push(Commune { code, nom });
            par_dep[d].1.push(pop.parse::<f64>().unwrap_or(0.0).sqrt());
        }
    }
    par_dep
}

const PREFIXES: [&str; 12] = [
    "Habitat",
    "Logis",
    "Résidences",
    "Foyer",
    "Toit",
    "Maisons",
    "Cités",
    "Immobilière",
    "Domaine",
    "Val",
    "Terres",
    "Espace",
];
const SUFFIXES: [&str; 12] = [
    "Francilien",
    "de l'Est",
    "Social",
    "et Territoires",
    "de Seine",
    "du Parisis",
    "Solidaire",
    "de la Marne",
    "Métropole",
    "des Yvelines",
    "Essonne",
    "du Val",
];

/// Bailleur names: unique, stable for a given index.
fn nom_bailleur(b: usize) -> String {
    let base = format!("{} {}", PREFIXES[b % 12], SUFFIXES[(b / 12) % 12]);
    if b < 144 {
        base
    } else {
        format!("{base} {}", b / 144 + 1)
    }
}

/// Category mix of reserved logements (codes of SPEC §2) and its weights.
const CATEGORIES: [(&str, f64); 11] = [
    ("etat_prioritaires", 0.24),
    ("etat_agents", 0.04),
    ("action_logement", 0.28),
    ("commune", 0.16),
    ("departement", 0.03),
    ("region", 0.02),
    ("epci", 0.01),
    ("employeur", 0.02),
    ("ministere", 0.02),
    ("autre", 0.01),
    ("non_reserve", 0.17),
];
const EMPLOYEURS: [&str; 6] = ["RATP", "SNCF", "La Poste", "AP-HP", "EDF", "Orange"];
const MINISTERES: [&str; 3] = [
    "Ministère de la Justice",
    "Ministère de l'Économie",
    "Ministère de la Culture",
];
const AUTRES: [&str; 2] = ["Caisse des dépôts", "Crous de Paris"];
/// Hors-assiette motifs and their frequency among all logements (≈ 4 %).
const MOTIFS: [(&str, f64); 8] = [
    ("renouvellement_urbain", 0.015),
    ("vente", 0.010),
    ("mutation", 0.008),
    ("lhi", 0.002),
    ("orcod", 0.001),
    ("defense", 0.002),
    ("securite_interieure", 0.002),
    ("sante", 0.001),
];
const TYPOLOGIES: [(&str, f64, f64, f64); 6] = [
    // (typologie, weight, surface m², rotation rate)
    ("T1", 0.12, 30.0, 0.095),
    ("T2", 0.23, 47.0, 0.075),
    ("T3", 0.33, 65.0, 0.062),
    ("T4", 0.22, 80.0, 0.052),
    ("T5", 0.08, 95.0, 0.045),
    ("T6", 0.02, 110.0, 0.040),
];
/// (financement, weight, rent €/m²/month)
const FINANCEMENTS: [(&str, f64, f64); 5] = [
    ("PLAI", 0.14, 5.8),
    ("PLUS", 0.62, 6.9),
    ("PLS", 0.15, 10.2),
    ("PLI", 0.04, 13.5),
    ("Autre", 0.05, 7.5),
];

/// Header of the generated file (canonical names of SPEC §2).
pub const ENTETE: &str = "rpls;bailleur;commune;typologie;financement;qpv;surface;loyer;annee_construction;hors_assiette;reservataire;categorie;type_droit;date_fin;droit_utilise;taux_rotation";

/// Writes `logements` rows for `bailleurs` bailleurs, deterministic in `graine`.
pub fn generer(
    sortie: &mut impl Write,
    logements: usize,
    bailleurs: usize,
    graine: u64,
) -> io::Result<()> {
    let mut a = Alea::new(graine);
    let communes = communes();
    let bailleurs = bailleurs.max(1);
    // Sizes: a few big bailleurs and many small ones (Zipf-like weights).
    let poids: Vec<f64> = (0..bailleurs)
        .map(|b| 1.0 / (b as f64 + 1.0).powf(0.8))
        .collect();
    let total: f64 = poids.iter().sum();
    let mut tailles: Vec<usize> = poids
        .iter()
        .map(|p| (p / total * logements as f64) as usize)
        .collect();
    let manque = logements - tailles.iter().sum::<usize>();
    for i in 0..manque {
        tailles[i % bailleurs] += 1;
    }
    let poids_dep: Vec<f64> = DEPARTEMENTS.iter().map(|d| d.2).collect();
    let mut ligne = String::with_capacity(256);
    let mut tampon = Vec::with_capacity(1 << 20);
    writeln!(tampon, "{ENTETE}")?;
    let mut numero: u64 = 0;
    for (b, &taille) in tailles.iter().enumerate() {
        let nom = nom_bailleur(b);
        // 1 to 4 départements per bailleur.
        let deps: Vec<usize> = (0..1 + a.entier(4))
            .map(|_| a.choisir(&poids_dep))
            .collect();
        let mut reste = taille;
        while reste > 0 {
            let n = reste.min(10 + a.entier(150));
            reste -= n;
            let d = deps[a.entier(deps.len())];
            let (liste, poids_c) = &communes[d];
            let commune = &liste[a.choisir(poids_c)];
            let residence = Residence::tirer(&mut a, d, commune);
            for _ in 0..n {
                ligne.clear();
                residence.logement(&mut a, &mut ligne, numero, &nom);
                numero += 1;
                tampon.extend_from_slice(ligne.as_bytes());
                if tampon.len() > 1 << 20 {
                    sortie.write_all(&tampon)?;
                    tampon.clear();
                }
            }
        }
    }
    sortie.write_all(&tampon)
}

/// A programme: shared commune, construction year, financement, QPV status, and the end date of
/// the reservations taken at its financing.
struct Residence<'c> {
    dep: usize,
    commune: &'c Commune,
    annee: u32,
    financement: usize,
    qpv: bool,
    fin_convention: u32,
}

impl<'c> Residence<'c> {
    fn tirer(a: &mut Alea, dep: usize, commune: &'c Commune) -> Residence<'c> {
        let annee = 1950 + a.entier(75) as u32;
        let poids: Vec<f64> = FINANCEMENTS.iter().map(|f| f.1).collect();
        Residence {
            dep,
            commune,
            annee,
            financement: a.choisir(&poids),
            qpv: a.vrai(0.25),
            fin_convention: (annee + 20 + a.entier(40) as u32).max(2020),
        }
    }

    fn logement(&self, a: &mut Alea, l: &mut String, numero: u64, bailleur: &str) {
        use std::fmt::Write as _;
        let rpls = (numero * 7_919_003 + 12_345) % 100_000_000_000;
        let t = a.choisir(&TYPOLOGIES.map(|t| t.1));
        let (typo, _, surf, taux) = TYPOLOGIES[t];
        let surface = surf * (0.85 + 0.3 * a.reel());
        let (fin_nom, _, loyer_m2) = FINANCEMENTS[self.financement];
        let loyer = surface * loyer_m2 * (0.9 + 0.2 * a.reel());
        let motif = if a.vrai(0.041) {
            MOTIFS[a.choisir(&MOTIFS.map(|m| m.1))].0
        } else {
            ""
        };
        let mut categorie = CATEGORIES[a.choisir(&CATEGORIES.map(|c| c.1))].0;
        let dep = DEPARTEMENTS[self.dep].0;
        let reservataire: String = match (motif, categorie) {
            ("defense", _) => {
                categorie = "ministere";
                "Ministère des Armées".into()
            }
            ("securite_interieure", _) => {
                categorie = "ministere";
                "Ministère de l'Intérieur".into()
            }
            ("sante", _) => {
                categorie = "employeur";
                "AP-HP".into()
            }
            (_, "etat_prioritaires") => format!("Préfecture {dep} - contingent prioritaire"),
            (_, "etat_agents") => format!("Préfecture {dep} - fonctionnaires"),
            (_, "action_logement") => "Action Logement Services".into(),
            (_, "commune") if dep == "75" => "Ville de Paris".into(),
            (_, "commune") => format!("Ville de {}", self.commune.nom),
            (_, "departement") => format!("Département {}", DEPARTEMENTS[self.dep].1),
            (_, "region") => "Région Île-de-France".into(),
            (_, "epci") if ["75", "92", "93", "94"].contains(&dep) => {
                "Métropole du Grand Paris".into()
            }
            (_, "epci") => format!("Agglomération {}", DEPARTEMENTS[self.dep].1),
            (_, "employeur") => EMPLOYEURS[a.entier(EMPLOYEURS.len())].into(),
            (_, "ministere") => MINISTERES[a.entier(MINISTERES.len())].into(),
            (_, "autre") => AUTRES[a.entier(AUTRES.len())].into(),
            _ => String::new(),
        };
        let etat = categorie.starts_with("etat");
        let simple = !etat && categorie != "non_reserve" && a.vrai(0.08);
        let date_fin = if categorie == "non_reserve" || (etat && a.vrai(0.9)) || a.vrai(0.01) {
            String::new()
        } else if simple || a.vrai(0.5) {
            format!("31/12/{}", self.fin_convention + a.entier(5) as u32)
        } else {
            format!(
                "{:02}/{:02}/{}",
                1 + a.entier(28),
                1 + a.entier(12),
                2020 + a.entier(50)
            )
        };
        let droit_utilise = if simple && a.vrai(0.4) { "oui" } else { "" };
        let observe = taux * if self.qpv { 0.9 } else { 1.0 } * (0.8 + 0.4 * a.reel());
        let _ = writeln!(
            l,
            "{rpls:011};{bailleur};{};{typo};{fin_nom};{};{};{};{};{motif};{reservataire};{};{};{date_fin};{droit_utilise};{}",
            self.commune.code,
            if self.qpv { "oui" } else { "non" },
            virgule(surface, 1),
            virgule(loyer, 2),
            self.annee,
            if categorie == "non_reserve" { "" } else { categorie },
            if simple { "simple" } else { "suite" },
            virgule(observe, 3),
        );
    }
}

/// A decimal with a comma (French CSV).
fn virgule(x: f64, decimales: usize) -> String {
    format!("{x:.decimales$}").replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_file() {
        let gen = |graine| {
            let mut v = Vec::new();
            generer(&mut v, 500, 7, graine).unwrap();
            v
        };
        assert_eq!(gen(42), gen(42));
        assert_ne!(gen(42), gen(43));
        let texte = String::from_utf8(gen(1)).unwrap();
        assert_eq!(texte.lines().count(), 501);
        assert!(texte.lines().skip(1).all(|l| l.split(';').count() == 16));
    }

    #[test]
    fn idf_communes_table() {
        let c = communes();
        assert_eq!(c.iter().map(|d| d.0.len()).sum::<usize>(), 1285);
        assert_eq!(c[0].0.len(), 20, "Paris par arrondissement");
    }

    #[test]
    fn bailleur_names_are_unique() {
        let noms: std::collections::HashSet<String> = (0..400).map(nom_bailleur).collect();
        assert_eq!(noms.len(), 400);
    }
}

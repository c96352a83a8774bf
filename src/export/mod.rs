//! Writers of the outputs of SPEC §6 (`synthese.json`, `communes.csv`, `etalement.csv`,
//! `rejets.csv`) and of their companions (`departements.csv`, `avertissements.csv`). They return
//! bytes: the command line writes them to files, the browser offers them as downloads.

pub mod classeur;
pub mod comparaison;
pub mod conventions;
pub mod csv_fr;
pub mod modele;
pub mod orientation;
pub mod publication;
pub mod suivi;

use serde::Serialize;

use crate::domain::agregation::LigneCommunale;
use crate::domain::secret::{Colonne, MasqueNiveau, MARQUE};
use crate::domain::model::{Categorie, Motif, FINANCEMENTS, QPV, TYPOLOGIES};
use crate::domain::{Alerte, Resultats};
use crate::import::Rejet;
use csv_fr::{echapper, CsvFr};

/// Row counts of the import shown in the synthesis.
#[derive(Clone, Copy, Debug, Default)]
pub struct Comptage {
    pub lignes_lues: usize,
    pub lignes_retenues: usize,
    pub lignes_rejetees: usize,
    pub avertissements: usize,
}

/// Rounds to 9 decimals so that the JSON shows 0.25, not 0.24999999999999997.
fn r9(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

#[derive(Serialize)]
struct Synthese<'a> {
    lignes_lues: usize,
    lignes_retenues: usize,
    lignes_rejetees: usize,
    avertissements: usize,
    /// The calendar year A_1 of `date_conversion`: étalement years start there (SPEC §4.9 v2).
    premiere_annee: i32,
    perimetres: Vec<PerimetreJson<'a>>,
    alertes: &'a [Alerte],
}

#[derive(Serialize)]
struct PerimetreJson<'a> {
    bailleur: &'a str,
    departement: &'a str,
    logements: u32,
    assiette: u32,
    hors_assiette: HorsAssiette<'a>,
    flux_annuel: f64,
    parts: Vec<PartJson<'a>>,
}

/// `{motif: n}` in the order of SPEC §2.
struct HorsAssiette<'a>(&'a [u32; Motif::N]);

impl Serialize for HorsAssiette<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(Motif::N))?;
        for motif in Motif::TOUS {
            m.serialize_entry(motif.code(), &self.0[motif as usize])?;
        }
        m.end()
    }
}

#[derive(Serialize)]
struct PartJson<'a> {
    reservataire: &'a str,
    categorie: &'static str,
    logements_reserves: u32,
    volume_droits: f64,
    part: f64,
    logements_par_an: f64,
    annees_epuisement: Option<f64>,
    annees_nommees: &'a [i32],
}

/// `synthese.json` (SPEC §6), pretty-printed; `part` is a fraction.
pub fn synthese_json(c: Comptage, r: &Resultats) -> String {
    let mut octets = Vec::new();
    ecrire_synthese_json(c, r, &mut octets).expect("synthèse écrite en mémoire");
    String::from_utf8(octets).expect("JSON en UTF-8")
}

/// [`synthese_json`] written to `w` as it is serialised (tens of MB for a region: the command
/// line never holds it whole).
pub fn ecrire_synthese_json(c: Comptage, r: &Resultats, mut w: impl std::io::Write) -> std::io::Result<()> {
    let perimetres = r
        .perimetres
        .iter()
        .map(|p| PerimetreJson {
            bailleur: &p.bailleur,
            departement: &p.departement,
            logements: p.logements,
            assiette: p.assiette,
            hors_assiette: HorsAssiette(&p.hors_assiette),
            flux_annuel: r9(p.flux_annuel),
            parts: p
                .parts
                .iter()
                .map(|x| PartJson {
                    reservataire: &x.reservataire,
                    categorie: x.categorie.code(),
                    logements_reserves: x.logements_reserves,
                    volume_droits: r9(x.volume_droits),
                    part: r9(x.part),
                    logements_par_an: r9(x.logements_par_an),
                    annees_epuisement: x.annees_epuisement.map(r9),
                    annees_nommees: &x.annees_nommees,
                })
                .collect(),
        })
        .collect();
    let s = Synthese {
        lignes_lues: c.lignes_lues,
        lignes_retenues: c.lignes_retenues,
        lignes_rejetees: c.lignes_rejetees,
        avertissements: c.avertissements,
        premiere_annee: r.premiere_annee,
        perimetres,
        alertes: &r.alertes,
    };
    serde_json::to_writer_pretty(&mut w, &s)?;
    w.write_all(b"\n")
}

/// Categories with an expected yearly number of logements (the reserving ones and the bailleur).
fn categories_attendues() -> impl Iterator<Item = Categorie> {
    Categorie::RESERVANTES
        .into_iter()
        .chain([Categorie::Bailleur])
}

/// Header of the communal view (first column named `premiere`: `commune` or `departement`…).
pub(crate) fn entetes_vue(premiere: &str) -> Vec<String> {
    let mut e: Vec<String> = [
        premiere,
        "nom",
        "epci",
        "departement",
        "logements",
        "hors_assiette",
    ]
    .map(String::from)
    .to_vec();
    e.extend(
        Motif::TOUS
            .iter()
            .map(|m| format!("hors_assiette_{}", m.code())),
    );
    e.extend(["assiette", "liberations_annuelles", "flux_annuel"].map(String::from));
    e.extend(
        Categorie::RESERVANTES
            .iter()
            .map(|c| format!("reserves_{}", c.code())),
    );
    e.extend(
        Categorie::RESERVANTES
            .iter()
            .map(|c| format!("volume_{}", c.code())),
    );
    e.extend(categories_attendues().map(|c| format!("logements_par_an_{}", c.code())));
    e.extend(TYPOLOGIES.iter().map(|t| format!("assiette_typologie_{t}")));
    e.extend(
        FINANCEMENTS
            .iter()
            .map(|f| format!("assiette_financement_{f}")),
    );
    e.extend(QPV.iter().map(|q| format!("assiette_qpv_{q}")));
    e
}

/// The communal aggregated view as CSV: `communes.csv` (one row per commune, first column
/// `commune`), or the roll-ups per EPCI/EPT or département (first column `code`). The cells masked
/// by statistical secrecy (`domain::secret`) show « s »; `MasqueNiveau::default()` masks nothing.
pub fn vue_csv(lignes: &[LigneCommunale], premiere: &str, masque: &MasqueNiveau) -> Vec<u8> {
    let mut c = CsvFr::new();
    let entetes = entetes_vue(premiere);
    c.entetes(entetes.iter().map(String::as_str));
    for l in lignes {
        for cellule in cellules_vue(l, masque) {
            match cellule {
                Cellule::Texte(t) => c.texte(&t),
                Cellule::Entier(n) => c.entier(n),
                Cellule::Nombre(x, d) => c.nombre(x, d),
                Cellule::Pourcent(x) => c.nombre(x, 6),
            };
        }
        c.fin();
    }
    c.octets()
}

/// The note under every published table (SPEC §5 v2): what « s » means, and how many cells.
pub fn note_secret(m: &crate::domain::secret::Masque) -> String {
    if m.seuil == 0 {
        return "Secret statistique désactivé : aucune case masquée.".to_owned();
    }
    format!(
        "{} Cases masquées : {} ({} petits effectifs, {} valeurs qui en découlent, {} cases complémentaires).",
        explication_secret(m.seuil),
        m.total(),
        m.primaires,
        m.derivees,
        m.complementaires
    )
}

/// The rule of statistical secrecy in French (SPEC §5 v2), for threshold `seuil` > 0: the note of
/// the exports and the app's publication mode say the same.
pub fn explication_secret(seuil: u32) -> String {
    format!(
        "« s » : secret statistique. Les effectifs de 1 à {} logements réservés d'une catégorie ou hors assiette d'un motif, dans une commune ou un EPCI/EPT, sont masqués, avec les valeurs qui en découlent (volume et logements attendus de cette catégorie) et des cases complémentaires choisies pour qu'aucune case masquée ne puisse être retrouvée par différence avec un total de ligne ou un niveau supérieur. Toutes les cases masquées portent la même marque.",
        seuil.saturating_sub(1)
    )
}

/// A typed cell of an export table: the CSV writes it in French, the XLSX keeps its type.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub enum Cellule {
    Texte(String),
    Entier(u64),
    /// A decimal number and the digits the CSV keeps.
    Nombre(f64, usize),
    /// A fraction shown as a percentage (0.25 → 25 %).
    Pourcent(f64),
}

/// One row of the communal view, in the order of [`entetes_vue`]; masked cells are « s ».
pub(crate) fn cellules_vue(l: &LigneCommunale, masque: &MasqueNiveau) -> Vec<Cellule> {
    let a = &l.agregat;
    let cache = |c: Colonne, cellule: Cellule| if masque.masque(&l.code, c) { Cellule::Texte(MARQUE.to_owned()) } else { cellule };
    let entier = |n: u32| Cellule::Entier(u64::from(n));
    let mut v: Vec<Cellule> = [&l.code, &l.nom, &l.epci, &l.departement].iter().map(|t| Cellule::Texte((*t).clone())).collect();
    v.push(entier(a.logements));
    v.push(entier(a.hors_assiette_total()));
    v.extend(Motif::TOUS.iter().map(|&m| cache(Colonne::HorsAssiette(m), entier(a.hors_assiette[m as usize]))));
    v.push(entier(a.assiette));
    v.push(Cellule::Nombre(a.liberations, 2));
    v.push(Cellule::Nombre(a.flux, 2));
    v.extend(Categorie::RESERVANTES.iter().map(|&k| cache(Colonne::Reserves(k), entier(a.reserves[k as usize]))));
    v.extend(Categorie::RESERVANTES.iter().map(|&k| cache(Colonne::Volume(k), Cellule::Nombre(a.volume[k as usize], 2))));
    v.extend(categories_attendues().map(|k| cache(Colonne::Attendus(k), Cellule::Nombre(a.attendus[k as usize], 2))));
    v.extend(a.typologie.iter().chain(&a.financement).chain(&a.qpv).map(|&n| entier(n)));
    v
}

/// Columns of `etalement.csv` and of the workbook's « Étalement » sheet.
pub const ENTETES_ETALEMENT: [&str; 8] = [
    "bailleur",
    "departement",
    "annee",
    "reservataire",
    "categorie",
    "logements_offerts",
    "volume_restant",
    "logements_exacts",
];

/// Columns of `objectifs.csv` and of the workbook's « Objectifs » sheet.
pub const ENTETES_OBJECTIFS: [&str; 6] = [
    "bailleur",
    "departement",
    "reservataire",
    "categorie",
    "commune",
    "logements_par_an",
];

/// `etalement.csv` (SPEC §6 v2): `bailleur;departement;annee;reservataire;categorie;
/// logements_offerts;volume_restant;logements_exacts` — `annee` is the calendar year,
/// `logements_offerts` the whole logements of the rounding mode, `logements_exacts` offered_r(k).
pub fn etalement_csv(r: &Resultats) -> Vec<u8> {
    let lignes: usize = r.perimetres.iter().map(|p| p.etalement.lignes.len()).sum();
    let mut octets = Vec::with_capacity(lignes * 80);
    ecrire_etalement_csv(r, &mut octets).expect("étalement écrit en mémoire");
    octets
}

/// [`etalement_csv`] written to `w` about a megabyte at a time (tens of MB for a region: the
/// command line never holds it whole).
pub fn ecrire_etalement_csv(r: &Resultats, mut w: impl std::io::Write) -> std::io::Result<()> {
    const MORCEAU: usize = 1 << 20;
    let mut c = CsvFr::avec_capacite(MORCEAU + (MORCEAU >> 2));
    c.entetes(ENTETES_ETALEMENT);
    for p in &r.perimetres {
        lignes_etalement(&mut c, p);
        if c.len() >= MORCEAU {
            c.vider(&mut w)?;
        }
    }
    c.vider(&mut w)
}

/// The lines of `etalement.csv` of one perimeter.
fn lignes_etalement(c: &mut CsvFr, p: &crate::domain::ResultatPerimetre) {
    let (bailleur, departement) = (echapper(&p.bailleur), echapper(&p.departement));
    let noms: Vec<_> = p.parts.iter().map(|x| echapper(&x.reservataire)).collect();
    let categories: Vec<_> = p.parts.iter().map(|x| echapper(x.categorie.code())).collect();
    for l in &p.etalement.lignes {
        c.echappe(&bailleur).echappe(&departement).entier_i64(l.annee as i64);
        c.echappe(&noms[l.partie as usize]).echappe(&categories[l.partie as usize]);
        c.nombre(l.offerts, 3);
        match l.volume_restant {
            Some(v) => c.nombre(v, 3),
            None => c.vide(),
        };
        c.nombre(l.exact, 6).fin();
    }
}

/// `objectifs.csv` (SPEC §4.10): yearly logements per party, per commune for the État and the
/// communes, per département (empty `commune`) for the others.
pub fn objectifs_csv(r: &Resultats) -> Vec<u8> {
    let mut c = CsvFr::new();
    c.entetes(ENTETES_OBJECTIFS);
    for p in &r.perimetres {
        for o in &p.objectifs {
            let partie = &p.parts[o.partie];
            c.texte(&p.bailleur)
                .texte(&p.departement)
                .texte(&partie.reservataire)
                .texte(partie.categorie.code());
            c.texte(o.commune.as_deref().unwrap_or(""));
            c.nombre(o.logements_par_an, 3).fin();
        }
    }
    c.octets()
}

/// `rejets.csv` (and `avertissements.csv`): `ligne;colonne;motif`.
pub fn rejets_csv(rejets: &[Rejet]) -> Vec<u8> {
    let mut c = CsvFr::new();
    c.entetes(["ligne", "colonne", "motif"]);
    for r in rejets {
        c.entier(r.ligne).texte(&r.colonne).texte(&r.motif).fin();
    }
    c.octets()
}

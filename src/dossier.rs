//! « Un dossier qui dure » (SPEC §7): everything a user loaded and set — the état des lieux, the
//! parameters (and scenarios), the mouvements of each year — saved as one file and reopened later,
//! on the same or another computer, with the same numbers. Nothing leaves the browser: the file is
//! written and read locally.
//!
//! Format: a ZIP archive holding `dossier.json` (the manifest: format name, version, parameters,
//! and for each file its name, path in the archive, sheet and column mapping) and the files as
//! they were loaded, byte for byte, under `fichiers/`. Keeping the original files (not a derived
//! form) is what makes a reopened dossier give the same numbers with any later version of the
//! engine. The manifest is versioned: a newer version reads every older one (tested on a committed
//! version-1 file); a dossier written by a newer version, a damaged or foreign file get a French
//! message.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

use serde::{Deserialize, Serialize};

use crate::domain::Parametres;
use crate::import::columns::{Champ, Correspondance};
use crate::import::mouvements;

/// Name of the format in the manifest.
pub const FORMAT: &str = "gestion-flux/dossier";
/// Version written by this code.
pub const VERSION: u32 = 1;
/// The manifest's path in the archive.
const MANIFESTE: &str = "dossier.json";
/// Largest dossier read (the browser's limit on a file it reads).
pub const TAILLE_MAX: u64 = 600 * 1024 * 1024;

/// A file of the dossier, as the user loaded it, and how it was read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fichier {
    pub nom: String,
    pub octets: Vec<u8>,
    /// Sheet of a workbook.
    pub feuille: Option<String>,
    /// A column mapping made by hand: field name → column (0-based).
    pub colonnes: Option<BTreeMap<String, usize>>,
}

/// A scenario of the comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub nom: String,
    pub parametres: serde_json::Value,
}

/// Everything a session holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dossier {
    pub parametres: Parametres,
    /// The scenarios (their parameters as JSON, read with [`Parametres::depuis_json`]).
    pub scenarios: Vec<Scenario>,
    pub etat_des_lieux: Option<Fichier>,
    /// One file per year (or more), in the order loaded.
    pub mouvements: Vec<Fichier>,
}

#[derive(Serialize, Deserialize)]
struct Manifeste {
    format: String,
    version: u32,
    parametres: serde_json::Value,
    #[serde(default)]
    scenarios: Vec<Scenario>,
    etat_des_lieux: Option<Entree>,
    #[serde(default)]
    mouvements: Vec<Entree>,
}

#[derive(Serialize, Deserialize)]
struct Entree {
    nom: String,
    chemin: String,
    #[serde(default)]
    feuille: Option<String>,
    #[serde(default)]
    colonnes: Option<BTreeMap<String, usize>>,
}

/// A hand-made mapping of the état des lieux as names (the dossier's form).
pub fn colonnes_de(c: &Correspondance) -> BTreeMap<String, usize> {
    Champ::LUS.iter().filter_map(|&ch| c.colonne(ch).map(|j| (ch.nom().to_owned(), j))).collect()
}

/// The mapping back from names; unknown names are ignored.
pub fn correspondance_de(colonnes: &BTreeMap<String, usize>) -> Correspondance {
    let mut c = Correspondance::default();
    for &ch in &Champ::LUS {
        c.colonnes[ch as usize] = colonnes.get(ch.nom()).copied();
    }
    c
}

/// A hand-made mapping of a mouvements file as names.
pub fn colonnes_mouvements_de(c: &mouvements::Correspondance) -> BTreeMap<String, usize> {
    mouvements::Champ::TOUS.iter().filter_map(|&ch| c.colonne(ch).map(|j| (ch.nom().to_owned(), j))).collect()
}

/// The mouvements mapping back from names; unknown names are ignored.
pub fn correspondance_mouvements_de(colonnes: &BTreeMap<String, usize>) -> mouvements::Correspondance {
    let mut c = mouvements::Correspondance::default();
    for &ch in &mouvements::Champ::TOUS {
        c.colonnes[ch as usize] = colonnes.get(ch.nom()).copied();
    }
    c
}

/// A file name kept inside the archive: its extension only (the name is in the manifest).
fn chemin(prefixe: &str, nom: &str) -> String {
    let ext: String = nom.rsplit_once('.').map(|(_, e)| e.chars().filter(char::is_ascii_alphanumeric).take(8).collect()).unwrap_or_default();
    if ext.is_empty() { format!("fichiers/{prefixe}") } else { format!("fichiers/{prefixe}.{}", ext.to_ascii_lowercase()) }
}

/// Writes a dossier.
pub fn ecrire(d: &Dossier) -> Vec<u8> {
    let entree = |f: &Fichier, prefixe: String| Entree { nom: f.nom.clone(), chemin: chemin(&prefixe, &f.nom), feuille: f.feuille.clone(), colonnes: f.colonnes.clone() };
    let etat = d.etat_des_lieux.as_ref().map(|f| entree(f, "etat-des-lieux".into()));
    let mouvements: Vec<Entree> = d.mouvements.iter().enumerate().map(|(k, f)| entree(f, format!("mouvements-{}", k + 1))).collect();
    let manifeste = Manifeste {
        format: FORMAT.into(),
        version: VERSION,
        parametres: serde_json::from_str(&d.parametres.vers_json()).unwrap_or_default(),
        scenarios: d.scenarios.clone(),
        etat_des_lieux: etat,
        mouvements,
    };
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    // A fixed date: the same dossier gives the same bytes.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut ajouter = |chemin: &str, octets: &[u8]| -> zip::result::ZipResult<()> {
        z.start_file(chemin, options)?;
        z.write_all(octets)?;
        Ok(())
    };
    let json = serde_json::to_vec_pretty(&manifeste).expect("manifeste sérialisable");
    ajouter(MANIFESTE, &json).expect("écriture en mémoire");
    let fichiers = d.etat_des_lieux.iter().chain(&d.mouvements);
    let chemins = manifeste.etat_des_lieux.iter().chain(&manifeste.mouvements);
    for (f, e) in fichiers.zip(chemins) {
        ajouter(&e.chemin, &f.octets).expect("écriture en mémoire");
    }
    z.finish().expect("écriture en mémoire").into_inner()
}

/// Reads a dossier. Errors are French sentences for the user; the caller keeps its session.
pub fn lire(octets: &[u8]) -> Result<Dossier, String> {
    let etranger = || "ce fichier n'est pas un dossier du calculateur (fichier « .zip » enregistré par « Enregistrer le dossier »)".to_owned();
    if octets.len() as u64 > TAILLE_MAX {
        return Err(format!("dossier trop volumineux (plus de {} Mo)", TAILLE_MAX / 1_048_576));
    }
    let mut z = zip::ZipArchive::new(Cursor::new(octets)).map_err(|_| etranger())?;
    let mut lire_entree = |chemin: &str| -> Result<Vec<u8>, String> {
        let mut f = z.by_name(chemin).map_err(|_| format!("dossier incomplet : « {chemin} » manque"))?;
        // The declared size bounds what is read (a damaged or crafted archive cannot blow memory).
        if f.size() > TAILLE_MAX * 4 {
            return Err(format!("dossier endommagé : « {chemin} » annonce une taille impossible"));
        }
        let mut v = Vec::with_capacity(f.size() as usize);
        f.by_ref().take(TAILLE_MAX * 4).read_to_end(&mut v).map_err(|_| format!("dossier endommagé : « {chemin} » illisible"))?;
        Ok(v)
    };
    let manifeste = lire_entree(MANIFESTE).map_err(|_| etranger())?;
    let m: Manifeste = serde_json::from_slice(&manifeste).map_err(|e| format!("dossier endommagé : description illisible ({e})"))?;
    if m.format != FORMAT {
        return Err(etranger());
    }
    if m.version > VERSION {
        return Err(format!(
            "ce dossier a été enregistré par une version plus récente du calculateur (format {}, celle-ci lit jusqu'au format {VERSION}) : mettez le calculateur à jour",
            m.version
        ));
    }
    let parametres = Parametres::depuis_json(&m.parametres.to_string()).map_err(|e| format!("dossier : {e}"))?;
    let mut fichier = |e: &Entree| -> Result<Fichier, String> {
        Ok(Fichier { nom: e.nom.clone(), octets: lire_entree(&e.chemin)?, feuille: e.feuille.clone(), colonnes: e.colonnes.clone() })
    };
    let etat_des_lieux = m.etat_des_lieux.as_ref().map(&mut fichier).transpose()?;
    let mouvements = m.mouvements.iter().map(&mut fichier).collect::<Result<Vec<_>, _>>()?;
    Ok(Dossier { parametres, scenarios: m.scenarios, etat_des_lieux, mouvements })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exemple() -> Dossier {
        let mut p = Parametres::default();
        p.date_conversion = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        p.rotation.taux_unique = 0.07;
        Dossier {
            parametres: p,
            scenarios: vec![Scenario { nom: "B".into(), parametres: serde_json::json!({"arrondi": "report"}) }],
            etat_des_lieux: Some(Fichier { nom: "parc 2026.CSV".into(), octets: b"rpls;commune\nA;93048\n".to_vec(), feuille: None, colonnes: Some([("commune".to_owned(), 1)].into()) }),
            mouvements: vec![Fichier { nom: "m.xlsx".into(), octets: vec![1, 2, 3], feuille: Some("2026".into()), colonnes: None }],
        }
    }

    #[test]
    fn round_trip_and_same_bytes() {
        let d = exemple();
        let octets = ecrire(&d);
        assert_eq!(lire(&octets).unwrap(), d);
        assert_eq!(ecrire(&d), octets, "deterministic");
    }

    #[test]
    fn foreign_damaged_or_newer_files_get_a_french_message() {
        assert!(lire(b"rpls;commune\n").unwrap_err().contains("n'est pas un dossier"));
        let mut octets = ecrire(&exemple());
        let n = octets.len();
        octets.truncate(n / 2);
        assert!(lire(&octets).is_err());
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        z.start_file(MANIFESTE, zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(br#"{"format": "gestion-flux/dossier", "version": 99, "parametres": {}}"#).unwrap();
        let futur = z.finish().unwrap().into_inner();
        assert!(lire(&futur).unwrap_err().contains("version plus récente"), "{:?}", lire(&futur));
    }

    #[test]
    fn mapping_by_names() {
        let mut c = Correspondance::default();
        c.colonnes[Champ::Commune as usize] = Some(3);
        let noms = colonnes_de(&c);
        assert_eq!(noms, [("commune".to_owned(), 3)].into());
        assert_eq!(correspondance_de(&noms), c);
    }
}

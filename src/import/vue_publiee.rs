//! A published communal view read back (consultation mode, SPEC §9): the communal CSVs the app
//! and `flux` write (`communes.csv`, `epci.csv`, `departements.csv`, masked cells « s ») or their
//! JSON twin (`vue_communale.json`, [`crate::export::publication::json`]), or the results workbook
//! (XLSX) whose communal sheets hold the same tables. No état des lieux is
//! needed: a réservataire explores the regional picture from what was published, and nothing
//! masked can come back (a masked cell is read as masked, its value unknown).

use crate::domain::agregation::{Agregat, LigneCommunale, VueCommunale};
use crate::domain::model::{Categorie, Motif, FINANCEMENTS, QPV, TYPOLOGIES};
use crate::domain::secret::{Colonne, Masque, MasqueNiveau, Raison, MARQUE};
use crate::export::entetes_vue;
use crate::format::lire_nombre;

/// A published view, as read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VuePubliee {
    pub vue: VueCommunale,
    /// The masked cells of the files (all counted as published masked: why each was masked is not
    /// in the files).
    pub masque: Masque,
    /// The files read, and the level each held.
    pub fichiers: Vec<(String, &'static str)>,
}

impl VuePubliee {
    /// Cells masked in the files read.
    pub fn masquees(&self) -> usize {
        self.masque.communes.nombre() + self.masque.epci.nombre() + self.masque.departements.nombre()
    }
}

/// A cell of a published table.
#[derive(Clone, Debug, PartialEq)]
enum Valeur {
    Texte(String),
    Nombre(f64),
    Secret,
}

/// The level of the view a table holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Niveau {
    Communes,
    Epci,
    Departements,
}

impl Niveau {
    fn nom(self) -> &'static str {
        match self {
            Niveau::Communes => "communes",
            Niveau::Epci => "EPCI et EPT",
            Niveau::Departements => "départements",
        }
    }
}

/// Reads the published files `(name, bytes)`; each is a communal CSV (any level) or the JSON twin.
/// A file that is neither gets a French message naming it.
pub fn lire(fichiers: &[(String, Vec<u8>)]) -> Result<VuePubliee, String> {
    let mut v = VuePubliee::default();
    for (nom, octets) in fichiers {
        if octets.starts_with(b"PK\x03\x04") {
            for (feuille, entetes, lignes) in tables_xlsx(nom, octets)? {
                let niveau = ajouter(&mut v, &feuille, &entetes, lignes)?;
                v.fichiers.push((feuille, niveau.nom()));
            }
            continue;
        }
        let texte = std::str::from_utf8(octets.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(octets))
            .map_err(|_| format!("« {nom} » n'est pas un fichier publié par le calculateur (une vue communale CSV ou JSON en texte UTF-8, ou le classeur XLSX des résultats, est attendue)."))?;
        let tables = if texte.trim_start().starts_with('{') { tables_json(nom, texte)? } else { vec![table_csv(nom, texte)?] };
        for (entetes, lignes) in tables {
            let niveau = ajouter(&mut v, nom, &entetes, lignes)?;
            v.fichiers.push((nom.clone(), niveau.nom()));
        }
    }
    if v.vue.communes.is_empty() && v.vue.epci.is_empty() && v.vue.departements.is_empty() {
        return Err("Aucune ligne dans les fichiers publiés.".to_owned());
    }
    v.vue.total = v.vue.departements.iter().fold(Agregat::default(), |mut t, l| {
        t.ajouter(&l.agregat);
        t
    });
    if v.vue.departements.is_empty() {
        for l in &v.vue.communes {
            v.vue.total.ajouter(&l.agregat);
        }
    }
    Ok(v)
}

/// A communal CSV: `;`, French decimals, « s » for masked cells.
fn table_csv(nom: &str, texte: &str) -> Result<(Vec<String>, Vec<Vec<Valeur>>), String> {
    let mut r = csv::ReaderBuilder::new().delimiter(b';').has_headers(true).from_reader(texte.as_bytes());
    let entetes: Vec<String> = r.headers().map_err(|e| format!("« {nom} » illisible : {e}"))?.iter().map(str::to_owned).collect();
    positions(nom, &entetes)?;
    let mut lignes = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| format!("« {nom} », ligne {} : {e}", i + 2))?;
        let mut ligne = Vec::with_capacity(rec.len());
        for (j, t) in rec.iter().enumerate() {
            ligne.push(if t == MARQUE {
                Valeur::Secret
            } else if j >= 4 {
                Valeur::Nombre(lire_nombre(t).ok_or_else(|| format!("« {nom} », ligne {}, colonne « {} » : nombre attendu, lu « {t} ».", i + 2, entetes.get(j).map_or("", String::as_str)))?)
            } else {
                Valeur::Texte(t.to_owned())
            });
        }
        lignes.push(ligne);
    }
    Ok((entetes, lignes))
}

/// The results workbook (`resultats-gestion-flux.xlsx`, [`crate::export::classeur::feuilles`]):
/// its sheets whose headers are a communal view's (« Vue communale », « EPCI-EPT »,
/// « Départements »), each named `file › sheet`. Numbers are read as numbers, « s » as masked.
fn tables_xlsx(nom: &str, octets: &[u8]) -> Result<Vec<(String, Vec<String>, Vec<Vec<Valeur>>)>, String> {
    use calamine::{Data, Reader, Xlsx};
    let mut classeur: Xlsx<_> = Xlsx::new(std::io::Cursor::new(octets))
        .map_err(|e| format!("« {nom} » : classeur XLSX illisible ({e})."))?;
    let mut tables = Vec::new();
    for feuille in classeur.sheet_names() {
        let Ok(plage) = classeur.worksheet_range(&feuille) else { continue };
        let mut lignes_feuille = plage.rows();
        let Some(entete) = lignes_feuille.next() else { continue };
        let entetes: Vec<String> = entete.iter().map(|c| c.to_string()).collect();
        // Other sheets (parameters, conventions…) are not part of the view: skipped.
        if niveau(&entetes, &[]).is_none() || positions(nom, &entetes).is_err() {
            continue;
        }
        let lieu = format!("{nom} › {feuille}");
        let mut lignes = Vec::new();
        for (i, rangee) in lignes_feuille.enumerate() {
            let mut ligne = Vec::with_capacity(rangee.len());
            for (j, c) in rangee.iter().enumerate() {
                ligne.push(match c {
                    Data::String(t) if t == MARQUE => Valeur::Secret,
                    Data::Float(x) if j >= 4 => Valeur::Nombre(*x),
                    Data::Int(x) if j >= 4 => Valeur::Nombre(*x as f64),
                    Data::Empty if j >= 4 => Valeur::Nombre(0.0),
                    Data::String(t) if j >= 4 => Valeur::Nombre(lire_nombre(t).ok_or_else(|| {
                        format!("« {lieu} », ligne {}, colonne « {} » : nombre attendu, lu « {t} ».", i + 2, entetes.get(j).map_or("", String::as_str))
                    })?),
                    autre => Valeur::Texte(autre.to_string()),
                });
            }
            lignes.push(ligne);
        }
        tables.push((lieu, entetes, lignes));
    }
    if tables.is_empty() {
        return Err(format!("« {nom} » ne contient aucune feuille de vue communale (« Vue communale », « EPCI-EPT », « Départements » du classeur des résultats)."));
    }
    Ok(tables)
}

/// The JSON twin: `{"format": FORMAT, "niveaux": {"communes": {"entetes": [...], "lignes": [[...]]}, ...}}`.
fn tables_json(nom: &str, texte: &str) -> Result<Vec<(Vec<String>, Vec<Vec<Valeur>>)>, String> {
    let etranger = || format!("« {nom} » n'est pas une vue communale publiée par le calculateur (JSON au format « {FORMAT} » attendu).");
    let v: serde_json::Value = serde_json::from_str(texte).map_err(|e| format!("« {nom} » : JSON illisible ({e})."))?;
    if v.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(etranger());
    }
    let niveaux = v.get("niveaux").and_then(|n| n.as_object()).ok_or_else(etranger)?;
    let mut tables = Vec::new();
    for cle in ["communes", "epci", "departements"] {
        let Some(t) = niveaux.get(cle) else { continue };
        let entetes: Vec<String> = t.get("entetes").and_then(|e| e.as_array()).ok_or_else(etranger)?.iter().map(|e| e.as_str().unwrap_or("").to_owned()).collect();
        let mut lignes = Vec::new();
        for l in t.get("lignes").and_then(|l| l.as_array()).ok_or_else(etranger)? {
            let cases = l.as_array().ok_or_else(etranger)?;
            lignes.push(
                cases
                    .iter()
                    .map(|c| match c {
                        serde_json::Value::String(s) if s == MARQUE => Valeur::Secret,
                        serde_json::Value::String(s) => Valeur::Texte(s.clone()),
                        serde_json::Value::Number(n) => Valeur::Nombre(n.as_f64().unwrap_or(0.0)),
                        _ => Valeur::Texte(String::new()),
                    })
                    .collect(),
            );
        }
        tables.push((entetes, lignes));
    }
    Ok(tables)
}

/// The `format` key of the JSON twin.
pub const FORMAT: &str = "gestion-flux/vue-communale";

/// Which level a table holds, from its first header (`commune`, `epci`, `departement`; `code` in
/// the roll-up CSVs of `flux`: a département code has at most 3 characters, an EPCI/EPT more).
fn niveau(entetes: &[String], lignes: &[Vec<Valeur>]) -> Option<Niveau> {
    match entetes.first()?.as_str() {
        "commune" => Some(Niveau::Communes),
        "epci" => Some(Niveau::Epci),
        "departement" => Some(Niveau::Departements),
        "code" => Some(match lignes.first().and_then(|l| l.first()) {
            Some(Valeur::Texte(c)) if c.len() <= 3 => Niveau::Departements,
            _ => Niveau::Epci,
        }),
        _ => None,
    }
}

/// Adds one table to the view; every header must be a column of the communal view.
fn ajouter(v: &mut VuePubliee, nom: &str, entetes: &[String], lignes: Vec<Vec<Valeur>>) -> Result<Niveau, String> {
    let niveau = niveau(entetes, &lignes).ok_or_else(|| {
        format!("« {nom} » n'est pas une vue communale publiée : sa première colonne devrait être « commune », « epci », « departement » ou « code ».")
    })?;
    let positions = positions(nom, entetes)?;
    let (cible, masque) = match niveau {
        Niveau::Communes => (&mut v.vue.communes, &mut v.masque.communes),
        Niveau::Epci => (&mut v.vue.epci, &mut v.masque.epci),
        Niveau::Departements => (&mut v.vue.departements, &mut v.masque.departements),
    };
    for ligne in lignes {
        let mut l = LigneCommunale::default();
        for (valeur, &k) in ligne.into_iter().zip(&positions) {
            placer(&mut l, masque, k, valeur);
        }
        cible.push(l);
    }
    cible.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(niveau)
}

/// The canonical position ([`entetes_vue`]) of each header; any other header means the file is
/// not a published communal view.
fn positions(nom: &str, entetes: &[String]) -> Result<Vec<usize>, String> {
    let attendues = entetes_vue("commune");
    entetes
        .iter()
        .enumerate()
        .map(|(j, e)| if j == 0 { Some(0) } else { attendues.iter().position(|a| a == e) })
        .collect::<Option<_>>()
        .ok_or_else(|| {
            let inconnues: Vec<&str> = entetes.iter().skip(1).filter(|e| !attendues.contains(e)).take(5).map(String::as_str).collect();
            format!("« {nom} » n'est pas une vue communale publiée : colonne(s) inconnue(s) {}.", inconnues.join(", "))
        })
}

/// Puts the value of canonical column `k` ([`entetes_vue`] order) into the row; a masked cell
/// goes into the mask, its value left at zero.
fn placer(l: &mut LigneCommunale, masque: &mut MasqueNiveau, k: usize, valeur: Valeur) {
    let texte = |v: &Valeur| match v {
        Valeur::Texte(t) => t.clone(),
        Valeur::Nombre(x) => x.to_string(),
        Valeur::Secret => MARQUE.to_owned(),
    };
    match k {
        0 => l.code = texte(&valeur),
        1 => l.nom = texte(&valeur),
        2 => l.epci = texte(&valeur),
        3 => l.departement = texte(&valeur),
        _ => {
            let a = &mut l.agregat;
            let x = match valeur {
                Valeur::Nombre(x) => x,
                Valeur::Secret => {
                    if let Some(c) = colonne(k) {
                        masque.lignes.entry(l.code.clone()).or_default().push((c, Raison::Primaire));
                    }
                    return;
                }
                Valeur::Texte(_) => 0.0,
            };
            let n = x.max(0.0).round() as u32;
            let (m, r, t, f) = (Motif::N, Categorie::RESERVANTES.len(), TYPOLOGIES.len(), FINANCEMENTS.len());
            let attendues = r + 1;
            match k - 4 {
                0 => a.logements = n,
                1 => {} // hors_assiette: the sum of the motifs
                i if i < 2 + m => a.hors_assiette[Motif::TOUS[i - 2] as usize] = n,
                i if i == 2 + m => a.assiette = n,
                i if i == 3 + m => a.liberations = x,
                i if i == 4 + m => a.flux = x,
                i if i < 5 + m + r => a.reserves[Categorie::RESERVANTES[i - 5 - m] as usize] = n,
                i if i < 5 + m + 2 * r => a.volume[Categorie::RESERVANTES[i - 5 - m - r] as usize] = x,
                i if i < 5 + m + 2 * r + attendues => a.attendus[categorie_attendue(i - 5 - m - 2 * r) as usize] = x,
                i if i < 5 + m + 2 * r + attendues + t => a.typologie[i - 5 - m - 2 * r - attendues] = n,
                i if i < 5 + m + 2 * r + attendues + t + f => a.financement[i - 5 - m - 2 * r - attendues - t] = n,
                i if i < 5 + m + 2 * r + attendues + t + f + QPV.len() => a.qpv[i - 5 - m - 2 * r - attendues - t - f] = n,
                _ => {}
            }
        }
    }
}

/// The category of the `i`-th « logements par an » column (the réservataires, then the bailleur).
fn categorie_attendue(i: usize) -> Categorie {
    Categorie::RESERVANTES.get(i).copied().unwrap_or(Categorie::Bailleur)
}

/// The maskable column at canonical position `k`, if any.
fn colonne(k: usize) -> Option<Colonne> {
    let (m, r) = (Motif::N, Categorie::RESERVANTES.len());
    let i = k.checked_sub(4)?;
    Some(match i {
        i if (2..2 + m).contains(&i) => Colonne::HorsAssiette(Motif::TOUS[i - 2]),
        i if (5 + m..5 + m + r).contains(&i) => Colonne::Reserves(Categorie::RESERVANTES[i - 5 - m]),
        i if (5 + m + r..5 + m + 2 * r).contains(&i) => Colonne::Volume(Categorie::RESERVANTES[i - 5 - m - r]),
        i if (5 + m + 2 * r..6 + m + 3 * r).contains(&i) => Colonne::Attendus(categorie_attendue(i - 5 - m - 2 * r)),
        _ => return None,
    })
}

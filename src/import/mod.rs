//! Import layer: turns an uploaded état des lieux (bytes) into the compact [`Dataset`].
//!
//! Bad input never crashes and never disappears silently (SPEC §2): a row that cannot be computed
//! is rejected with its line, column and reason; a doubtful value is kept and warned about; and
//! rows read = rows kept + rows rejected, always.
//!
//! Modules: [`csv`] (encoding, separator, chunks), [`columns`] (header matching), [`values`]
//! (cell parsing). The row loop below converts one record into a [`Logement`].

pub mod columns;
pub mod csv;
pub mod values;

use std::borrow::Cow;
use std::fmt;

use ::csv::{ByteRecord, StringRecord};
use serde::Serialize;

use crate::domain::dataset::{DatasetBuilder, Logement};
use crate::domain::{Categorie, Dataset};
use columns::{Champ, Correspondance};

/// A rejected row or a warning: the file line (header = line 1), the column and a French reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rejet {
    pub ligne: u64,
    pub colonne: String,
    pub motif: String,
}

/// Warnings have the same shape as rejects (SPEC §2: "listed the same way").
pub type Avertissement = Rejet;

#[derive(Debug)]
pub struct Import {
    pub dataset: Dataset,
    pub lignes_lues: usize,
    pub lignes_retenues: usize,
    pub rejets: Vec<Rejet>,
    pub avertissements: Vec<Avertissement>,
    /// File line of each kept logement (dataset order).
    pub lignes: Vec<u32>,
    pub correspondance: Correspondance,
    pub entetes: Vec<String>,
    pub separateur: u8,
    pub encodage: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// No header line.
    Vide,
    /// Required fields without a column; the headers found.
    ColonnesManquantes {
        champs: Vec<&'static str>,
        entetes: Vec<String>,
    },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Vide => write!(f, "le fichier est vide"),
            ImportError::ColonnesManquantes { champs, entetes } => write!(
                f,
                "colonne(s) obligatoire(s) introuvable(s) : {} (en-têtes lus : {})",
                champs.join(", "),
                entetes.join(", ")
            ),
        }
    }
}

impl std::error::Error for ImportError {}

/// Number of data rows (header excluded) of a CSV état des lieux, whatever its separator or
/// encoding, without checking columns (the web demo's summary).
pub fn count_data_rows(bytes: &[u8]) -> usize {
    let (texte, _) = csv::decoder(bytes);
    let debut = csv::fin_premiere_ligne(&texte);
    let sep = csv::separateur(&texte[..debut]);
    let mut rec = ByteRecord::new();
    let mut r = csv::lecteur(&texte[debut..], sep);
    let mut n = 0;
    while r.read_byte_record(&mut rec).unwrap_or(false) {
        n += 1;
    }
    n
}

/// Reads a CSV état des lieux with detected columns.
pub fn lire_csv(bytes: &[u8]) -> Result<Import, ImportError> {
    lire_csv_avec(bytes, None)
}

/// Reads a CSV état des lieux; `correspondance` overrides the header detection.
pub fn lire_csv_avec(
    bytes: &[u8],
    correspondance: Option<&Correspondance>,
) -> Result<Import, ImportError> {
    lire_en(bytes, correspondance, None)
}

/// `parts`: number of chunks parsed in parallel (default: one per core above 4 MB).
///
/// The text is first read as UTF-8, each record being checked as it is parsed (no separate pass
/// over the file); if any record is not valid UTF-8, the whole file is decoded as Windows-1252 and
/// read again.
fn lire_en(
    bytes: &[u8],
    correspondance: Option<&Correspondance>,
    parts: Option<usize>,
) -> Result<Import, ImportError> {
    let (texte, encodage) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(reste) => (Cow::Borrowed(reste), "UTF-8 (BOM)"),
        None => (Cow::Borrowed(bytes), "UTF-8"),
    };
    match lire_texte(&texte, encodage, correspondance, parts)? {
        Some(import) => Ok(import),
        None => {
            let (decode, _, _) = encoding_rs::WINDOWS_1252.decode(&texte);
            let decode = decode.into_owned();
            Ok(
                lire_texte(decode.as_bytes(), "Windows-1252", correspondance, parts)?
                    .expect("texte décodé en UTF-8"),
            )
        }
    }
}

/// Reads a text assumed UTF-8; `None` when it is not.
fn lire_texte(
    texte: &[u8],
    encodage: &'static str,
    correspondance: Option<&Correspondance>,
    parts: Option<usize>,
) -> Result<Option<Import>, ImportError> {
    let debut = csv::fin_premiere_ligne(texte);
    if texte[..debut].iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Vide);
    }
    let Ok(entete) = std::str::from_utf8(&texte[..debut]) else {
        return Ok(None);
    };
    let sep = csv::separateur(entete.as_bytes());
    let mut rec = ByteRecord::new();
    csv::lecteur(entete.as_bytes(), sep)
        .read_byte_record(&mut rec)
        .map_err(|_| ImportError::Vide)?;
    let entetes: Vec<String> = rec
        .iter()
        .map(|c| String::from_utf8_lossy(c).trim().to_owned())
        .collect();
    let map = correspondance
        .cloned()
        .unwrap_or_else(|| columns::detecter(entetes.iter().map(|s| s.as_str())));
    let manquants = map.manquants();
    if !manquants.is_empty() {
        return Err(ImportError::ColonnesManquantes {
            champs: manquants.iter().map(|c| c.nom()).collect(),
            entetes,
        });
    }

    let morceaux = csv::decouper(
        texte,
        debut,
        parts.unwrap_or_else(|| paralleles(texte.len())),
    );
    let lire =
        |r: &std::ops::Range<usize>| lire_morceau(&texte[r.clone()], sep, &map, entetes.len());
    let partiels: Vec<Partiel> =
        crate::domain::en_parallele(morceaux.len(), |i| lire(&morceaux[i]));
    if partiels.iter().any(|p| p.pas_utf8) {
        return Ok(None);
    }

    // Line numbers were counted from the start of each chunk: shift them by the lines before it.
    let mut avant = csv::lignes(&texte[..debut]);
    let mut total = Partiel::default();
    for (i, mut p) in partiels.into_iter().enumerate() {
        p.rejets
            .iter_mut()
            .chain(p.avertissements.iter_mut())
            .for_each(|r| r.ligne += avant);
        p.lignes.iter_mut().for_each(|l| *l += avant as u32);
        avant += p.lignes_physiques;
        if i == 0 {
            total = p;
            continue;
        }
        total.builder.ajouter(p.builder.brut());
        total.lues += p.lues;
        total.rejets.extend(p.rejets);
        total.avertissements.extend(p.avertissements);
        total.lignes.extend(p.lignes);
    }
    let mut dataset = total.builder.finir();
    doublons(&dataset, &total.lignes, &mut total.avertissements);
    trier(&mut total.avertissements);
    dataset.nb_rejets = total.rejets.len();
    dataset.nb_avertissements = total.avertissements.len();
    Ok(Some(Import {
        lignes_retenues: dataset.len(),
        dataset,
        lignes_lues: total.lues,
        rejets: total.rejets,
        avertissements: total.avertissements,
        lignes: total.lignes,
        correspondance: map,
        entetes,
        separateur: sep,
        encodage,
    }))
}

/// Parallel chunks for a text of `taille` bytes: natively one per core (at most 8) above 4 MB.
fn paralleles(taille: usize) -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    if taille > 4 << 20 {
        return std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    }
    let _ = taille;
    1
}

#[derive(Default)]
struct Partiel {
    builder: DatasetBuilder,
    lues: usize,
    rejets: Vec<Rejet>,
    avertissements: Vec<Avertissement>,
    lignes: Vec<u32>,
    /// Line breaks of the chunk.
    lignes_physiques: u64,
    /// A record is not valid UTF-8: the file must be decoded as Windows-1252.
    pas_utf8: bool,
}

/// Parses one chunk; line numbers are relative to its start (first line = 1).
fn lire_morceau(morceau: &[u8], sep: u8, map: &Correspondance, nb_colonnes: usize) -> Partiel {
    let mut p = Partiel::default();
    let mut lecteur = csv::lecteur(morceau, sep);
    let mut rec = StringRecord::new();
    let mut tampon = String::new();
    loop {
        let ligne = match lecteur.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => rec.position().map_or(1, |pos| pos.line()),
            Err(e) if matches!(e.kind(), ::csv::ErrorKind::Utf8 { .. }) => {
                p.pas_utf8 = true;
                return p;
            }
            Err(e) => {
                let ligne = e
                    .position()
                    .map_or(lecteur.position().line(), |pos| pos.line());
                p.lues += 1;
                p.rejets.push(Rejet {
                    ligne,
                    colonne: String::new(),
                    motif: format!("ligne illisible : {e}"),
                });
                continue;
            }
        };
        p.lues += 1;
        let mut signaler = |champ: Champ, motif: String| {
            p.avertissements.push(Rejet {
                ligne,
                colonne: champ.nom().to_owned(),
                motif,
            })
        };
        match convertir(&rec, &mut tampon, map, nb_colonnes, &mut signaler) {
            Ok(l) => {
                p.builder.push(&l);
                p.lignes.push(ligne as u32);
            }
            Err((colonne, motif)) => p.rejets.push(Rejet {
                ligne,
                colonne: colonne.to_owned(),
                motif,
            }),
        }
    }
    p.lignes_physiques = csv::lignes(morceau);
    p
}

/// One record → one logement, or the (column, reason) of its rejection.
fn convertir<'r>(
    rec: &'r StringRecord,
    tampon: &'r mut String,
    map: &Correspondance,
    nb_colonnes: usize,
    avertir: &mut impl FnMut(Champ, String),
) -> Result<Logement<'r>, (&'static str, String)> {
    if rec.len() < nb_colonnes || rec.iter().skip(nb_colonnes).any(|c| !c.trim().is_empty()) {
        if rec.iter().all(|c| c.trim().is_empty()) {
            return Err(("", "ligne vide".into()));
        }
        return Err((
            "",
            format!(
                "nombre de colonnes incorrect ({} au lieu de {nb_colonnes})",
                rec.len()
            ),
        ));
    }
    let champ =
        |c: Champ| -> &'r str { map.colonne(c).and_then(|i| rec.get(i)).unwrap_or("").trim() };
    let rejet = |c: Champ| move |m: String| (c.nom(), m);

    let rpls = champ(Champ::Rpls);
    if rpls.is_empty() {
        return Err((Champ::Rpls.nom(), "identifiant RPLS vide".into()));
    }
    let commune: &'r str =
        match values::commune(champ(Champ::Commune)).map_err(rejet(Champ::Commune))? {
            Cow::Borrowed(c) => c,
            Cow::Owned(c) => {
                if c.len() > champ(Champ::Commune).len() {
                    avertir(
                        Champ::Commune,
                        format!("code commune complété par un zéro initial : {c}"),
                    );
                }
                *tampon = c;
                tampon
            }
        };
    let hors_assiette =
        values::motif(champ(Champ::HorsAssiette)).map_err(rejet(Champ::HorsAssiette))?;
    let reservataire = champ(Champ::Reservataire);
    let categorie =
        match values::categorie(champ(Champ::Categorie)).map_err(rejet(Champ::Categorie))? {
            None if !reservataire.is_empty() => Some(values::categorie_du_nom(reservataire)),
            c => c,
        };
    let type_droit =
        values::type_droit(champ(Champ::TypeDroit)).map_err(rejet(Champ::TypeDroit))?;
    let date_fin = values::date(champ(Champ::DateFin)).map_err(rejet(Champ::DateFin))?;
    let droit_utilise =
        values::oui_non(champ(Champ::DroitUtilise)).map_err(rejet(Champ::DroitUtilise))?;
    let taux_rotation =
        match values::taux(champ(Champ::TauxRotation)).map_err(rejet(Champ::TauxRotation))? {
            Some((t, true)) => {
                avertir(
                    Champ::TauxRotation,
                    format!("taux lu comme un pourcentage : {} %", t * 100.0),
                );
                Some(t)
            }
            t => t.map(|(t, _)| t),
        };

    // Descriptive fields: a bad value is kept as unknown, with a warning.
    let mut ou_inconnu = |c: Champ, r: values::Resultat<Option<f64>>| {
        r.unwrap_or_else(|m| {
            avertir(c, format!("{m} : valeur ignorée"));
            None
        })
    };
    let surface = ou_inconnu(Champ::Surface, values::quantite(champ(Champ::Surface)));
    let loyer = ou_inconnu(Champ::Loyer, values::quantite(champ(Champ::Loyer)));
    let annee = ou_inconnu(
        Champ::AnneeConstruction,
        values::nombre(champ(Champ::AnneeConstruction)),
    );
    let typologie = values::typologie(champ(Champ::Typologie)).unwrap_or_else(|m| {
        avertir(Champ::Typologie, format!("{m} : valeur ignorée"));
        0
    });

    let reserve = categorie.is_some_and(|c| c != Categorie::NonReserve);
    if reserve
        && !categorie.is_some_and(Categorie::est_etat)
        && type_droit == crate::domain::model::TypeDroit::Suite
        && date_fin.is_none()
        && hors_assiette.is_none()
    {
        avertir(Champ::DateFin, "droit de suite sans date de fin : la durée sans terme (duree_sans_terme_ans) s'applique".into());
    }
    Ok(Logement {
        rpls,
        bailleur: champ(Champ::Bailleur),
        commune,
        typologie,
        financement: values::financement(champ(Champ::Financement)),
        qpv: values::qpv(champ(Champ::Qpv)),
        surface,
        loyer,
        annee_construction: annee
            .filter(|a| (1000.0..3000.0).contains(a))
            .map(|a| a as u16),
        hors_assiette,
        reservataire,
        categorie,
        type_droit,
        date_fin,
        droit_utilise: droit_utilise.unwrap_or(false),
        taux_rotation,
    })
}

/// Warns about every row whose commune code the official geography does not know (SPEC §2:
/// "an unknown commune code" is a warning; the row is kept). `connue` is the geography lookup.
pub fn signaler_communes_inconnues(imp: &mut Import, connue: impl Fn(&str) -> bool) {
    let ds = &imp.dataset;
    let inconnues: Vec<bool> = ds.communes.iter().map(|c| !connue(c)).collect();
    if !inconnues.contains(&true) {
        return;
    }
    for i in 0..ds.len() {
        let commune = ds.cellules[ds.cellule[i] as usize].commune as usize;
        if inconnues[commune] {
            imp.avertissements.push(Rejet {
                ligne: imp.lignes[i] as u64,
                colonne: Champ::Commune.nom().to_owned(),
                motif: format!(
                    "code commune « {} » inconnu de la géographie officielle",
                    ds.communes[commune]
                ),
            });
        }
    }
    trier(&mut imp.avertissements);
    imp.dataset.nb_avertissements = imp.avertissements.len();
}

/// Warnings in file order, then in the order of the fields of SPEC §2.
fn trier(avertissements: &mut [Avertissement]) {
    let rang = |c: &str| Champ::TOUS.iter().position(|x| x.nom() == c);
    avertissements.sort_by_key(|a| (a.ligne, rang(&a.colonne)));
}

/// Warns about every `rpls` seen more than once (SPEC §2), naming the first line.
fn doublons(ds: &Dataset, lignes: &[u32], avertissements: &mut Vec<Avertissement>) {
    use std::hash::{BuildHasher, BuildHasherDefault};
    let h = BuildHasherDefault::<rustc_hash::FxHasher>::default();
    let mut cles: Vec<(u64, u32)> = (0..ds.len())
        .map(|i| (h.hash_one(ds.rpls.get(i)), i as u32))
        .collect();
    cles.sort_unstable();
    for groupe in cles.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
        for (k, &(_, i)) in groupe.iter().enumerate().skip(1) {
            let rpls = ds.rpls.get(i as usize);
            if let Some(&(_, j)) = groupe[..k]
                .iter()
                .find(|(_, j)| ds.rpls.get(*j as usize) == rpls)
            {
                avertissements.push(Rejet {
                    ligne: lignes[i as usize] as u64,
                    colonne: Champ::Rpls.nom().to_owned(),
                    motif: format!(
                        "identifiant RPLS « {rpls} » en double (déjà ligne {})",
                        lignes[j as usize]
                    ),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_parse_equals_sequential_parse() {
        let mut f = Vec::new();
        crate::generate::generer(&mut f, 3000, 3, 5).unwrap();
        f.extend_from_slice(
            b"R1;B;ABC;;;;;;;;;;;;;\nR2;B;93048\n\"R3\";\"B\nx\";93048;T3;;;;;;;;;;;;\n",
        );
        let a = lire_en(&f, None, Some(1)).unwrap();
        for parts in [2, 3, 7] {
            let b = lire_en(&f, None, Some(parts)).unwrap();
            assert_eq!(
                (a.lignes_lues, a.lignes_retenues),
                (b.lignes_lues, b.lignes_retenues)
            );
            assert_eq!(a.rejets, b.rejets);
            assert_eq!(a.avertissements, b.avertissements);
            assert_eq!(a.lignes, b.lignes);
            assert_eq!(a.dataset.cellule.len(), b.dataset.cellule.len());
            let cle = |i: &Import, k: usize| {
                let ds = &i.dataset;
                let q = ds.partie[k];
                let r = (q != crate::domain::dataset::AUCUN).then(|| {
                    ds.reservataires[ds.parties[q as usize].reservataire as usize].clone()
                });
                (
                    ds.rpls.get(k).to_owned(),
                    ds.code_commune(ds.cellule[k] as usize).to_owned(),
                    r,
                    ds.fin[k],
                    ds.motif[k],
                )
            };
            assert!((0..a.dataset.len()).all(|k| cle(&a, k) == cle(&b, k)));
        }
        assert_eq!(a.rejets.len(), 2);
        assert_eq!(a.lignes_lues, 3003);
        assert_eq!(*a.lignes.last().unwrap(), 3004);
    }
}

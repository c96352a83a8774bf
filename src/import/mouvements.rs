//! Input 2 of SPEC §7: the mouvements of a year — one row per orientation of a vacant logement —
//! read into [`Mouvement`]s against the état des lieux they belong to.
//!
//! Same readers as the état des lieux (docs/import.md): CSV (encoding, separator, quotes, file
//! line numbers, chunks read in parallel), XLSX and ODS (sheet choice, typed cells, merged cells,
//! Excel serial dates), headers matched case-, accent- and punctuation-insensitively with
//! synonyms, a hand-made mapping ([`Correspondance`]) when detection fails, the template's notice
//! line skipped, blank rows skipped. Every row is kept or rejected with its line, column and a
//! French reason, and `lignes_lues = lignes_retenues + rejets.len()`, always.
//!
//! What is a reject and what is a warning (docs/import.md, « Mouvements »): whatever makes the
//! orientation impossible to count — an unknown logement or party, an unknown or missing issue, a
//! missing or impossible date, `bail_signe` without `date_bail`, the same logement oriented twice
//! the same day — rejects the row; a doubtful value that counting does not need (quartile,
//! prioritaire, a lease date with another issue, a party without rights on the logement's
//! convention) is ignored or kept with a warning.

use ::csv::StringRecord;
use chrono::NaiveDate;
use rustc_hash::{FxHashMap, FxHashSet};

use super::columns::{cle, normaliser};
use super::{
    csv, erreur_tableur, parcourir_morceau, tableur, values, Avertissement, Destination, Format,
    ImportError, LigneEntete, OptionsLecture, Rejet, LONGUEUR_MAX, MARQUE_NOTICE,
};
use crate::domain::dataset::AUCUN;
use crate::domain::model::{Categorie, Motif};
use crate::domain::suivi::{Issue, Mouvement};
use crate::domain::Dataset;

/// A column of the mouvements file (SPEC §7 table, in order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Champ {
    Rpls,
    DateLiberation,
    DateOrientation,
    Reservataire,
    DateDesignation,
    Issue,
    DateBail,
    HorsFlux,
    Quartile,
    Prioritaire,
}

impl Champ {
    pub const N: usize = 10;
    /// Every field, in the order of SPEC §7 (the template's columns).
    pub const TOUS: [Champ; Champ::N] = [
        Champ::Rpls,
        Champ::DateLiberation,
        Champ::DateOrientation,
        Champ::Reservataire,
        Champ::DateDesignation,
        Champ::Issue,
        Champ::DateBail,
        Champ::HorsFlux,
        Champ::Quartile,
        Champ::Prioritaire,
    ];

    /// Canonical column name.
    pub fn nom(self) -> &'static str {
        match self {
            Champ::Rpls => "rpls",
            Champ::DateLiberation => "date_liberation",
            Champ::DateOrientation => "date_orientation",
            Champ::Reservataire => "reservataire",
            Champ::DateDesignation => "date_designation",
            Champ::Issue => "issue",
            Champ::DateBail => "date_bail",
            Champ::HorsFlux => "hors_flux",
            Champ::Quartile => "quartile",
            Champ::Prioritaire => "prioritaire",
        }
    }

    /// Required columns (SPEC §7): the logement, the orientation date and its issue.
    pub fn requis(self) -> bool {
        matches!(self, Champ::Rpls | Champ::DateOrientation | Champ::Issue)
    }

    fn date(self) -> bool {
        matches!(
            self,
            Champ::DateLiberation
                | Champ::DateOrientation
                | Champ::DateDesignation
                | Champ::DateBail
        )
    }

    /// Normalised synonyms (see [`normaliser`]), canonical name first.
    fn synonymes(self) -> &'static [&'static str] {
        match self {
            Champ::Rpls => &[
                "rpls",
                "identrep",
                "identrepcode",
                "identifiantrpls",
                "numrpls",
                "numerorpls",
                "nrpls",
                "idrpls",
                "codelogementrpls",
                "logement",
                "identifiantlogement",
                "identifiantdulogement",
            ],
            Champ::DateLiberation => &[
                "dateliberation",
                "datedeliberation",
                "liberation",
                "datevacance",
                "datedevacance",
                "vacance",
                "datedepart",
                "datedudepart",
            ],
            Champ::DateOrientation => &[
                "dateorientation",
                "datedorientation",
                "datedelorientation",
                "orientation",
                "dateorientee",
                "datemiseadisposition",
                "datedemiseadisposition",
            ],
            Champ::Reservataire => &[
                "reservataire",
                "contingent",
                "nomreservataire",
                "nomdureservataire",
                "orientevers",
                "orientea",
                "orientation",
                "partie",
            ],
            Champ::DateDesignation => &[
                "datedesignation",
                "datededesignation",
                "designation",
                "datepropositioncandidats",
                "datepropositiondecandidats",
                "datepropositiondescandidats",
                "datedepropositioncandidats",
                "datedepropositiondecandidats",
                "datedepropositiondescandidats",
            ],
            Champ::Issue => &[
                "issue",
                "issuedelorientation",
                "resultat",
                "resultatdelorientation",
                "statut",
                "suitedonnee",
                "decision",
            ],
            Champ::DateBail => &[
                "datebail",
                "datedebail",
                "datedubail",
                "datesignaturebail",
                "datesignaturedubail",
                "datedesignaturebail",
                "datedesignaturedubail",
                "datesignature",
                "dateeffetbail",
                "dateeffetdubail",
                "datedeffetbail",
                "datedeffetdubail",
            ],
            Champ::HorsFlux => &[
                "horsflux",
                "motifhorsflux",
                "attributionhorsflux",
                "motifattributionhorsflux",
            ],
            Champ::Quartile => &[
                "quartile",
                "quartilederessources",
                "quartileressources",
                "quartiledesressources",
                "quartilerevenus",
                "quartilederevenus",
            ],
            Champ::Prioritaire => &[
                "prioritaire",
                "menageprioritaire",
                "publicprioritaire",
                "dalo",
                "prioritairedalo",
                "menagedalo",
            ],
        }
    }
}

/// Which column (0-based) of the file holds each field: detected from the headers
/// ([`detecter`]), or set by hand ([`OptionsMouvements`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Correspondance {
    /// Indexed by `champ as usize`.
    pub colonnes: [Option<usize>; Champ::N],
}

impl Correspondance {
    pub fn colonne(&self, champ: Champ) -> Option<usize> {
        self.colonnes[champ as usize]
    }
    /// The field read from column `j`, if any.
    pub fn champ(&self, j: usize) -> Option<Champ> {
        Champ::TOUS
            .into_iter()
            .find(|c| self.colonne(*c) == Some(j))
    }
    /// Required fields that no column provides.
    pub fn manquants(&self) -> Vec<Champ> {
        Champ::TOUS
            .into_iter()
            .filter(|c| c.requis() && self.colonne(*c).is_none())
            .collect()
    }
}

/// A header that names two fields: « orientation » is the orientation's date, or its party.
const AMBIGU: &str = "orientation";

/// Matches headers to fields; the first column matching a field wins. « orientation » is matched
/// last, to the first of `date_orientation` and `reservataire` that no other header took.
pub fn detecter<'a>(entetes: impl IntoIterator<Item = &'a str>) -> Correspondance {
    let entetes: Vec<String> = entetes.into_iter().map(normaliser).collect();
    let mut m = Correspondance::default();
    for ambigu in [false, true] {
        for (i, n) in entetes.iter().enumerate() {
            if (n == AMBIGU) != ambigu {
                continue;
            }
            if let Some(c) = Champ::TOUS
                .into_iter()
                .find(|c| m.colonne(*c).is_none() && c.synonymes().contains(&n.as_str()))
            {
                m.colonnes[c as usize] = Some(i);
            }
        }
    }
    m
}

/// How to read a mouvements file: the sheet, and a hand-made mapping.
pub type OptionsMouvements = OptionsLecture<Correspondance>;

/// The mouvements read, with the same reading report as an état des lieux.
#[derive(Debug)]
pub struct ImportMouvements {
    /// Kept rows, in file order.
    pub mouvements: Vec<Mouvement>,
    /// Rows read (header, blank rows and the template's notice line excluded).
    pub lignes_lues: usize,
    /// `lignes_lues` = `lignes_retenues` + `rejets.len()` = `mouvements.len()` + `rejets.len()`.
    pub lignes_retenues: usize,
    pub rejets: Vec<Rejet>,
    pub avertissements: Vec<Avertissement>,
    pub correspondance: Correspondance,
    pub entetes: Vec<String>,
    pub format: Format,
    /// CSV separator; 0 for a workbook.
    pub separateur: u8,
    /// CSV encoding; the format name for a workbook.
    pub encodage: &'static str,
    /// The sheet read (workbooks only).
    pub feuille: Option<String>,
    /// Every sheet of the workbook (empty for a CSV).
    pub feuilles: Vec<String>,
}

/// Name of the État parties in mouvements (SPEC §6, §7).
pub const ETAT_PRIORITAIRES: &str = "Etat - prioritaires";
pub const ETAT_AGENTS: &str = "Etat - agents";

/// Reads the mouvements of a year (SPEC §7 input 2) in any format, against the état des lieux
/// `etat`: each `rpls` is resolved to its logement, each party to a name of the état des lieux or
/// an État party. See the module documentation and docs/import.md.
pub fn lire(
    bytes: &[u8],
    options: &OptionsMouvements,
    etat: &Dataset,
) -> Result<ImportMouvements, ImportError> {
    let reference = Reference::new(etat);
    match tableur::format(bytes)? {
        Format::Csv => lire_csv(bytes, options, &reference, None),
        format => {
            let mut d = Morceau::new(&reference, options.correspondance.clone());
            let f = tableur::parcourir(bytes, format, options.feuille.as_deref(), &mut d)?;
            let mut imp = assembler(vec![d], f.entetes, f.format, f.format.nom(), &reference);
            imp.feuille = Some(f.nom);
            imp.feuilles = f.feuilles;
            Ok(imp)
        }
    }
}

/// `parts`: chunks read in parallel (default: 8 above 1 MB, on one thread per core; 1 below).
fn lire_csv(
    bytes: &[u8],
    options: &OptionsMouvements,
    reference: &Reference,
    parts: Option<usize>,
) -> Result<ImportMouvements, ImportError> {
    let (texte, encodage) = super::texte_csv(bytes)?;
    let entete = LigneEntete::lire(&texte)?.ok_or(ImportError::Binaire)?;
    let map = verifier(options.correspondance.as_ref(), &entete.entetes)?;
    let parts = parts.unwrap_or(if texte.len() > 1 << 20 { 8 } else { 1 });
    let morceaux = csv::decouper(&texte, entete.debut, parts, entete.guillemets);
    let nb_colonnes = entete.entetes.len();
    let mut lus: Vec<Morceau> = crate::domain::en_parallele(morceaux.len(), |i| {
        let mut d = Morceau::new(reference, Some(map.clone()));
        d.nb_colonnes = nb_colonnes;
        parcourir_morceau(
            &texte[morceaux[i].clone()],
            entete.sep,
            entete.guillemets,
            &mut d,
        );
        d
    });
    // Line numbers were counted from the start of each chunk: shift them by the lines before it.
    let mut avant = csv::lignes(&texte[..entete.debut]);
    for (d, r) in lus.iter_mut().zip(&morceaux) {
        d.decaler(avant);
        avant += csv::lignes(&texte[r.clone()]);
    }
    let mut imp = assembler(lus, entete.entetes, Format::Csv, encodage, reference);
    imp.separateur = entete.sep;
    Ok(imp)
}

/// The mapping to use (given, or detected), refused when a required field has no column.
fn verifier(
    donnee: Option<&Correspondance>,
    entetes: &[String],
) -> Result<Correspondance, ImportError> {
    let map = donnee
        .cloned()
        .unwrap_or_else(|| detecter(entetes.iter().map(String::as_str)));
    let manquants = map.manquants();
    if !manquants.is_empty() {
        return Err(ImportError::ColonnesManquantes {
            champs: manquants.iter().map(|c| c.nom()).collect(),
            entetes: entetes.to_vec(),
        });
    }
    Ok(map)
}

/// The chunks read (in file order) → the finished import: identifiers resolved to logements
/// ([`resoudre`]), the same logement oriented twice the same day rejected (the later row, naming
/// the first), rejects and warnings sorted.
fn assembler(
    morceaux: Vec<Morceau>,
    entetes: Vec<String>,
    format: Format,
    encodage: &'static str,
    reference: &Reference,
) -> ImportMouvements {
    let mut lues = 0;
    let mut lus = Vec::new();
    let mut rejets = Vec::new();
    let mut a_verifier = Vec::new();
    let mut avertissements = Vec::new();
    let mut map = Correspondance::default();
    for m in morceaux {
        lues += m.lues;
        a_verifier.extend(m.a_verifier.into_iter().map(|(k, r)| (k + rejets.len(), r)));
        lus.extend(m.lus);
        rejets.extend(m.rejets);
        avertissements.extend(m.avertissements);
        map = m.map.unwrap_or_default();
    }
    let mut mouvements = resoudre(
        lus,
        &a_verifier,
        &mut rejets,
        &mut avertissements,
        reference,
    );
    // Warnings of a row are kept with it: those of a row rejected as a double go too.
    let mut vus: FxHashMap<(u32, NaiveDate), u32> = FxHashMap::default();
    let mut doubles = FxHashSet::default();
    mouvements.retain(|m: &Mouvement| match vus.get(&(m.logement, m.date_orientation)) {
        Some(&premiere) => {
            rejets.push(Rejet {
                ligne: m.ligne as u64,
                colonne: Champ::DateOrientation.nom().into(),
                motif: format!(
                    "logement « {} » déjà orienté le {} (ligne {premiere}) : une seule orientation par logement et par jour",
                    reference.etat.rpls.get(m.logement as usize),
                    jour(m.date_orientation)
                ),
            });
            doubles.insert(m.ligne as u64);
            false
        }
        None => {
            vus.insert((m.logement, m.date_orientation), m.ligne);
            true
        }
    });
    if !doubles.is_empty() {
        avertissements.retain(|a: &Rejet| !doubles.contains(&a.ligne) || a.colonne.is_empty());
    }
    rejets.sort_by_key(|r| r.ligne);
    let rang = |c: &str| Champ::TOUS.iter().position(|x| x.nom() == c);
    avertissements.sort_by_key(|a| (a.ligne, rang(&a.colonne)));
    ImportMouvements {
        lignes_lues: lues,
        lignes_retenues: mouvements.len(),
        mouvements,
        rejets,
        avertissements,
        correspondance: map,
        entetes,
        format,
        separateur: 0,
        encodage,
        feuille: None,
        feuilles: Vec::new(),
    }
}

/// Second stage: the identifiers of the rows read become logements, with one pass over the
/// état des lieux's identifiers against the (small) set of those wanted — no index of the whole
/// état des lieux is built (1.4 M identifiers cost more to hash than 100 000 rows to read).
/// A row whose logement is unknown is rejected; so is, instead of its first reason, a row
/// rejected in the first stage whose identifier is unknown too (`a_verifier`: index of its reject
/// and its identifier): the logement comes first, as its column. Then the warnings that need the
/// logement: identifier without its leading zeros, party without rights on the logement's
/// convention, logement hors assiette.
fn resoudre(
    lus: Vec<Lu>,
    a_verifier: &[(usize, String)],
    rejets: &mut Vec<Rejet>,
    avertissements: &mut Vec<Avertissement>,
    reference: &Reference,
) -> Vec<Mouvement> {
    let ds = reference.etat;
    let voulus = lus
        .iter()
        .map(|l| l.rpls.as_str())
        .chain(a_verifier.iter().map(|r| r.1.as_str()));
    let mut trouves: FxHashMap<&str, u32> = voulus.map(|r| (r, AUCUN)).collect();
    chercher(ds, &mut trouves, Some);
    // Identifiers typed as numbers by a spreadsheet lost their leading zeros: the misses made of
    // digits only are looked for among the état's all-digit identifiers without their zeros.
    let chiffres = |r: &str| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit());
    let mut sans_zeros: FxHashMap<&str, u32> = trouves
        .iter()
        .filter(|(r, i)| **i == AUCUN && chiffres(r))
        .map(|(r, _)| (r.trim_start_matches('0'), AUCUN))
        .collect();
    if !sans_zeros.is_empty() {
        chercher(ds, &mut sans_zeros, |r| {
            (r.starts_with('0') && chiffres(r)).then(|| r.trim_start_matches('0'))
        });
    }
    let logement = |r: &str| match trouves.get(r) {
        Some(&i) if i != AUCUN => Some((i, false)),
        _ if chiffres(r) => sans_zeros
            .get(r.trim_start_matches('0'))
            .filter(|&&i| i != AUCUN)
            .map(|&i| (i, true)),
        _ => None,
    };
    let inconnu = |r: &str| format!("logement « {r} » absent de l'état des lieux");
    for (k, r) in a_verifier {
        if logement(r).is_none() {
            rejets[*k].colonne = Champ::Rpls.nom().into();
            rejets[*k].motif = inconnu(r);
        }
    }
    let places: Vec<Option<(u32, bool)>> = lus.iter().map(|l| logement(&l.rpls)).collect();
    let mut mouvements = Vec::with_capacity(lus.len());
    for (
        Lu {
            mut m,
            rpls,
            avertir,
            nom_reserve,
        },
        place,
    ) in lus.into_iter().zip(places)
    {
        let ligne = m.ligne as u64;
        let Some((i, sans)) = place else {
            rejets.push(Rejet {
                ligne,
                colonne: Champ::Rpls.nom().into(),
                motif: inconnu(&rpls),
            });
            continue;
        };
        m.logement = i;
        let mut avertir_ici = |c: Champ, motif: String| {
            avertissements.push(Rejet {
                ligne,
                colonne: c.nom().into(),
                motif,
            })
        };
        for (c, motif) in avertir {
            avertir_ici(c, motif);
        }
        if sans {
            avertir_ici(
                Champ::Rpls,
                format!(
                    "identifiant « {rpls} » lu comme « {} » (zéros initiaux perdus, par un tableur ?)",
                    ds.rpls.get(i as usize)
                ),
            );
        }
        let perimetre = ds.cellules[ds.cellule[i as usize] as usize].perimetre;
        if nom_reserve
            && !reference
                .conventions
                .contains(&(perimetre, m.reservataire.as_str()))
        {
            let per = &ds.perimetres[perimetre as usize];
            avertir_ici(
                Champ::Reservataire,
                format!(
                    "« {} » n'a pas de réservation dans l'état des lieux sur la convention de ce logement ({}, département {}) : vérifier",
                    m.reservataire, ds.bailleurs[per.bailleur as usize], per.departement
                ),
            );
        }
        let motif = ds.motif[i as usize];
        if motif != 0 && m.hors_flux.is_none() {
            avertir_ici(
                Champ::HorsFlux,
                format!(
                    "logement hors assiette dans l'état des lieux ({}) : sa vacance n'appartient pas au flux ; indiquer le motif hors flux ?",
                    Motif::TOUS[motif as usize - 1].code()
                ),
            );
        }
        mouvements.push(m);
    }
    mouvements
}

/// One pass over the identifiers of `ds`: each wanted key (`cle` of an identifier) gets the first
/// logement that has it. The logements of a row with `nb` > 1 share its identifier: repeats are
/// skipped cheaply. Most identifiers of the état des lieux are not wanted (a year's mouvements
/// touch one logement in ten): a bit set of the wanted keys' hashes, small enough to stay in
/// cache, turns them away before the map is probed.
pub(super) fn chercher<'e>(
    ds: &'e Dataset,
    voulus: &mut FxHashMap<&str, u32>,
    cle: impl Fn(&'e str) -> Option<&'e str>,
) {
    use std::hash::BuildHasher;
    let h = std::hash::BuildHasherDefault::<rustc_hash::FxHasher>::default();
    let log = (voulus.len().max(1) * 16)
        .next_power_of_two()
        .trailing_zeros()
        .clamp(10, 24);
    let bit = |k: &str| (h.hash_one(k) >> (64 - log)) as usize;
    let mut filtre = vec![0u64; (1usize << log) / 64];
    for k in voulus.keys() {
        let b = bit(k);
        filtre[b / 64] |= 1 << (b % 64);
    }
    let mut precedent = None;
    let mut reste = voulus.len();
    for i in 0..ds.len() {
        let r = ds.rpls.get(i);
        if precedent == Some(r) {
            continue;
        }
        precedent = Some(r);
        let Some(k) = cle(r) else { continue };
        let b = bit(k);
        if filtre[b / 64] & (1 << (b % 64)) == 0 {
            continue;
        }
        if let Some(v) = voulus.get_mut(k) {
            if *v == AUCUN {
                *v = i as u32;
                reste -= 1;
                if reste == 0 {
                    return;
                }
            }
        }
    }
}

/// A date as messages write it.
fn jour(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// What a mouvement may be oriented to, resolved from the état des lieux.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Partie {
    /// `Etat - prioritaires` or `Etat - agents`.
    Etat(&'static str),
    /// A réservataire of the état des lieux: its name (first of its entries).
    Nom(u32),
}

/// What the rows are checked against, built once from the état des lieux: its réservataire
/// names and conventions (identifiers are resolved afterwards, see [`resoudre`]).
struct Reference<'e> {
    etat: &'e Dataset,
    /// Exact réservataire name → party.
    noms: FxHashMap<&'e str, Partie>,
    /// Folded name → the names that fold to it.
    plies: FxHashMap<String, Vec<&'e str>>,
    /// (perimeter, name) pairs where the name holds reservations (several réservataire entries
    /// may share a name with different categories).
    conventions: FxHashSet<(u32, &'e str)>,
}

impl<'e> Reference<'e> {
    fn new(etat: &'e Dataset) -> Reference<'e> {
        let mut noms = FxHashMap::default();
        let mut plies: FxHashMap<String, Vec<&str>> = FxHashMap::default();
        for (k, r) in etat.reservataires.iter().enumerate() {
            let partie = match r.categorie {
                Categorie::EtatPrioritaires => Partie::Etat(ETAT_PRIORITAIRES),
                Categorie::EtatAgents => Partie::Etat(ETAT_AGENTS),
                _ => Partie::Nom(k as u32),
            };
            noms.entry(r.nom.as_str()).or_insert(partie);
            let v = plies.entry(normaliser(&r.nom)).or_default();
            if !v.contains(&r.nom.as_str()) {
                v.push(&r.nom);
            }
        }
        let conventions = etat
            .parties
            .iter()
            .map(|p| {
                (
                    p.perimetre,
                    etat.reservataires[p.reservataire as usize].nom.as_str(),
                )
            })
            .collect();
        Reference {
            etat,
            noms,
            plies,
            conventions,
        }
    }

    /// The party of a `reservataire` cell: `Ok(None)` for the bailleur (empty), else its name
    /// and, when the cell only matched a name once case, accents and punctuation are folded, a
    /// warning.
    fn partie(&self, v: &str) -> Result<Option<(Partie, Option<String>)>, String> {
        if v.is_empty() {
            return Ok(None);
        }
        if let Some(&p) = self.noms.get(v) {
            return Ok(Some((p, None)));
        }
        match cle(v).as_str() {
            "etatprioritaires"
            | "etatprioritaire"
            | "etat"
            | "prefet"
            | "prefecture"
            | "contingentprefectoral" => return Ok(Some((Partie::Etat(ETAT_PRIORITAIRES), None))),
            "etatagents" | "etatagent" | "etatfonctionnaires" | "fonctionnaires" => {
                return Ok(Some((Partie::Etat(ETAT_AGENTS), None)))
            }
            _ => {}
        }
        match self.plies.get(&normaliser(v)).map(Vec::as_slice) {
            Some([nom]) => {
                let p = self.noms[nom];
                let lu = match p {
                    Partie::Etat(e) => e,
                    Partie::Nom(_) => nom,
                };
                Ok(Some((
                    p,
                    Some(format!("réservataire « {v} » lu comme « {lu} » (nom de l'état des lieux)")),
                )))
            }
            Some(noms) => Err(format!(
                "réservataire « {v} » ambigu : {} dans l'état des lieux",
                noms.iter()
                    .map(|n| format!("« {n} »"))
                    .collect::<Vec<_>>()
                    .join(" ou ")
            )),
            None => Err(format!(
                "réservataire « {v} » inconnu de l'état des lieux (vide = le bailleur, « {ETAT_PRIORITAIRES} », « {ETAT_AGENTS} » ou un réservataire de l'état des lieux)"
            )),
        }
    }

    fn nom(&self, p: Partie) -> &str {
        match p {
            Partie::Etat(e) => e,
            Partie::Nom(k) => &self.etat.reservataires[k as usize].nom,
        }
    }
}

/// The rows of one chunk (or one sheet) being read.
struct Morceau<'r, 'e> {
    reference: &'r Reference<'e>,
    /// The mapping: of a CSV, checked before its chunks; of a workbook, given by the user (if
    /// any) until the header row is read, then checked.
    map: Option<Correspondance>,
    nb_colonnes: usize,
    lues: usize,
    /// Rows kept so far, their logement still to find.
    lus: Vec<Lu>,
    rejets: Vec<Rejet>,
    /// Rejects whose row's identifier is still to check: index in `rejets`, identifier.
    a_verifier: Vec<(usize, String)>,
    avertissements: Vec<Avertissement>,
}

/// A row read, its logement still to find ([`resoudre`]).
struct Lu {
    /// `logement` not set yet.
    m: Mouvement,
    rpls: String,
    /// The row's warnings (kept if the row is).
    avertir: Vec<(Champ, String)>,
    /// Whether the party is a réservataire of the état des lieux (not the État, not the
    /// bailleur): its rights on the logement's convention are checked.
    nom_reserve: bool,
}

impl<'r, 'e> Morceau<'r, 'e> {
    fn new(reference: &'r Reference<'e>, map: Option<Correspondance>) -> Morceau<'r, 'e> {
        Morceau {
            reference,
            map,
            nb_colonnes: 0,
            lues: 0,
            lus: Vec::new(),
            rejets: Vec::new(),
            a_verifier: Vec::new(),
            avertissements: Vec::new(),
        }
    }

    /// Shifts line numbers by the `avant` file lines before this chunk.
    fn decaler(&mut self, avant: u64) {
        self.rejets
            .iter_mut()
            .chain(self.avertissements.iter_mut())
            .for_each(|r| r.ligne += avant);
        self.lus.iter_mut().for_each(|l| l.m.ligne += avant as u32);
    }
}

impl Destination for Morceau<'_, '_> {
    fn ligne(&mut self, ligne: u64, rec: &StringRecord) {
        self.lues += 1;
        let map = self.map.as_ref().expect("en-tête lu avant les lignes");
        let mut avertir = Vec::new();
        match convertir(
            ligne,
            rec,
            map,
            self.nb_colonnes,
            self.reference,
            &mut avertir,
        ) {
            Ok((m, nom_reserve)) => {
                let rpls = map
                    .colonne(Champ::Rpls)
                    .and_then(|i| rec.get(i))
                    .unwrap_or("");
                self.lus.push(Lu {
                    m,
                    rpls: rpls.trim().to_owned(),
                    avertir,
                    nom_reserve,
                });
            }
            Err(Refus::Ignoree) => self.lues -= 1,
            Err(Refus::Rejet(c, motif)) => self.rejets.push(Rejet {
                ligne,
                colonne: c.into(),
                motif,
            }),
            Err(Refus::Valeur(c, motif)) => {
                let rpls = map
                    .colonne(Champ::Rpls)
                    .and_then(|i| rec.get(i))
                    .unwrap_or("")
                    .trim();
                if c != Champ::Rpls && !rpls.is_empty() {
                    self.a_verifier.push((self.rejets.len(), rpls.to_owned()));
                }
                self.rejets.push(Rejet {
                    ligne,
                    colonne: c.nom().into(),
                    motif,
                })
            }
        }
    }
    fn illisible(&mut self, ligne: u64, motif: String) {
        self.lues += 1;
        self.rejets.push(Rejet {
            ligne,
            colonne: String::new(),
            motif,
        });
    }
    fn avertir(&mut self, ligne: u64, colonne: &str, motif: String) {
        self.avertissements.push(Rejet {
            ligne,
            colonne: colonne.into(),
            motif,
        });
    }
    fn entete(&mut self, entetes: &[String]) -> Result<(), ImportError> {
        self.map = Some(verifier(self.map.as_ref(), entetes)?);
        self.nb_colonnes = entetes.len();
        Ok(())
    }
    fn champ(&self, j: usize) -> Option<&'static str> {
        self.map.as_ref()?.champ(j).map(Champ::nom)
    }
    fn colonne_date(&self, j: usize) -> Option<&'static str> {
        self.map
            .as_ref()?
            .champ(j)
            .filter(|c| c.date())
            .map(Champ::nom)
    }
}

/// Why a record gives no mouvement.
enum Refus {
    /// Not data, not counted: the template's notice line, a row of blank cells.
    Ignoree,
    /// Rejected as a record (column count, damaged cell): column and French reason.
    Rejet(&'static str, String),
    /// Rejected for a value: field and French reason. When the field is not `rpls`, an unknown
    /// identifier is reported instead (checked in [`resoudre`]).
    Valeur(Champ, String),
}

fn rejet(c: Champ, motif: String) -> Refus {
    Refus::Valeur(c, motif)
}

/// One record → one mouvement, or why not. `avertir` collects the row's warnings.
fn convertir(
    ligne: u64,
    rec: &StringRecord,
    map: &Correspondance,
    nb_colonnes: usize,
    reference: &Reference,
    avertir: &mut Vec<(Champ, String)>,
) -> Result<(Mouvement, bool), Refus> {
    match super::ligne::nombre_de_cellules(rec, nb_colonnes) {
        Ok(()) => {}
        Err(None) => return Err(Refus::Ignoree),
        Err(Some(motif)) => return Err(Refus::Rejet("", motif)),
    }
    let champ = |c: Champ| map.colonne(c).and_then(|i| rec.get(i)).unwrap_or("").trim();
    let rpls = champ(Champ::Rpls);
    if rpls.starts_with(MARQUE_NOTICE) || rec.iter().all(|c| c.trim().is_empty()) {
        return Err(Refus::Ignoree);
    }
    if rec.as_slice().len() > LONGUEUR_MAX {
        if let Some(c) = Champ::TOUS
            .into_iter()
            .find(|&c| champ(c).len() > LONGUEUR_MAX)
        {
            let n = crate::format::integer(champ(c).chars().count() as i64);
            let max = crate::format::integer(LONGUEUR_MAX as i64);
            return Err(Refus::Rejet(c.nom(), format!("valeur de {n} caractères ({max} au plus) : fichier endommagé ou guillemet non fermé ?")));
        }
    }
    // A spreadsheet error value (#N/A…) is never data: it rejects the row where the value
    // matters, it is ignored with a warning where an unreadable value is ignored.
    let en_erreur = |c: Champ| erreur_tableur(champ(c));
    let message_erreur = |c: Champ| {
        format!(
            "cellule en erreur « {} » : formule à corriger dans le tableur",
            champ(c)
        )
    };
    if let Some(c) = [
        Champ::Rpls,
        Champ::DateLiberation,
        Champ::DateOrientation,
        Champ::Reservataire,
        Champ::DateDesignation,
        Champ::Issue,
        Champ::DateBail,
        Champ::HorsFlux,
    ]
    .into_iter()
    .find(|&c| en_erreur(c))
    {
        return Err(rejet(c, message_erreur(c)));
    }

    if rpls.is_empty() {
        return Err(rejet(Champ::Rpls, "identifiant RPLS vide".into()));
    }
    let date = |c: Champ| date_du_jour(champ(c)).map_err(|m| rejet(c, m));
    let date_liberation = date(Champ::DateLiberation)?;
    let date_orientation = date(Champ::DateOrientation)?
        .ok_or_else(|| rejet(Champ::DateOrientation, "date d'orientation vide".into()))?;

    let (reservataire, nom_reserve) = match reference.partie(champ(Champ::Reservataire)) {
        Ok(None) => (String::new(), false),
        Ok(Some((p, note))) => {
            if let Some(n) = note {
                avertir.push((Champ::Reservataire, n));
            }
            (reference.nom(p).to_owned(), matches!(p, Partie::Nom(_)))
        }
        Err(m) => return Err(rejet(Champ::Reservataire, m)),
    };

    let date_designation = date(Champ::DateDesignation)?;
    let issue = issue(champ(Champ::Issue)).map_err(|m| rejet(Champ::Issue, m))?;
    let mut date_bail = date(Champ::DateBail)?;

    let hors_flux = match hors_flux(champ(Champ::HorsFlux)) {
        Ok(m) => m,
        Err(m) => {
            avertir.push((Champ::HorsFlux, m));
            Some(Motif::Autre)
        }
    };
    let ignore = |c: Champ, m: String| match en_erreur(c) {
        true => format!("cellule en erreur « {} » : valeur ignorée", champ(c)),
        false => format!("{m} : valeur ignorée"),
    };
    let quartile = quartile(champ(Champ::Quartile)).unwrap_or_else(|m| {
        avertir.push((Champ::Quartile, ignore(Champ::Quartile, m)));
        None
    });
    let prioritaire = prioritaire(champ(Champ::Prioritaire)).unwrap_or_else(|m| {
        avertir.push((Champ::Prioritaire, ignore(Champ::Prioritaire, m)));
        None
    });

    // Dates in their order: vacancy ≤ orientation ≤ designation ≤ lease.
    if let Some(d) = date_liberation.filter(|&d| d > date_orientation) {
        return Err(rejet(
            Champ::DateLiberation,
            format!(
                "date de libération {} postérieure à la date d'orientation {}",
                jour(d),
                jour(date_orientation)
            ),
        ));
    }
    if let Some(d) = date_designation.filter(|&d| d < date_orientation) {
        return Err(rejet(
            Champ::DateDesignation,
            format!(
                "date de désignation {} antérieure à la date d'orientation {}",
                jour(d),
                jour(date_orientation)
            ),
        ));
    }
    match (issue, date_bail) {
        (Issue::BailSigne, None) => {
            return Err(rejet(
                Champ::DateBail,
                "issue bail_signe sans date de bail".into(),
            ))
        }
        (Issue::BailSigne, Some(_)) => {}
        (_, Some(d)) => {
            avertir.push((
                Champ::DateBail,
                format!(
                    "date de bail {} donnée avec l'issue {} : date ignorée (l'issue est-elle bail_signe ?)",
                    jour(d),
                    issue.code()
                ),
            ));
            date_bail = None;
        }
        (_, None) => {}
    }
    if let Some(d) = date_bail {
        if d < date_orientation {
            return Err(rejet(
                Champ::DateBail,
                format!(
                    "date de bail {} antérieure à la date d'orientation {}",
                    jour(d),
                    jour(date_orientation)
                ),
            ));
        }
        if let Some(des) = date_designation.filter(|&des| d < des) {
            return Err(rejet(
                Champ::DateBail,
                format!(
                    "date de bail {} antérieure à la date de désignation {}",
                    jour(d),
                    jour(des)
                ),
            ));
        }
    }

    let m = Mouvement {
        logement: AUCUN,
        ligne: ligne as u32,
        date_liberation,
        date_orientation,
        reservataire,
        date_designation,
        issue,
        date_bail,
        hors_flux,
        quartile,
        prioritaire,
    };
    Ok((m, nom_reserve))
}

/// A date of a mouvement: JJ/MM/AAAA (also `-` or `.`) or AAAA-MM-JJ (a time part is ignored),
/// as for the état des lieux; a year alone is refused (delays are counted in days).
pub fn date_du_jour(s: &str) -> values::Resultat<Option<NaiveDate>> {
    // Fast path: JJ/MM/AAAA and AAAA-MM-JJ written in full (almost every cell).
    let n = |b: &[u8]| {
        b.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + (c - b'0') as u32)
        })
    };
    let rapide = match s.as_bytes() {
        [j @ .., b'/', m1, m2, b'/', a1, a2, a3, a4] if j.len() == 2 => n(j)
            .zip(n(&[*m1, *m2]))
            .zip(n(&[*a1, *a2, *a3, *a4]))
            .map(|((j, m), a)| (a, m, j)),
        [a @ .., b'-', m1, m2, b'-', j1, j2] if a.len() == 4 => n(a)
            .zip(n(&[*m1, *m2]))
            .zip(n(&[*j1, *j2]))
            .map(|((a, m), j)| (a, m, j)),
        _ => None,
    };
    if let Some(d) = rapide.and_then(|(a, m, j)| NaiveDate::from_ymd_opt(a as i32, m, j)) {
        return Ok(Some(d));
    }
    let t = s.trim();
    if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "date « {t} » incomplète : JJ/MM/AAAA ou AAAA-MM-JJ attendu"
        ));
    }
    values::date(t).map_err(|m| {
        m.replace(" ou AAAA)", ")")
            .replace(", AAAA-MM-JJ)", " ou AAAA-MM-JJ)")
    })
}

/// The `issue` of an orientation: the codes of SPEC §7 or common French spellings
/// (« bail signé », « refus du ménage », « refus CALEOL », « non désigné », « en cours »…).
pub fn issue(s: &str) -> values::Resultat<Issue> {
    if let Some(i) = Issue::depuis_code(s) {
        return Ok(i);
    }
    Ok(match cle(s).as_str() {
        "" => {
            return Err(
                "issue vide (bail_signe, refus_menage, refus_caleol, non_designe ou en_cours)"
                    .into(),
            )
        }
        "bailsigne" | "bailsignee" | "bail" | "signe" | "signature" | "attribue" | "attribuee"
        | "attribution" | "loue" => Issue::BailSigne,
        "refusmenage" | "refusdumenage" | "refusmenages" | "refusdesmenages" | "refuscandidat"
        | "refuscandidats" | "refusducandidat" | "refusdescandidats" | "desistement" => {
            Issue::RefusMenage
        }
        "refuscaleol" | "refusdelacaleol" | "refuscal" | "refusdelacal" | "refuscommission"
        | "refusdelacommission" | "refuscommissiondattribution" => Issue::RefusCaleol,
        "nondesigne" | "nondesignee" | "pasdedesignation" | "sansdesignation"
        | "aucunedesignation" | "absencededesignation" | "pasdecandidat" | "sanscandidat"
        | "aucuncandidat" => Issue::NonDesigne,
        "encours" | "enattente" | "attente" => Issue::EnCours,
        _ => {
            return Err(format!(
                "issue « {} » inconnue (bail_signe, refus_menage, refus_caleol, non_designe ou en_cours)",
                s.trim()
            ))
        }
    })
}

/// `hors_flux`: empty (in the flux) or a motif of SPEC §2 (codes and the spellings of the état
/// des lieux, plus « relogement ANRU »…). An unknown value is an error (the caller classes it
/// `autre`: the user wrote that the attribution is outside the flux).
pub fn hors_flux(s: &str) -> values::Resultat<Option<Motif>> {
    match cle(s).as_str() {
        "relogementru"
        | "relogementanru"
        | "relogementnpnru"
        | "relogementrenouvellementurbain" => return Ok(Some(Motif::RenouvellementUrbain)),
        "relogementorcod" => return Ok(Some(Motif::Orcod)),
        "relogementlhi" | "relogementhabitatindigne" => return Ok(Some(Motif::Lhi)),
        _ => {}
    }
    values::motif(s).map_err(|_| {
        format!(
            "motif hors flux « {} » inconnu : classé « autre »",
            s.trim()
        )
    })
}

/// `quartile`: 1 to 4 (« 1 », « Q1 », « 1er quartile », « 2e »…); empty = unknown.
pub fn quartile(s: &str) -> values::Resultat<Option<u8>> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let k = cle(t);
    let n = k.as_str();
    let n = n
        .strip_prefix("quartile")
        .or_else(|| n.strip_prefix('q'))
        .unwrap_or(n);
    let n = [
        "erquartile",
        "emequartile",
        "equartile",
        "quartile",
        "er",
        "eme",
        "e",
    ]
    .iter()
    .find_map(|suffixe| n.strip_suffix(suffixe))
    .unwrap_or(n);
    let entier = !t.contains([',', '.']) && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
    match n.parse::<u32>() {
        Ok(q @ 1..=4) if entier => Ok(Some(q as u8)),
        Ok(_) if entier => Err(format!("quartile « {t} » hors de 1 à 4")),
        _ => Err(format!("quartile « {t} » illisible (1 à 4 attendu)")),
    }
}

/// `prioritaire`: oui/non and their usual spellings (values::oui_non), « DALO », « prioritaire ».
pub fn prioritaire(s: &str) -> values::Resultat<Option<bool>> {
    match cle(s).as_str() {
        "dalo" | "prioritaire" | "p" => Ok(Some(true)),
        "nonprioritaire" => Ok(Some(false)),
        _ => values::oui_non(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::OptionsLecture;

    /// A small état des lieux: two bailleurs, a hors-assiette logement, réservataires of several
    /// categories, an identifier with leading zeros.
    pub(crate) fn etat() -> Dataset {
        let csv = "rpls;bailleur;commune;reservataire;categorie;hors_assiette\n\
            R1;Seine Habitat;93048;Action Logement Services;action_logement;\n\
            R2;Seine Habitat;93048;Préfecture 93;etat_prioritaires;\n\
            R3;Seine Habitat;93066;Ville de Saint-Denis;commune;\n\
            R4;Seine Habitat;93066;;;vente\n\
            R5;Seine Habitat;75112;Ville de Paris;commune;\n\
            0001234;Seine Habitat;93048;;;\n\
            R7;Val Logis;93048;Ville de Montreuil;commune;\n\
            R8;Val Logis;93048;VILLE DE MONTREUIL;commune;\n";
        crate::import::lire(csv.as_bytes(), &OptionsLecture::default())
            .unwrap()
            .dataset
    }

    fn lire_texte(texte: &str) -> ImportMouvements {
        lire(texte.as_bytes(), &OptionsMouvements::default(), &etat()).unwrap()
    }

    const ENTETE: &str = "rpls;date_liberation;date_orientation;reservataire;date_designation;issue;date_bail;hors_flux;quartile;prioritaire\n";

    #[test]
    fn headers_and_synonyms() {
        let m = detecter([
            "IDENT_REP",
            "Date de libération",
            "Date d'orientation",
            "Réservataire",
            "Date de désignation",
            "Résultat",
            "Date de signature du bail",
            "Motif hors flux",
            "Quartile de ressources",
            "Ménage prioritaire",
        ]);
        assert_eq!(m.colonnes, std::array::from_fn(Some));
        assert!(m.manquants().is_empty());
        let m = detecter(["logement", "orientation", "orientation", "statut"]);
        assert_eq!(
            (
                m.colonne(Champ::DateOrientation),
                m.colonne(Champ::Reservataire)
            ),
            (Some(1), Some(2)),
            "« orientation » : la date d'abord, puis la partie"
        );
        let m = detecter([
            "rpls",
            "réservataire",
            "orientation",
            "date d'orientation",
            "issue",
        ]);
        assert_eq!(
            (
                m.colonne(Champ::DateOrientation),
                m.colonne(Champ::Reservataire)
            ),
            (Some(3), Some(1)),
            "« orientation » ne prend rien aux autres en-têtes"
        );
        assert_eq!(
            detecter(["rpls", "issue"]).manquants(),
            [Champ::DateOrientation]
        );
    }

    #[test]
    fn issues_and_their_french_spellings() {
        for (s, i) in [
            ("bail_signe", Issue::BailSigne),
            ("Bail signé", Issue::BailSigne),
            ("refus ménage", Issue::RefusMenage),
            ("Refus du ménage", Issue::RefusMenage),
            ("refus CALEOL", Issue::RefusCaleol),
            ("Refus de la CAL", Issue::RefusCaleol),
            ("non désigné", Issue::NonDesigne),
            ("Pas de désignation", Issue::NonDesigne),
            ("en cours", Issue::EnCours),
            ("EN_COURS", Issue::EnCours),
        ] {
            assert_eq!(issue(s), Ok(i), "{s}");
        }
        assert_eq!(
            issue("annulé").unwrap_err(),
            "issue « annulé » inconnue (bail_signe, refus_menage, refus_caleol, non_designe ou en_cours)"
        );
        assert!(issue(" ").unwrap_err().starts_with("issue vide"));
    }

    #[test]
    fn quartiles_prioritaire_hors_flux() {
        for (s, q) in [
            ("1", 1),
            ("Q2", 2),
            ("3e quartile", 3),
            ("1er", 1),
            (" 4 ", 4),
        ] {
            assert_eq!(quartile(s), Ok(Some(q)), "{s}");
        }
        assert_eq!(quartile(""), Ok(None));
        assert_eq!(quartile("5").unwrap_err(), "quartile « 5 » hors de 1 à 4");
        assert_eq!(quartile("0").unwrap_err(), "quartile « 0 » hors de 1 à 4");
        assert_eq!(
            quartile("2,5").unwrap_err(),
            "quartile « 2,5 » illisible (1 à 4 attendu)"
        );
        assert_eq!(
            quartile("haut").unwrap_err(),
            "quartile « haut » illisible (1 à 4 attendu)"
        );
        assert_eq!(prioritaire("DALO"), Ok(Some(true)));
        assert_eq!(prioritaire("non"), Ok(Some(false)));
        assert_eq!(prioritaire(""), Ok(None));
        assert!(prioritaire("peut-être").is_err());
        assert_eq!(hors_flux(""), Ok(None));
        assert_eq!(hors_flux("mutation"), Ok(Some(Motif::Mutation)));
        assert_eq!(
            hors_flux("Relogement ANRU"),
            Ok(Some(Motif::RenouvellementUrbain))
        );
        assert_eq!(
            hors_flux("oui").unwrap_err(),
            "motif hors flux « oui » inconnu : classé « autre »"
        );
    }

    #[test]
    fn dates_of_a_day() {
        let d = |a, m, j| Some(NaiveDate::from_ymd_opt(a, m, j).unwrap());
        assert_eq!(date_du_jour("05/03/2026"), Ok(d(2026, 3, 5)));
        assert_eq!(date_du_jour("2026-03-05"), Ok(d(2026, 3, 5)));
        assert_eq!(date_du_jour(" 5/3/2026 "), Ok(d(2026, 3, 5)));
        assert_eq!(date_du_jour("05-03-2026"), Ok(d(2026, 3, 5)));
        assert_eq!(date_du_jour("2026-03-05T10:00"), Ok(d(2026, 3, 5)));
        assert!(date_du_jour("2026-13-05")
            .unwrap_err()
            .contains("pas de mois 13"));
        assert_eq!(date_du_jour(""), Ok(None));
        assert_eq!(
            date_du_jour("2026").unwrap_err(),
            "date « 2026 » incomplète : JJ/MM/AAAA ou AAAA-MM-JJ attendu"
        );
        assert_eq!(
            date_du_jour("hier").unwrap_err(),
            "date « hier » illisible (JJ/MM/AAAA ou AAAA-MM-JJ)"
        );
        assert_eq!(
            date_du_jour("31/02/2026").unwrap_err(),
            "date « 31/02/2026 » inexistante : le mois 02/2026 n'a pas de jour 31"
        );
    }

    #[test]
    fn parties_resolved_against_the_etat_des_lieux() {
        let ds = etat();
        let r = Reference::new(&ds);
        let nom = |v: &str| {
            r.partie(v)
                .map(|p| p.map(|(p, w)| (r.nom(p).to_owned(), w.is_some())))
        };
        assert_eq!(nom(""), Ok(None));
        assert_eq!(
            nom("Action Logement Services"),
            Ok(Some(("Action Logement Services".into(), false)))
        );
        for v in [
            "Etat - prioritaires",
            "État - prioritaires",
            "etat_prioritaires",
            "Préfecture 93",
        ] {
            assert_eq!(nom(v), Ok(Some((ETAT_PRIORITAIRES.into(), false))), "{v}");
        }
        for v in ["Etat - agents", "etat_agents", "État agents"] {
            assert_eq!(nom(v), Ok(Some((ETAT_AGENTS.into(), false))), "{v}");
        }
        assert_eq!(
            nom("action logement services"),
            Ok(Some(("Action Logement Services".into(), true)))
        );
        assert_eq!(
            nom("ville de montreuil").unwrap_err(),
            "réservataire « ville de montreuil » ambigu : « Ville de Montreuil » ou « VILLE DE MONTREUIL » dans l'état des lieux"
        );
        assert!(nom("Mairie de Lyon")
            .unwrap_err()
            .contains("inconnu de l'état des lieux"));
    }

    #[test]
    fn one_row_of_each_kind() {
        let imp = lire_texte(&format!(
            "{ENTETE}\
             R1;02/01/2026;05/01/2026;Action Logement Services;20/01/2026;bail signé;15/02/2026;;2;non\n\
             R2;;2026-02-12;État - prioritaires;01/03/2026;refus CALEOL;;;1;oui\n\
             R2;;20/03/2026;;;bail_signe;20/03/2026;;3;\n\
             R4;;01/04/2026;;;bail_signe;01/04/2026;;;\n\
             1234;;02/04/2026;Ville de Paris;;non_designe;03/05/2026;;;\n"
        ));
        assert_eq!(
            (imp.lignes_lues, imp.lignes_retenues, imp.rejets.len()),
            (5, 5, 0)
        );
        let m = &imp.mouvements;
        assert_eq!(
            m.iter().map(|m| m.logement).collect::<Vec<_>>(),
            [0, 1, 1, 3, 5]
        );
        assert_eq!(m[1].reservataire, ETAT_PRIORITAIRES);
        assert_eq!(
            (m[1].issue, m[1].quartile, m[1].prioritaire),
            (Issue::RefusCaleol, Some(1), Some(true))
        );
        assert_eq!(m[2].reservataire, "", "le bailleur");
        assert_eq!(m[4].date_bail, None, "date de bail ignorée hors bail_signe");
        let w: Vec<(u64, &str)> = imp
            .avertissements
            .iter()
            .map(|a| (a.ligne, a.colonne.as_str()))
            .collect();
        assert_eq!(
            w,
            [
                (5, "hors_flux"),
                (6, "rpls"),
                (6, "reservataire"),
                (6, "date_bail")
            ]
        );
        assert_eq!(
            imp.avertissements[2].motif,
            "« Ville de Paris » n'a pas de réservation dans l'état des lieux sur la convention de ce logement (Seine Habitat, département 93) : vérifier"
        );
    }

    #[test]
    fn same_logement_same_day_rejects_the_later_row() {
        let imp = lire_texte(&format!(
            "{ENTETE}R1;;05/01/2026;;;bail_signe;05/01/2026;;;\n\
             R1;;05/01/2026;Action Logement Services;;refus_menage;;;7;\n\
             R1;;06/01/2026;;;bail_signe;06/01/2026;;;\n"
        ));
        assert_eq!((imp.lignes_lues, imp.lignes_retenues), (3, 2));
        assert_eq!(
            imp.rejets[0].motif,
            "logement « R1 » déjà orienté le 05/01/2026 (ligne 2) : une seule orientation par logement et par jour"
        );
        assert!(
            imp.avertissements.is_empty(),
            "l'avertissement du quartile part avec sa ligne"
        );
    }

    /// One reject per row: an unknown logement wins over the row's other faults, as its column
    /// comes first; a damaged record keeps its own reason.
    #[test]
    fn an_unknown_logement_is_the_reason_given_first() {
        let imp = lire_texte(&format!(
            "{ENTETE}R9;;31/02/2026;;;bail_signe;;;;\n\
             R1;;31/02/2026;;;bail_signe;;;;\n\
             R9;;05/01/2026;Inconnu;;;;;;\n\
             R9;;05/01/2026;;;en_cours;;;;;x\n"
        ));
        let r: Vec<(u64, &str, &str)> = imp
            .rejets
            .iter()
            .map(|r| (r.ligne, r.colonne.as_str(), r.motif.as_str()))
            .collect();
        assert_eq!(
            r,
            [
                (2, "rpls", "logement « R9 » absent de l'état des lieux"),
                (
                    3,
                    "date_orientation",
                    "date « 31/02/2026 » inexistante : le mois 02/2026 n'a pas de jour 31"
                ),
                (4, "rpls", "logement « R9 » absent de l'état des lieux"),
                (5, "", "nombre de colonnes incorrect (11 au lieu de 10)"),
            ]
        );
    }

    /// A large file read in 1, 2, 3 and 7 parallel chunks gives the same import.
    #[test]
    fn chunked_parse_equals_sequential_parse() {
        let ds = etat();
        let r = Reference::new(&ds);
        let mut texte = String::from(ENTETE);
        for i in 0..6000 {
            let rpls = ["R1", "R2", "R3", "R5", "R9", "0001234"][i % 6];
            let jour = 1 + (i / 6) % 28;
            let mois = 1 + (i / 168) % 12;
            let issue = ["bail_signe", "refus_menage", "\"en\ncours\"", "non_designe"][i % 4];
            let bail = if i % 4 == 0 {
                format!("{jour:02}/{mois:02}/2026")
            } else {
                String::new()
            };
            texte += &format!(
                "{rpls};;{jour:02}/{mois:02}/2026;;;{issue};{bail};;{};\n",
                i % 6
            );
        }
        let options = OptionsMouvements::default();
        let a = lire_csv(texte.as_bytes(), &options, &r, Some(1)).unwrap();
        assert!(a.rejets.len() > 1000 && a.mouvements.len() > 1000);
        assert_eq!(a.lignes_lues, 6000);
        for parts in [2, 3, 7] {
            let b = lire_csv(texte.as_bytes(), &options, &r, Some(parts)).unwrap();
            assert_eq!(a.mouvements, b.mouvements, "{parts}");
            assert_eq!(a.rejets, b.rejets, "{parts}");
            assert_eq!(a.avertissements, b.avertissements, "{parts}");
        }
    }
}

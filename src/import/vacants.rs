//! The list of vacancies of SPEC §8 (« a list of vacancies in a file »): one row per vacant
//! logement to orient, read into [`Vacance`]s against the état des lieux it belongs to.
//!
//! Same readers as the état des lieux and the mouvements (docs/import.md): CSV (encoding,
//! separator, quotes, file line numbers, chunks read in parallel), XLSX and ODS (sheet choice,
//! typed cells, merged cells, Excel serial dates), headers matched case-, accent- and
//! punctuation-insensitively with synonyms, a hand-made mapping ([`Correspondance`]), the
//! template's notice line and blank rows skipped. Two columns are read — the logement (`rpls`)
//! and the date of the vacancy (`date`) — both required; any other column is ignored (a file of
//! vacancies often carries the address or the typologie for the reader's eye).
//!
//! Every row is kept or rejected with its line, column and a French reason, and
//! `lignes_lues = lignes_retenues + rejets.len()`, always. Rejected: an unknown, empty or
//! erroneous identifier, an empty, unreadable, nonexistent or year-only date, a damaged record,
//! the same logement twice at the same date (the later row, naming the first). Kept with a
//! warning: an identifier found only without its leading zeros, a logement hors assiette in the
//! état des lieux (its vacancy is not part of the flux: the ranking is only indicative), a date
//! that lost its format in a workbook (serial number).

use ::csv::StringRecord;
use chrono::NaiveDate;
use rustc_hash::{FxHashMap, FxHashSet};

use super::columns::normaliser;
use super::mouvements::{chercher, date_du_jour};
use super::{
    csv, erreur_tableur, parcourir_morceau, tableur, Avertissement, Destination, Format,
    ImportError, LigneEntete, OptionsLecture, Rejet, LONGUEUR_MAX, MARQUE_NOTICE,
};
use crate::domain::dataset::AUCUN;
use crate::domain::model::Motif;
use crate::domain::orientation::Vacance;
use crate::domain::Dataset;

/// A column of the vacancies file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Champ {
    Rpls,
    Date,
}

impl Champ {
    pub const N: usize = 2;
    pub const TOUS: [Champ; Champ::N] = [Champ::Rpls, Champ::Date];

    /// Canonical column name (the template's headers).
    pub fn nom(self) -> &'static str {
        match self {
            Champ::Rpls => "rpls",
            Champ::Date => "date",
        }
    }

    /// Both columns are required.
    pub fn requis(self) -> bool {
        true
    }

    /// Normalised synonyms (see [`normaliser`]), canonical name first. The identifier's are those
    /// of the mouvements; the date is the vacancy's (« date de libération » is the mouvements'
    /// name for it).
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
            Champ::Date => &[
                "date",
                "datevacance",
                "datedevacance",
                "datedelavacance",
                "vacance",
                "vacantle",
                "dateliberation",
                "datedeliberation",
                "datedelaliberation",
                "liberation",
                "liberele",
                "datedepart",
                "datededepart",
                "datedudepart",
                "datedisponibilite",
                "datededisponibilite",
                "disponiblele",
            ],
        }
    }
}

/// Which column (0-based) of the file holds each field: detected from the headers
/// ([`detecter`]), or set by hand ([`OptionsVacants`]).
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
        Champ::TOUS.into_iter().find(|c| self.colonne(*c) == Some(j))
    }
    /// Required fields that no column provides.
    pub fn manquants(&self) -> Vec<Champ> {
        Champ::TOUS
            .into_iter()
            .filter(|c| c.requis() && self.colonne(*c).is_none())
            .collect()
    }
}

/// Matches headers to fields; the first column matching a field wins.
pub fn detecter<'a>(entetes: impl IntoIterator<Item = &'a str>) -> Correspondance {
    let mut m = Correspondance::default();
    for (i, e) in entetes.into_iter().enumerate() {
        let n = normaliser(e);
        if let Some(c) = Champ::TOUS
            .into_iter()
            .find(|c| m.colonne(*c).is_none() && c.synonymes().contains(&n.as_str()))
        {
            m.colonnes[c as usize] = Some(i);
        }
    }
    m
}

/// How to read a vacancies file: the sheet, and a hand-made mapping.
pub type OptionsVacants = OptionsLecture<Correspondance>;

/// The vacancies read, with the same reading report as an état des lieux.
#[derive(Debug)]
pub struct ImportVacants {
    /// Kept rows, in file order (`ligne` = file line; for a workbook, the spreadsheet row).
    pub vacances: Vec<Vacance>,
    /// Rows read (header, blank rows and the template's notice line excluded).
    pub lignes_lues: usize,
    /// `lignes_lues` = `lignes_retenues` + `rejets.len()` = `vacances.len()` + `rejets.len()`.
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

/// Reads a list of vacancies (SPEC §8) in any format, against the état des lieux `etat`: each
/// `rpls` is resolved to its logement. See the module documentation and docs/import.md.
pub fn lire(
    bytes: &[u8],
    options: &OptionsVacants,
    etat: &Dataset,
) -> Result<ImportVacants, ImportError> {
    match tableur::format(bytes)? {
        Format::Csv => lire_csv(bytes, options, etat, None),
        format => {
            let mut d = Morceau::new(options.correspondance.clone());
            let f = tableur::parcourir(bytes, format, options.feuille.as_deref(), &mut d)?;
            let mut imp = assembler(vec![d], f.entetes, f.format, f.format.nom(), etat);
            imp.feuille = Some(f.nom);
            imp.feuilles = f.feuilles;
            Ok(imp)
        }
    }
}

/// `parts`: chunks read in parallel (default: 8 above 1 MB; 1 below).
fn lire_csv(
    bytes: &[u8],
    options: &OptionsVacants,
    etat: &Dataset,
    parts: Option<usize>,
) -> Result<ImportVacants, ImportError> {
    let (texte, encodage) = super::texte_csv(bytes)?;
    let entete = LigneEntete::lire(&texte)?.ok_or(ImportError::Binaire)?;
    let map = verifier(options.correspondance.as_ref(), &entete.entetes)?;
    let parts = parts.unwrap_or(if texte.len() > 1 << 20 { 8 } else { 1 });
    let morceaux = csv::decouper(&texte, entete.debut, parts, entete.guillemets);
    let nb_colonnes = entete.entetes.len();
    let mut lus: Vec<Morceau> = crate::domain::en_parallele(morceaux.len(), |i| {
        let mut d = Morceau::new(Some(map.clone()));
        d.nb_colonnes = nb_colonnes;
        parcourir_morceau(&texte[morceaux[i].clone()], entete.sep, entete.guillemets, &mut d);
        d
    });
    // Line numbers were counted from the start of each chunk: shift them by the lines before it.
    let mut avant = csv::lignes(&texte[..entete.debut]);
    for (d, r) in lus.iter_mut().zip(&morceaux) {
        d.decaler(avant);
        avant += csv::lignes(&texte[r.clone()]);
    }
    let mut imp = assembler(lus, entete.entetes, Format::Csv, encodage, etat);
    imp.separateur = entete.sep;
    Ok(imp)
}

/// The mapping to use (given, or detected), refused when a required field has no column.
fn verifier(donnee: Option<&Correspondance>, entetes: &[String]) -> Result<Correspondance, ImportError> {
    let map = donnee.cloned().unwrap_or_else(|| detecter(entetes.iter().map(String::as_str)));
    let manquants = map.manquants();
    if !manquants.is_empty() {
        return Err(ImportError::ColonnesManquantes {
            champs: manquants.iter().map(|c| c.nom()).collect(),
            entetes: entetes.to_vec(),
        });
    }
    Ok(map)
}

/// A date as messages write it.
fn jour(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The chunks read (in file order) → the finished import: identifiers resolved to logements by
/// one pass over the état des lieux (as for the mouvements), the same logement twice at the same
/// date rejected (the later row, naming the first), rejects and warnings sorted by line.
fn assembler(
    morceaux: Vec<Morceau>,
    entetes: Vec<String>,
    format: Format,
    encodage: &'static str,
    ds: &Dataset,
) -> ImportVacants {
    let mut lues = 0;
    let mut lus: Vec<Lu> = Vec::new();
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
    // The identifiers wanted: exactly, then the all-digit misses without their leading zeros (a
    // spreadsheet typed them as numbers).
    let mut trouves: FxHashMap<&str, u32> = lus
        .iter()
        .map(|l| l.rpls.as_str())
        .chain(a_verifier.iter().map(|r: &(usize, String)| r.1.as_str()))
        .map(|r| (r, AUCUN))
        .collect();
    chercher(ds, &mut trouves, Some);
    let chiffres = |r: &str| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit());
    let mut sans_zeros: FxHashMap<&str, u32> = trouves
        .iter()
        .filter(|(r, i)| **i == AUCUN && chiffres(r))
        .map(|(r, _)| (r.trim_start_matches('0'), AUCUN))
        .collect();
    if !sans_zeros.is_empty() {
        chercher(ds, &mut sans_zeros, |r| (r.starts_with('0') && chiffres(r)).then(|| r.trim_start_matches('0')));
    }
    let logement = |r: &str| match trouves.get(r) {
        Some(&i) if i != AUCUN => Some((i, false)),
        _ if chiffres(r) => sans_zeros.get(r.trim_start_matches('0')).filter(|&&i| i != AUCUN).map(|&i| (i, true)),
        _ => None,
    };
    let inconnu = |r: &str| format!("logement « {r} » absent de l'état des lieux");
    // A row rejected for its date whose logement is unknown too: the logement comes first.
    for (k, r) in &a_verifier {
        if logement(r).is_none() {
            rejets[*k].colonne = Champ::Rpls.nom().into();
            rejets[*k].motif = inconnu(r);
        }
    }
    let mut vacances = Vec::with_capacity(lus.len());
    let mut vues: FxHashMap<(u32, NaiveDate), u32> = FxHashMap::default();
    let mut doubles = FxHashSet::default();
    for Lu { date, ligne, rpls } in &lus {
        let l = u64::from(*ligne);
        let Some((i, sans)) = logement(rpls) else {
            rejets.push(Rejet { ligne: l, colonne: Champ::Rpls.nom().into(), motif: inconnu(rpls) });
            continue;
        };
        if let Some(&premiere) = vues.get(&(i, *date)) {
            rejets.push(Rejet {
                ligne: l,
                colonne: Champ::Date.nom().into(),
                motif: format!(
                    "logement « {} » déjà vacant le {} (ligne {premiere}) : une vacance par logement et par date",
                    ds.rpls.get(i as usize),
                    jour(*date)
                ),
            });
            doubles.insert(l);
            continue;
        }
        vues.insert((i, *date), *ligne);
        if sans {
            avertissements.push(Rejet {
                ligne: l,
                colonne: Champ::Rpls.nom().into(),
                motif: format!(
                    "identifiant « {rpls} » lu comme « {} » (zéros initiaux perdus, par un tableur ?)",
                    ds.rpls.get(i as usize)
                ),
            });
        }
        let motif = ds.motif[i as usize];
        if motif != 0 {
            avertissements.push(Rejet {
                ligne: l,
                colonne: Champ::Rpls.nom().into(),
                motif: format!(
                    "logement hors assiette dans l'état des lieux ({}) : sa vacance n'appartient pas au flux, classement donné à titre indicatif",
                    Motif::TOUS[motif as usize - 1].code()
                ),
            });
        }
        vacances.push(Vacance { logement: i, date: *date, ligne: *ligne });
    }
    // Warnings of a row go with it when it is rejected as a repeat (as for the mouvements); those
    // about the record itself (a quoted line break) stay.
    if !doubles.is_empty() {
        avertissements.retain(|a: &Rejet| !doubles.contains(&a.ligne) || a.colonne.is_empty());
    }
    rejets.sort_by_key(|r| r.ligne);
    let rang = |c: &str| Champ::TOUS.iter().position(|x| x.nom() == c);
    avertissements.sort_by_key(|a| (a.ligne, rang(&a.colonne)));
    ImportVacants {
        lignes_lues: lues,
        lignes_retenues: vacances.len(),
        vacances,
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

/// A row read, its logement still to find.
struct Lu {
    date: NaiveDate,
    ligne: u32,
    rpls: String,
}

/// The rows of one chunk (or one sheet) being read.
struct Morceau {
    /// The mapping: of a CSV, checked before its chunks; of a workbook, given by the user (if
    /// any) until the header row is read, then checked.
    map: Option<Correspondance>,
    nb_colonnes: usize,
    lues: usize,
    lus: Vec<Lu>,
    rejets: Vec<Rejet>,
    /// Rejects whose row's identifier is still to check: index in `rejets`, identifier.
    a_verifier: Vec<(usize, String)>,
    avertissements: Vec<Avertissement>,
}

impl Morceau {
    fn new(map: Option<Correspondance>) -> Morceau {
        Morceau {
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
        self.rejets.iter_mut().chain(self.avertissements.iter_mut()).for_each(|r| r.ligne += avant);
        self.lus.iter_mut().for_each(|l| l.ligne += avant as u32);
    }
}

/// Why a record gives no vacancy.
enum Refus {
    /// Not data, not counted: the template's notice line, a row of blank cells.
    Ignoree,
    /// Rejected as a record (column count, damaged cell): column and French reason.
    Rejet(&'static str, String),
    /// Rejected for a value: field and French reason; an unknown identifier is reported instead
    /// when the field is the date.
    Valeur(Champ, String),
}

/// One record → (date, identifier), or why not.
fn convertir<'r>(rec: &'r StringRecord, map: &Correspondance, nb_colonnes: usize) -> Result<(NaiveDate, &'r str), Refus> {
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
        if let Some(c) = Champ::TOUS.into_iter().find(|&c| champ(c).len() > LONGUEUR_MAX) {
            let n = crate::format::integer(champ(c).chars().count() as i64);
            let max = crate::format::integer(LONGUEUR_MAX as i64);
            return Err(Refus::Rejet(c.nom(), format!("valeur de {n} caractères ({max} au plus) : fichier endommagé ou guillemet non fermé ?")));
        }
    }
    if let Some(c) = Champ::TOUS.into_iter().find(|&c| erreur_tableur(champ(c))) {
        return Err(Refus::Valeur(c, format!("cellule en erreur « {} » : formule à corriger dans le tableur", champ(c))));
    }
    if rpls.is_empty() {
        return Err(Refus::Valeur(Champ::Rpls, "identifiant RPLS vide".into()));
    }
    let date = date_du_jour(champ(Champ::Date))
        .map_err(|m| Refus::Valeur(Champ::Date, m))?
        .ok_or_else(|| Refus::Valeur(Champ::Date, "date de vacance vide".into()))?;
    Ok((date, rpls))
}

impl Destination for Morceau {
    fn ligne(&mut self, ligne: u64, rec: &StringRecord) {
        self.lues += 1;
        let map = self.map.as_ref().expect("en-tête lu avant les lignes");
        match convertir(rec, map, self.nb_colonnes) {
            Ok((date, rpls)) => self.lus.push(Lu { date, ligne: ligne as u32, rpls: rpls.to_owned() }),
            Err(Refus::Ignoree) => self.lues -= 1,
            Err(Refus::Rejet(c, motif)) => self.rejets.push(Rejet { ligne, colonne: c.into(), motif }),
            Err(Refus::Valeur(c, motif)) => {
                let rpls = map.colonne(Champ::Rpls).and_then(|i| rec.get(i)).unwrap_or("").trim();
                if c != Champ::Rpls && !rpls.is_empty() {
                    self.a_verifier.push((self.rejets.len(), rpls.to_owned()));
                }
                self.rejets.push(Rejet { ligne, colonne: c.nom().into(), motif })
            }
        }
    }
    fn illisible(&mut self, ligne: u64, motif: String) {
        self.lues += 1;
        self.rejets.push(Rejet { ligne, colonne: String::new(), motif });
    }
    fn avertir(&mut self, ligne: u64, colonne: &str, motif: String) {
        self.avertissements.push(Rejet { ligne, colonne: colonne.into(), motif });
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
        self.map.as_ref()?.champ(j).filter(|c| *c == Champ::Date).map(Champ::nom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small état des lieux: a hors-assiette logement, an identifier with leading zeros, a row
    /// standing for 3 logements (one identifier).
    fn etat() -> Dataset {
        let csv = "rpls;bailleur;commune;reservataire;categorie;hors_assiette;nb\n\
            R1;B;93048;Action Logement;action_logement;;\n\
            R2;B;93048;;;vente;\n\
            0001234;B;93066;;;;\n\
            G1;B;93066;;;;3\n\
            R5;B;93066;;;;\n";
        crate::import::lire(csv.as_bytes(), &OptionsLecture::default()).unwrap().dataset
    }

    fn lire_texte(texte: &str) -> ImportVacants {
        lire(texte.as_bytes(), &OptionsVacants::default(), &etat()).unwrap()
    }

    fn d(m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, j).unwrap()
    }

    fn motifs(r: &[Rejet]) -> Vec<(u64, &str, &str)> {
        r.iter().map(|r| (r.ligne, r.colonne.as_str(), r.motif.as_str())).collect()
    }

    #[test]
    fn headers_and_synonyms() {
        for (entetes, attendu) in [
            (vec!["rpls", "date"], [Some(0), Some(1)]),
            (vec!["Date de vacance", "Identifiant RPLS"], [Some(1), Some(0)]),
            (vec!["IDENT_REP", "adresse", "Date de libération"], [Some(0), Some(2)]),
            (vec!["N° RPLS", "date_liberation"], [Some(0), Some(1)]),
            (vec!["logement", "Date de départ", "date"], [Some(0), Some(1)]),
            (vec!["num_rpls", "Libéré le"], [Some(0), Some(1)]),
        ] {
            assert_eq!(detecter(entetes.iter().copied()).colonnes, attendu, "{entetes:?}");
        }
        assert_eq!(detecter(["rpls", "date_orientation"]).manquants(), [Champ::Date]);
        assert_eq!(detecter(["date"]).manquants(), [Champ::Rpls]);
        let e = lire("rpls;commune\nR1;93048\n".as_bytes(), &OptionsVacants::default(), &etat()).unwrap_err();
        assert_eq!(e.to_string(), "colonne(s) obligatoire(s) introuvable(s) : date (en-têtes lus : rpls, commune)");
    }

    #[test]
    fn rows_kept_rejected_and_warned() {
        let imp = lire_texte(
            "rpls;date;adresse\n\
             R1;05/01/2026;1 rue A\n\
             R2;2026-01-06;\n\
             1234;07/01/2026;\n\
             X9;08/01/2026;\n\
             ;08/01/2026;\n\
             R1;;\n\
             R1;2026;\n\
             X9;31/02/2026;\n\
             R5;#N/A;\n\
             R1;05/01/2026;doublon\n\
             G1;09/01/2026;\n\
             R5;10/01/2026\n\
             ;;\n\
             Notice : identifiant;date;\n",
        );
        assert_eq!((imp.lignes_lues, imp.lignes_retenues, imp.rejets.len()), (12, 4, 8));
        // G1 stands for 3 logements (nb = 3): the first of them.
        assert_eq!(
            imp.vacances,
            [
                Vacance { logement: 0, date: d(1, 5), ligne: 2 },
                Vacance { logement: 1, date: d(1, 6), ligne: 3 },
                Vacance { logement: 2, date: d(1, 7), ligne: 4 },
                Vacance { logement: 3, date: d(1, 9), ligne: 12 },
            ]
        );
        assert_eq!(
            motifs(&imp.rejets),
            [
                (5, "rpls", "logement « X9 » absent de l'état des lieux"),
                (6, "rpls", "identifiant RPLS vide"),
                (7, "date", "date de vacance vide"),
                (8, "date", "date « 2026 » incomplète : JJ/MM/AAAA ou AAAA-MM-JJ attendu"),
                (9, "rpls", "logement « X9 » absent de l'état des lieux"),
                (10, "date", "cellule en erreur « #N/A » : formule à corriger dans le tableur"),
                (11, "date", "logement « R1 » déjà vacant le 05/01/2026 (ligne 2) : une vacance par logement et par date"),
                (13, "", "nombre de colonnes incorrect (2 au lieu de 3)"),
            ]
        );
        assert_eq!(
            motifs(&imp.avertissements),
            [
                (3, "rpls", "logement hors assiette dans l'état des lieux (vente) : sa vacance n'appartient pas au flux, classement donné à titre indicatif"),
                (4, "rpls", "identifiant « 1234 » lu comme « 0001234 » (zéros initiaux perdus, par un tableur ?)"),
            ]
        );
    }

    /// A large file read in 1, 2, 3 and 7 parallel chunks gives the same import.
    #[test]
    fn chunked_parse_equals_sequential_parse() {
        let ds = etat();
        let mut texte = String::from("rpls;date\n");
        for i in 0..3000 {
            let rpls = ["R1", "R2", "1234", "X9", "R5", "\"G\n1\""][i % 6];
            texte += &format!("{rpls};{:02}/{:02}/2026\n", 1 + (i / 6) % 28, 1 + (i / 168) % 12);
        }
        let options = OptionsVacants::default();
        let a = lire_csv(texte.as_bytes(), &options, &ds, Some(1)).unwrap();
        assert!(a.rejets.len() > 500 && a.vacances.len() > 1000);
        assert_eq!(a.lignes_lues, 3000);
        for parts in [2, 3, 7] {
            let b = lire_csv(texte.as_bytes(), &options, &ds, Some(parts)).unwrap();
            assert_eq!(a.vacances, b.vacances, "{parts}");
            assert_eq!(a.rejets, b.rejets, "{parts}");
            assert_eq!(a.avertissements, b.avertissements, "{parts}");
        }
    }
}

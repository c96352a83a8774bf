//! One row of an état des lieux → one logement, or a reject with its column and French reason.
//! The CSV and workbook readers both go through [`Partiel::ligne`], so a value gives the same
//! reject or warning whatever the file format.

use std::borrow::Cow;
use std::fmt::Write as _;

use ::csv::StringRecord;
use rustc_hash::FxHashMap;

use super::columns::{Champ, Correspondance};
use super::{values, Avertissement, Rejet};
use crate::domain::dataset::{DatasetBuilder, Logement};
use crate::domain::Dataset;
use crate::domain::model::{Categorie, Motif, TypeDroit};

/// Start of the `rpls` cell of the template's notice line (`export::modele`): that line documents
/// the columns, it is skipped and not counted as read.
pub const MARQUE_NOTICE: &str = "Notice :";

/// Longest value of a field, in bytes. Longer is no identifier, name or code: a damaged file, or an
/// unclosed quote that swallowed the following lines.
pub const LONGUEUR_MAX: usize = 1000;

/// Spreadsheet error values (Excel in English and French, as calamine prints them and as Excel
/// writes them into a CSV).
const ERREURS_TABLEUR: [&str; 16] = [
    "#N/A", "#NA", "#N/D", "#VALUE!", "#VALEUR!", "#REF!", "#DIV/0!", "#NAME?", "#NOM?", "#NUM!",
    "#NOMBRE!", "#NULL!", "#NUL!", "#DATA!", "#SPILL!", "#CALC!",
];

/// A record as the readers give it: a csv crate record (quoted CSV, workbook rows), or the
/// fields of a quote-free CSV line sliced in place ([`Champs`]).
pub(crate) trait Enregistrement {
    fn len(&self) -> usize;
    fn get(&self, i: usize) -> Option<&str>;
    fn iter(&self) -> impl Iterator<Item = &str>;
    /// Bytes of the fields together, separators excluded.
    fn octets(&self) -> usize;
}

impl Enregistrement for StringRecord {
    fn len(&self) -> usize {
        StringRecord::len(self)
    }
    fn get(&self, i: usize) -> Option<&str> {
        StringRecord::get(self, i)
    }
    fn iter(&self) -> impl Iterator<Item = &str> {
        StringRecord::iter(self)
    }
    fn octets(&self) -> usize {
        self.as_slice().len()
    }
}

/// The fields of a CSV line without quotes: the line (its line break removed) and the offset
/// where each field ends (the next separator, or the end of the line). Nothing is copied.
pub(crate) struct Champs<'a> {
    pub ligne: &'a str,
    pub fins: &'a [usize],
}

impl Enregistrement for Champs<'_> {
    fn len(&self) -> usize {
        self.fins.len()
    }
    #[inline]
    fn get(&self, i: usize) -> Option<&str> {
        let fin = *self.fins.get(i)?;
        let debut = if i == 0 { 0 } else { self.fins[i - 1] + 1 };
        // Cut at ASCII separators of a valid UTF-8 line: always on a character boundary.
        self.ligne.get(debut..fin)
    }
    fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.fins.len()).filter_map(|i| self.get(i))
    }
    fn octets(&self) -> usize {
        self.ligne.len() + 1 - self.fins.len()
    }
}

/// What a reader accumulates: the logements kept, counts, rejects and warnings.
#[derive(Default)]
pub(super) struct Partiel {
    pub builder: DatasetBuilder,
    /// Rows read (not logements: a row with `nb` = 40 is one row).
    pub lues: usize,
    /// Rows kept.
    pub retenues: usize,
    pub rejets: Vec<Rejet>,
    pub avertissements: Vec<Avertissement>,
    /// File line of each logement kept: a row standing for `nb` logements appears `nb` times.
    pub lignes: Vec<u32>,
    /// Each named réservataire's categories, with the line where each first appears (in line
    /// order): several categories for one name get a warning ([`Partiel::categories_multiples`]).
    pub categories: FxHashMap<String, Vec<(Categorie, u64)>>,
    /// Line breaks of a CSV chunk.
    pub lignes_physiques: u64,
    /// File lines before a CSV chunk, when known while parsing (line-based identifiers).
    pub decalage: u64,
    /// A CSV record is not valid UTF-8: the file must be decoded as Windows-1252.
    pub pas_utf8: bool,
    /// Logements kept and not yet added to the [`Plafond`] shared by the chunks.
    pub non_comptes: u64,
    /// Line (chunk-relative for a CSV chunk) where the file went over [`Plafond::max`]: nothing
    /// more is read.
    pub trop: Option<u64>,
}

/// The logements of one file counted against [`crate::import::LOGEMENTS_MAX`], across the chunks
/// read in parallel. Each chunk adds its own count every 65 536 logements (one atomic addition,
/// not one per row) and compares, at every row, the shared total plus its own to the cap: exact
/// when the file is read in one piece (workbooks, the browser's step-by-step reading), within
/// one batch per chunk in parallel; [`Plafond::verifier`] then finds the exact line.
pub(crate) struct Plafond {
    total: std::sync::atomic::AtomicU64,
    pub max: u64,
}

impl Plafond {
    pub fn new(max: u64) -> Plafond {
        Plafond { total: std::sync::atomic::AtomicU64::new(0), max }
    }

    /// The line where the parts read (in file order, `avant[i]`: the file lines before part
    /// `i`) go over the cap, if they do: the first part that stopped, else the logement number
    /// `max + 1`.
    pub fn verifier(&self, partiels: &[Partiel], avant: impl Fn(usize) -> u64) -> Option<u64> {
        let mut cumul = 0u64;
        partiels
            .iter()
            .enumerate()
            .find_map(|(i, p)| self.depasse(p, &mut cumul).map(|l| l + avant(i)))
    }

    /// The line (relative to its part) where part `p`, read after `cumul` logements, goes over
    /// the cap, if it does; else adds its logements to `cumul`.
    pub fn depasse(&self, p: &Partiel, cumul: &mut u64) -> Option<u64> {
        if let Some(l) = p.trop {
            return Some(l);
        }
        let n = p.lignes.len() as u64;
        if *cumul + n > self.max {
            return Some(p.lignes[(self.max - *cumul) as usize] as u64);
        }
        *cumul += n;
        None
    }
}

/// Buffers for the values a row does not hold as such (a padded commune code, a line-based
/// identifier), reused from row to row.
#[derive(Default)]
pub(super) struct Tampons {
    commune: String,
    rpls: String,
}

fn rejet(ligne: u64, colonne: &str, motif: String) -> Rejet {
    Rejet {
        ligne,
        colonne: colonne.to_owned(),
        motif,
    }
}

impl Partiel {
    pub fn avertir(&mut self, ligne: u64, colonne: &str, motif: String) {
        self.avertissements.push(rejet(ligne, colonne, motif));
    }

    /// A row that could not even be split into cells.
    pub fn illisible(&mut self, ligne: u64, motif: String) {
        self.lues += 1;
        self.rejets.push(rejet(ligne, "", motif));
    }

    /// Reads the record found at file line `ligne` (`nb_colonnes`: cells of the header).
    pub fn ligne(
        &mut self,
        ligne: u64,
        rec: &impl Enregistrement,
        tampons: &mut Tampons,
        map: &Correspondance,
        nb_colonnes: usize,
        plafond: &Plafond,
    ) {
        if self.trop.is_some() {
            return;
        }
        let cellule = |c: Champ| map.colonne(c).and_then(|i| rec.get(i)).unwrap_or("");
        self.lues += 1;
        if rec.octets() > LONGUEUR_MAX {
            if let Some(c) = Champ::LUS
                .into_iter()
                .find(|&c| cellule(c).len() > LONGUEUR_MAX)
            {
                let n = crate::format::integer(cellule(c).chars().count() as i64);
                let max = crate::format::integer(LONGUEUR_MAX as i64);
                let motif = format!("valeur de {n} caractères ({max} au plus) : fichier endommagé ou guillemet non fermé ?");
                self.rejets.push(rejet(ligne, c.nom(), motif));
                return;
            }
        }
        let dans_le_fichier = ligne + self.decalage;
        let mut signaler = |champ: Champ, motif: String| {
            self.avertissements.push(rejet(ligne, champ.nom(), motif))
        };
        match convertir(
            dans_le_fichier,
            rec,
            tampons,
            map,
            nb_colonnes,
            &mut signaler,
        ) {
            Ok(l) => {
                let n = l.nb.max(1) as usize;
                use std::sync::atomic::Ordering::Relaxed;
                let total = plafond.total.load(Relaxed) + self.non_comptes + n as u64;
                if total > plafond.max {
                    self.trop = Some(ligne);
                    return;
                }
                self.non_comptes += n as u64;
                if self.non_comptes >= 1 << 16 {
                    plafond.total.fetch_add(self.non_comptes, Relaxed);
                    self.non_comptes = 0;
                }
                let connus = self.builder.nb_reservataires();
                self.builder.push(&l);
                self.lignes.extend(std::iter::repeat_n(ligne as u32, n));
                self.retenues += 1;
                // A (name, category) already met in this part was noted then: only a new one
                // (or one the dataset does not hold as a party) needs the lookup by name.
                if let (false, Some(c)) = (l.reservataire.is_empty(), l.categorie) {
                    let nouveau = self.builder.nb_reservataires() > connus;
                    if nouveau || matches!(c, Categorie::NonReserve | Categorie::Bailleur) {
                        self.categorie_vue(l.reservataire, c, ligne);
                    }
                }
            }
            Err(Refus::Ignoree) => self.lues -= 1,
            Err(Refus::Rejet(colonne, motif)) => self.rejets.push(rejet(ligne, colonne, motif)),
        }
    }

    /// Notes that réservataire `nom` has category `c` on line `ligne`.
    fn categorie_vue(&mut self, nom: &str, c: Categorie, ligne: u64) {
        match self.categories.get_mut(nom) {
            Some(vues) if vues.iter().any(|&(v, _)| v == c) => {}
            Some(vues) => vues.push((c, ligne)),
            None => {
                self.categories.insert(nom.to_owned(), vec![(c, ligne)]);
            }
        }
    }

    /// Shifts every line number (rejects, warnings, logements, categories met, the line over the
    /// cap) by `avant`: the part was numbered from its own start, `avant` lines into the file.
    pub fn decaler(&mut self, avant: u64) {
        self.rejets
            .iter_mut()
            .chain(self.avertissements.iter_mut())
            .for_each(|r| r.ligne += avant);
        self.lignes.iter_mut().for_each(|l| *l += avant as u32);
        self.categories
            .values_mut()
            .flatten()
            .for_each(|(_, l)| *l += avant);
        if let Some(l) = &mut self.trop {
            *l += avant;
        }
    }

    /// Appends the reading of the next part of the same file (a later CSV chunk): counts, rejects,
    /// warnings, logements and lines (already in file numbering), categories met. Gives back the
    /// part's logements and lines, copied, for their memory (see
    /// [`crate::domain::dataset::DatasetBuilder::avec_colonnes_de`]).
    pub fn fusionner(&mut self, p: Partiel) -> (Dataset, Vec<u32>) {
        let ds = p.builder.brut();
        self.builder.ajouter(&ds);
        self.lues += p.lues;
        self.retenues += p.retenues;
        self.rejets.extend(p.rejets);
        self.avertissements.extend(p.avertissements);
        self.lignes.extend_from_slice(&p.lignes);
        for (nom, vues) in p.categories {
            for (c, ligne) in vues {
                self.categorie_vue(&nom, c, ligne);
            }
        }
        (ds, p.lignes)
    }

    /// One warning per réservataire name met with more than one category, for each category after
    /// the first (SPEC §4 v2: usually one réservataire coded inconsistently), at the line where
    /// that category first appears.
    pub fn categories_multiples(&mut self) {
        for (nom, vues) in &self.categories {
            let Some(((premiere, ligne), autres)) = vues.split_first() else {
                continue;
            };
            for (c, l) in autres {
                self.avertissements.push(rejet(
                    *l,
                    Champ::Categorie.nom(),
                    format!(
                        "le réservataire « {nom} » a ici la catégorie {} mais apparaît aussi avec la catégorie {} (ligne {ligne}) : vérifier le codage",
                        c.code(),
                        premiere.code()
                    ),
                ));
            }
        }
    }
}

/// A spreadsheet error value (#N/A…) left in a cell. Inlined first-byte test: it runs on a few
/// fields of every row.
#[inline]
pub(crate) fn erreur_tableur(v: &str) -> bool {
    #[cold]
    #[inline(never)]
    fn liste(v: &str) -> bool {
        ERREURS_TABLEUR.iter().any(|e| v.eq_ignore_ascii_case(e))
    }
    v.as_bytes().first() == Some(&b'#') && liste(v)
}

/// Checks a record's number of cells against the header's `nb_colonnes`: extra cells must be
/// blank. `Err(None)`: a row whose every cell is blank (layout, as a spreadsheet exports it:
/// `;;;;`), not data; `Err(Some(motif))`: the French reason of a wrong count. Shared by the
/// état des lieux, the mouvements and the vacant logements.
///
/// The extra cells are looked at by index: skipping the first `nb_colonnes` of `rec.iter()`
/// sliced every one of them first, a seventh of the reading threads' time (stop 26).
pub(crate) fn nombre_de_cellules(rec: &impl Enregistrement, nb_colonnes: usize) -> Result<(), Option<String>> {
    let mut en_trop = (nb_colonnes..rec.len()).filter_map(|i| rec.get(i));
    if rec.len() >= nb_colonnes && en_trop.all(|c| c.trim().is_empty()) {
        return Ok(());
    }
    if rec.iter().all(|c| c.trim().is_empty()) {
        return Err(None);
    }
    Err(Some(format!(
        "nombre de colonnes incorrect ({} au lieu de {nb_colonnes})",
        rec.len()
    )))
}

/// Why a record gives no logement.
enum Refus {
    /// Not data, not counted: the template's notice line, or a row whose every cell is blank
    /// (layout, as a spreadsheet exports it: `;;;;`).
    Ignoree,
    /// Rejected: column and French reason.
    Rejet(&'static str, String),
}

impl From<(&'static str, String)> for Refus {
    fn from((colonne, motif): (&'static str, String)) -> Refus {
        Refus::Rejet(colonne, motif)
    }
}

/// One record → one logement, or the (column, reason) of its rejection.
///
/// A spreadsheet error value (#N/A…) gets its own reason, checked only where a value failed to
/// parse or is free text (nothing to pay on the common row): ignored with a warning where an
/// unreadable value is ignored (descriptive fields, `taux_rotation`), rejected elsewhere.
fn convertir<'r, R: Enregistrement>(
    ligne: u64,
    rec: &'r R,
    tampons: &'r mut Tampons,
    map: &Correspondance,
    nb_colonnes: usize,
    avertir: &mut impl FnMut(Champ, String),
) -> Result<Logement<'r>, Refus> {
    match nombre_de_cellules(rec, nb_colonnes) {
        Ok(()) => {}
        Err(None) => return Err(Refus::Ignoree),
        Err(Some(motif)) => return Err(("", motif).into()),
    }
    let champ =
        |c: Champ| -> &'r str { values::rogner(map.colonne(c).and_then(|i| rec.get(i)).unwrap_or("")) };
    let en_erreur = |c: Champ| erreur_tableur(champ(c));
    let rejet = |c: Champ| {
        move |m: String| match en_erreur(c) {
            true => (
                c.nom(),
                format!(
                    "cellule en erreur « {} » : formule à corriger dans le tableur",
                    champ(c)
                ),
            ),
            false => (c.nom(), m),
        }
    };
    let ignore = |c: Champ, m: String| match en_erreur(c) {
        true => format!("cellule en erreur « {} » : valeur ignorée", champ(c)),
        false => format!("{m} : valeur ignorée"),
    };
    let (rpls, bailleur, reservataire) = (
        champ(Champ::Rpls),
        champ(Champ::Bailleur),
        champ(Champ::Reservataire),
    );
    if rpls.starts_with(MARQUE_NOTICE) {
        return Err(Refus::Ignoree);
    }
    if rpls.is_empty() && rec.iter().all(|c| c.trim().is_empty()) {
        return Err(Refus::Ignoree);
    }
    let Tampons {
        commune: tampon_commune,
        rpls: tampon_rpls,
    } = tampons;
    // Without an `rpls` column (RPLS open data), the row is identified by its line (one warning
    // for the file, from `assembler`).
    let rpls: &'r str = match map.colonne(Champ::Rpls) {
        None => {
            tampon_rpls.clear();
            let _ = write!(tampon_rpls, "L{ligne}");
            tampon_rpls
        }
        Some(_) if rpls.is_empty() => {
            return Err((Champ::Rpls.nom(), "identifiant RPLS vide".into()).into())
        }
        Some(_) => rpls,
    };
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
                *tampon_commune = c;
                tampon_commune
            }
        };
    let nb = values::nb(champ(Champ::Nb)).map_err(rejet(Champ::Nb))?;
    // Unknown codes of a known kind are classed `autre` (SPEC §2 lists it) rather than dropped.
    let hors_assiette = match values::motif(champ(Champ::HorsAssiette)) {
        Ok(m) => m,
        Err(m) if en_erreur(Champ::HorsAssiette) => {
            return Err(rejet(Champ::HorsAssiette)(m).into())
        }
        Err(m) => {
            avertir(
                Champ::HorsAssiette,
                format!("{m} : classé « autre » (hors assiette)"),
            );
            Some(Motif::Autre)
        }
    };
    let categorie = match values::categorie(champ(Champ::Categorie)) {
        Ok(None) if !reservataire.is_empty() => Some(values::categorie_du_nom(reservataire)),
        Ok(c) => c,
        Err(m) if en_erreur(Champ::Categorie) => return Err(rejet(Champ::Categorie)(m).into()),
        Err(m) => {
            avertir(Champ::Categorie, format!("{m} : classée « autre »"));
            Some(Categorie::Autre)
        }
    };
    let type_droit =
        values::type_droit(champ(Champ::TypeDroit)).map_err(rejet(Champ::TypeDroit))?;
    let date_fin = values::date(champ(Champ::DateFin)).map_err(rejet(Champ::DateFin))?;
    let droit_utilise =
        values::oui_non(champ(Champ::DroitUtilise)).map_err(rejet(Champ::DroitUtilise))?;
    let taux_rotation = match values::taux(champ(Champ::TauxRotation)) {
        Ok(Some((t, true))) => {
            // The cell's own text: t × 100 may print 7.000000000000001.
            avertir(
                Champ::TauxRotation,
                format!(
                    "taux lu comme un pourcentage : {} %",
                    champ(Champ::TauxRotation)
                ),
            );
            Some(t)
        }
        Ok(t) => t.map(|(t, _)| t),
        Err(m) => {
            avertir(Champ::TauxRotation, ignore(Champ::TauxRotation, m));
            None
        }
    };

    // Descriptive fields: a bad value is kept as unknown, with a warning. The plain decimal (the
    // common cell: no sign, so never a negative quantity) is read without going through a
    // `Result`, which these three numbers of every row paid for in moves (stop 28).
    let mut ou_inconnu = |c: Champ, lire: fn(&str) -> values::Resultat<Option<f64>>| {
        lire(champ(c)).unwrap_or_else(|m| {
            avertir(c, ignore(c, m));
            None
        })
    };
    let decimal = |c: Champ| values::decimal_simple(champ(c).as_bytes());
    let surface = decimal(Champ::Surface).or_else(|| ou_inconnu(Champ::Surface, values::quantite));
    let loyer = decimal(Champ::Loyer).or_else(|| ou_inconnu(Champ::Loyer, values::quantite));
    let annee = decimal(Champ::AnneeConstruction)
        .or_else(|| ou_inconnu(Champ::AnneeConstruction, values::nombre));
    let annee_construction = match annee {
        Some(a) if (1000.0..3000.0).contains(&a) => Some(a as u16),
        Some(_) => {
            let a = champ(Champ::AnneeConstruction);
            avertir(
                Champ::AnneeConstruction,
                format!("année de construction « {a} » invraisemblable : valeur ignorée"),
            );
            None
        }
        None => None,
    };
    let typologie = values::typologie(champ(Champ::Typologie)).unwrap_or_else(|m| {
        avertir(Champ::Typologie, ignore(Champ::Typologie, m));
        0
    });
    let financement = match values::financement(champ(Champ::Financement)) {
        Ok(f) => f,
        Err(m) if en_erreur(Champ::Financement) => {
            avertir(Champ::Financement, ignore(Champ::Financement, m));
            0
        }
        Err(m) => {
            avertir(Champ::Financement, format!("{m} : classé « Autre »"));
            5
        }
    };
    // Any QPV code means "en QPV": an error value must not.
    let qpv = champ(Champ::Qpv);
    let qpv = match erreur_tableur(qpv) {
        true => {
            avertir(Champ::Qpv, ignore(Champ::Qpv, String::new()));
            0
        }
        false => values::qpv(qpv),
    };

    // The programme is descriptive: an error value is not a programme name.
    let programme = match en_erreur(Champ::Programme) {
        true => {
            avertir(Champ::Programme, ignore(Champ::Programme, String::new()));
            ""
        }
        false => champ(Champ::Programme),
    };

    // Free text takes anything: an error value there is refused explicitly.
    if erreur_tableur(rpls) || erreur_tableur(bailleur) || erreur_tableur(reservataire) {
        let c = [Champ::Rpls, Champ::Bailleur, Champ::Reservataire]
            .into_iter()
            .find(|&c| en_erreur(c))
            .unwrap_or(Champ::Rpls);
        return Err(rejet(c)(String::new()).into());
    }
    let reserve = categorie.is_some_and(|c| c != Categorie::NonReserve);
    if reserve
        && !categorie.is_some_and(Categorie::est_etat)
        && type_droit == TypeDroit::Suite
        && date_fin.is_none()
        && hors_assiette.is_none()
    {
        avertir(Champ::DateFin, "droit de suite sans date de fin : la durée sans terme (duree_sans_terme_ans) s'applique".into());
    }
    Ok(Logement {
        rpls,
        bailleur,
        commune,
        typologie,
        financement,
        qpv,
        surface,
        loyer,
        annee_construction,
        hors_assiette,
        reservataire,
        categorie,
        type_droit,
        date_fin,
        droit_utilise: droit_utilise.unwrap_or(false),
        taux_rotation,
        programme,
        nb: nb.unwrap_or(1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A quote-free line cut as the reader cuts it: the offsets of its separators, then its end.
    fn champs(ligne: &str) -> Vec<usize> {
        let mut fins: Vec<usize> = ligne.match_indices(';').map(|(i, _)| i).collect();
        fins.push(ligne.len());
        fins
    }

    #[test]
    fn extra_cells_must_be_blank() {
        let verdict = |ligne: &str, n: usize| nombre_de_cellules(&Champs { ligne, fins: &champs(ligne) }, n);
        assert_eq!(verdict("a;b;c", 3), Ok(()));
        assert_eq!(verdict("a;b;c;; ;", 3), Ok(()), "blank cells after the header's are layout");
        assert_eq!(verdict(";;;", 3), Ok(()));
        assert_eq!(verdict(";", 3), Err(None), "a short blank row is not data");
        assert_eq!(
            verdict("a;b", 3),
            Err(Some("nombre de colonnes incorrect (2 au lieu de 3)".into()))
        );
        assert_eq!(
            verdict("a;b;c;d", 3),
            Err(Some("nombre de colonnes incorrect (4 au lieu de 3)".into()))
        );
        assert_eq!(verdict(";;;x", 3), Err(Some("nombre de colonnes incorrect (4 au lieu de 3)".into())));
    }
}

//! Header matching (SPEC §2): each field of the état des lieux is found by its canonical name or a
//! synonym (RPLS and common exports), case-, accent- and punctuation-insensitively. The resulting
//! [`Correspondance`] can also be set by hand when detection fails.

use std::fmt;

/// A field of the état des lieux (SPEC §2 table, in order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Champ {
    Rpls,
    Bailleur,
    Commune,
    Typologie,
    Financement,
    Qpv,
    Surface,
    Loyer,
    AnneeConstruction,
    HorsAssiette,
    Reservataire,
    Categorie,
    TypeDroit,
    DateFin,
    DroitUtilise,
    TauxRotation,
    /// (v2) Building or programme: free text.
    Programme,
    /// (v2) Number of identical logements the row stands for (aggregated RPLS open data).
    Nb,
}

impl Champ {
    /// Fields of the template (`export::modele`): the v1 table of SPEC §2. The v2 columns
    /// (`programme`, `nb`) are read when present ([`Champ::LUS`]) but are not template columns.
    pub const N: usize = 16;
    /// The template's fields, in the order of SPEC §2: the first [`Champ::N`] of [`Champ::LUS`].
    pub const TOUS: [Champ; 16] = {
        let mut t = [Champ::Rpls; 16];
        let mut i = 0;
        while i < 16 {
            t[i] = Champ::LUS[i];
            i += 1;
        }
        t
    };
    /// Number of fields the reader recognises.
    pub const NB_LUS: usize = 18;
    /// Every field the reader recognises, in the order of SPEC §2 (warnings of one line are
    /// sorted this way).
    pub const LUS: [Champ; 18] = [
        Champ::Rpls,
        Champ::Bailleur,
        Champ::Commune,
        Champ::Typologie,
        Champ::Financement,
        Champ::Qpv,
        Champ::Surface,
        Champ::Loyer,
        Champ::AnneeConstruction,
        Champ::HorsAssiette,
        Champ::Reservataire,
        Champ::Categorie,
        Champ::TypeDroit,
        Champ::DateFin,
        Champ::DroitUtilise,
        Champ::TauxRotation,
        Champ::Programme,
        Champ::Nb,
    ];

    /// Canonical column name.
    pub fn nom(self) -> &'static str {
        match self {
            Champ::Rpls => "rpls",
            Champ::Bailleur => "bailleur",
            Champ::Commune => "commune",
            Champ::Typologie => "typologie",
            Champ::Financement => "financement",
            Champ::Qpv => "qpv",
            Champ::Surface => "surface",
            Champ::Loyer => "loyer",
            Champ::AnneeConstruction => "annee_construction",
            Champ::HorsAssiette => "hors_assiette",
            Champ::Reservataire => "reservataire",
            Champ::Categorie => "categorie",
            Champ::TypeDroit => "type_droit",
            Champ::DateFin => "date_fin",
            Champ::DroitUtilise => "droit_utilise",
            Champ::TauxRotation => "taux_rotation",
            Champ::Programme => "programme",
            Champ::Nb => "nb",
        }
    }

    /// Only the commune is required (SPEC §2 v2): without an `rpls` column each row gets a
    /// line-based identifier (`L` + line number, one warning; docs/import.md).
    pub fn requis(self) -> bool {
        matches!(self, Champ::Commune)
    }

    /// Descriptive fields: they only feed the segments and splits, so an unreadable value is kept
    /// as unknown with a warning instead of rejecting the logement.
    pub fn descriptif(self) -> bool {
        matches!(
            self,
            Champ::Typologie
                | Champ::Financement
                | Champ::Qpv
                | Champ::Surface
                | Champ::Loyer
                | Champ::AnneeConstruction
        )
    }

    /// Normalised synonyms (see [`normaliser`]), canonical name first.
    fn synonymes(self) -> &'static [&'static str] {
        match self {
            Champ::Rpls => &[
                "rpls",
                "identrep",
                "identifiantrpls",
                "numrpls",
                "numerorpls",
                "nrpls",
                "idrpls",
                "codelogementrpls",
            ],
            Champ::Bailleur => &[
                "bailleur",
                "identorg",
                "rs",
                "organisme",
                "siren",
                "raisonsociale",
                "nomorganisme",
                "nombailleur",
            ],
            Champ::Commune => &[
                "commune",
                "depcom",
                "depcomcode",
                "codeinsee",
                "codecommune",
                "insee",
                "codegeo",
                "codeinseecommune",
                "communecodeinsee",
            ],
            Champ::Typologie => &[
                "typologie",
                "nbpiece",
                "nbpieces",
                "nombredepieces",
                "nombrepieces",
                "type",
                "typelogement",
            ],
            Champ::Financement => &["financement", "finan", "financode", "financementinitial"],
            Champ::Qpv => &["qpv", "qpvcode", "codeqpv", "enqpv", "qpvouinon"],
            Champ::Surface => &["surface", "surfhab", "surfacehabitable"],
            Champ::Loyer => &["loyer", "loyerprinc", "loyerprincipal", "loyermensuel"],
            Champ::AnneeConstruction => &[
                "anneeconstruction",
                "construct",
                "anneedeconstruction",
                "anneedachevement",
                "anneeachevement",
            ],
            Champ::HorsAssiette => &[
                "horsassiette",
                "motifdexclusion",
                "motifexclusion",
                "motifhorsassiette",
            ],
            Champ::Reservataire => &[
                "reservataire",
                "contingent",
                "nomreservataire",
                "nomdureservataire",
            ],
            Champ::Categorie => &[
                "categorie",
                "categoriereservataire",
                "categoriedereservataire",
                "contreslog",
                "typereservataire",
            ],
            Champ::TypeDroit => &["typedroit", "droit", "typedereservation", "typededroit"],
            Champ::DateFin => &[
                "datefin",
                "findereservation",
                "finreservation",
                "echeance",
                "datefinreservation",
                "datedefin",
                "datedefindereservation",
            ],
            Champ::DroitUtilise => &["droitutilise"],
            Champ::TauxRotation => &[
                "tauxrotation",
                "tauxderotation",
                "tauxrotationobserve",
                "tauxderotationobserve",
            ],
            Champ::Programme => &[
                "programme",
                "residence",
                "immeu",
                "ensemble",
                "nomprogramme",
                "nomduprogramme",
                "codeprogramme",
                "programmeimmobilier",
                "nomresidence",
                "nomdelaresidence",
                "ensembleimmobilier",
                "immeuble",
                "groupeimmobilier",
            ],
            Champ::Nb => &[
                "nb",
                "nombredelogements",
                "nombrelogements",
                "nblogements",
                "nblogement",
                "nbdelogements",
                "nblog",
                "nblogt",
                "nblgt",
            ],
        }
    }
}

/// RPLS variables published by the SDES as `X_CODE` + `X_LIBELLE` (open data since 2021): the
/// `_CODE` column is read like the legacy `X`. Deliberately absent: `DROIT` (the bailleur's real
/// right on the building — propriété, usufruit —, not the reservation's `type_droit`) and `DEP`
/// (the département, not the commune).
const RACINES_RPLS: [&str; 11] = [
    "identrep",
    "immeu",
    "identorg",
    "depcom",
    "nbpiece",
    "finan",
    "qpv",
    "contreslog",
    "surfhab",
    "loyerprinc",
    "construct",
];

/// RPLS variables whose `X_LIBELLE` (label) our value parsers understand, used only when the file
/// has no `X_CODE` column: not `DEPCOM_LIBELLE`, a commune *name*.
const LIBELLES_RPLS: [&str; 4] = ["nbpiece", "finan", "qpv", "contreslog"];

/// Short normalised key, kept on the stack (no allocation per cell).
#[derive(Clone, Copy)]
pub struct Cle {
    octets: [u8; 48],
    len: u8,
}

impl Cle {
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.octets[..self.len as usize]).unwrap_or("")
    }
}

impl fmt::Debug for Cle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_str().fmt(f)
    }
}

/// Folds one character: lower case without accent; `None` for punctuation and spaces.
fn plier(c: char, sortie: &mut impl FnMut(u8)) {
    match c {
        'a'..='z' | '0'..='9' => sortie(c as u8),
        'A'..='Z' => sortie(c.to_ascii_lowercase() as u8),
        'à' | 'â' | 'ä' | 'á' | 'À' | 'Â' | 'Ä' | 'Á' => sortie(b'a'),
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => sortie(b'e'),
        'î' | 'ï' | 'í' | 'Î' | 'Ï' => sortie(b'i'),
        'ô' | 'ö' | 'ó' | 'Ô' | 'Ö' => sortie(b'o'),
        'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' => sortie(b'u'),
        'ç' | 'Ç' => sortie(b'c'),
        'œ' | 'Œ' => {
            sortie(b'o');
            sortie(b'e')
        }
        'æ' | 'Æ' => {
            sortie(b'a');
            sortie(b'e')
        }
        '+' => {
            sortie(b'p');
            sortie(b'l');
            sortie(b'u');
            sortie(b's')
        }
        _ => {}
    }
}

/// Case-, accent- and punctuation-insensitive key ("Catégorie réservataire" → "categoriereservataire",
/// "T6+" → "t6plus"). A key longer than 48 bytes, or a negative number ("-3" would otherwise fold
/// to "3"), becomes "\u{1}", which matches nothing.
pub fn cle(s: &str) -> Cle {
    let mut c = Cle {
        octets: [0; 48],
        len: 0,
    };
    if let [b'-', b'0'..=b'9', ..] = s.trim_start().as_bytes() {
        c.octets[0] = 1;
        c.len = 1;
        return c;
    }
    // Fast path: short ASCII values (almost every cell) are folded byte by byte.
    if s.len() <= c.octets.len() && s.is_ascii() && !s.contains('+') {
        for b in s.bytes() {
            if b.is_ascii_alphanumeric() {
                c.octets[c.len as usize] = b.to_ascii_lowercase();
                c.len += 1;
            }
        }
        return c;
    }
    let mut deborde = false;
    for ch in s.chars() {
        plier(ch, &mut |b| {
            if (c.len as usize) < c.octets.len() {
                c.octets[c.len as usize] = b;
                c.len += 1;
            } else {
                deborde = true;
            }
        });
    }
    if deborde {
        c.octets[0] = 1;
        c.len = 1;
    }
    c
}

/// Same as [`cle`], as an owned string (headers, tests).
pub fn normaliser(s: &str) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        plier(ch, &mut |b| out.push(b as char));
    }
    out
}

/// Which column (0-based) of the file holds each field.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Correspondance {
    /// Indexed by `champ as usize`, for every field of [`Champ::LUS`].
    pub colonnes: [Option<usize>; Champ::NB_LUS],
}

impl Correspondance {
    pub fn colonne(&self, champ: Champ) -> Option<usize> {
        self.colonnes[champ as usize]
    }
    /// The field read from column `j`, if any.
    pub fn champ(&self, j: usize) -> Option<Champ> {
        Champ::LUS.into_iter().find(|c| self.colonne(*c) == Some(j))
    }
    /// Required fields that no column provides.
    pub fn manquants(&self) -> Vec<Champ> {
        Champ::LUS
            .into_iter()
            .filter(|c| c.requis() && self.colonne(*c).is_none())
            .collect()
    }
}

/// The field a normalised header names: a synonym, or an RPLS `X_CODE` (`libelle`: an RPLS
/// `X_LIBELLE` of a coded field).
fn champ_de_l_entete(n: &str, libelle: bool) -> Option<Champ> {
    let nom = if libelle {
        n.strip_suffix("libelle")
            .filter(|r| LIBELLES_RPLS.contains(r))?
    } else {
        n.strip_suffix("code")
            .filter(|r| RACINES_RPLS.contains(r))
            .unwrap_or(n)
    };
    Champ::LUS
        .into_iter()
        .find(|c| c.synonymes().contains(&nom))
}

/// Matches headers to fields; the first column matching a field wins, and an RPLS `X_LIBELLE`
/// column is used only when no column gives the code of that field.
pub fn detecter<'a>(entetes: impl IntoIterator<Item = &'a str>) -> Correspondance {
    let entetes: Vec<String> = entetes.into_iter().map(normaliser).collect();
    let mut m = Correspondance::default();
    for libelle in [false, true] {
        for (i, n) in entetes.iter().enumerate() {
            if let Some(champ) = champ_de_l_entete(n, libelle) {
                m.colonnes[champ as usize].get_or_insert(i);
            }
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rpls_and_french_headers() {
        let m = detecter([
            "IDENT_REP",
            "DEPCOM",
            "NBPIECE",
            "FINAN",
            "QPV",
            "Catégorie réservataire",
            "Fin de réservation",
            "Taux de rotation",
            "divers",
        ]);
        assert_eq!(m.colonne(Champ::Rpls), Some(0));
        assert_eq!(m.colonne(Champ::Commune), Some(1));
        assert_eq!(m.colonne(Champ::Typologie), Some(2));
        assert_eq!(m.colonne(Champ::Categorie), Some(5));
        assert_eq!(m.colonne(Champ::DateFin), Some(6));
        assert_eq!(m.colonne(Champ::TauxRotation), Some(7));
        assert!(m.manquants().is_empty());
        assert_eq!(detecter(["rpls"]).manquants(), vec![Champ::Commune]);
    }

    #[test]
    fn sdes_code_and_label_columns() {
        let m = detecter([
            "IDENT_REP",
            "DEPCOM_LIBELLE",
            "DEPCOM_CODE",
            "DROIT_CODE",
            "FINAN_LIBELLE",
            "FINAN_CODE",
            "QPV_LIBELLE",
            "CONTRESLOG_CODE",
            "NBPIECE_CODE",
            "DEP_CODE",
        ]);
        assert_eq!(m.colonne(Champ::Commune), Some(2), "le code, pas le nom");
        assert_eq!(
            m.colonne(Champ::TypeDroit),
            None,
            "DROIT = droit réel du bailleur"
        );
        assert_eq!(
            m.colonne(Champ::Financement),
            Some(5),
            "code préféré au libellé"
        );
        assert_eq!(m.colonne(Champ::Qpv), Some(6), "libellé faute de code");
        assert_eq!(m.colonne(Champ::Categorie), Some(7));
        assert_eq!(m.colonne(Champ::Typologie), Some(8));
        assert_eq!(m.champ(8), Some(Champ::Typologie));
        assert_eq!(
            detecter(["DEPCOM_LIBELLE", "rpls"]).colonne(Champ::Commune),
            None
        );
    }

    #[test]
    fn keys_fold_case_accents_punctuation() {
        assert_eq!(cle("  Réservé-État ").as_str(), "reserveetat");
        assert_eq!(cle("T6+").as_str(), "t6plus");
        assert_eq!(normaliser("Hors_assiette"), "horsassiette");
        assert_eq!(cle(&"x".repeat(60)).as_str(), "\u{1}");
        assert_eq!(cle(" -3").as_str(), "\u{1}");
    }
}

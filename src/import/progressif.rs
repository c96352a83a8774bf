//! A CSV read step by step, for the browser: one chunk per call, so that the page can show the
//! progress, stay responsive and be cancelled between chunks (issue « a whole region in the
//! browser »). Same parsing, same rejects and warnings as [`super::lire`]: only the schedule
//! differs (the command line reads the chunks in parallel instead).

use std::ops::Range;

use super::ligne::{Partiel, Plafond};
use super::{csv, Entete, Import, ImportError};
use crate::import::columns::Correspondance;

/// Bytes per chunk: ~40 ms of parsing in the browser, so the page answers within a frame or two.
pub const TAILLE_MORCEAU: usize = 4 << 20;

pub struct LectureProgressive {
    texte: Vec<u8>,
    encodage: &'static str,
    entete: Entete,
    morceaux: Vec<Range<usize>>,
    /// File lines before each chunk (only when needed: see `Entete::decalages`).
    decalages: Vec<u64>,
    partiels: Vec<Partiel>,
    lignes: usize,
    /// The logements read so far, against [`super::LOGEMENTS_MAX`].
    plafond: Plafond,
}

impl LectureProgressive {
    /// Checks the encoding (UTF-16, UTF-8 with or without BOM, else Windows-1252), reads the
    /// header and cuts the text into chunks at line boundaries.
    pub fn commencer(octets: &[u8], correspondance: Option<&Correspondance>) -> Result<LectureProgressive, ImportError> {
        Self::commencer_par(octets, correspondance, TAILLE_MORCEAU)
    }

    /// [`LectureProgressive::commencer`] with chunks of about `taille` bytes.
    fn commencer_par(
        octets: &[u8],
        correspondance: Option<&Correspondance>,
        taille: usize,
    ) -> Result<LectureProgressive, ImportError> {
        let (texte, encodage): (Vec<u8>, &'static str) = if let Some((t, e)) = csv::utf16(octets) {
            (t.into_bytes(), e)
        } else {
            let (reste, encodage) = match octets.strip_prefix(b"\xEF\xBB\xBF") {
                Some(reste) => (reste, "UTF-8 (BOM)"),
                None => (octets, "UTF-8"),
            };
            if csv::binaire(reste) {
                return Err(ImportError::Binaire);
            }
            if csv::utf8(reste).is_some() {
                (reste.to_vec(), encodage)
            } else {
                (encoding_rs::WINDOWS_1252.decode(reste).0.into_owned().into_bytes(), "Windows-1252")
            }
        };
        let entete = Entete::lire(&texte, correspondance)?.ok_or(ImportError::Binaire)?;
        let parts = texte.len().div_ceil(taille.max(1)).max(1);
        let morceaux = csv::decouper(&texte, entete.debut, parts, entete.guillemets);
        let decalages = entete.decalages(&texte, &morceaux);
        Ok(LectureProgressive {
            texte,
            encodage,
            entete,
            partiels: Vec::with_capacity(morceaux.len()),
            morceaux,
            decalages,
            lignes: 0,
            plafond: Plafond::new(super::LOGEMENTS_MAX),
        })
    }

    /// Reads the next chunk; `false` once every chunk is read, or once the file went over
    /// [`super::LOGEMENTS_MAX`] ([`LectureProgressive::finir`] then says so).
    pub fn avancer(&mut self) -> bool {
        let Some(r) = self.morceaux.get(self.partiels.len()) else { return false };
        let p = self.entete.lire_morceau(
            &self.texte,
            r,
            self.decalages[self.partiels.len()],
            &self.plafond,
        );
        self.lignes += p.lues;
        let trop = p.trop.is_some();
        self.partiels.push(p);
        !trop && self.partiels.len() < self.morceaux.len()
    }

    /// Bytes of the text read so far, and in all.
    pub fn avancement(&self) -> (usize, usize) {
        let fait = self.partiels.len().checked_sub(1).map_or(0, |i| self.morceaux[i].end);
        (fait, self.texte.len())
    }

    /// Rows read so far.
    pub fn lignes_lues(&self) -> usize {
        self.lignes
    }

    /// The finished import (reads what is left, if anything); an error when the file holds more
    /// than [`super::LOGEMENTS_MAX`] logements.
    pub fn finir(mut self) -> Result<Import, ImportError> {
        while self.avancer() {}
        self.entete.verifier_plafond(&self.texte, &self.plafond, &self.partiels)?;
        let lignes_entete = super::csv::lignes(&self.texte[..self.entete.debut]);
        Ok(self.entete.assembler(lignes_entete, self.partiels, self.encodage, |_, _| {}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{lire, OptionsLecture};

    /// The step-by-step reading, in many chunks, gives exactly the import of the one-shot
    /// reading: rows, rejects, warnings (duplicates, same name with two categories, the missing
    /// `rpls` column), lines and logements (`nb` expanded, programmes).
    #[test]
    fn same_import_as_the_one_shot_reading() {
        for rpls in [true, false] {
            let octets = crate::import::tests::fichier_v2(12_000, rpls);
            let mut l = LectureProgressive::commencer_par(&octets, None, 16 << 10).unwrap();
            let n = l.morceaux.len();
            assert!(n > 10, "{n} morceaux");
            assert_eq!(l.avancement(), (0, octets.len()));
            let mut etapes = 1;
            while l.avancer() {
                etapes += 1;
                let (fait, total) = l.avancement();
                assert!(fait < total && l.lignes_lues() < 12_000);
            }
            assert_eq!(etapes, n, "un appel par morceau");
            assert_eq!(l.avancement(), (octets.len(), octets.len()));
            assert_eq!(l.lignes_lues(), 12_000);
            let a = l.finir().unwrap();
            let b = lire(&octets, &OptionsLecture::default()).unwrap();
            assert_eq!(a.encodage, "UTF-8");
            crate::import::tests::memes(&a, &b);
            assert!(a.avertissements.iter().any(|w| w.motif.contains("aussi avec la catégorie")));
        }
    }

    #[test]
    fn windows_1252_is_detected_before_the_chunks() {
        let octets = b"rpls;commune;reservataire\nA;93048;Pr\xe9fecture\n".to_vec();
        let imp = LectureProgressive::commencer(&octets, None).unwrap().finir().unwrap();
        assert_eq!(imp.encodage, "Windows-1252");
        assert_eq!(imp.dataset.reservataires[0].nom, "Préfecture");
    }
}

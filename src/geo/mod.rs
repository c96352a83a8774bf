//! Official geography (COG) — commune names, département, EPCI and EPT — from
//! `data/geographie.tsv`, built by `scripts/build-geo.mjs` from `@etalab/decoupage-administratif`
//! (Licence Ouverte 2.0, Etalab). The CLI embeds the file; the web app fetches it same-origin so
//! that the wasm module stays small.

use rustc_hash::FxHashMap as HashMap;

/// Same-origin URL of the geography file in the built app (`index.html` copies it into `dist/geo/`).
pub const GEOGRAPHIE_URL: &str = "geo/geographie.tsv";

/// SIREN of the Métropole du Grand Paris: its communes are grouped by EPT (établissement public
/// territorial, CGCT L. 5219-2), Paris standing alone, rather than all in one metropolitan EPCI.
pub const SIREN_MGP: &str = "200054781";

/// One commune (or municipal arrondissement) of the COG.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commune {
    pub code: String,
    pub nom: String,
    pub departement: String,
    /// SIREN of the commune's EPCI à fiscalité propre, if any.
    pub epci: Option<String>,
    /// SIREN of the commune's établissement public territorial (Grand Paris), if any.
    pub ept: Option<String>,
    /// For a municipal arrondissement (Paris, Lyon, Marseille): the city's code.
    pub ville: Option<String>,
}

/// The intercommunal level of the communal view: the EPT inside the Métropole du Grand Paris, the
/// EPCI elsewhere (SPEC §5 « EPCI/EPT »).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intercommunalite {
    pub code: String,
    pub nom: String,
}

/// A code of the COG (commune, former commune) as a number: the lookups need no allocation per
/// commune. At most 15 bytes (INSEE codes have 5), its length in the last byte.
type Cle = u128;

fn cle(code: &str) -> Option<Cle> {
    let octets = code.as_bytes();
    let mut c = [0u8; 16];
    c.get_mut(..octets.len()).filter(|_| octets.len() < 16)?.copy_from_slice(octets);
    c[15] = octets.len() as u8;
    Some(u128::from_le_bytes(c))
}

/// The fields of one line of the TSV (at most 7 kept) and their number.
///
/// Byte by byte: `split('\t')` searched each short field with the generic character searcher,
/// 45 of the 59 million instructions of [`Geographie::lire`], on a thread that runs beside the
/// import's readers (stop 26).
fn champs(ligne: &str) -> ([&str; 7], usize) {
    let mut f = [""; 7];
    let (mut n, mut debut) = (0, 0);
    let octets = ligne.as_bytes();
    let tabulations = (0..octets.len()).filter(|&i| octets[i] == b'\t');
    for fin in tabulations.chain([octets.len()]) {
        if let Some(place) = f.get_mut(n) {
            // Cut at ASCII tabulations: always on a character boundary.
            *place = ligne.get(debut..fin).unwrap_or_default();
        }
        n += 1;
        debut = fin + 1;
    }
    (f, n)
}

#[derive(Default)]
pub struct Geographie {
    /// The TSV itself: a commune's line is read into a [`Commune`] the first time it is asked
    /// for. A file of a region names about 1 300 of the 35 000 communes; reading them all
    /// (six strings each) took 10–25 ms of the command line's import (stop 24).
    texte: std::borrow::Cow<'static, str>,
    /// Current commune or arrondissement code → its line's byte range in `texte`, and its index
    /// in `fiches`.
    index: HashMap<Cle, u32>,
    lignes: Vec<(u32, u32)>,
    fiches: Vec<std::sync::OnceLock<Box<Commune>>>,
    /// Former or delegated commune codes → current commune code.
    alias: HashMap<Cle, Cle>,
    departements: HashMap<String, String>,
    epci: HashMap<String, String>,
    ept: HashMap<String, String>,
}

impl Geographie {
    /// Reads the TSV produced by `scripts/build-geo.mjs`. Malformed lines are skipped: the file is
    /// generated, and a missing name only shows as an unknown commune.
    pub fn parse(text: &str) -> Geographie {
        Geographie::lire(std::borrow::Cow::Owned(text.to_owned()))
    }

    fn lire(texte: std::borrow::Cow<'static, str>) -> Geographie {
        let mut geo = Geographie::default();
        let mut debut = 0;
        // Lines found with `memchr`, not `split_inclusive('\n')` (see [`champs`]).
        let octets = texte.as_bytes();
        let sans_fin = (octets.last().is_some_and(|&b| b != b'\n')).then_some(octets.len());
        for fin in memchr::memchr_iter(b'\n', octets).map(|i| i + 1).chain(sans_fin) {
            let brute = texte.get(debut..fin).unwrap_or_default();
            let ligne = brute.trim_end_matches(['\n', '\r']);
            let position = debut;
            debut = fin;
            let (f, n) = champs(ligne);
            match (f[0], n) {
                ("D", 3) => _ = geo.departements.insert(f[1].into(), f[2].into()),
                ("E", 3) => _ = geo.epci.insert(f[1].into(), f[2].into()),
                ("T", 3) => _ = geo.ept.insert(f[1].into(), f[2].into()),
                ("A", 4) => {
                    if let (Some(ancien), Some(actuel)) = (cle(f[1]), cle(f[3])) {
                        geo.alias.insert(ancien, actuel);
                    }
                }
                ("C", 7) => {
                    if let Some(c) = cle(f[1]) {
                        geo.index.insert(c, geo.lignes.len() as u32);
                        geo.lignes.push((position as u32, (position + ligne.len()) as u32));
                    }
                }
                _ => {}
            }
        }
        geo.fiches = geo.lignes.iter().map(|_| std::sync::OnceLock::new()).collect();
        geo.texte = texte;
        geo
    }

    /// The geography embedded in the program (the CLI). The web app fetches the same file instead,
    /// so that its wasm module stays small: it never calls this, and the linker drops the data.
    pub fn officielle() -> &'static Geographie {
        static GEO: std::sync::OnceLock<Geographie> = std::sync::OnceLock::new();
        GEO.get_or_init(|| Geographie::lire(std::borrow::Cow::Borrowed(include_str!("../../data/geographie.tsv"))))
    }

    pub fn len(&self) -> usize {
        self.lignes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lignes.is_empty()
    }

    /// The current commune `i` (index of its line), read from its line the first time.
    fn fiche(&self, i: u32) -> &Commune {
        self.fiches[i as usize].get_or_init(|| {
            let (debut, fin) = self.lignes[i as usize];
            let (f, _) = champs(&self.texte[debut as usize..fin as usize]);
            let opt = |i: usize| Some(f[i]).filter(|s| !s.is_empty()).map(str::to_owned);
            Box::new(Commune {
                code: f[1].into(),
                nom: f[2].into(),
                departement: f[3].into(),
                epci: opt(4),
                ept: opt(5),
                ville: opt(6),
            })
        })
    }

    /// The current commune or arrondissement of this code (not a former one).
    fn actuelle(&self, code: &str) -> Option<&Commune> {
        let i = *self.index.get(&cle(code)?)?;
        Some(self.fiche(i))
    }

    /// The current commune for an INSEE code, following former/delegated codes.
    pub fn commune(&self, code: &str) -> Option<&Commune> {
        let c = cle(code)?;
        let i = self.index.get(&c).or_else(|| self.alias.get(&c).and_then(|actuel| self.index.get(actuel)))?;
        Some(self.fiche(*i))
    }

    /// Whether `code` is a current commune or arrondissement code (not a former one).
    pub fn est_actuelle(&self, code: &str) -> bool {
        cle(code).is_some_and(|c| self.index.contains_key(&c))
    }

    /// Code of the city for a Paris/Lyon/Marseille arrondissement (SPEC `regroupement_plm`), else
    /// the code itself.
    pub fn ville<'a>(&'a self, code: &'a str) -> &'a str {
        self.actuelle(code).and_then(|c| c.ville.as_deref()).unwrap_or(code)
    }

    pub fn nom_departement(&self, code: &str) -> Option<&str> {
        self.departements.get(code).map(String::as_str)
    }

    /// EPT inside the Métropole du Grand Paris (Paris standing alone as « Ville de Paris »),
    /// else the EPCI.
    pub fn intercommunalite(&self, code_commune: &str) -> Option<Intercommunalite> {
        let c = self.commune(code_commune)?;
        let city = c.ville.as_deref().and_then(|v| self.actuelle(v)).unwrap_or(c);
        if let Some(ept) = &city.ept {
            let nom = self.ept.get(ept).cloned().unwrap_or_default();
            return Some(Intercommunalite { code: ept.clone(), nom });
        }
        match city.epci.as_deref() {
            Some(SIREN_MGP) => Some(Intercommunalite { code: city.code.clone(), nom: format!("Ville de {}", city.nom) }),
            Some(epci) => Some(Intercommunalite {
                code: epci.to_owned(),
                nom: self.epci.get(epci).cloned().unwrap_or_default(),
            }),
            None => None,
        }
    }
}


#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn geo() -> &'static Geographie {
        Geographie::officielle()
    }

    #[test]
    fn knows_every_current_commune_with_names() {
        assert!(geo().len() > 34_900, "COG 2026: about 35 000 communes and arrondissements");
        let montreuil = geo().commune("93048").unwrap();
        assert_eq!(montreuil.nom, "Montreuil");
        assert_eq!(montreuil.departement, "93");
        assert_eq!(geo().nom_departement("93"), Some("Seine-Saint-Denis"));
        assert_eq!(geo().commune("2A004").unwrap().nom, "Ajaccio");
    }

    #[test]
    fn grand_paris_groups_by_ept_and_paris_stands_alone() {
        let est_ensemble = geo().intercommunalite("93048").unwrap();
        assert_eq!(est_ensemble.nom, "Est Ensemble");
        let paris = geo().intercommunalite("75118").unwrap();
        assert_eq!((paris.code.as_str(), paris.nom.as_str()), ("75056", "Ville de Paris"));
        // Outside the MGP: the EPCI.
        let meaux = geo().intercommunalite("77284").unwrap();
        assert!(meaux.nom.contains("Meaux"), "{meaux:?}");
    }

    #[test]
    fn arrondissements_roll_up_to_their_city() {
        assert_eq!(geo().ville("75118"), "75056");
        assert_eq!(geo().ville("69381"), "69123");
        assert_eq!(geo().ville("13201"), "13055");
        assert_eq!(geo().ville("93048"), "93048");
        // The engine's fixed roll-up rule (`model::commune_plm`) agrees with the official data for
        // every code of the COG.
        for code in (0..geo().len() as u32).map(|i| geo().fiche(i).code.as_str()) {
            assert_eq!(crate::domain::model::commune_plm(code), geo().ville(code), "{code}");
        }
    }

    #[test]
    fn former_codes_resolve_to_the_current_commune() {
        let c = geo().commune("01018").unwrap();
        assert_eq!(c.code, "01033");
        assert!(!geo().est_actuelle("01018"));
    }

    #[test]
    fn fields_and_lines_cut_as_split_would() {
        for ligne in ["", "C", "D\t75\tParis", "C\t\t\tx\t\t\t", "a\tb\tc\td\te\tf\tg\th\ti", "É\tà\t"] {
            let attendu: Vec<&str> = ligne.split('\t').collect();
            let (f, n) = champs(ligne);
            assert_eq!(n, attendu.len(), "{ligne:?}");
            assert_eq!(&f[..n.min(7)], &attendu[..n.min(7)], "{ligne:?}");
        }
        // A last line without its line break, and Windows line ends.
        let geo = Geographie::lire("D\t75\tParis\r\nC\t75101\tParis 1er\t75\t200054781\t\t75056".into());
        assert_eq!(geo.nom_departement("75"), Some("Paris"));
        assert_eq!(geo.commune("75101").map(|c| c.nom.as_str()), Some("Paris 1er"));
    }
}

/// The engine's lookup for the communal view (names, EPCI/EPT level).
impl crate::domain::Geographie for Geographie {
    fn nom_commune(&self, code: &str) -> Option<String> {
        self.commune(code).map(|c| c.nom.clone())
    }

    fn epci(&self, code: &str) -> Option<(String, String)> {
        self.intercommunalite(code).map(|i| (i.code, i.nom))
    }

    fn nom_departement(&self, code: &str) -> Option<String> {
        Geographie::nom_departement(self, code).map(str::to_owned)
    }
}

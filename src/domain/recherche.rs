//! Finding a logement of the état des lieux by a few characters of its `rpls`, its commune (INSEE
//! code or name) or its `programme`, for the page « Orienter un logement » (SPEC §8: a vacant
//! logement « picked by `rpls` »).
//!
//! Fast on 1.4 M logements without an index: the identifiers are one concatenated string
//! ([`Textes`](crate::domain::dataset::Textes)) searched with `memchr::memmem` (the query as
//! typed, in upper and in lower case); the communes and programmes matching are marked once, then
//! one pass over the logements' cells and programmes counts every match and keeps the first few.
//! Logements of one open-data row (`nb` > 1) share an identifier: only the first is listed.

use memchr::memmem;

use crate::domain::dataset::{Dataset, AUCUN};
use crate::domain::model::{Motif, FINANCEMENTS, TYPOLOGIES};
use crate::domain::Geographie;

/// Fewest characters searched (one character would match nearly every logement).
pub const RECHERCHE_MIN: usize = 2;
/// Longest query read (characters beyond are ignored).
const RECHERCHE_MAX: usize = 100;

/// Why a logement was found, best first (the order of the list).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Critere {
    /// The query is its identifier.
    RplsExact,
    /// Its identifier contains the query.
    Rpls,
    /// Its programme's name contains the query (case and accents ignored).
    Programme,
    /// Its commune's INSEE code starts with the query, or its name contains it.
    Commune,
}

impl Critere {
    pub fn libelle(self) -> &'static str {
        match self {
            Critere::RplsExact => "identifiant RPLS",
            Critere::Rpls => "identifiant RPLS (partiel)",
            Critere::Programme => "programme",
            Critere::Commune => "commune",
        }
    }
}

/// A logement found and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trouve {
    /// Index of the logement in the état des lieux.
    pub logement: u32,
    pub critere: Critere,
}

/// The first logements found (best criterion first, then in file order) and how many in all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recherche {
    pub trouves: Vec<Trouve>,
    /// Logements matching (distinct identifiers).
    pub total: usize,
}

/// Lower case, accents removed, hyphens and apostrophes as spaces (« Saint-Ouen » ~ « st ouen »
/// is not attempted: only « saint ouen », « SAINT-OUEN »).
fn plier(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'î' | 'ï' | 'í' => out.push('i'),
            'ô' | 'ö' | 'ó' | 'õ' => out.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
            'ÿ' => out.push('y'),
            'ç' => out.push('c'),
            'ñ' => out.push('n'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            '-' | '\'' | '’' | '_' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Logements whose identifier contains `q` (as typed, upper or lower case): sorted, with
/// `true` when the identifier is `q` itself.
fn par_identifiant(ds: &Dataset, q: &str) -> Vec<(u32, bool)> {
    let textes = &ds.rpls;
    let octets = textes.octets.as_bytes();
    let mut variantes = vec![q.to_owned(), q.to_uppercase(), q.to_lowercase()];
    variantes.sort();
    variantes.dedup();
    let mut trouves: Vec<(u32, bool)> = Vec::new();
    for v in &variantes {
        let finder = memmem::Finder::new(v.as_bytes());
        let mut pos = 0;
        while let Some(k) = finder.find(&octets[pos..]) {
            let debut = pos + k;
            let fin = debut + v.len();
            // The identifier holding the match's first byte; the match must end inside it (the
            // identifiers are concatenated without separator).
            let i = textes.fins.partition_point(|&f| (f as usize) <= debut);
            let Some(&fin_i) = textes.fins.get(i) else { break };
            let debut_i = if i == 0 { 0 } else { textes.fins[i - 1] as usize };
            if fin <= fin_i as usize {
                trouves.push((i as u32, debut == debut_i && fin == fin_i as usize));
                // One match per identifier is enough.
                pos = fin_i as usize;
            } else {
                pos = debut + 1;
            }
        }
    }
    trouves.sort_unstable();
    // Several variants may find the same identifier: exact wins.
    trouves.dedup_by(|b, a| {
        if a.0 == b.0 {
            a.1 |= b.1;
            true
        } else {
            false
        }
    });
    trouves
}

/// Looks for `requete` in the identifiers, communes and programmes of `ds`; returns the first
/// `max` logements found (see [`Critere`] for the order) and the total. A query shorter than
/// [`RECHERCHE_MIN`] characters finds nothing. `geo` gives the communes' names (without it, the
/// INSEE codes only).
pub fn chercher(ds: &Dataset, requete: &str, geo: Option<&dyn Geographie>, max: usize) -> Recherche {
    let q: String = requete.trim().chars().take(RECHERCHE_MAX).collect();
    if q.chars().count() < RECHERCHE_MIN {
        return Recherche::default();
    }
    let plie = plier(&q);
    let identifiants = par_identifiant(ds, &q);
    // Communes: INSEE code starting with the query, or name containing it.
    let code = q.to_uppercase();
    let communes: Vec<bool> = ds
        .communes
        .iter()
        .map(|c| c.starts_with(&code) || geo.and_then(|g| g.nom_commune(c)).is_some_and(|n| plier(&n).contains(&plie)))
        .collect();
    let cellules: Vec<bool> = ds.cellules.iter().map(|c| communes[c.commune as usize]).collect();
    let programmes: Vec<bool> = ds.programmes.iter().map(|p| plier(p).contains(&plie)).collect();
    let une_commune = communes.iter().any(|&b| b);
    let un_programme = programmes.iter().any(|&b| b);
    // Per criterion, the first `max` found in file order.
    let mut listes: [Vec<u32>; 4] = Default::default();
    if !une_commune && !un_programme {
        // The identifiers only: no pass over the logements.
        let mut total = 0;
        let mut precedent: Option<u32> = None;
        for &(l, exact) in &identifiants {
            let meme = precedent.is_some_and(|j| j + 1 == l && ds.rpls.get(j as usize) == ds.rpls.get(l as usize));
            precedent = Some(l);
            if meme {
                continue;
            }
            total += 1;
            let liste = &mut listes[usize::from(!exact)];
            if liste.len() < max {
                liste.push(l);
            }
        }
        return assembler(listes, total, max);
    }
    let mut total = 0;
    let mut suivant = identifiants.iter().peekable();
    let mut precedent: Option<usize> = None;
    for i in 0..ds.len() {
        let mut critere = None;
        if let Some(&&(l, exact)) = suivant.peek() {
            if l as usize == i {
                suivant.next();
                critere = Some(if exact { Critere::RplsExact } else { Critere::Rpls });
            }
        }
        if critere.is_none() && un_programme {
            let p = ds.programme_de(i);
            if p != AUCUN && programmes[p as usize] {
                critere = Some(Critere::Programme);
            }
        }
        if critere.is_none() && une_commune && cellules[ds.cellule[i] as usize] {
            critere = Some(Critere::Commune);
        }
        let Some(critere) = critere else { continue };
        // The logements of one open-data row share its identifier: the first only.
        if precedent.is_some_and(|j| j + 1 == i && ds.rpls.get(j) == ds.rpls.get(i)) {
            precedent = Some(i);
            continue;
        }
        precedent = Some(i);
        total += 1;
        let liste = &mut listes[critere as usize];
        if liste.len() < max {
            liste.push(i as u32);
        }
    }
    assembler(listes, total, max)
}

/// The first `max` of the lists of each criterion, best criterion first.
fn assembler(listes: [Vec<u32>; 4], total: usize, max: usize) -> Recherche {
    let mut trouves = Vec::with_capacity(max);
    for (liste, critere) in listes.iter().zip([Critere::RplsExact, Critere::Rpls, Critere::Programme, Critere::Commune]) {
        trouves.extend(liste.iter().map(|&logement| Trouve { logement, critere }));
    }
    trouves.truncate(max);
    Recherche { trouves, total }
}

/// What the page shows of a logement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fiche {
    pub rpls: String,
    pub bailleur: String,
    pub departement: String,
    /// INSEE code.
    pub commune: String,
    pub typologie: &'static str,
    pub financement: &'static str,
    pub programme: Option<String>,
    /// Out of the assiette in the état des lieux (its vacancy is not part of the flux).
    pub hors_assiette: Option<Motif>,
}

/// The fiche of logement `l`.
pub fn fiche(ds: &Dataset, l: u32) -> Fiche {
    let l = l as usize;
    let cellule = &ds.cellules[ds.cellule[l] as usize];
    let per = &ds.perimetres[cellule.perimetre as usize];
    let programme = ds.programme_de(l);
    let motif = ds.motif[l];
    Fiche {
        rpls: ds.rpls.get(l).to_owned(),
        bailleur: ds.bailleurs[per.bailleur as usize].clone(),
        departement: per.departement.clone(),
        commune: ds.communes[cellule.commune as usize].clone(),
        typologie: TYPOLOGIES.get(ds.typologie[l] as usize).copied().unwrap_or(TYPOLOGIES[0]),
        financement: FINANCEMENTS.get(ds.financement[l] as usize).copied().unwrap_or(FINANCEMENTS[0]),
        programme: (programme != AUCUN).then(|| ds.programmes[programme as usize].clone()),
        hors_assiette: (motif != 0).then(|| Motif::TOUS[motif as usize - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::lire_csv;

    struct Noms;
    impl Geographie for Noms {
        fn nom_commune(&self, code: &str) -> Option<String> {
            match code {
                "93048" => Some("Montreuil".into()),
                "93066" => Some("Saint-Denis".into()),
                _ => None,
            }
        }
        fn epci(&self, _: &str) -> Option<(String, String)> {
            None
        }
    }

    fn etat() -> Dataset {
        let mut s = String::from("rpls;bailleur;commune;typologie;financement;programme;hors_assiette\n");
        for i in 0..30 {
            let commune = if i % 3 == 0 { "93066" } else { "93048" };
            let programme = if i < 5 { "Les Tilleuls" } else if i < 8 { "Cité Étoile" } else { "" };
            s.push_str(&format!("AB{i:04};B;{commune};T3;PLUS;{programme};\n"));
        }
        // A logement whose identifier ends where the next begins: « X1 » + « 2Y » is not « 12 ».
        s.push_str("X1;B;93048;T2;PLAI;;vente\n2Y;B;93048;T2;PLAI;;\n");
        // Two logements of one row (open data, `nb` = 2) share an identifier: listed once.
        s.push_str("ZZ9;B;93048;T2;PLAI;;\nZZ9;B;93048;T2;PLAI;;\n");
        lire_csv(s.as_bytes()).unwrap().dataset
    }

    fn rpls(ds: &Dataset, r: &Recherche) -> Vec<String> {
        r.trouves.iter().map(|t| ds.rpls.get(t.logement as usize).to_owned()).collect()
    }

    #[test]
    fn finds_by_identifier_exact_first_in_any_case() {
        let ds = etat();
        let r = chercher(&ds, " ab0012 ", None, 10);
        assert_eq!(rpls(&ds, &r), ["AB0012"]);
        assert_eq!((r.total, r.trouves[0].critere), (1, Critere::RplsExact));
        let r = chercher(&ds, "AB001", None, 3);
        assert_eq!(r.total, 10, "AB0010…AB0019");
        assert_eq!(rpls(&ds, &r), ["AB0010", "AB0011", "AB0012"]);
        assert!(r.trouves.iter().all(|t| t.critere == Critere::Rpls));
        // A match across two identifiers is not one.
        assert_eq!(chercher(&ds, "12Y", None, 10).total, 0);
        assert_eq!(rpls(&ds, &chercher(&ds, "2Y", None, 10)), ["2Y"]);
        assert_eq!((0..ds.len()).filter(|&i| ds.rpls.get(i) == "ZZ9").count(), 2);
        assert_eq!(chercher(&ds, "zz9", None, 10).total, 1, "one identifier of two logements");
        assert_eq!(chercher(&ds, "zz9", None, 10).trouves[0].critere, Critere::RplsExact);
        // Too short: nothing.
        assert_eq!(chercher(&ds, "A", None, 10), Recherche::default());
    }

    #[test]
    fn finds_by_programme_and_commune() {
        let ds = etat();
        let r = chercher(&ds, "tilleul", None, 50);
        assert_eq!((r.total, r.trouves.len()), (5, 5));
        assert!(r.trouves.iter().all(|t| t.critere == Critere::Programme));
        assert_eq!(chercher(&ds, "cite etoile", None, 50).total, 3, "accents ignored");
        // By INSEE code prefix, and by name with the geography.
        let r = chercher(&ds, "93066", None, 50);
        assert_eq!(r.total, 10);
        assert_eq!(chercher(&ds, "saint denis", Some(&Noms), 50).total, 10);
        assert_eq!(chercher(&ds, "saint denis", None, 50).total, 0, "no names without the geography");
        // Every logement is in a commune 930xx: the total, and the first few only.
        let r = chercher(&ds, "930", None, 4);
        assert_eq!(r.total, 33, "32 logements and one identifier of two");
        assert_eq!(r.trouves.len(), 4);
    }

    #[test]
    fn the_fiche_of_a_logement() {
        let ds = etat();
        let l = (0..ds.len()).find(|&i| ds.rpls.get(i) == "X1").unwrap() as u32;
        let f = fiche(&ds, l);
        assert_eq!((f.commune.as_str(), f.typologie, f.financement, f.departement.as_str()), ("93048", "T2", "PLAI", "93"));
        assert_eq!(f.hors_assiette, Some(Motif::Vente));
        assert_eq!(fiche(&ds, 0).programme.as_deref(), Some("Les Tilleuls"));
    }
}

//! The compact, ingested form of an état des lieux: rows are read once, names are interned, and each
//! logement becomes a handful of bytes in parallel columns. [`super::calculer`] recomputes every
//! result from this form, so changing a parameter never re-reads the file.
//!
//! Two interned keys carry the convention structure (SPEC §4, "a convention perimeter is
//! (bailleur, département)"):
//! - a **cellule** is (bailleur, commune); it belongs to one perimeter and carries the communal view;
//! - a **partie** is (perimeter, réservataire); it carries L_r, V_r and the share.

use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::fixes::{self, ComptesFixes};
use super::model::{departement, tranche, Categorie, Motif, TypeDroit, BORNES_LOYER, BORNES_SURFACE};

/// No réservataire / no value.
pub const AUCUN: u32 = u32::MAX;
/// `date_fin` absent: reservation without end ("à vie").
pub const SANS_FIN: i32 = i32::MAX;
/// Bit of [`Dataset::droit`]: droit simple (unique).
pub const DROIT_SIMPLE: u8 = 1;
/// Bit of [`Dataset::droit`]: the droit simple has been used.
pub const DROIT_UTILISE: u8 = 2;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Reservataire {
    pub nom: String,
    pub categorie: Categorie,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Perimetre {
    pub bailleur: u32,
    pub departement: String,
    /// Cellules (communes) of this perimeter.
    pub cellules: Vec<u32>,
    /// Parties (réservataires) of this perimeter.
    pub parties: Vec<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cellule {
    pub perimetre: u32,
    pub commune: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partie {
    pub perimetre: u32,
    pub reservataire: u32,
}

/// One logement as handed to the builder (already parsed; see `import::values`).
#[derive(Clone, Debug, Default)]
pub struct Logement<'a> {
    pub rpls: &'a str,
    /// Empty: the file's single bailleur ("Bailleur").
    pub bailleur: &'a str,
    /// INSEE code (5 characters).
    pub commune: &'a str,
    /// 0 unknown, 1..=6 for T1..T6+.
    pub typologie: u8,
    /// Index in [`super::model::FINANCEMENTS`].
    pub financement: u8,
    /// Index in [`super::model::QPV`].
    pub qpv: u8,
    pub surface: Option<f64>,
    pub loyer: Option<f64>,
    pub annee_construction: Option<u16>,
    pub hors_assiette: Option<Motif>,
    /// Empty with category `NonReserve`: not reserved.
    pub reservataire: &'a str,
    pub categorie: Option<Categorie>,
    pub type_droit: TypeDroit,
    pub date_fin: Option<NaiveDate>,
    pub droit_utilise: bool,
    pub taux_rotation: Option<f64>,
    /// Building or programme (SPEC §2 v2 `programme`); empty when unknown. Used by the orientation
    /// aid (SPEC §8: never tie a programme to a réservataire).
    pub programme: &'a str,
    /// Number of identical logements this row stands for (SPEC §2 v2 `nb`: RPLS open-data files
    /// are aggregated); 0 and 1 both mean one.
    pub nb: u32,
}

/// Concatenated texts (no allocation per row).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Textes {
    pub octets: String,
    #[serde(with = "super::colonnes")]
    pub fins: Vec<u32>,
}

impl Textes {
    pub fn push(&mut self, s: &str) {
        self.octets.push_str(s);
        self.fins.push(self.octets.len() as u32);
    }
    /// Appends every text of `autre`, in one copy (their ends shifted by the texts already here).
    pub fn ajouter(&mut self, autre: &Textes) {
        let (base, fin) = (self.octets.len() as u32, autre.fins.last().map_or(0, |&f| f as usize));
        self.octets.push_str(&autre.octets[..fin]);
        self.fins.extend(autre.fins.iter().map(|&f| base + f));
    }
    pub fn get(&self, i: usize) -> &str {
        let debut = if i == 0 { 0 } else { self.fins[i - 1] as usize };
        &self.octets[debut..self.fins[i] as usize]
    }
    pub fn len(&self) -> usize {
        self.fins.len()
    }
    pub fn is_empty(&self) -> bool {
        self.fins.is_empty()
    }
}

/// The ingested état des lieux. Columns are indexed by logement (`0..len()`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Dataset {
    pub bailleurs: Vec<String>,
    /// INSEE codes.
    pub communes: Vec<String>,
    pub reservataires: Vec<Reservataire>,
    pub perimetres: Vec<Perimetre>,
    pub cellules: Vec<Cellule>,
    pub parties: Vec<Partie>,

    pub rpls: Textes,
    #[serde(with = "super::colonnes")]
    pub cellule: Vec<u32>,
    /// Partie, or [`AUCUN`] when the logement is not reserved.
    #[serde(with = "super::colonnes")]
    pub partie: Vec<u32>,
    /// 0 = in the assiette, else `Motif as u8 + 1`.
    #[serde(with = "super::colonnes")]
    pub motif: Vec<u8>,
    /// [`DROIT_SIMPLE`] | [`DROIT_UTILISE`].
    #[serde(with = "super::colonnes")]
    pub droit: Vec<u8>,
    /// `date_fin` as days from the common era, or [`SANS_FIN`].
    #[serde(with = "super::colonnes")]
    pub fin: Vec<i32>,
    /// Observed `taux_rotation`, NaN when absent.
    #[serde(with = "super::colonnes")]
    pub taux: Vec<f64>,
    #[serde(with = "super::colonnes")]
    pub typologie: Vec<u8>,
    #[serde(with = "super::colonnes")]
    pub financement: Vec<u8>,
    #[serde(with = "super::colonnes")]
    pub qpv: Vec<u8>,
    /// Surface band (see [`BORNES_SURFACE`]).
    #[serde(with = "super::colonnes")]
    pub surface: Vec<u8>,
    /// Rent band (see [`BORNES_LOYER`]).
    #[serde(with = "super::colonnes")]
    pub loyer: Vec<u8>,
    /// 0 when unknown.
    #[serde(with = "super::colonnes")]
    pub annee_construction: Vec<u16>,
    /// Programme id (index into [`Dataset::programmes`]), or [`AUCUN`]; read it with
    /// [`Dataset::programme_de`]. Empty while no logement has a programme (most états des lieux
    /// have no such column: 4 bytes a logement written for nothing, 5.6 MB at 1.4 M), else one
    /// per logement.
    #[serde(with = "super::colonnes")]
    pub programme: Vec<u32>,
    /// Interned `programme` names.
    pub programmes: Vec<String>,

    /// Logements reserved by a commune, EPCI or EPT party (indices, ascending): the engine
    /// sums their τ per (partie, cellule) to place a commune's objective on its own reserved
    /// logements (SPEC §4.10 v2), without a second pass over the whole file.
    #[serde(with = "super::colonnes")]
    pub logements_communaux: Vec<u32>,
    /// Per cellule and motif byte: counts that no parameter changes.
    pub fixes: ComptesFixes,
    /// Rows rejected and warnings raised by the import (for alerts).
    pub nb_rejets: usize,
    pub nb_avertissements: usize,
}

impl Dataset {
    /// The rank of each réservataire in « by name » order, the tie-break order of the rounding:
    /// [`super::model::cle_de_tri`] (case- and accent-insensitive), then category. Each name is folded
    /// once per calculation; every convention then sorts its parties by these integers (names
    /// and categories are unique together, so the order is the same).
    pub fn rangs_par_nom(&self) -> Vec<u32> {
        let mut ordre: Vec<u32> = (0..self.reservataires.len() as u32).collect();
        ordre.sort_by_cached_key(|&r| {
            let x = &self.reservataires[r as usize];
            (super::model::cle_de_tri(&x.nom), x.categorie)
        });
        let mut rangs = vec![0; ordre.len()];
        for (k, &r) in ordre.iter().enumerate() {
            rangs[r as usize] = k as u32;
        }
        rangs
    }

    /// Room, in one step, for `num / den` times the logements (and `rpls` bytes) already here:
    /// the rows still to come, estimated from those read, then make no column grow (each growth
    /// would copy it). Pages reserved but never written cost nothing natively.
    pub fn reserver_au_prorata(&mut self, num: u64, den: u64) {
        let encore = |x: usize| (x as u128 * u128::from(num) / u128::from(den.max(1))) as usize;
        let (logements, octets_rpls) = (encore(self.len()), encore(self.rpls.octets.len()));
        self.rpls.octets.reserve_exact(octets_rpls);
        self.rpls.fins.reserve_exact(logements);
        self.reserver(logements);
    }

    /// Room for `n` more logements in every per-logement column, exactly.
    fn reserver(&mut self, n: usize) {
        self.cellule.reserve_exact(n);
        self.partie.reserve_exact(n);
        self.motif.reserve_exact(n);
        self.droit.reserve_exact(n);
        self.fin.reserve_exact(n);
        self.taux.reserve_exact(n);
        self.typologie.reserve_exact(n);
        self.financement.reserve_exact(n);
        self.qpv.reserve_exact(n);
        self.surface.reserve_exact(n);
        self.loyer.reserve_exact(n);
        self.annee_construction.reserve_exact(n);
        if !self.programme.is_empty() {
            self.programme.reserve_exact(n);
        }
    }

    /// Programme id of logement `i`, or [`AUCUN`].
    pub fn programme_de(&self, i: usize) -> u32 {
        self.programme.get(i).copied().unwrap_or(AUCUN)
    }

    pub fn len(&self) -> usize {
        self.cellule.len()
    }
    pub fn is_empty(&self) -> bool {
        self.cellule.is_empty()
    }
    pub fn categorie_partie(&self, partie: u32) -> Categorie {
        self.reservataires[self.parties[partie as usize].reservataire as usize].categorie
    }
    pub fn nom_bailleur(&self, perimetre: usize) -> &str {
        &self.bailleurs[self.perimetres[perimetre].bailleur as usize]
    }
    pub fn code_commune(&self, cellule: usize) -> &str {
        &self.communes[self.cellules[cellule].commune as usize]
    }
    /// Builds a dataset from logements (tests, generator, simple callers).
    pub fn depuis_logements<'a>(logements: impl IntoIterator<Item = Logement<'a>>) -> Dataset {
        let mut b = DatasetBuilder::default();
        for l in logements {
            b.push(&l);
        }
        b.finir()
    }
}

/// Interns names and appends logements; [`DatasetBuilder::finir`] indexes perimeters.
#[derive(Default)]
pub struct DatasetBuilder {
    ds: Dataset,
    bailleurs: FxHashMap<String, u32>,
    communes: FxHashMap<String, u32>,
    reservataires: FxHashMap<String, Vec<(Categorie, u32)>>,
    perimetres: FxHashMap<(u32, String), u32>,
    cellules: FxHashMap<(u32, u32), u32>,
    parties: FxHashMap<(u32, u32), u32>,
    programmes: FxHashMap<String, u32>,
    derniere_cellule: Option<(u32, u32, u32)>,
    /// The bailleur and commune of the last logement: consecutive rows mostly share them, and
    /// comparing with the interned name spares hashing it.
    dernier_bailleur: Option<u32>,
    derniere_commune: Option<u32>,
    /// The fixed counts of the rows `0..fixes_comptees`, made as parts are joined: the join runs
    /// on the main thread beside the readers, which leave it room, where the same counts made by
    /// `finir` after the reading cost 10–14 ms of the import's end (stop 27).
    fixes: fixes::Partage,
    fixes_comptees: usize,
}

fn interner(map: &mut FxHashMap<String, u32>, table: &mut Vec<String>, s: &str) -> u32 {
    if let Some(&i) = map.get(s) {
        return i;
    }
    let i = table.len() as u32;
    table.push(s.to_owned());
    map.insert(s.to_owned(), i);
    i
}

/// Default name of a réservataire given only by its category: the category label, and for a
/// commune the commune where the logement is ("Commune 93048").
pub fn nom_par_defaut(categorie: Categorie, commune: &str) -> String {
    match categorie {
        Categorie::Commune => format!("Commune {commune}"),
        c => c.nom_sortie().to_owned(),
    }
}

impl DatasetBuilder {
    pub fn len(&self) -> usize {
        self.ds.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ds.is_empty()
    }

    /// Réservataires interned so far (one per name and category).
    pub fn nb_reservataires(&self) -> usize {
        self.ds.reservataires.len()
    }

    fn bailleur(&mut self, nom: &str) -> u32 {
        let nom = if nom.is_empty() { "Bailleur" } else { nom };
        if let Some(b) = self.dernier_bailleur.filter(|&b| self.ds.bailleurs[b as usize] == nom) {
            return b;
        }
        let b = interner(&mut self.bailleurs, &mut self.ds.bailleurs, nom);
        self.dernier_bailleur = Some(b);
        b
    }

    fn commune(&mut self, code: &str) -> u32 {
        if let Some(c) = self.derniere_commune.filter(|&c| self.ds.communes[c as usize] == code) {
            return c;
        }
        let c = interner(&mut self.communes, &mut self.ds.communes, code);
        self.derniere_commune = Some(c);
        c
    }

    fn reservataire(&mut self, nom: &str, categorie: Categorie) -> u32 {
        if let Some(v) = self.reservataires.get(nom) {
            if let Some(&(_, i)) = v.iter().find(|(c, _)| *c == categorie) {
                return i;
            }
        }
        let i = self.ds.reservataires.len() as u32;
        self.ds.reservataires.push(Reservataire {
            nom: nom.to_owned(),
            categorie,
        });
        self.reservataires
            .entry(nom.to_owned())
            .or_default()
            .push((categorie, i));
        i
    }

    fn cellule(&mut self, bailleur: u32, commune: u32) -> u32 {
        if let Some((b, c, i)) = self.derniere_cellule {
            if (b, c) == (bailleur, commune) {
                return i;
            }
        }
        let i = match self.cellules.get(&(bailleur, commune)) {
            Some(&i) => i,
            None => {
                let dep = departement(&self.ds.communes[commune as usize]).to_owned();
                let perimetre = self.perimetre(bailleur, dep);
                let i = self.ds.cellules.len() as u32;
                self.ds.cellules.push(Cellule { perimetre, commune });
                self.cellules.insert((bailleur, commune), i);
                i
            }
        };
        self.derniere_cellule = Some((bailleur, commune, i));
        i
    }

    fn perimetre(&mut self, bailleur: u32, departement: String) -> u32 {
        let n = self.ds.perimetres.len() as u32;
        let perimetre = *self
            .perimetres
            .entry((bailleur, departement.clone()))
            .or_insert(n);
        if perimetre == n {
            self.ds.perimetres.push(Perimetre {
                bailleur,
                departement,
                ..Default::default()
            });
        }
        perimetre
    }

    fn partie(&mut self, perimetre: u32, reservataire: u32) -> u32 {
        let n = self.ds.parties.len() as u32;
        let i = *self.parties.entry((perimetre, reservataire)).or_insert(n);
        if i == n {
            self.ds.parties.push(Partie {
                perimetre,
                reservataire,
            });
        }
        i
    }

    /// Appends one logement, or `l.nb` identical ones (SPEC §2 v2: the row stands for that many
    /// logements everywhere). The commune code must be a valid INSEE code (checked by the import).
    pub fn push(&mut self, l: &Logement) {
        self.push_un(l);
        for _ in 1..l.nb {
            self.push_un(l);
        }
    }

    fn push_un(&mut self, l: &Logement) {
        let b = self.bailleur(l.bailleur);
        let c = self.commune(l.commune);
        let cellule = self.cellule(b, c);
        let categorie = l.categorie.unwrap_or(if l.reservataire.is_empty() {
            Categorie::NonReserve
        } else {
            Categorie::Autre
        });
        let partie = if categorie == Categorie::NonReserve || categorie == Categorie::Bailleur {
            AUCUN
        } else {
            let r = if l.reservataire.is_empty() {
                let nom = nom_par_defaut(categorie, l.commune);
                self.reservataire(&nom, categorie)
            } else {
                self.reservataire(l.reservataire, categorie)
            };
            self.partie(self.ds.cellules[cellule as usize].perimetre, r)
        };
        let ds = &mut self.ds;
        ds.rpls.push(l.rpls);
        ds.cellule.push(cellule);
        ds.partie.push(partie);
        ds.motif.push(l.hors_assiette.map_or(0, |m| m as u8 + 1));
        let simple = l.type_droit == TypeDroit::Simple;
        ds.droit.push(
            if simple { DROIT_SIMPLE } else { 0 } | if l.droit_utilise { DROIT_UTILISE } else { 0 },
        );
        ds.fin.push(
            l.date_fin
                .map_or(SANS_FIN, |d| chrono::Datelike::num_days_from_ce(&d)),
        );
        ds.taux.push(l.taux_rotation.unwrap_or(f64::NAN));
        ds.typologie.push(l.typologie);
        ds.financement.push(l.financement);
        ds.qpv.push(l.qpv);
        ds.surface.push(tranche(l.surface, &BORNES_SURFACE));
        ds.loyer.push(tranche(l.loyer, &BORNES_LOYER));
        ds.annee_construction
            .push(l.annee_construction.unwrap_or(0));
        if !l.programme.is_empty() {
            let programme = interner(&mut self.programmes, &mut self.ds.programmes, l.programme);
            // The first programme met: the logements before it get their AUCUN now.
            let avant = self.ds.len() - 1;
            self.ds.programme.resize(avant, AUCUN);
            self.ds.programme.push(programme);
        } else if !self.ds.programme.is_empty() {
            self.ds.programme.push(AUCUN);
        }
    }

    /// Appends another dataset (e.g. the second half of a file parsed on another thread),
    /// re-interning its names so that ids stay dense and unique.
    pub fn ajouter(&mut self, autre: &Dataset) {
        let bailleurs: Vec<u32> = autre.bailleurs.iter().map(|n| self.bailleur(n)).collect();
        let communes: Vec<u32> = autre
            .communes
            .iter()
            .map(|n| interner(&mut self.communes, &mut self.ds.communes, n))
            .collect();
        let reservataires: Vec<u32> = autre
            .reservataires
            .iter()
            .map(|r| self.reservataire(&r.nom, r.categorie))
            .collect();
        let cellules: Vec<u32> = autre
            .cellules
            .iter()
            .map(|c| {
                let b = bailleurs[autre.perimetres[c.perimetre as usize].bailleur as usize];
                self.cellule(b, communes[c.commune as usize])
            })
            .collect();
        let perimetres: Vec<u32> = autre
            .perimetres
            .iter()
            .map(|p| self.perimetre(bailleurs[p.bailleur as usize], p.departement.clone()))
            .collect();
        let parties: Vec<u32> = autre
            .parties
            .iter()
            .map(|p| {
                self.partie(
                    perimetres[p.perimetre as usize],
                    reservataires[p.reservataire as usize],
                )
            })
            .collect();
        let programmes: Vec<u32> = autre
            .programmes
            .iter()
            .map(|n| interner(&mut self.programmes, &mut self.ds.programmes, n))
            .collect();
        let ds = &mut self.ds;
        let avant = ds.len();
        // Exact growth: the rows of a large file arrive in a few big parts, and doubling a
        // column's capacity at each would cost up to twice the dataset (wasm memory never shrinks).
        ds.rpls.octets.reserve_exact(autre.rpls.octets.len());
        ds.rpls.fins.reserve_exact(autre.rpls.len());
        ds.reserver(autre.len());
        ds.rpls.ajouter(&autre.rpls);
        ds.cellule
            .extend(autre.cellule.iter().map(|&c| cellules[c as usize]));
        ds.partie.extend(autre.partie.iter().map(|&p| {
            if p == AUCUN {
                AUCUN
            } else {
                parties[p as usize]
            }
        }));
        ds.motif.extend_from_slice(&autre.motif);
        ds.droit.extend_from_slice(&autre.droit);
        ds.fin.extend_from_slice(&autre.fin);
        ds.taux.extend_from_slice(&autre.taux);
        ds.typologie.extend_from_slice(&autre.typologie);
        ds.financement.extend_from_slice(&autre.financement);
        ds.qpv.extend_from_slice(&autre.qpv);
        ds.surface.extend_from_slice(&autre.surface);
        ds.loyer.extend_from_slice(&autre.loyer);
        ds.annee_construction
            .extend_from_slice(&autre.annee_construction);
        if !(ds.programme.is_empty() && autre.programme.is_empty()) {
            ds.programme.resize(avant, AUCUN);
            ds.programme.extend(
                (0..autre.len())
                    .map(|i| autre.programme_de(i))
                    .map(|p| if p == AUCUN { AUCUN } else { programmes[p as usize] }),
            );
        }
        // The rows not counted yet (the first part's, at the first join) and the new ones.
        self.fixes.compter_lignes(&self.ds, self.fixes_comptees..self.ds.len());
        self.fixes_comptees = self.ds.len();
    }

    /// An empty builder whose per-logement columns reuse `ancien`'s memory (emptied, their room
    /// kept). The command line's join hands each part it has copied back to the threads reading
    /// the next ranges: its pages are already the process's, where fresh ones would cost a page
    /// fault each (stop 25: about 7 000 on a region's file).
    pub fn avec_colonnes_de(ancien: Dataset) -> DatasetBuilder {
        fn vide<T>(mut v: Vec<T>) -> Vec<T> {
            v.clear();
            v
        }
        let mut rpls = ancien.rpls;
        rpls.octets.clear();
        rpls.fins.clear();
        let ds = Dataset {
            rpls,
            cellule: vide(ancien.cellule),
            partie: vide(ancien.partie),
            motif: vide(ancien.motif),
            droit: vide(ancien.droit),
            fin: vide(ancien.fin),
            taux: vide(ancien.taux),
            typologie: vide(ancien.typologie),
            financement: vide(ancien.financement),
            qpv: vide(ancien.qpv),
            surface: vide(ancien.surface),
            loyer: vide(ancien.loyer),
            annee_construction: vide(ancien.annee_construction),
            programme: vide(ancien.programme),
            ..Dataset::default()
        };
        DatasetBuilder { ds, ..DatasetBuilder::default() }
    }

    /// A builder that goes on from rows and tables already appended elsewhere (the part of a file
    /// a browser worker read, see `import::plages`): the name indexes are rebuilt from the tables,
    /// the rows are kept as they are (no copy).
    pub fn depuis_brut(ds: Dataset) -> DatasetBuilder {
        fn index(table: &[String]) -> FxHashMap<String, u32> {
            table.iter().enumerate().map(|(i, n)| (n.clone(), i as u32)).collect()
        }
        let mut reservataires: FxHashMap<String, Vec<(Categorie, u32)>> = FxHashMap::default();
        for (i, r) in ds.reservataires.iter().enumerate() {
            reservataires.entry(r.nom.clone()).or_default().push((r.categorie, i as u32));
        }
        DatasetBuilder {
            bailleurs: index(&ds.bailleurs),
            communes: index(&ds.communes),
            reservataires,
            perimetres: ds
                .perimetres
                .iter()
                .enumerate()
                .map(|(i, p)| ((p.bailleur, p.departement.clone()), i as u32))
                .collect(),
            cellules: ds
                .cellules
                .iter()
                .enumerate()
                .map(|(i, c)| ((ds.perimetres[c.perimetre as usize].bailleur, c.commune), i as u32))
                .collect(),
            parties: ds
                .parties
                .iter()
                .enumerate()
                .map(|(i, p)| ((p.perimetre, p.reservataire), i as u32))
                .collect(),
            programmes: index(&ds.programmes),
            derniere_cellule: None,
            dernier_bailleur: None,
            derniere_commune: None,
            fixes: Default::default(),
            fixes_comptees: 0,
            ds,
        }
    }

    /// [`Dataset::reserver_au_prorata`] on the rows appended so far.
    pub fn reserver_au_prorata(&mut self, num: u64, den: u64) {
        self.ds.reserver_au_prorata(num, den);
    }

    /// The rows and tables as appended, not indexed (to be [`DatasetBuilder::ajouter`]-ed elsewhere).
    pub fn brut(self) -> Dataset {
        self.ds
    }

    /// Indexes perimeters (their cellules and parties) and the territories of commune-scale parties.
    pub fn finir(mut self) -> Dataset {
        let ds = &mut self.ds;
        for p in &mut ds.perimetres {
            p.cellules.clear();
            p.parties.clear();
        }
        for (i, c) in ds.cellules.iter().enumerate() {
            ds.perimetres[c.perimetre as usize].cellules.push(i as u32);
        }
        for (i, p) in ds.parties.iter().enumerate() {
            ds.perimetres[p.perimetre as usize].parties.push(i as u32);
        }
        let communale: Vec<bool> = ds
            .parties
            .iter()
            .map(|p| ds.reservataires[p.reservataire as usize].categorie.territoriale())
            .collect();
        // Each core takes its share of the rows: it lists its communal logements, in order, and
        // counts those the joins have not counted (all of them when nothing was joined).
        let ds_lu = &*ds;
        let (n, blocs, deja) = (ds_lu.len(), super::parallele::coeurs(), self.fixes_comptees);
        let taille = n.div_ceil(blocs).max(1);
        let parts = super::parallele::en_parallele(blocs, |b| {
            let lignes = (b * taille).min(n)..((b + 1) * taille).min(n);
            let mut fixes = fixes::Partage::default();
            fixes.compter_lignes(ds_lu, lignes.start.max(deja)..lignes.end.max(deja));
            let communaux: Vec<u32> = lignes
                .filter(|&i| {
                    let p = ds_lu.partie[i];
                    p != AUCUN && communale[p as usize]
                })
                .map(|i| i as u32)
                .collect();
            (fixes, communaux)
        });
        let (mut fixes, communaux): (Vec<_>, Vec<_>) = parts.into_iter().unzip();
        fixes.push(self.fixes);
        ds.fixes = ComptesFixes::assembler(ds_lu, fixes);
        ds.logements_communaux = communaux.concat();
        self.ds
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small exports-shaped état des lieux (5 000 logements, 7 bailleurs, motifs and communal
    /// réservataires), imported.
    pub(crate) fn petit_jeu_exports() -> Dataset {
        let mut texte = Vec::new();
        crate::generate::generer_exports(&mut texte, 5_000, 7, 3).unwrap();
        let ds = crate::import::lire(&texte, &Default::default()).unwrap().dataset;
        assert!(ds.cellules.len() > 2);
        ds
    }

    /// The communal logements `finir` lists on the cores (each its share of the rows) are those
    /// of a plain pass, in order; its fixed counts are those of [`ComptesFixes::compter`] (tested
    /// against a dense count in `fixes`).
    #[test]
    fn final_counts_split_over_cores_equal_one_pass() {
        let ds = petit_jeu_exports();
        assert!(ds.fixes == ComptesFixes::compter(&ds, 1));
        let communaux: Vec<u32> = (0..ds.len() as u32)
            .filter(|&i| {
                let p = ds.partie[i as usize];
                p != AUCUN && ds.categorie_partie(p).territoriale()
            })
            .collect();
        assert!(!communaux.is_empty());
        assert_eq!(ds.logements_communaux, communaux);
    }

    /// The programme column stays empty until a logement has one; from then on it holds one id
    /// per logement, and every logement reads the same programme whether the rows were pushed
    /// one by one or joined from parts, with or without programmes.
    #[test]
    fn programme_column_is_filled_from_the_first_programme() {
        let logement = |rpls: &'static str, programme: &'static str| Logement {
            rpls,
            commune: "93048",
            programme,
            ..Default::default()
        };
        let sans = || (0..3).map(|_| logement("A", ""));
        let ds = Dataset::depuis_logements(sans());
        assert!(ds.programme.is_empty());
        assert_eq!(ds.programme_de(1), AUCUN);

        let rangees = ["", "", "Les Tilleuls", "", "Cité Étoile", "Les Tilleuls"];
        let attendu: Vec<Option<String>> = rangees.iter().map(|p| (!p.is_empty()).then(|| p.to_string())).collect();
        let lu = |ds: &Dataset| -> Vec<Option<String>> {
            assert!(ds.programme.is_empty() || ds.programme.len() == ds.len());
            (0..ds.len())
                .map(|i| Some(ds.programme_de(i)).filter(|&p| p != AUCUN).map(|p| ds.programmes[p as usize].clone()))
                .collect()
        };
        let un_par_un = Dataset::depuis_logements(rangees.iter().map(|&p| logement("A", p)));
        assert_eq!(lu(&un_par_un), attendu);
        // Joined in every split: parts with and without programmes, in both orders.
        for coupe in 0..=rangees.len() {
            let partie = |r: &[&'static str]| {
                let mut b = DatasetBuilder::default();
                r.iter().for_each(|&p| b.push(&logement("A", p)));
                b.brut()
            };
            let mut b = DatasetBuilder::depuis_brut(partie(&rangees[..coupe]));
            b.ajouter(&partie(&rangees[coupe..]));
            assert_eq!(lu(&b.finir()), attendu, "coupe {coupe}");
        }
    }
}

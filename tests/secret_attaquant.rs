//! The attacker of SPEC §5 v2: from the published files alone (`communes.csv`, `epci.csv`,
//! `departements.csv`), it writes every linear relation it knows — row totals (logements − assiette
//! = Σ motifs, flux = Σ expected logements), level differences (an EPCI/EPT or a département = Σ of
//! its communes, a département = Σ of its EPCI/EPT + the communes outside them) — and solves them
//! together (Gaussian elimination over the masked cells). No masked value may come out. It also
//! checks that every small count is masked, and that a volume is never published next to a masked
//! count (droits simples: volume = count).

use gestion_flux::domain::model::Motif;
use gestion_flux::domain::secret::masquer;
use gestion_flux::domain::{calculer_avec, Categorie, Parametres};
use gestion_flux::geo::Geographie;
use gestion_flux::{export, import};
use proptest::prelude::*;

/// A published table: header and cells (`None` = « s »).
struct Table {
    entetes: Vec<String>,
    lignes: Vec<Vec<(String, Option<f64>)>>,
}

fn lire(octets: &[u8]) -> Table {
    let texte = String::from_utf8(octets.to_vec()).unwrap();
    let mut l = texte.trim_start_matches('\u{feff}').lines();
    let entetes: Vec<String> = l.next().unwrap().split(';').map(String::from).collect();
    let lignes = l
        .map(|x| {
            x.split(';')
                .map(|c| {
                    let v = if c == "s" { None } else { c.replace(',', ".").replace('\u{202f}', "").parse::<f64>().ok().or(Some(f64::NAN)) };
                    (c.to_owned(), v)
                })
                .collect()
        })
        .collect();
    Table { entetes, lignes }
}

impl Table {
    fn col(&self, nom: &str) -> usize {
        self.entetes.iter().position(|e| e == nom).unwrap_or_else(|| panic!("{nom}"))
    }
}

/// A linear relation Σ coef × cell = constant, over (table, row, column) cells.
type Relation = Vec<(f64, (usize, usize, usize))>;

/// Every relation the attacker knows.
fn relations(t: &[Table; 3]) -> Vec<Relation> {
    let mut r = Vec::new();
    let motifs: Vec<String> = Motif::TOUS.iter().map(|m| format!("hors_assiette_{}", m.code())).collect();
    let attendus: Vec<String> = Categorie::RESERVANTES.iter().chain(&[Categorie::Bailleur]).map(|c| format!("logements_par_an_{}", c.code())).collect();
    for (n, table) in t.iter().enumerate() {
        for i in 0..table.lignes.len() {
            // logements − assiette = hors_assiette = Σ motifs
            let mut a: Relation = vec![(1.0, (n, i, table.col("logements"))), (-1.0, (n, i, table.col("assiette")))];
            a.extend(motifs.iter().map(|m| (-1.0, (n, i, table.col(m)))));
            r.push(a);
            // flux = Σ expected logements
            let mut b: Relation = vec![(1.0, (n, i, table.col("flux_annuel")))];
            b.extend(attendus.iter().map(|m| (-1.0, (n, i, table.col(m)))));
            r.push(b);
        }
    }
    // Levels: EPCI (by `epci`), département (by `departement`) = Σ communes; département = Σ of
    // its EPCIs wholly inside it + its communes outside them.
    let communes = &t[0];
    let (c_epci, c_dep) = (communes.col("epci"), communes.col("departement"));
    let colonnes: Vec<String> = communes.entetes[4..].to_vec();
    for (n, parents) in [(1usize, &t[1]), (2, &t[2])] {
        for (p, parent) in parents.lignes.iter().enumerate() {
            let code = &parent[0].0;
            let lien = if n == 1 { c_epci } else { c_dep };
            let enfants: Vec<usize> = (0..communes.lignes.len()).filter(|&k| &communes.lignes[k][lien].0 == code).collect();
            for nom in &colonnes {
                let mut rel: Relation = vec![(1.0, (n, p, parents.col(nom)))];
                rel.extend(enfants.iter().map(|&k| (-1.0, (0, k, communes.col(nom)))));
                r.push(rel);
            }
        }
    }
    for (p, dep) in t[2].lignes.iter().enumerate() {
        let code = &dep[0].0;
        let dedans: Vec<usize> = (0..t[1].lignes.len())
            .filter(|&e| {
                let ce = &t[1].lignes[e][0].0;
                let k: Vec<usize> = (0..communes.lignes.len()).filter(|&k| &communes.lignes[k][c_epci].0 == ce).collect();
                !k.is_empty() && k.iter().all(|&k| &communes.lignes[k][c_dep].0 == code)
            })
            .collect();
        let codes: Vec<&String> = dedans.iter().map(|&e| &t[1].lignes[e][0].0).collect();
        let seules: Vec<usize> = (0..communes.lignes.len()).filter(|&k| &communes.lignes[k][c_dep].0 == code && !codes.contains(&&communes.lignes[k][c_epci].0)).collect();
        for nom in &colonnes {
            let mut rel: Relation = vec![(1.0, (2, p, t[2].col(nom)))];
            rel.extend(dedans.iter().map(|&e| (-1.0, (1, e, t[1].col(nom)))));
            rel.extend(seules.iter().map(|&k| (-1.0, (0, k, communes.col(nom)))));
            r.push(rel);
        }
    }
    r
}

/// The masked cells that the relations determine.
fn retrouvees(t: &[Table; 3]) -> Vec<String> {
    let mut inconnues: Vec<(usize, usize, usize)> = Vec::new();
    for (n, table) in t.iter().enumerate() {
        for (i, l) in table.lignes.iter().enumerate() {
            for (j, c) in l.iter().enumerate() {
                if c.1.is_none() {
                    inconnues.push((n, i, j));
                }
            }
        }
    }
    let m = inconnues.len();
    if m == 0 {
        return Vec::new();
    }
    let mut lignes: Vec<Vec<f64>> = Vec::new();
    for rel in relations(t) {
        let mut v = vec![0.0; m];
        let mut inconnue = false;
        for (coef, (n, i, j)) in rel {
            if t[n].lignes[i][j].1.is_none() {
                v[inconnues.iter().position(|&x| x == (n, i, j)).unwrap()] += coef;
                inconnue = true;
            }
        }
        if inconnue {
            lignes.push(v);
        }
    }
    // Reduced row echelon form: an unknown is determined iff a row has it as its only non-zero.
    let mut pivot = 0;
    for col in 0..m {
        let Some(k) = (pivot..lignes.len()).find(|&k| lignes[k][col].abs() > 1e-9) else { continue };
        lignes.swap(pivot, k);
        let p = lignes[pivot][col];
        for x in lignes[pivot].iter_mut() {
            *x /= p;
        }
        for k in 0..lignes.len() {
            if k != pivot && lignes[k][col].abs() > 1e-9 {
                let f = lignes[k][col];
                let base = lignes[pivot].clone();
                for (x, y) in lignes[k].iter_mut().zip(&base) {
                    *x -= f * y;
                }
            }
        }
        pivot += 1;
    }
    lignes
        .iter()
        .filter_map(|l| {
            let nz: Vec<usize> = (0..m).filter(|&j| l[j].abs() > 1e-9).collect();
            (nz.len() == 1).then(|| {
                let (n, i, j) = inconnues[nz[0]];
                format!("{} {} / {}", ["commune", "epci", "departement"][n], t[n].lignes[i][0].0, t[n].entetes[j])
            })
        })
        .collect()
}

/// The published files of a CSV état des lieux.
fn publier(csv: &str, seuil: u32) -> [Table; 3] {
    let ds = import::lire_csv(csv.as_bytes()).unwrap().dataset;
    let p = Parametres { date_conversion: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), secret_statistique: seuil, ..Default::default() };
    let r = calculer_avec(&ds, &p, Some(Geographie::officielle()));
    let m = masquer(&r.communes, seuil);
    [
        lire(&export::vue_csv(&r.communes.communes, "commune", &m.communes)),
        lire(&export::vue_csv(&r.communes.epci, "code", &m.epci)),
        lire(&export::vue_csv(&r.communes.departements, "code", &m.departements)),
    ]
}

/// Every small count masked, and no volume published next to a masked count.
fn primaires_et_volumes(t: &[Table; 3], seuil: u32) -> Result<(), String> {
    for (n, table) in t.iter().enumerate().take(2) {
        for l in &table.lignes {
            for (j, e) in table.entetes.iter().enumerate() {
                if e.starts_with("reserves_") || e.starts_with("hors_assiette_") {
                    if let Some(v) = l[j].1 {
                        if v >= 1.0 && v < f64::from(seuil) {
                            return Err(format!("{} {}: {e} = {v} published", ["commune", "epci"][n], l[0].0));
                        }
                    }
                }
                if let Some(c) = e.strip_prefix("reserves_") {
                    let vol = table.col(&format!("volume_{c}"));
                    if l[j].1.is_none() && l[vol].1.is_some() {
                        return Err(format!("{}: volume_{c} published next to a masked count", l[0].0));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Communes of Est Ensemble (EPT, 93) and one of Paris Terres d'Envol, and one in the 94.
const COMMUNES: [&str; 6] = ["93048", "93066", "93010", "93055", "93005", "94028"];
const RESERVATAIRES: [(&str, &str); 5] = [("Action Logement", "action_logement"), ("Ville", "commune"), ("RATP", "employeur"), ("Préfecture", "etat_prioritaires"), ("Ministère", "ministere")];

fn etat(lignes: &[(usize, usize, usize, u8)]) -> String {
    let mut s = String::from("rpls;bailleur;commune;reservataire;categorie;type_droit;date_fin;hors_assiette\n");
    for (k, &(c, r, h, simple)) in lignes.iter().enumerate() {
        let (nom, cat) = if r < RESERVATAIRES.len() { RESERVATAIRES[r] } else { ("", "") };
        let motif = ["", "", "", "vente", "lhi", "mutation"][h % 6];
        let droit = if simple % 2 == 0 { "simple" } else { "suite" };
        s.push_str(&format!("L{k};{};{};{nom};{cat};{droit};31/12/2040;{motif}\n", if k % 3 == 0 { "B1" } else { "B2" }, COMMUNES[c]));
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, ..ProptestConfig::default() })]

    #[test]
    fn no_masked_value_can_be_recomputed(lignes in proptest::collection::vec((0..COMMUNES.len(), 0..8usize, 0..12usize, any::<u8>()), 20..260), seuil in 2u32..8) {
        let t = publier(&etat(&lignes), seuil);
        primaires_et_volumes(&t, seuil).map_err(TestCaseError::fail)?;
        let r = retrouvees(&t);
        prop_assert!(r.is_empty(), "recovered: {r:?}");
    }
}

/// The golden fixture of the command line, as published.
#[test]
fn the_golden_fixture_leaks_nothing() {
    let csv = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cas/golden/etat_des_lieux.csv")).unwrap();
    let t = publier(&csv, 5);
    primaires_et_volumes(&t, 5).unwrap();
    assert_eq!(retrouvees(&t), Vec::<String>::new());
    let masquees: usize = t.iter().flat_map(|x| &x.lignes).flatten().filter(|c| c.1.is_none()).count();
    assert!(masquees > 0, "the fixture has small counts");
}

/// The attacker is not blind: on the v1 publication (small counts only), it recovers them.
#[test]
fn the_attacker_recovers_what_v1_published() {
    let lignes: Vec<(usize, usize, usize, u8)> = (0..40).map(|k| (0, if k < 2 { 0 } else { 9 }, if k == 5 { 3 } else { 0 }, 1)).collect();
    let mut t = publier(&etat(&lignes), 0);
    // Mask the two small counts only, as v1 did.
    for table in t.iter_mut().take(1) {
        let (r, h) = (table.col("reserves_action_logement"), table.col("hors_assiette_vente"));
        for l in &mut table.lignes {
            l[r].1 = None;
            l[h].1 = None;
        }
    }
    let r = retrouvees(&t);
    assert!(r.iter().any(|x| x.contains("hors_assiette_vente")), "{r:?}");
}


/// The counts the app and the workbook's note say (`Masque`, per level and per reason) are the « s »
/// cells of the published files.
#[test]
fn the_counts_said_are_the_cells_marked() {
    let csv = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cas/golden/etat_des_lieux.csv")).unwrap();
    let ds = import::lire_csv(csv.as_bytes()).unwrap().dataset;
    let p = Parametres { date_conversion: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), ..Default::default() };
    let r = calculer_avec(&ds, &p, Some(Geographie::officielle()));
    let m = masquer(&r.communes, p.secret_statistique);
    let marques = |octets: Vec<u8>| lire(&octets).lignes.iter().flatten().filter(|c| c.0 == "s").count();
    let par_niveau = [
        (marques(export::vue_csv(&r.communes.communes, "commune", &m.communes)), m.communes.nombre()),
        (marques(export::vue_csv(&r.communes.epci, "code", &m.epci)), m.epci.nombre()),
        (marques(export::vue_csv(&r.communes.departements, "code", &m.departements)), m.departements.nombre()),
    ];
    for (fichier, dit) in par_niveau {
        assert_eq!(fichier, dit);
    }
    assert_eq!(par_niveau.iter().map(|x| x.0).sum::<usize>(), m.total() as usize);
    assert!(m.primaires > 0 && m.derivees > 0 && m.complementaires > 0, "{m:?}");
    assert!(export::note_secret(&m).contains(&format!("Cases masquées : {} ({} petits effectifs", m.total(), m.primaires)));
}

//! The results as one XLSX workbook (SPEC §5 « Exports … XLSX »): typed numeric cells, percent
//! formats, one sheet per table — Paramètres, Conventions, Étalement, Objectifs, Vue communale,
//! EPCI-EPT, Départements.
//!
//! Two halves: [`feuilles`] lays the results out as plain tables (no XLSX code), and
//! [`ecrire_xlsx`] writes any tables with `rust_xlsxwriter`. In the browser the second half runs in
//! a Web Worker (`src/bin/classeur.rs`), so that the XLSX writer stays out of the page's module.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};
use serde::{Deserialize, Serialize};

use super::{cellules_vue, conventions, entetes_vue, Cellule};
use crate::domain::agregation::LigneCommunale;
use crate::domain::{Parametres, Resultats};

/// One sheet: a name, a header row, typed rows, and the rows/columns kept visible when scrolling.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Feuille {
    pub nom: String,
    pub entetes: Vec<String>,
    pub lignes: Vec<Vec<Cellule>>,
    pub colonnes_figees: u16,
}

/// The workbook's bytes (native callers: the CLI and the tests).
pub fn classeur_xlsx(r: &Resultats, p: &Parametres) -> Vec<u8> {
    ecrire_xlsx(&feuilles(r, p, &crate::domain::secret::masquer(&r.communes, p.secret_statistique)))
}

/// The results as tables; the communal sheets are the published view and apply `masque`, the
/// statistical secrecy of `r.communes` decided by `domain::secret::masquer` (SPEC §5 v2).
pub fn feuilles(r: &Resultats, p: &Parametres, masque: &crate::domain::secret::Masque) -> Vec<Feuille> {
    let texte = |s: &str| Cellule::Texte(s.to_owned());
    let mut parametres = Vec::new();
    aplatir("", &serde_json::to_value(p).unwrap_or_default(), &mut parametres);
    let parametres = parametres
        .into_iter()
        .map(|(cle, v)| {
            let valeur = match v {
                serde_json::Value::Number(n) => Cellule::Nombre(n.as_f64().unwrap_or(0.0), 6),
                serde_json::Value::String(s) => Cellule::Texte(s),
                v => Cellule::Texte(v.to_string()),
            };
            vec![Cellule::Texte(cle), valeur]
        })
        .collect();
    let conventions = r
        .perimetres
        .iter()
        .flat_map(|per| {
            per.parts.iter().map(move |x| {
                vec![
                    texte(&per.bailleur),
                    texte(&per.departement),
                    Cellule::Nombre(per.flux_annuel, 3),
                    Cellule::Entier(per.assiette as u64),
                    texte(&x.reservataire),
                    texte(x.categorie.code()),
                    Cellule::Entier(x.logements_reserves as u64),
                    Cellule::Nombre(x.volume_droits, 3),
                    Cellule::Pourcent(x.part),
                    Cellule::Nombre(x.logements_par_an, 3),
                    x.annees_epuisement.map_or(Cellule::Texte(String::new()), |a| Cellule::Nombre(a, 2)),
                    texte(&conventions::annees(&x.annees_nommees)),
                ]
            })
        })
        .collect();
    let etalement = r
        .perimetres
        .iter()
        .flat_map(|per| {
            per.etalement.lignes.iter().map(move |l| {
                let partie = &per.parts[l.partie as usize];
                vec![
                    texte(&per.bailleur),
                    texte(&per.departement),
                    Cellule::Entier(l.annee as u64),
                    texte(&partie.reservataire),
                    texte(partie.categorie.code()),
                    Cellule::Nombre(l.offerts, 3),
                    l.volume_restant.map_or(Cellule::Texte(String::new()), |v| Cellule::Nombre(v, 3)),
                    Cellule::Nombre(l.exact, 6),
                ]
            })
        })
        .collect();
    let objectifs = r
        .perimetres
        .iter()
        .flat_map(|per| {
            per.objectifs.iter().map(move |o| {
                let partie = &per.parts[o.partie];
                vec![
                    texte(&per.bailleur),
                    texte(&per.departement),
                    texte(&partie.reservataire),
                    texte(partie.categorie.code()),
                    texte(o.commune.as_deref().unwrap_or("")),
                    Cellule::Nombre(o.logements_par_an, 3),
                ]
            })
        })
        .collect();
    let vue = |nom: &str, premiere: &str, lignes: &[LigneCommunale], m: &crate::domain::secret::MasqueNiveau| Feuille {
        nom: nom.into(),
        entetes: entetes_vue(premiere),
        lignes: lignes.iter().map(|l| cellules_vue(l, m)).collect(),
        colonnes_figees: 2,
    };
    vec![
        Feuille { nom: "Paramètres".into(), entetes: vec!["parametre".into(), "valeur".into()], lignes: parametres, colonnes_figees: 1 },
        Feuille { nom: "Conventions".into(), entetes: conventions::ENTETES.map(String::from).to_vec(), lignes: conventions, colonnes_figees: 0 },
        Feuille {
            nom: "Étalement".into(),
            entetes: super::ENTETES_ETALEMENT.map(String::from).to_vec(),
            lignes: etalement,
            colonnes_figees: 0,
        },
        Feuille { nom: "Objectifs".into(), entetes: super::ENTETES_OBJECTIFS.map(String::from).to_vec(), lignes: objectifs, colonnes_figees: 0 },
        vue("Vue communale", "commune", &r.communes.communes, &masque.communes),
        vue("EPCI-EPT", "epci", &r.communes.epci, &masque.epci),
        vue("Départements", "departement", &r.communes.departements, &masque.departements),
        Feuille {
            nom: "Secret statistique".into(),
            entetes: vec!["note".into()],
            lignes: vec![vec![texte(&super::note_secret(&masque))]],
            colonnes_figees: 0,
        },
    ]
}

/// Writes tables as an XLSX workbook: bold headers, numbers as numbers (2 decimals shown),
/// percentages with a percent format, text as text (never evaluated as a formula).
pub fn ecrire_xlsx(feuilles: &[Feuille]) -> Vec<u8> {
    construire(feuilles).and_then(|mut w| w.save_to_buffer()).expect("classeur XLSX constructible")
}

fn construire(feuilles: &[Feuille]) -> Result<Workbook, XlsxError> {
    let mut w = Workbook::new();
    // A fixed creation date: the same results give the same file.
    w.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title("Conversion des réservations du stock au flux")
            .set_creation_datetime(&ExcelDateTime::from_ymd(2026, 1, 1)?),
    );
    let gras = Format::new().set_bold();
    let pourcent = Format::new().set_num_format("0.00%");
    let decimal = Format::new().set_num_format("#,##0.00");
    for f in feuilles {
        let ws = w.add_worksheet().set_name(&f.nom)?;
        for (j, e) in f.entetes.iter().enumerate() {
            ws.write_string_with_format(0, j as u16, e, &gras)?;
        }
        for (i, ligne) in f.lignes.iter().enumerate() {
            for (j, c) in ligne.iter().enumerate() {
                let (i, j) = (i as u32 + 1, j as u16);
                match c {
                    Cellule::Texte(t) if t.is_empty() => continue,
                    Cellule::Texte(t) => ws.write_string(i, j, t)?,
                    Cellule::Entier(n) => ws.write_number(i, j, *n as f64)?,
                    Cellule::Nombre(x, _) => ws.write_number_with_format(i, j, *x, &decimal)?,
                    Cellule::Pourcent(x) => ws.write_number_with_format(i, j, *x, &pourcent)?,
                };
            }
        }
        ws.set_freeze_panes(1, f.colonnes_figees)?;
    }
    Ok(w)
}

/// `{"rotation": {"mode": "unique"}}` → `("rotation.mode", "unique")` (SPEC §3 names).
fn aplatir(prefixe: &str, v: &serde_json::Value, sortie: &mut Vec<(String, serde_json::Value)>) {
    match v {
        serde_json::Value::Object(m) if !m.is_empty() => {
            for (k, x) in m {
                let cle = if prefixe.is_empty() { k.clone() } else { format!("{prefixe}.{k}") };
                aplatir(&cle, x, sortie);
            }
        }
        serde_json::Value::Array(a) => sortie.push((
            prefixe.to_owned(),
            serde_json::Value::String(
                a.iter().map(|x| x.as_str().map(str::to_owned).unwrap_or_else(|| x.to_string())).collect::<Vec<_>>().join(", "),
            ),
        )),
        x => sortie.push((prefixe.to_owned(), x.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calculer;
    use crate::import::lire_csv;
    use calamine::{Data, Reader, Xlsx};
    use chrono::Datelike;

    #[test]
    fn numbers_are_numbers_and_every_table_has_its_sheet() {
        let csv = "rpls;bailleur;commune;reservataire;categorie;type_droit;date_fin\nA;B;93048;AL;action_logement;suite;31/12/2040\nC;B;93048;;;;\nD;B;93066;=X;commune;suite;31/12/2030\n";
        let p = Parametres::default();
        let r = calculer(&lire_csv(csv.as_bytes()).unwrap().dataset, &p);
        // The tables survive the trip to the worker (JSON) unchanged.
        let tables = feuilles(&r, &p, &crate::domain::secret::masquer(&r.communes, p.secret_statistique));
        let json = serde_json::to_string(&tables).unwrap();
        assert_eq!(serde_json::from_str::<Vec<Feuille>>(&json).unwrap(), tables);
        let octets = ecrire_xlsx(&tables);
        assert_eq!(octets, classeur_xlsx(&r, &p));
        let mut x: Xlsx<_> = Xlsx::new(std::io::Cursor::new(octets)).unwrap();
        assert_eq!(x.sheet_names(), ["Paramètres", "Conventions", "Étalement", "Objectifs", "Vue communale", "EPCI-EPT", "Départements", "Secret statistique"]);
        let conv = x.worksheet_range("Conventions").unwrap();
        let al = conv.rows().find(|l| l[4] == Data::String("AL".into())).unwrap();
        // part_du_parc: 1 reserved logement of 3 in the 93 assiette, a number, not text.
        assert_eq!(al[8], Data::Float(1.0 / 3.0));
        assert!(matches!(al[2], Data::Float(_)));
        // Text that looks like a formula stays text (never evaluated).
        assert!(conv.rows().any(|l| l[4] == Data::String("=X".into())));
        // Étalement in calendar years with the category (SPEC §6 v2); objectives per commune.
        let annee = f64::from(p.date_conversion.year());
        let et = x.worksheet_range("Étalement").unwrap();
        assert_eq!(et.get((1, 2)), Some(&Data::Float(annee)));
        assert_eq!(et.get((1, 4)), Some(&Data::String("etat_prioritaires".into())));
        let obj = x.worksheet_range("Objectifs").unwrap();
        assert!(obj.rows().any(|l| l[2] == Data::String("=X".into()) && l[4] == Data::String("93066".into())));
        let params = x.worksheet_range("Paramètres").unwrap();
        assert!(params.rows().any(|l| l[0] == Data::String("rotation.taux_unique".into()) && l[1] == Data::Float(0.063)));
        let vue = x.worksheet_range("Vue communale").unwrap();
        assert_eq!(vue.get((0, 0)), Some(&Data::String("commune".into())));
        // Commune totals stay public (SPEC §5 v2); a small count of reserved logements is « s ».
        assert_eq!(vue.get((1, 4)), Some(&Data::Float(2.0)));
        let entetes: Vec<String> = vue.rows().next().unwrap().iter().map(|d| d.to_string()).collect();
        let al = entetes.iter().position(|e| e == "reserves_action_logement").unwrap();
        assert_eq!(vue.get((1, al)), Some(&Data::String("s".into())));
    }
}

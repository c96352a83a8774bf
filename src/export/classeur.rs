//! The results as one XLSX workbook (SPEC §5 « Exports … XLSX »): typed numeric cells, percent
//! formats, one sheet per table — Paramètres, Conventions, Étalement, Vue communale, EPCI-EPT,
//! Départements. Built with `rust_xlsxwriter` (its `wasm` feature in the browser).

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::{cellules_vue, conventions, entetes_vue, Cellule};
use crate::domain::agregation::LigneCommunale;
use crate::domain::{Parametres, Resultats};

/// The workbook's bytes; the communal sheets apply `secret_statistique`.
pub fn classeur_xlsx(r: &Resultats, p: &Parametres) -> Vec<u8> {
    construire(r, p).and_then(|mut w| w.save_to_buffer()).expect("classeur XLSX constructible")
}

fn construire(r: &Resultats, p: &Parametres) -> Result<Workbook, XlsxError> {
    let mut w = Workbook::new();
    // A fixed creation date: the same results give the same file.
    w.set_properties(&rust_xlsxwriter::DocProperties::new()
        .set_title("Conversion des réservations du stock au flux")
        .set_creation_datetime(&ExcelDateTime::from_ymd(2026, 1, 1)?));
    let gras = Format::new().set_bold();
    let pourcent = Format::new().set_num_format("0.00%");
    let decimal = Format::new().set_num_format("#,##0.00");

    let f = w.add_worksheet().set_name("Paramètres")?;
    entete(f, &["parametre", "valeur"], &gras)?;
    let json = serde_json::to_value(p).unwrap_or_default();
    let mut lignes = Vec::new();
    aplatir("", &json, &mut lignes);
    for (i, (cle, valeur)) in lignes.iter().enumerate() {
        let i = i as u32 + 1;
        f.write_string(i, 0, cle)?;
        match valeur {
            serde_json::Value::Number(n) => f.write_number(i, 1, n.as_f64().unwrap_or(0.0))?,
            serde_json::Value::Bool(b) => f.write_boolean(i, 1, *b)?,
            v => f.write_string(i, 1, v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()))?,
        };
    }
    f.set_column_width(0, 42)?.set_column_width(1, 24)?;

    let f = w.add_worksheet().set_name("Conventions")?;
    entete(f, &conventions::ENTETES, &gras)?;
    let mut i = 1;
    for per in &r.perimetres {
        for x in &per.parts {
            f.write_string(i, 0, &per.bailleur)?.write_string(i, 1, &per.departement)?;
            f.write_number_with_format(i, 2, per.flux_annuel, &decimal)?.write_number(i, 3, per.assiette)?;
            f.write_string(i, 4, &x.reservataire)?.write_string(i, 5, x.categorie.code())?;
            f.write_number(i, 6, x.logements_reserves)?.write_number_with_format(i, 7, x.volume_droits, &decimal)?;
            f.write_number_with_format(i, 8, x.part, &pourcent)?.write_number_with_format(i, 9, x.logements_par_an, &decimal)?;
            if let Some(a) = x.annees_epuisement {
                f.write_number_with_format(i, 10, a, &decimal)?;
            }
            i += 1;
        }
    }
    f.set_freeze_panes(1, 0)?;

    let f = w.add_worksheet().set_name("Étalement")?;
    entete(f, &["bailleur", "departement", "annee", "reservataire", "logements_offerts", "volume_restant"], &gras)?;
    let mut i = 1;
    for per in &r.perimetres {
        for l in &per.etalement.lignes {
            f.write_string(i, 0, &per.bailleur)?.write_string(i, 1, &per.departement)?.write_number(i, 2, l.annee)?;
            f.write_string(i, 3, &per.parts[l.partie as usize].reservataire)?.write_number(i, 4, l.offerts)?;
            if let Some(v) = l.volume_restant {
                f.write_number_with_format(i, 5, v, &decimal)?;
            }
            i += 1;
        }
    }
    f.set_freeze_panes(1, 0)?;

    let seuil = p.secret_statistique;
    for (nom, premiere, lignes) in [
        ("Vue communale", "commune", &r.communes.communes),
        ("EPCI-EPT", "epci", &r.communes.epci),
        ("Départements", "departement", &r.communes.departements),
    ] {
        vue(w.add_worksheet().set_name(nom)?, premiere, lignes, seuil, &gras, &decimal)?;
    }
    Ok(w)
}

fn entete(f: &mut Worksheet, noms: &[&str], gras: &Format) -> Result<(), XlsxError> {
    for (j, n) in noms.iter().enumerate() {
        f.write_string_with_format(0, j as u16, *n, gras)?;
    }
    Ok(())
}

fn vue(f: &mut Worksheet, premiere: &str, lignes: &[LigneCommunale], seuil: u32, gras: &Format, decimal: &Format) -> Result<(), XlsxError> {
    let noms = entetes_vue(premiere);
    entete(f, &noms.iter().map(String::as_str).collect::<Vec<_>>(), gras)?;
    for (i, l) in lignes.iter().enumerate() {
        for (j, c) in cellules_vue(l, seuil).into_iter().enumerate() {
            let (i, j) = (i as u32 + 1, j as u16);
            match c {
                Cellule::Texte(t) => f.write_string(i, j, t)?,
                Cellule::Entier(n) => f.write_number(i, j, n as f64)?,
                Cellule::Nombre(x, _) => f.write_number_with_format(i, j, x, decimal)?,
            };
        }
    }
    f.set_freeze_panes(1, 2)?;
    Ok(())
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
        serde_json::Value::Array(a) => sortie.push((prefixe.to_owned(), serde_json::Value::String(
            a.iter().map(|x| x.as_str().map(str::to_owned).unwrap_or_else(|| x.to_string())).collect::<Vec<_>>().join(", "),
        ))),
        x => sortie.push((prefixe.to_owned(), x.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calculer;
    use crate::import::lire_csv;
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn numbers_are_numbers_and_every_table_has_its_sheet() {
        let csv = "rpls;bailleur;commune;reservataire;categorie;type_droit;date_fin\nA;B;93048;AL;action_logement;suite;31/12/2040\nC;B;93048;;;;\nD;B;93066;=X;commune;suite;31/12/2030\n";
        let p = Parametres::default();
        let r = calculer(&lire_csv(csv.as_bytes()).unwrap().dataset, &p);
        let octets = classeur_xlsx(&r, &p);
        let mut x: Xlsx<_> = Xlsx::new(std::io::Cursor::new(octets)).unwrap();
        assert_eq!(x.sheet_names(), ["Paramètres", "Conventions", "Étalement", "Vue communale", "EPCI-EPT", "Départements"]);
        let conv = x.worksheet_range("Conventions").unwrap();
        let al = conv.rows().find(|l| l[4] == Data::String("AL".into())).unwrap();
        // part_du_parc: 1 reserved logement of 3 in the 93 assiette, a number, not text.
        assert_eq!(al[8], Data::Float(1.0 / 3.0));
        assert!(matches!(al[2], Data::Float(_)));
        // Text that looks like a formula stays text (never evaluated).
        assert!(conv.rows().any(|l| l[4] == Data::String("=X".into())));
        let params = x.worksheet_range("Paramètres").unwrap();
        assert!(params.rows().any(|l| l[0] == Data::String("rotation.taux_unique".into()) && l[1] == Data::Float(0.063)));
        let vue = x.worksheet_range("Vue communale").unwrap();
        assert_eq!(vue.get((0, 0)), Some(&Data::String("commune".into())));
        // 2 logements in 93048 (< 5): masked by the statistical secrecy.
        assert_eq!(vue.get((1, 4)), Some(&Data::String("< 5".into())));
    }
}

//! CSV of a scenario comparison (French conventions of [`super::csv_fr`]).

use super::csv_fr::CsvFr;
use crate::domain::comparaison::Comparaison;

/// One row per (perimeter, party): per scenario its share (%) and logements per year, then the
/// differences with the first scenario.
pub fn comparaison_csv(c: &Comparaison, noms: &[String]) -> Vec<u8> {
    let mut csv = CsvFr::new();
    let mut entetes: Vec<String> = ["bailleur", "departement", "reservataire", "categorie"].map(String::from).to_vec();
    for n in noms {
        entetes.push(format!("part_pct_{n}"));
        entetes.push(format!("logements_par_an_{n}"));
    }
    for n in noms.iter().skip(1) {
        entetes.push(format!("ecart_points_{n}"));
        entetes.push(format!("ecart_logements_par_an_{n}"));
    }
    csv.entetes(entetes.iter().map(String::as_str));
    for p in &c.parties {
        csv.texte(&p.bailleur).texte(&p.departement).texte(&p.reservataire).texte(p.categorie.code());
        for k in 0..noms.len() {
            csv.nombre(p.parts[k] * 100.0, 2).nombre(p.par_an[k], 2);
        }
        for k in 1..noms.len() {
            csv.nombre(p.ecart_points(k), 2).nombre(p.ecart_par_an(k), 2);
        }
        csv.fin();
    }
    csv.octets()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::comparaison::PartieComparee;
    use crate::domain::Categorie;

    #[test]
    fn french_csv_with_deltas() {
        let c = Comparaison {
            parties: vec![PartieComparee {
                bailleur: "B".into(),
                departement: "93".into(),
                reservataire: "=AL".into(),
                categorie: Categorie::ActionLogement,
                parts: vec![0.25, 0.2],
                par_an: vec![10.0, 8.5],
                volumes: vec![0.0, 0.0],
                homonyme: false,
            }],
            communes: vec![],
        };
        let texte = String::from_utf8(comparaison_csv(&c, &["A".into(), "B".into()])).unwrap();
        let lignes: Vec<&str> = texte.lines().collect();
        assert_eq!(lignes[0], "\u{feff}bailleur;departement;reservataire;categorie;part_pct_A;logements_par_an_A;part_pct_B;logements_par_an_B;ecart_points_B;ecart_logements_par_an_B");
        assert_eq!(lignes[1], "B;93;'=AL;action_logement;25;10;20;8,5;-5;-1,5");
    }
}

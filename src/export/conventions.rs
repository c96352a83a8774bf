//! The conventions table: one row per (perimeter, party) with the numbers of SPEC §5 « per
//! perimeter » — the same as `synthese.json`, flat, for a spreadsheet.

use super::csv_fr::CsvFr;
use crate::domain::Resultats;

pub const ENTETES: [&str; 12] = [
    "bailleur",
    "departement",
    "flux_annuel",
    "assiette",
    "reservataire",
    "categorie",
    "logements_reserves",
    "volume_droits",
    "part",
    "logements_par_an",
    "annees_epuisement",
    "annees_nommees",
];

/// Named years as one cell: « 2028 2033 ».
pub fn annees(a: &[i32]) -> String {
    a.iter().map(i32::to_string).collect::<Vec<_>>().join(" ")
}

pub fn conventions_csv(r: &Resultats) -> Vec<u8> {
    let mut c = CsvFr::new();
    c.entetes(ENTETES);
    for per in &r.perimetres {
        for p in &per.parts {
            c.texte(&per.bailleur).texte(&per.departement).nombre(per.flux_annuel, 3).entier(per.assiette);
            c.texte(&p.reservataire).texte(p.categorie.code()).entier(p.logements_reserves);
            c.nombre(p.volume_droits, 3).nombre(p.part, 6).nombre(p.logements_par_an, 3);
            match p.annees_epuisement {
                Some(a) => c.nombre(a, 2),
                None => c.vide(),
            };
            c.texte(&annees(&p.annees_nommees)).fin();
        }
    }
    c.octets()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{calculer, Parametres};
    use crate::import::lire_csv;

    #[test]
    fn one_row_per_party_with_french_numbers() {
        let csv = "rpls;bailleur;commune;reservataire;categorie;type_droit;date_fin\nA;B;93048;=AL;action_logement;suite;31/12/2040\nC;B;93048;;;;\n";
        let r = calculer(&lire_csv(csv.as_bytes()).unwrap().dataset, &Parametres::default());
        let texte = String::from_utf8(conventions_csv(&r)).unwrap();
        let lignes: Vec<&str> = texte.lines().collect();
        assert_eq!(lignes.len(), 1 + r.perimetres[0].parts.len());
        assert!(lignes[0].starts_with("\u{feff}bailleur;departement;flux_annuel"));
        let al = lignes.iter().find(|l| l.contains("action_logement")).unwrap();
        assert!(al.starts_with("B;93;0,126;2;'=AL;action_logement;1;"), "{al}");
        assert!(al.contains(";0,5;"), "part 50 % as a fraction with a decimal comma: {al}");
    }
}

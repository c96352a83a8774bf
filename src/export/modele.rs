//! The downloadable template (modèle) of an état des lieux, in CSV and XLSX: the canonical headers
//! of SPEC §2, one notice line explaining each column (content, accepted values, synonyms), and a
//! few example rows. It is itself a valid input: [`crate::import::lire`] skips the notice line
//! (its `rpls` cell starts with [`crate::import::MARQUE_NOTICE`]) without counting it, and reads
//! the examples.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format,
    FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::csv_fr::CsvFr;
use crate::import::columns::Champ;
use crate::import::values;

/// Notice of each column, in the order of [`Champ::TOUS`]. The `rpls` one starts with
/// [`crate::import::MARQUE_NOTICE`]; "Synonymes :" lists headers the reader recognises (checked by a test).
const NOTICES: [&str; Champ::N] = [
    "Notice : identifiant RPLS du logement, unique ; sans cette colonne (fichiers en données ouvertes), chaque ligne reçoit l'identifiant « L » + numéro de ligne (cette ligne de notice est ignorée à la lecture, vous pouvez la garder). Synonymes : IDENT_REP, identifiant RPLS, num_rpls.",
    "Nom du bailleur ; vide = un seul bailleur. Synonymes : IDENT_ORG, RS, organisme, SIREN.",
    "Code INSEE de la commune, 5 caractères (2A/2B en Corse), obligatoire ; arrondissements de Paris, Lyon, Marseille acceptés. Synonymes : DEPCOM, DEPCOM_CODE, code INSEE, code commune.",
    "Nombre de pièces (1, 2…) ou T1 à T6+. Synonymes : NBPIECE, nb pièces, type.",
    "PLAI, PLUS, PLS, PLI ou code RPLS (10, 11 = PLAI ; 12, 13, 50 à 55 = PLUS ; 14 = PLS ; 16 = PLI ; autre code = Autre). Synonymes : FINAN, FINAN_CODE.",
    "oui / non, 1 (en QPV) / 2 (hors QPV), ou le code du quartier (QP…). Synonymes : QPV, QPV_CODE.",
    "Surface habitable en m². Synonymes : SURFHAB, surface habitable.",
    "Loyer principal en € par mois. Synonymes : LOYERPRINC, loyer principal.",
    "Année de construction (AAAA). Synonymes : CONSTRUCT, année de construction.",
    "Vide = dans l'assiette ; sinon renouvellement_urbain, orcod, lhi, vente, mutation, defense, securite_interieure, sante ou autre. Synonymes : motif d'exclusion, motif hors assiette.",
    "Nom du réservataire ; vide = logement non réservé (contingent du bailleur). Synonymes : contingent, nom du réservataire.",
    "etat_prioritaires, etat_agents, commune, epci, departement, region, action_logement, employeur, ministere, autre, non_reserve, ou code CONTRESLOG 1 à 7 ; vide = déduite du nom. Synonymes : catégorie réservataire, CONTRESLOG, CONTRESLOG_CODE.",
    "suite (droit de suite, par défaut) ou simple (une seule désignation ; « unique » accepté). Synonymes : droit, type de droit.",
    "Fin de la réservation : JJ/MM/AAAA, AAAA-MM-JJ ou AAAA (= 31/12) ; vide = sans terme. Synonymes : fin de réservation, échéance, date de fin.",
    "Pour un droit simple : oui si la désignation a déjà eu lieu (non par défaut).",
    "Taux de rotation observé du segment, facultatif : 0,063 ou 6,3 %. Synonymes : taux de rotation.",
];

/// Example rows, as a French CSV holds them (the XLSX gets numbers and dates from them).
#[rustfmt::skip]
const EXEMPLES: [[&str; Champ::N]; 5] = [
    [
        "75000000001", "Seine Habitat", "93048", "T3", "PLUS", "non", "65,5", "420,10", "1975", "",
        "Action Logement Services", "action_logement", "suite", "31/12/2040", "", "6,3 %",
    ],
    [
        "75000000002", "Seine Habitat", "93048", "2", "11", "oui", "45", "310", "1975", "",
        "Préfecture 93 - contingent prioritaire", "etat_prioritaires", "suite", "", "", "",
    ],
    [
        "75000000003", "Seine Habitat", "75112", "T4", "PLS", "2", "80", "650", "2005", "",
        "Ville de Paris", "commune", "simple", "2030", "non", "",
    ],
    [
        "75000000004", "Seine Habitat", "93066", "T1", "PLAI", "non", "30", "250", "1968", "vente",
        "", "", "", "", "", "",
    ],
    [
        "75000000005", "Seine Habitat", "93066", "T5", "PLUS", "QP093012", "95", "700", "1968", "",
        "", "", "", "", "", "0,05",
    ],
];

/// The notice of a field (tests, documentation).
pub fn notice(champ: Champ) -> &'static str {
    NOTICES[champ as usize]
}

/// The template as a French CSV (`;`, UTF-8 with BOM, CRLF: SPEC §5).
pub fn modele_csv() -> Vec<u8> {
    let mut c = CsvFr::new();
    c.entetes(Champ::TOUS.iter().map(|c| c.nom()));
    for ligne in std::iter::once(&NOTICES).chain(&EXEMPLES) {
        ligne.iter().for_each(|v| {
            c.texte(v);
        });
        c.fin();
    }
    c.octets()
}

/// The template as an XLSX workbook: bold headers, the notice line in italics, typed example
/// cells (numbers, a percentage, a date), text columns for the codes (a leading zero typed by
/// the user survives), drop-down lists for the coded columns, frozen header.
pub fn modele_xlsx() -> Vec<u8> {
    classeur()
        .and_then(|mut w| w.save_to_buffer())
        .expect("le modèle XLSX est un classeur constant")
}

/// Codes offered in drop-down lists (other spellings stay allowed: warning style).
#[rustfmt::skip]
fn liste(champ: Champ) -> Option<&'static [&'static str]> {
    Some(match champ {
        Champ::HorsAssiette => &[
            "renouvellement_urbain", "orcod", "lhi", "vente", "mutation", "defense",
            "securite_interieure", "sante", "autre",
        ],
        Champ::Categorie => &[
            "etat_prioritaires", "etat_agents", "commune", "epci", "departement", "region",
            "action_logement", "employeur", "ministere", "autre", "non_reserve",
        ],
        Champ::TypeDroit => &["suite", "simple"],
        Champ::DroitUtilise => &["oui", "non"],
        _ => return None,
    })
}

fn classeur() -> Result<Workbook, XlsxError> {
    let mut w = Workbook::new();
    // A fixed date keeps the file identical from one download to the next.
    let date = ExcelDateTime::from_ymd(2026, 1, 1)?;
    w.set_properties(
        &DocProperties::new()
            .set_title("Modèle d'état des lieux — gestion en flux")
            .set_creation_datetime(&date),
    );
    let f = w.add_worksheet();
    f.set_name("Etat des lieux")?;
    let entete = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xE3E3FD))
        .set_border(FormatBorder::Thin);
    let notice = Format::new()
        .set_italic()
        .set_text_wrap()
        .set_font_color(Color::RGB(0x3A3A3A))
        .set_background_color(Color::RGB(0xF6F6F6));
    let texte = Format::new().set_num_format("@");
    let date_fr = Format::new().set_num_format("dd/mm/yyyy");
    let pourcent = Format::new().set_num_format("0.0%");
    for (j, champ) in Champ::TOUS.into_iter().enumerate() {
        let j = j as u16;
        f.set_column_width(j, if j == 0 { 16 } else { 22 })?;
        f.write_string_with_format(0, j, champ.nom(), &entete)?;
        f.write_string_with_format(1, j, NOTICES[champ as usize], &notice)?;
        if !champ.descriptif() || champ == Champ::Typologie {
            f.set_column_format(j, &texte)?;
        }
        for (i, ligne) in EXEMPLES.iter().enumerate() {
            cellule(
                f,
                i as u32 + 2,
                j,
                champ,
                ligne[champ as usize],
                &date_fr,
                &pourcent,
            )?;
        }
        if let Some(codes) = liste(champ) {
            let v = DataValidation::new()
                .allow_list_strings(codes)?
                .set_error_style(DataValidationErrorStyle::Warning);
            f.add_data_validation(2, j, 10_000, j, &v)?;
        }
    }
    f.set_row_height(1, 120)?;
    f.set_freeze_panes(1, 1)?;
    Ok(w)
}

/// One example cell, typed as a user would have it in Excel.
fn cellule(
    f: &mut Worksheet,
    ligne: u32,
    j: u16,
    champ: Champ,
    v: &str,
    date_fr: &Format,
    pourcent: &Format,
) -> Result<(), XlsxError> {
    let nombre = values::nombre(v).ok().flatten();
    match (champ, nombre) {
        (_, _) if v.is_empty() => {}
        (Champ::Surface | Champ::Loyer | Champ::AnneeConstruction, Some(x)) => {
            f.write_number(ligne, j, x)?;
        }
        (Champ::TauxRotation, Some(x)) => {
            f.write_number_with_format(ligne, j, x, pourcent)?;
        }
        (Champ::DateFin, _) if v.contains('/') => {
            let d = values::date(v)
                .ok()
                .flatten()
                .expect("date d'exemple valide");
            use chrono::Datelike;
            let d = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            f.write_datetime_with_format(ligne, j, &d, date_fr)?;
        }
        (Champ::DateFin, Some(x)) => {
            f.write_number(ligne, j, x)?;
        }
        _ => {
            f.write_string(ligne, j, v)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::columns::detecter;

    /// Every header named after "Synonymes :" in a notice is detected as that field.
    #[test]
    fn notice_synonyms_are_recognised() {
        for champ in Champ::TOUS {
            let n = notice(champ);
            let Some((_, synonymes)) = n.split_once("Synonymes : ") else {
                continue;
            };
            for s in synonymes.trim_end_matches('.').split(", ") {
                assert_eq!(
                    detecter([s]).colonne(champ),
                    Some(0),
                    "{s} → {}",
                    champ.nom()
                );
            }
        }
        assert!(notice(Champ::Rpls).starts_with(crate::import::MARQUE_NOTICE));
    }
}

//! The downloadable templates (modèles) of an état des lieux and of the mouvements of a year
//! (SPEC §7), in CSV and XLSX, and of a list of vacancies (SPEC §8, CSV; at the end of this file). The état des lieux one: the canonical headers
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

// ─── The mouvements template (SPEC §7 input 2) ───────────────────────────────────────────────

use crate::import::mouvements::Champ as ChampMvt;

/// Notice of each column of the mouvements template, in the order of [`ChampMvt::TOUS`]. The
/// `rpls` one starts with [`crate::import::MARQUE_NOTICE`]; "Synonymes :" lists headers the reader
/// recognises (checked by a test).
const NOTICES_MOUVEMENTS: [&str; ChampMvt::N] = [
    "Notice : identifiant RPLS du logement, tel qu'il figure dans l'état des lieux, obligatoire (un identifiant inconnu rejette la ligne). Une ligne par orientation : un logement orienté deux fois dans l'année a deux lignes (cette ligne de notice est ignorée à la lecture, vous pouvez la garder). Synonymes : IDENT_REP, identifiant RPLS, num_rpls, logement.",
    "Date à laquelle le logement s'est libéré, facultative : JJ/MM/AAAA ou AAAA-MM-JJ ; au plus tard la date d'orientation. Synonymes : date de libération, date de vacance.",
    "Date à laquelle le bailleur a orienté le logement vers une partie, obligatoire ; pour une attribution directe par le bailleur, la date du bail. Un logement n'est orienté qu'une fois par jour. Synonymes : date d'orientation, orientation, date de mise à disposition.",
    "Partie vers qui le logement est orienté : le nom d'un réservataire de l'état des lieux, Etat - prioritaires ou Etat - agents ; vide = le contingent propre du bailleur. Un nom inconnu rejette la ligne. Synonymes : contingent, nom du réservataire, orienté vers.",
    "Date à laquelle le réservataire a proposé des candidats, facultative ; au plus tôt la date d'orientation. Synonymes : date de désignation, désignation.",
    "Issue de l'orientation, obligatoire : bail_signe, refus_menage (les ménages proposés ont refusé), refus_caleol (la commission a refusé), non_designe (aucun candidat dans le délai) ou en_cours ; « bail signé », « refus CALEOL », « non désigné »… acceptés. Synonymes : résultat, statut.",
    "Date de signature du bail : obligatoire avec bail_signe, ignorée (avec un avertissement) pour une autre issue ; au plus tôt les dates d'orientation et de désignation. Synonymes : date de bail, date de signature du bail.",
    "Vide = attribution dans le flux ; sinon le motif d'une attribution hors flux : renouvellement_urbain, orcod, lhi, vente, mutation, defense, securite_interieure, sante ou autre. Synonymes : motif hors flux, attribution hors flux.",
    "Quartile de ressources du ménage, 1 à 4, facultatif (indicateurs de l'article L. 441-1) ; une autre valeur est ignorée avec un avertissement. Synonymes : quartile de ressources.",
    "Ménage reconnu prioritaire (DALO, article L. 441-1) : oui / non, facultatif. Synonymes : ménage prioritaire, DALO.",
];

/// Example rows of the mouvements template, on the logements and réservataires of the état des
/// lieux template's examples: a lease after a réservataire's designation, a CALEOL refusal then
/// the bailleur's own attribution, no designation then the bailleur's attribution, a mutation
/// outside the flux.
#[rustfmt::skip]
const EXEMPLES_MOUVEMENTS: [[&str; ChampMvt::N]; 6] = [
    ["75000000001", "02/01/2026", "05/01/2026", "Action Logement Services", "20/01/2026", "bail_signe", "15/02/2026", "", "2", "non"],
    ["75000000002", "10/02/2026", "12/02/2026", "Etat - prioritaires", "02/03/2026", "refus_caleol", "", "", "", ""],
    ["75000000002", "10/02/2026", "20/03/2026", "", "", "bail_signe", "20/03/2026", "", "1", "oui"],
    ["75000000003", "01/04/2026", "03/04/2026", "Ville de Paris", "", "non_designe", "", "", "", ""],
    ["75000000003", "01/04/2026", "15/05/2026", "", "", "bail_signe", "15/05/2026", "", "4", "non"],
    ["75000000005", "15/05/2026", "01/06/2026", "", "", "bail_signe", "01/06/2026", "mutation", "3", "non"],
];

/// The notice of a mouvements field (tests, documentation).
pub fn notice_mouvements(champ: ChampMvt) -> &'static str {
    NOTICES_MOUVEMENTS[champ as usize]
}

/// The mouvements template as a French CSV (`;`, UTF-8 with BOM, CRLF: SPEC §5).
pub fn modele_mouvements_csv() -> Vec<u8> {
    let mut c = CsvFr::new();
    c.entetes(ChampMvt::TOUS.iter().map(|c| c.nom()));
    for ligne in std::iter::once(&NOTICES_MOUVEMENTS).chain(&EXEMPLES_MOUVEMENTS) {
        ligne.iter().for_each(|v| {
            c.texte(v);
        });
        c.fin();
    }
    c.octets()
}

/// The mouvements template as an XLSX workbook, styled like the état des lieux one: bold frozen
/// headers, the notice line in italics, real dates, a number for the quartile, text columns for
/// identifiers and codes, drop-down lists (warning style) for `issue`, `hors_flux`, `quartile`,
/// `prioritaire`.
pub fn modele_mouvements_xlsx() -> Vec<u8> {
    classeur_mouvements()
        .and_then(|mut w| w.save_to_buffer())
        .expect("le modèle XLSX des mouvements est un classeur constant")
}

#[rustfmt::skip]
fn liste_mouvements(champ: ChampMvt) -> Option<&'static [&'static str]> {
    Some(match champ {
        ChampMvt::Issue => &["bail_signe", "refus_menage", "refus_caleol", "non_designe", "en_cours"],
        ChampMvt::HorsFlux => &[
            "renouvellement_urbain", "orcod", "lhi", "vente", "mutation", "defense",
            "securite_interieure", "sante", "autre",
        ],
        ChampMvt::Quartile => &["1", "2", "3", "4"],
        ChampMvt::Prioritaire => &["oui", "non"],
        _ => return None,
    })
}

fn classeur_mouvements() -> Result<Workbook, XlsxError> {
    let mut w = Workbook::new();
    let date = ExcelDateTime::from_ymd(2026, 1, 1)?;
    w.set_properties(
        &DocProperties::new()
            .set_title("Modèle des mouvements de l'année — gestion en flux")
            .set_creation_datetime(&date),
    );
    let f = w.add_worksheet();
    f.set_name("Mouvements")?;
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
    for (j, champ) in ChampMvt::TOUS.into_iter().enumerate() {
        let j = j as u16;
        let date = champ.nom().starts_with("date_");
        f.set_column_width(j, if date { 16 } else { 22 })?;
        f.write_string_with_format(0, j, champ.nom(), &entete)?;
        f.write_string_with_format(1, j, NOTICES_MOUVEMENTS[champ as usize], &notice)?;
        if date {
            f.set_column_format(j, &date_fr)?;
        } else if champ != ChampMvt::Quartile {
            f.set_column_format(j, &texte)?;
        }
        for (i, ligne) in EXEMPLES_MOUVEMENTS.iter().enumerate() {
            let (r, v) = (i as u32 + 2, ligne[champ as usize]);
            match crate::import::mouvements::date_du_jour(v) {
                _ if v.is_empty() => {}
                Ok(Some(d)) if date => {
                    use chrono::Datelike;
                    let d = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    f.write_datetime_with_format(r, j, &d, &date_fr)?;
                }
                _ if champ == ChampMvt::Quartile => {
                    f.write_number(r, j, v.parse::<f64>().expect("quartile d'exemple"))?;
                }
                _ => {
                    f.write_string(r, j, v)?;
                }
            }
        }
        if let Some(codes) = liste_mouvements(champ) {
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

// ─── The vacancies template (SPEC §8: a list of vacancies to orient) ────────────────────────────

use crate::import::vacants::Champ as ChampVacant;

/// Notice of each column of the vacancies template, in the order of [`ChampVacant::TOUS`] (the
/// `rpls` one starts with [`crate::import::MARQUE_NOTICE`]).
const NOTICES_VACANTS: [&str; ChampVacant::N] = [
    "Notice : identifiant RPLS du logement vacant, tel qu'il figure dans l'état des lieux, obligatoire (un identifiant inconnu rejette la ligne ; cette ligne de notice est ignorée à la lecture, vous pouvez la garder). Les autres colonnes (adresse, typologie…) sont ignorées. Synonymes : IDENT_REP, identifiant RPLS, num_rpls, logement.",
    "Date de la vacance, obligatoire : JJ/MM/AAAA ou AAAA-MM-JJ. Les vacances sont orientées dans l'ordre des dates, chacune comptant pour les suivantes. Synonymes : date de vacance, date de libération, disponible le.",
];

/// Example rows of the vacancies template, on logements of the état des lieux template.
const EXEMPLES_VACANTS: [[&str; ChampVacant::N]; 3] = [["75000000001", "05/01/2026"], ["75000000003", "12/02/2026"], ["75000000005", "20/03/2026"]];

/// The notice of a vacancies field (tests, documentation).
pub fn notice_vacants(champ: ChampVacant) -> &'static str {
    NOTICES_VACANTS[champ as usize]
}

/// The vacancies template as a French CSV (`;`, UTF-8 with BOM, CRLF: SPEC §5).
pub fn modele_vacants_csv() -> Vec<u8> {
    let mut c = CsvFr::new();
    c.entetes(ChampVacant::TOUS.iter().map(|c| c.nom()));
    for ligne in std::iter::once(&NOTICES_VACANTS).chain(&EXEMPLES_VACANTS) {
        ligne.iter().for_each(|v| {
            c.texte(v);
        });
        c.fin();
    }
    c.octets()
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

    /// The same for the mouvements template.
    #[test]
    fn mouvements_notice_synonyms_are_recognised() {
        use crate::import::mouvements::detecter;
        for champ in ChampMvt::TOUS {
            let n = notice_mouvements(champ);
            let (_, synonymes) = n.split_once("Synonymes : ").expect("synonymes");
            for s in synonymes.trim_end_matches('.').split(", ") {
                assert_eq!(detecter([s]).colonne(champ), Some(0), "{s} → {}", champ.nom());
            }
        }
        assert!(notice_mouvements(ChampMvt::Rpls).starts_with(crate::import::MARQUE_NOTICE));
    }

    /// The vacancies template: its synonyms are recognised, and it reads against the état des
    /// lieux template with every example kept and its notice line skipped.
    #[test]
    fn vacancies_template_reads_back() {
        for champ in ChampVacant::TOUS {
            let (_, synonymes) = notice_vacants(champ).split_once("Synonymes : ").expect("synonymes");
            for s in synonymes.trim_end_matches('.').split(", ") {
                assert_eq!(crate::import::vacants::detecter([s]).colonne(champ), Some(0), "{s} → {}", champ.nom());
            }
        }
        let etat = crate::import::lire_csv(&modele_csv()).unwrap().dataset;
        let lu = crate::import::vacants::lire(&modele_vacants_csv(), &Default::default(), &etat).unwrap();
        assert_eq!((lu.lignes_lues, lu.vacances.len(), lu.rejets.len(), lu.avertissements.len()), (3, 3, 0, 0), "{:?}", lu.avertissements);
    }
}

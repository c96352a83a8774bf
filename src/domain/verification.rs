//! SPEC §4 (v2) « Checks on the parameters against the file »: a key of a rate table, a
//! per-perimeter value or a priority that matches nothing in the file is named in a warning — a
//! typo must not fall back silently to the single rate or to the default. And two réservataires
//! with the same name but different categories are pointed out (usually one réservataire coded
//! inconsistently).

use std::collections::BTreeMap;

use super::alertes::Alerte;
use super::dataset::{Dataset, AUCUN};
use super::model::{commune_plm, libelles_segment, Categorie, Segment};
use super::parametres::{cle_perimetre, Depassement, ModeRotation, Parametres};

fn sans_effet(cle: String, pourquoi: &str) -> Alerte {
    Alerte::generale("parametre_sans_effet", format!("{cle} : {pourquoi}"))
}

/// Every check of the parameters against the dataset.
pub fn verifier(ds: &Dataset, p: &Parametres) -> Vec<Alerte> {
    let mut a = Vec::new();
    let r = &p.rotation;
    match r.mode {
        ModeRotation::ParCategorie => {
            let mut presentes: Vec<Categorie> = ds.parties.iter().map(|q| ds.reservataires[q.reservataire as usize].categorie).collect();
            if ds.partie.contains(&AUCUN) {
                presentes.push(Categorie::NonReserve);
            }
            for c in r.par_categorie.keys().filter(|c| !presentes.contains(c)) {
                a.push(sans_effet(
                    format!("rotation.par_categorie.{}", c.code()),
                    "aucun logement du fichier n'a cette catégorie ; ce taux ne s'applique nulle part",
                ));
            }
        }
        ModeRotation::ParSegment => {
            let cle = r.par_segment.cle;
            for k in r.par_segment.taux.keys() {
                let nom = format!("rotation.par_segment.taux.{k}");
                if cle == Segment::Commune {
                    let trouvee = ds.communes.iter().any(|c| c == k || commune_plm(c) == k);
                    if !trouvee {
                        a.push(sans_effet(nom, "aucun logement du fichier dans cette commune ; le taux unique s'applique partout ailleurs"));
                    }
                    continue;
                }
                let libelles = libelles_segment(cle);
                match libelles.iter().skip(1).position(|l| l == k) {
                    None => a.push(sans_effet(
                        nom,
                        &format!("valeur inconnue (valeurs possibles : {}) ; le taux unique s'applique", libelles[1..].join(", ")),
                    )),
                    Some(j) => {
                        let octet = (j + 1) as u8;
                        if !colonne(ds, cle).contains(&octet) {
                            a.push(sans_effet(nom, "aucun logement du fichier n'a cette valeur ; ce taux ne s'applique nulle part"));
                        }
                    }
                }
            }
        }
        ModeRotation::Unique | ModeRotation::Observe => {}
    }
    let perimetres: Vec<String> = ds
        .perimetres
        .iter()
        .map(|x| cle_perimetre(&ds.bailleurs[x.bailleur as usize], &x.departement))
        .collect();
    for (parametre, cles) in [
        ("prelevements_annuels", p.prelevements_annuels.perimetres()),
        ("mises_en_service", p.mises_en_service.perimetres()),
    ] {
        for k in cles.into_iter().filter(|k| !perimetres.iter().any(|x| x == k)) {
            a.push(sans_effet(
                format!("{parametre}.par_perimetre.{k}"),
                "aucune convention (bailleur|département) de ce nom dans le fichier ; la valeur par défaut s'applique",
            ));
        }
    }
    if p.depassement == Depassement::Priorite {
        for k in &p.priorite {
            let trouve = ds.reservataires.iter().any(|x| &x.nom == k || x.categorie.code() == k);
            if !trouve {
                a.push(sans_effet(format!("priorite « {k} »"), "ni un réservataire ni une catégorie du fichier"));
            }
        }
    }
    a.extend(homonymes(ds));
    a
}

/// The byte column of a segment.
fn colonne(ds: &Dataset, s: Segment) -> &[u8] {
    match s {
        Segment::Typologie => &ds.typologie,
        Segment::Financement => &ds.financement,
        Segment::Qpv => &ds.qpv,
        Segment::Surface => &ds.surface,
        Segment::Loyer => &ds.loyer,
        Segment::Commune => &[],
    }
}

/// Réservataires sharing a name across categories.
fn homonymes(ds: &Dataset) -> Vec<Alerte> {
    let mut par_nom: BTreeMap<&str, Vec<Categorie>> = BTreeMap::new();
    for r in &ds.reservataires {
        par_nom.entry(&r.nom).or_default().push(r.categorie);
    }
    par_nom
        .into_iter()
        .filter(|(_, c)| c.len() > 1)
        .map(|(nom, mut c)| {
            c.sort();
            let codes: Vec<&str> = c.iter().map(|c| c.code()).collect();
            Alerte::generale(
                "homonymes",
                format!(
                    "« {nom} » apparaît avec plusieurs catégories ({}) : ce sont des parties distinctes dans les résultats ; vérifier le codage du fichier.",
                    codes.join(", ")
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::lire_csv;

    const CSV: &str = "rpls;bailleur;commune;typologie;reservataire;categorie\n\
        A;B;75112;T1;Ville;commune\n\
        C;B;75113;T3;Ville;autre\n\
        D;B;93048;T3;;\n";

    fn alertes(json: &str) -> Vec<String> {
        let ds = lire_csv(CSV.as_bytes()).unwrap().dataset;
        verifier(&ds, &Parametres::depuis_json(json).unwrap()).into_iter().map(|a| a.message).collect()
    }

    #[test]
    fn keys_matching_nothing_are_named() {
        let m = alertes(r#"{"rotation":{"mode":"par_segment","par_segment":{"cle":"typologie","taux":{"T1":0.1,"T7":0.2,"T5":0.1}}}}"#);
        assert!(m.iter().any(|x| x.starts_with("rotation.par_segment.taux.T7 : valeur inconnue")), "{m:?}");
        assert!(m.iter().any(|x| x.starts_with("rotation.par_segment.taux.T5 : aucun logement")), "{m:?}");
        assert!(!m.iter().any(|x| x.contains(".T1 ")), "{m:?}");
        let m = alertes(r#"{"rotation":{"mode":"par_segment","par_segment":{"cle":"commune","taux":{"75056":0.1,"69123":0.2}}}}"#);
        assert_eq!(m.iter().filter(|x| x.starts_with("rotation.par_segment")).count(), 1, "{m:?}");
        assert!(m.iter().any(|x| x.contains("69123")), "75056 applies to Paris arrondissements: {m:?}");
        let m = alertes(r#"{"rotation":{"mode":"par_categorie","par_categorie":{"action_logement":0.1,"non_reserve":0.05}}}"#);
        assert!(m.iter().any(|x| x.starts_with("rotation.par_categorie.action_logement")), "{m:?}");
        assert!(!m.iter().any(|x| x.contains("non_reserve")), "{m:?}");
        let m = alertes(r#"{"prelevements_annuels":{"par_perimetre":{"B|93":2,"B|94":1}},"depassement":"priorite","priorite":["Ville","Mairie"]}"#);
        assert!(m.iter().any(|x| x.starts_with("prelevements_annuels.par_perimetre.B|94")), "{m:?}");
        assert!(!m.iter().any(|x| x.contains("B|93")), "{m:?}");
        assert!(m.iter().any(|x| x.starts_with("priorite « Mairie »")), "{m:?}");
    }

    #[test]
    fn same_name_two_categories() {
        let m = alertes("{}");
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("« Ville » apparaît avec plusieurs catégories (commune, autre)"), "{m:?}");
    }
}

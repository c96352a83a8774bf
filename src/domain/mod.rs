//! Domain core: the stock → flux conversion of SPEC §4, pure Rust (no web dependency).
//!
//! One module per concept or step, each formula next to the rule it implements (style: OpenFisca,
//! one formula = one concept, parameters carry their legal reference):
//! [`model`] vocabulary · [`regles`] legal caps and the tolerance · [`parametres`] SPEC §3 ·
//! [`dataset`] ingested form · [`fixes`] its parameter-free counts · [`assiette`] ·
//! [`rotation`] (§4.1) · [`conversion`] (§4.2–4.3) ·
//! [`comptage`] the one pass over the logements (§4.1–4.4) · [`flux`] (§4.5) · [`parts`] (§4.6–4.8) ·
//! [`etalement`] (§4.9) · [`territoire`] (§4.10) · [`perimetre`] steps 5–10 of one convention ·
//! [`agregation`] (communal view) · [`alertes`] · [`verification`] (parameters against the file) ·
//! [`resultats`] what is returned · [`explication`] and [`comparaison`] for the pages ·
//! [`suivi`] (§7) · [`orientation`] (§8) and [`recherche`] (a logement by `rpls`, commune, programme).
//!
//! Entry point: [`calculer`] — one pass over the logement columns, then per-perimeter arithmetic.

pub mod agregation;
pub mod alertes;
pub(crate) mod colonnes;
pub mod assiette;
pub(crate) mod comptage;
pub mod comparaison;
pub mod conversion;
pub mod dataset;
pub mod etalement;
pub mod explication;
pub mod fixes;
pub mod flux;
pub mod model;
pub mod orientation;
pub(crate) mod parallele;
pub mod parametres;
pub mod parts;
pub(crate) mod perimetre;
pub mod recherche;
pub mod regles;
pub mod resultats;
pub mod rotation;
pub mod secret;
pub mod suivi;
pub mod territoire;
pub mod verification;

use chrono::Datelike;

pub use agregation::{Agregat, Geographie, VueCommunale};
pub use alertes::Alerte;
pub use dataset::{Dataset, Logement};
pub use etalement::Etalement;
pub use model::Categorie;
pub use parametres::Parametres;
pub use resultats::{ResultatPartie, ResultatPerimetre, Resultats, Role};
pub use territoire::Objectif;
pub(crate) use parallele::en_parallele;

/// Computes everything from the ingested dataset: no geography (commune names stay empty).
pub fn calculer(ds: &Dataset, p: &Parametres) -> Resultats {
    calculer_avec(ds, p, None)
}

/// Computes everything, with an optional geography for the communal view.
pub fn calculer_avec(ds: &Dataset, p: &Parametres, geo: Option<&dyn Geographie>) -> Resultats {
    let comptes = comptage::compter(ds, p);
    let mut alertes = alertes::generales(p, ds.nb_rejets, ds.nb_avertissements);
    alertes.extend(verification::verifier(ds, p));
    let rangs_par_nom = ds.rangs_par_nom();
    // Each convention's results and alerts are made on the cores.
    let calcules = parallele::en_parallele(ds.perimetres.len(), |i| {
        let (r, vue) = perimetre::calculer_perimetre(ds, p, i, &comptes, &comptes.cellules, &rangs_par_nom);
        let sans_assiette: Vec<&str> = ds.perimetres[i]
            .parties
            .iter()
            .filter(|&&q| comptes.parties[q as usize].lignes_assiette == 0)
            .map(|&q| ds.reservataires[ds.parties[q as usize].reservataire as usize].nom.as_str())
            .collect();
        let a = alertes::perimetre(i, &r, p, &sans_assiette);
        (r, vue, a)
    });
    // The conventions have read the cells' counts: the cells now take their flux and expected
    // logements in place (no copy of the table).
    let mut cellules = comptes.cellules;
    let mut perimetres = Vec::with_capacity(ds.perimetres.len());
    for (i, (r, vue, a)) in calcules.into_iter().enumerate() {
        vue_du_perimetre(ds, i, &r, &vue, &mut cellules);
        alertes.extend(a);
        perimetres.push(r);
    }
    let communes = agregation::vue_communale(
        cellules.iter().enumerate().map(|(c, a)| (ds.code_commune(c), a)),
        p.regroupement_plm,
        geo,
    );
    Resultats {
        perimetres,
        cellules,
        communes,
        alertes,
        premiere_annee: p.date_conversion.year(),
    }
}

/// Communal view of convention `i`: each of its cells' flux F_c and the logements expected a year
/// for each category (share × F_c). Local réservataires (communes, EPCI, EPT) are the exception:
/// their objectives sit on their own reservations (territoire.rs), and the communal view shows
/// those same numbers.
fn vue_du_perimetre(ds: &Dataset, i: usize, r: &ResultatPerimetre, vue: &perimetre::PourLaVue, cellules: &mut [Agregat]) {
    // (commune, category) → logements a year: a convention has hundreds of communes.
    let mut locales: rustc_hash::FxHashMap<(&str, Categorie), f64> = Default::default();
    for o in &r.objectifs {
        let categorie = r.parts[o.partie].categorie;
        if let (true, Some(commune)) = (categorie.territoriale(), o.commune.as_deref()) {
            locales
                .entry((commune, categorie))
                .and_modify(|v| *v += o.logements_par_an)
                .or_insert(o.logements_par_an);
        }
    }
    for (&c, &fc) in ds.perimetres[i].cellules.iter().zip(&vue.flux_communes) {
        let commune = ds.code_commune(c as usize);
        let a = &mut cellules[c as usize];
        a.flux = fc;
        a.attendus = vue.part_categorie.map(|part| part * fc);
        for k in [Categorie::Commune, Categorie::Epci] {
            a.attendus[k as usize] = locales.get(&(commune, k)).into_iter().sum();
        }
    }
}

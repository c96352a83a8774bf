//! Domain core: the stock → flux conversion of SPEC §4, pure Rust (no web dependency).
//!
//! One module per concept or step, each formula next to the rule it implements (style: OpenFisca,
//! one formula = one concept, parameters carry their legal reference):
//! [`model`] vocabulary · [`parametres`] SPEC §3 · [`dataset`] ingested form · [`assiette`] ·
//! [`rotation`] (§4.1) · [`conversion`] (§4.2–4.3) · [`flux`] (§4.5) · [`parts`] (§4.6–4.8) ·
//! [`etalement`] (§4.9) · [`territoire`] (§4.10) · [`agregation`] (communal view) · [`alertes`].
//!
//! Entry point: [`calculer`] — one pass over the logement columns, then per-perimeter arithmetic.

pub mod agregation;
pub mod alertes;
pub mod assiette;
pub mod comparaison;
pub mod conversion;
pub mod dataset;
pub mod etalement;
pub mod explication;
pub mod flux;
pub mod model;
pub mod parametres;
pub mod parts;
pub mod rotation;
pub mod territoire;

use chrono::Datelike;
use serde::Serialize;

pub use agregation::{Agregat, Geographie, VueCommunale};
pub use alertes::Alerte;
pub use dataset::{Dataset, Logement};
pub use etalement::Etalement;
pub use model::Categorie;
pub use parametres::Parametres;
pub use territoire::Objectif;

use agregation::additionner;
use dataset::AUCUN;
use etalement::PartEtalement;
use parts::Demande;
use territoire::PartieTerritoire;

/// One party of a convention: État prioritaires, État agents, a réservataire, or the bailleur.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResultatPartie {
    pub reservataire: String,
    pub categorie: Categorie,
    /// L_r: logements with v_l > 0 in the assiette.
    pub logements_reserves: u32,
    /// V_r = Σ v_l (for the État: for information, not converted).
    pub volume_droits: f64,
    /// Share of the flux, a fraction.
    pub part: f64,
    /// p × F.
    pub logements_par_an: f64,
    /// V_r / (p_r × F); `None` for the État, the bailleur, or when nothing is consumed.
    pub annees_epuisement: Option<f64>,
}

/// Results of one convention perimeter (bailleur, département).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResultatPerimetre {
    pub bailleur: String,
    pub departement: String,
    pub logements: u32,
    pub assiette: u32,
    /// Logements out of the assiette per active motif (index `Motif as usize`).
    pub hors_assiette: [u32; model::Motif::N],
    /// Σ τ_l over the assiette (estimated yearly liberations).
    pub liberations: f64,
    pub flux_annuel: f64,
    /// p_État + Σ p_r before overflow.
    pub somme_parts_avant_depassement: f64,
    /// État prioritaires, État agents, réservataires by name, bailleur (the tie-break order).
    pub parts: Vec<ResultatPartie>,
    pub etalement: Etalement,
    pub objectifs: Vec<Objectif>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Resultats {
    pub perimetres: Vec<ResultatPerimetre>,
    /// Counters per cellule (bailleur × commune), `Dataset::cellules` order.
    pub cellules: Vec<Agregat>,
    pub communes: VueCommunale,
    pub alertes: Vec<Alerte>,
}

/// Computes everything from the ingested dataset: no geography (commune names stay empty).
pub fn calculer(ds: &Dataset, p: &Parametres) -> Resultats {
    calculer_avec(ds, p, None)
}

/// Computes everything, with an optional geography for the communal view.
pub fn calculer_avec(ds: &Dataset, p: &Parametres, geo: Option<&dyn Geographie>) -> Resultats {
    let comptes = compter(ds, p);
    let mut cellules = comptes.cellules;
    let mut alertes = alertes::generales(p, ds.nb_rejets, ds.nb_avertissements);
    let calcules = en_parallele(ds.perimetres.len(), |i| {
        perimetre(ds, p, i, &comptes.parties, &cellules)
    });
    let mut perimetres = Vec::with_capacity(ds.perimetres.len());
    for (i, (r, flux_communes, part_categorie)) in calcules.into_iter().enumerate() {
        let per = &ds.perimetres[i];
        // Communal view: F_c and the expected logements of each category (share × F_c).
        // Commune réservataires are the exception: their objectives sit on their own territory
        // (territoire.rs), and the communal view shows those same numbers (as objectifs.csv).
        let mut communales: Vec<(u32, f64)> = Vec::new();
        for o in r.objectifs.iter().filter(|o| r.parts[o.partie].categorie == Categorie::Commune) {
            if let Some(commune) = o.commune {
                match communales.iter_mut().find(|(c, _)| *c == commune) {
                    Some((_, v)) => *v += o.logements_par_an,
                    None => communales.push((commune, o.logements_par_an)),
                }
            }
        }
        for (&c, &fc) in per.cellules.iter().zip(&flux_communes) {
            let commune = ds.cellules[c as usize].commune;
            let a = &mut cellules[c as usize];
            a.flux = fc;
            a.attendus = part_categorie.map(|part| part * fc);
            a.attendus[Categorie::Commune as usize] =
                communales.iter().find(|(x, _)| *x == commune).map_or(0.0, |(_, v)| *v);
        }
        let sans_assiette: Vec<&str> = per
            .parties
            .iter()
            .filter(|&&q| comptes.parties[q as usize].lignes_assiette == 0)
            .map(|&q| {
                ds.reservataires[ds.parties[q as usize].reservataire as usize]
                    .nom
                    .as_str()
            })
            .collect();
        alertes.extend(alertes::perimetre(i, &r, &sans_assiette));
        perimetres.push(r);
    }
    let communes = agregation::vue_communale(
        cellules
            .iter()
            .enumerate()
            .map(|(c, a)| (ds.code_commune(c), a)),
        p.regroupement_plm,
        geo,
    );
    Resultats {
        perimetres,
        cellules,
        communes,
        alertes,
    }
}

/// Per-partie sums of steps 2–4.
#[derive(Clone, Copy, Default)]
struct ComptePartie {
    /// L_r
    logements: u32,
    /// V_r
    volume: f64,
    lignes_assiette: u32,
}

/// Per-cellule sums that depend on the parameters (the hot loop's accumulators).
#[derive(Clone, Copy, Default)]
struct CompteCellule {
    liberations: f64,
    reserves: [u32; Categorie::N],
    volume: [f64; Categorie::N],
}

struct Comptes {
    cellules: Vec<Agregat>,
    parties: Vec<ComptePartie>,
}

/// Runs `f(0..n)`, on scoped threads natively (one contiguous block per core), sequentially in the
/// browser. Results keep their order.
pub(crate) fn en_parallele<R: Send>(n: usize, f: impl Fn(usize) -> R + Sync) -> Vec<R> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let coeurs = std::thread::available_parallelism().map_or(1, |c| c.get().min(8));
        if coeurs > 1 && n > 1 {
            let bloc = n.div_ceil(coeurs);
            let f = &f;
            return std::thread::scope(|s| {
                let taches: Vec<_> = (0..n)
                    .step_by(bloc)
                    .map(|debut| {
                        s.spawn(move || (debut..(debut + bloc).min(n)).map(f).collect::<Vec<R>>())
                    })
                    .collect();
                taches
                    .into_iter()
                    .flat_map(|t| t.join().expect("calcul parallèle"))
                    .collect()
            });
        }
    }
    (0..n).map(f).collect()
}

/// The single pass over logements (in parallel blocks natively): assiette, τ_l, v_l, and their
/// sums per cellule and partie; then the per-cellule counters of the communal view.
fn compter(ds: &Dataset, p: &Parametres) -> Comptes {
    // A fixed number of blocks (not the number of cores) keeps float sums identical on every machine.
    const BLOCS: usize = 4;
    let taille = ds.len().div_ceil(BLOCS).max(1);
    let mut blocs = en_parallele(BLOCS, |b| {
        compter_bloc(
            ds,
            p,
            (b * taille).min(ds.len())..((b + 1) * taille).min(ds.len()),
        )
    });
    let (mut cellules, mut parties) = blocs.remove(0);
    for (bc, bp) in blocs {
        for (x, y) in cellules.iter_mut().zip(&bc) {
            x.liberations += y.liberations;
            additionner(&mut x.reserves, &y.reserves);
            additionner(&mut x.volume, &y.volume);
        }
        for (x, y) in parties.iter_mut().zip(&bp) {
            x.logements += y.logements;
            x.volume += y.volume;
            x.lignes_assiette += y.lignes_assiette;
        }
    }
    let exclu = assiette::exclusions(p);
    let cellules = cellules
        .iter()
        .zip(&ds.fixes)
        .map(|(chaud, fixes)| {
            let mut a = Agregat {
                liberations: chaud.liberations,
                reserves: chaud.reserves,
                volume: chaud.volume,
                ..Default::default()
            };
            for (m, f) in fixes.iter().enumerate() {
                a.logements += f.logements;
                if exclu[m] {
                    a.hors_assiette[m - 1] += f.logements;
                } else {
                    a.assiette += f.logements;
                    additionner(&mut a.typologie, &f.typologie);
                    additionner(&mut a.financement, &f.financement);
                    additionner(&mut a.qpv, &f.qpv);
                }
            }
            a
        })
        .collect();
    Comptes { cellules, parties }
}

/// Steps 1–4 over logements `lignes`: τ_l, v_l, L_r, V_r.
fn compter_bloc(
    ds: &Dataset,
    p: &Parametres,
    lignes: std::ops::Range<usize>,
) -> (Vec<CompteCellule>, Vec<ComptePartie>) {
    let taux = rotation::Taux::new(ds, &p.rotation);
    let exclu = assiette::exclusions(p);
    let conversion = p.date_conversion.num_days_from_ce();
    // Unreserved logements go to a sink partie (last slot, category `non_reserve`) so that the loop
    // has no data-dependent branch; the sink is dropped below.
    let categories: Vec<u8> = (0..ds.parties.len() as u32)
        .map(|q| ds.categorie_partie(q) as u8)
        .chain([Categorie::NonReserve as u8])
        .collect();
    let puits = ds.parties.len();
    let mut cellules = vec![CompteCellule::default(); ds.cellules.len()];
    let mut parties = vec![ComptePartie::default(); ds.parties.len() + 1];
    for i in lignes {
        if exclu[ds.motif[i] as usize] {
            continue;
        }
        let t = taux.taux(i);
        let c = &mut cellules[ds.cellule[i] as usize];
        c.liberations += t;
        let q = if ds.partie[i] == AUCUN {
            puits
        } else {
            ds.partie[i] as usize
        };
        let v = conversion::volume(
            ds.droit[i],
            ds.fin[i],
            conversion,
            t,
            p.duree_sans_terme_ans,
        );
        // Step 4: a logement counts as reserved by r if v_l > 0 (v_l is never negative).
        let reserve = (v > 0.0) as u32;
        let cp = &mut parties[q];
        cp.lignes_assiette += 1;
        cp.logements += reserve;
        cp.volume += v;
        let k = categories[q] as usize;
        c.reserves[k] += reserve;
        c.volume[k] += v;
    }
    parties.pop();
    for c in &mut cellules {
        c.reserves[Categorie::NonReserve as usize] = 0;
        c.volume[Categorie::NonReserve as usize] = 0.0;
    }
    (cellules, parties)
}

/// Steps 5–10 for perimeter `i`. Returns its results, F_c of its cellules and the share of each
/// category (for the communal view).
fn perimetre(
    ds: &Dataset,
    p: &Parametres,
    i: usize,
    comptes: &[ComptePartie],
    cellules: &[Agregat],
) -> (ResultatPerimetre, Vec<f64>, [f64; Categorie::N]) {
    let per = &ds.perimetres[i];
    let bailleur = ds.nom_bailleur(i);
    let mut total = Agregat::default();
    for &c in &per.cellules {
        total.ajouter(&cellules[c as usize]);
    }
    let mises = p
        .mises_en_service_annuelles
        .valeur(bailleur, &per.departement);
    let prelevements = p.prelevements_annuels.valeur(bailleur, &per.departement);
    let f = flux::flux_annuel(total.liberations, mises, prelevements);

    // État parties merge every réservataire of their category; the others sorted by name.
    let mut etat = [(0u32, 0.0f64); 2];
    let mut autres: Vec<(u32, &dataset::Reservataire)> = Vec::new();
    for &q in &per.parties {
        let r = &ds.reservataires[ds.parties[q as usize].reservataire as usize];
        let c = comptes[q as usize];
        match r.categorie {
            Categorie::EtatPrioritaires | Categorie::EtatAgents => {
                let e = &mut etat[(r.categorie == Categorie::EtatAgents) as usize];
                e.0 += c.logements;
                e.1 += c.volume;
            }
            _ => autres.push((q, r)),
        }
    }
    // « Réservataires by name » (tie-break order of the rounding): dictionary order, then category.
    autres.sort_by(|a, b| model::cle_de_tri(&a.1.nom).cmp(&model::cle_de_tri(&b.1.nom)).then(a.1.categorie.cmp(&b.1.categorie)));
    let demandes: Vec<Demande> = autres
        .iter()
        .map(|&(q, r)| Demande {
            nom: &r.nom,
            categorie: r.categorie,
            logements: comptes[q as usize].logements,
            volume: comptes[q as usize].volume,
        })
        .collect();
    let rep = parts::repartir(&demandes, total.assiette, f, p);

    let partie = |reservataire: &str, categorie, logements, volume, part: f64, consomme: bool| {
        ResultatPartie {
            reservataire: reservataire.to_owned(),
            categorie,
            logements_reserves: logements,
            volume_droits: volume,
            part,
            logements_par_an: part * f,
            annees_epuisement: if consomme {
                etalement::annees_epuisement(volume, part * f)
            } else {
                None
            },
        }
    };
    let mut liste = vec![
        partie(
            Categorie::EtatPrioritaires.libelle(),
            Categorie::EtatPrioritaires,
            etat[0].0,
            etat[0].1,
            rep.etat_prioritaires,
            false,
        ),
        partie(
            Categorie::EtatAgents.libelle(),
            Categorie::EtatAgents,
            etat[1].0,
            etat[1].1,
            rep.etat_agents,
            false,
        ),
    ];
    for (d, &part) in demandes.iter().zip(&rep.reservataires) {
        liste.push(partie(
            d.nom,
            d.categorie,
            d.logements,
            d.volume,
            part,
            true,
        ));
    }
    liste.push(partie(
        bailleur,
        Categorie::Bailleur,
        0,
        0.0,
        rep.bailleur,
        false,
    ));

    let parts_etalement: Vec<PartEtalement> = liste[..liste.len() - 1]
        .iter()
        .map(|x| PartEtalement {
            part: x.part,
            volume: (!x.categorie.est_etat()).then_some(x.volume_droits),
        })
        .collect();
    let etalement = etalement::etaler(f, &parts_etalement, p.arrondi);

    // Step 10: F_c per commune, expected logements per category, territorial objectives.
    let cels: Vec<&Agregat> = per
        .cellules
        .iter()
        .map(|&c| &cellules[c as usize])
        .collect();
    let fc = flux::flux_par_commune(
        f,
        &cels.iter().map(|a| a.liberations).collect::<Vec<_>>(),
        &cels.iter().map(|a| a.assiette).collect::<Vec<_>>(),
        &cels.iter().map(|a| a.logements).collect::<Vec<_>>(),
    );
    let mut part_categorie = [0.0; Categorie::N];
    for x in &liste {
        part_categorie[x.categorie as usize] += x.part;
    }
    let communes: Vec<(u32, f64)> = per
        .cellules
        .iter()
        .zip(&fc)
        .map(|(&c, &fc)| (ds.cellules[c as usize].commune, fc))
        .collect();
    // liste = [État prioritaires, État agents, autres…, bailleur]
    let territoires: Vec<Vec<usize>> = (0..liste.len())
        .map(|k| {
            k.checked_sub(2)
                .and_then(|j| autres.get(j))
                .map_or_else(Vec::new, |&(q, _)| territoire_de(ds, per, q))
        })
        .collect();
    let pt: Vec<PartieTerritoire> = liste
        .iter()
        .zip(&territoires)
        .map(|(x, t)| PartieTerritoire {
            par_an: x.logements_par_an,
            etat: x.categorie.est_etat(),
            territoire: t,
        })
        .collect();
    let objectifs = territoire::objectifs(&pt, &communes, f);

    let r = ResultatPerimetre {
        bailleur: bailleur.to_owned(),
        departement: per.departement.clone(),
        logements: total.logements,
        assiette: total.assiette,
        hors_assiette: total.hors_assiette,
        liberations: total.liberations,
        flux_annuel: f,
        somme_parts_avant_depassement: rep.somme_avant_depassement,
        parts: liste,
        etalement,
        objectifs,
    };
    (r, fc, part_categorie)
}

/// Positions (in the perimeter's cellule list) of the communes where commune partie `q` holds
/// reservations.
fn territoire_de(ds: &Dataset, per: &dataset::Perimetre, q: u32) -> Vec<usize> {
    let mut cellules: Vec<u32> = ds
        .logements_communaux
        .iter()
        .filter(|&&i| ds.partie[i as usize] == q)
        .map(|&i| ds.cellule[i as usize])
        .collect();
    cellules.sort_unstable();
    cellules.dedup();
    cellules
        .iter()
        .filter_map(|&c| per.cellules.iter().position(|&k| k == c))
        .collect()
}

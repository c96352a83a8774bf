//! Steps 5–10 (SPEC §4.5–4.10) for one convention perimeter (bailleur × département), from the
//! sums of the single pass ([`super::comptage`]): flux, shares, étalement, territorial objectives.

use chrono::Datelike;

use super::agregation::Agregat;
use super::comptage::Comptes;
use super::dataset::{self, Dataset};
use super::etalement::{self, PartEtalement};
use super::flux::{self, FluxAnnuels};
use super::model::{Categorie, Motif};
use super::parametres::Arrondi;
use super::parts::{self, Demande};
use super::regles::{nul, ControleEtat};
use super::resultats::{ResultatPartie, ResultatPerimetre, Role};
use super::territoire::{self, Implantation, PartieTerritoire};
use super::Parametres;

/// What the communal view needs back from a perimeter.
pub(crate) struct PourLaVue {
    /// F_c of each cellule of the perimeter (its `cellules` order).
    pub flux_communes: Vec<f64>,
    /// Σ of the shares of each category.
    pub part_categorie: [f64; Categorie::N],
}

/// Steps 5–10 for perimeter `i`.
pub(crate) fn calculer_perimetre(
    ds: &Dataset,
    p: &Parametres,
    i: usize,
    comptes: &Comptes,
    cellules: &[Agregat],
    rangs_par_nom: &[u32],
) -> (ResultatPerimetre, PourLaVue) {
    let per = &ds.perimetres[i];
    let bailleur = ds.nom_bailleur(i);
    let mut total = Agregat::default();
    for &c in &per.cellules {
        total.ajouter(&cellules[c as usize]);
    }
    // Logements of motif `autre` kept in the assiette (SPEC §3 v2 alert).
    let autre_dans_assiette = if p.exclut(Motif::Autre) {
        0
    } else {
        per.cellules
            .iter()
            .map(|&c| ds.fixes.logements(c as usize, Motif::Autre))
            .sum()
    };

    // Step 5: F_k year by year; the convention's yearly figures use F_1.
    let taux_moyen = flux::taux_moyen(total.liberations, total.assiette, p.rotation.taux_unique);
    let flux_annuels = FluxAnnuels::new(
        p.date_conversion.year(),
        total.liberations,
        taux_moyen,
        p.prelevements_annuels.valeur(bailleur, &per.departement),
        p.mises_en_service.cohortes(bailleur, &per.departement),
    );
    let f = flux_annuels.flux(1);

    // Steps 6–8. État parties merge every réservataire of their category; the others by name.
    let mut etat = [(0u32, 0.0f64); 2];
    let mut autres: Vec<(u32, &dataset::Reservataire)> = Vec::new();
    for &q in &per.parties {
        let r = &ds.reservataires[ds.parties[q as usize].reservataire as usize];
        let c = comptes.parties[q as usize];
        match r.categorie {
            Categorie::EtatPrioritaires | Categorie::EtatAgents => {
                let e = &mut etat[(r.categorie == Categorie::EtatAgents) as usize];
                e.0 += c.logements;
                e.1 += c.volume;
            }
            _ => autres.push((q, r)),
        }
    }
    // « Réservataires by name » (tie-break order of the rounding): dictionary order, then category
    // (`Dataset::rangs_par_nom`, folded once per calculation).
    autres.sort_unstable_by_key(|&(q, _)| rangs_par_nom[ds.parties[q as usize].reservataire as usize]);
    let demandes: Vec<Demande> = autres
        .iter()
        .map(|&(q, r)| Demande {
            nom: &r.nom,
            categorie: r.categorie,
            logements: comptes.parties[q as usize].logements,
            volume: comptes.parties[q as usize].volume,
        })
        .collect();
    let rep = parts::repartir(&demandes, total.assiette, f, p);

    let partie = |nom: &str, categorie: Categorie, logements, volume, part: f64, brute: f64| ResultatPartie {
        reservataire: nom.to_owned(),
        categorie,
        role: Role::de(categorie),
        logements_reserves: logements,
        volume_droits: volume,
        part,
        part_avant_depassement: brute,
        logements_par_an: part * f,
        annees_epuisement: None,
        annees_nommees: Vec::new(),
        logements_etalement: 0.0,
        noye: false,
        homonyme: false,
    };
    let mut liste = vec![
        partie(Categorie::EtatPrioritaires.nom_sortie(), Categorie::EtatPrioritaires, etat[0].0, etat[0].1, rep.etat_prioritaires, rep.etat_prioritaires),
        partie(Categorie::EtatAgents.nom_sortie(), Categorie::EtatAgents, etat[1].0, etat[1].1, rep.etat_agents, rep.etat_agents),
    ];
    for ((d, &part), &brute) in demandes.iter().zip(&rep.reservataires).zip(&rep.brutes) {
        liste.push(partie(d.nom, d.categorie, d.logements, d.volume, part, brute));
    }
    liste.push(partie(bailleur, Categorie::Bailleur, 0, 0.0, rep.bailleur, rep.bailleur));

    // Homonyms: two réservataires of one name (two categories). In the order by name they sit side
    // by side, after the État's two parties.
    for k in 0..demandes.len() {
        let meme = |j: usize| demandes.get(j).is_some_and(|d| d.nom == demandes[k].nom);
        liste[2 + k].homonyme = (k > 0 && meme(k - 1)) || meme(k + 1);
    }

    // Step 9: the étalement; its per-party figures go back to the parties.
    // `etaler` takes every party but the bailleur, in party order, and adds the bailleur last.
    debug_assert_eq!(liste.last().map(|x| x.role), Some(Role::Bailleur));
    let parts_etalement: Vec<PartEtalement> = liste
        .iter()
        .filter(|x| x.role != Role::Bailleur)
        .map(|x| PartEtalement {
            part: x.part,
            volume: (x.role == Role::Reservataire).then_some(x.volume_droits),
        })
        .collect();
    let mut etalement = etalement::etaler(&flux_annuels, &parts_etalement, p.arrondi);
    let v1 = matches!(p.arrondi, Arrondi::PlusFortsRestes | Arrondi::Report);
    for (k, x) in liste.iter_mut().enumerate() {
        x.annees_epuisement = etalement.annees_epuisement[k];
        x.annees_nommees = if x.petite() { std::mem::take(&mut etalement.annees_nommees[k]) } else { Vec::new() };
        x.logements_etalement = etalement.totaux[k];
        // « Noyé dans le flux » (SPEC §4.9 v2): under a v1 rounding, whole logements over the whole
        // étalement short of the volume by one logement or more.
        x.noye = v1 && x.role == Role::Reservataire && x.volume_droits - x.logements_etalement >= 1.0 - super::regles::TOLERANCE;
    }

    // Step 10: F_c per commune, expected logements per category, territorial objectives.
    let cels: Vec<&Agregat> = per.cellules.iter().map(|&c| &cellules[c as usize]).collect();
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
    let communes: Vec<(&str, f64)> = per
        .cellules
        .iter()
        .zip(&fc)
        .map(|(&c, &fc)| (ds.code_commune(c as usize), fc))
        .collect();
    // The territory of each party, aligned with `liste`: the communes of its own reservations for
    // a local réservataire, none for the others.
    let mut locales = autres.iter().map(|&(q, r)| (q, r.categorie.territoriale()));
    let territoires: Vec<Vec<Implantation>> = liste
        .iter()
        .map(|x| match x.role {
            Role::Reservataire => match locales.next() {
                Some((q, true)) => implantations(ds, comptes, q),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        })
        .collect();
    let pt: Vec<PartieTerritoire> = liste
        .iter()
        .zip(&territoires)
        .map(|(x, t)| PartieTerritoire {
            par_an: x.logements_par_an,
            etat: x.role.est_etat(),
            territoire: t,
        })
        .collect();
    let objectifs = territoire::objectifs(&pt, &communes, f);

    let reserves_etat = |role: Role| liste.iter().filter(|x| x.role == role).map(|x| x.logements_reserves).sum::<u32>();
    let (stock_prioritaires, stock_agents) = (reserves_etat(Role::EtatPrioritaires), reserves_etat(Role::EtatAgents));
    let assiette = f64::from(total.assiette.max(1));
    let controle_stock_etat = if total.assiette == 0 {
        ControleEtat::new(0.0, 0.0)
    } else {
        ControleEtat::new(f64::from(stock_prioritaires + stock_agents) / assiette, f64::from(stock_agents) / assiette)
    };
    let r = ResultatPerimetre {
        bailleur: bailleur.to_owned(),
        departement: per.departement.clone(),
        logements: total.logements,
        assiette: total.assiette,
        hors_assiette: total.hors_assiette,
        hors_assiette_total: total.hors_assiette.iter().sum(),
        autre_dans_assiette,
        liberations: total.liberations,
        taux_moyen,
        flux_annuel: f,
        flux_annuels: flux_annuels.clone(),
        somme_parts_avant_depassement: rep.somme_avant_depassement,
        depassement: rep.depasse(),
        controle_etat: ControleEtat::new(rep.etat_prioritaires + rep.etat_agents, rep.etat_agents),
        controle_stock_etat,
        total_parts: liste.iter().map(|x| x.part).sum(),
        total_logements_par_an: liste.iter().map(|x| x.logements_par_an).sum(),
        parts: liste,
        etalement,
        objectifs,
    };
    debug_assert!(nul(r.total_parts - 1.0) || r.flux_annuel == 0.0 || r.total_parts <= 1.0);
    (r, PourLaVue { flux_communes: fc, part_categorie })
}

/// The communes of local partie `q`'s reserved assiette logements, with their Σ τ.
fn implantations(ds: &Dataset, comptes: &Comptes, q: u32) -> Vec<Implantation> {
    let t = &comptes.territoires;
    let debut = t.partition_point(|x| x.0 < q);
    t[debut..]
        .iter()
        .take_while(|x| x.0 == q)
        .map(|&(_, c, somme_taux, logements)| Implantation {
            commune: ds.code_commune(c as usize).to_owned(),
            somme_taux,
            logements,
        })
        .collect()
}

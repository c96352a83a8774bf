#!/usr/bin/env bash
# The same-work comparison with the pandas baseline, run on demand (not part of the tests):
# `flux` (reading, import and `calculer`, from FLUX_CHRONO=1) and `benches/pandas_baseline.py`
# alternated N times on the same file, so that both see the same state of the machine; prints each
# pair and the ratio of the medians. pandas' own time moves by a second from one hour to the next
# on this VM (2.6–4.4 s on the same file), so single pairings say little.
#
#   cargo build --release --bin flux; pip install pandas
#   benches/comparer_pandas.sh /tmp/gestion-flux-bench/idf-exports-1400000.csv 9
set -euo pipefail
fichier=${1:?usage: benches/comparer_pandas.sh FICHIER.csv [N]}
n=${2:-9}
cd "$(dirname "$0")/.."
sortie=$(mktemp -d)
trap 'rm -rf "$sortie"' EXIT
for _ in $(seq "$n"); do
  flux=$(FLUX_CHRONO=1 target/release/flux "$fichier" --sortie "$sortie" 2>&1 |
    awk '/lecture et import/{i=$6} /flux : calcul/{c=$4} END{printf "%.1f", i+c}')
  pandas=$(python3 benches/pandas_baseline.py "$fichier" | sed -n 's/.*; \([0-9.]*\) s, pic.*/\1/p')
  echo "$flux $pandas"
done | python3 -c '
import statistics, sys
paires = [tuple(map(float, l.split())) for l in sys.stdin]
for f, p in paires:
    print(f"flux {f:.0f} ms   pandas {p:.2f} s   {p * 1000 / f:.1f}×")
f = statistics.median(x for x, _ in paires)
p = statistics.median(y for _, y in paires)
print(f"médianes : flux {f:.0f} ms, pandas {p:.2f} s : {p * 1000 / f:.1f}× (paires : "
      f"{min(y * 1000 / x for x, y in paires):.1f}–{max(y * 1000 / x for x, y in paires):.1f}×)")
'

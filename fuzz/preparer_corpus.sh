#!/bin/sh
# Seeds the fuzzing corpora from the import test corpus (docs/import.md):
#   fuzz/corpus/csv      the CSV files of tests/import_corpus/ (first byte 1: read as they are)
#   fuzz/corpus/tableur  each workbook (mode 0), the XLSX template's sheet and shared strings
#                        (modes 1 and 2) and an ODS content.xml (mode 3).
set -eu
cd "$(dirname "$0")"
mkdir -p corpus/csv corpus/tableur
for f in ../tests/import_corpus/*.csv ../tests/import_corpus/*.txt; do
    { printf '\001'; cat "$f"; } > "corpus/csv/$(basename "$f")"
done
python3 - <<'PY'
import glob, os, zipfile
sortie = "corpus/tableur"
for f in glob.glob("../tests/import_corpus/*.xls*") + glob.glob("../tests/import_corpus/*.ods"):
    open(os.path.join(sortie, os.path.basename(f)), "wb").write(b"\0" + open(f, "rb").read())
for mode, f, entree in [(1, "formules_fusions.xlsx", "xl/worksheets/sheet1.xml"),
                        (2, "formules_fusions.xlsx", "xl/sharedStrings.xml"),
                        (3, "classeur.ods", "content.xml")]:
    contenu = zipfile.ZipFile("../tests/import_corpus/" + f).read(entree)
    open(os.path.join(sortie, "mode%d_%s.xml" % (mode, entree.replace("/", "_"))), "wb").write(bytes([mode]) + contenu)
PY
ls corpus/csv corpus/tableur | wc -l

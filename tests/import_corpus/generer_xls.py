"""Writes ancien.xls (Excel 97-2003), which the reader refuses with a clear message
(tests/import_corpus.rs::xls_and_encrypted_workbooks_are_refused).

    python3 -m pip install xlwt   # in a virtualenv
    python3 tests/import_corpus/generer_xls.py
"""
import datetime
import pathlib

import xlwt

classeur = xlwt.Workbook(encoding="utf-8")
feuille = classeur.add_sheet("Parc")
date = xlwt.easyxf(num_format_str="DD/MM/YYYY")
for j, nom in enumerate(["rpls", "commune", "typologie", "surface", "date_fin", "reservataire", "categorie"]):
    feuille.write(0, j, nom)
# Line 2: typed cells; line 3: text cells; the réservataire merged down lines 2 and 3.
feuille.write(1, 0, "L1")
feuille.write(1, 1, 93048)
feuille.write(1, 2, 3)
feuille.write(1, 3, 65.5)
feuille.write(1, 4, datetime.date(2040, 12, 31), date)
feuille.write_merge(1, 2, 5, 5, "Action Logement Services")
feuille.write(1, 6, "action_logement")
feuille.write(2, 0, "L2")
feuille.write(2, 1, "93066")
feuille.write(2, 2, "T2")
feuille.write(2, 3, 45)
feuille.write(2, 4, "2041")
feuille.write(2, 6, "action_logement")
classeur.save(str(pathlib.Path(__file__).with_name("ancien.xls")))

//! Workbooks through `import::lire`. Mutating a whole XLSX rarely gets past the ZIP checksums,
//! so the first byte chooses what the rest is:
//! 0: the raw file; 1: the XML of the first sheet of the XLSX template; 2: its shared strings;
//! 3: the `content.xml` of an ODS. The others parts stay valid, so mutations reach calamine's
//! XML readers and our cell conversion. Invariants: no panic, counts reconcile.
#![no_main]

use std::io::{Read, Write};
use std::sync::OnceLock;

use gestion_flux::export::modele;
use gestion_flux::import::{self, OptionsLecture};
use libfuzzer_sys::fuzz_target;

/// Entries (name, content) of the XLSX template.
fn modele() -> &'static Vec<(String, Vec<u8>)> {
    static M: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    M.get_or_init(|| {
        let octets = modele::modele_xlsx();
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(octets)).unwrap();
        (0..z.len())
            .map(|i| {
                let mut f = z.by_index(i).unwrap();
                let mut contenu = Vec::new();
                f.read_to_end(&mut contenu).unwrap();
                (f.name().unwrap().into_owned(), contenu)
            })
            .collect()
    })
}

/// A stored (uncompressed) ZIP of `entrees`, `remplace` swapped in for the entry of that name.
fn archive<'a>(entrees: impl Iterator<Item = (&'a str, &'a [u8])>) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (nom, contenu) in entrees {
        z.start_file(nom, options).unwrap();
        z.write_all(contenu).unwrap();
    }
    z.finish().unwrap().into_inner()
}

fn xlsx(remplace: &str, contenu: &[u8]) -> Vec<u8> {
    archive(modele().iter().map(|(nom, c)| {
        let c = if nom == remplace {
            contenu
        } else {
            c.as_slice()
        };
        (nom.as_str(), c)
    }))
}

fn ods(contenu: &[u8]) -> Vec<u8> {
    archive(
        [
            (
                "mimetype",
                &b"application/vnd.oasis.opendocument.spreadsheet"[..],
            ),
            ("content.xml", contenu),
        ]
        .into_iter(),
    )
}

fuzz_target!(|data: &[u8]| {
    let Some((&choix, reste)) = data.split_first() else {
        return;
    };
    let octets = match choix % 4 {
        0 => reste.to_vec(),
        1 => xlsx("xl/worksheets/sheet1.xml", reste),
        2 => xlsx("xl/sharedStrings.xml", reste),
        _ => ods(reste),
    };
    let _ = import::feuilles(&octets);
    if let Ok(imp) = import::lire(&octets, &OptionsLecture::default()) {
        assert_eq!(imp.lignes_lues, imp.lignes_retenues + imp.rejets.len());
        // A row may stand for `nb` logements: each logement has its row's line.
        assert_eq!(imp.lignes.len(), imp.dataset.len());
        assert!(imp.lignes_retenues <= imp.dataset.len());
    }
});

fn main() {
    let mut w = rust_xlsxwriter::Workbook::new();
    let f = w.add_worksheet();
    f.write(0, 0, "rpls").unwrap();
    f.write(0, 1, "commune").unwrap();
    f.write(1_048_575, 16_383, "x").unwrap();
    let b = w.save_to_buffer().unwrap();
    println!("{} octets", b.len());
    let r = gestion_flux::import::lire(&b, &Default::default());
    println!("{:?}", r.map(|i| i.lignes_lues));
}

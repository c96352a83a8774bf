//! `flux` command line (SPEC §6). Filled in by the engine issue.
fn main() {
    eprintln!("flux : moteur pas encore disponible");
    std::process::exit(2);
}

//! Import layer: turns an uploaded état des lieux (bytes) into the model.

/// Number of data rows (header excluded) of a CSV état des lieux, whatever its separator.
///
/// Placeholder of the foundation: the full reader (SPEC §2) replaces it.
pub fn count_data_rows(bytes: &[u8]) -> usize {
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .from_reader(bytes)
        .byte_records()
        .filter(|r| r.is_ok())
        .count()
}

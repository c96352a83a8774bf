//! One pass over a quote-free CSV chunk that finds every line end and every separator at once.
//!
//! Searching each line for its separators one by one (a `memchr` call per field, sixteen per
//! row of an état des lieux) cost a sixth of the command line's import. Here the chunk is read 64
//! bytes at a time: two bit masks say where the separators and the line breaks are, and the set
//! bits are walked in order. The masks are computed sixteen bytes at a time with SSE2 natively,
//! eight bytes at a time in a `u64` (SWAR) in the browser's WebAssembly; both in safe code, and a
//! test checks they agree.

/// Bit `i` set where byte `i` of the little-endian word `w` equals `octet`.
///
/// `x = w ^ octet…` is zero exactly on the bytes sought; `((x & 0x7f…) + 0x7f…) | x` has the high
/// bit of every non-zero byte set, with no carry from one byte into the next, so the complement
/// marks the zero bytes exactly. Their high bits are gathered into one byte by a multiplication.
#[cfg_attr(all(target_arch = "x86_64", not(test)), allow(dead_code))]
#[inline(always)]
fn egaux(w: u64, octet: u8) -> u64 {
    const BAS: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = w ^ (u64::from(octet) * 0x0101_0101_0101_0101);
    let zeros = !(((x & BAS) + BAS) | x | BAS);
    (zeros >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// Masks of `sep` and of `\n` in a block of 64 bytes (bit `i` = byte `i`): natively, sixteen bytes
/// compared at once (SSE2, always there on x86-64, through `safe_arch`'s safe wrappers): on the
/// exports-shaped 130 k file the masks took 6 million instructions instead of 43 million.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn masques(bloc: &[u8; 64], sep: u8) -> (u64, u64) {
    use safe_arch::{cmp_eq_mask_i8_m128i, m128i, move_mask_i8_m128i, set_splat_i8_m128i};
    let (vs, vn) = (set_splat_i8_m128i(sep as i8), set_splat_i8_m128i(b'\n' as i8));
    let masque = |v: m128i, o: m128i| u64::from(move_mask_i8_m128i(cmp_eq_mask_i8_m128i(v, o)) as u16);
    let (mut s, mut n) = (0, 0);
    for (k, seize) in bloc.chunks_exact(16).enumerate() {
        let v = m128i::from(<[u8; 16]>::try_from(seize).unwrap_or_default());
        s |= masque(v, vs) << (16 * k);
        n |= masque(v, vn) << (16 * k);
    }
    (s, n)
}

/// Masks of `sep` and of `\n` in a block of 64 bytes: [`masques_mots`] (the browser's WebAssembly).
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn masques(bloc: &[u8; 64], sep: u8) -> (u64, u64) {
    masques_mots(bloc, sep)
}

/// Masks of `sep` and of `\n` in a block of 64 bytes (bit `i` = byte `i`), eight bytes at a time.
#[cfg_attr(all(target_arch = "x86_64", not(test)), allow(dead_code))]
#[inline(always)]
fn masques_mots(bloc: &[u8; 64], sep: u8) -> (u64, u64) {
    let (mut s, mut n) = (0, 0);
    for (k, mot) in bloc.chunks_exact(8).enumerate() {
        let w = u64::from_le_bytes(mot.try_into().unwrap_or_default());
        s |= egaux(w, sep) << (8 * k);
        n |= egaux(w, b'\n') << (8 * k);
    }
    (s, n)
}

/// Calls `ligne(debut, fin, fins)` for every line `octets[debut..fin]` (`fin`: its `\n`, or the
/// end of a last line without one), in order, until it returns `false`. `fins` holds the offsets
/// of `sep` in the line, from its start; for a line longer than `max` bytes it is cut short (the
/// caller rejects such a line without looking at its fields). The callee may push to `fins`; it
/// is emptied before the next line.
pub(crate) fn lignes(
    octets: &[u8],
    sep: u8,
    max: usize,
    mut ligne: impl FnMut(usize, usize, &mut Vec<usize>) -> bool,
) {
    let mut fins = Vec::with_capacity(64);
    let mut debut = 0;
    for (b, bloc) in octets.chunks(64).enumerate() {
        let base = 64 * b;
        let (s, n) = match <&[u8; 64]>::try_from(bloc) {
            Ok(bloc) => masques(bloc, sep),
            Err(_) => {
                // The last, shorter block, padded with bytes that are neither.
                let mut plein = [0u8; 64];
                plein[..bloc.len()].copy_from_slice(bloc);
                let (s, n) = masques(&plein, sep);
                let garde = (1u64 << bloc.len()) - 1;
                (s & garde, n & garde)
            }
        };
        let (mut s, mut n) = (s, n);
        loop {
            // The separators before the block's next line break (all of them without one), taken
            // together: their line's cap is checked once for the block when it cannot be reached.
            let mut avant = if n == 0 { s } else { s & (n & n.wrapping_neg()).wrapping_sub(1) };
            s &= !avant;
            let sans_plafond = (base + 63).saturating_sub(debut) <= max;
            while avant != 0 {
                let p = base + avant.trailing_zeros() as usize;
                avant &= avant - 1;
                if sans_plafond || p - debut <= max {
                    fins.push(p - debut);
                }
            }
            if n == 0 {
                break;
            }
            let p = base + n.trailing_zeros() as usize;
            n &= n - 1;
            if !ligne(debut, p, &mut fins) {
                return;
            }
            fins.clear();
            debut = p + 1;
        }
    }
    if debut < octets.len() {
        ligne(debut, octets.len(), &mut fins);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the scan must give: every line with its separators, as a plain byte search finds them.
    fn attendu(octets: &[u8], sep: u8) -> Vec<(usize, usize, Vec<usize>)> {
        let mut v = Vec::new();
        let mut debut = 0;
        for (p, _) in octets.iter().enumerate().filter(|(_, &b)| b == b'\n') {
            let l = &octets[debut..p];
            v.push((
                debut,
                p,
                l.iter()
                    .enumerate()
                    .filter(|(_, &b)| b == sep)
                    .map(|(i, _)| i)
                    .collect(),
            ));
            debut = p + 1;
        }
        if debut < octets.len() {
            let l = &octets[debut..];
            v.push((
                debut,
                octets.len(),
                l.iter()
                    .enumerate()
                    .filter(|(_, &b)| b == sep)
                    .map(|(i, _)| i)
                    .collect(),
            ));
        }
        v
    }

    fn obtenu(octets: &[u8], sep: u8) -> Vec<(usize, usize, Vec<usize>)> {
        let mut v = Vec::new();
        lignes(octets, sep, usize::MAX, |d, f, fins| {
            v.push((d, f, fins.clone()));
            true
        });
        v
    }

    /// Both ways of computing the masks agree, on every byte value around the ones sought.
    #[test]
    fn both_masks_agree() {
        let mut graine = 0x2545_f491_4f6c_dd1du64;
        for sep in [b';', b',', b'\t', b'|', 0x80, 0xff] {
            for _ in 0..2000 {
                let mut bloc = [0u8; 64];
                for b in &mut bloc {
                    graine ^= graine << 13;
                    graine ^= graine >> 7;
                    graine ^= graine << 17;
                    *b = match graine % 6 {
                        0 => b'\n',
                        1 => sep,
                        2 => sep ^ 0x80,
                        _ => (graine >> 8) as u8,
                    };
                }
                assert_eq!(masques(&bloc, sep), masques_mots(&bloc, sep));
            }
        }
    }

    /// Every byte value next to the separator and the line break, lines across block edges, a
    /// last line with or without its break, bytes ≥ 0x80 (their high bit must not be taken for
    /// a match), any separator.
    #[test]
    fn same_lines_and_fields_as_a_plain_search() {
        let mut graine = 0x2545_f491_4f6c_dd1du64;
        for sep in [b';', b',', b'\t', b'|'] {
            for taille in [0, 1, 7, 63, 64, 65, 127, 128, 129, 1000, 4099] {
                for _ in 0..20 {
                    let octets: Vec<u8> = (0..taille)
                        .map(|_| {
                            graine ^= graine << 13;
                            graine ^= graine >> 7;
                            graine ^= graine << 17;
                            match graine % 8 {
                                0 => b'\n',
                                1 | 2 => sep,
                                3 => sep ^ 0x80,
                                4 => b'\n' | 0x80,
                                _ => (graine >> 8) as u8,
                            }
                        })
                        .collect();
                    assert_eq!(
                        obtenu(&octets, sep),
                        attendu(&octets, sep),
                        "sep {sep} taille {taille}"
                    );
                }
            }
        }
    }

    /// The walk stops when asked, and a line longer than `max` keeps at most `max` bytes' worth
    /// of separators.
    #[test]
    fn stops_when_asked_and_caps_long_lines() {
        let octets = b"a;b\nc;d\ne;f\n";
        let mut vues = 0;
        lignes(octets, b';', usize::MAX, |_, _, _| {
            vues += 1;
            vues < 2
        });
        assert_eq!(vues, 2);
        let longue = [b';'; 300];
        lignes(&longue, b';', 100, |d, f, fins| {
            assert_eq!((d, f), (0, 300));
            assert_eq!(fins.len(), 101);
            true
        });
    }
}

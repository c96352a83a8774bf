//! Columns of numbers serialised as their little-endian bytes (serde `with` module).
//!
//! The browser's reading workers hand their part of a file to the page as a [`postcard`] message
//! (`import::plages::Plage`): element by element, decoding the 1.4 million values of each of the
//! dataset's columns took about a fifth of a second of the page's join. As bytes, each column is
//! one copy each way. Nothing else serialises a dataset.
//!
//! [`postcard`]: https://docs.rs/postcard

use std::marker::PhantomData;

use serde::de::{Deserializer, Error, Visitor};
use serde::Serializer;

/// A number of fixed width, written little-endian.
pub trait Nombre: Copy {
    const OCTETS: usize;
    fn ecrire(self, sortie: &mut Vec<u8>);
    fn lire(octets: &[u8]) -> Self;
}

macro_rules! nombre {
    ($($t:ty),*) => {$(
        impl Nombre for $t {
            const OCTETS: usize = std::mem::size_of::<$t>();
            fn ecrire(self, sortie: &mut Vec<u8>) {
                sortie.extend_from_slice(&self.to_le_bytes());
            }
            fn lire(octets: &[u8]) -> Self {
                <$t>::from_le_bytes(octets.try_into().unwrap_or_default())
            }
        }
    )*};
}
nombre!(u8, u16, u32, i32, f64);

pub fn serialize<T: Nombre, S: Serializer>(colonne: &[T], s: S) -> Result<S::Ok, S::Error> {
    let mut octets = Vec::with_capacity(colonne.len() * T::OCTETS);
    colonne.iter().for_each(|x| x.ecrire(&mut octets));
    s.serialize_bytes(&octets)
}

pub fn deserialize<'de, T: Nombre, D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    struct Colonne<T>(PhantomData<T>);
    impl<T: Nombre> Visitor<'_> for Colonne<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "une colonne de nombres de {} octets", T::OCTETS)
        }
        fn visit_bytes<E: Error>(self, octets: &[u8]) -> Result<Vec<T>, E> {
            if !octets.len().is_multiple_of(T::OCTETS) {
                return Err(E::invalid_length(octets.len(), &self));
            }
            Ok(octets.chunks_exact(T::OCTETS).map(T::lire).collect())
        }
    }
    d.deserialize_bytes(Colonne(PhantomData))
}

#[cfg(test)]
mod tests {
    /// Every width round-trips exactly (NaN, infinities and the extremes included), and a
    /// truncated column is an error, not a short column.
    #[test]
    fn columns_round_trip_as_bytes() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct T {
            #[serde(with = "super")]
            a: Vec<u8>,
            #[serde(with = "super")]
            b: Vec<u16>,
            #[serde(with = "super")]
            c: Vec<u32>,
            #[serde(with = "super")]
            d: Vec<i32>,
            #[serde(with = "super")]
            e: Vec<f64>,
        }
        let t = T {
            a: vec![0, 1, 255],
            b: vec![0, 1975, u16::MAX],
            c: vec![0, 7, u32::MAX],
            d: vec![i32::MIN, -1, 738_000, i32::MAX],
            e: vec![0.063, -0.0, f64::INFINITY, 1e-300, f64::MAX],
        };
        let octets = postcard::to_allocvec(&t).unwrap();
        assert_eq!(postcard::from_bytes::<T>(&octets).unwrap(), t);
        let nan: Vec<f64> = postcard::from_bytes::<T>(
            &postcard::to_allocvec(&T {
                e: vec![f64::NAN],
                ..t
            })
            .unwrap(),
        )
        .unwrap()
        .e;
        assert!(nan[0].is_nan());
        // Five bytes written as a column of `u8` are not a column of `u32`.
        #[derive(serde::Serialize)]
        struct U8(#[serde(with = "super")] Vec<u8>);
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct U32(#[serde(with = "super")] Vec<u32>);
        let tronque = postcard::to_allocvec(&U8(vec![1, 2, 3, 4, 5])).unwrap();
        assert!(postcard::from_bytes::<U32>(&tronque).is_err());
    }
}

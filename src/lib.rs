//! Calculateur de gestion en flux — conversion of social-housing reservations from *stock* to *flux*
//! (loi ELAN art. 114, décret n° 2020-145, CCH R. 441-5 et suivants).
//!
//! Data flows one way: file → [`import`] → model → [`domain`] computations → results → views/exports.
//! The domain core never depends on the web: the [`ui`] module (Leptos) exists only on `wasm32`.

pub mod format;
pub mod carte;
pub mod graphique;
pub mod geo;
pub mod domain;
pub mod dossier;
pub mod export;
pub mod generate;
pub mod import;

#[cfg(target_arch = "wasm32")]
pub mod ui;

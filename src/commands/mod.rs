//! Command drivers: argument handling, reading inputs, printing and writing outputs.
//! The pipeline they drive is `lib.rs`; what they print is made by `render` and
//! `analysis`.

pub mod analysis;

//! Raw bytes as a design: the parser, the model and, when they pass, everything after.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        common::exercise(text);
    }
});

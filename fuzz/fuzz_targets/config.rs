//! Any text as `infralint.toml`: the config reader, its errors in every machine format,
//! and settings that read applied to a design.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        common::read_config(text);
    }
});

//! Every input fuzzing once crashed on, kept under `tests/fixtures/fuzz/`, replayed
//! through the fuzz targets' own harness (`fuzz/fuzz_targets/common.rs`): the whole
//! pipeline and every renderer, with their invariants.

#[path = "../../fuzz/fuzz_targets/common.rs"]
mod harness;

#[test]
fn crash_inputs_no_longer_crash() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "the seed input at least");
    for input in &inputs {
        let bytes = std::fs::read(input).unwrap();
        if let Ok(text) = std::str::from_utf8(&bytes) {
            harness::exercise(text);
        }
        eprintln!("{}: fine", input.display());
    }
}

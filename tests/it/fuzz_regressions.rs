//! Every input fuzzing once crashed on, kept under `tests/fixtures/fuzz/`, replayed
//! through the fuzz targets' own harness (`fuzz/fuzz_targets/common.rs`) by its
//! extension: `.yaml` a design (the whole pipeline and every renderer, with their
//! invariants), `.toml` a config file, `.lsp` the language server's input as framed.

#[path = "../../fuzz/fuzz_targets/common.rs"]
mod harness;

#[test]
fn crash_inputs_no_longer_crash() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    inputs.sort();
    let mut seen = std::collections::BTreeSet::new();
    for input in &inputs {
        let bytes = std::fs::read(input).unwrap();
        let extension = input.extension().and_then(|e| e.to_str()).unwrap_or("");
        match (extension, std::str::from_utf8(&bytes)) {
            ("yaml", Ok(text)) => harness::exercise(text),
            ("toml", Ok(text)) => harness::read_config(text),
            ("lsp", _) => harness::serve_bytes(&bytes),
            ("yaml" | "toml", Err(_)) => {}
            _ => panic!("{}: a fixture of no target", input.display()),
        }
        seen.insert(extension.to_string());
        eprintln!("{}: fine", input.display());
    }
    assert_eq!(
        seen.into_iter().collect::<Vec<_>>(),
        ["lsp", "toml", "yaml"],
        "a seed input for each kind at least"
    );
}

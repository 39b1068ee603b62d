//! The shell completion scripts under completions/ are generated from the clap
//! grammar and committed; this fails when they no longer match it.
//! Regenerate with: `cargo run -q -- completions SHELL > completions/FILE`
//! for each row of FILES (or `bash completions/regenerate`).

mod common;

const FILES: [(&str, &str); 5] = [
    ("bash", "vmsdbg.bash"),
    ("zsh", "_vmsdbg"),
    ("fish", "vmsdbg.fish"),
    ("elvish", "vmsdbg.elv"),
    ("powershell", "_vmsdbg.ps1"),
];

#[test]
fn committed_completions_match_the_grammar() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for (shell, file) in FILES {
        let generated = common::Vmsdbg::new()
            .args(["completions", shell])
            .run()
            .ok()
            .stdout();
        let committed = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        assert!(
            generated == committed,
            "completions/{file} is stale: run `bash completions/regenerate` and commit it"
        );
        assert!(
            generated.contains("tenant"),
            "{shell} script names the commands"
        );
    }
}

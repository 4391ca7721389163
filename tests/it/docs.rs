//! The README and ARCHITECTURE name files a newcomer will open: every path they name
//! exists, so a move or a rename that forgets the documents fails here.

use std::path::Path;

/// Where a path written in the documents may be rooted: the repository, the binary's
/// `src/`, or a layer's crate (`web/guard.rs` is `crates/web/src/guard.rs`); a path
/// inside a context's paragraph may leave out the crate and the context it is about.
fn exists(root: &Path, path: &str) -> bool {
    let path = path.trim_end_matches('/');
    let mut candidates = vec![
        root.join(path),
        root.join("src").join(path),
        root.join("crates").join(path),
    ];
    if let Some((layer, rest)) = path.split_once('/') {
        candidates.push(root.join("crates").join(layer).join("src").join(rest));
    }
    for base in [
        "crates/domain/src",
        "crates/web/src",
        "crates/jobs/src",
        "src/ops",
        "migrations",
    ] {
        candidates.push(root.join(base).join(path));
    }
    candidates.iter().any(|c| c.exists())
}

/// Backticked text that reads as a file or folder of this repository: no URL path, no
/// MIME type, no generated output, no pattern.
fn named_paths(text: &str) -> Vec<String> {
    let kinds = [
        ".rs", ".html", ".sh", ".mjs", ".json", ".toml", ".css", ".js", ".md", "/",
    ];
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter(|t| t.contains('/') && !t.starts_with('/') && !t.contains(' '))
        .filter(|t| !t.contains("://") && !t.contains(['{', '*', '<', '$', '?', '=']))
        .filter(|t| !t.starts_with("target/") && !t.starts_with("screenshots/"))
        .filter(|t| kinds.iter().any(|k| t.ends_with(k)))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_path_the_readme_and_architecture_name_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut missing = vec![];
    for doc in ["README.md", "ARCHITECTURE.md"] {
        let text = std::fs::read_to_string(root.join(doc)).unwrap();
        let paths = named_paths(&text);
        assert!(
            paths.len() > 10,
            "{doc} names files; the reader found {paths:?}"
        );
        missing.extend(
            paths
                .into_iter()
                .filter(|p| !exists(root, p))
                .map(|p| format!("{doc}: {p}")),
        );
    }
    assert!(
        missing.is_empty(),
        "paths named but not in the repository: {missing:#?}"
    );
}

#[test]
fn a_stale_path_is_caught() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = "see `web/guard.rs`, `src/auth/policy.rs` and `application/octet-stream`";
    let paths = named_paths(text);
    assert_eq!(paths, ["web/guard.rs", "src/auth/policy.rs"]);
    assert!(exists(root, &paths[0]));
    assert!(!exists(root, &paths[1]));
}

//! The domain's contexts depend one way: ARCHITECTURE.md draws them as rows, each
//! importing only rows below it, and this test reads that drawing and every
//! `crate::<context>` path in `crates/domain/src`. A new import upwards, a new mutual
//! pair or a context the drawing does not place fails here, naming the file.
//! Beside it, the domain's other rule of structure: it never reads the clock.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The drawing: rows from the top, and the pairs it admits as known debt (`a <-> b`).
fn drawing(architecture: &str) -> (BTreeMap<String, usize>, BTreeSet<(String, String)>) {
    let block = architecture
        .split("<!-- context graph -->")
        .nth(1)
        .and_then(|rest| rest.split("```").nth(1))
        .expect("ARCHITECTURE.md draws the context graph after <!-- context graph -->");
    let (mut rank, mut pairs) = (BTreeMap::new(), BTreeSet::new());
    let rows: Vec<&str> = block
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .collect();
    for (i, row) in rows.iter().enumerate() {
        let words: Vec<&str> = row.split_whitespace().collect();
        for (j, w) in words.iter().enumerate() {
            if *w == "<->" {
                pairs.insert((words[j - 1].to_string(), words[j + 1].to_string()));
            } else {
                rank.insert(w.to_string(), rows.len() - i);
            }
        }
    }
    (rank, pairs)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules a source names as `crate::x` or inside `crate::{x, y::z}`.
fn named_modules(source: &str) -> BTreeSet<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = BTreeSet::new();
    for (_, rest) in source
        .match_indices("crate::")
        .map(|(i, _)| ((), &source[i + 7..]))
    {
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            out.extend(group.split(',').map(|p| ident(p.trim())));
        } else {
            out.insert(ident(rest));
        }
    }
    out
}

#[test]
fn contexts_import_only_the_rows_below_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("crates/domain/src");
    let architecture = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let (rank, pairs) = drawing(&architecture);
    let mut contexts = BTreeSet::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if !["lib", "schema"].contains(&name.as_str()) {
            contexts.insert(name);
        }
    }
    let unplaced: Vec<&String> = contexts.iter().filter(|c| !rank.contains_key(*c)).collect();
    assert!(
        unplaced.is_empty(),
        "ARCHITECTURE.md's context graph does not place {unplaced:?}"
    );
    let mut wrong = vec![];
    for context in &contexts {
        let mut files = vec![];
        let (dir, file) = (src.join(context), src.join(format!("{context}.rs")));
        if dir.is_dir() {
            rust_files(&dir, &mut files);
        } else {
            files.push(file);
        }
        for f in files {
            let source = std::fs::read_to_string(&f).unwrap();
            for target in named_modules(&source) {
                if target == *context || !contexts.contains(&target) {
                    continue;
                }
                let admitted = pairs.contains(&(context.clone(), target.clone()))
                    || pairs.contains(&(target.clone(), context.clone()));
                if rank[&target] >= rank[context] && !admitted {
                    let f = f.strip_prefix(root).unwrap().display().to_string();
                    wrong.push(format!(
                        "{f}: {context} imports {target}, not on a row below"
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_reader_finds_groups_and_paths() {
    let source = "use crate::{audit, scope::Who};\nlet x = crate::clients::scoped;";
    let names: Vec<String> = named_modules(source).into_iter().collect();
    assert_eq!(names, ["audit", "clients", "scope"]);
}

/// The domain and its kernel never read the clock: the time of an act comes with its
/// `Who`, a scope or a parameter, so a test that sets it runs the domain at that time.
/// Only the tests' own shortcuts (behind the `testing` feature) may read it.
#[test]
fn the_domain_reads_no_clock() {
    let reads = [
        "Utc::now()",
        "Local::now()",
        "SystemTime::now()",
        "Instant::now()",
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = vec![];
    for dir in ["crates/domain/src", "crates/kernel/src"] {
        let mut files = vec![];
        rust_files(&root.join(dir), &mut files);
        for file in files {
            let source = std::fs::read_to_string(&file).unwrap();
            // A file's unit tests sit at its end, after `#[cfg(test)]`.
            let code = source.split("#[cfg(test)]").next().unwrap_or("");
            let lines: Vec<&str> = code.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                let text = line.trim_start();
                if text.starts_with("//") || !reads.iter().any(|r| text.contains(r)) {
                    continue;
                }
                let for_tests = lines[i.saturating_sub(4)..i]
                    .iter()
                    .any(|l| l.contains("#[cfg(feature = \"testing\")]"));
                if !for_tests {
                    found.push(format!("{}:{}: {text}", file.display(), i + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the domain reads the clock:\n{}",
        found.join("\n")
    );
}

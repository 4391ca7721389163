//! A released migration is never edited: a database that already ran it would never
//! see the change, and the two backends' histories would part. Every migration
//! directory is pinned in `migrations/released.txt` by a hash of its files; a changed
//! migration fails here (write a new one instead), and a new one fails until its line
//! is added in the same commit.

use std::collections::BTreeMap;
use std::path::Path;

/// `backend/name` → the hash of its up.sql and down.sql, for every migration present.
fn present(root: &Path) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    for backend in ["sqlite", "postgres"] {
        for entry in std::fs::read_dir(root.join(backend)).unwrap() {
            let dir = entry.unwrap().path();
            let text = ["up.sql", "down.sql"]
                .iter()
                .map(|f| std::fs::read_to_string(dir.join(f)).unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n-- down --\n");
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            let hash = mspdesk::platform::keys::token_hash(&text);
            found.insert(format!("{backend}/{name}"), hash);
        }
    }
    found
}

/// The pins: `backend/name hash` per line.
fn pinned(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(' '))
        .map(|(name, hash)| (name.to_string(), hash.trim().to_string()))
        .collect()
}

/// What differs, as sentences a developer can act on.
fn unpinned(present: &BTreeMap<String, String>, pinned: &BTreeMap<String, String>) -> Vec<String> {
    let mut found = vec![];
    for (name, hash) in present {
        match pinned.get(name) {
            None => found.push(format!("new migration, pin it: {name} {hash}")),
            Some(pin) if pin != hash => found.push(format!(
                "{name} was edited after its release: restore it and write a new migration"
            )),
            Some(_) => {}
        }
    }
    for name in pinned.keys().filter(|n| !present.contains_key(*n)) {
        found.push(format!(
            "{name} is pinned but gone: a released migration stays"
        ));
    }
    found
}

#[test]
fn every_migration_is_as_it_was_released() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let pins = pinned(&std::fs::read_to_string(root.join("released.txt")).unwrap());
    let found = present(&root);
    assert!(found.len() >= 70, "{} migrations found", found.len());
    let problems = unpinned(&found, &pins);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn an_edited_a_new_and_a_removed_migration_are_each_told() {
    let pins = pinned("# pins\nsqlite/001_a aaa\nsqlite/002_b bbb\n");
    let now = BTreeMap::from([
        ("sqlite/001_a".to_string(), "changed".to_string()),
        ("sqlite/003_c".to_string(), "ccc".to_string()),
    ]);
    assert_eq!(
        unpinned(&now, &pins),
        [
            "sqlite/001_a was edited after its release: restore it and write a new migration",
            "new migration, pin it: sqlite/003_c ccc",
            "sqlite/002_b is pinned but gone: a released migration stays",
        ]
    );
}

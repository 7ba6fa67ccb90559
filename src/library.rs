//! The hazard library (`hazards/` in this repository), embedded in the binary so
//! `clinsafe init --from NAME` works offline and from a single file.
//!
//! Each entry is a folder holding `entry.yaml` (name, title, one-line summary:
//! metadata, never copied into a project) and the project files `hazards.yaml`,
//! `controls.yaml`, `metrics.yaml` and `actions.yaml`. The table below is written
//! by hand; a unit test checks that it lists exactly the files under `hazards/`.

use serde::Deserialize;

/// One library entry as embedded text.
pub struct Entry {
    /// The folder name, also the `--from` name.
    pub name: &'static str,
    /// `entry.yaml`: the entry's metadata.
    pub meta_yaml: &'static str,
    /// The project files as (kind, text); the kind is the file stem
    /// (`hazards`, `controls`, `metrics`, `actions`), which is also its top-level key.
    pub files: &'static [(&'static str, &'static str)],
}

/// `entry.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub name: String,
    pub title: String,
    pub summary: String,
}

impl Entry {
    /// The parsed `entry.yaml` (checked by a unit test, so it cannot fail in a release).
    pub fn meta(&self) -> Meta {
        serde_saphyr::from_str(self.meta_yaml)
            .unwrap_or_else(|e| panic!("hazards/{}/entry.yaml is invalid: {e}", self.name))
    }
}

macro_rules! text {
    ($entry:literal, $file:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/hazards/", $entry, "/", $file))
    };
}

macro_rules! entry {
    ($entry:literal) => {
        Entry {
            name: $entry,
            meta_yaml: text!($entry, "entry.yaml"),
            files: &[
                ("hazards", text!($entry, "hazards.yaml")),
                ("controls", text!($entry, "controls.yaml")),
                ("metrics", text!($entry, "metrics.yaml")),
                ("actions", text!($entry, "actions.yaml")),
            ],
        }
    };
}

/// Every entry, sorted by name.
pub const ENTRIES: &[Entry] = &[
    entry!("downtime-and-migration"),
    entry!("electronic-prescribing"),
    entry!("online-consultation"),
    entry!("patient-messaging"),
    entry!("test-results"),
];

/// The entry called `name`, if any.
pub fn find(name: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.name == name)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;

    /// The table lists exactly the files present under `hazards/`, with the same text.
    #[test]
    fn table_matches_the_hazards_folder() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("hazards");
        let mut on_disk = BTreeSet::new();
        for dir in std::fs::read_dir(&root).unwrap() {
            let dir = dir.unwrap();
            if dir.file_type().unwrap().is_dir() {
                for file in std::fs::read_dir(dir.path()).unwrap() {
                    let file = file.unwrap();
                    on_disk.insert(format!(
                        "{}/{}",
                        dir.file_name().to_string_lossy(),
                        file.file_name().to_string_lossy()
                    ));
                }
            } else {
                on_disk.insert(dir.file_name().to_string_lossy().into_owned());
            }
        }
        let mut embedded = BTreeSet::new();
        for entry in ENTRIES {
            embedded.insert(format!("{}/entry.yaml", entry.name));
            for (kind, text) in entry.files {
                let rel = format!("{}/{kind}.yaml", entry.name);
                assert_eq!(
                    *text,
                    std::fs::read_to_string(root.join(&rel)).unwrap(),
                    "embedded text of hazards/{rel} differs from the file"
                );
                embedded.insert(rel);
            }
        }
        assert_eq!(embedded, on_disk, "src/library.rs ENTRIES must list exactly the files under hazards/");
    }

    #[test]
    fn entries_are_sorted_and_their_metadata_names_them() {
        let names: Vec<_> = ENTRIES.iter().map(|e| e.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted, "ENTRIES must be sorted by name, without repeats");
        for entry in ENTRIES {
            let meta = entry.meta();
            assert_eq!(meta.name, entry.name);
            assert!(!meta.title.trim().is_empty() && !meta.summary.trim().is_empty());
            assert!(!meta.summary.contains('\n'), "{}: the summary is one line", entry.name);
        }
    }

    #[test]
    fn each_file_holds_only_its_own_kind() {
        for entry in ENTRIES {
            for (kind, text) in entry.files {
                let value: serde_json::Value = serde_saphyr::from_str(text).unwrap();
                let keys: Vec<_> = value.as_object().unwrap().keys().cloned().collect();
                assert_eq!(keys, vec![kind.to_string()], "hazards/{}/{kind}.yaml", entry.name);
            }
        }
    }
}

//! The bad-input corpus: each case breaks one input in a copy of `content/`,
//! runs the real binary, and checks the exit code, the key words of the
//! message (file, and line where it applies), that nothing panicked, and that
//! the previous `output/` is left exactly as it was.

use crate::{content, deckc_bin};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Recursively copies `from` into `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// Snapshot of every file under `dir`.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    if !dir.exists() {
        return files;
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push((p.clone(), fs::read(&p).unwrap()));
            }
        }
    }
    files.sort();
    files
}

/// A scratch copy of the real content with a good build in `out`.
pub struct Scratch {
    _dir: tempfile::TempDir,
    pub content: PathBuf,
    pub out: PathBuf,
}

impl Scratch {
    pub fn new() -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        let content_dir = dir.path().join("content");
        copy_dir(&content(), &content_dir);
        let out = dir.path().join("output");
        let s = Scratch {
            _dir: dir,
            content: content_dir,
            out,
        };
        let (code, err) = s.build(&[]);
        assert_eq!(code, 0, "the unmodified content must build: {err}");
        s
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.content.join(rel)
    }

    pub fn edit(&self, rel: &str, f: impl FnOnce(String) -> String) {
        let p = self.path(rel);
        let text = fs::read_to_string(&p).unwrap();
        fs::write(&p, f(text)).unwrap();
    }

    pub fn build(&self, extra: &[&str]) -> (i32, String) {
        self.build_to(&self.out, extra)
    }

    pub fn build_to(&self, out: &Path, extra: &[&str]) -> (i32, String) {
        let o = Command::new(deckc_bin())
            .arg("build")
            .arg("--content")
            .arg(&self.content)
            .arg("--out")
            .arg(out)
            .args(extra)
            .output()
            .unwrap();
        (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    }
}

/// Runs `break_it` on a fresh scratch copy, then checks the failure.
fn fails(break_it: impl FnOnce(&Scratch), words: &[&str]) {
    let s = Scratch::new();
    let before = snapshot(&s.out);
    break_it(&s);
    let (code, err) = s.build(&[]);
    assert_eq!(code, 2, "expected exit 2, got {code}: {err}");
    assert!(!err.contains("panicked"), "panic: {err}");
    for w in words {
        assert!(err.contains(w), "message lacks `{w}`:\n{err}");
    }
    assert_eq!(
        snapshot(&s.out),
        before,
        "output/ changed after a failed build"
    );
}

#[test]
fn missing_source_file() {
    fails(
        |s| fs::remove_file(s.path("sources/top-50.txt")).unwrap(),
        &["top-50.txt", "cannot read"],
    );
}

#[test]
fn empty_source_file() {
    fails(
        |s| fs::write(s.path("sources/top-50.txt"), "").unwrap(),
        &["top-50.txt", "empty"],
    );
}

#[test]
fn binary_source_file_names_the_offset() {
    fails(
        |s| fs::write(s.path("sources/scenarios.txt"), b"1) What?\n\x00\x01\x02").unwrap(),
        &["scenarios.txt", "NUL byte at offset 9", "line 2"],
    );
}

#[test]
fn non_utf8_source_file_names_the_offset() {
    fails(
        |s| {
            let mut b = fs::read(s.path("sources/top-200.txt")).unwrap();
            b.splice(10..10, [0xff, 0xfe]);
            fs::write(s.path("sources/top-200.txt"), b).unwrap();
        },
        &["top-200.txt", "not UTF-8", "offset 10"],
    );
}

#[test]
fn file_cut_off_in_the_middle_of_a_question() {
    fails(
        |s| {
            s.edit("sources/top-200.txt", |t| {
                t[..t.find("- Prioritize correctness").unwrap()].to_string()
            })
        },
        &["top-200.txt:"],
    );
}

#[test]
fn duplicate_question_number() {
    fails(
        |s| s.edit("sources/top-200.txt", |t| t.replacen("Q7. ", "Q6. ", 1)),
        &["top-200.txt:", "6"],
    );
}

#[test]
fn missing_question_number() {
    fails(
        |s| s.edit("sources/scenarios.txt", |t| t.replacen("\n7) ", "\n8) ", 1)),
        &["scenarios.txt:", "7"],
    );
}

#[test]
fn two_sections_with_the_same_heading() {
    fails(
        |s| {
            s.edit("sources/study-guide.txt", |t| {
                t.replace(
                    "Packaging & Dependencies 5 questions",
                    "Core & Runtime 5 questions",
                )
            })
        },
        &["study-guide.txt:", "Core & Runtime"],
    );
}

#[test]
fn count_mismatch_against_sources_yaml() {
    fails(
        |s| {
            s.edit("sources.yaml", |t| {
                t.replace("questions: 35", "questions: 36")
            })
        },
        &["study-guide", "35", "36"],
    );
}

#[test]
fn fifty_megabyte_source_is_refused_with_its_limit() {
    fails(
        |s| {
            let line = "- filler bullet text for a very large file\n";
            let mut t = String::from("Q1. Huge?\n");
            while t.len() < 50 << 20 {
                t.push_str(line);
            }
            fs::write(s.path("sources/top-200.txt"), t).unwrap();
        },
        &["top-200.txt", "over the limit"],
    );
}

#[test]
fn broken_yaml_in_sources_yaml() {
    fails(
        |s| {
            s.edit("sources.yaml", |t| {
                t.replacen("layout: top-200", "layout: [top-200", 1)
            })
        },
        &["sources.yaml:"],
    );
}

#[test]
fn unknown_key_in_sources_yaml_gets_did_you_mean() {
    fails(
        |s| {
            s.edit("sources.yaml", |t| {
                t.replacen("layout: top-200", "layuot: top-200", 1)
            })
        },
        &["sources.yaml:", "did you mean `layout`"],
    );
}

#[test]
fn broken_yaml_in_an_authored_overlay() {
    fails(
        |s| {
            s.edit("authored/top-50.yaml", |t| {
                t.replacen("answers:", "answers: [", 1)
            })
        },
        &["authored/top-50.yaml:"],
    );
}

#[test]
fn overlay_naming_a_card_that_does_not_exist() {
    fails(
        |s| {
            s.edit("authored/top-50.yaml", |t| {
                t.replacen("ref: top-50#1\n", "ref: top-50#99\n", 1)
            })
        },
        &["authored/top-50.yaml:", "top-50#99"],
    );
}

#[test]
fn broken_yaml_in_the_lock_file() {
    fails(
        |s| s.edit("deck.lock", |t| format!("{t}\n  broken: [\n")),
        &["deck.lock:"],
    );
}

#[test]
fn output_folder_that_is_a_file() {
    let s = Scratch::new();
    let file = s.out.parent().unwrap().join("a-file");
    fs::write(&file, "keep me").unwrap();
    let (code, err) = s.build_to(&file, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("a-file") && err.contains("not a directory"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "keep me");
}

#[test]
fn output_folder_that_cannot_be_created() {
    // /proc refuses new entries even to root, so this holds under CI too.
    let s = Scratch::new();
    let (code, err) = s.build_to(Path::new("/proc/deckc-out"), &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("/proc/deckc-out") && err.contains("cannot write"),
        "{err}"
    );
}

#[test]
fn output_folder_with_spaces_and_non_ascii_works() {
    let s = Scratch::new();
    let out = s.out.parent().unwrap().join("my decks/Karteikarten ü 学習");
    let (code, err) = s.build_to(&out, &["--locked"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.join("cards.json").is_file());
}

#[test]
fn broken_yaml_in_the_taxonomy() {
    fails(
        |s| s.edit("taxonomy.yaml", |t| t.replacen("domains:", "domains: [", 1)),
        &["taxonomy.yaml:"],
    );
}

#[test]
fn broken_yaml_in_the_overrides() {
    fails(
        |s| {
            s.edit("overrides.yaml", |t| {
                t.replacen("overrides:", "overrides: {", 1)
            })
        },
        &["overrides.yaml:"],
    );
}

#[test]
fn broken_yaml_in_the_errata() {
    fails(
        |s| s.edit("errata.yaml", |t| t.replacen("errata:", "errata: [", 1)),
        &["errata.yaml:"],
    );
}

#[test]
fn broken_yaml_in_dedup_yaml() {
    fails(
        |s| s.edit("dedup.yaml", |t| t.replacen("merge:", "merge: [", 1)),
        &["dedup.yaml:"],
    );
}

#[test]
fn unknown_key_in_the_overrides_gets_did_you_mean() {
    fails(
        |s| {
            s.edit("overrides.yaml", |t| {
                t.replacen("    domain: typing", "    domian: typing", 1)
            })
        },
        &["overrides.yaml:", "did you mean `domain`"],
    );
}

#[test]
fn override_naming_an_unknown_domain() {
    fails(
        |s| {
            s.edit("overrides.yaml", |t| {
                t.replacen("    domain: typing", "    domain: typng", 1)
            })
        },
        &["overrides.yaml:", "typng"],
    );
}

#[test]
fn override_naming_a_card_that_does_not_exist() {
    fails(
        |s| {
            s.edit("overrides.yaml", |t| {
                t.replacen("ref: deep-dive#15", "ref: deep-dive#150", 1)
            })
        },
        &["overrides.yaml:", "deep-dive#150"],
    );
}

#[test]
fn dedup_merge_naming_a_card_that_does_not_exist() {
    fails(
        |s| {
            s.edit("dedup.yaml", |t| {
                t.replacen(
                    "[study-guide#14, top-200#162]",
                    "[study-guide#14, top-200#1620]",
                    1,
                )
            })
        },
        &["dedup.yaml:", "top-200#1620"],
    );
}

#[test]
fn merge_and_keep_apart_that_contradict_each_other() {
    fails(
        |s| {
            s.edit("dedup.yaml", |t| {
                let t = t.replacen("keep_apart: []\n", "keep_apart:\n", 1);
                format!(
                    "{}\n  - refs: [study-guide#14, top-200#162]\n    reason: contradicts the merge above\n",
                    t.trim_end()
                )
            })
        },
        &["dedup.yaml:", "study-guide#14"],
    );
}

#[test]
fn erratum_whose_text_no_longer_occurs() {
    fails(
        |s| {
            s.edit("errata.yaml", |t| {
                t.replacen(
                    "original: \"A and BreturnsBif",
                    "original: \"A and CreturnsBif",
                    1,
                )
            })
        },
        &["errata.yaml:", "top-200#12"],
    );
}

#[test]
fn an_output_that_cannot_be_put_in_place_leaves_the_lock_as_it_was() {
    // The new lock is staged while the emitters run; it must not replace
    // `deck.lock` when an output then fails to land. Edit a question (so
    // the lock would change) and put a folder where `cards.json` goes (so
    // renaming the staged file into place fails).
    let s = Scratch::new();
    let lock_before = fs::read(s.path("deck.lock")).unwrap();
    s.edit("sources/scenarios.txt", |t| {
        let edited = t.replacen(
            "When would you not choose Python for a project?",
            "When would you not choose Python for a new project?",
            1,
        );
        assert_ne!(edited, t);
        edited
    });
    fs::remove_file(s.out.join("cards.json")).unwrap();
    fs::create_dir_all(s.out.join("cards.json").join("blocker")).unwrap();
    let (code, err) = s.build(&[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cards.json"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(fs::read(s.path("deck.lock")).unwrap(), lock_before);
    assert!(
        !s.path("deck.deckc-tmp").exists(),
        "the staged lock was left behind"
    );
    // With the folder gone, the same build lands, lock included.
    fs::remove_dir_all(s.out.join("cards.json")).unwrap();
    let (code, err) = s.build(&[]);
    assert_eq!(code, 0, "{err}");
    assert_ne!(fs::read(s.path("deck.lock")).unwrap(), lock_before);
    assert!(!s.path("deck.deckc-tmp").exists());
}

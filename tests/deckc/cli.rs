//! The `deckc` command line as people and CI use it: help and completions,
//! exit codes, stdout/stderr discipline, a closed stdout, `check` on fresh
//! and stale outputs, and filtered builds beside the full deck.

use crate::bad_input::copy_dir;
use crate::{content, deckc_bin};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn deckc(args: &[&str]) -> Output {
    Command::new(deckc_bin())
        .args(args)
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A copy of the real content folder and an output folder beside it.
fn workspace() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (c, o) = (dir.path().join("content"), dir.path().join("out"));
    copy_dir(&content(), &c);
    (dir, c, o)
}

fn run(c: &Path, o: &Path, cmd: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        cmd,
        "--content",
        c.to_str().unwrap(),
        "--out",
        o.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    deckc(&args)
}

/// Every file under `dir`, by relative path.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

#[test]
fn help_documents_every_subcommand_with_examples() {
    let top = deckc(&["--help"]);
    assert!(top.status.success());
    let help = text(&top.stdout);
    for sub in ["build", "check", "stats", "completions"] {
        assert!(help.contains(sub), "top-level help lacks {sub}");
        let o = deckc(&[sub, "--help"]);
        assert!(o.status.success(), "{sub} --help");
        let h = text(&o.stdout);
        assert!(
            h.contains("Examples:\n  deckc "),
            "{sub} --help has no examples:\n{h}"
        );
    }
    assert!(help.contains("Exit codes"), "{help}");
    let build = text(&deckc(&["build", "--help"]).stdout);
    for word in [
        "--domain",
        "--difficulty",
        "--source",
        "quizlet",
        "obsidian",
        "--locked",
    ] {
        assert!(build.contains(word), "build --help lacks {word}");
    }
}

#[test]
fn completions_for_every_shell_go_to_stdout() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = deckc(&["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", text(&o.stderr));
        assert!(o.stderr.is_empty(), "{shell}");
        let script = text(&o.stdout);
        assert!(
            script.contains("deckc")
                && script.contains("difficulty")
                && script.contains("completions"),
            "{shell}"
        );
    }
    assert_eq!(deckc(&["completions", "tcsh"]).status.code(), Some(2));
}

/// Starts `deckc args` with its stdout already closed by the reader, the
/// situation of `deckc … | head -1` once `head` has exited.
fn with_closed_stdout(args: &[&str]) -> std::process::ExitStatus {
    let mut child = Command::new(deckc_bin())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        !text(&out.stderr).contains("panicked"),
        "{}",
        text(&out.stderr)
    );
    out.status
}

#[test]
fn a_closed_stdout_is_success() {
    let c = content();
    assert_eq!(
        with_closed_stdout(&["stats", "--content", c.to_str().unwrap()]).code(),
        Some(0)
    );
    assert_eq!(with_closed_stdout(&["completions", "bash"]).code(), Some(0));
}

#[test]
fn stats_prints_data_on_stdout_only() {
    let c = content();
    let o = deckc(&["stats", "--content", c.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(o.stderr.is_empty(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.starts_with("domain"), "{out}");
    assert!(out.contains("cards from"), "{out}");
    let quiet = deckc(&["--quiet", "stats", "--content", c.to_str().unwrap()]);
    assert_eq!(
        quiet.stdout, o.stdout,
        "--quiet silences messages, not the data asked for"
    );
}

#[test]
fn usage_errors_exit_2_with_a_hint_and_no_stdout() {
    let cases: &[(&[&str], &str)] = &[
        (&["build", "--format", "jsno"], "json"),
        (&["build", "--difficulty", "hrad"], "hard"),
        (&["-q", "-v", "stats"], "cannot be used with"),
        (&["frobnicate"], "unrecognized subcommand"),
        (
            &["build", "--content", "/nonexistent/deckc-content"],
            "/nonexistent/deckc-content",
        ),
    ];
    for (args, needle) in cases {
        let o = deckc(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o.stderr));
        assert!(o.stdout.is_empty(), "{args:?}");
        assert!(
            text(&o.stderr).contains(needle),
            "{args:?}: {}",
            text(&o.stderr)
        );
    }
}

#[test]
fn no_color_means_plain_messages() {
    let o = Command::new(deckc_bin())
        .args(["build", "--format", "jsno"])
        .env("NO_COLOR", "1")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(!o.stderr.contains(&0x1b), "{}", text(&o.stderr));
}

#[test]
fn unknown_filter_values_suggest_the_nearest_and_write_nothing() {
    let (_dir, c, o) = workspace();
    let lock_before = fs::read(c.join("deck.lock")).ok();
    for (flag, value, hint) in [
        ("--source", "top200", "did you mean `top-200`"),
        ("--domain", "core-languag", "did you mean `core-language`"),
    ] {
        let out = run(&c, &o, "build", &[flag, value]);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        assert!(text(&out.stderr).contains(hint), "{}", text(&out.stderr));
    }
    assert!(!o.exists());
    assert_eq!(fs::read(c.join("deck.lock")).ok(), lock_before);
}

#[test]
fn check_is_fresh_after_build_and_names_what_went_stale() {
    let (_dir, c, o) = workspace();
    let b = run(&c, &o, "build", &["--quiet"]);
    assert!(b.status.success(), "{}", text(&b.stderr));
    assert!(b.stderr.is_empty() && b.stdout.is_empty());

    let fresh = run(&c, &o, "check", &[]);
    assert_eq!(fresh.status.code(), Some(0), "{}", text(&fresh.stderr));
    assert!(fresh.stdout.is_empty());
    assert!(text(&fresh.stderr).contains("fresh"));

    fs::write(o.join("quizlet.txt"), "edited\tby hand\n").unwrap();
    fs::remove_file(o.join("cards.csv")).unwrap();
    let stale = run(&c, &o, "check", &[]);
    assert_eq!(stale.status.code(), Some(1));
    let msg = text(&stale.stderr);
    assert!(msg.contains("quizlet.txt: differs"), "{msg}");
    assert!(msg.contains("cards.csv: missing"), "{msg}");
    assert!(!msg.contains("deck.lock"), "{msg}");
    let only_json = run(&c, &o, "check", &["--format", "json"]);
    assert_eq!(
        only_json.status.code(),
        Some(0),
        "check looks only at the formats asked for"
    );

    fs::remove_file(c.join("deck.lock")).unwrap();
    let stale = run(&c, &o, "check", &["--format", "json"]);
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        text(&stale.stderr).contains("deck.lock: stale"),
        "{}",
        text(&stale.stderr)
    );
}

#[test]
fn filtered_build_writes_its_own_files_and_leaves_the_full_deck_and_lock() {
    let (_dir, c, o) = workspace();
    assert!(run(&c, &o, "build", &["--quiet"]).status.success());
    let full = files(&o);
    let lock = fs::read(c.join("deck.lock")).unwrap();

    let f = run(
        &c,
        &o,
        "build",
        &["--source", "top-50", "--source", "scenarios"],
    );
    assert!(f.status.success(), "{}", text(&f.stderr));
    assert!(
        text(&f.stderr).contains("Python Interview (scenarios+top-50)"),
        "{}",
        text(&f.stderr)
    );
    let after = files(&o);
    for (path, bytes) in &full {
        assert_eq!(after.get(path), Some(bytes), "{} changed", path.display());
    }
    assert_eq!(
        fs::read(c.join("deck.lock")).unwrap(),
        lock,
        "deck.lock changed"
    );
    let stem = "python-interview-scenarios+top-50";
    let new: Vec<&PathBuf> = after.keys().filter(|p| !full.contains_key(*p)).collect();
    assert!(
        after.contains_key(&PathBuf::from(format!("{stem}.quizlet.txt"))),
        "{new:?}"
    );
    assert!(
        after.contains_key(&PathBuf::from(format!("{stem}.cards.json"))),
        "{new:?}"
    );
    for p in &new {
        assert!(p.to_string_lossy().contains(stem), "{}", p.display());
    }

    let json = |p: &str| -> serde_json::Value {
        serde_json::from_slice(&after[&PathBuf::from(p)]).unwrap()
    };
    let (all, some) = (json("cards.json"), json(&format!("{stem}.cards.json")));
    let ids = |v: &serde_json::Value| -> Vec<String> {
        v["cards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    let (all_ids, some_ids) = (ids(&all), ids(&some));
    assert!(!some_ids.is_empty() && some_ids.len() < all_ids.len());
    assert!(some_ids.iter().all(|id| all_ids.contains(id)));

    assert_eq!(
        run(
            &c,
            &o,
            "check",
            &["--source", "scenarios", "--source", "top-50"]
        )
        .status
        .code(),
        Some(0)
    );
    assert_eq!(run(&c, &o, "check", &[]).status.code(), Some(0));
}

#[test]
fn a_filter_that_selects_no_cards_is_an_error() {
    let (_dir, c, o) = workspace();
    let b = run(&c, &o, "build", &["--quiet", "--format", "json"]);
    assert!(b.status.success(), "{}", text(&b.stderr));
    let v: serde_json::Value =
        serde_json::from_slice(&fs::read(o.join("cards.json")).unwrap()).unwrap();
    let cards = v["cards"].as_array().unwrap();
    let domain = cards[0]["domain"].as_str().unwrap().to_string();
    let source = |c: &serde_json::Value| {
        c["sources"][0]["ref"]
            .as_str()
            .unwrap()
            .split('#')
            .next()
            .unwrap()
            .to_string()
    };
    let sources: std::collections::BTreeSet<String> = cards.iter().map(source).collect();
    let empty = ["easy", "medium", "hard"]
        .iter()
        .flat_map(|d| sources.iter().map(move |s| (*d, s.clone())))
        .find(|(d, s)| {
            !cards.iter().any(|c| {
                c["domain"] == domain.as_str()
                    && c["difficulty"] == *d
                    && c["sources"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|q| q["ref"].as_str().unwrap().starts_with(&format!("{s}#")))
            })
        });
    let (difficulty, source) =
        empty.expect("some difficulty × source has no cards in the first domain");
    let before = files(&o);
    let out = run(
        &c,
        &o,
        "build",
        &[
            "--domain",
            &domain,
            "--difficulty",
            difficulty,
            "--source",
            &source,
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("selects no cards"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(files(&o), before);
}

/// One worker thread or several: the same bytes in every output, on the
/// seed corpus and on a synthetic one big enough that every stage splits
/// its work.
#[test]
fn thread_count_never_changes_an_output() {
    let (dir, c, _) = workspace();
    let synthetic = dir.path().join("synthetic");
    let made = deckc(&[
        "gen-corpus",
        "--questions",
        "1500",
        "--seed",
        "5",
        "--out",
        synthetic.to_str().unwrap(),
        "--content",
        c.to_str().unwrap(),
    ]);
    assert!(made.status.success(), "{}", text(&made.stderr));
    for content in [&c, &synthetic] {
        let mut built = Vec::new();
        for threads in ["1", "2", "5"] {
            let out = dir.path().join(format!("out-{threads}"));
            let _ = fs::remove_dir_all(&out);
            let _ = fs::remove_file(content.join("deck.lock"));
            let o = Command::new(deckc_bin())
                .args(["build", "-q", "--content", content.to_str().unwrap()])
                .args(["--out", out.to_str().unwrap()])
                .env("DECKC_THREADS", threads)
                .output()
                .unwrap();
            assert!(o.status.success(), "{}", text(&o.stderr));
            built.push(files(&out));
        }
        assert!(built[0].len() > 10);
        assert!(
            built[0] == built[1] && built[1] == built[2],
            "{}",
            content.display()
        );
    }
}

//! The driver: the only module that touches the filesystem. It reads the
//! content folder into `pipeline::Inputs`, runs the pipeline, then runs the
//! chosen emitters into a sink of its own: `build` stages every file as its
//! emitter writes it and renames them all into place at the end (`Staging`),
//! `check` compares each with what is on disk (`Compare`); `stats` prints
//! the summary. A failure before the renames leaves `output/` as it was.

use crate::config::{Command, Config, Verbosity};
use crate::emit::{Output, Produce};
use crate::error::{EmitError, LoadError};
use crate::manifest;
use crate::pipeline::{self, Inputs, TextFile};
use crate::progress::Progress;
use crate::sources::SourceFile;
use anyhow::Context;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

/// The largest input file deckc reads (32 MiB): far above any real guide
/// (the largest seed is 83 KB) and above a 100k-question synthetic corpus
/// split over its layouts, while bounding memory on hostile input.
pub const MAX_INPUT_BYTES: u64 = 32 << 20;

/// How a successful run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Outputs written (or already fresh).
    Built { written: Vec<PathBuf> },
    /// `check` found every output fresh.
    Fresh,
    /// `check` found stale outputs; each line says what differs.
    Stale(Vec<String>),
    /// `stats` printed its tables.
    Printed,
}

/// Runs one command.
pub fn run(config: &Config) -> anyhow::Result<Outcome> {
    let inputs = load(&config.content)?;
    let mut steps: Vec<&'static str> = pipeline::STAGES.to_vec();
    if config.command != Command::Stats {
        steps.extend(config.emitters.iter().map(|e| e.name()));
    }
    let progress = Progress::new(steps, config.verbosity >= Verbosity::Normal);
    let compiled = pipeline::compile_observed(&inputs, &|_| progress.step())?;
    // The texts are in the build now; free them before the emitters run.
    drop(inputs);
    let lock_path = config.content.join("deck.lock");
    if config.locked && !compiled.lock_changes.is_empty() && config.command == Command::Build {
        let list: Vec<String> = compiled
            .lock_changes
            .iter()
            .map(|c| c.to_string())
            .collect();
        anyhow::bail!(
            "{}: is stale and --locked forbids changing it: {}\n  hint: run `deckc build` without --locked and commit the lock",
            lock_path.display(),
            list.join(", ")
        );
    }
    // The lock always covers every card: a filtered build selects from the
    // full build and writes the full build's lock.
    let filtered = !config.filter.is_empty();
    let pipeline::Compiled {
        build: full,
        lock_changes,
        timings: compile_timings,
    } = compiled;
    let build = crate::filter::apply(full, &config.filter)?;
    // `check` and `build` serialize the lock (the full build's: a filtered
    // build carries it through) on a thread of their own while the emitters
    // run: at 100k cards it takes about 0.2 s and nothing waits for it.
    let lock_text = || crate::lock::to_yaml(&build.lock);
    // A filtered build's files are named after its stem (`filter::rename`).
    let stem = filtered.then_some(build.file_stem.as_str());
    let step = |_: usize| progress.step();
    let outcome = match config.command {
        Command::Stats => {
            progress.clear();
            let mut out = std::io::stdout().lock();
            let text = crate::stats::render(&build);
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                Err(e) => return Err(e).context("writing to stdout"),
            }
            Ok(Outcome::Printed)
        }
        Command::Check => {
            let compare = Compare {
                out: &config.out,
                stem,
                stale: Mutex::new(Vec::new()),
            };
            let (lock_text, emitted) = crate::par::join(lock_text, || {
                crate::emit::emit_all(&config.emitters, &build, &compare, &step)
            });
            emitted?;
            progress.clear();
            let mut stale = compare.stale.into_inner().unwrap_or_default();
            // Stable: an emitter's own files keep their order.
            stale.sort_by_key(|(i, _)| *i);
            let mut stale: Vec<String> = stale.into_iter().map(|(_, s)| s).collect();
            if read_optional(&lock_path)?.as_deref() != Some(lock_text.as_str()) {
                let why: Vec<String> = lock_changes.iter().map(|c| c.to_string()).collect();
                stale.push(format!(
                    "{}: stale ({})",
                    lock_path.display(),
                    why.join(", ")
                ));
            }
            Ok(if stale.is_empty() {
                Outcome::Fresh
            } else {
                Outcome::Stale(stale)
            })
        }
        Command::Build => {
            let clock = Instant::now();
            let mut staging = Staging::begin(&config.out, write_output)?;
            staging.stem = stem;
            // The new lock is written (and synced) beside the emitters too,
            // next to `deck.lock`; it replaces it only once every output is
            // in place (a `Staged` file dropped uncommitted is removed).
            let stage_lock = || -> anyhow::Result<Option<Staged>> {
                let text = lock_text();
                if read_optional(&lock_path)?.as_deref() == Some(text.as_str()) {
                    return Ok(None);
                }
                Ok(Some(stage_atomic(&lock_path, text.as_bytes())?))
            };
            let (staged_lock, emit_timings) = crate::par::join(stage_lock, || {
                crate::emit::emit_all(&config.emitters, &build, &staging, &step)
            });
            let emit_timings = emit_timings?;
            let staged_lock = staged_lock?;
            let written = staging.commit()?;
            progress.clear();
            if let Some(lock) = staged_lock {
                lock.commit()?;
            }
            let mut timings = compile_timings;
            timings.extend(emit_timings);
            timings.push(("emit+write", clock.elapsed()));
            if config.verbosity == Verbosity::Verbose {
                for (stage, t) in &timings {
                    eprintln!("  {stage:<10} {:>9.1} ms", t.as_secs_f64() * 1000.0);
                }
            }
            if config.verbosity >= Verbosity::Normal {
                eprintln!(
                    "deckc: {}: {} cards from {} sources → {} ({} files)",
                    build.deck_name,
                    build.cards.len(),
                    build
                        .cards
                        .iter()
                        .flat_map(|c| &c.sources)
                        .map(|q| q.reference.source.as_ref())
                        .collect::<std::collections::BTreeSet<_>>()
                        .len(),
                    config.out.display(),
                    written.len()
                );
            }
            Ok(Outcome::Built { written })
        }
    };
    free_later(build);
    outcome
}

/// Frees `value` on a thread of its own, which nothing waits for: freeing a
/// 100k-card build takes about 0.13 s, and when the process exits first the
/// OS takes the memory back at once. When no thread can be made, `spawn`
/// drops the closure, and with it the value, here.
fn free_later<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("free".into())
        .spawn(move || drop(value));
}

/// Writes a synthetic corpus (see `corpus`) into `out`, with the taxonomy
/// of the `content` folder. Returns the number of files written.
pub fn gen_corpus(spec: crate::corpus::Spec, content: &Path, out: &Path) -> anyhow::Result<usize> {
    if spec.questions < crate::corpus::MIN_QUESTIONS {
        anyhow::bail!(
            "--questions must be at least {} (every section of every layout gets a question)",
            crate::corpus::MIN_QUESTIONS
        );
    }
    if out.exists()
        && fs::read_dir(out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        anyhow::bail!("{}: exists and is not an empty folder", out.display());
    }
    let taxonomy = read_text(&content.join("taxonomy.yaml"))?;
    let mut files: Vec<Output> = crate::corpus::generate(spec)
        .into_iter()
        .map(|f| Output::new(f.path, f.text))
        .collect();
    files.push(Output::new("taxonomy.yaml", taxonomy));
    Ok(write_all(out, &files)?.len())
}

/// Reads the content folder.
pub fn load(content: &Path) -> Result<Inputs, LoadError> {
    let manifest_path = content.join("sources.yaml");
    let manifest_text = read_text(&manifest_path)?;
    let manifest = manifest::parse(&manifest_path, &manifest_text)?;
    // Each source on its own core (reading and checking a big corpus's
    // text takes a while); the first error in manifest order wins, as in
    // one pass.
    let sources = crate::par::map_coarse(manifest.sources.iter().collect(), |s| {
        let path = content.join(&s.file);
        read_text(&path).map(|text| SourceFile::new(s.id.as_str(), path, text))
    })
    .into_iter()
    .collect::<Result<Vec<_>, _>>()?;
    let overlays = manifest
        .overlays
        .iter()
        .map(|f| {
            let path = content.join(f);
            read_text(&path).map(|t| TextFile::new(path, t))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let optional = |name: &str| -> Result<Option<TextFile>, LoadError> {
        let path = content.join(name);
        Ok(read_optional(&path)?.map(|t| TextFile::new(path, t)))
    };
    let taxonomy_path = content.join("taxonomy.yaml");
    Ok(Inputs {
        manifest,
        sources,
        overlays,
        taxonomy: TextFile::new(&taxonomy_path, read_text(&taxonomy_path)?),
        overrides: optional("overrides.yaml")?,
        errata: optional("errata.yaml")?,
        dedup: optional("dedup.yaml")?,
        lock: optional("deck.lock")?,
    })
}

/// Reads a required UTF-8 text file, refusing binary, non-UTF-8, empty and
/// oversized files with their byte offset.
pub fn read_text(path: &Path) -> Result<String, LoadError> {
    let meta = fs::metadata(path).map_err(|e| LoadError::io(path, e))?;
    if meta.is_dir() {
        return Err(LoadError::io(
            path,
            std::io::Error::other("is a directory, not a file"),
        ));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(LoadError::TooLarge {
            path: path.into(),
            size: meta.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    let bytes = fs::read(path).map_err(|e| LoadError::io(path, e))?;
    decode(path, bytes)
}

/// Checks and decodes a file's bytes.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, LoadError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(LoadError::Empty { path: path.into() });
    }
    let line_at = |offset: usize| bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(LoadError::Binary {
            path: path.into(),
            offset,
            line: line_at(offset),
        });
    }
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{FEFF}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            Err(LoadError::NotUtf8 {
                path: path.into(),
                offset,
                line,
            })
        }
    }
}

/// Reads an optional text file: `None` if it does not exist.
fn read_optional(path: &Path) -> Result<Option<String>, LoadError> {
    if !path.exists() {
        return Ok(None);
    }
    read_text(path).map(Some).or_else(|e| match e {
        LoadError::Empty { .. } => Ok(Some(String::new())),
        e => Err(e),
    })
}

/// The `check` sink: compares each file an emitter writes with the one in
/// `out` and keeps a line for each that is missing or differs.
struct Compare<'a> {
    out: &'a Path,
    /// A filtered build's stem (see `filter::rename`).
    stem: Option<&'a str>,
    /// (emitter index, what differs).
    stale: Mutex<Vec<(usize, String)>>,
}

impl crate::emit::Sink for Compare<'_> {
    fn file(&self, order: usize, path: &Path, produce: Produce<'_>) -> Result<(), EmitError> {
        let path = named(self.stem, path);
        let mut bytes = Vec::new();
        produce(&mut bytes).map_err(|e| crate::emit::write_error(&path, e))?;
        if let Some(found) = diff(self.out, &path, &bytes) {
            self.stale
                .lock()
                .map_err(|_| EmitError::format("check", "a worker thread panicked"))?
                .push((order, found));
        }
        Ok(())
    }
}

/// `path` as a build with this filtered stem (if any) names it.
fn named(stem: Option<&str>, path: &Path) -> PathBuf {
    match stem {
        Some(stem) => crate::filter::rename(stem, path),
        None => path.to_path_buf(),
    }
}

/// How file `path` in `out` differs from `bytes`, if it does.
fn diff(out: &Path, path: &Path, bytes: &[u8]) -> Option<String> {
    let path = out.join(path);
    match fs::read(&path) {
        Ok(on_disk) if on_disk == bytes => None,
        Ok(_) => Some(format!("{}: differs from a fresh build", path.display())),
        Err(_) => Some(format!("{}: missing", path.display())),
    }
}

/// Writes one staged file: `produce` writes its bytes (through the emitter's
/// own buffer, `emit::Out`, so the file is written in chunks). Outputs are
/// not flushed to the disk (fsync) before the rename: every output is
/// derived from `content/` and `deckc check` finds one a crash damaged, so
/// a rebuild repairs it, and one flush per file cost the seed build about
/// 5 ms of its 70 (BENCHMARKS.md). The rename still means no reader ever
/// sees a half-written file. `deck.lock`, which no build can recreate, is
/// flushed (`write_atomic`).
fn write_output(path: &Path, produce: Produce<'_>) -> std::io::Result<()> {
    let mut f = fs::File::create(path)?;
    produce(&mut f)
}

/// A hidden folder inside the output folder where each file is written as
/// its emitter writes it (from any thread). `commit` renames them into
/// place; dropping it uncommitted removes the folder. Nothing in the output
/// folder changes unless every file was staged.
struct Staging<'a, W> {
    out: PathBuf,
    dir: PathBuf,
    write_file: W,
    /// A filtered build's stem (see `filter::rename`).
    stem: Option<&'a str>,
    /// (emitter index, staged path, destination), in staging order.
    staged: Mutex<Vec<(usize, PathBuf, PathBuf)>>,
}

impl<W: Fn(&Path, Produce<'_>) -> std::io::Result<()> + Sync> Staging<'_, W> {
    fn begin(out: &Path, write_file: W) -> Result<Self, EmitError> {
        if out.exists() && !out.is_dir() {
            return Err(EmitError::Io {
                path: out.into(),
                source: std::io::Error::other("exists and is not a directory"),
            });
        }
        fs::create_dir_all(out).map_err(io_at(out))?;
        let dir = out.join(".deckc-staging");
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(io_at(&dir))?;
        }
        fs::create_dir(&dir).map_err(io_at(&dir))?;
        Ok(Staging {
            out: out.into(),
            dir,
            write_file,
            stem: None,
            staged: Mutex::new(Vec::new()),
        })
    }

    /// Renames every staged file into place, in emitter order, and returns
    /// the destinations.
    fn commit(self) -> Result<Vec<PathBuf>, EmitError> {
        let mut staged = std::mem::take(
            &mut *self
                .staged
                .lock()
                .map_err(|_| EmitError::format("staging", "a writer thread panicked"))?,
        );
        // Stable: an emitter's own files keep their order.
        staged.sort_by_key(|(order, _, _)| *order);
        let mut written = Vec::with_capacity(staged.len());
        for (_, tmp, dest) in staged {
            if let Some(parent) = dest.parent() {
                fs::create_dir_all(parent).map_err(io_at(parent))?;
            }
            fs::rename(&tmp, &dest).map_err(io_at(&dest))?;
            written.push(dest);
        }
        Ok(written)
    }
}

impl<W: Fn(&Path, Produce<'_>) -> std::io::Result<()> + Sync> crate::emit::Sink for Staging<'_, W> {
    /// Writes file `path` of emitter `order` into the staging folder.
    fn file(&self, order: usize, path: &Path, produce: Produce<'_>) -> Result<(), EmitError> {
        let path = named(self.stem, path);
        let tmp = self.dir.join(&path);
        if let Some(parent) = tmp.parent() {
            fs::create_dir_all(parent).map_err(io_at(parent))?;
        }
        (self.write_file)(&tmp, produce).map_err(|e| crate::emit::write_error(&tmp, e))?;
        let dest = self.out.join(&path);
        self.staged
            .lock()
            .map_err(|_| EmitError::format("staging", "a writer thread panicked"))?
            .push((order, tmp, dest));
        Ok(())
    }
}

impl<W> Drop for Staging<'_, W> {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Wraps an I/O error with the path it happened at.
fn io_at(path: &Path) -> impl FnOnce(std::io::Error) -> EmitError {
    let path = path.to_path_buf();
    move |source| EmitError::Io { path, source }
}

/// Stages `outputs` and renames them into place (see `Staging`).
fn write_all(out: &Path, outputs: &[Output]) -> Result<Vec<PathBuf>, EmitError> {
    write_all_with(out, outputs, write_output)
}

/// `write_all` with the function that writes one staged file, so tests can
/// simulate a full disk or a failing device.
fn write_all_with(
    out: &Path,
    outputs: &[Output],
    write_file: impl Fn(&Path, Produce<'_>) -> std::io::Result<()> + Sync,
) -> Result<Vec<PathBuf>, EmitError> {
    use crate::emit::Sink;
    let staging = Staging::begin(out, write_file)?;
    for o in outputs {
        staging.file(0, &o.path, &mut |w| w.write_all(&o.bytes))?;
    }
    staging.commit()
}

/// Writes one file atomically: a temp file beside it, then a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), EmitError> {
    stage_atomic(path, bytes)?.commit()
}

/// A file written and synced beside its destination, not yet in place.
/// `commit` renames it over the destination; dropping it uncommitted
/// removes it (as `Staging` does with its folder).
#[must_use = "a staged file dropped uncommitted is removed"]
struct Staged {
    tmp: PathBuf,
    path: PathBuf,
}

/// Writes `bytes` to a temporary file beside `path` and syncs it. On
/// failure nothing is left behind.
fn stage_atomic(path: &Path, bytes: &[u8]) -> Result<Staged, EmitError> {
    let staged = Staged {
        tmp: path.with_extension("deckc-tmp"),
        path: path.into(),
    };
    let mut f = fs::File::create(&staged.tmp).map_err(io_at(path))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(io_at(path))?;
    Ok(staged)
}

impl Staged {
    /// Renames the file into place (and removes it if that fails).
    fn commit(mut self) -> Result<(), EmitError> {
        let tmp = std::mem::take(&mut self.tmp);
        fs::rename(&tmp, &self.path).map_err(|e| {
            let _ = fs::remove_file(&tmp);
            io_at(&self.path)(e)
        })
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // Dropped uncommitted (`commit` takes `tmp` and leaves it empty).
        if !self.tmp.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_names_the_bad_byte() {
        let p = Path::new("x.txt");
        match decode(p, b"ok\nbad \xff here".to_vec()) {
            Err(LoadError::NotUtf8 { offset, line, .. }) => assert_eq!((offset, line), (7, 2)),
            other => panic!("{other:?}"),
        }
        match decode(p, b"a\0b".to_vec()) {
            Err(LoadError::Binary { offset, .. }) => assert_eq!(offset, 1),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            decode(p, b"  \n".to_vec()),
            Err(LoadError::Empty { .. })
        ));
        assert_eq!(decode(p, "\u{FEFF}hi".as_bytes().to_vec()).unwrap(), "hi");
    }

    #[test]
    fn staged_write_replaces_files_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out put ü");
        let w = write_all(
            &out,
            &[Output::new("a.txt", "1"), Output::new("b.txt", "2")],
        )
        .unwrap();
        assert_eq!(w.len(), 2);
        assert_eq!(fs::read_to_string(out.join("a.txt")).unwrap(), "1");
        assert!(!out.join(".deckc-staging").exists());
        assert_eq!(diff(&out, Path::new("a.txt"), b"1"), None);
        assert!(diff(&out, Path::new("a.txt"), b"2")
            .unwrap()
            .contains("differs from a fresh build"));
        assert!(diff(&out, Path::new("c.txt"), b"2")
            .unwrap()
            .contains("missing"));
    }

    /// An emitter that always fails, to stand last in the list.
    struct Failing;

    impl crate::emit::Emitter for Failing {
        fn name(&self) -> &'static str {
            "failing"
        }
        fn describe(&self) -> &'static str {
            "fails"
        }
        fn emit(
            &self,
            _: &crate::emit::Build,
            _: &mut crate::emit::Files<'_>,
        ) -> Result<(), EmitError> {
            Err(EmitError::format("failing", "this emitter always fails"))
        }
    }

    static FAILING: Failing = Failing;

    #[test]
    fn a_failing_last_emitter_leaves_output_and_lock_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        copy_tree(&real, &content);
        let out = dir.path().join("out");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("cards.json"), "previous").unwrap();
        let _ = fs::remove_file(content.join("deck.lock"));
        let mut config = Config::new(
            Command::Build,
            content.clone(),
            out.clone(),
            &[],
            false,
            Verbosity::Quiet,
        )
        .unwrap();
        config.emitters.push(&FAILING);
        let e = run(&config).unwrap_err();
        assert!(e.to_string().contains("always fails"), "{e}");
        assert_eq!(
            fs::read_to_string(out.join("cards.json")).unwrap(),
            "previous"
        );
        let left: Vec<_> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("cards.json")]);
        assert!(
            !content.join("deck.lock").exists(),
            "the lock was written by a failed build"
        );
    }

    fn copy_tree(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for e in fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                copy_tree(&e.path(), &to.join(e.file_name()));
            } else {
                fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }

    #[test]
    fn a_full_disk_leaves_the_previous_outputs_intact() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_all(
            &out,
            &[Output::new("a.txt", "old a"), Output::new("b.txt", "old b")],
        )
        .unwrap();
        let n = std::sync::atomic::AtomicUsize::new(0);
        let e = write_all_with(
            &out,
            &[Output::new("a.txt", "new a"), Output::new("b.txt", "new b")],
            |p, produce| {
                if n.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 1 {
                    return Err(std::io::Error::from_raw_os_error(28)); // ENOSPC
                }
                write_output(p, produce)
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("b.txt"), "{e}");
        assert_eq!(fs::read_to_string(out.join("a.txt")).unwrap(), "old a");
        assert_eq!(fs::read_to_string(out.join("b.txt")).unwrap(), "old b");
        assert!(!out.join(".deckc-staging").exists());
    }

    /// A device that fills up partway through a file (the outputs are
    /// written in chunks as their emitters make them).
    struct FullAfter {
        room: usize,
        file: fs::File,
    }

    impl Write for FullAfter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if buf.len() > self.room {
                return Err(std::io::Error::from_raw_os_error(28)); // ENOSPC
            }
            self.room -= buf.len();
            self.file.write(buf)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.file.flush()
        }
    }

    #[test]
    fn a_disk_that_fills_up_midway_through_a_file_leaves_the_previous_outputs_intact() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_all(&out, &[Output::new("big.txt", "old")]).unwrap();
        let written = std::sync::atomic::AtomicU64::new(0);
        let staging = Staging::begin(&out, |p: &Path, produce: Produce<'_>| {
            let mut w = FullAfter {
                room: 1 << 20,
                file: fs::File::create(p)?,
            };
            let result = produce(&mut w);
            written.store(fs::metadata(p)?.len(), std::sync::atomic::Ordering::SeqCst);
            result
        })
        .unwrap();
        // As an emitter writes: small pieces, reaching the sink in chunks.
        let e = crate::emit::Files::new(&staging, 0)
            .write("big.txt", |w| {
                for _ in 0..(3 << 10) {
                    w.write_all(&[b'x'; 1024])?;
                }
                Ok(())
            })
            .unwrap_err();
        drop(staging);
        let before = written.load(std::sync::atomic::Ordering::SeqCst);
        assert!(
            before > 0 && before <= 1 << 20,
            "{before} bytes before the failure"
        );
        assert!(e.to_string().contains("big.txt"), "{e}");
        assert!(e.to_string().contains("cannot write"), "{e}");
        assert_eq!(fs::read_to_string(out.join("big.txt")).unwrap(), "old");
        assert!(!out.join(".deckc-staging").exists());
    }

    #[test]
    fn output_path_that_is_a_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("file");
        fs::write(&f, "x").unwrap();
        let e = write_all(&f, &[Output::new("a.txt", "1")]).unwrap_err();
        assert!(e.to_string().contains("not a directory"), "{e}");
        assert_eq!(fs::read_to_string(&f).unwrap(), "x");
    }
}

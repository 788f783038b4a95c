//! Emitters: each turns a finished `Build` into the bytes of one or more
//! output files. Emitters never decide content (that is `assemble`'s job);
//! they only format it, deterministically, and never touch the filesystem:
//! each writes its files' bytes into the `Files` it is handed, naming them
//! relative to the output folder, and the driver's `Sink` behind it decides
//! where the bytes go (staged files for `build`, memory for `check` and
//! tests). Big outputs stream through a small buffer, so they are never
//! held whole in memory.

use crate::classify::Taxonomy;
use crate::error::EmitError;
use crate::lock::Lock;
use crate::model::Card;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

mod anki_csv;
mod apkg;
mod csv;
mod json;
pub mod note;
mod obsidian;
mod preview;
mod quizlet;
mod report;
mod zipfile;

pub use self::anki_csv::AnkiCsv;
pub use self::apkg::Apkg;
pub use self::csv::Csv;
pub use self::json::Json;
pub use self::obsidian::Obsidian;
pub use self::preview::Preview;
pub use self::quizlet::Quizlet;
pub use self::report::Report;

/// One guide, as the report and exports describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSummary {
    pub id: String,
    pub title: String,
    pub file: PathBuf,
    pub questions: usize,
}

/// Everything the emitters may read.
#[derive(Debug, Clone)]
pub struct Build {
    /// Deck name, e.g. "Python Interview".
    pub deck_name: String,
    /// Base of the output file names, e.g. "python-interview".
    pub file_stem: String,
    pub cards: Vec<Card>,
    pub taxonomy: Taxonomy,
    pub lock: Lock,
    pub sources: Vec<SourceSummary>,
    /// The Anki note fields of every card, rendered once on first use and
    /// shared by the emitters that need them (`note::all_fields`). Start it
    /// empty (`Default`); it is only ever filled from `cards`.
    pub notes: note::NoteCache,
}

/// One output file: a path relative to the output folder, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl Output {
    pub fn new(path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        Output {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// An output format.
pub trait Emitter: Sync {
    /// The name used with `--format`.
    fn name(&self) -> &'static str;
    /// What it writes, for `--help`.
    fn describe(&self) -> &'static str;
    /// Writes this format's files of `build` into `files`.
    fn emit(&self, build: &Build, files: &mut Files<'_>) -> Result<(), EmitError>;
}

/// Every emitter, in the order they run.
pub static EMITTERS: &[&dyn Emitter] = &[
    &Json, &Csv, &Apkg, &AnkiCsv, &Report, &Quizlet, &Obsidian, &Preview,
];

/// Where the bytes of the files emitters write go: the driver stages them
/// (`build`), compares them with the disk (`check`), or `Memory` keeps them
/// (tests, benchmarks). Called from any emitter's thread.
pub trait Sink: Sync {
    /// Takes file `path` (relative to the output folder) of the emitter at
    /// index `order` in the emitter list: `produce` writes its bytes into
    /// the writer it is given. An error `produce` returns becomes
    /// `write_error(path, e)`.
    fn file(&self, order: usize, path: &Path, produce: Produce<'_>) -> Result<(), EmitError>;
}

/// What writes a file's bytes into the writer a `Sink` gives it.
pub type Produce<'a> = &'a mut dyn FnMut(&mut dyn Write) -> io::Result<()>;

/// What an emitter writes into: the files of one emitter, over a `Sink`.
pub struct Files<'s> {
    sink: &'s dyn Sink,
    order: usize,
}

/// The writer an emitter writes a file's bytes into: a buffer of `CHUNK`
/// bytes in front of the sink, so small writes stay cheap and a big output
/// is never held whole.
pub type Out<'w> = io::BufWriter<&'w mut dyn Write>;

/// The buffer between an emitter and its sink (see `Out`).
const CHUNK: usize = 256 << 10;

impl<'s> Files<'s> {
    /// The files of the emitter at index `order` of the emitter list.
    pub fn new(sink: &'s dyn Sink, order: usize) -> Self {
        Files { sink, order }
    }

    /// Writes the file `path` (relative to the output folder): `produce`
    /// writes its bytes. Content errors found while writing travel as
    /// `content_error`s and come back as themselves.
    pub fn write(
        &mut self,
        path: impl AsRef<Path>,
        produce: impl FnOnce(&mut Out<'_>) -> io::Result<()>,
    ) -> Result<(), EmitError> {
        let mut produce = Some(produce);
        self.sink.file(self.order, path.as_ref(), &mut |raw| {
            let mut out = io::BufWriter::with_capacity(CHUNK, raw);
            match produce.take() {
                Some(p) => p(&mut out)?,
                None => return Err(io::Error::other("a file was produced twice")),
            }
            out.flush()
        })
    }

    /// Writes the file `path` with these bytes.
    pub fn put(&mut self, path: impl AsRef<Path>, bytes: &[u8]) -> Result<(), EmitError> {
        self.write(path, |w| w.write_all(bytes))
    }
}

/// An error in what an emitter writes (not in the writing), carried through
/// a writer's `io::Result`; `write_error` turns it back into itself.
pub fn content_error(e: EmitError) -> io::Error {
    io::Error::other(e)
}

/// The error writing file `path` ended with: the emitter's own
/// (`content_error`), or an I/O error at `path`.
pub fn write_error(path: &Path, e: io::Error) -> EmitError {
    if e.get_ref().is_some_and(|inner| inner.is::<EmitError>()) {
        if let Some(Ok(own)) = e.into_inner().map(|inner| inner.downcast::<EmitError>()) {
            return *own;
        }
        return EmitError::format(path.display().to_string(), "a write failed");
    }
    EmitError::Io {
        path: path.into(),
        source: e,
    }
}

/// A `csv` writer's error as a writer's error: its I/O error, or a content
/// error in `what`.
pub(crate) fn csv_error(what: &str, e: ::csv::Error) -> io::Error {
    if !e.is_io_error() {
        return content_error(EmitError::format(what, e));
    }
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => e,
        other => content_error(EmitError::format(what, format!("{other:?}"))),
    }
}

/// A sink that keeps every file in memory, in emitter order.
#[derive(Debug, Default)]
pub struct Memory {
    files: std::sync::Mutex<Vec<(usize, Output)>>,
}

impl Memory {
    /// The files, by emitter order (an emitter's own files in the order it
    /// wrote them).
    pub fn into_outputs(self) -> Vec<Output> {
        let mut files = self.files.into_inner().unwrap_or_else(|p| p.into_inner());
        files.sort_by_key(|(order, _)| *order);
        files.into_iter().map(|(_, o)| o).collect()
    }
}

impl Sink for Memory {
    fn file(&self, order: usize, path: &Path, produce: Produce<'_>) -> Result<(), EmitError> {
        let mut bytes = Vec::new();
        produce(&mut bytes).map_err(|e| write_error(path, e))?;
        self.files
            .lock()
            .map_err(|_| EmitError::format("emitters", "a worker thread panicked"))?
            .push((order, Output::new(path, bytes)));
        Ok(())
    }
}

/// The files one emitter writes for `build`, in memory.
pub fn to_memory(emitter: &dyn Emitter, build: &Build) -> Result<Vec<Output>, EmitError> {
    let memory = Memory::default();
    emitter.emit(build, &mut Files::new(&memory, 0))?;
    Ok(memory.into_outputs())
}

/// Runs `emitters` over `build` on a few worker threads (one per core; the
/// emitters only read the build), each writing into `sink`, and calls
/// `done` with each emitter's index as it finishes. Returns the time each
/// emitter took, writing its files included, in the order of `emitters`
/// (for `--verbose`; never part of an output). Outputs do not depend on
/// the schedule: each emitter is a pure function of the build. The first
/// error in the order of `emitters` wins.
pub fn emit_all(
    emitters: &[&dyn Emitter],
    build: &Build,
    sink: &dyn Sink,
    done: &(dyn Fn(usize) + Sync),
) -> Result<Vec<(&'static str, std::time::Duration)>, EmitError> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    type Slot = Option<Result<std::time::Duration, EmitError>>;
    let next = AtomicUsize::new(0);
    let finished: Mutex<Vec<Slot>> = Mutex::new((0..emitters.len()).map(|_| None).collect());
    let workers = crate::par::threads().min(emitters.len());
    let schedule = start_order(emitters);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some(&i) = schedule.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let Some(e) = emitters.get(i) else { break };
                    let clock = std::time::Instant::now();
                    let result = e
                        .emit(build, &mut Files::new(sink, i))
                        .map(|()| clock.elapsed());
                    done(i);
                    if let Ok(mut d) = finished.lock() {
                        d[i] = Some(result);
                    }
                }
            });
        }
    });
    let finished = finished
        .into_inner()
        .map_err(|_| EmitError::format("emitters", "a worker thread panicked"))?;
    let mut timings = Vec::with_capacity(emitters.len());
    for (e, slot) in emitters.iter().zip(finished) {
        match slot {
            Some(Ok(took)) => timings.push((e.name(), took)),
            Some(Err(err)) => return Err(err),
            None => return Err(EmitError::format(e.name(), "the emitter did not finish")),
        }
    }
    Ok(timings)
}

/// The emitters by how long they take on a large corpus, longest first
/// (`DECKC_THREADS=1 bench/scale.sh`, 100k questions): started in this
/// order, the workers end together instead of one running the last long
/// emitter alone. Names not listed start last.
const LONGEST_FIRST: [&str; 8] = [
    "apkg", "json", "preview", "quizlet", "obsidian", "anki-csv", "csv", "report",
];

/// Indices into `emitters` in the order the workers start them.
fn start_order(emitters: &[&dyn Emitter]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..emitters.len()).collect();
    let rank = |i: &usize| {
        let name = emitters.get(*i).map(|e| e.name());
        LONGEST_FIRST
            .iter()
            .position(|&n| Some(n) == name)
            .unwrap_or(LONGEST_FIRST.len())
    };
    order.sort_by_key(rank);
    order
}

/// The emitter with this name.
pub fn emitter(name: &str) -> Option<&'static dyn Emitter> {
    EMITTERS.iter().copied().find(|e| e.name() == name)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A writer that accepts `room` bytes, then fails with "disk full",
    /// counting the writes it refused.
    pub(crate) struct Full {
        room: usize,
        pub refused: usize,
    }

    impl Full {
        pub fn new(room: usize) -> Self {
            Full { room, refused: 0 }
        }
    }

    impl std::io::Write for Full {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.room == 0 {
                self.refused += 1;
                return Err(std::io::Error::other("disk full"));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn workers_start_the_longest_emitters_first_and_every_emitter_once() {
        // Every emitter has a place in the start order.
        for e in EMITTERS {
            assert!(
                LONGEST_FIRST.contains(&e.name()),
                "{} is not ranked",
                e.name()
            );
        }
        let order = start_order(EMITTERS);
        let names: Vec<&str> = order.iter().map(|&i| EMITTERS[i].name()).collect();
        assert_eq!(names, LONGEST_FIRST);
        // A subset (`--format`) keeps the ranking; indices stay its own.
        let some: Vec<&dyn Emitter> = vec![&Report, &Csv, &Apkg];
        assert_eq!(start_order(&some), vec![2, 1, 0]);
        assert!(start_order(&[]).is_empty());
    }

    #[test]
    fn content_errors_come_back_as_themselves_and_io_errors_at_their_file() {
        let own = write_error(
            Path::new("x.txt"),
            content_error(EmitError::format(
                "quizlet.txt",
                "card a has an empty question",
            )),
        );
        assert!(
            matches!(&own, EmitError::Format { what, .. } if what == "quizlet.txt"),
            "{own:?}"
        );
        let io = write_error(Path::new("out/x.txt"), io::Error::from_raw_os_error(28));
        match io {
            EmitError::Io { path, source } => {
                assert_eq!(path, Path::new("out/x.txt"));
                assert_eq!(source.raw_os_error(), Some(28));
            }
            other => panic!("{other:?}"),
        }
    }

    /// An emitter that writes two files in small pieces, the second failing
    /// halfway with a content error.
    struct Pieces;

    impl Emitter for Pieces {
        fn name(&self) -> &'static str {
            "pieces"
        }
        fn describe(&self) -> &'static str {
            "test"
        }
        fn emit(&self, _: &Build, files: &mut Files<'_>) -> Result<(), EmitError> {
            files.write("a.txt", |w| {
                for k in 0..100_000u32 {
                    writeln!(w, "{k}")?;
                }
                Ok(())
            })?;
            files.write("b.txt", |w| {
                w.write_all(b"half")?;
                Err(content_error(EmitError::format("b.txt", "bad card")))
            })
        }
    }

    #[test]
    fn files_written_in_pieces_arrive_whole_and_in_order() {
        let build = crate::emit::note::tests::build();
        let memory = Memory::default();
        let e = Pieces
            .emit(&build, &mut Files::new(&memory, 3))
            .unwrap_err();
        assert!(e.to_string().contains("bad card"), "{e}");
        let files = memory.into_outputs();
        // The failed file never reached the sink; the first did, whole.
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, Path::new("a.txt"));
        let want: String = (0..100_000u32).map(|k| format!("{k}\n")).collect();
        assert_eq!(files[0].bytes, want.into_bytes());
    }

    #[test]
    fn to_memory_matches_emit_all_for_every_emitter() {
        let build = crate::emit::note::tests::build();
        let memory = Memory::default();
        let timings = emit_all(EMITTERS, &build, &memory, &|_| {}).unwrap();
        assert_eq!(timings.len(), EMITTERS.len());
        let all = memory.into_outputs();
        let one_by_one: Vec<Output> = EMITTERS
            .iter()
            .flat_map(|e| to_memory(*e, &build).unwrap())
            .collect();
        assert_eq!(all, one_by_one);
        assert!(all.iter().all(|o| !o.bytes.is_empty()), "an empty file");
    }
}

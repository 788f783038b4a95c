//! The `deckc` command line: a thin clap-derive layer that builds a validated
//! `deckc::Config`, calls `deckc::run`, prints the error chain on stderr and
//! maps the outcome to an exit code (0 ok, 1 stale outputs, 2 bad input or
//! usage). Data goes to stdout only for `stats` and `completions`; a closed
//! stdout (`deckc stats | head -1`) is not an error. deckc prints no colour of
//! its own; clap's help and usage colours follow the terminal and `NO_COLOR`.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::{Args, CommandFactory, Parser, Subcommand};
use clap_complete::Shell;
use deckc::config::{Command, Config, Verbosity};
use deckc::Outcome;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

// mimalloc instead of the system allocator: the pipeline allocates many small
// strings on every core, and glibc's arenas spent a fifth of a 100k build in
// malloc, free and lock contention (BENCHMARKS.md). Built without transparent
// huge pages (feature `no_thp`): zeroing 2 MiB pages cost more system time
// than it saved and doubled the seed build's memory. Never visible in output.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "deckc",
    version,
    about = "Compile Python interview-prep guides into study decks (Anki, CSV, JSON, Quizlet, Obsidian)",
    long_about = "deckc reads the guides listed in <content>/sources.yaml, repairs and normalizes \
them into one question schema, labels and merges them, and writes the decks to <out>. \
It records each card's identity in <content>/deck.lock; commit that file.\n\n\
Exit codes: 0 success, 1 `check` found stale outputs, 2 bad input or usage.",
    after_help = "Examples:\n  \
deckc build                                   # content/ → output/, every format\n  \
deckc build --format quizlet --format obsidian\n  \
deckc build --domain concurrency --difficulty hard   # output/…-concurrency-hard.*\n  \
deckc check                                   # CI: exit 1 if output/ or deck.lock is stale\n  \
deckc stats | head -5\n  \
deckc completions bash > ~/.local/share/bash-completion/completions/deckc"
)]
struct Cli {
    /// Print nothing but errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print every file written.
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Compile the content folder and write the outputs (and content/deck.lock).
    #[command(after_help = "Examples:\n  \
deckc build\n  \
deckc build --content my/content --out /tmp/deck\n  \
deckc build --format json --format csv\n  \
deckc build --locked                          # CI: fail if content/deck.lock would change\n  \
deckc build --domain concurrency --difficulty hard\n  \
deckc build --source top-200 --format quizlet # output/python-interview-top-200.quizlet.txt\n\n\
A filtered build writes its own files (named after the filtered deck) beside the \
full deck's and leaves those alone; deck.lock always covers every card, so the \
filtered deck's notes keep the full deck's GUIDs.")]
    Build(BuildArgs),
    /// Compile in memory and compare with the output folder and deck.lock; exit 1 if stale.
    #[command(after_help = "Examples:\n  \
deckc check\n  \
deckc check --content content --out output\n  \
deckc check --format json --format csv        # when only those were built\n  \
deckc check --domain concurrency --difficulty hard\n\n\
Takes the same selection as `build`; lists each missing or differing file on stderr.")]
    Check(CheckArgs),
    /// Print the domain × difficulty table and the merge summary to stdout.
    #[command(after_help = "Examples:\n  \
deckc stats\n  \
deckc stats --content my/content\n  \
deckc stats --source scenarios\n  \
deckc stats | head -5")]
    Stats(StatsArgs),
    /// Write a synthetic content folder in the guides' own layouts (for benchmarks).
    #[command(
        name = "gen-corpus",
        after_help = "Examples:\n  \
deckc gen-corpus --questions 10000 --seed 1 --out /tmp/corpus-10k\n  \
deckc build --content /tmp/corpus-10k --out /tmp/deck-10k\n\n\
The folder holds sources.yaml, five guides, the taxonomy copied from --content, \
and planted.yaml, the near-duplicate pairs planted at known positions. The same \
arguments always give the same bytes."
    )]
    GenCorpus {
        /// Total number of questions.
        #[arg(long, value_name = "N")]
        questions: usize,
        /// Seed for the generator.
        #[arg(long, default_value_t = 1, value_name = "S")]
        seed: u64,
        /// Folder to write (created; must be empty or absent).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Content folder whose taxonomy.yaml the corpus uses.
        #[arg(long, default_value = "content", value_name = "DIR")]
        content: PathBuf,
    },
    /// Print a shell completion script to stdout.
    #[command(after_help = "Examples:\n  \
deckc completions bash > ~/.local/share/bash-completion/completions/deckc\n  \
deckc completions zsh > \"${fpath[1]}/_deckc\"\n  \
deckc completions fish > ~/.config/fish/completions/deckc.fish\n  \
deckc completions powershell >> $PROFILE\n  \
deckc completions elvish >> ~/.config/elvish/rc.elv")]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: Shell,
    },
}

#[derive(Args)]
struct Content {
    /// Content folder (holds sources.yaml, taxonomy.yaml and deck.lock).
    #[arg(long, default_value = "content", value_name = "DIR")]
    content: PathBuf,
}

#[derive(Args)]
struct Paths {
    #[command(flatten)]
    content: Content,
    /// Output folder.
    #[arg(long, default_value = "output", value_name = "DIR")]
    out: PathBuf,
}

/// The formats `--format` accepts, with what each writes.
fn formats() -> PossibleValuesParser {
    PossibleValuesParser::new(
        deckc::emit::EMITTERS
            .iter()
            .map(|e| PossibleValue::new(e.name()).help(e.describe())),
    )
}

#[derive(Args)]
struct Formats {
    /// Outputs to write (repeatable); default: all.
    #[arg(long = "format", value_name = "FORMAT", value_parser = formats())]
    formats: Vec<String>,
}

/// Selects a filtered deck. Values of one option are alternatives; options combine.
#[derive(Args)]
#[command(
    next_help_heading = "Filtered deck (values of one option are alternatives; options combine)"
)]
struct Select {
    /// Only cards of this taxonomy domain (repeatable).
    #[arg(long = "domain", value_name = "SLUG")]
    domains: Vec<String>,
    /// Only cards of this difficulty (repeatable).
    #[arg(long = "difficulty", value_name = "LEVEL", value_parser = ["easy", "medium", "hard"])]
    difficulties: Vec<String>,
    /// Only cards with a question from this source id of sources.yaml (repeatable).
    #[arg(long = "source", value_name = "ID")]
    sources: Vec<String>,
}

#[derive(Args)]
struct BuildArgs {
    #[command(flatten)]
    paths: Paths,
    #[command(flatten)]
    formats: Formats,
    #[command(flatten)]
    select: Select,
    /// Fail instead of updating content/deck.lock.
    #[arg(long)]
    locked: bool,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    paths: Paths,
    #[command(flatten)]
    formats: Formats,
    #[command(flatten)]
    select: Select,
}

#[derive(Args)]
struct StatsArgs {
    #[command(flatten)]
    content: Content,
    #[command(flatten)]
    select: Select,
}

/// Writes `bytes` to stdout; a closed pipe is not an error.
fn write_stdout(bytes: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    let (config, select) = match cli.command {
        Cmd::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "deckc", &mut script);
            return match write_stdout(&script) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("deckc: error: writing to stdout: {e}");
                    ExitCode::from(2)
                }
            };
        }
        Cmd::GenCorpus {
            questions,
            seed,
            out,
            content,
        } => {
            let spec = deckc::corpus::Spec { questions, seed };
            return match deckc::driver::gen_corpus(spec, &content, &out) {
                Ok(n) => {
                    if verbosity > Verbosity::Quiet {
                        eprintln!("deckc: wrote {n} files to {}", out.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("deckc: error: {e}");
                    ExitCode::from(2)
                }
            };
        }
        Cmd::Build(a) => (
            Config::new(
                Command::Build,
                a.paths.content.content,
                a.paths.out,
                &a.formats.formats,
                a.locked,
                verbosity,
            ),
            a.select,
        ),
        Cmd::Check(a) => (
            Config::new(
                Command::Check,
                a.paths.content.content,
                a.paths.out,
                &a.formats.formats,
                false,
                verbosity,
            ),
            a.select,
        ),
        Cmd::Stats(a) => (
            Config::new(
                Command::Stats,
                a.content.content,
                PathBuf::from("output"),
                &[],
                false,
                verbosity,
            ),
            a.select,
        ),
    };
    let config =
        config.and_then(|c| c.with_filter(&select.domains, &select.difficulties, &select.sources));
    let config = match config {
        Ok(c) => c,
        Err(e) => {
            eprintln!("deckc: error: {e}");
            return ExitCode::from(2);
        }
    };
    match deckc::run(&config) {
        Ok(Outcome::Stale(lines)) => {
            eprintln!("deckc: outputs are stale; run `deckc build` and commit:");
            for l in lines {
                eprintln!("  {l}");
            }
            ExitCode::from(1)
        }
        Ok(Outcome::Fresh) => {
            if config.verbosity > Verbosity::Quiet {
                eprintln!("deckc: outputs are fresh");
            }
            ExitCode::SUCCESS
        }
        Ok(Outcome::Built { written }) => {
            if config.verbosity == Verbosity::Verbose {
                for path in written {
                    eprintln!("  wrote {}", path.display());
                }
            }
            ExitCode::SUCCESS
        }
        Ok(Outcome::Printed) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("deckc: error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_emitter_is_a_format_value() {
        let cmd = Cli::command();
        let build = cmd.find_subcommand("build").unwrap();
        let arg = build
            .get_arguments()
            .find(|a| a.get_id() == "formats")
            .unwrap();
        let values: Vec<String> = arg
            .get_possible_values()
            .iter()
            .map(|v| v.get_name().to_string())
            .collect();
        let names: Vec<String> = deckc::emit::EMITTERS
            .iter()
            .map(|e| e.name().to_string())
            .collect();
        assert_eq!(values, names);
        assert!(
            values.contains(&"quizlet".to_string()) && values.contains(&"obsidian".to_string())
        );
    }

    #[test]
    fn filters_parse_repeatably_and_difficulty_is_checked() {
        let cli = Cli::try_parse_from([
            "deckc",
            "build",
            "--domain",
            "concurrency",
            "--domain",
            "testing",
            "--difficulty",
            "hard",
            "--source",
            "top-200",
        ])
        .unwrap();
        let Cmd::Build(a) = cli.command else {
            panic!("not build")
        };
        assert_eq!(a.select.domains, ["concurrency", "testing"]);
        assert_eq!(a.select.difficulties, ["hard"]);
        assert_eq!(a.select.sources, ["top-200"]);
        let e = Cli::try_parse_from(["deckc", "build", "--difficulty", "hrad"])
            .err()
            .unwrap();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("hard"), "{e}");
    }

    #[test]
    fn quiet_and_verbose_conflict() {
        let e = Cli::try_parse_from(["deckc", "-q", "-v", "stats"])
            .err()
            .unwrap();
        assert_eq!(e.kind(), clap::error::ErrorKind::ArgumentConflict);
    }
}

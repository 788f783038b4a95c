//! The `deckc` command line: a thin clap-derive layer that builds a validated
//! `deckc::Config`, calls `deckc::run`, prints the error chain on stderr and
//! maps the outcome to an exit code (0 ok, 1 stale outputs, 2 bad input).

use clap::{Args, Parser, Subcommand};
use deckc::config::{Command, Config, Verbosity};
use deckc::Outcome;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "deckc",
    version,
    about = "Compile Python interview-prep guides into study decks (Anki .apkg, CSV, JSON)",
    long_about = "deckc reads the guides listed in <content>/sources.yaml, repairs and normalizes \
them into one question schema, labels and merges them, and writes the decks to <out>.\n\n\
Exit codes: 0 success, 1 `check` found stale outputs, 2 bad input or usage.",
    after_help = "Examples:\n  deckc build                      # content/ → output/\n  \
deckc build --content my/content --out /tmp/deck\n  deckc check                      # CI: are output/ and deck.lock fresh?\n  \
deckc stats"
)]
struct Cli {
    /// Print nothing but errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more about each stage.
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Compile the content folder and write every output.
    #[command(
        after_help = "Examples:\n  deckc build\n  deckc build --format json --format csv\n  deckc build --locked   # fail if content/deck.lock would change (CI)"
    )]
    Build(BuildArgs),
    /// Compile in memory and compare with the output folder; exit 1 if stale.
    #[command(
        after_help = "Examples:\n  deckc check\n  deckc check --content content --out output"
    )]
    Check(Paths),
    /// Print the domain × difficulty table and the merge summary.
    #[command(after_help = "Examples:\n  deckc stats\n  deckc stats --content my/content")]
    Stats(ContentOnly),
}

#[derive(Args)]
struct Paths {
    /// Content folder (holds sources.yaml).
    #[arg(long, default_value = "content", value_name = "DIR")]
    content: PathBuf,
    /// Output folder.
    #[arg(long, default_value = "output", value_name = "DIR")]
    out: PathBuf,
}

#[derive(Args)]
struct ContentOnly {
    /// Content folder (holds sources.yaml).
    #[arg(long, default_value = "content", value_name = "DIR")]
    content: PathBuf,
}

#[derive(Args)]
struct BuildArgs {
    #[command(flatten)]
    paths: Paths,
    /// Outputs to write (repeatable); default all. One of: json, csv, report.
    #[arg(long = "format", value_name = "FORMAT")]
    formats: Vec<String>,
    /// Fail instead of updating content/deck.lock.
    #[arg(long)]
    locked: bool,
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
    let config = match cli.command {
        Cmd::Build(a) => Config::new(
            Command::Build,
            a.paths.content,
            a.paths.out,
            &a.formats,
            a.locked,
            verbosity,
        ),
        Cmd::Check(p) => Config::new(Command::Check, p.content, p.out, &[], false, verbosity),
        Cmd::Stats(c) => Config::new(
            Command::Stats,
            c.content,
            PathBuf::from("output"),
            &[],
            false,
            verbosity,
        ),
    };
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
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("deckc: error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}

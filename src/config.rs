//! The validated configuration `deckc::run` takes: what to do, where the
//! content and outputs live, and which emitters run. The CLI builds it; this
//! module checks it, so a bad combination fails before any file is read
//! (filter values that depend on the content, domains and sources, are
//! checked by `filter::apply` once the content is compiled).

use crate::emit::{self, Emitter};
use crate::filter::Filter;
use std::path::PathBuf;

/// What to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Compile and write the outputs.
    Build,
    /// Compile in memory and compare with the output folder.
    Check,
    /// Compile in memory and print the summary tables.
    Stats,
}

/// How much to print on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// A validated run configuration.
#[derive(Clone)]
pub struct Config {
    pub command: Command,
    pub content: PathBuf,
    pub out: PathBuf,
    pub emitters: Vec<&'static dyn Emitter>,
    /// Fail instead of changing `deck.lock`.
    pub locked: bool,
    pub verbosity: Verbosity,
    /// Which cards to keep; empty keeps every card (the full deck).
    pub filter: Filter,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("command", &self.command)
            .field("content", &self.content)
            .field("out", &self.out)
            .field(
                "emitters",
                &self.emitters.iter().map(|e| e.name()).collect::<Vec<_>>(),
            )
            .field("locked", &self.locked)
            .field("verbosity", &self.verbosity)
            .field("filter", &self.filter)
            .finish()
    }
}

/// A configuration error (always a usage error: exit 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

impl Config {
    /// Validates and builds a configuration. `formats` empty means all.
    pub fn new(
        command: Command,
        content: PathBuf,
        out: PathBuf,
        formats: &[String],
        locked: bool,
        verbosity: Verbosity,
    ) -> Result<Config, ConfigError> {
        let emitters = if formats.is_empty() {
            emit::EMITTERS.to_vec()
        } else {
            let mut chosen = Vec::new();
            for f in formats {
                let e = emit::emitter(f).ok_or_else(|| {
                    let names: Vec<_> = emit::EMITTERS.iter().map(|e| e.name()).collect();
                    let hint = crate::yaml::closest(f, names.iter().copied())
                        .map(|b| format!(" (did you mean `{b}`?)"))
                        .unwrap_or_default();
                    ConfigError(format!(
                        "unknown format `{f}`{hint}; known formats: {}",
                        names.join(", ")
                    ))
                })?;
                if !chosen.iter().any(|c: &&dyn Emitter| c.name() == e.name()) {
                    chosen.push(e);
                }
            }
            chosen
        };
        if content.as_os_str().is_empty() || out.as_os_str().is_empty() {
            return Err(ConfigError("--content and --out must not be empty".into()));
        }
        Ok(Config {
            command,
            content,
            out,
            emitters,
            locked,
            verbosity,
            filter: Filter::default(),
        })
    }

    /// The same configuration restricted to a filtered deck. Difficulties are
    /// checked here; domains and sources once the content is compiled.
    pub fn with_filter(
        mut self,
        domains: &[String],
        difficulties: &[String],
        sources: &[String],
    ) -> Result<Config, ConfigError> {
        self.filter =
            Filter::new(domains, difficulties, sources).map_err(|e| ConfigError(e.to_string()))?;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_format_suggests_the_nearest() {
        let e = Config::new(
            Command::Build,
            "c".into(),
            "o".into(),
            &["jsno".into()],
            false,
            Verbosity::Normal,
        )
        .unwrap_err();
        assert!(e.0.contains("did you mean `json`"), "{e}");
    }

    #[test]
    fn empty_formats_means_every_emitter() {
        let c = Config::new(
            Command::Build,
            "c".into(),
            "o".into(),
            &[],
            false,
            Verbosity::Normal,
        )
        .unwrap();
        assert_eq!(c.emitters.len(), emit::EMITTERS.len());
        assert!(c.filter.is_empty());
    }

    #[test]
    fn repeated_formats_are_kept_once_in_order() {
        let f: Vec<String> = ["csv", "json", "csv"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let c = Config::new(
            Command::Build,
            "c".into(),
            "o".into(),
            &f,
            false,
            Verbosity::Normal,
        )
        .unwrap();
        let names: Vec<_> = c.emitters.iter().map(|e| e.name()).collect();
        assert_eq!(names, ["csv", "json"]);
    }

    #[test]
    fn empty_paths_are_refused() {
        let e = Config::new(
            Command::Check,
            "".into(),
            "o".into(),
            &[],
            false,
            Verbosity::Normal,
        )
        .unwrap_err();
        assert!(e.0.contains("--content"), "{e}");
    }

    #[test]
    fn filter_difficulty_is_checked_up_front() {
        let c = Config::new(
            Command::Build,
            "c".into(),
            "o".into(),
            &[],
            false,
            Verbosity::Normal,
        )
        .unwrap();
        let e = c
            .clone()
            .with_filter(&[], &["meduim".into()], &[])
            .unwrap_err();
        assert!(
            e.0.contains("unknown difficulty `meduim` (did you mean `medium`?)"),
            "{e}"
        );
        let c = c
            .with_filter(&["concurrency".into()], &["hard".into()], &[])
            .unwrap();
        assert_eq!(c.filter.difficulties, vec![crate::model::Difficulty::Hard]);
        assert_eq!(c.filter.domains, vec!["concurrency".to_string()]);
    }
}

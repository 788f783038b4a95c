//! Typed errors for every stage, and the position they carry. Each stage has
//! its own error enum; all of them name the file and, where it applies, the
//! line and column, plus a hint. Only the driver and `main` turn these into
//! `anyhow` chains and exit codes.

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in an input file. `line` and `column` are 1-based; 0 means unknown.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub fn new(file: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Pos {
            file: file.into(),
            line,
            column,
        }
    }

    /// The whole file, with no line.
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Pos::new(file, 0, 0)
    }

    /// The position of byte `offset` in `text`, which was read from `file`.
    pub fn at_offset(file: impl Into<PathBuf>, text: &str, offset: usize) -> Self {
        let (line, column) = line_col(text, offset);
        Pos::new(file, line, column)
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
/// Offsets past the end, or inside a character, are clamped.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// An error in one input, with where and, if we know one, how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{pos}: {message}{}", hint.as_ref().map(|h| format!("\n  hint: {h}")).unwrap_or_default())]
pub struct InputError {
    pub pos: Pos,
    pub message: String,
    pub hint: Option<String>,
}

impl InputError {
    pub fn new(pos: Pos, message: impl Into<String>) -> Self {
        InputError {
            pos,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Errors from reading the content folder's files (the driver's load step).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: file is empty")]
    Empty { path: PathBuf },
    #[error("{path}: not UTF-8 text: invalid byte at offset {offset} (line {line})")]
    NotUtf8 {
        path: PathBuf,
        offset: usize,
        line: usize,
    },
    #[error("{path}: looks binary: NUL byte at offset {offset} (line {line})")]
    Binary {
        path: PathBuf,
        offset: usize,
        line: usize,
    },
    #[error("{path}: {size} bytes is over the limit of {limit} bytes for one input file")]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error(transparent)]
    Input(#[from] InputError),
}

impl LoadError {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        LoadError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Errors from a source layout's parser.
pub type ParseError = InputError;

/// Errors from the YAML configuration files (sources, taxonomy, overrides,
/// errata, dedup, lock, authored overlays).
pub type ConfigError = InputError;

/// Errors from writing outputs.
#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    #[error("{what}: {message}")]
    Format { what: String, message: String },
    #[error("{path}: cannot write: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl EmitError {
    pub fn format(what: impl Into<String>, message: impl fmt::Display) -> Self {
        EmitError::Format {
            what: what.into(),
            message: message.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let t = "ab\ncé\nxyz";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        // 'é' is two bytes; the 'x' on line 3 is at byte 7.
        assert_eq!(line_col(t, 7), (3, 1));
        // inside 'é' clamps back to its start
        assert_eq!(line_col(t, 5), (2, 2));
        assert_eq!(line_col(t, 999), (3, 4));
    }

    #[test]
    fn input_error_shows_position_and_hint() {
        let e = InputError::new(Pos::new("content/x.yaml", 3, 7), "bad").with_hint("fix it");
        assert_eq!(e.to_string(), "content/x.yaml:3:7: bad\n  hint: fix it");
        let e = InputError::new(Pos::file("a.txt"), "empty");
        assert_eq!(e.to_string(), "a.txt: empty");
    }
}

//! The `scenarios` layout. (Parser not written yet.)

use super::{Layout, SourceFile};
use crate::error::ParseError;
use crate::model::Question;

/// Parser for the `scenarios` layout.
pub struct Scenarios;

impl Layout for Scenarios {
    fn name(&self) -> &'static str {
        "scenarios"
    }

    fn parse(&self, src: &SourceFile) -> Result<Vec<Question>, ParseError> {
        Err(src.error_at(0, "the `scenarios` parser is not written yet"))
    }
}

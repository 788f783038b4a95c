//! The `deep-dive` layout. (Parser not written yet.)

use super::{Layout, SourceFile};
use crate::error::ParseError;
use crate::model::Question;

/// Parser for the `deep-dive` layout.
pub struct DeepDive;

impl Layout for DeepDive {
    fn name(&self) -> &'static str {
        "deep-dive"
    }

    fn parse(&self, src: &SourceFile) -> Result<Vec<Question>, ParseError> {
        Err(src.error_at(0, "the `deep-dive` parser is not written yet"))
    }
}

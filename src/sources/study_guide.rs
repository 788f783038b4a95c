//! The `study-guide` layout. (Parser not written yet.)

use super::{Layout, SourceFile};
use crate::error::ParseError;
use crate::model::Question;

/// Parser for the `study-guide` layout.
pub struct StudyGuide;

impl Layout for StudyGuide {
    fn name(&self) -> &'static str {
        "study-guide"
    }

    fn parse(&self, src: &SourceFile) -> Result<Vec<Question>, ParseError> {
        Err(src.error_at(0, "the `study-guide` parser is not written yet"))
    }
}

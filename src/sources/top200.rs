//! The `top-200` layout. (Parser not written yet.)

use super::{Layout, SourceFile};
use crate::error::ParseError;
use crate::model::Question;

/// Parser for the `top-200` layout.
pub struct Top200;

impl Layout for Top200 {
    fn name(&self) -> &'static str {
        "top-200"
    }

    fn parse(&self, src: &SourceFile) -> Result<Vec<Question>, ParseError> {
        Err(src.error_at(0, "the `top-200` parser is not written yet"))
    }
}

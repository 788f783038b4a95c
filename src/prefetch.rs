//! Cache prefetch hints for the stages that walk every card once. A card's
//! source questions keep the text normalize wrote, in source order, while
//! cards are walked in id order: at 100k questions that text is no longer
//! in the caches, and each first read of a string waits for memory. Asking
//! for it a little ahead overlaps those waits with work. A hint never
//! changes a result; this module holds the crate's one `unsafe` block.

use crate::model::Question;

/// Asks the CPU to start loading the first cache line of `text`.
#[inline(always)]
pub fn text(text: &str) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint: it reads nothing the program sees and
    // never faults, whatever the address.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>(text.as_ptr().cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = text;
}

/// `text` for a question's wording and answer.
#[inline]
pub fn question_and_answer(q: &Question) {
    text(&q.question);
    text(&q.answer);
}

/// `text` for every string a question serializes.
pub fn question(q: &Question) {
    text(&q.original_question);
    question_and_answer(q);
    for s in q
        .section
        .iter()
        .chain(&q.tip)
        .chain(&q.red_flags)
        .chain(&q.tables)
    {
        text(s);
    }
    for f in &q.follow_ups {
        text(&f.question);
    }
    if let Some(a) = &q.authored {
        text(&a.answer);
    }
}

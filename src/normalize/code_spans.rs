//! Code-span repair for guides whose `<code>` spans the extraction destroyed:
//! a line break was put before a code span, the spaces around it were lost,
//! and list items were glued together. This module rebuilds the structure
//! (one bullet per item) and finds the code spans again: every place where a
//! code span met text is now a "glue point" without whitespace, so the text
//! is segmented against the English and Python vocabularies and labelled
//! code or text by a small Viterbi search, then rendered as Markdown with
//! backticks and normal spacing. Text already in backticks is kept as is,
//! which makes the repair idempotent on clean Markdown.

use super::vocab::{vocab, Vocab};
use crate::hash::{FastHasher, FastMap, FastSet, StrMap};
use std::hash::{BuildHasher, BuildHasherDefault};

/// Stands for a line break that the extraction put before a code span.
const MARK: char = '\u{E000}';
/// Cost of changing between code and text across whitespace (the damage
/// never leaves whitespace at a code/text boundary).
const SWITCH: f32 = 8.0;
/// Cost of a glue point (code meets text without whitespace).
const GLUE: f32 = 0.5;
/// Cost of changing between code and text across whitespace next to a token
/// shaped like code (a call or a dunder name): where the prose kept its
/// spaces, such a token is a code span of its own.
const STRONG: f32 = 0.2;
/// Extra cost of an English word inside a code span that holds spaces.
const WORD_IN_CODE: f32 = 1.0;
const INF: f32 = 1.0e9;

/// Repairs one text field. Lines, bullets, tables and label lines are kept;
/// damaged runs are rebuilt.
pub fn repair(text: &str) -> String {
    repair_with(text, &mut Memo::default())
}

/// `repair`, reusing the segmentations in `memo` (for many fields).
pub fn repair_with(text: &str, memo: &mut Memo) -> String {
    let v = vocab();
    let mut out = Rendered::default();
    let mut prev_bullet = false;
    for block in blocks(text) {
        match block {
            Block::Verbatim(line) => {
                let kind = if is_label_line(&line) {
                    Shown::Para
                } else {
                    Shown::Line
                };
                out.push(kind, &line);
                prev_bullet = false;
            }
            Block::Break => prev_bullet = false,
            Block::Text { bullet, text } => {
                let items = memo.block(v, &text);
                let any_split = items.iter().skip(1).any(|i| i.kind != ItemKind::Para);
                for (n, item) in items.iter().enumerate() {
                    for (k, part) in item.parts.iter().enumerate() {
                        if part.text.is_empty() {
                            continue;
                        }
                        let is_bullet = match (n, k) {
                            (0, 0) => bullet || any_split || (prev_bullet && part.starts_code),
                            (_, 0) => item.kind != ItemKind::Para,
                            _ => true,
                        };
                        let kind = if is_bullet {
                            Shown::Bullet
                        } else {
                            Shown::Para
                        };
                        out.push(kind, &part.text);
                        prev_bullet = is_bullet;
                    }
                }
            }
        }
    }
    out.text
}

/// How a repaired piece of a field is shown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    Bullet,
    Para,
    /// A table row or fenced-code line: stays on the line after the previous one.
    Line,
}

/// The repaired field, written piece by piece: bullets and lines follow
/// their own kind on the next line, anything else after a blank line.
#[derive(Default)]
struct Rendered {
    text: String,
    last: Option<Shown>,
}

impl Rendered {
    fn push(&mut self, kind: Shown, piece: &str) {
        match self.last {
            None => {}
            Some(k) if k == kind && kind != Shown::Para => self.text.push('\n'),
            Some(_) => self.text.push_str("\n\n"),
        }
        if kind == Shown::Bullet {
            self.text.push_str("- ");
        }
        self.text.push_str(piece);
        self.last = Some(kind);
    }
}

#[derive(Debug, PartialEq)]
enum Block {
    /// A line kept as is: table rows, label lines, fenced code.
    Verbatim(String),
    /// A blank line.
    Break,
    /// A bullet (`- ` stripped) or a paragraph; `MARK` where a false line
    /// break was.
    Text { bullet: bool, text: String },
}

/// Groups lines into blocks. A line that does not start a bullet and follows
/// a line that does not end a sentence is the continuation of that line: the
/// break was put there before a code span.
fn blocks(text: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut in_fence = false;
    for line in text.split('\n') {
        let line = line.trim_end();
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            out.push(Block::Verbatim(line.to_string()));
            continue;
        }
        let table_row = line.starts_with('|') && line.ends_with('|') && line.len() > 1;
        if in_fence || table_row || is_label_line(line) {
            out.push(Block::Verbatim(line.to_string()));
            continue;
        }
        if line.trim().is_empty() {
            out.push(Block::Break);
            continue;
        }
        if let Some(rest) = line.strip_prefix("- ") {
            out.push(Block::Text {
                bullet: true,
                text: rest.trim().to_string(),
            });
            continue;
        }
        if let Some(Block::Text { text, .. }) = out.last_mut() {
            if !ends_sentence(text) {
                text.push(MARK);
                text.push_str(line.trim());
                continue;
            }
        }
        out.push(Block::Text {
            bullet: false,
            text: line.trim().to_string(),
        });
    }
    out
}

/// `**Label:**` on a line of its own.
fn is_label_line(line: &str) -> bool {
    line.starts_with("**") && line.ends_with(":**") && line.len() > 5
}

fn ends_sentence(text: &str) -> bool {
    let mut chars = text.trim_end().chars().rev();
    match chars.next() {
        Some('.' | '!' | '?') => true,
        Some(')' | '”' | '’' | '"') => matches!(chars.next(), Some('.' | '!' | '?')),
        _ => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ItemKind {
    /// The first item of a block.
    First,
    /// Split off at a glued `- `.
    Dash,
    /// Split off where an item starting with code was glued to a sentence.
    CodeStart,
    /// Split off where a sentence was glued to the one before.
    Para,
}

#[derive(Debug)]
struct Item {
    kind: ItemKind,
    text: String,
}

/// Splits a block at glued item starts: a sentence end followed by `- `, or
/// by a glued token that starts with code, or by a glued capitalised sentence.
fn split_items(v: &Vocab, text: &str) -> Vec<Item> {
    let chars = chars_of(text);
    let mut items = Vec::new();
    let mut start = 0;
    let mut kind = ItemKind::First;
    let mut depth = 0i32;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            i = skip_backticks(&chars, i);
            continue;
        }
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = (depth - 1).max(0),
            _ => {}
        }
        let sentence_end = matches!(c, '.' | '!' | '?' | ')' | '”' | '’' | ':')
            || (c == '_' && i > 0 && chars[i - 1] == '_' && chars.get(i + 1) == Some(&' '));
        if sentence_end {
            // ".- Next" or ". - Next"
            let mut j = i + 1;
            if chars.get(j) == Some(&' ') {
                j += 1;
            }
            if chars.get(j) == Some(&'-')
                && chars.get(j + 1) == Some(&' ')
                && chars.get(j + 2).is_some_and(|c| !c.is_whitespace())
            {
                items.push(Item {
                    kind,
                    text: collect(&chars[start..=i]),
                });
                start = j + 2;
                kind = ItemKind::Dash;
                depth = 0;
                i = start;
                continue;
            }
        }
        if c == '.' && depth == 0 {
            if let Some(k) = glued_start(v, &chars, i) {
                items.push(Item {
                    kind,
                    text: collect(&chars[start..=i]),
                });
                start = i + 1;
                kind = k;
            }
        }
        i += 1;
    }
    items.push(Item {
        kind,
        text: collect(&chars[start..]),
    });
    items.retain(|it| !it.text.trim().is_empty());
    items
}

/// Whether the `.` at `i` ends a sentence glued to the next item or sentence.
fn glued_start(v: &Vocab, chars: &[char], i: usize) -> Option<ItemKind> {
    let next = *chars.get(i + 1)?;
    if !(next.is_ascii_alphabetic() || matches!(next, '_' | '@' | '*')) {
        return None;
    }
    let before: String = {
        let mut b = i;
        while b > 0 && chars[b - 1].is_ascii_alphabetic() {
            b -= 1;
        }
        collect(&chars[b..i])
    };
    let lead = chars[i + 1..]
        .iter()
        .take_while(|&&c| c == '@' || c == '*')
        .count();
    let after_end = (i + 1 + lead..chars.len())
        .find(|&k| !(chars[k].is_ascii_alphanumeric() || chars[k] == '_'))
        .unwrap_or(chars.len());
    let after = collect(&chars[i + 1 + lead..after_end]);
    // The word before must stand alone (`…keys.setdefault…`), not be a
    // code span's start (`\ncopy.copy…`) or a block's first word.
    let word_start = i - before.chars().count();
    let stands_alone = word_start > 0
        && !matches!(chars[word_start - 1], MARK | '.' | '_')
        && !chars[word_start - 1].is_alphanumeric();
    if !before.is_empty() && !stands_alone {
        return None;
    }
    let prev_ok =
        (before.len() >= 2 && before.bytes().all(|b| b.is_ascii_lowercase()) && v.is_word(&before))
            || (before.is_empty() && i > 0 && chars[i - 1] == ')');
    if !prev_ok {
        return None;
    }
    let followed_by_space = chars.get(after_end) == Some(&' ');
    if v.is_word(&after) && after.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
        return followed_by_space.then_some(ItemKind::Para);
    }
    // `sys.path`, `copy.copy`: a dotted name, not two sentences.
    let dotted = if v.is_python(&before) {
        v.is_word(&after) || after.starts_with('_')
    } else {
        v.is_word(&after) && !v.is_python(&after)
    };
    if dotted || after.len() < 2 {
        return None;
    }
    Some(ItemKind::CodeStart)
}

fn collect(chars: &[char]) -> String {
    if chars.iter().all(char::is_ascii) {
        // One byte per char, so the bytes are the text (and valid UTF-8).
        let bytes: Vec<u8> = chars.iter().map(|&c| c as u8).collect();
        return String::from_utf8(bytes).unwrap_or_default();
    }
    chars.iter().collect()
}

/// The characters of `text`, in a vector sized once (`chars().collect()`
/// guesses a quarter of the bytes and grows twice for ASCII text).
fn chars_of(text: &str) -> Vec<char> {
    let mut chars = Vec::with_capacity(text.len());
    chars.extend(text.chars());
    chars
}

/// The index after the backtick span starting at `i` (or after the lone
/// backticks when the span is not closed).
fn skip_backticks(chars: &[char], i: usize) -> usize {
    let run = chars[i..].iter().take_while(|&&c| c == '`').count();
    let mut k = i + run;
    while k < chars.len() {
        if chars[k] == '`' {
            let r = chars[k..].iter().take_while(|&&c| c == '`').count();
            if r == run {
                return k + r;
            }
            k += r;
        } else {
            k += 1;
        }
    }
    i + run
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Text,
    Code,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sep {
    Start,
    Space,
    Mark,
    /// Glued to the previous piece.
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ident,
    Punct,
    Verbatim,
}

#[derive(Debug, Clone)]
struct Piece {
    text: String,
    kind: Kind,
    label: Label,
    sep: Sep,
}

/// A piece of the memo as it stands in an item: borrowed, with the
/// separator before it there.
#[derive(Debug, Clone, Copy)]
struct Placed<'m> {
    text: &'m str,
    kind: Kind,
    label: Label,
    sep: Sep,
}

/// A token (no whitespace inside, except within backticks) and what came
/// before it; its characters are borrowed from the item's.
struct Token<'c> {
    sep: Sep,
    chars: &'c [char],
}

/// The longest token segmented whole, in characters. The segmentation of a
/// token costs more than linear time in its length; the longest token of the
/// guides has 71 characters, while one glued line of hostile input could have
/// millions. A longer token is segmented in windows of this many characters,
/// each glued to the one before, which keeps the repair linear.
const MAX_TOKEN: usize = 128;

/// Cuts tokens longer than `MAX_TOKEN` into windows.
fn windows(toks: Vec<Token>) -> Vec<Token> {
    if toks.iter().all(|t| t.chars.len() <= MAX_TOKEN) {
        return toks;
    }
    let mut out = Vec::with_capacity(toks.len());
    for t in toks {
        if t.chars.len() <= MAX_TOKEN {
            out.push(t);
            continue;
        }
        for (n, chunk) in t.chars.chunks(MAX_TOKEN).enumerate() {
            out.push(Token {
                sep: if n == 0 { t.sep } else { Sep::None },
                chars: chunk,
            });
        }
    }
    out
}

/// Cuts an item's characters into tokens. A token is always one contiguous
/// run of `chars`, `chars[start..i]`.
fn tokens(chars: &[char]) -> Vec<Token<'_>> {
    // About one token per word of prose.
    let mut out = Vec::with_capacity(chars.len() / 5 + 1);
    let mut sep = Sep::Start;
    // The current token is `chars[start..i]`.
    let mut start = 0;
    let mut depth = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // Inside a call or tuple that started in this token (`f(a, b)`),
        // spaces belong to the token.
        if c == ' ' && depth > 0 {
            i += 1;
            continue;
        }
        let cur = &chars[start..i];
        let opens_call = cur.last().is_some_and(|&p| is_ident_char(p) || p == '@')
            || (cur.is_empty() && sep == Sep::Mark)
            || depth > 0;
        if c == '(' && opens_call {
            depth += 1;
        } else if c == ')' && depth > 0 {
            depth -= 1;
        }
        if c == MARK || c.is_whitespace() {
            depth = 0;
            if !cur.is_empty() {
                out.push(Token { sep, chars: cur });
                sep = Sep::Space;
            }
            if c == MARK {
                sep = Sep::Mark;
            } else if sep != Sep::Mark && sep != Sep::Start {
                sep = Sep::Space;
            }
            i += 1;
            start = i;
            continue;
        }
        if c == '`' {
            i = skip_backticks(chars, i);
            continue;
        }
        i += 1;
    }
    if start < chars.len() {
        out.push(Token {
            sep,
            chars: &chars[start..],
        });
    }
    out
}

/// Costs of a piece as (text, code).
fn costs(v: &Vocab, s: &str, known: &mut CostMemo) -> (f32, f32) {
    let n = s.chars().count() as f32;
    if is_dunder(s) {
        return (6.0, 0.3);
    }
    // Each looked up once.
    let (python, word) = (v.is_python(s), v.is_word(s));
    // `fromasyncio`, `nextnext`, `tolru_cache`: a word glued to a name.
    if !python && !word && word_then_name(v, s) {
        return (INF, 6.0 + 0.25 * n);
    }
    if s.contains('_') {
        let inner = s.trim_start_matches('_');
        if inner.contains("__") || inner.is_empty() || s.ends_with('_') {
            return (6.0, 10.0);
        }
        if python {
            return (5.0, 1.0);
        }
        let parts: f32 = inner
            .split('_')
            .map(|p| {
                if p.is_empty() {
                    0.0
                } else {
                    known_costs(v, p, known).1
                }
            })
            .sum();
        return (5.0, (0.5 + 0.6 * parts).max(1.0));
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return (0.5, 1.5);
    }
    if word {
        return (1.0, if python { 1.0 } else { 2.5 });
    }
    if python {
        return (1.5, 1.0);
    }
    if n == 1.0 {
        return (2.0, 1.5);
    }
    // Two names glued by a connective (`copyandcopy`, `threadingorasyncio`)
    // are two code spans around a word, not one name.
    let glued = if glued_connective(v, s) { 3.0 } else { 0.0 };
    let camel = s.chars().skip(1).any(|c| c.is_ascii_uppercase())
        && s.chars().any(|c| c.is_ascii_lowercase());
    if camel {
        return (2.0 + 0.25 * n, 1.5 + 0.1 * n + glued);
    }
    (2.0 + 0.25 * n, 1.5 + 0.25 * n + glued)
}

/// `costs`, looked up in the memo first (and kept there).
fn known_costs(v: &Vocab, s: &str, known: &mut CostMemo) -> (f32, f32) {
    if let Some(&c) = known.get(s) {
        return c;
    }
    let c = costs(v, s, known);
    known.insert(s, c);
    c
}

/// `known_costs` of the piece `chars`, without building its text unless
/// the memo lacks it or it is long.
fn known_costs_of(v: &Vocab, chars: &[char], known: &mut CostMemo) -> (f32, f32) {
    if let Some(&c) = known.get_short_chars(chars) {
        return c;
    }
    known_costs(v, &collect(chars), known)
}

/// Piece → `costs(piece)`: a piece's costs depend on its characters only,
/// and the same words turn up inside many tokens. Nearly every piece is
/// short enough to be keyed inline (`StrMap`), so a lookup neither
/// allocates nor follows a pointer.
type CostMemo = StrMap<(f32, f32)>;

/// A camel-case name: a lowercase letter followed by an uppercase one.
fn is_camel(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(2)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
}

/// Whether `s` reads as an English word of two letters or more glued to a
/// Python name of three or more (`fromasyncio`, `tolru_cache`).
fn word_then_name(v: &Vocab, s: &str) -> bool {
    // `setuptools_scm` starts with a name of its own.
    if s.split('_')
        .next()
        .is_some_and(|p| v.is_python(p) || v.is_word(p))
    {
        return false;
    }
    // The word part is a lowercase word, so no longer than `v.longest()`
    // and made of the lowercase letters `s` starts with; the name after it
    // has four bytes or more.
    let lower_run = s.bytes().take_while(u8::is_ascii_lowercase).count();
    let last = lower_run.min(s.len().saturating_sub(4)).min(v.longest());
    (2..=last).any(|k| {
        // ASCII up to `k`, so a char boundary.
        let (w, name) = s.split_at(k);
        let snake = || {
            name.contains('_')
                && name.split('_').all(|p| !p.is_empty())
                && name
                    .split('_')
                    .next()
                    .is_some_and(|p| p.len() >= 3 && (v.is_word(p) || v.is_python(p)))
        };
        (v.is_python(name) || snake())
            && v.is_word(w)
            && (!v.is_python(w) || KEYWORD_WORDS.contains(&w))
    })
}

/// Keywords that are also English words, glued to a name in the guides
/// (`nextnext()`, `fromasyncio`).
const KEYWORD_WORDS: [&str; 6] = ["next", "from", "with", "in", "and", "or"];

/// Words that join two code spans in the guides' prose.
const CONNECTIVES: [&str; 8] = ["and", "or", "with", "vs", "on", "than", "instead", "to"];

/// Whether `s` reads as name + connective + name (`copyandcopy`), each name
/// a Python name or a word of two letters or more.
fn glued_connective(v: &Vocab, s: &str) -> bool {
    let known = |p: &str| p.len() >= 2 && (v.is_python(p) || v.is_word(p));
    let bytes = s.as_bytes();
    CONNECTIVES.iter().any(|c| {
        // The places `c` occurs (a byte scan: these are short ASCII words,
        // and building a substring searcher per call cost more than this).
        let c_bytes = c.as_bytes();
        let mut at = (0..bytes.len().saturating_sub(c_bytes.len() - 1))
            .filter(move |&p| bytes[p..].starts_with(c_bytes));
        at.any(|p| {
            let (left, right) = (&s[..p], &s[p + c.len()..]);
            // `keyandreverseopt`: the name after the connective may itself
            // run on into glued text.
            known(left)
                && (2..=right.len().min(v.longest()))
                    .any(|k| right.is_char_boundary(k) && known(&right[..k]))
        })
    })
}

/// Neither a word, a Python name nor code-shaped.
fn is_unknown(v: &Vocab, s: &str) -> bool {
    is_unknown_given(s, v.is_word(s), v.is_python(s))
}

/// `is_unknown`, given whether `s` is a word and a Python name.
fn is_unknown_given(s: &str, word: bool, python: bool) -> bool {
    !(s.contains('_')
        || word
        || python
        || s.chars().count() == 1
        || s.bytes().all(|b| b.is_ascii_digit()))
}

fn is_dunder(s: &str) -> bool {
    s.len() >= 5
        && s.starts_with("__")
        && s.ends_with("__")
        && s[2..s.len() - 2]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && s[2..s.len() - 2]
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        && !s[2..s.len() - 2].contains("__")
}

fn punct_costs(c: char) -> (f32, f32) {
    match c {
        ' ' => (0.1, 0.1),
        '.' | ',' | ';' | ':' => (0.1, 1.2),
        '@' | '=' | '*' | '+' | '[' | ']' | '{' | '}' | '<' | '>' | '|' | '\\' | '~' | '^'
        | '#' | '$' => (1.0, 0.4),
        _ => (0.1, 0.5),
    }
}

const ABBREVIATIONS: [&str; 4] = ["e.g.", "i.e.", "etc.", "vs."];

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The end of an identifier run starting at `i`.
fn ident_end(chars: &[char], i: usize) -> usize {
    (i..chars.len())
        .find(|&k| !is_ident_char(chars[k]))
        .unwrap_or(chars.len())
}

/// Code-shaped pieces starting at `i`, with their code cost: dotted names
/// (`sys.path`, cut anywhere in the last name: `sys.argv|lists`), names
/// with a call or subscript without spaces (`bool(obj)`, `seq[1:2]`),
/// leading-dot names (`.pyc`, `.sort()`), quoted literals (`'i'`,
/// `''.join(x)`) and empty brackets (`()`).
fn shaped(v: &Vocab, chars: &[char], i: usize, known: &mut CostMemo) -> Vec<(usize, f32)> {
    let mut out = Vec::new();
    let c = chars[i];
    let pair = |open: char| match open {
        '(' => Some(')'),
        '[' => Some(']'),
        '{' => Some('}'),
        _ => None,
    };
    if let (Some(close), Some(&next)) = (pair(c), chars.get(i + 1)) {
        if next == close {
            out.push((i + 2, 0.5));
        }
    }
    // The head: a name, a leading-dot name or a quoted literal.
    let (mut end, cost, extended) = if is_ident_char(c) {
        let e = ident_end(chars, i);
        // A bare name, with nothing after it that would extend it, is no
        // shaped piece: the loop below would stop at once.
        if !matches!(chars.get(e), Some('.' | '=' | '-' | '/' | '(' | '[')) {
            return out;
        }
        let first = collect(&chars[i..e]);
        if first.bytes().all(|b| b.is_ascii_digit()) {
            return out;
        }
        let head = known_costs(v, &first, known).1;
        // A name with a glue point inside (`BmeansA`) is no head.
        let glued = first
            .chars()
            .zip(first.chars().skip(1))
            .any(|(a, b)| a.is_ascii_lowercase() && b.is_ascii_uppercase());
        let head = if is_unknown(v, &first) {
            head * if glued { 2.0 } else { 0.6 }
        } else if word_then_name(v, &first) && !v.is_python(&first) {
            head
        } else {
            head.min(1.5)
        };
        (e, head, false)
    } else if c == '.'
        && chars.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic())
        && (i == 0 || !chars[i - 1].is_alphanumeric())
    {
        let e = ident_end(chars, i + 1);
        let name = collect(&chars[i + 1..e]);
        for k in i + 2..e {
            if splittable(chars, i + 1, k) {
                out.push((k, 0.3 + 0.6 * known_costs_of(v, &chars[i + 1..k], known).1));
            }
        }
        (e, known_costs(v, &name, known).1, true)
    } else if c == '-' && (i == 0 || !is_ident_char(chars[i - 1])) {
        // A command-line flag: `-m`, `--max-requests`.
        let dashes = chars[i..].iter().take_while(|&&c| c == '-').count();
        let start = i + dashes;
        if dashes > 2 || !chars.get(start).is_some_and(|c| c.is_ascii_alphabetic()) {
            return out;
        }
        let mut e = start;
        while e < chars.len()
            && (is_ident_char(chars[e])
                || (chars[e] == '-' && chars.get(e + 1).is_some_and(|c| c.is_ascii_alphanumeric())))
        {
            e += 1;
        }
        out.push((e, 0.6));
        return out;
    } else if c == '(' && chars.get(i + 1) != Some(&')') {
        // A tuple or group kept whole by the tokenizer: `(1, 2, 3)`.
        if !chars[i..].contains(&' ') {
            return out;
        }
        let mut depth = 0;
        for (k, &ch) in chars.iter().enumerate().skip(i) {
            match ch {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        out.push((k + 1, 0.8));
                        break;
                    }
                }
                _ => {}
            }
        }
        return out;
    } else if c == '<' && chars.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
        // `<lambda>`, `<module>`
        let e = ident_end(chars, i + 1);
        if chars.get(e) == Some(&'>') {
            out.push((e + 1, 0.5));
        }
        return out;
    } else if matches!(c, '\'' | '"') {
        match (i + 1..chars.len().min(i + 30)).find(|&k| chars[k] == c) {
            Some(k) => (k + 1, 0.5, true),
            None => return out,
        }
    } else {
        return out;
    };
    if extended {
        out.push((end, 0.3 + 0.6 * cost));
    }
    // From here on, `cost` is the weighted total.
    let head_cost = cost;
    let mut cost = 0.6 * head_cost;
    loop {
        match chars.get(end) {
            Some('.')
                if chars
                    .get(end + 1)
                    .is_some_and(|&c| c.is_ascii_alphabetic() || c == '_') =>
            {
                let start = end + 1;
                let e = ident_end(chars, start);
                for k in start + 1..e {
                    if splittable(chars, start, k) {
                        let part = known_costs_of(v, &chars[start..k], known).1;
                        out.push((k, 0.3 + cost + 0.6 * part));
                    }
                }
                cost += 0.6 * known_costs_of(v, &chars[start..e], known).1;
                end = e;
                out.push((end, 0.3 + cost));
            }
            Some('=')
                if chars
                    .get(end + 1)
                    .is_some_and(|&c| is_ident_char(c) || c == '\'' || c == '"') =>
            {
                let start = end + 1;
                let e = ident_end(chars, start).max(start + 1);
                // `init=False|fields`: the value may be glued to text.
                for k in start + 1..e {
                    if splittable(chars, start, k) {
                        let part = known_costs_of(v, &chars[start..k], known).1;
                        out.push((k, 0.3 + cost + 0.6 * part));
                    }
                }
                cost += 0.6 * known_costs_of(v, &chars[start..e], known).1;
                end = e;
                out.push((end, 0.3 + cost));
            }
            Some('-')
                if chars
                    .get(end + 1)
                    .is_some_and(|&c| c.is_ascii_alphanumeric())
                    && end > i =>
            {
                let e = ident_end(chars, end + 1);
                // `CPU-bound`, `thread-safe`: an English compound, not code.
                let tail = collect(&chars[end + 1..e]);
                let head = collect(&chars[i..ident_end(chars, i)]);
                if v.is_word(&tail) && !v.is_python(&tail) && !v.is_python(&head) {
                    break;
                }
                for k in end + 2..e {
                    if splittable(chars, end + 1, k) {
                        let part = known_costs_of(v, &chars[end + 1..k], known).1 * 0.5;
                        out.push((k, 0.3 + cost + 0.6 * part + 0.5));
                    }
                }
                cost += 0.3 * known_costs_of(v, &chars[end + 1..e], known).1;
                end = e;
                out.push((end, 0.3 + cost + 0.5));
            }
            Some('/') if !chars.get(end + 1).is_some_and(|&c| is_ident_char(c)) && end > i => {
                end += 1;
                out.push((end, 0.3 + cost));
                break;
            }
            Some(&open @ ('(' | '[')) => {
                let close = if open == '(' { ')' } else { ']' };
                let mut depth = 0;
                let mut found = None;
                for (k, &ch) in chars.iter().enumerate().skip(end) {
                    if ch == open {
                        depth += 1;
                    } else if ch == close {
                        depth -= 1;
                        if depth == 0 {
                            found = Some(k + 1);
                            break;
                        }
                    }
                }
                let Some(e) = found else { break };
                end = e;
                out.push((end, 0.3 + cost));
            }
            _ => break,
        }
    }
    out
}

/// Candidate pieces starting at `i`: (end, kind, text cost, code cost).
#[cfg(test)]
fn candidates(
    v: &Vocab,
    chars: &[char],
    i: usize,
    known: &mut CostMemo,
    runs: &mut RunMemo,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    candidates_into(&mut out, v, chars, i, known, runs);
    out
}

/// Appends the candidate pieces starting at `i` to `out`: (end, kind, text
/// cost, code cost).
fn candidates_into(
    out: &mut Vec<Candidate>,
    v: &Vocab,
    chars: &[char],
    i: usize,
    known: &mut CostMemo,
    runs: &mut RunMemo,
) {
    let c = chars[i];
    if c == '`' {
        out.push((skip_backticks(chars, i), Kind::Verbatim, INF, 0.0));
        return;
    }
    if c == '-' && chars.get(i + 1) == Some(&'>') {
        out.push((i + 2, Kind::Punct, 0.1, 0.6));
        return;
    }
    for a in ABBREVIATIONS {
        let n = a.chars().count();
        if chars.len() >= i + n && chars[i..i + n].iter().copied().eq(a.chars()) {
            out.push((i + n, Kind::Punct, 0.2, INF));
        }
    }
    if is_ident_char(c) {
        let end = ident_end(chars, i);
        // A run starts after a non-name character, or after a contraction
        // glued to it (`Django’s|RunPython`).
        let run_start = i == 0
            || !is_ident_char(chars[i - 1])
            || (i >= 2 && matches!(chars[i - 2], '’' | '\'') && c.is_ascii_uppercase());
        // `doesn’t`, `Python’s`: one word.
        if run_start && matches!(chars.get(end), Some('’' | '\'')) {
            let tail = ident_end(chars, end + 1);
            let suffix = collect(&chars[end + 1..tail]);
            for ending in ["t", "s", "re", "ll", "ve", "d", "m"] {
                // `Django’sRunPython`: a name glued after the contraction.
                let glued = suffix.strip_prefix(ending).is_some_and(|rest| {
                    rest.starts_with(|c: char| c.is_ascii_uppercase() || c == '_')
                });
                if suffix == ending || glued {
                    out.push((end + 1 + ending.len(), Kind::Ident, 1.0, INF));
                }
            }
        }
        let paren = chars.get(end) == Some(&'(');
        let run = runs.get(&chars[i..end], run_start, paren, |run| {
            run_candidates(v, run, run_start, paren, known)
        });
        out.extend(run.iter().map(|&(j, kind, t, cc)| (i + j, kind, t, cc)));
    } else {
        let (t, cc) = punct_costs(c);
        out.push((i + 1, Kind::Punct, t, cc));
    }
    for (e, cost) in shaped(v, chars, i, known) {
        // Big-O notation is text: `O(1)`, `O(n log n)`.
        let big_o = c == 'O' && chars.get(i + 1) == Some(&'(');
        out.push((e, Kind::Ident, if big_o { 0.5 } else { 5.0 }, cost));
    }
}

/// The candidates of an identifier run's own text, `run` being the rest of
/// the run from the candidate's start (ends relative to that start). They
/// depend only on `run`, on whether the start begins a run (`run_start`) and
/// on whether `(` follows the run (`paren`), so `RunMemo` keeps them.
fn run_candidates(
    v: &Vocab,
    run: &[char],
    run_start: bool,
    paren: bool,
    known: &mut CostMemo,
) -> Vec<Candidate> {
    let end = run.len();
    let mut out = Vec::with_capacity(8);
    // A run that is a dictionary word is never cut (`every`, `into`).
    let word_run = run_start && v.is_word(&collect(run));
    // `chars[i..j]`, grown by one character per step.
    let mut s = String::with_capacity(end.min(40));
    for j in 1..=end.min(40) {
        s.push(run[j - 1]);
        if j < end && (word_run || !splittable(run, 0, j)) {
            continue;
        }
        // A capitalised camel-case name is one name (`ClassName`,
        // `DataLoader`), not a word glued to a name.
        if j < end
            && run[0].is_ascii_uppercase()
            && run[j - 1].is_ascii_lowercase()
            && run[j].is_ascii_uppercase()
            && !is_camel(&s)
            && v.is_word(&s)
        {
            continue;
        }
        // After an uppercase letter, cut only a single letter or a
        // Python name (`StringIO|for`).
        if j < end && run[j - 1].is_ascii_uppercase() && j > 1 && !v.is_python(&s) {
            continue;
        }
        // Looked up once for all the rules below.
        let (word, python) = (v.is_word(&s), v.is_python(&s));
        // An unknown piece inside a run is neither text nor code (both
        // costs are set to INF below), so it is no candidate: skip it
        // before costing it. Most pieces of a glued run are such.
        let unknown = is_unknown_given(&s, word, python);
        if unknown && !run_start {
            continue;
        }
        let whole = run_start && j == end;
        let letter = s.len() == 1 && s.bytes().all(|b| b.is_ascii_alphabetic());
        // The rules below that rule a label out, whatever the piece's
        // costs: a piece ruled out as both is no candidate, and its costs
        // are never looked up (a quarter of the pieces of novel tokens).
        // An unknown name cut out of the middle of a run is noise, and
        // so is an unknown word cut out of a run, or a letter cut off
        // the end of a word (`Namedtuple|s`).
        // `ModelBase|metaclass`: a camel-case name glued to a word.
        let camel_before_word =
            run_start && j + 4 <= end && is_camel(&s) && run[j].is_ascii_lowercase() && {
                let rest = collect(&run[j..end]);
                // The name's last part is a word (`Model|Base`).
                let last = s
                    .char_indices()
                    .rfind(|&(_, c)| c.is_ascii_uppercase())
                    .map_or("", |(k, _)| &s[k..]);
                (v.is_word(&rest) || v.is_python(&rest)) && v.is_word(last)
            };
        // A lowercase letter cut off as code only before a real word
        // (`a < b < c|evaluates`), not before a short one (`f|to`).
        let rest_is_word = || end - j >= 4 && v.is_word(&collect(&run[j..end]));
        let not_text =
            (unknown && !whole) || (letter && !whole && !matches!(s.as_str(), "a" | "A" | "I"));
        let not_code =
            // `ex|c_val`: a name is not cut just before its first underscore.
            (!run_start && run[0].is_ascii_alphanumeric() && run.get(1) == Some(&'_'))
            || (unknown
                && (!run_start
                    || (!whole
                        && s.chars().any(|c| c.is_ascii_uppercase())
                        && !camel_before_word)))
            // A name of one or two letters is not cut out of the middle
            // of a run (`a|io|monitor`, `midd|le|ware`).
            || (!run_start && j < end && s.len() <= 2)
            // A capital cut off a run (`B|returns`) leaves a word behind,
            // not the rest of a name (`T|hreadPoolExecutor`).
            || (letter && run_start && j < end && run[0].is_ascii_uppercase() && {
                let low = (j..end)
                    .find(|&k| !run[k].is_ascii_lowercase())
                    .unwrap_or(end);
                let rest = collect(&run[j..low]);
                !(v.is_word(&rest) || v.is_python(&rest))
            })
            || (letter
                && !whole
                && s.bytes().all(|b| b.is_ascii_lowercase())
                && !(run_start && rest_is_word()));
        if not_text && not_code {
            continue;
        }
        let (mut t, mut cc) = known_costs(v, &s, known);
        // A Python or capitalised name right before `(` is a call's
        // name (`super()`, `Class()`), not prose.
        if j == end
            && paren
            && (python || s.starts_with(|c: char| c.is_ascii_uppercase()))
            && s != "O"
        {
            t += 3.0;
        }
        if !whole && !unknown && word && !python {
            cc = cc.max(3.5);
        }
        if not_text {
            t = INF;
        }
        if not_code {
            cc = INF;
        }
        out.push((j, Kind::Ident, t, cc));
    }
    if end > 40 {
        let s = collect(run);
        let (t, cc) = costs(v, &s, known);
        out.push((end, Kind::Ident, t, cc));
    }
    out
}

/// `run_candidates` already found, by run (`[run_start][paren]`): the
/// names of a code base recur in many tokens (`ScheduleQueue` in
/// `ScheduleQueue.rank_batch` and `ScheduleQueue.merge_upload`).
#[derive(Default)]
struct RunMemo([StrMap<Box<[Candidate]>>; 4]);

impl RunMemo {
    fn get(
        &mut self,
        run: &[char],
        run_start: bool,
        paren: bool,
        find: impl FnOnce(&[char]) -> Vec<Candidate>,
    ) -> &[Candidate] {
        self.0[usize::from(run_start) * 2 + usize::from(paren)]
            .get_or_insert_chars(run, || find(run).into_boxed_slice())
    }

    fn len(&self) -> usize {
        self.0.iter().map(StrMap::len).sum()
    }

    fn clear(&mut self) {
        self.0.iter_mut().for_each(StrMap::clear);
    }
}

/// Whether an identifier run may be cut between `j - 1` and `j` (the piece
/// being `start..j`): never inside `ABC`, `CPython` or `py3`; after an
/// uppercase letter only when the piece is that one letter (`Breturns`).
fn splittable(chars: &[char], start: usize, j: usize) -> bool {
    let (a, b) = (chars[j - 1], chars[j]);
    if a.is_ascii_digit() != b.is_ascii_digit()
        && (a.is_ascii_alphabetic() || b.is_ascii_alphabetic())
    {
        return false;
    }
    if a.is_ascii_uppercase() {
        // `B|returns`, `StringIO|for` (the caller checks the piece).
        let _ = start;
        return !b.is_ascii_uppercase();
    }
    true
}

/// Cost of gluing two pieces together; `a` ends the first, `b` starts the
/// second.
fn glue_cost(prev: (Kind, Label), next: (Kind, Label), a: char, b: char) -> f32 {
    if prev.1 != next.1 {
        // Code does not end in an opener or a decorator sign, nor start
        // with a closer (`super(|)`, `@|wraps`).
        let bad_end = prev.1 == Label::Code
            && prev.0 == Kind::Punct
            && matches!(a, '(' | '[' | '{' | '<' | '@' | '.');
        let bad_start =
            next.1 == Label::Code && next.0 == Kind::Punct && matches!(b, ')' | ']' | '}' | '>');
        // Nor is a call cut between its name and its parenthesis.
        let call_cut = prev.1 == Label::Code && is_ident_char(a) && b == '(';
        // Text does not start with the closer of a call in code
        // (`__new__(cls|)`); a closer the code did not open is peeled later.
        let closer = prev.1 == Label::Code
            && prev.0 == Kind::Ident
            && is_ident_char(a)
            && next.1 == Label::Text
            && matches!(b, ')' | ']');
        return if bad_end || bad_start || call_cut || closer {
            3.0
        } else {
            GLUE
        };
    }
    // Clean Markdown: a mark glued to a backtick span is text.
    if next.1 == Label::Code
        && matches!(
            (prev.0, next.0),
            (Kind::Verbatim, Kind::Punct) | (Kind::Punct, Kind::Verbatim)
        )
    {
        return 2.0;
    }
    match (prev.0, next.0, next.1) {
        (Kind::Ident, Kind::Ident, Label::Text) => 10.0,
        (Kind::Ident, Kind::Ident, Label::Code) => 4.0,
        (Kind::Punct, Kind::Ident, Label::Code)
            if matches!(a, '+' | '=' | '<' | '>' | '|' | '&') =>
        {
            1.5
        }
        // English puts a space after these; a glued word after them was code.
        (Kind::Punct, Kind::Ident, Label::Text)
            if matches!(a, ',' | ';' | ')') && !b.is_ascii_digit() =>
        {
            3.0
        }
        (Kind::Ident, Kind::Punct, Label::Text) if b == '(' => 1.0,
        (Kind::Punct, Kind::Punct, Label::Text) if matches!((a, b), ('(', ')') | ('[', ']')) => 2.0,
        _ => 0.0,
    }
}

/// Extra cost of a code span that starts or ends with a separator.
fn edge_cost(prev: (Kind, Label), next: (Kind, Label), a: char, b: char) -> f32 {
    match (prev.1, next.1) {
        (Label::Text, Label::Code)
            if next.0 == Kind::Punct && matches!(b, ',' | ';' | '.' | ':') =>
        {
            2.0
        }
        (Label::Code, Label::Text) if prev.0 == Kind::Punct && matches!(a, ',' | ';') => 2.0,
        _ => 0.0,
    }
}

fn label_index(l: Label) -> usize {
    match l {
        Label::Text => 0,
        Label::Code => 1,
    }
}

const LABELS: [Label; 2] = [Label::Text, Label::Code];

/// A candidate piece: (end, kind, text cost, code cost).
type Candidate = (usize, Kind, f32, f32);

/// Where the best path to a position came from: the position the piece
/// starts at and the label of the piece before it; `None` for a first piece.
type Back = Option<(usize, usize)>;

/// The working memory of `segment`, kept from token to token so that
/// segmenting a token allocates nothing but its pieces: the candidates found
/// at each position (shared by both entry labels of one token), and the
/// best paths.
#[derive(Default)]
struct Lattice {
    /// Every candidate found for the current token, position by position.
    cands: Vec<Candidate>,
    /// Per position, the range of its candidates in `cands`, once found.
    at: Vec<Option<(usize, usize)>>,
    /// Per position, per label of the piece ending there: the best path's
    /// cost and where it came from.
    best: Vec<[(f32, Back); 2]>,
    /// Per position, per label: the kind of that path's last piece.
    kinds: Vec<[Option<Kind>; 2]>,
}

impl Lattice {
    /// Ready for a token of `n` characters.
    fn reset(&mut self, n: usize) {
        self.cands.clear();
        self.at.clear();
        self.at.resize(n, None);
    }
}

/// Best segmentation of one token for a given label of its first piece:
/// for each label of its last piece, the cost and the pieces. `lattice`
/// holds the candidates at each position, shared by both entry labels
/// (`Lattice::reset` it for each new token).
fn segment(
    v: &Vocab,
    chars: &[char],
    entry: Label,
    lattice: &mut Lattice,
    known: &mut CostMemo,
    runs: &mut RunMemo,
) -> [(f32, Vec<Piece>); 2] {
    let n = chars.len();
    let Lattice {
        cands: all,
        at,
        best,
        kinds,
    } = lattice;
    best.clear();
    best.resize(n + 1, [(INF, None), (INF, None)]);
    kinds.clear();
    kinds.resize(n + 1, [None, None]);
    for i in 0..n {
        let here = [best[i][0].0, best[i][1].0];
        if i > 0 && here[0] >= INF && here[1] >= INF {
            continue;
        }
        let Some(slot) = at.get_mut(i) else {
            break;
        };
        let (from, to) = match *slot {
            Some(range) => range,
            None => {
                let from = all.len();
                candidates_into(all, v, chars, i, known, runs);
                *slot = Some((from, all.len()));
                (from, all.len())
            }
        };
        for &(j, kind, tc, cc) in &all[from..to] {
            for label in LABELS {
                let piece_cost = if label == Label::Text { tc } else { cc };
                if piece_cost >= INF {
                    continue;
                }
                let li = label_index(label);
                let mut options: [Option<(f32, Back)>; 2] = [None, None];
                if i == 0 {
                    if label == entry {
                        options[0] = Some((piece_cost, None));
                    }
                } else {
                    for (slot, &pl) in options.iter_mut().zip(LABELS.iter()) {
                        let pi = label_index(pl);
                        let base = best[i][pi].0;
                        let Some(pk) = kinds[i][pi] else { continue };
                        if base < INF {
                            *slot = Some((
                                base + piece_cost
                                    + glue_cost((pk, pl), (kind, label), chars[i - 1], chars[i])
                                    + edge_cost((pk, pl), (kind, label), chars[i - 1], chars[i]),
                                Some((i, pi)),
                            ));
                        }
                    }
                }
                for (cost, back) in options.into_iter().flatten() {
                    if cost < best[j][li].0 {
                        best[j][li] = (cost, back);
                        kinds[j][li] = Some(kind);
                    }
                }
            }
        }
    }
    let mut result: [(f32, Vec<Piece>); 2] = [(INF, Vec::new()), (INF, Vec::new())];
    for label in LABELS {
        let li = label_index(label);
        if best[n][li].0 >= INF {
            continue;
        }
        let mut pieces = Vec::new();
        let (mut j, mut l) = (n, li);
        while let Some(kind) = kinds[j][l] {
            let back = best[j][l].1;
            let start = back.map_or(0, |(i, _)| i);
            pieces.push(Piece {
                text: collect(&chars[start..j]),
                kind,
                label: LABELS[l],
                sep: Sep::None,
            });
            match back {
                Some((i, pl)) => {
                    j = i;
                    l = pl;
                }
                None => break,
            }
        }
        pieces.reverse();
        // A code span does not end in a separator.
        let ends_in_separator = pieces.last().is_some_and(|p| {
            p.label == Label::Code
                && p.kind == Kind::Punct
                && matches!(p.text.as_str(), "." | "," | ";" | ":")
        });
        result[li] = (
            best[n][li].0 + if ends_in_separator { 2.0 } else { 0.0 },
            pieces,
        );
    }
    result
}

/// A token that is an English word, maybe with trailing punctuation.
fn is_word_token(v: &Vocab, chars: &[char]) -> bool {
    let mut n = chars.len();
    while n > 0 && matches!(chars[n - 1], '.' | ',' | ';' | ':' | '!' | '?') {
        n -= 1;
    }
    v.is_word(&collect(&chars[..n]))
}

/// A token that ends like code: a call or a dunder name, then punctuation.
fn strong_end(v: &Vocab, chars: &[char]) -> bool {
    let trimmed: Vec<char> = {
        let mut n = chars.len();
        while n > 0 && matches!(chars[n - 1], '.' | ',' | ';' | ':' | '!' | '?') {
            n -= 1;
        }
        chars[..n].to_vec()
    };
    trimmed.last() == Some(&')') || trimmed.ends_with(&['_', '_']) || is_snake(v, &trimmed)
}

/// A snake-case name (`exc_val`, `lru_cache`): code wherever it stands.
fn is_snake(v: &Vocab, chars: &[char]) -> bool {
    let s = collect(chars);
    let inner = s.trim_matches('_');
    let part_ok = |p: &str| !p.is_empty() && (p.len() <= 4 || v.is_word(p) || v.is_python(p));
    !inner.is_empty()
        && inner.contains('_')
        && s.chars().all(|c| is_ident_char(c) || c == '.')
        && inner.split(['_', '.']).all(part_ok)
}

/// A token that starts like code: a dunder name or a call.
fn strong_start(v: &Vocab, chars: &[char]) -> bool {
    if chars.starts_with(&['_', '_']) {
        return true;
    }
    let name = chars
        .iter()
        .take_while(|&&c| is_ident_char(c) || c == '.')
        .count();
    // The call closes and nothing is glued after it (`Class(),`, not
    // `list.sort()sorts`).
    let closed_call = name > 0 && chars.get(name) == Some(&'(') && {
        let mut depth = 0;
        let close = (name..chars.len()).find(|&k| {
            match chars[k] {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            depth == 0
        });
        close.is_some_and(|k| !chars.get(k + 1).is_some_and(|&c| is_ident_char(c)))
    };
    closed_call
        || is_snake(
            v,
            &chars[..chars
                .iter()
                .rposition(|c| !matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')'))
                .map_or(0, |p| p + 1)],
        )
}

/// A token's best segmentations, by the label of its last piece.
type Segmented = [(f32, Vec<Piece>); 2];

/// What is known of text already repaired: whole text blocks, tokens
/// (segmentations and shape), the candidates of identifier runs and the
/// costs of pieces. Each depends on its characters only, and a guide's
/// lines and words repeat, so one memo serves a whole normalization run
/// (one per worker thread). Blocks and tokens are kept from their second
/// sighting on: most new ones never come back. It only saves work: a
/// cleared or fresh memo gives the same repair.
#[derive(Default)]
pub struct Memo {
    /// Token → index in `arena`.
    segs: FastMap<String, usize>,
    arena: Vec<Seen>,
    /// `costs` of the pieces cut from tokens: a piece's costs depend on its
    /// characters only, and the same words turn up inside many tokens.
    costs: CostMemo,
    /// The candidates of identifier runs already cut.
    runs: RunMemo,
    /// Text blocks already repaired → their items: a block's repair depends
    /// on its text only, and a guide's boilerplate lines (follow-ups, red
    /// flags, the same bullet under many questions) repeat whole.
    blocks: FastMap<String, Box<[Repaired]>>,
    /// The blocks seen once, not kept yet.
    blocks_once: SeenOnce,
    /// The tokens seen once, not kept in `arena` yet.
    tokens_once: SeenOnce,
    /// The segmentations of the tokens of the current item seen for the
    /// first time.
    fresh: Vec<Seen>,
    /// The last block repaired and not kept.
    last: Box<[Repaired]>,
    /// `segment`'s working memory.
    lattice: Lattice,
}

/// One repaired item of a text block: its kind and its parts.
#[derive(Debug)]
struct Repaired {
    kind: ItemKind,
    parts: Box<[Part]>,
}

/// One part of a repaired item: its Markdown, and whether it starts with a
/// code piece (a part after the first is a bullet of its own).
#[derive(Debug)]
struct Part {
    text: String,
    starts_code: bool,
}

/// What the memo knows of a token: its segmentations and its shape.
struct Seen {
    segs: [Segmented; 2],
    word: bool,
    strong_start: bool,
    strong_end: bool,
}

/// Entries the memo holds before it starts over (bounds its memory).
const MEMO_CAPACITY: usize = 1 << 16;
/// Text blocks the memo holds before it starts over.
const BLOCK_CAPACITY: usize = 1 << 17;

/// The texts seen once, by hash: what the memo keeps from its second
/// sighting on. A hash collision only keeps a text one sighting early.
#[derive(Default)]
struct SeenOnce(FastSet<u64>);

impl SeenOnce {
    /// Hashes held before the set starts over.
    const CAPACITY: usize = 1 << 20;

    /// Whether this is the first sighting of `text` (remembering it).
    fn first(&mut self, text: &str) -> bool {
        if self.0.len() >= Self::CAPACITY {
            self.0.clear();
        }
        self.0
            .insert(BuildHasherDefault::<FastHasher>::default().hash_one(text))
    }
}

impl Memo {
    /// The repaired items of one text block, from the memo when the block
    /// was seen.
    fn block(&mut self, v: &Vocab, text: &str) -> &[Repaired] {
        if !self.blocks.contains_key(text) {
            if self.blocks.len() >= BLOCK_CAPACITY {
                self.blocks.clear();
            }
            let items: Box<[Repaired]> = split_items(v, text)
                .into_iter()
                .map(|item| {
                    let pieces = label(v, &item.text, self);
                    let parts = split_spaced_code_starts(&pieces)
                        .into_iter()
                        .map(|part| Part {
                            text: render(part),
                            starts_code: part.first().is_some_and(|p| p.label == Label::Code),
                        })
                        .collect();
                    Repaired {
                        kind: item.kind,
                        parts,
                    }
                })
                .collect();
            // Most blocks are never seen again: a block is kept from its
            // second sighting on.
            if self.blocks_once.first(text) {
                self.last = items;
                return &self.last;
            }
            self.blocks.insert(text.to_string(), items);
        }
        self.blocks.get(text).map_or(&[], |b| b)
    }

    /// The segmentations of every token of `toks`, computing those not seen
    /// yet: one memo lookup per token.
    fn segments(&mut self, v: &Vocab, toks: &[Token]) -> Vec<&Seen> {
        if self.segs.len() + toks.len() > MEMO_CAPACITY {
            self.segs.clear();
            self.arena.clear();
        }
        if self.costs.len() > 4 * MEMO_CAPACITY {
            self.costs.clear();
        }
        if self.runs.len() > 4 * MEMO_CAPACITY {
            self.runs.clear();
        }
        // Tokens seen for the first time are segmented into `fresh`, and
        // kept in the arena from their second sighting on: most new tokens
        // (a code base's names) never come back. (arena?, index) per token.
        self.fresh.clear();
        let mut at = Vec::with_capacity(toks.len());
        let mut key = String::new();
        for t in toks {
            key.clear();
            key.extend(t.chars);
            // Most tokens were seen before: look up without allocating a key.
            if let Some(&i) = self.segs.get(key.as_str()) {
                at.push((true, i));
                continue;
            }
            self.lattice.reset(t.chars.len());
            let seen = Seen {
                segs: [
                    segment(
                        v,
                        t.chars,
                        Label::Text,
                        &mut self.lattice,
                        &mut self.costs,
                        &mut self.runs,
                    ),
                    segment(
                        v,
                        t.chars,
                        Label::Code,
                        &mut self.lattice,
                        &mut self.costs,
                        &mut self.runs,
                    ),
                ],
                word: is_word_token(v, t.chars),
                strong_start: strong_start(v, t.chars),
                strong_end: strong_end(v, t.chars),
            };
            if self.tokens_once.first(&key) {
                at.push((false, self.fresh.len()));
                self.fresh.push(seen);
            } else {
                at.push((true, self.arena.len()));
                self.segs.insert(key.clone(), self.arena.len());
                self.arena.push(seen);
            }
        }
        static UNSEEN: Seen = Seen {
            segs: [
                [(INF, Vec::new()), (INF, Vec::new())],
                [(INF, Vec::new()), (INF, Vec::new())],
            ],
            word: false,
            strong_start: false,
            strong_end: false,
        };
        at.into_iter()
            .map(|(kept, i)| {
                let from = if kept { &self.arena } else { &self.fresh };
                from.get(i).unwrap_or(&UNSEEN)
            })
            .collect()
    }
}

/// Labels every piece of an item as code or text.
fn label<'m>(v: &Vocab, text: &str, memo: &'m mut Memo) -> Vec<Placed<'m>> {
    let chars = chars_of(text);
    let toks = windows(tokens(&chars));
    if toks.is_empty() {
        return Vec::new();
    }
    // seg[k][entry][exit]
    let segs = memo.segments(v, &toks);
    // viterbi over tokens: state = exit label of token k
    let mut cost = vec![[INF; 2]; toks.len()];
    let mut back: Vec<[(usize, usize); 2]> = vec![[(0, 0); 2]; toks.len()];
    for (k, tok) in toks.iter().enumerate() {
        for (entry, by_exit) in segs[k].segs.iter().enumerate() {
            for (exit, (inner, _)) in by_exit.iter().enumerate() {
                let inner = *inner;
                if inner >= INF {
                    continue;
                }
                let starts_verbatim = tok.chars.first() == Some(&'`');
                // (cost so far, exit label of the token before), at most two.
                let mut candidates = [(0.0f32, 0usize); 2];
                let mut count = 0;
                if k == 0 {
                    let bias = match (tok.sep, entry) {
                        (Sep::Mark, 0) => 6.0,
                        _ => 0.0,
                    };
                    candidates[0] = (bias, 0);
                    count = 1;
                } else {
                    for pe in (0..2).filter(|&pe| cost[k - 1][pe] < INF) {
                        let prev_verbatim = toks[k - 1].chars.last() == Some(&'`');
                        let prev_ends_sentence =
                            matches!(toks[k - 1].chars.last(), Some('.' | '!' | '?' | ':'));
                        let sep = match tok.sep {
                            Sep::Mark if entry == 1 => 0.0,
                            Sep::Mark => 6.0,
                            // Clean Markdown: code after a backtick span has
                            // its own backticks.
                            _ if pe == entry
                                && entry == 1
                                && (prev_verbatim != starts_verbatim) =>
                            {
                                3.0
                            }
                            // An English word between two tokens shaped
                            // like code (`__new__ with __init__`) is
                            // likelier prose than part of one span.
                            _ if pe == entry
                                && entry == 1
                                && segs[k].word
                                && segs[k - 1].strong_end
                                && toks.get(k + 1).is_some_and(|t| {
                                    t.sep == Sep::Space && segs[k + 1].strong_start
                                }) =>
                            {
                                WORD_IN_CODE
                            }
                            _ if pe == entry => 0.0,
                            _ if starts_verbatim || prev_verbatim => 0.0,
                            // A sentence may start with code.
                            _ if prev_ends_sentence && entry == 1 => 1.0,
                            // Prose that kept its spaces: a call or a dunder
                            // name ends or starts a code span.
                            _ if (pe == 1
                                && segs[k - 1].strong_end
                                && (segs[k].word || tok.chars == ['-', '>']))
                                || (entry == 1 && segs[k].strong_start) =>
                            {
                                STRONG
                            }
                            _ => SWITCH,
                        };
                        candidates[count] = (cost[k - 1][pe] + sep, pe);
                        count += 1;
                    }
                }
                for &(c, pe) in &candidates[..count] {
                    let total = c + inner;
                    if total < cost[k][exit] {
                        cost[k][exit] = total;
                        back[k][exit] = (pe, entry);
                    }
                }
            }
        }
    }
    let last = toks.len() - 1;
    let mut exit = if cost[last][0] <= cost[last][1] { 0 } else { 1 };
    let mut chosen: Vec<(usize, usize)> = vec![(0, 0); toks.len()];
    for k in (0..toks.len()).rev() {
        let (pe, entry) = back[k][exit];
        chosen[k] = (entry, exit);
        exit = pe;
    }
    let mut pieces = Vec::with_capacity(toks.len() + toks.len() / 2);
    for (k, tok) in toks.iter().enumerate() {
        let (entry, exit) = chosen[k];
        for (n, p) in segs[k].segs[entry][exit].1.iter().enumerate() {
            pieces.push(Placed {
                text: &p.text,
                kind: p.kind,
                label: p.label,
                sep: if n == 0 { tok.sep } else { p.sep },
            });
        }
    }
    pieces
}

/// Splits where a bullet starting with code was glued to the previous one
/// with a space (`containers. bool(obj)calls…`): a sentence end, then a code
/// piece that is glued to text.
fn split_spaced_code_starts<'p, 'm>(pieces: &'p [Placed<'m>]) -> Vec<&'p [Placed<'m>]> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut depth = 0i32;
    for i in 0..pieces.len() {
        let p = &pieces[i];
        if p.kind == Kind::Punct {
            depth += p.text.matches(['(', '[']).count() as i32;
            depth = (depth - p.text.matches([')', ']']).count() as i32).max(0);
        }
        let at_start = i + 1 < pieces.len()
            && depth == 0
            && p.label == Label::Text
            && matches!(p.text, "." | "!" | "?")
            && i > start;
        if !at_start {
            continue;
        }
        let next = &pieces[i + 1];
        let glued_to_word = next.sep == Sep::None
            && p.sep == Sep::None
            && i > 0
            && pieces[i - 1].kind == Kind::Ident
            && p.text == ".";
        if !(next.sep == Sep::Space || glued_to_word)
            || next.label != Label::Code
            || next.kind == Kind::Verbatim
        {
            continue;
        }
        // The code run must end in a glue point with text.
        let mut k = i + 2;
        while k < pieces.len() && pieces[k].sep == Sep::None && pieces[k].label == Label::Code {
            k += 1;
        }
        let glued_text = pieces
            .get(k)
            .is_some_and(|q| q.sep == Sep::None && q.label == Label::Text && q.kind == Kind::Ident);
        if glued_text {
            parts.push(&pieces[start..=i]);
            start = i + 1;
        }
    }
    parts.push(&pieces[start..]);
    parts
}

/// Renders labelled pieces as Markdown.
fn render(pieces: &[Placed]) -> String {
    #[derive(PartialEq)]
    enum Unit {
        Text(String),
        Code(String),
    }
    // Merge pieces into units, remembering the separator before each.
    let mut units: Vec<(Sep, Unit)> = Vec::new();
    for p in pieces {
        let sep = if units.is_empty() { Sep::Start } else { p.sep };
        let piece_is_code = p.label == Label::Code && p.kind != Kind::Verbatim;
        if p.kind == Kind::Verbatim {
            units.push((sep, Unit::Text(p.text.to_string())));
            continue;
        }
        match units.last_mut() {
            Some((_, Unit::Code(code))) if piece_is_code && sep != Sep::Start => {
                if matches!(sep, Sep::Space | Sep::Mark) {
                    code.push(' ');
                }
                code.push_str(p.text);
            }
            Some((_, Unit::Text(t))) if !piece_is_code && sep == Sep::None && !t.ends_with('`') => {
                t.push_str(p.text);
            }
            _ => units.push((
                sep,
                if piece_is_code {
                    Unit::Code(p.text.to_string())
                } else {
                    Unit::Text(p.text.to_string())
                },
            )),
        }
    }
    // Punctuation that cannot end or start this code span goes outside it.
    let mut peeled: Vec<(Sep, Unit)> = Vec::with_capacity(units.len() + 2);
    for (sep, unit) in units {
        match unit {
            Unit::Code(c) => {
                let (pre, core, post) = peel(&c);
                let mut core_sep = sep;
                if !pre.is_empty() {
                    peeled.push((sep, Unit::Text(pre)));
                    core_sep = Sep::None;
                }
                peeled.push((core_sep, Unit::Code(core)));
                if !post.is_empty() {
                    peeled.push((Sep::None, Unit::Text(post)));
                }
            }
            u => peeled.push((sep, u)),
        }
    }
    let units = peeled;
    // Room for the text, a space and backticks around each unit.
    let mut out = String::with_capacity(
        units
            .iter()
            .map(|(_, Unit::Text(t) | Unit::Code(t))| t.len() + 3)
            .sum::<usize>(),
    );
    let mut prev: Option<Unit> = None;
    for (sep, unit) in units {
        let unit = match unit {
            Unit::Code(c)
                if c.chars()
                    .all(|ch| matches!(ch, '.' | ',' | ';' | ':' | '!' | '?')) =>
            {
                Unit::Text(c)
            }
            u => u,
        };
        let space = match sep {
            Sep::Start => false,
            Sep::Space => true,
            Sep::Mark | Sep::None => match (&prev, &unit) {
                (Some(Unit::Text(t)), Unit::Code(_)) => {
                    !t.ends_with(['(', '[', '{', '“', '‘', '"', '\'', '/', ' '])
                }
                (Some(Unit::Code(_)), Unit::Text(t)) => !t.starts_with([
                    '.', ',', ';', ':', '!', '?', ')', ']', '}', '”', '’', '"', '\'', '…',
                ]),
                (Some(Unit::Text(a)), Unit::Text(b)) => {
                    sep == Sep::Mark
                        && !a.ends_with(['(', '[', '{'])
                        && !b.starts_with(['.', ',', ')', ';', ':'])
                }
                _ => false,
            },
        };
        if space && !out.is_empty() {
            out.push(' ');
        }
        match &unit {
            Unit::Text(t) => out.push_str(t),
            Unit::Code(c) => {
                if c.contains('`') {
                    out.push_str("`` ");
                    out.push_str(c);
                    out.push_str(" ``");
                } else {
                    out.push('`');
                    out.push_str(c);
                    out.push('`');
                }
            }
        }
        prev = Some(unit);
    }
    out
}

/// Splits a code span into what belongs before it, the code, and what
/// belongs after it: an opening bracket or quote it does not close, a
/// closing one it did not open, a question mark (Python has none), and an
/// answer word glued to the code (`No.__init__`).
fn peel(code: &str) -> (String, String, String) {
    let unbalanced =
        |s: &str, open: char, close: char| s.matches(open).count() != s.matches(close).count();
    let mut core = code;
    let mut pre = String::new();
    while let Some(first) = core.chars().next() {
        let peel = match first {
            '“' | '‘' => true,
            '(' => unbalanced(core, '(', ')'),
            '[' => unbalanced(core, '[', ']'),
            _ => false,
        };
        if !peel || core.len() == first.len_utf8() {
            break;
        }
        pre.push(first);
        core = &core[first.len_utf8()..];
    }
    for word in ["No.", "Yes."] {
        if let Some(rest) = core.strip_prefix(word) {
            if rest.starts_with(|c: char| is_ident_char(c) || c == '`') {
                pre.push_str(word);
                core = rest;
            }
        }
    }
    let mut post = Vec::new();
    while let Some(last) = core.chars().next_back() {
        let peel = match last {
            '?' | '”' | '’' => true,
            ')' => unbalanced(core, '(', ')'),
            ']' => unbalanced(core, '[', ']'),
            _ => false,
        };
        if !peel || core.len() == last.len_utf8() {
            break;
        }
        post.push(last);
        core = &core[..core.len() - last.len_utf8()];
    }
    (pre, core.to_string(), post.iter().rev().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cost_memo_gives_what_costing_gives() {
        let v = vocab();
        let mut memo = CostMemo::default();
        for s in [
            "rank",
            "rank_coupon",
            "MessageWebhook",
            "__init__",
            "a",
            "x",
        ] {
            let fresh = costs(v, s, &mut CostMemo::default());
            assert_eq!(known_costs(v, s, &mut memo), fresh, "{s}");
            let chars: Vec<char> = s.chars().collect();
            assert_eq!(known_costs_of(v, &chars, &mut memo), fresh, "{s}");
        }
        let long = "reconcile_shard_partition_ledger";
        let fresh = costs(v, long, &mut CostMemo::default());
        assert_eq!(known_costs(v, long, &mut memo), fresh);
        // Found again, by its characters, without a new entry.
        let before = memo.len();
        let chars: Vec<char> = long.chars().collect();
        assert_eq!(known_costs_of(v, &chars, &mut memo), fresh);
        assert_eq!(memo.len(), before);
    }

    #[test]
    fn a_shared_memo_repairs_as_a_fresh_one_does() {
        // The damaged guide's own text, cut at its questions: the same
        // follow-up and bullet lines turn up under several questions.
        let guide = include_str!("../../content/sources/top-200.txt");
        let fields: Vec<&str> = guide.split("\nQ").collect();
        assert!(fields.len() > 150);
        let mut memo = Memo::default();
        for field in &fields {
            assert_eq!(repair_with(field, &mut memo), repair(field), "{field:?}");
        }
        // A block is kept from its second sighting on: after a second pass
        // every block is in the memo, and a later pass adds none. Every
        // pass repairs the same.
        let once = memo.blocks.len();
        for _ in 0..2 {
            for field in &fields {
                assert_eq!(repair_with(field, &mut memo), repair(field), "{field:?}");
            }
        }
        assert!(memo.blocks.len() > once);
        let kept = memo.blocks.len();
        for field in &fields {
            assert_eq!(repair_with(field, &mut memo), repair(field), "{field:?}");
        }
        assert_eq!(memo.blocks.len(), kept);
    }

    #[test]
    fn remembered_run_candidates_are_the_ones_found_fresh() {
        let v = vocab();
        let (mut known, mut runs) = (CostMemo::default(), RunMemo::default());
        let tokens = [
            "ScheduleQueue.rank_batch,",
            "ScheduleQueue.merge_upload",
            "Django’sRunPython",
            "super().__init__()",
            "rank_batch(x)",
            "rank_batch",
            "ScheduleQueue(x)",
            "super",
            "batch",
            "passis",
            "reconcile_shard_partition_ledger_entries_for_every_tenant_now",
        ];
        // Twice: the second round finds every run in the memo.
        for _ in 0..2 {
            for t in tokens {
                let chars: Vec<char> = t.chars().collect();
                for i in 0..chars.len() {
                    let fresh = candidates(
                        v,
                        &chars,
                        i,
                        &mut CostMemo::default(),
                        &mut RunMemo::default(),
                    );
                    let remembered = candidates(v, &chars, i, &mut known, &mut runs);
                    assert_eq!(
                        format!("{remembered:?}"),
                        format!("{fresh:?}"),
                        "{t} at {i}"
                    );
                }
            }
        }
        // One entry per run suffix and context, not per token.
        let before = runs.len();
        let chars: Vec<char> = "ScheduleQueue.rank_batch;".chars().collect();
        for i in 0..chars.len() {
            candidates(v, &chars, i, &mut known, &mut runs);
        }
        assert_eq!(runs.len(), before);
    }

    fn check(raw: &str, want: &str) {
        assert_eq!(repair(raw), want, "raw: {raw:?}");
    }

    #[test]
    fn rebuilds_glued_bullets_and_code_spans() {
        check(
            "- Compiler transforms AST to bytecode (\n.pyc). - Python Virtual Machine executes bytecode.",
            "- Compiler transforms AST to bytecode (`.pyc`).\n- Python Virtual Machine executes bytecode.",
        );
        check(
            "\npassis a no-op placeholder.continueskips to next loop iteration.breakexits the nearest loop.- Use\npassin stubs,continuefor filtering,breakfor termination.",
            "- `pass` is a no-op placeholder.\n- `continue` skips to next loop iteration.\n- `break` exits the nearest loop.\n- Use `pass` in stubs, `continue` for filtering, `break` for termination.",
        );
        check(
            "- Compiled bytecode cached in\n__pycache__for reuse.",
            "- Compiled bytecode cached in `__pycache__` for reuse.",
        );
    }

    #[test]
    fn prose_with_false_line_breaks() {
        check(
            "Python abstracts all heap management away from the developer — you never call\nmallocdirectly.",
            "Python abstracts all heap management away from the developer — you never call `malloc` directly.",
        );
    }

    #[test]
    fn prose_that_kept_its_spaces() {
        check(
            "Or confusing __new__ with __init__.",
            "Or confusing `__new__` with `__init__`.",
        );
        check(
            "ClassName.mro() or help(ClassName) shows the order.",
            "`ClassName.mro()` or `help(ClassName)` shows the order.",
        );
        check(
            "super() matters here: super() does not simply call",
            "`super()` matters here: `super()` does not simply call",
        );
        check(
            "details (exc_type, exc_val, exc_tb).",
            "details (`exc_type`, `exc_val`, `exc_tb`).",
        );
        check("CPU-bound: Use threads.", "CPU-bound: Use threads.");
    }

    #[test]
    fn glued_words_and_names_come_apart() {
        check(
            "- Use\ncopy.copyandcopy.deepcopy.",
            "- Use `copy.copy` and `copy.deepcopy`.",
        );
        check(
            "Equivalent tolru_cache(maxsize=None)but cleaner.",
            "Equivalent to `lru_cache(maxsize=None)` but cleaner.",
        );
        check(
            "resumes on nextnext()call.",
            "resumes on next `next()` call.",
        );
        check(
            "How does Django’s\nModelBasemetaclass work?",
            "How does Django’s `ModelBase` metaclass work?",
        );
        check("vs Django’sRunPython?", "vs Django’s `RunPython`?");
    }

    #[test]
    fn punctuation_and_answer_words_stay_outside_code() {
        check(
            "What happens if\n__new__returnsNone?",
            "What happens if `__new__` returns `None`?",
        );
        check(
            "(No.__init__only runs if__new__returns one.)",
            "(No. `__init__` only runs if `__new__` returns one.)",
        );
        assert_eq!(
            peel("(raise"),
            ("(".to_string(), "raise".to_string(), String::new())
        );
        assert_eq!(
            peel("f(x))?"),
            (String::new(), "f(x)".to_string(), ")?".to_string())
        );
        assert_eq!(
            peel("class A(B):"),
            (String::new(), "class A(B):".to_string(), String::new())
        );
    }

    #[test]
    fn clean_markdown_is_left_alone() {
        for clean in [
            "- `pass` is a no-op placeholder.\n- Use `pass` in stubs, `continue` for filtering.",
            "Lists over-allocate by ~12.5% to amortize appends (e.g., in loops).",
            "**Production patterns:**\n\n- Retry decorators: flaky calls",
            "| a | b |\n|---|---|\n| 1 | 2 |",
        ] {
            check(clean, clean);
            check(&repair(clean), clean);
        }
    }

    /// Everything but whitespace and backticks, in order.
    fn squash(s: &str) -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '`')
            .collect()
    }

    #[test]
    fn one_very_long_line_is_repaired_whole() {
        // A 1 MB bullet of prose, a glued run far longer than any token of
        // the guides (segmented in windows), then damage the repair knows.
        let prose = "use the event loop and ".repeat(1 << 20 >> 5);
        let glued = "useasyncio.gatherwithreturn_exceptions=Trueto".repeat(1500);
        let raw = format!("- {prose}{glued} Equivalent tolru_cache(maxsize=None)but cleaner.");
        let out = repair(&raw);
        assert!(out.starts_with("- use the event loop and"));
        assert_eq!(out.lines().count(), 1, "one bullet stays one line");
        assert!(
            squash(&out) == squash(&raw),
            "a character was lost or added"
        );
        assert!(
            out.ends_with("Equivalent to `lru_cache(maxsize=None)` but cleaner."),
            "damage after the long run is still repaired"
        );
    }
}

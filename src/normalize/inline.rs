//! Markdown rules for every guide, damaged or not: glued labels go on a line
//! of their own as `**Label:**`, dunder names are put in backticks (bare
//! `__init__` would render as bold "init"), and `$…$` inline math becomes
//! plain text. Text inside backticks and fenced code is never touched.

/// Puts glued labels ("…instance.Follow-up:- “If…", "…order.Production
/// patterns:- Retry…") on a line of their own, as a `**Label:**` paragraph.
pub fn isolate_labels(text: &str) -> String {
    // Every label ends in a colon.
    if !text.contains(':') {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    let mut in_code = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
        }
        // A label just isolated ends a line of the output: a label glued
        // right after it starts one (`Red flag answer:Follow-up:- …`).
        let at_line_start = i == 0 || chars[i - 1] == '\n' || out.ends_with('\n');
        let glued = i > 0 && matches!(chars[i - 1], '.' | '!' | '?' | ')' | '”' | '’' | '"');
        if !in_code && c.is_ascii_uppercase() && (glued || at_line_start) {
            if let Some(end) = label_end(&chars, i) {
                let rest_starts_list =
                    chars.get(end) == Some(&'-') && chars.get(end + 1) == Some(&' ');
                if glued || rest_starts_list {
                    let label: String = chars[i..end].iter().collect();
                    let trimmed = out.trim_end_matches([' ', '\n']).len();
                    out.truncate(trimmed);
                    if !out.is_empty() {
                        out.push_str("\n\n");
                    }
                    out.push_str("**");
                    out.push_str(&label);
                    out.push_str("**\n\n");
                    i = end;
                    while chars.get(i) == Some(&' ') {
                        i += 1;
                    }
                    continue;
                }
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The end (after the colon) of a label starting at `i`: a capitalised
/// phrase of at most seven words ending in `:`, not followed by `//`.
fn label_end(chars: &[char], i: usize) -> Option<usize> {
    let mut words = 1;
    let mut depth = 0usize;
    let mut k = i;
    while k < chars.len() && k - i <= 60 {
        let c = chars[k];
        match c {
            // A `)` that closes nothing inside the label means the label
            // started mid-phrase; taking it would not be stable on a second
            // pass (the `)` would then glue a shorter label).
            '(' => depth += 1,
            ')' if depth == 0 => return None,
            ')' => depth -= 1,
            ':' => {
                let next = chars.get(k + 1);
                if next == Some(&'/') || next.is_some_and(|c| c.is_ascii_digit()) || k == i {
                    return None;
                }
                if chars[k - 1] == ' ' {
                    return None;
                }
                return Some(k + 1);
            }
            ' ' => {
                words += 1;
                if words > 7 {
                    return None;
                }
            }
            c if c.is_alphanumeric()
                || matches!(c, '_' | '-' | '’' | '\'' | '(' | ')' | '/' | '+' | '&') => {}
            _ => return None,
        }
        k += 1;
    }
    None
}

/// Puts bare dunder names (with the dotted name or call they belong to) in
/// backticks.
pub fn backtick_dunders(text: &str) -> String {
    // A dunder name holds `__`; without one this is the identity.
    if !text.contains("__") {
        return text.to_string();
    }
    map_outside_code(text, |seg| {
        // Most `__` are in code spans already.
        if !seg.contains("__") {
            return seg.to_string();
        }
        let chars: Vec<char> = seg.chars().collect();
        let mut out = String::with_capacity(seg.len() + 8);
        let mut i = 0;
        let mut emitted = 0; // chars[..emitted] are in `out`
        while i + 4 < chars.len() {
            if let Some(end) = dunder_at(&chars, i) {
                // extend left over `name.` chains and an opening quote
                let mut start = i;
                while start >= 2 && chars[start - 1] == '.' && is_ident(chars[start - 2]) {
                    let mut s = start - 1;
                    while s > 0 && is_ident(chars[s - 1]) {
                        s -= 1;
                    }
                    start = s;
                }
                let mut end = end;
                // extend right over `.name` and a call without spaces
                loop {
                    if chars.get(end) == Some(&'.')
                        && chars.get(end + 1).is_some_and(|&c| is_ident(c))
                    {
                        end += 1;
                        while end < chars.len() && is_ident(chars[end]) {
                            end += 1;
                        }
                    } else if chars.get(end) == Some(&'(') {
                        match chars[end..].iter().position(|&c| c == ')') {
                            Some(p) if !chars[end..end + p].iter().any(|c| c.is_whitespace()) => {
                                end += p + 1
                            }
                            _ => break,
                        }
                    } else {
                        break;
                    }
                }
                if start > 0 && end < chars.len() && chars[start - 1] == '"' && chars[end] == '"' {
                    start -= 1;
                    end += 1;
                }
                if start < emitted {
                    i += 1;
                    continue;
                }
                out.extend(&chars[emitted..start]);
                out.push('`');
                out.extend(&chars[start..end]);
                out.push('`');
                emitted = end;
                i = end;
                continue;
            }
            i += 1;
        }
        out.extend(&chars[emitted..]);
        out
    })
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// A dunder name starting at `i` (`__x__`, not inside a longer identifier
/// on its left): its end.
fn dunder_at(chars: &[char], i: usize) -> Option<usize> {
    if chars.get(i) != Some(&'_') || chars.get(i + 1) != Some(&'_') {
        return None;
    }
    if i > 0 && chars[i - 1] == '_' {
        return None;
    }
    if !chars.get(i + 2).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let mut k = i + 2;
    while k < chars.len() && is_ident(chars[k]) {
        k += 1;
    }
    let name = &chars[i..k];
    let ok = name.len() >= 5
        && name[name.len() - 1] == '_'
        && name[name.len() - 2] == '_'
        && name[name.len() - 3] != '_';
    ok.then_some(k)
}

/// `$O(1)$` becomes `O(1)`: Markdown has no math.
pub fn plain_math(text: &str) -> String {
    if !text.contains('$') {
        return text.to_string();
    }
    map_outside_code(text, |seg| {
        let mut out = String::with_capacity(seg.len());
        let mut rest = seg;
        while let Some(p) = rest.find('$') {
            let after = &rest[p + 1..];
            let close = after.find('$');
            let inner_ok = |inner: &str| {
                !inner.is_empty()
                    && inner.len() <= 40
                    && !inner.contains('\n')
                    && inner.starts_with(|c: char| c.is_alphabetic())
                    && !inner.ends_with(char::is_whitespace)
            };
            match close {
                Some(q)
                    if inner_ok(&after[..q])
                        && !after[q + 1..].starts_with(|c: char| c.is_alphanumeric()) =>
                {
                    out.push_str(&rest[..p]);
                    out.push_str(&after[..q]);
                    rest = &after[q + 1..];
                }
                _ => {
                    out.push_str(&rest[..=p]);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    })
}

/// Applies `f` to the parts of `text` outside backtick spans and fenced
/// code blocks.
pub fn map_outside_code(text: &str, f: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut plain = String::new();
    let mut in_fence = false;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with("```") || in_fence {
            if line.trim_start().starts_with("```") {
                in_fence = !in_fence;
            }
            out.push_str(&map_spans(&std::mem::take(&mut plain), &f));
            out.push_str(line);
            continue;
        }
        plain.push_str(line);
    }
    out.push_str(&map_spans(&plain, &f));
    out
}

fn map_spans(text: &str, f: &impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(p) = rest.find('`') {
        out.push_str(&f(&rest[..p]));
        let run = rest[p..].chars().take_while(|&c| c == '`').count();
        let fence = &rest[p..p + run];
        match rest[p + run..].find(fence) {
            Some(q) => {
                let end = p + run + q + run;
                out.push_str(&rest[p..end]);
                rest = &rest[end..];
            }
            None => {
                out.push_str(fence);
                rest = &rest[p + run..];
            }
        }
    }
    out.push_str(&f(rest));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_never_swallows_an_unopened_parenthesis() {
        let raw = "To check out other )Scenarios Based Questions:- Click Here.";
        let once = isolate_labels(raw);
        assert_eq!(isolate_labels(&once), once);
        assert!(once.contains("**Scenarios Based Questions:**"), "{once}");
    }

    #[test]
    fn glued_labels_get_their_own_line() {
        assert_eq!(
            isolate_labels("Or confusing new with init.Follow-up:- “If x?”"),
            "Or confusing new with init.\n\n**Follow-up:**\n\n- “If x?”"
        );
        assert_eq!(
            isolate_labels("Introspection fails.Production patterns:- Retry decorators: flaky"),
            "Introspection fails.\n\n**Production patterns:**\n\n- Retry decorators: flaky"
        );
        assert_eq!(
            isolate_labels(
                "returns instance.When you actually override __new__:- Singletons: cached."
            ),
            "returns instance.\n\n**When you actually override __new__:**\n\n- Singletons: cached."
        );
        assert_eq!(
            isolate_labels("a dependency.Red flag answer: “Never.”"),
            "a dependency.\n\n**Red flag answer:**\n\n“Never.”"
        );
        // Two labels glued together are both isolated in one pass (a second
        // pass used to isolate the second: found by the idempotency property).
        let once = isolate_labels(")Red flag answer:Red flag answer:- “");
        assert_eq!(
            once,
            ")\n\n**Red flag answer:**\n\n**Red flag answer:**\n\n- “"
        );
        assert_eq!(isolate_labels(&once), once);
        for clean in [
            "Fetch it at: https://example.com/x.txt",
            "Q4. Use PEP 8. Python: a language.",
            "Time: 10:30",
            "**Follow-up:**\n\n- x",
        ] {
            assert_eq!(isolate_labels(clean), clean);
        }
    }

    #[test]
    fn dunders_go_in_backticks() {
        assert_eq!(backtick_dunders("What is __init__?"), "What is `__init__`?");
        assert_eq!(
            backtick_dunders("Class() call -> type.__call__ -> __new__(cls) -> creates"),
            "Class() call -> `type.__call__` -> `__new__(cls)` -> creates"
        );
        assert_eq!(
            backtick_dunders("if __name__ == \"__main__\":"),
            "if `__name__` == `\"__main__\"`:"
        );
        let clean = "Use `__slots__` and _ClassName__name or __private.";
        assert_eq!(backtick_dunders(clean), clean);
        assert_eq!(
            backtick_dunders("```\ndef __init__(self):\n```"),
            "```\ndef __init__(self):\n```"
        );
    }

    #[test]
    fn inline_math_becomes_plain_text() {
        assert_eq!(
            plain_math("an amortized $O(1)$ operation"),
            "an amortized O(1) operation"
        );
        assert_eq!(plain_math("in $O(n^2)$."), "in O(n^2).");
        for clean in ["costs $5 and $10", "(; | $()) are", "`$O(1)$`"] {
            assert_eq!(plain_math(clean), clean);
        }
    }

    /// The fast paths of `backtick_dunders` and `plain_math` return the text
    /// when it cannot hold what they change; that is what `map_outside_code`
    /// with an identity gives, also around unclosed spans and fences.
    #[test]
    fn outside_code_with_the_identity_is_the_identity() {
        for text in [
            "",
            "plain",
            "a `b` c",
            "unclosed ` tick and ``double `` and ```",
            "x\n```\ncode `y`\n```\nafter `z",
            "```\nnever closed\n",
            "trailing newline\n\n",
        ] {
            assert_eq!(map_outside_code(text, str::to_string), text);
        }
    }
}

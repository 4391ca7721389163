//! What vCard and iCalendar share: text values escaped (backslash, comma, semicolon,
//! newline) and content lines folded at 75 octets, never inside a UTF-8 character,
//! each ended by CRLF.

/// A text value escaped for a content line.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded at 75 octets (continuations start with one space), CRLF-ended.
/// Folds fall between two non-space characters: some readers trim whitespace at a fold.
pub fn push(out: &mut String, line: &str) {
    let chars: Vec<char> = line.chars().collect();
    let (mut start, mut budget) = (0, 75);
    while start < chars.len() {
        let (mut end, mut width) = (start, 0);
        while end < chars.len() && width + chars[end].len_utf8() <= budget {
            width += chars[end].len_utf8();
            end += 1;
        }
        if end < chars.len() {
            let mut k = end;
            while k > start + 1 && (chars[k].is_whitespace() || chars[k - 1].is_whitespace()) {
                k -= 1;
            }
            if k > start + 1 {
                end = k;
            }
        }
        if start > 0 {
            out.push_str("\r\n ");
        }
        out.extend(&chars[start..end]);
        start = end;
        budget = 74;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_and_long_lines_folded_between_characters() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let mut out = String::new();
        push(&mut out, &format!("NOTE:{}", "é".repeat(60)));
        let lines: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(lines.iter().all(|l| l.len() <= 75), "{lines:?}");
        assert_eq!(
            lines.concat().replace(' ', ""),
            format!("NOTE:{}", "é".repeat(60))
        );
    }
}

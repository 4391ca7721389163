//! Money is integer minor units (cents) everywhere; decimal text only at the edges.

use std::str::FromStr;

use bigdecimal::{BigDecimal, ToPrimitive};

/// Parses user input such as `1,234.5` or `99` into cents. Negative amounts and more than
/// two decimals are refused rather than rounded: a rate is what the user typed or nothing.
pub fn parse(input: &str) -> Result<i64, String> {
    parse_scaled(input, 2)
}

/// Parses a non-negative decimal into integer units of 10^-scale.
pub fn parse_scaled(input: &str, scale: i64) -> Result<i64, String> {
    let cleaned: String = input
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != ' ')
        .collect();
    let cleaned = cleaned.strip_prefix('$').unwrap_or(&cleaned);
    let value = plain_decimal(cleaned).ok_or_else(|| "Enter a number, like 120.00.".to_string())?;
    if value.sign() == bigdecimal::num_bigint::Sign::Minus {
        return Err("Must be zero or more.".into());
    }
    let (_, exp) = value.normalized().as_bigint_and_exponent();
    if exp > scale {
        return Err(format!("Use at most {scale} decimal places."));
    }
    (value * BigDecimal::from(10i64.pow(scale as u32)))
        .to_i64()
        .filter(|v| *v < i64::MAX / 1000)
        .ok_or_else(|| "That amount is too large.".into())
}

/// A decimal as people write amounts — digits with at most one point, an optional
/// leading minus — and nothing a parser would also take (`1e2`, `NaN`, `+5`, `.`).
pub fn plain_decimal(text: &str) -> Option<BigDecimal> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = !(whole.is_empty() && fraction.is_empty())
        && whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit());
    if !plain {
        return None;
    }
    BigDecimal::from_str(text).ok()
}

/// `123450` → `1234.50` (for form inputs).
pub fn to_input(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, (cents % 100).abs())
}

/// `123450` → `1,234.50` (for display).
pub fn display(cents: i64) -> String {
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{grouped}.{:02}", (cents % 100).abs())
}

/// Integer units of 10^-scale as a decimal: `(6550, 3)` → `6.550`.
pub fn display_scaled(v: i64, scale: i64) -> String {
    let unit = 10i64.pow(scale as u32);
    format!(
        "{}.{:0width$}",
        v / unit,
        (v % unit).abs(),
        width = scale as usize
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        assert_eq!(parse("1,234.5"), Ok(123450));
        assert_eq!(parse("$99"), Ok(9900));
        assert_eq!(parse("0.01"), Ok(1));
        assert!(parse("-1").is_err());
        assert!(parse("1.234").is_err());
        assert!(parse("abc").is_err());
        for not_an_amount in ["1e2", "1E2", "NaN", "inf", "+5", ".", "1.2.3", "0x10", ""] {
            assert!(parse(not_an_amount).is_err(), "{not_an_amount}");
        }
        assert_eq!(parse(".5"), Ok(50));
        assert_eq!(parse("5."), Ok(500));
        assert_eq!(to_input(123450), "1234.50");
        assert_eq!(display(123456789), "1,234,567.89");
        assert_eq!(display(5), "0.05");
    }
}

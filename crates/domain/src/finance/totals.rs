//! The one rounding rule of invoice and quote lines, applied in this order, each step
//! rounded half away from zero to the currency's minor unit:
//!
//! 1. line amount   = round(quantity × unit price)
//! 2. line discount = round(line amount × discount % / 100)
//! 3. line tax      = round((line amount − line discount) × tax % / 100)
//!
//! and the document's figures are sums of the rounded lines: subtotal = Σ amounts,
//! discount = Σ discounts, tax = Σ taxes, total = subtotal − discount + tax. So every
//! printed line adds up to the printed totals, to the last minor unit, in any currency.
//! Quantities, prices and rates are exact decimals (`BigDecimal`); only the results are
//! integers of minor units.

use bigdecimal::{BigDecimal, RoundingMode, ToPrimitive};

use crate::currency::Currency;

/// One line as entered.
#[derive(Debug, Clone)]
pub struct Line {
    pub quantity: BigDecimal,
    /// In major units (dollars), any number of decimals (0.333).
    pub unit_price: BigDecimal,
    /// Percent, e.g. 8.875.
    pub tax_percent: BigDecimal,
    /// Percent off the line's amount, e.g. 10.
    pub discount_percent: BigDecimal,
}

/// A line's figures in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LineTotals {
    pub amount: i64,
    pub discount: i64,
    pub tax: i64,
}

impl LineTotals {
    pub fn net(&self) -> i64 {
        self.amount - self.discount
    }
}

/// A document's figures in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub subtotal: i64,
    pub discount: i64,
    pub tax: i64,
    pub total: i64,
}

/// An amount that does not fit the stored integer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge;

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("The amount is too large.")
    }
}

/// `value` (in major units) rounded to the currency's minor unit, as minor units.
fn to_minor(value: &BigDecimal, c: Currency) -> Result<i64, TooLarge> {
    let minor = i64::from(c.minor);
    let (digits, _) = value
        .with_scale_round(minor, RoundingMode::HalfUp)
        .into_bigint_and_exponent();
    digits.to_i64().ok_or(TooLarge)
}

/// Minor units back to a decimal in major units.
fn from_minor(units: i64, c: Currency) -> BigDecimal {
    BigDecimal::new(units.into(), i64::from(c.minor))
}

pub fn line(l: &Line, c: Currency) -> Result<LineTotals, TooLarge> {
    let hundred = BigDecimal::from(100);
    let amount = to_minor(&(&l.quantity * &l.unit_price), c)?;
    let discount = to_minor(&(from_minor(amount, c) * &l.discount_percent / &hundred), c)?;
    let net = amount.checked_sub(discount).ok_or(TooLarge)?;
    let tax = to_minor(&(from_minor(net, c) * &l.tax_percent / &hundred), c)?;
    Ok(LineTotals {
        amount,
        discount,
        tax,
    })
}

/// The document's totals from its lines' (already rounded) figures.
pub fn sum(lines: &[LineTotals]) -> Result<Totals, TooLarge> {
    let add = |f: fn(&LineTotals) -> i64| {
        lines
            .iter()
            .try_fold(0i64, |acc, l| acc.checked_add(f(l)))
            .ok_or(TooLarge)
    };
    let (subtotal, discount, tax) = (add(|l| l.amount)?, add(|l| l.discount)?, add(|l| l.tax)?);
    let total = subtotal
        .checked_sub(discount)
        .and_then(|t| t.checked_add(tax))
        .ok_or(TooLarge)?;
    Ok(Totals {
        subtotal,
        discount,
        tax,
        total,
    })
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn d(s: &str) -> BigDecimal {
        BigDecimal::from_str(s).unwrap()
    }

    fn ln(q: &str, p: &str, tax: &str, disc: &str) -> Line {
        Line {
            quantity: d(q),
            unit_price: d(p),
            tax_percent: d(tax),
            discount_percent: d(disc),
        }
    }

    /// Worked by hand: (currency, line, amount, discount, tax).
    #[test]
    fn hand_computed_lines() {
        let cases = [
            // 1.5 h × 95.00 = 142.50; 8.875 % of it = 12.646875 → 12.65.
            ("USD", ln("1.5", "95.00", "8.875", "0"), 14250, 0, 1265),
            // 3 × 19.99 = 59.97; 10 % off = 5.997 → 6.00; no tax.
            ("USD", ln("3", "19.99", "0", "10"), 5997, 600, 0),
            // 7 × 0.333 = 2.331 → 2.33.
            ("USD", ln("7", "0.333", "0", "0"), 233, 0, 0),
            // Half a cent rounds up: 1 × 0.125 → 0.13; 20 % tax = 0.026 → 0.03.
            ("EUR", ln("1", "0.125", "20", "0"), 13, 0, 3),
            // Yen has no minor unit: 7 × 333 = 2331; 8 % = 186.48 → 186.
            ("JPY", ln("7", "333", "8", "0"), 2331, 0, 186),
            // Yen, 5 % off 2,331 = 116.55 → 117; 10 % of 2,214 = 221.4 → 221.
            ("JPY", ln("7", "333", "10", "5"), 2331, 117, 221),
            // Bahraini dinar has three: 2.5 × 1.2345 = 3.08625 → 3.086; 10 % = 0.3086 → 0.309.
            ("BHD", ln("2.5", "1.2345", "10", "0"), 3086, 0, 309),
        ];
        for (code, l, amount, discount, tax) in cases {
            let got = line(&l, Currency::of(code).unwrap()).unwrap();
            assert_eq!(
                got,
                LineTotals {
                    amount,
                    discount,
                    tax
                },
                "{code} {l:?}"
            );
        }
    }

    #[test]
    fn totals_are_sums_of_rounded_lines() {
        let usd = Currency::of("USD").unwrap();
        let lines: Vec<LineTotals> = [
            ln("1.5", "95.00", "8.875", "0"),
            ln("3", "19.99", "0", "10"),
            ln("7", "0.333", "0", "0"),
        ]
        .iter()
        .map(|l| line(l, usd).unwrap())
        .collect();
        let t = sum(&lines).unwrap();
        assert_eq!(
            t,
            Totals {
                subtotal: 14250 + 5997 + 233,
                discount: 600,
                tax: 1265,
                total: 14250 + 5997 + 233 - 600 + 1265,
            }
        );
        assert_eq!(usd.format(t.total), "211.45");
        let bhd = Currency::of("BHD").unwrap();
        let t = sum(&[line(&ln("2.5", "1.2345", "10", "0"), bhd).unwrap()]).unwrap();
        assert_eq!(bhd.format(t.total), "3.395");
    }

    /// For random documents: the lines add up to the subtotal, subtotal − discount +
    /// tax is the total, and every figure is what rounding the exact value gives.
    #[test]
    fn random_documents_add_up() {
        // A small deterministic generator: the same documents on every run.
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..2_000 {
            let c = CURRENCIES_UNDER_TEST[next(3) as usize];
            let c = Currency::of(c).unwrap();
            let lines: Vec<Line> = (0..1 + next(8))
                .map(|_| {
                    ln(
                        &format!("{}.{:02}", next(100), next(100)),
                        &format!("{}.{:04}", next(10_000), next(10_000)),
                        &format!("{}.{:03}", next(30), next(1000)),
                        &format!("{}", next(4) * 5),
                    )
                })
                .collect();
            let each: Vec<LineTotals> = lines.iter().map(|l| line(l, c).unwrap()).collect();
            let t = sum(&each).unwrap();
            assert_eq!(t.subtotal, each.iter().map(|l| l.amount).sum::<i64>());
            assert_eq!(t.subtotal - t.discount + t.tax, t.total);
            for (l, got) in lines.iter().zip(&each) {
                let exact = &l.quantity * &l.unit_price;
                let scale = BigDecimal::new(1.into(), i64::from(c.minor));
                // Rounding moved the amount by at most half a minor unit.
                let diff = (from_minor(got.amount, c) - exact).abs();
                assert!(diff * BigDecimal::from(2) <= scale, "{l:?}");
                assert!(got.discount <= got.amount && got.tax >= 0);
            }
        }
    }

    const CURRENCIES_UNDER_TEST: [&str; 3] = ["USD", "JPY", "BHD"];
}

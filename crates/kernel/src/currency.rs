//! ISO 4217 currencies and their minor units: amounts are stored as integers of the
//! currency's minor unit (cents, fils, none for yen), so a total is exact on both
//! databases and never passes through a float.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency {
    pub code: &'static str,
    /// Digits after the decimal point: 2 for USD, 0 for JPY, 3 for BHD.
    pub minor: u8,
}

/// Declares the currencies once: `CURRENCIES` for the money code, `CHOICES` for forms.
macro_rules! currencies {
    ($($code:ident $minor:literal),* $(,)?) => {
        /// The currencies a tenant can bill in.
        pub const CURRENCIES: &[Currency] = &[$(Currency { code: stringify!($code), minor: $minor }),*];
        /// The same, as a form's choices (code, code).
        pub const CHOICES: &[(&str, &str)] = &[$((stringify!($code), stringify!($code))),*];
    };
}

currencies! {
    USD 2,
    EUR 2,
    GBP 2,
    CAD 2,
    AUD 2,
    NZD 2,
    CHF 2,
    SEK 2,
    NOK 2,
    DKK 2,
    PLN 2,
    CZK 2,
    ZAR 2,
    INR 2,
    MXN 2,
    BRL 2,
    SGD 2,
    HKD 2,
    JPY 0,
    KRW 0,
    ISK 0,
    BHD 3,
    KWD 3,
    OMR 3,
    JOD 3,
    TND 3,
}

impl Currency {
    /// The currency of an ISO code (any case); `None` for one we do not bill in.
    pub fn of(code: &str) -> Option<Currency> {
        let code = code.trim();
        CURRENCIES
            .iter()
            .find(|c| c.code.eq_ignore_ascii_case(code))
            .copied()
    }

    /// The currency a stored row names: one the product billed in, else a corrupt row.
    pub fn stored(code: &str) -> crate::error::AppResult<Currency> {
        Currency::of(code).ok_or_else(|| {
            crate::error::AppError::Internal(format!("a stored row names unknown currency {code}"))
        })
    }

    /// An amount in minor units as text: `1234.50`, `1235` (JPY), `3.395` (BHD).
    pub fn format(self, minor_units: i64) -> String {
        let sign = if minor_units < 0 { "-" } else { "" };
        let abs = minor_units.unsigned_abs();
        if self.minor == 0 {
            return format!("{sign}{abs}");
        }
        let unit = 10u64.pow(u32::from(self.minor));
        format!(
            "{sign}{}.{:0width$}",
            abs / unit,
            abs % unit,
            width = usize::from(self.minor)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minor_units_by_currency() {
        let usd = Currency::of("usd").unwrap();
        assert_eq!(usd.format(123_450), "1234.50");
        assert_eq!(usd.format(-5), "-0.05");
        assert_eq!(Currency::of("JPY").unwrap().format(2517), "2517");
        assert_eq!(Currency::of("BHD").unwrap().format(3395), "3.395");
        assert_eq!(Currency::of("XXX"), None);
    }
}

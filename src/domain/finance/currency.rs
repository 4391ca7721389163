//! ISO 4217 currencies and their minor units: amounts are stored as integers of the
//! currency's minor unit (cents, fils, none for yen), so a total is exact on both
//! databases and never passes through a float.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency {
    pub code: &'static str,
    /// Digits after the decimal point: 2 for USD, 0 for JPY, 3 for BHD.
    pub minor: u8,
}

/// The currencies a tenant can bill in.
pub const CURRENCIES: &[Currency] = &[
    Currency {
        code: "USD",
        minor: 2,
    },
    Currency {
        code: "EUR",
        minor: 2,
    },
    Currency {
        code: "GBP",
        minor: 2,
    },
    Currency {
        code: "CAD",
        minor: 2,
    },
    Currency {
        code: "AUD",
        minor: 2,
    },
    Currency {
        code: "NZD",
        minor: 2,
    },
    Currency {
        code: "CHF",
        minor: 2,
    },
    Currency {
        code: "SEK",
        minor: 2,
    },
    Currency {
        code: "NOK",
        minor: 2,
    },
    Currency {
        code: "DKK",
        minor: 2,
    },
    Currency {
        code: "PLN",
        minor: 2,
    },
    Currency {
        code: "CZK",
        minor: 2,
    },
    Currency {
        code: "ZAR",
        minor: 2,
    },
    Currency {
        code: "INR",
        minor: 2,
    },
    Currency {
        code: "MXN",
        minor: 2,
    },
    Currency {
        code: "BRL",
        minor: 2,
    },
    Currency {
        code: "SGD",
        minor: 2,
    },
    Currency {
        code: "HKD",
        minor: 2,
    },
    Currency {
        code: "JPY",
        minor: 0,
    },
    Currency {
        code: "KRW",
        minor: 0,
    },
    Currency {
        code: "ISK",
        minor: 0,
    },
    Currency {
        code: "BHD",
        minor: 3,
    },
    Currency {
        code: "KWD",
        minor: 3,
    },
    Currency {
        code: "OMR",
        minor: 3,
    },
    Currency {
        code: "JOD",
        minor: 3,
    },
    Currency {
        code: "TND",
        minor: 3,
    },
];

impl Currency {
    /// The currency of an ISO code (any case); `None` for one we do not bill in.
    pub fn of(code: &str) -> Option<Currency> {
        let code = code.trim();
        CURRENCIES
            .iter()
            .find(|c| c.code.eq_ignore_ascii_case(code))
            .copied()
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

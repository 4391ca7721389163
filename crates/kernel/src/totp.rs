//! TOTP seeds for credentials: accepted as a base32 secret (spaces, dashes, case and
//! padding normalised away) or as an `otpauth://totp/…` URI (kept whole, so its digits
//! and period still apply); after a reveal the current code is shown.

use totp_rs::{Builder, Secret, Totp};

/// The form a seed is stored in (sealed): a normalised base32 secret, or the URI with
/// its secret normalised the same way (base32 ignores case; exports write either).
pub fn normalize(input: &str) -> Result<String, String> {
    let input = input.trim();
    if input.to_ascii_lowercase().starts_with("otpauth://") {
        let uri = with_base32_secret(input);
        from_uri(&uri)?;
        return Ok(uri);
    }
    let base32 = base32(input);
    let bytes = Secret::try_from_base32(&base32).map_err(|_| {
        "Enter the seed in base32 (letters A–Z and digits 2–7) or an otpauth:// link.".to_string()
    })?;
    if bytes.as_bytes().len() < 10 {
        return Err("This seed is too short to be a TOTP secret.".into());
    }
    Ok(base32)
}

/// A seed as base32 is compared: without spaces, dashes and padding, in upper case.
fn base32(seed: &str) -> String {
    seed.chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '=')
        .collect::<String>()
        .to_ascii_uppercase()
}

/// The link with its `secret` parameter normalised as a bare seed is; the rest kept.
fn with_base32_secret(uri: &str) -> String {
    let Some((path, query)) = uri.split_once('?') else {
        return uri.to_string();
    };
    let params: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, v)) if k.eq_ignore_ascii_case("secret") => {
                format!("secret={}", base32(&v.replace("%20", "")))
            }
            _ => p.to_string(),
        })
        .collect();
    format!("{path}?{}", params.join("&"))
}

/// The digits and periods the TOTP crate computes with (it panics on a period of 0 and
/// on 10 or more digits); anything else is refused at save time, and a stored link from
/// before this check shows an error at reveal instead of a code.
const DIGITS: std::ops::RangeInclusive<u8> = 6..=8;
const PERIOD_SECONDS: std::ops::RangeInclusive<u64> = 1..=3600;

fn from_uri(uri: &str) -> Result<Totp, String> {
    let t = Totp::from_url_unchecked(uri)
        .map_err(|_| "This otpauth:// link is not a valid TOTP link.".to_string())?;
    if !DIGITS.contains(&t.digits()) {
        return Err(format!(
            "This otpauth:// link asks for {} digits; TOTP codes have 6 to 8.",
            t.digits()
        ));
    }
    if !PERIOD_SECONDS.contains(&t.step()) {
        return Err(format!(
            "This otpauth:// link has a period of {} seconds; it must be 1 to 3600.",
            t.step()
        ));
    }
    Ok(t)
}

fn totp(stored: &str) -> Result<Totp, String> {
    if stored.starts_with("otpauth://") {
        return from_uri(stored);
    }
    let secret = Secret::try_from_base32(stored).map_err(|e| e.to_string())?;
    Ok(Builder::new().with_secret(secret).build_noncompliant())
}

/// The code valid now, and the seconds it has left.
pub fn current(stored: &str) -> Result<(String, u64), String> {
    let t = totp(stored)?;
    Ok((t.generate_current().to_string(), t.ttl()))
}

/// The code at a given Unix time (for tests against published vectors).
pub fn at(stored: &str, unix: u64) -> Result<String, String> {
    Ok(totp(stored)?.generate(unix).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238's SHA-1 test secret "12345678901234567890", in base32.
    const RFC: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn normalises_base32_and_keeps_uris() {
        assert_eq!(
            normalize("gezd gnbv-gy3t qojq gezd gnbv gy3t qojq==").unwrap(),
            RFC
        );
        let uri = format!("otpauth://totp/Acme:admin?secret={RFC}&issuer=Acme&digits=8");
        assert_eq!(normalize(&uri).unwrap(), uri);
        let lower = format!(
            "otpauth://totp/Acme:admin?secret={}&issuer=Acme&digits=8",
            "gezd gnbv gy3t qojq gezd gnbv gy3t qojq".replace(' ', "%20")
        );
        assert_eq!(
            normalize(&lower).unwrap(),
            uri,
            "a lower-case seed in a link"
        );
        assert!(normalize("not base32 !").is_err());
        assert!(normalize("GEZDGNBV").is_err(), "too short");
        assert!(normalize("otpauth://totp/x?digits=6").is_err(), "no secret");
    }

    #[test]
    fn parameters_the_crate_cannot_compute_are_refused_not_panicked_on() {
        for bad in ["period=0", "digits=10", "digits=255", "period=99999999999"] {
            let uri = format!("otpauth://totp/x?secret={RFC}&{bad}");
            assert!(normalize(&uri).is_err(), "{bad} accepted");
            // A row stored before the check: an error at reveal, never a panic.
            assert!(current(&uri).is_err(), "{bad} computed");
        }
    }

    #[test]
    fn codes_match_the_rfc_vectors() {
        assert_eq!(at(RFC, 59).unwrap(), "287082");
        assert_eq!(at(RFC, 1111111109).unwrap(), "081804");
        let uri = format!("otpauth://totp/Acme:admin?secret={RFC}&digits=8");
        assert_eq!(at(&uri, 59).unwrap(), "94287082");
        let (code, ttl) = current(RFC).unwrap();
        assert_eq!(code.len(), 6);
        assert!((1..=30).contains(&ttl));
    }
}

//! Sending mail over SMTP with lettre. The server comes from `MSPDESK_SMTP_URL`:
//! `smtps://user:pass@host:465` (TLS from the start), `smtp://user:pass@host:587`
//! (STARTTLS required — the submission port), or `smtp://host:25` without TLS (a local
//! relay); `?tls=required` or `?tls=none` says it outright. Without it mail waits in the
//! queue, visibly, instead of vanishing.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{Message, SmtpTransport, Transport};

/// The longest an SMTP command may take: a stalled server fails the attempt, and the
/// queue tries again later.
const TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Clone)]
pub struct Mailer {
    transport: SmtpTransport,
    from: Mailbox,
}

/// One message as the outbox holds it.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub sender_name: Option<String>,
    pub reply_to: Option<String>,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// File name, content type and content.
    pub attachment: Option<(String, String, Vec<u8>)>,
}

/// The URL lettre reads. lettre knows `tls=required` and `tls=opportunistic`; `tls=none`
/// (plain SMTP, as a local relay speaks) is its default without the parameter, so it is
/// taken out. The submission port means STARTTLS unless said otherwise.
fn normalised(url: &str) -> Result<String, String> {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut tls = None;
    let mut rest = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("tls", value)) => tls = Some(value),
            _ => rest.push(pair),
        }
    }
    let port_587 = base
        .rsplit('@')
        .next()
        .and_then(|host| host.split('/').next())
        .is_some_and(|h| h.ends_with(":587"));
    match tls {
        Some("none") => {}
        Some(v @ ("required" | "opportunistic")) => rest.push(if v == "required" {
            "tls=required"
        } else {
            "tls=opportunistic"
        }),
        Some(other) => {
            return Err(format!(
                "tls={other:?}: say tls=required, tls=opportunistic or tls=none"
            ))
        }
        None if base.starts_with("smtp://") && port_587 => rest.push("tls=required"),
        None => {}
    }
    Ok(if rest.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", rest.join("&"))
    })
}

impl Mailer {
    /// The mailer for an SMTP URL and a sender address; `None` when either is unset.
    pub fn configured(url: &str, from: &str) -> Result<Option<Mailer>, String> {
        if url.trim().is_empty() {
            return Ok(None);
        }
        let from: Mailbox = from
            .trim()
            .parse()
            .map_err(|e| format!("MSPDESK_MAIL_FROM {from:?}: {e}"))?;
        let url = normalised(url.trim()).map_err(|e| format!("MSPDESK_SMTP_URL: {e}"))?;
        let transport = SmtpTransport::from_url(&url)
            .map_err(|e| format!("MSPDESK_SMTP_URL: {e}"))?
            .timeout(Some(TIMEOUT))
            .build();
        Ok(Some(Mailer { transport, from }))
    }

    /// Sends one message; the error says what the server or the address refused. Text
    /// that goes into a header is one line whatever was stored (a line break there would
    /// end the header — or, in the mail library, panic).
    pub fn send(&self, m: &Outgoing) -> Result<(), String> {
        let from = match m.sender_name.as_deref().map(one_line) {
            Some(name) if !name.is_empty() => Mailbox::new(Some(name), self.from.email.clone()),
            _ => self.from.clone(),
        };
        let to: Mailbox =
            m.to.parse()
                .map_err(|e| format!("recipient {:?}: {e}", m.to))?;
        let mut builder = Message::builder()
            .from(from)
            .to(to)
            .subject(one_line(&m.subject));
        if let Some(reply) = m.reply_to.as_deref().filter(|r| !r.trim().is_empty()) {
            let reply: Mailbox = reply
                .parse()
                .map_err(|e| format!("reply-to {reply:?}: {e}"))?;
            builder = builder.reply_to(reply);
        }
        let body = MultiPart::alternative_plain_html(m.text.clone(), m.html.clone());
        let message = match &m.attachment {
            Some((name, kind, content)) => {
                let kind = ContentType::parse(kind).map_err(|e| format!("attachment type: {e}"))?;
                let file: SinglePart = Attachment::new(name.clone()).body(content.clone(), kind);
                builder.multipart(MultiPart::mixed().multipart(body).singlepart(file))
            }
            None => builder.multipart(body),
        }
        .map_err(|e| format!("the message could not be built: {e}"))?;
        self.transport
            .send(&message)
            .map(|_| ())
            .map_err(|e| format!("SMTP: {e}"))
    }
}

/// Text as one header line: control characters become spaces, runs of spaces one.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_text_is_one_line() {
        assert_eq!(one_line("Acme\r\nBcc: x@y.test"), "Acme Bcc: x@y.test");
        assert_eq!(one_line("  Help\tdesk  "), "Help desk");
    }

    #[test]
    fn the_submission_port_requires_starttls_unless_told_otherwise() {
        let n = |u: &str| normalised(u).unwrap();
        assert_eq!(
            n("smtp://u:p@mail.example:587"),
            "smtp://u:p@mail.example:587?tls=required"
        );
        assert_eq!(n("smtp://localhost:25"), "smtp://localhost:25");
        assert_eq!(n("smtp://h:587?tls=none"), "smtp://h:587");
        assert_eq!(n("smtp://h:25/desk?tls=none"), "smtp://h:25/desk");
        assert_eq!(
            n("smtp://h:25?tls=opportunistic"),
            "smtp://h:25?tls=opportunistic"
        );
        assert_eq!(n("smtps://h:465"), "smtps://h:465");
        assert!(normalised("smtp://h:25?tls=maybe")
            .unwrap_err()
            .contains("tls=none"));
    }

    #[test]
    fn every_documented_url_makes_a_mailer() {
        for url in [
            "smtps://user:pass@mail.example:465",
            "smtp://user:pass@mail.example:587",
            "smtp://localhost:25",
            "smtp://localhost:25?tls=none",
            "smtp://mail.example:587?tls=required",
        ] {
            let m = Mailer::configured(url, "Desk <desk@example.test>");
            assert!(matches!(m, Ok(Some(_))), "{url}: {:?}", m.err());
        }
    }
}

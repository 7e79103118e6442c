//! Briefings as email: an RFC 5322 message (lettre) whose body is the bottom line as plain text
//! (the `email` template) and the HTML briefing as its alternative (its images, a logo, as inline
//! parts), with the files attached; written to a file or sent over SMTP.
//!
//! The message is deterministic: its date comes from the as-of date, its Message-ID and MIME
//! boundary from the content, so `--eml` output is reproducible like every other format. SMTP
//! credentials come from the environment or a credentials file, never the command line, and are
//! never printed (`smtp`). Transient failures are retried with doubling waits; a permanent refusal (5xx)
//! is not retried.

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::Message;

use serde::Serialize;

use crate::briefing::model::Briefing;
use crate::render::engine::{TemplateEngine, TemplateError};
use crate::render::templates::{EMAIL_BODY, EMAIL_SUBJECT};
use crate::render::Format;

pub mod smtp;

pub use smtp::{credentials, credentials_warning, send, Sent};

/// The sender of a message written to a file (`brief --eml`, `serve`'s email drafts).
pub const DEFAULT_FROM: &str = "bilateral <bilateral@localhost>";

/// Who gets the message. With no recipients it is a draft, as mail clients save one: no `To`
/// header, for the reader to address.
#[derive(Debug, Clone)]
pub struct Addressing {
    pub from: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    /// `{title}`, `{as_of}` and `{marking}` are filled in (a marking it does not place comes
    /// first, in brackets). Default: the `email-subject` template.
    pub subject: Option<String>,
    /// What the Message-ID is made from, with the as-of date: a scheduled job's identity, so a
    /// resend of the same job's briefing for the same day carries the same Message-ID (and two
    /// jobs never share one). None: the message's content.
    pub identity: Option<String>,
}

/// A file to attach.
#[derive(Debug, Clone)]
pub struct FileAttachment {
    pub filename: String,
    pub format: Format,
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum EmailError {
    #[error("`{0}` is not an email address")]
    Address(String),
    #[error("cannot build the message: {0}")]
    Build(String),
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error("SMTP credentials: {0}")]
    Credentials(String),
    #[error("SMTP server {server}: {message} (after {attempts} attempt(s))")]
    Send {
        server: String,
        message: String,
        attempts: u32,
    },
}

/// The content's hash (for the MIME boundaries) and the Message-ID's: the job's identity's if
/// it has one, else the content's (the briefing, the files, the recipients).
fn hashes(b: &Briefing, to: &Addressing, attachments: &[FileAttachment]) -> (u64, u64) {
    use crate::base::hash::{fnv1a, FNV_OFFSET};
    let mut seed = crate::render::json::render(b);
    for a in attachments {
        seed.extend_from_slice(a.filename.as_bytes());
        seed.extend_from_slice(&a.bytes);
    }
    for r in to.to.iter().chain(&to.cc) {
        seed.extend_from_slice(r.as_bytes());
    }
    let hash = fnv1a(&seed, FNV_OFFSET);
    let id = to
        .identity
        .as_ref()
        .map_or(hash, |identity| fnv1a(identity.as_bytes(), FNV_OFFSET));
    (hash, id)
}

/// A subject given in the jobs file or on the command line, with `{title}`, `{as_of}` and
/// `{marking}` filled in; a protective marking the subject does not place comes first, in
/// brackets, as the default template puts it: a marked briefing never goes out unmarked.
fn custom_subject(s: &str, b: &Briefing, engine: &TemplateEngine) -> String {
    let as_of = engine
        .speech()
        .date(&crate::PartialDate::from_naive(b.header.as_of));
    let subject = s
        .replace("{title}", &b.header.title)
        .replace("{as_of}", &as_of);
    match b.header.marking.as_deref() {
        Some(m) if !s.contains("{marking}") => format!("[{m}] {subject}"),
        m => subject.replace("{marking}", m.unwrap_or_default()),
    }
}

/// The message's headers: sender, recipients (none: a draft), subject, date, Message-ID.
fn headers(
    b: &Briefing,
    to: &Addressing,
    subject: String,
    id_hash: u64,
) -> Result<lettre::message::MessageBuilder, EmailError> {
    // An email's Date header cannot say a day before 1970 (the encoder would panic).
    let date = b.header.as_of.and_time(chrono::NaiveTime::MIN).and_utc();
    if date.timestamp() < 0 {
        return Err(EmailError::Build(format!(
            "the as-of date {} is before 1970, which an email's Date header cannot carry; \
             give a later --as-of",
            b.header.as_of
        )));
    }
    let mut builder = Message::builder()
        .from(mailbox(&to.from)?)
        .subject(subject)
        .date(date.into())
        .message_id(Some(message_id(id_hash, b.header.as_of)));
    for r in &to.to {
        builder = builder.to(mailbox(r)?);
    }
    for r in &to.cc {
        builder = builder.cc(mailbox(r)?);
    }
    if to.to.is_empty() && to.cc.is_empty() {
        // lettre wants an envelope recipient; a draft is never sent, so the sender stands in.
        // The envelope is not part of the written message.
        let from = mailbox(&to.from)?.email;
        let envelope = lettre::address::Envelope::new(Some(from.clone()), vec![from])
            .map_err(|e| EmailError::Build(e.to_string()))?;
        builder = builder.envelope(envelope);
    }
    Ok(builder)
}

/// `<HASH.AS-OF@bilateral>`.
pub fn message_id(hash: u64, as_of: chrono::NaiveDate) -> String {
    format!("<{hash:016x}.{as_of}@bilateral>")
}

fn mailbox(s: &str) -> Result<Mailbox, EmailError> {
    s.parse().map_err(|_| EmailError::Address(s.to_string()))
}

/// What the email templates see: the briefing, and the files attached.
#[derive(Serialize)]
struct EmailContext<'a> {
    #[serde(flatten)]
    briefing: &'a Briefing,
    attachments: Vec<AttachmentInfo<'a>>,
}

#[derive(Serialize)]
struct AttachmentInfo<'a> {
    file_name: &'a str,
    format: Format,
    /// "PDF", "Markdown".
    kind: &'static str,
    bytes: usize,
}

/// Builds the message: the plain-text body, the HTML briefing `html` as its alternative, and the
/// attachments.
pub fn compose(
    engine: &TemplateEngine,
    b: &Briefing,
    to: &Addressing,
    html: &[u8],
    attachments: &[FileAttachment],
) -> Result<Message, EmailError> {
    let context = EmailContext {
        briefing: b,
        attachments: attachments
            .iter()
            .map(|a| AttachmentInfo {
                file_name: &a.filename,
                format: a.format,
                kind: a.format.label(),
                bytes: a.bytes.len(),
            })
            .collect(),
    };
    let subject = match &to.subject {
        Some(s) => custom_subject(s, b, engine),
        None => engine.text(EMAIL_SUBJECT, &context)?.trim().to_string(),
    };
    let body = engine.text(EMAIL_BODY, &context)?;
    let (hash, id_hash) = hashes(b, to, attachments);
    let builder = headers(b, to, subject, id_hash)?;
    let html = String::from_utf8_lossy(html).into_owned();
    let alternative = alternative(body, html, hash)?;
    let mut multipart = MultiPart::mixed()
        .boundary(format!("bilateral-{hash:016x}"))
        .multipart(alternative);
    for a in attachments {
        let ct = ContentType::parse(a.format.mime_type())
            .map_err(|e| EmailError::Build(e.to_string()))?;
        multipart =
            multipart.singlepart(Attachment::new(a.filename.clone()).body(a.bytes.clone(), ct));
    }
    builder
        .multipart(multipart)
        .map_err(|e| EmailError::Build(e.to_string()))
}

/// The plain-text body and the HTML briefing as its alternative; the HTML's images (a logo,
/// which the page carries as `data:` addresses, which most mail readers refuse) go beside it as
/// inline parts it refers to by Content-ID (RFC 2392).
fn alternative(body: String, mut html: String, hash: u64) -> Result<MultiPart, EmailError> {
    use base64::Engine;
    const START: &str = "src=\"data:image/";
    let mut images = Vec::new();
    while let Some(at) = html.find(START) {
        let rest = &html[at + START.len()..];
        let Some((kind, data)) = rest.split_once(";base64,") else {
            break;
        };
        let Some(end) = data.find('"') else { break };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&data[..end])
            .map_err(|e| EmailError::Build(format!("an image in the HTML briefing: {e}")))?;
        let ct = ContentType::parse(&format!("image/{kind}"))
            .map_err(|e| EmailError::Build(e.to_string()))?;
        let cid = format!("image-{}@bilateral", images.len() + 1);
        let len = START.len() + kind.len() + ";base64,".len() + end;
        html.replace_range(at..at + len, &format!("src=\"cid:{cid}"));
        images.push(Attachment::new_inline(cid).body(bytes, ct));
    }
    let alternative = MultiPart::alternative()
        .boundary(format!("bilateral-alt-{hash:016x}"))
        .singlepart(SinglePart::plain(body));
    if images.is_empty() {
        return Ok(alternative.singlepart(SinglePart::html(html)));
    }
    let related = MultiPart::related()
        .boundary(format!("bilateral-rel-{hash:016x}"))
        .singlepart(SinglePart::html(html));
    let related = images.into_iter().fold(related, |m, i| m.singlepart(i));
    Ok(alternative.multipart(related))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::templates::Templates;

    #[test]
    fn the_html_s_images_go_inline_by_content_id() {
        let html = "<p><img src=\"data:image/png;base64,iVBORw==\" alt=\"\"></p>".to_string();
        let part = alternative("body".into(), html, 7).unwrap();
        let text = String::from_utf8(part.formatted()).unwrap();
        assert!(text.contains("multipart/related"), "{text}");
        assert!(
            text.contains("<img src=\"cid:image-1@bilateral\" alt=\"\">"),
            "{text}"
        );
        assert!(text.contains("Content-ID: <image-1@bilateral>"), "{text}");
        assert!(text.contains("Content-Type: image/png"), "{text}");
        assert!(!text.contains("data:image"), "{text}");
        let plain = alternative("body".into(), "<p>no image</p>".into(), 7).unwrap();
        let plain = String::from_utf8(plain.formatted()).unwrap();
        assert!(
            !plain.contains("Content-ID") && !plain.contains("related"),
            "{plain}"
        );
    }

    fn briefing(marking: Option<&str>) -> Briefing {
        let loaded = crate::load(std::path::Path::new("examples/china-azerbaijan"));
        let ds = loaded.dataset.expect("the example loads");
        let opts = crate::briefing::aggregate::Options {
            marking: marking.map(str::to_string),
            ..Default::default()
        };
        let as_of = chrono::NaiveDate::from_ymd_opt(2025, 5, 1).unwrap();
        crate::briefing::aggregate::aggregate(&ds, &opts, as_of).unwrap()
    }

    #[test]
    fn a_marked_briefing_is_never_sent_with_an_unmarked_subject() {
        let engine = TemplateEngine::new(&Templates::defaults()).unwrap();
        let marked = briefing(Some("OFFICIAL"));
        assert_eq!(
            custom_subject("{title}, {as_of}", &marked, &engine),
            "[OFFICIAL] China–Azerbaijan, 1 May 2025"
        );
        assert_eq!(
            custom_subject("{title} ({marking})", &marked, &engine),
            "China–Azerbaijan (OFFICIAL)"
        );
        let plain = briefing(None);
        assert_eq!(
            custom_subject("{title} {marking}", &plain, &engine),
            "China–Azerbaijan "
        );
    }
}

//! Email: through SMTP, or by default into an outbox folder (one `.eml` file a message) that
//! a hub admin, or a test, can read.

use crate::settings::{MailTransport, Settings};
use lettre::message::header::ContentType;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

pub enum Mailer {
    Outbox(AsyncFileTransport<Tokio1Executor>, lettre::message::Mailbox),
    Smtp(AsyncSmtpTransport<Tokio1Executor>, lettre::message::Mailbox),
}

impl Mailer {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let from = settings
            .mail
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("mail.from is not a valid sender ({e})"))?;
        Ok(match settings.mail.transport {
            MailTransport::Outbox => {
                std::fs::create_dir_all(&settings.mail.outbox_dir).map_err(|e| {
                    anyhow::anyhow!(
                        "cannot create the mail outbox {}: {e}",
                        settings.mail.outbox_dir
                    )
                })?;
                Mailer::Outbox(AsyncFileTransport::new(&settings.mail.outbox_dir), from)
            }
            MailTransport::Smtp => {
                let transport =
                    AsyncSmtpTransport::<Tokio1Executor>::from_url(&settings.mail.smtp_url)
                        .map_err(|e| anyhow::anyhow!("mail.smtp_url is not usable ({e})"))?
                        .build();
                Mailer::Smtp(transport, from)
            }
        })
    }

    /// Send a plain-text email. Failures are logged and reported, never shown as a crash.
    pub async fn send(&self, to: &str, subject: &str, body: String) -> anyhow::Result<()> {
        let message = self
            .builder(to, subject)?
            .header(ContentType::TEXT_PLAIN)
            .body(body)?;
        self.deliver(message).await
    }

    /// Send a plain-text email with a calendar file (`name`, iCalendar text) attached, for a
    /// calendar app to add.
    pub async fn send_with_calendar(
        &self,
        to: &str,
        subject: &str,
        body: String,
        (name, calendar): (&str, String),
    ) -> anyhow::Result<()> {
        use lettre::message::{Attachment, MultiPart, SinglePart};
        let kind = ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")?;
        let message = self.builder(to, subject)?.multipart(
            MultiPart::mixed()
                .singlepart(SinglePart::plain(body))
                .singlepart(Attachment::new(name.to_string()).body(calendar, kind)),
        )?;
        self.deliver(message).await
    }

    fn builder(&self, to: &str, subject: &str) -> anyhow::Result<lettre::message::MessageBuilder> {
        let from = match self {
            Mailer::Outbox(_, f) | Mailer::Smtp(_, f) => f.clone(),
        };
        Ok(Message::builder()
            .from(from)
            .to(to.parse()?)
            .subject(subject))
    }

    async fn deliver(&self, message: Message) -> anyhow::Result<()> {
        match self {
            Mailer::Outbox(t, _) => {
                t.send(message).await?;
            }
            Mailer::Smtp(t, _) => {
                t.send(message).await?;
            }
        }
        Ok(())
    }
}

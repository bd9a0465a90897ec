//! The test kit: a real hub on port 0 over a real database (a temporary SQLite file, or a
//! fresh database in the throw-away PostgreSQL cluster that `scripts/test` starts), opened and
//! built exactly as `village serve` does, and the helpers every scenario uses. Test code, so a
//! failure here panics with what went wrong.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::field_reassign_with_default
)]

mod crawl;
mod forms;
pub use crawl::{codes_shown, page_links, shape, visible_text, Reached};
pub use forms::{forms, Field, Form};

use std::net::SocketAddr;
use std::path::PathBuf;
use village_domain::accounts::Role;
use village_store::Store;
use village_web::Settings;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The admin URL of the test PostgreSQL cluster. Under CI a missing cluster is a failure.
pub fn postgres_url() -> Option<String> {
    match std::env::var("VILLAGE_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
                panic!("VILLAGE_TEST_POSTGRES_URL is not set: run the tests with scripts/test, which starts PostgreSQL");
            }
            eprintln!("SKIPPED on PostgreSQL: VILLAGE_TEST_POSTGRES_URL is not set (scripts/test sets it)");
            None
        }
    }
}

/// A fresh, empty database on the chosen backend, and the URL that opens it.
pub async fn fresh_store(backend: Backend, dir: &std::path::Path) -> Option<(Store, String)> {
    let url = match backend {
        Backend::Sqlite => dir.join("village.db").to_string_lossy().to_string(),
        Backend::Postgres => {
            let admin = postgres_url()?;
            let name = format!("village_test_{}", rand::random::<u64>());
            let admin_store = Store::open(&admin, &Default::default())
                .await
                .expect("connect to test PostgreSQL");
            if let Store::Postgres { pool } = &admin_store {
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(pool)
                    .await
                    .expect("create test database");
            }
            admin_store.close().await;
            let mut url = url::Url::parse(&admin).expect("admin URL");
            url.set_path(&format!("/{name}"));
            url.to_string()
        }
    };
    // Opened and prepared exactly as `village serve` opens its database.
    let store = village_app::open_store(&url, &Default::default())
        .await
        .expect("open store");
    Some((store, url))
}

/// Serve a hub on `store` at a free port; it stops when the sender is dropped or used.
async fn serve(
    store: Store,
    outbox: &std::path::Path,
    tweak: impl FnOnce(&mut Settings),
) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let mut settings = Settings::default();
    settings.public_url = format!("http://{addr}");
    settings.hub.name = "Testfield".into();
    // No map pictures from elsewhere in tests: the map draws its places on a plain ground.
    settings.map.tiles = String::new();
    settings.mail.outbox_dir = outbox.to_string_lossy().to_string();
    tweak(&mut settings);
    let state = village_app::App::new(store, settings).expect("app");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = village_web::serve(listener, state, async {
            let _ = rx.await;
        })
        .await;
    });
    (addr, tx)
}

pub struct TestApp {
    pub base: String,
    pub addr: SocketAddr,
    pub store: Store,
    /// What another process would pass as `--database-url` to share this hub's database.
    pub db_url: String,
    pub outbox: PathBuf,
    pub dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

pub const PASSWORD: &str = "kettle lantern orchard";

impl TestApp {
    pub async fn start(backend: Backend) -> Option<TestApp> {
        Self::start_with(backend, |_| {}).await
    }

    pub async fn start_with(
        backend: Backend,
        tweak: impl FnOnce(&mut Settings),
    ) -> Option<TestApp> {
        let dir = tempfile::tempdir().expect("tempdir");
        let (store, db_url) = fresh_store(backend, dir.path()).await?;
        let outbox = dir.path().join("outbox");
        let (addr, tx) = serve(store.clone(), &outbox, tweak).await;
        Some(TestApp {
            base: format!("http://{addr}"),
            addr,
            store,
            db_url,
            outbox,
            dir,
            shutdown: Some(tx),
        })
    }

    /// A second server on the same database with its own connections, as another process
    /// would be. Returns its base URL; it stops when the returned sender is dropped.
    pub async fn second_process(&self) -> (String, tokio::sync::oneshot::Sender<()>) {
        self.second_process_with(&Default::default()).await
    }

    /// [`TestApp::second_process`] with its own pool settings (e.g. a pool of one).
    pub async fn second_process_with(
        &self,
        options: &village_store::StoreOptions,
    ) -> (String, tokio::sync::oneshot::Sender<()>) {
        let store = Store::open(&self.db_url, options)
            .await
            .expect("open the same database again");
        let (addr, tx) = serve(store, &self.outbox, |_| {}).await;
        (format!("http://{addr}"), tx)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A browser-like client with its own cookie jar that does not follow redirects.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// A page as someone signed out sees it: its status and its text.
    #[allow(dead_code)]
    pub async fn page(&self, path: &str) -> (u16, String) {
        let r = self
            .client()
            .get(self.url(path))
            .send()
            .await
            .expect("page");
        (r.status().as_u16(), r.text().await.expect("page text"))
    }

    /// A page as `client` (signed in or not) sees it: its status and its text.
    pub async fn page_as(&self, client: &reqwest::Client, path: &str) -> (u16, String) {
        let r = client.get(self.url(path)).send().await.expect("page");
        (r.status().as_u16(), r.text().await.expect("page text"))
    }

    /// Fetch a page and return the CSRF token from its forms.
    pub async fn csrf(&self, client: &reqwest::Client, path: &str) -> String {
        let html = client
            .get(self.url(path))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("text");
        extract_csrf(&html)
    }

    /// Post a form the way a browser would: fetch the page for its token first.
    pub async fn post_form(
        &self,
        client: &reqwest::Client,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let token = self.csrf(client, page).await;
        let mut form: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        form.extend_from_slice(fields);
        client
            .post(self.url(action))
            .form(&form)
            .send()
            .await
            .expect("post")
    }

    /// Join as a person would: fill in the join form, open the link emailed to `email` and
    /// press "Finish joining" in `client`. The answer to the last step taken: the join form's
    /// when it refused (422, 429), else the finishing step's (303 to the welcome page).
    pub async fn sign_up(
        &self,
        client: &reqwest::Client,
        email: &str,
        name: &str,
    ) -> reqwest::Response {
        let before = self.outbox_messages().len();
        let r = self
            .post_form(
                client,
                "/sign-up",
                "/sign-up",
                &[
                    ("email", email),
                    ("display_name", name),
                    ("password", PASSWORD),
                ],
            )
            .await;
        if r.status() != 200 {
            return r;
        }
        let path = (self.outbox_messages().len() > before)
            .then(|| self.newest_mail_to(email))
            .flatten()
            .and_then(|m| link_in_email(&m, "/sign-up/"))
            .unwrap_or_else(|| panic!("no link to finish joining was emailed to {email}"));
        self.post_form(client, &path, &path, &[]).await
    }

    pub async fn sign_in(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        self.post_form(
            client,
            "/sign-in",
            "/sign-in",
            &[("email", email), ("password", password)],
        )
        .await
    }

    /// Make an account with a role directly (as `village user create` does) and sign a new
    /// client in as it.
    /// A client signed in as one of the demo neighbourhood's people (the demo must be loaded).
    pub async fn demo_person(&self, email: &str) -> reqwest::Client {
        let client = self.client();
        let r = self
            .sign_in(&client, email, village_app::demo::DEMO_PASSWORD)
            .await;
        assert_eq!(r.status(), 303, "{email} signs in");
        client
    }

    pub async fn signed_in_as(&self, role: Role, email: &str) -> (reqwest::Client, i64) {
        let id = village_app::accounts::create_account(
            &self.store,
            email,
            &format!("{role:?} person"),
            PASSWORD,
            role,
            village_app::now(),
        )
        .await
        .map_err(|e| e.to_string())
        .expect("create account");
        let client = self.client();
        let r = self.sign_in(&client, email, PASSWORD).await;
        assert_eq!(r.status(), 303, "sign-in as {email}");
        (client, id)
    }

    /// The newest email to `address` (any case), unfolded, if one was sent.
    pub fn newest_mail_to(&self, address: &str) -> Option<String> {
        let to = format!("to: {}", address.to_lowercase());
        self.outbox_messages()
            .iter()
            .rev()
            .map(|m| unfold_email(m))
            .find(|m| m.to_lowercase().contains(&to))
    }

    /// The emails in the outbox, oldest first, as text.
    pub fn outbox_messages(&self) -> Vec<String> {
        let mut files: Vec<_> = std::fs::read_dir(&self.outbox)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        files
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap_or_default())
            .collect()
    }
}

/// A signed-in person in a scenario: their own client (cookie jar) and account number.
pub struct Person {
    pub client: reqwest::Client,
    pub id: i64,
}

impl TestApp {
    /// A JSON API call as `client` (signed in by cookie, so it sends the CSRF header the way
    /// a browser's script would): the status and the JSON body (`Null` when there is none).
    pub async fn call(
        &self,
        client: &reqwest::Client,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let token = client_csrf(self, client).await;
        let mut request = client
            .request(method, self.url(path))
            .header("x-csrf-token", token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("API call");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or_default())
    }

    /// A JSON API read as `client` (a read needs no CSRF header): the status and the body.
    pub async fn get_json(&self, client: &reqwest::Client, path: &str) -> (u16, serde_json::Value) {
        let response = client.get(self.url(path)).send().await.expect("API read");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or_default())
    }

    pub async fn post_json(
        &self,
        client: &reqwest::Client,
        path: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        self.call(client, reqwest::Method::POST, path, Some(body))
            .await
    }

    pub async fn put_json(
        &self,
        client: &reqwest::Client,
        path: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        self.call(client, reqwest::Method::PUT, path, Some(body))
            .await
    }

    /// A signed-in member, who has (or has not) declared lived experience.
    pub async fn member(&self, email: &str, lived: bool) -> Person {
        self.with_user(Role::Member, email, lived).await
    }

    /// A signed-in person with a hub role, who has (or has not) declared lived experience.
    pub async fn with_user(&self, role: Role, email: &str, lived: bool) -> Person {
        let (client, id) = self.signed_in_as(role, email).await;
        if lived {
            let (status, body) = self
                .put_json(
                    &client,
                    "/api/v1/me/lived-experience",
                    serde_json::json!({"declared": true, "kinds": ["draws_on_support"]}),
                )
                .await;
            assert_eq!(status, 200, "declare lived experience: {body}");
        }
        Person { client, id }
    }

    /// An open decision space made by `facilitator`, needing `lived_count` lived-experience
    /// stances (and half of all stances) to decide; returns its id.
    pub async fn space(&self, facilitator: &Person, name: &str, lived_count: u32) -> i64 {
        let (status, body) = self
            .post_json(
                &facilitator.client,
                "/api/v1/spaces",
                serde_json::json!({"name": name, "min_lived_share": 0.5, "min_lived_count": lived_count, "open": true}),
            )
            .await;
        assert_eq!(status, 201, "make a space: {body}");
        body["id"].as_i64().expect("the space's id")
    }

    /// A community funding round made by `facilitator` (approval voting); returns its id.
    pub async fn round(&self, facilitator: &Person, name: &str, pot_pence: i64) -> i64 {
        let (status, body) = self
            .post_json(
                &facilitator.client,
                "/api/v1/rounds",
                serde_json::json!({"name": name, "pot_pence": pot_pence, "max_bid_pence": pot_pence, "method": "approval"}),
            )
            .await;
        assert_eq!(status, 201, "make a round: {body}");
        body["id"].as_i64().expect("the round's id")
    }

    /// A public offer in the directory, run by a group of its own, listed as an import
    /// would list it; returns its ORUK id. `extra` adds to (or replaces) the record's fields.
    pub async fn offer(&self, name: &str, extra: serde_json::Value) -> String {
        let id = uuid_like();
        let mut record = serde_json::json!({
            "id": id,
            "name": name,
            "description": format!("{name}: come along"),
            "status": "active",
            "organization": {"id": uuid_like(), "name": format!("{name} group"), "description": "A community group"},
        });
        if let (Some(record), Some(extra)) = (record.as_object_mut(), extra.as_object()) {
            for (key, value) in extra {
                record.insert(key.clone(), value.clone());
            }
        }
        let (index, _) = village_domain::directory::oruk::read_service(&record)
            .unwrap_or_else(|e| panic!("the offer's record is not valid: {e:?}"));
        let mut tx = self.store.begin().await.expect("begin");
        village_store::directory::upsert_service(
            &mut tx,
            &index,
            &record.to_string(),
            true,
            village_app::now(),
        )
        .await
        .expect("list the offer");
        tx.commit().await.expect("commit");
        id
    }
}

/// A random id in the form of a UUID (ORUK ids are UUIDs).
fn uuid_like() -> String {
    let n: u128 = rand::random();
    let h = format!("{n:032x}");
    format!(
        "{}-{}-4{}-8{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

/// The CSRF token a signed-in (or signed-out) client's pages carry.
async fn client_csrf(app: &TestApp, client: &reqwest::Client) -> String {
    for page in ["/account", "/sign-in"] {
        let r = client.get(app.url(page)).send().await.expect("page");
        if r.status() == 200 {
            let html = r.text().await.unwrap_or_default();
            if html.contains("name=\"csrf_token\"") {
                return extract_csrf(&html);
            }
        }
    }
    panic!("no page with a form token")
}

pub fn extract_csrf(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html
        .find(marker)
        .expect("page has a form with a CSRF token")
        + marker.len();
    let end = html[start..].find('"').expect("end of token") + start;
    html[start..end].to_string()
}

/// The path of the first link in an email that starts with `prefix` (such as "/sign-up/").
pub fn link_in_email(mail: &str, prefix: &str) -> Option<String> {
    let start = mail.find(prefix)?;
    Some(
        mail[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || "/-_".contains(*c))
            .collect(),
    )
}

/// Undo quoted-printable soft line breaks so links in emails can be read whole.
pub fn unfold_email(text: &str) -> String {
    text.replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=")
}

/// Run each named async test function on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::Backend::Postgres).await;
                }
            )*
        }
    };
}

/// A small deterministic generator, so a failing test (or a benchmark's data) can be made
/// again exactly: the same seed gives the same numbers on every machine.
pub struct Lcg(pub u64);

impl Lcg {
    /// The next number (31 bits). Not an iterator: it never ends.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// One of `from`, chosen by the next number.
    pub fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[(self.next() % from.len() as u64) as usize]
    }

    /// A number in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() % 1_000_000) as f64 / 1_000_000.0
    }
}

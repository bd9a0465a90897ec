//! `village`: run a Village hub, and look after it from the command line.

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use village_app::Settings;
use village_domain::accounts::Role;
use village_store::Store;

/// Village: community-led social care. People, groups and neighbours finding each other,
/// helping each other and deciding things together.
#[derive(Parser)]
#[command(name = "village", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the hub keeps its data. Every command takes these.
#[derive(Args, Clone)]
struct Place {
    /// Folder for the SQLite database, mail outbox and backups.
    #[arg(long, env = "VILLAGE_DATA_DIR", global = true)]
    data_dir: Option<PathBuf>,
    /// Database to use: `postgres://user:pass@host/db` for PostgreSQL, or an SQLite file path
    /// or `sqlite:` URL. Default: `<data dir>/village.db`.
    #[arg(long, env = "DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// A TOML config file (see docs/OPERATIONS.md for every setting and its default).
    #[arg(long, env = "VILLAGE_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Most database connections this process keeps open (on SQLite, as many again for
    /// transactions). Default: four for each core, at least 8.
    #[arg(long, env = "VILLAGE_DB_MAX_CONNECTIONS", global = true)]
    db_max_connections: Option<u32>,
    /// On SQLite, the most megabytes of the database's pages each connection keeps in memory
    /// once read. Default: a 256th of the database file when the hub starts, 2 to 64.
    #[arg(long, env = "VILLAGE_DB_CACHE_MB", global = true)]
    db_cache_mb: Option<u32>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the hub: migrate the database, then serve pages and the API until stopped.
    Serve {
        /// Address to listen on. Port 0 picks a free port.
        #[arg(long, env = "VILLAGE_LISTEN")]
        listen: Option<SocketAddr>,
        /// Load the Meadowfield demo neighbourhood (safe to repeat).
        #[arg(long)]
        demo: bool,
        #[command(flatten)]
        place: Place,
    },
    /// Bring the database schema up to date, then stop.
    Migrate {
        #[command(flatten)]
        place: Place,
    },
    /// Load the Meadowfield demo neighbourhood into the database (safe to repeat).
    Demo {
        #[command(flatten)]
        place: Place,
    },
    /// Look after accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Bring directory data in (Open Referral UK JSON).
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Write the directory out (Open Referral UK JSON).
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Copy the SQLite database to FILE while the hub keeps running. (For PostgreSQL, use pg_dump.)
    Backup {
        /// Where to write the copy. Must not exist yet.
        file: PathBuf,
        #[command(flatten)]
        place: Place,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import services and taxonomy terms from a file or folder of ORUK 3.0 JSON: a page of
    /// services, an array of full services, or a whole dump. Records are matched by id, so
    /// importing again changes nothing. Any bad record means nothing is written, unless
    /// --skip-invalid is given.
    Oruk {
        /// A .json file or a folder of them.
        path: PathBuf,
        /// Import the good records anyway, and write a report of the bad ones.
        #[arg(long)]
        skip_invalid: bool,
        #[command(flatten)]
        place: Place,
    },
    /// Import services from a folder in the HSDS 3.0 CSV layout (services.csv,
    /// organizations.csv, locations.csv, schedules.csv … as in the standard's examples/csv).
    /// Checked like `import oruk`; every problem names its file, line and column.
    HsdsCsv {
        /// The folder of CSV files.
        dir: PathBuf,
        /// Import the good services anyway, and write a report of the bad ones.
        #[arg(long)]
        skip_invalid: bool,
        #[command(flatten)]
        place: Place,
    },
    /// Import postcode centroids so "near a postcode" searches work: a CSV with the ONS
    /// Postcode Directory's columns pcds, lat and long.
    Postcodes {
        file: PathBuf,
        /// Import the good lines anyway, and write a report of the bad ones.
        #[arg(long)]
        skip_invalid: bool,
        #[command(flatten)]
        place: Place,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Write every service and taxonomy term as ORUK 3.0 JSON into DIR (services.json,
    /// taxonomy_terms.json), in a form `village import oruk` reads back identically.
    Oruk {
        dir: PathBuf,
        #[command(flatten)]
        place: Place,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Make an account, for example the first hub admin. Asks for the password unless
    /// --password-file is given.
    Create {
        #[arg(long)]
        email: String,
        /// member, connector, steward, council_officer or hub_admin.
        #[arg(long, default_value = "member")]
        role: String,
        /// The name shown on the hub. Default: the part of the email before the @.
        #[arg(long)]
        name: Option<String>,
        /// Read the password from the first line of this file.
        #[arg(long)]
        password_file: Option<PathBuf>,
        #[command(flatten)]
        place: Place,
    },
    /// Change someone's role.
    SetRole {
        #[arg(long)]
        email: String,
        /// member, connector, steward, council_officer or hub_admin.
        #[arg(long)]
        role: String,
        #[command(flatten)]
        place: Place,
    },
}

/// The config file: hub settings plus where to find the data and how to listen.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct FileConfig {
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    listen: Option<SocketAddr>,
    db_max_connections: Option<u32>,
    db_cache_mb: Option<u32>,
    #[serde(flatten)]
    settings: Option<toml::Table>,
}

struct Resolved {
    data_dir: PathBuf,
    database_url: String,
    listen: SocketAddr,
    db_max_connections: u32,
    /// `None`: worked out from the database file's size when it is opened.
    db_cache_mb: Option<u32>,
    settings: Settings,
    public_url_set: bool,
}

/// Command line beats environment (clap merges those two), which beats the file, which beats
/// the defaults.
fn resolve(place: &Place, listen: Option<SocketAddr>) -> anyhow::Result<Resolved> {
    let file: FileConfig = match &place.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the config file {}", path.display()))?;
            toml::from_str(&text)
                .with_context(|| format!("the config file {} has a problem", path.display()))?
        }
        None => FileConfig::default(),
    };
    let settings: Settings = match &file.settings {
        Some(table) => table
            .clone()
            .try_into()
            .context("the config file has a setting Village does not know, or a wrong value")?,
        None => Settings::default(),
    };
    settings
        .matching
        .check()
        .map_err(|e| anyhow::anyhow!("the config file has a problem: {e}"))?;
    settings
        .map
        .tiles_origin()
        .map_err(|e| anyhow::anyhow!("the config file has a problem: {e}"))?;
    let public_url_set = file
        .settings
        .as_ref()
        .is_some_and(|t| t.contains_key("public_url"));
    let data_dir = place
        .data_dir
        .clone()
        .or(file.data_dir)
        .unwrap_or_else(|| PathBuf::from("village-data"));
    let database_url = place
        .database_url
        .clone()
        .filter(|u| !u.is_empty())
        .or(file.database_url)
        .unwrap_or_else(|| data_dir.join("village.db").to_string_lossy().to_string());
    let listen = listen
        .or(file.listen)
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
    let db_max_connections = place
        .db_max_connections
        .or(file.db_max_connections)
        .unwrap_or_else(village_store::default_max_connections)
        .clamp(1, 1000);
    let db_cache_mb = place
        .db_cache_mb
        .or(file.db_cache_mb)
        .map(|mb| mb.clamp(1, 65_536));
    Ok(Resolved {
        data_dir,
        database_url,
        listen,
        db_max_connections,
        db_cache_mb,
        settings,
        public_url_set,
    })
}

async fn open(r: &Resolved) -> anyhow::Result<Store> {
    std::fs::create_dir_all(&r.data_dir)
        .with_context(|| format!("cannot create the data folder {}", r.data_dir.display()))?;
    let options = village_store::StoreOptions {
        max_connections: r.db_max_connections,
        cache_mb: r.db_cache_mb,
        ..Default::default()
    };
    village_app::open_store(&r.database_url, &options).await
}

fn read_password(file: Option<&Path>) -> anyhow::Result<String> {
    match file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the password file {}", path.display()))?;
            Ok(text.lines().next().unwrap_or("").to_string())
        }
        None => {
            let first = rpassword::prompt_password("Password (at least 10 characters): ")
                .context("cannot read a password here; use --password-file")?;
            let again = rpassword::prompt_password("The same password again: ")?;
            if first != again {
                bail!("the two passwords are not the same");
            }
            Ok(first)
        }
    }
}

fn progress_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} records, {per_sec}, {elapsed} so far",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

fn show_progress(bar: &indicatif::ProgressBar, done: u64, total: u64) {
    bar.set_length(total);
    bar.set_position(done);
}

/// The end of an import of services (ORUK JSON or HSDS CSV): what it found, and how many.
fn say_services_imported(
    bar: &indicatif::ProgressBar,
    report: &village_app::directory::import::ImportReport,
    data_dir: &Path,
    now: i64,
) -> anyhow::Result<()> {
    bar.finish_and_clear();
    finish_import(report, data_dir, now)?;
    println!(
        "Imported {} service(s) and {} taxonomy term(s) from {} file(s), with {} warning(s).",
        report.imported,
        report.taxonomy_terms,
        report.files,
        report.warnings.len()
    );
    Ok(())
}

/// Say what an import found; fail if it wrote nothing; keep a report of what was left out.
fn finish_import(
    report: &village_app::directory::import::ImportReport,
    data_dir: &Path,
    now: i64,
) -> anyhow::Result<()> {
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    for p in &report.refused {
        eprintln!("refused: {p}");
    }
    if !report.written {
        bail!(
            "{} problem(s) in {} file(s): nothing was written. Fix them, or use --skip-invalid to import the good records.",
            report.refused.len(),
            report.files
        );
    }
    if !report.refused.is_empty() {
        std::fs::create_dir_all(data_dir)?;
        let file = data_dir.join(format!("import-report-{now}.txt"));
        let text: String = report.refused.iter().map(|p| format!("{p}\n")).collect();
        std::fs::write(&file, text)?;
        println!(
            "{} record(s) were left out; the report is in {}.",
            report.refused.len(),
            file.display()
        );
    }
    Ok(())
}

/// Listen for Ctrl-C and SIGTERM. The handlers are installed now, before the hub says it is
/// running, so a signal that arrives straight away still shuts down gracefully.
fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{signal, SignalKind};
        (
            signal(SignalKind::terminate()).ok(),
            signal(SignalKind::interrupt()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let (mut term, mut int) = signals;
            let wait = |s: &mut Option<tokio::signal::unix::Signal>| {
                let s = s.take();
                async move {
                    match s {
                        Some(mut s) => {
                            s.recv().await;
                        }
                        None => std::future::pending::<()>().await,
                    }
                }
            };
            tokio::select! {
                _ = wait(&mut term) => {},
                _ = wait(&mut int) => {},
            }
        }
        #[cfg(not(unix))]
        {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
        tracing::info!("stopping: finishing the requests in hand");
    }
}

/// mimalloc instead of the system allocator: a page allocates many small strings and rows
/// from two or more threads at once, where glibc's allocator spent about a seventh of a
/// profile page's time (measured with `perf`), much of it waiting on its own locks. Built
/// without asking for huge pages (the `no_thp` feature; see docs/OPERATIONS.md, Memory).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("VILLAGE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Err(e) = run(Cli::parse()).await {
        eprintln!("village: {e:#}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let now = village_app::now();
    match cli.command {
        Command::Serve {
            listen,
            demo,
            place,
        } => {
            let mut r = resolve(&place, listen)?;
            let store = open(&r).await?;
            if demo {
                let added = village_app::demo::load(&store, now)
                    .await
                    .map_err(|e| anyhow::anyhow!("cannot load the demo: {e}"))?;
                println!(
                    "Demo neighbourhood loaded ({added}). Sign in as admin@meadowfield.example or grace@meadowfield.example with the password {}",
                    village_app::demo::DEMO_PASSWORD
                );
            }
            let listener = tokio::net::TcpListener::bind(r.listen)
                .await
                .with_context(|| format!("cannot listen on {}", r.listen))?;
            let address = listener.local_addr()?;
            if demo && r.settings.hub.name == Settings::default().hub.name {
                r.settings.hub.name = village_app::demo::HUB_NAME.into();
                r.settings.hub.description = village_app::demo::HUB_DESCRIPTION.into();
            }
            if demo && r.settings.mutual_aid.areas.is_empty() {
                r.settings.mutual_aid.areas = village_app::demo::mutual_aid::areas();
            }
            if !r.public_url_set {
                r.settings.public_url = format!("http://{address}");
            }
            if r.settings.mail.outbox_dir == Settings::default().mail.outbox_dir {
                r.settings.mail.outbox_dir =
                    r.data_dir.join("outbox").to_string_lossy().to_string();
            }
            let backend = match store.backend() {
                village_store::Backend::Sqlite => "SQLite",
                village_store::Backend::Postgres => "PostgreSQL",
            };
            let state = village_app::App::new(store.clone(), r.settings)?;
            let stop = shutdown_signal();
            println!("Village is running at http://{address} (database: {backend}). Press Ctrl-C to stop.");
            village_web::serve(listener, state, stop).await?;
            store.close().await;
            println!("Village has stopped.");
        }
        Command::Migrate { place } => {
            let r = resolve(&place, None)?;
            open(&r).await?.close().await;
            println!("The database is up to date.");
        }
        Command::Demo { place } => {
            let r = resolve(&place, None)?;
            let store = open(&r).await?;
            let added = village_app::demo::load(&store, now)
                .await
                .map_err(|e| anyhow::anyhow!("cannot load the demo: {e}"))?;
            println!("Demo neighbourhood loaded ({added}).");
        }
        Command::User { command } => match command {
            UserCommand::Create {
                email,
                role,
                name,
                password_file,
                place,
            } => {
                let role: Role =
                    role.parse()
                        .map_err(|e: village_domain::accounts::FieldError| {
                            anyhow::anyhow!(e.message)
                        })?;
                let r = resolve(&place, None)?;
                let store = open(&r).await?;
                let name =
                    name.unwrap_or_else(|| email.split('@').next().unwrap_or("Admin").to_string());
                let password = read_password(password_file.as_deref())?;
                let id = village_app::accounts::create_account(
                    &store, &email, &name, &password, role, now,
                )
                .await
                .map_err(|e| anyhow::anyhow!("cannot make the account: {e}"))?;
                println!("Made account {id} for {email} as {role}.");
            }
            UserCommand::SetRole { email, role, place } => {
                let role: Role =
                    role.parse()
                        .map_err(|e: village_domain::accounts::FieldError| {
                            anyhow::anyhow!(e.message)
                        })?;
                let r = resolve(&place, None)?;
                let store = open(&r).await?;
                match village_app::accounts::set_role_by_email(&store, &email, role, now).await {
                    Ok(()) => {}
                    Err(village_app::Error::NotFound(_)) => {
                        bail!("there is no account with the email address {email}")
                    }
                    Err(e) => bail!("cannot change the role: {e}"),
                }
                println!("{email} is now {role}.");
            }
        },
        Command::Import {
            command:
                ImportCommand::Oruk {
                    path,
                    skip_invalid,
                    place,
                },
        } => {
            let r = resolve(&place, None)?;
            let store = open(&r).await?;
            let bar = progress_bar();
            let report = village_app::directory::import::import_oruk(
                &store,
                &path,
                skip_invalid,
                now,
                &mut |done, total| show_progress(&bar, done, total),
            )
            .await?;
            say_services_imported(&bar, &report, &r.data_dir, now)?;
        }
        Command::Import {
            command:
                ImportCommand::HsdsCsv {
                    dir,
                    skip_invalid,
                    place,
                },
        } => {
            let r = resolve(&place, None)?;
            let store = open(&r).await?;
            let bar = progress_bar();
            let report = village_app::directory::hsds_csv::import_hsds_csv(
                &store,
                &dir,
                skip_invalid,
                now,
                &mut |done, total| show_progress(&bar, done, total),
            )
            .await?;
            say_services_imported(&bar, &report, &r.data_dir, now)?;
        }
        Command::Import {
            command:
                ImportCommand::Postcodes {
                    file,
                    skip_invalid,
                    place,
                },
        } => {
            let r = resolve(&place, None)?;
            let store = open(&r).await?;
            let bar = progress_bar();
            let mut progress = |done: u64, total: u64| {
                bar.set_length(total);
                bar.set_position(done);
            };
            let report = village_app::directory::import::import_postcodes(
                &store,
                &file,
                skip_invalid,
                &mut progress,
            )
            .await?;
            bar.finish_and_clear();
            finish_import(&report, &r.data_dir, now)?;
            println!(
                "Imported {} postcode(s), with {} warning(s).",
                report.imported,
                report.warnings.len()
            );
        }
        Command::Export {
            command: ExportCommand::Oruk { dir, place },
        } => {
            let r = resolve(&place, None)?;
            let store = open(&r).await?;
            let n = village_app::directory::import::export_oruk(&store, &dir).await?;
            println!("Exported {n} service(s) to {}.", dir.display());
        }
        Command::Backup { file, place } => {
            let r = resolve(&place, None)?;
            let store = open(&r).await?;
            store.backup(&file).await?;
            println!("Backed up to {}.", file.display());
        }
    }
    Ok(())
}

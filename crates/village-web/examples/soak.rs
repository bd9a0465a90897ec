//! The load of `bench/soak`: members of the demo hub at `BASE` reading pages, searching,
//! saving their profile, taking stances and asking for introductions, at a steady RATE
//! requests a second for SECONDS, open loop (each request is sent when it is due, whether or
//! not earlier ones have been answered, and timed from when it was due). Every ten seconds it
//! prints the last ten seconds, then at the end each kind of request (count, errors, p50, p99,
//! slowest), every error seen, and the memory of the server processes named in PIDS.
//!
//!   cargo run --release -p village-web --example soak -- BASE RATE SECONDS [PIDS] [MEMBERS]
//!
//! PIDS is a comma-separated list of `village serve` process ids (on this machine) whose
//! resident memory is read from /proc every ten seconds. MEMBERS (20) demo members take part.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PASSWORD: &str = "meadowfield-demo-2026";
const ADMIN: &str = "admin@meadowfield.example";
const WORDS: [&str; 8] = [
    "community",
    "walk",
    "garden",
    "choir",
    "lunch",
    "support",
    "art",
    "coffee",
];

/// One signed-in member: their own connection pool and cookie jar.
struct Member {
    client: Client,
    jar: Arc<Jar>,
    base: String,
    /// The introduction this member has open, and its step, so asks never collide.
    introduction: tokio::sync::Mutex<Intro>,
}

#[derive(Default)]
struct Intro {
    next_offer: usize,
    open: Option<(i64, bool)>, // (id, sent)
}

impl Member {
    async fn sign_in(base: &str, email: &str) -> Member {
        let jar = Arc::new(Jar::default());
        let client = Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .pool_max_idle_per_host(64)
            .build()
            .unwrap();
        let page = client
            .get(format!("{base}/sign-in"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = village_testkit::extract_csrf(&page);
        let r = client
            .post(format!("{base}/sign-in"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("email", email),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "signing in as {email}");
        Member {
            client,
            jar,
            base: base.to_string(),
            introduction: tokio::sync::Mutex::new(Intro::default()),
        }
    }

    fn csrf(&self) -> String {
        let url = self.base.parse().unwrap();
        let cookies = self.jar.cookies(&url).unwrap();
        cookies
            .to_str()
            .unwrap()
            .split("; ")
            .find_map(|c| c.strip_prefix("village_csrf="))
            .unwrap()
            .to_string()
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<(StatusCode, Value), String> {
        let mut request = self
            .client
            .request(method.clone(), format!("{}{path}", self.base));
        if method != Method::GET {
            request = request.header("x-csrf-token", self.csrf());
        }
        if let Some(b) = body {
            request = request.json(&b);
        }
        let r = request.send().await.map_err(|e| format!("{path}: {e}"))?;
        let status = r.status();
        let text = r.text().await.map_err(|e| format!("{path}: {e}"))?;
        Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
    }
}

/// What the load asks for, in proportion: 40 page reads, 20 searches, 15 profile saves, 15
/// stances, 10 introduction steps in every 100 requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Page,
    Search,
    Profile,
    Stance,
    Introduction,
}

const MIX: [(Kind, usize); 5] = [
    (Kind::Page, 40),
    (Kind::Search, 20),
    (Kind::Profile, 15),
    (Kind::Stance, 15),
    (Kind::Introduction, 10),
];

struct World {
    members: Vec<Member>,
    offers: Vec<String>,
    postcode: String,
    space: i64,
    proposal: i64,
}

#[derive(Default)]
struct Tally {
    /// Microseconds from when each request was due to its answer, by kind.
    latencies: BTreeMap<Kind, Vec<u64>>,
    errors: BTreeMap<Kind, u64>,
    seen: BTreeMap<String, u64>,
    window: Vec<u64>,
    window_errors: u64,
}

impl Tally {
    fn add(&mut self, kind: Kind, micros: u64, problem: Option<String>) {
        self.latencies.entry(kind).or_default().push(micros);
        self.window.push(micros);
        if let Some(p) = problem {
            *self.errors.entry(kind).or_default() += 1;
            *self.seen.entry(p).or_default() += 1;
            self.window_errors += 1;
        }
    }
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i] as f64 / 1000.0
}

fn rss_mb(pid: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// One request of `kind` by member `m`; `None` when it was answered as expected.
async fn one(world: &World, kind: Kind, m: usize, n: u64) -> Option<String> {
    let member = &world.members[m];
    let word = WORDS[(n as usize / 7) % WORDS.len()];
    let offer = &world.offers[(n as usize / 3) % world.offers.len()];
    let expect = |what: &str, got: Result<(StatusCode, Value), String>, ok: &[u16]| match got {
        Ok((s, _)) if ok.contains(&s.as_u16()) => None,
        Ok((s, body)) => Some(format!(
            "{what}: {} {}",
            s.as_u16(),
            body["error"]["code"].as_str().unwrap_or("")
        )),
        Err(e) => Some(format!("{what}: {e}")),
    };
    match kind {
        Kind::Page => {
            let path = match n % 8 {
                0 => "/".to_string(),
                1 => "/me/profile".to_string(),
                2 => "/me/circle".to_string(),
                3 => "/directory".to_string(),
                4 => format!("/directory/offers/{offer}"),
                5 => format!("/spaces/{}", world.space),
                6 => format!("/proposals/{}", world.proposal),
                _ => "/me/ideas".to_string(),
            };
            let got = member.call(Method::GET, &path, None).await;
            expect(&format!("GET {path}"), got, &[200])
        }
        Kind::Search => {
            let path = match n % 3 {
                0 => format!("/directory?q={word}"),
                1 => format!(
                    "/directory?q={word}&postcode={}&within=5",
                    world.postcode.replace(' ', "+")
                ),
                _ => format!("/oruk/services?search={word}"),
            };
            let got = member.call(Method::GET, &path, None).await;
            expect("search", got, &[200])
        }
        Kind::Profile => {
            let body = json!({"story": {"text": format!("Saved by the soak, request {n}."), "visibility": "circle"}});
            let got = member
                .call(Method::PUT, "/api/v1/me/profile", Some(body))
                .await;
            expect("PUT /api/v1/me/profile", got, &[200])
        }
        Kind::Stance => {
            let stance = ["agree", "abstain", "disagree"][n as usize % 3];
            let body = json!({"stance": stance, "reason": format!("Reason {n} from the soak.")});
            let path = format!("/api/v1/proposals/{}/stance", world.proposal);
            let got = member.call(Method::PUT, &path, Some(body)).await;
            expect("PUT stance", got, &[200])
        }
        Kind::Introduction => {
            // Each member asks for an introduction, sends it, withdraws it, and asks again.
            let mut intro = member.introduction.lock().await;
            match intro.open {
                None => {
                    let offer = world.offers[intro.next_offer % world.offers.len()].clone();
                    intro.next_offer += 1;
                    let got = member
                        .call(
                            Method::POST,
                            "/api/v1/introductions",
                            Some(json!({"offer_id": offer, "message": "Hello from the soak."})),
                        )
                        .await;
                    if let Ok((s, body)) = &got {
                        if s.as_u16() == 201 {
                            intro.open = body["id"].as_i64().map(|id| (id, false));
                        } else if body["error"]["code"] == "already_introduced" {
                            // The demo member has one in progress for this offer already:
                            // the hub's answer is right, and the next ask is for another.
                            return None;
                        }
                    }
                    expect("ask for an introduction", got, &[201])
                }
                Some((id, sent)) => {
                    let action = if sent { "withdraw" } else { "send" };
                    let got = member
                        .call(
                            Method::POST,
                            &format!("/api/v1/introductions/{id}/{action}"),
                            None,
                        )
                        .await;
                    if matches!(&got, Ok((s, _)) if s.is_success()) {
                        intro.open = if sent { None } else { Some((id, true)) };
                    }
                    expect(&format!("{action} an introduction"), got, &[200])
                }
            }
        }
    }
}

async fn set_up(base: &str, wanted: usize) -> World {
    let admin = Member::sign_in(base, ADMIN).await;
    let (_, people) = admin
        .call(
            Method::GET,
            "/api/v1/admin/users?role=member&per_page=200",
            None,
        )
        .await
        .unwrap();
    let emails: Vec<String> = people["people"]
        .as_array()
        .expect("the list of members")
        .iter()
        .filter_map(|p| p["email"].as_str().map(str::to_string))
        .take(wanted)
        .collect();
    let mut members = Vec::new();
    for e in &emails {
        members.push(Member::sign_in(base, e).await);
    }
    let (_, services) = admin
        .call(Method::GET, "/oruk/services?per_page=50", None)
        .await
        .unwrap();
    let offers: Vec<String> = services["contents"]
        .as_array()
        .expect("the directory's offers")
        .iter()
        .filter_map(|s| s["id"].as_str().map(str::to_string))
        .collect();
    let (_, places) = admin
        .call(Method::GET, "/oruk/service_at_locations?per_page=5", None)
        .await
        .unwrap();
    let postcode = places
        .to_string()
        .split("\"postal_code\":\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a postcode where the directory has places")
        .to_string();
    let first = &members[0];
    let (s, space) = first
        .call(
            Method::POST,
            "/api/v1/spaces",
            Some(json!({"name": "Soak board", "min_lived_share": 0, "min_lived_count": 0, "open": true})),
        )
        .await
        .unwrap();
    assert_eq!(s.as_u16(), 201, "{space}");
    let space = space["id"].as_i64().unwrap();
    let (s, proposal) = first
        .call(
            Method::POST,
            &format!("/api/v1/spaces/{space}/proposals"),
            Some(json!({"title": "Keep the hub steady", "body": "Many people at once, and nobody waits."})),
        )
        .await
        .unwrap();
    assert_eq!(s.as_u16(), 201, "{proposal}");
    for m in &members[1..] {
        let (s, _) = m
            .call(Method::POST, &format!("/api/v1/spaces/{space}/join"), None)
            .await
            .unwrap();
        assert_eq!(s.as_u16(), 204);
    }
    World {
        members,
        offers,
        postcode,
        space,
        proposal: proposal["id"].as_i64().unwrap(),
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: soak BASE RATE SECONDS [PIDS] [MEMBERS]");
        std::process::exit(2);
    }
    let base = args[1].trim_end_matches('/').to_string();
    let rate: u64 = args[2].parse().expect("RATE is requests a second");
    let seconds: u64 = args[3].parse().expect("SECONDS");
    let pids: Vec<String> = args
        .get(4)
        .map(|p| {
            p.split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let wanted: usize = args.get(5).and_then(|m| m.parse().ok()).unwrap_or(20);

    let world = Arc::new(set_up(&base, wanted).await);
    println!(
        "{} members, {} offers, searching near {}; {rate} requests a second for {seconds} s",
        world.members.len(),
        world.offers.len(),
        world.postcode
    );
    let pattern: Vec<Kind> = MIX
        .iter()
        .flat_map(|(k, w)| std::iter::repeat_n(*k, *w))
        .collect();
    let tally = Arc::new(Mutex::new(Tally::default()));
    let in_flight = Arc::new(AtomicU64::new(0));
    let mut memory: Vec<Vec<f64>> = vec![Vec::new(); pids.len()];
    let sample = |memory: &mut Vec<Vec<f64>>| {
        for (i, pid) in pids.iter().enumerate() {
            memory[i].push(rss_mb(pid).unwrap_or(0.0));
        }
    };
    sample(&mut memory);

    let start = Instant::now();
    let total = rate * seconds;
    let mut ticks = tokio::time::interval(Duration::from_nanos(1_000_000_000 / rate));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut most_in_flight = 0;
    for n in 0..total {
        let due = ticks.tick().await;
        // Spread the kinds and members so that no member or kind comes in bursts.
        let kind = pattern[(n as usize * 37) % pattern.len()];
        let member = (n as usize) % world.members.len();
        let (w, t, f) = (world.clone(), tally.clone(), in_flight.clone());
        most_in_flight = most_in_flight.max(f.fetch_add(1, Ordering::Relaxed) + 1);
        tokio::spawn(async move {
            let problem = one(&w, kind, member, n).await;
            let micros = due.elapsed().as_micros() as u64;
            t.lock().unwrap().add(kind, micros, problem);
            f.fetch_sub(1, Ordering::Relaxed);
        });
        if (n + 1) % (rate * 10) == 0 {
            sample(&mut memory);
            let mut t = tally.lock().unwrap();
            let mut window = std::mem::take(&mut t.window);
            window.sort_unstable();
            let mem: Vec<String> = memory
                .iter()
                .map(|m| format!("{:.0}", m.last().copied().unwrap_or(0.0)))
                .collect();
            println!(
                "{:>4.0} s  {:>6} answered  {:>3} errors  p50 {:>6.1} ms  p99 {:>6.1} ms  memory {} MB",
                start.elapsed().as_secs_f64(),
                window.len(),
                std::mem::take(&mut t.window_errors),
                percentile(&window, 0.50),
                percentile(&window, 0.99),
                mem.join(" + ")
            );
        }
    }
    let sent_for = start.elapsed();
    while in_flight.load(Ordering::Relaxed) > 0
        && start.elapsed() < sent_for + Duration::from_secs(15)
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let unanswered = in_flight.load(Ordering::Relaxed);
    sample(&mut memory);

    let t = tally.lock().unwrap();
    println!(
        "\n{total} requests due in {seconds} s, sent over {:.1} s ({:.1} a second), at most {most_in_flight} in flight, {unanswered} unanswered",
        sent_for.as_secs_f64(),
        total as f64 / sent_for.as_secs_f64()
    );
    println!(
        "{:<14} {:>8} {:>7} {:>9} {:>9} {:>10}",
        "kind", "requests", "errors", "p50 ms", "p99 ms", "slowest ms"
    );
    let mut all = Vec::new();
    let mut errors = unanswered;
    for (kind, lat) in &t.latencies {
        let mut lat = lat.clone();
        lat.sort_unstable();
        let e = t.errors.get(kind).copied().unwrap_or(0);
        errors += e;
        println!(
            "{:<14} {:>8} {:>7} {:>9.1} {:>9.1} {:>10.1}",
            format!("{kind:?}").to_lowercase(),
            lat.len(),
            e,
            percentile(&lat, 0.50),
            percentile(&lat, 0.99),
            percentile(&lat, 1.0)
        );
        all.extend(lat);
    }
    all.sort_unstable();
    let p99 = percentile(&all, 0.99);
    println!(
        "{:<14} {:>8} {:>7} {:>9.1} {:>9.1} {:>10.1}",
        "all",
        all.len(),
        errors,
        percentile(&all, 0.50),
        p99,
        percentile(&all, 1.0)
    );
    for (problem, count) in &t.seen {
        println!("  error ×{count}: {problem}");
    }
    for (i, pid) in pids.iter().enumerate() {
        let m = &memory[i];
        // The first minute warms caches and pools; "flat" is judged from then to the end.
        let warm = m.get(7).or(m.last()).copied().unwrap_or(0.0);
        let end = m.last().copied().unwrap_or(0.0);
        let peak = m.iter().copied().fold(0.0, f64::max);
        println!(
            "memory of process {pid}: {:.0} MB at the start, {warm:.0} MB after the first minute, {end:.0} MB at the end (peak {peak:.0} MB)",
            m.first().copied().unwrap_or(0.0)
        );
    }
    println!(
        "targets: 0 errors: {}; p99 under 100 ms: {} ({p99:.1} ms)",
        if errors == 0 { "met" } else { "NOT met" },
        if p99 < 100.0 { "met" } else { "NOT met" }
    );
}

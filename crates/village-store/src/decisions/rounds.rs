//! Participatory budgeting: funding rounds, bids, ballots and paper ballots.

use super::*;

// ---- Participatory budgeting ------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RoundRow {
    pub id: i64,
    pub name: String,
    pub about: String,
    pub space_id: Option<i64>,
    pub pot_pence: i64,
    pub max_bid_pence: i64,
    #[sqlx(try_from = "String")]
    pub method: village_domain::decisions::budget::Method,
    #[sqlx(try_from = "String")]
    pub phase: village_domain::decisions::budget::Phase,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub phase_at: i64,
    pub results: Option<String>,
    pub results_at: Option<i64>,
}

pub struct NewRound<'a> {
    pub name: &'a str,
    pub about: &'a str,
    pub space_id: Option<i64>,
    pub pot_pence: i64,
    pub max_bid_pence: i64,
    pub method: &'a str,
}

pub(super) const ROUND_SELECT: &str =
    "SELECT id, name, about, space_id, pot_pence, max_bid_pence, method, phase, \
    created_by, created_at, phase_at, results, results_at FROM rounds";

pub async fn create_round(
    db: &mut impl Db,
    r: &NewRound<'_>,
    creator: i64,
    now: Timestamp,
) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO rounds (name, about, space_id, pot_pence, max_bid_pence, method, phase, created_by, created_at, phase_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'ideas', $7, $8, $8) RETURNING id",
    )
    .bind(r.name)
    .bind(r.about)
    .bind(r.space_id)
    .bind(r.pot_pence)
    .bind(r.max_bid_pence)
    .bind(r.method)
    .bind(creator)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?)
}

pub async fn round(db: &mut impl Db, id: i64) -> Result<Option<RoundRow>> {
    let sql = format!("{ROUND_SELECT} WHERE id = $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// Every round, newest first.
pub async fn rounds(db: &mut impl Db) -> Result<Vec<RoundRow>> {
    let sql = format!("{ROUND_SELECT} ORDER BY id DESC");
    Ok(query!(db, c => sqlx::query_as(&sql).fetch_all(&mut *c).await)?)
}

/// Move a round on, only from the phase the caller checked. False if it had moved meanwhile.
/// Results, when given, are published with the move.
pub async fn set_phase(
    db: &mut impl Db,
    id: i64,
    from: &str,
    to: &str,
    results: Option<&str>,
    now: Timestamp,
) -> Result<bool> {
    Ok(query!(db, c => sqlx::query(
        "UPDATE rounds SET phase = $3, phase_at = $4, \
         results = COALESCE($5, results), results_at = CASE WHEN $5 IS NULL THEN results_at ELSE $4 END \
         WHERE id = $1 AND phase = $2",
    )
    .bind(id)
    .bind(from)
    .bind(to)
    .bind(now)
    .bind(results)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected() > 0))?)
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct IdeaRow {
    pub id: i64,
    pub name: Option<String>,
    pub title: String,
    pub body: String,
    pub created_at: i64,
}

pub async fn ideas(db: &mut impl Db, round_id: i64) -> Result<Vec<IdeaRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT i.id, u.display_name AS name, i.title, i.body, i.created_at FROM round_ideas i \
         LEFT JOIN users u ON u.id = i.user_id WHERE i.round_id = $1 ORDER BY i.id",
    )
    .bind(round_id)
    .fetch_all(&mut *c)
    .await)?)
}

pub async fn add_idea(
    db: &mut impl Db,
    round_id: i64,
    user_id: i64,
    title: &str,
    body: &str,
    now: Timestamp,
) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO round_ideas (round_id, user_id, title, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(round_id)
    .bind(user_id)
    .bind(title)
    .bind(body)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?)
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct BidRow {
    pub id: i64,
    pub round_id: i64,
    pub title: String,
    pub summary: String,
    pub for_whom: String,
    pub amount_pence: i64,
    pub group_name: String,
    pub group_id: Option<String>,
    pub charity_number: Option<String>,
    pub submitted_by: Option<i64>,
    pub created_at: i64,
    pub check_status: String,
    pub check_reason: String,
    pub checked_by_name: Option<String>,
    pub checked_at: Option<i64>,
}

pub struct NewBid<'a> {
    pub round_id: i64,
    pub title: &'a str,
    pub summary: &'a str,
    pub for_whom: &'a str,
    pub amount_pence: i64,
    pub group_name: &'a str,
    pub group_id: Option<&'a str>,
    pub charity_number: Option<&'a str>,
}

pub(super) const BID_SELECT: &str = "SELECT b.id, b.round_id, b.title, b.summary, b.for_whom, b.amount_pence, \
    b.group_name, b.group_id, b.charity_number, b.submitted_by, b.created_at, b.check_status, \
    b.check_reason, u.display_name AS checked_by_name, b.checked_at FROM bids b LEFT JOIN users u ON u.id = b.checked_by";

pub async fn create_bid(db: &mut impl Db, b: &NewBid<'_>, by: i64, now: Timestamp) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO bids (round_id, title, summary, for_whom, amount_pence, group_name, group_id, charity_number, submitted_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(b.round_id)
    .bind(b.title)
    .bind(b.summary)
    .bind(b.for_whom)
    .bind(b.amount_pence)
    .bind(b.group_name)
    .bind(b.group_id)
    .bind(b.charity_number)
    .bind(by)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?)
}

/// A round's bids, in the order they came in.
pub async fn bids(db: &mut impl Db, round_id: i64) -> Result<Vec<BidRow>> {
    let sql = format!("{BID_SELECT} WHERE b.round_id = $1 ORDER BY b.id");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(round_id).fetch_all(&mut *c).await)?)
}

pub async fn bid(db: &mut impl Db, id: i64) -> Result<Option<BidRow>> {
    let sql = format!("{BID_SELECT} WHERE b.id = $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// Record a steward's check of a bid.
pub async fn check_bid(
    db: &mut impl Db,
    bid_id: i64,
    status: &str,
    reason: &str,
    by: i64,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "UPDATE bids SET check_status = $2, check_reason = $3, checked_by = $4, checked_at = $5 WHERE id = $1",
    )
    .bind(bid_id)
    .bind(status)
    .bind(reason)
    .bind(by)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// Put in or replace a member's ballot.
pub async fn put_ballot(
    db: &mut impl Db,
    round_id: i64,
    voter: i64,
    choices: &[i64],
    now: Timestamp,
) -> Result<i64> {
    let ballot: i64 = query!(db, c => sqlx::query_scalar(
        "INSERT INTO ballots (round_id, voter_id, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (round_id, voter_id) DO UPDATE SET updated_at = excluded.updated_at RETURNING id",
    )
    .bind(round_id)
    .bind(voter)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?;
    query!(db, c => sqlx::query("DELETE FROM ballot_choices WHERE ballot_id = $1")
        .bind(ballot)
        .execute(&mut *c)
        .await
        .map(|_| ()))?;
    insert_choices(db, round_id, &[(ballot, choices.to_vec())]).await?;
    Ok(ballot)
}

pub(super) async fn insert_choices(
    db: &mut impl Db,
    round_id: i64,
    rows: &[(i64, Vec<i64>)],
) -> Result<()> {
    let pairs: Vec<(i64, i64)> = rows
        .iter()
        .flat_map(|(b, choices)| choices.iter().map(move |c| (*b, *c)))
        .collect();
    // At most 300 rows (900 values) a statement: inside both backends' limits.
    for chunk in pairs.chunks(300) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, $1, ${})", 2 * i + 2, 2 * i + 3))
            .collect();
        let sql = format!(
            "INSERT INTO ballot_choices (ballot_id, round_id, bid_id) VALUES {}",
            values.join(", ")
        );
        query!(db, c => {
            let mut q = sqlx::query(&sql).bind(round_id);
            for (ballot, bid) in chunk {
                q = q.bind(*ballot).bind(*bid);
            }
            q.execute(&mut *c).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Many ballots at once, each from a different voter (tests and benchmarks load rounds with
/// thousands of ballots this way).
pub async fn put_ballots(
    db: &mut impl Db,
    round_id: i64,
    ballots: &[(i64, Vec<i64>)],
    now: Timestamp,
) -> Result<()> {
    for chunk in ballots.chunks(500) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("($1, ${}, $2)", i + 3))
            .collect();
        let sql = format!(
            "INSERT INTO ballots (round_id, voter_id, updated_at) VALUES {} RETURNING id, voter_id",
            values.join(", ")
        );
        let ids: Vec<(i64, Option<i64>)> = query!(db, c => {
            let mut q = sqlx::query_as(&sql).bind(round_id).bind(now);
            for (voter, _) in chunk {
                q = q.bind(*voter);
            }
            q.fetch_all(&mut *c).await
        })?;
        let by_voter: BTreeMap<i64, i64> = ids
            .into_iter()
            .filter_map(|(id, voter)| voter.map(|v| (v, id)))
            .collect();
        let rows: Vec<(i64, Vec<i64>)> = chunk
            .iter()
            .filter_map(|(voter, choices)| by_voter.get(voter).map(|b| (*b, choices.clone())))
            .collect();
        insert_choices(db, round_id, &rows).await?;
    }
    Ok(())
}

/// The member's own ballot in a round, if they have put one in.
pub async fn ballot_of(db: &mut impl Db, round_id: i64, voter: i64) -> Result<Option<Vec<i64>>> {
    let id: Option<i64> = query!(db, c => sqlx::query_scalar(
        "SELECT id FROM ballots WHERE round_id = $1 AND voter_id = $2",
    )
    .bind(round_id)
    .bind(voter)
    .fetch_optional(&mut *c)
    .await)?;
    let Some(id) = id else { return Ok(None) };
    Ok(Some(query!(db, c => sqlx::query_scalar(
        "SELECT bid_id FROM ballot_choices WHERE ballot_id = $1 ORDER BY bid_id",
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await)?))
}

/// Votes for each bid from online ballots, and how many ballots there are.
pub async fn count_votes(db: &mut impl Db, round_id: i64) -> Result<(BTreeMap<i64, u64>, u64)> {
    let rows: Vec<(i64, i64)> = query!(db, c => sqlx::query_as(
        "SELECT bid_id, COUNT(*) FROM ballot_choices WHERE round_id = $1 GROUP BY bid_id",
    )
    .bind(round_id)
    .fetch_all(&mut *c)
    .await)?;
    let ballots: i64 = query!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM ballots WHERE round_id = $1")
        .bind(round_id)
        .fetch_one(&mut *c)
        .await)?;
    Ok((
        rows.into_iter()
            .map(|(b, n)| (b, u64::try_from(n).unwrap_or(0)))
            .collect(),
        u64::try_from(ballots).unwrap_or(0),
    ))
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PaperEntryRow {
    pub paper: String,
    pub entry: i64,
    pub steward_id: Option<i64>,
    pub steward_name: Option<String>,
    pub choices: String,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PaperResolutionRow {
    pub paper: String,
    pub choices: String,
    pub by_name: Option<String>,
    pub note: String,
    pub at: i64,
}

pub async fn paper_entries(db: &mut impl Db, round_id: i64) -> Result<Vec<PaperEntryRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT e.paper, e.entry, e.steward_id, u.display_name AS steward_name, e.choices, e.at FROM paper_entries e \
         LEFT JOIN users u ON u.id = e.steward_id WHERE e.round_id = $1 ORDER BY e.paper, e.entry",
    )
    .bind(round_id)
    .fetch_all(&mut *c)
    .await)?)
}

pub async fn paper_resolutions(db: &mut impl Db, round_id: i64) -> Result<Vec<PaperResolutionRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT r.paper, r.choices, u.display_name AS by_name, r.note, r.at FROM paper_resolutions r \
         LEFT JOIN users u ON u.id = r.by_id WHERE r.round_id = $1 ORDER BY r.paper",
    )
    .bind(round_id)
    .fetch_all(&mut *c)
    .await)?)
}

/// Type in a paper ballot as entry 1 or 2. Errors with a conflict if that entry exists.
pub async fn add_paper_entry(
    db: &mut impl Db,
    round_id: i64,
    paper: &str,
    entry: i64,
    steward: i64,
    choices: &str,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO paper_entries (round_id, paper, entry, steward_id, choices, at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(round_id)
    .bind(paper)
    .bind(entry)
    .bind(steward)
    .bind(choices)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|_| ()))
    .map_err(|e: sqlx::Error| crate::StoreError::from(e).unique_as("paper"))?;
    Ok(())
}

pub async fn resolve_paper(
    db: &mut impl Db,
    round_id: i64,
    paper: &str,
    choices: &str,
    by: i64,
    note: &str,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO paper_resolutions (round_id, paper, choices, by_id, note, at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (round_id, paper) DO UPDATE SET choices = excluded.choices, by_id = excluded.by_id, note = excluded.note, at = excluded.at",
    )
    .bind(round_id)
    .bind(paper)
    .bind(choices)
    .bind(by)
    .bind(note)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DeliveryRow {
    pub id: i64,
    pub bid_id: i64,
    pub by_name: Option<String>,
    pub body: String,
    pub at: i64,
}

pub async fn delivery_updates(db: &mut impl Db, round_id: i64) -> Result<Vec<DeliveryRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT d.id, d.bid_id, u.display_name AS by_name, d.body, d.at FROM delivery_updates d \
         JOIN bids b ON b.id = d.bid_id LEFT JOIN users u ON u.id = d.by_id WHERE b.round_id = $1 ORDER BY d.id",
    )
    .bind(round_id)
    .fetch_all(&mut *c)
    .await)?)
}

pub async fn add_delivery_update(
    db: &mut impl Db,
    bid_id: i64,
    by: i64,
    body: &str,
    now: Timestamp,
) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO delivery_updates (bid_id, by_id, body, at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(bid_id)
    .bind(by)
    .bind(body)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?)
}

/// When a person is forgotten: their voice leaves what is still open (stances on open
/// proposals, ballots in rounds still voting, comments); what was decided keeps their stance
/// and reason, unnamed, because a decision's published dissent must not change afterwards.
pub async fn forget(db: &mut impl Db, user_id: i64) -> Result<()> {
    for sql in [
        "DELETE FROM stances WHERE user_id = $1 AND proposal_id IN (SELECT id FROM proposals WHERE closed_at IS NULL)",
        "DELETE FROM ballots WHERE voter_id = $1 AND round_id IN (SELECT id FROM rounds WHERE phase IN ('ideas', 'bids', 'checks', 'voting'))",
        "DELETE FROM proposal_comments WHERE user_id = $1",
        "DELETE FROM round_ideas WHERE user_id = $1",
    ] {
        query!(db, c => sqlx::query(sql).bind(user_id).execute(&mut *c).await.map(|_| ()))?;
    }
    Ok(())
}

//! Time credits: exchanges recorded in a match and answered by the other person, and the
//! ledger, where every transfer is two entries adding up to nothing and nothing is changed
//! once written (the schema's triggers refuse it).

use super::*;
use village_domain::mutual_aid::credits::ExchangeState;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExchangeRow {
    pub id: i64,
    pub match_id: Option<i64>,
    pub giver_id: Option<i64>,
    pub giver_name: Option<String>,
    pub receiver_id: Option<i64>,
    pub receiver_name: Option<String>,
    pub minutes: i64,
    pub note: String,
    pub recorded_by: Option<i64>,
    #[sqlx(try_from = "String")]
    pub state: ExchangeState,
    pub recorded_at: i64,
    pub answered_at: Option<i64>,
    pub posted_by_itself: bool,
    /// One of the two asked a coordinator to take it back: who (while a member), when, why.
    pub take_back_asked_by: Option<i64>,
    pub take_back_asked_at: Option<i64>,
    pub take_back_why: String,
    /// A coordinator kept it after that asking (it was right).
    pub take_back_kept_at: Option<i64>,
}

impl ExchangeRow {
    /// The other of the two, for one of them: their id and name (`None` once forgotten).
    pub fn other_than(&self, me: i64) -> (Option<i64>, Option<&str>) {
        if self.giver_id == Some(me) {
            (self.receiver_id, self.receiver_name.as_deref())
        } else {
            (self.giver_id, self.giver_name.as_deref())
        }
    }

    /// Someone asked for this added time to be taken back, and no coordinator has answered.
    pub fn take_back_waiting(&self) -> bool {
        self.state == ExchangeState::Posted
            && self.take_back_asked_at.is_some()
            && self.take_back_kept_at.is_none()
    }
}

const EXCHANGE_SELECT: &str = "SELECT x.id, x.match_id, x.giver_id, g.display_name AS giver_name, x.receiver_id, \
    r.display_name AS receiver_name, x.minutes, x.note, x.recorded_by, x.state, x.recorded_at, x.answered_at, \
    x.posted_by_itself, x.take_back_asked_by, x.take_back_asked_at, x.take_back_why, x.take_back_kept_at \
    FROM help_exchanges x LEFT JOIN users g ON g.id = x.giver_id \
    LEFT JOIN users r ON r.id = x.receiver_id";

pub struct NewExchange<'a> {
    pub match_id: i64,
    pub giver_id: i64,
    pub receiver_id: i64,
    pub minutes: i64,
    pub note: &'a str,
    pub recorded_by: i64,
}

pub async fn create_exchange(db: &mut impl Db, x: &NewExchange<'_>, now: Timestamp) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO help_exchanges (match_id, giver_id, receiver_id, minutes, note, recorded_by, state, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'proposed', $7) RETURNING id",
    )
    .bind(x.match_id)
    .bind(x.giver_id)
    .bind(x.receiver_id)
    .bind(x.minutes)
    .bind(x.note)
    .bind(x.recorded_by)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?)
}

pub async fn exchange(db: &mut impl Db, id: i64) -> Result<Option<ExchangeRow>> {
    let sql = format!("{EXCHANGE_SELECT} WHERE x.id = $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

pub async fn exchanges_of_match(db: &mut impl Db, match_id: i64) -> Result<Vec<ExchangeRow>> {
    let sql = format!("{EXCHANGE_SELECT} WHERE x.match_id = $1 ORDER BY x.id");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(match_id).fetch_all(&mut *c).await)?)
}

/// Proposed exchanges recorded at or before `before`, oldest first (to post by themselves).
pub async fn waiting_exchanges(
    db: &mut impl Db,
    before: Timestamp,
    limit: i64,
) -> Result<Vec<ExchangeRow>> {
    let sql = format!(
        "{EXCHANGE_SELECT} WHERE x.state = 'proposed' AND x.recorded_at <= $1 ORDER BY x.recorded_at, x.id LIMIT $2"
    );
    Ok(query!(db, c => sqlx::query_as(&sql).bind(before).bind(limit).fetch_all(&mut *c).await)?)
}

/// Time others recorded with this member that waits for their answer, oldest first.
pub async fn exchanges_to_answer(db: &mut impl Db, user_id: i64) -> Result<Vec<ExchangeRow>> {
    let sql = format!(
        "{EXCHANGE_SELECT} WHERE x.state = 'proposed' AND (x.giver_id = $1 OR x.receiver_id = $1) \
         AND x.recorded_by <> $1 ORDER BY x.id"
    );
    Ok(query!(db, c => sqlx::query_as(&sql).bind(user_id).fetch_all(&mut *c).await)?)
}

/// Every exchange a member gave or received, newest first.
pub async fn exchanges_of_member(db: &mut impl Db, user_id: i64) -> Result<Vec<ExchangeRow>> {
    let sql =
        format!("{EXCHANGE_SELECT} WHERE x.giver_id = $1 OR x.receiver_id = $1 ORDER BY x.id DESC");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(user_id).fetch_all(&mut *c).await)?)
}

/// For coordinators: time the two did not agree on, oldest first.
pub async fn disputed_exchanges(db: &mut impl Db, limit: i64) -> Result<Vec<ExchangeRow>> {
    let sql = format!(
        "{EXCHANGE_SELECT} WHERE x.state = 'disputed' ORDER BY x.recorded_at, x.id LIMIT $1"
    );
    Ok(query!(db, c => sqlx::query_as(&sql).bind(limit).fetch_all(&mut *c).await)?)
}

/// For coordinators: added time one of the two asked to be taken back, not yet answered,
/// oldest asking first.
pub async fn take_back_asked(db: &mut impl Db, limit: i64) -> Result<Vec<ExchangeRow>> {
    let sql = format!(
        "{EXCHANGE_SELECT} WHERE x.take_back_asked_at IS NOT NULL AND x.state = 'posted' \
         AND x.take_back_kept_at IS NULL ORDER BY x.take_back_asked_at, x.id LIMIT $1"
    );
    Ok(query!(db, c => sqlx::query_as(&sql).bind(limit).fetch_all(&mut *c).await)?)
}

/// One of the two asks for added time to be taken back: only while it is added and nobody
/// asked before (false otherwise, as when someone asked at the same moment).
pub async fn ask_to_take_back(
    db: &mut impl Db,
    id: i64,
    by: i64,
    why: &str,
    now: Timestamp,
) -> Result<bool> {
    Ok(query!(db, c => sqlx::query(
        "UPDATE help_exchanges SET take_back_asked_by = $1, take_back_asked_at = $2, take_back_why = $3 \
         WHERE id = $4 AND state = 'posted' AND take_back_asked_at IS NULL",
    )
    .bind(by)
    .bind(now)
    .bind(why)
    .bind(id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?
        == 1)
}

/// A coordinator keeps added time someone asked to be taken back (false when it was taken
/// back or kept first).
pub async fn keep_after_asking(db: &mut impl Db, id: i64, by: i64, now: Timestamp) -> Result<bool> {
    Ok(query!(db, c => sqlx::query(
        "UPDATE help_exchanges SET take_back_kept_by = $1, take_back_kept_at = $2 \
         WHERE id = $3 AND state = 'posted' AND take_back_asked_at IS NOT NULL AND take_back_kept_at IS NULL",
    )
    .bind(by)
    .bind(now)
    .bind(id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?
        == 1)
}

/// Answer an exchange, only if it is still `from` (false when someone answered first).
pub async fn answer_exchange(
    db: &mut impl Db,
    id: i64,
    from: ExchangeState,
    to: ExchangeState,
    by: Option<i64>,
    by_itself: bool,
    now: Timestamp,
) -> Result<bool> {
    Ok(query!(db, c => sqlx::query(
        "UPDATE help_exchanges SET state = $1, answered_at = $2, answered_by = $3, posted_by_itself = $4 \
         WHERE id = $5 AND state = $6",
    )
    .bind(to.code())
    .bind(now)
    .bind(by)
    .bind(by_itself)
    .bind(id)
    .bind(from.code())
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?
        == 1)
}

/// Who holds an entry: a member, or the community pot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    Member(i64),
    Pot,
}

/// Hold these holders' balances until the transaction ends, so that transfers touching one
/// holder at the same moment are checked against the hub's limits one after the other. On
/// SQLite a transaction that writes already holds the whole database (`BEGIN IMMEDIATE`); on
/// PostgreSQL each holder is a transaction-scoped advisory lock, always taken in the same
/// order (so two transfers between the same two people never wait for each other for ever).
pub async fn hold_balances(db: &mut impl Db, holders: &[Holder]) -> Result<()> {
    if matches!(crate::Db::exec(db.as_db()), crate::Exec::Sqlite(_)) {
        return Ok(());
    }
    // "HELP" in the high half; the member's id (the pot is 0) in the low half. Two ids that
    // share a low half only wait for each other.
    const SPACE: i64 = 0x4845_4c50 << 32;
    let mut keys: Vec<i64> = holders
        .iter()
        .map(|h| match h {
            Holder::Member(id) => SPACE | (id & 0xffff_ffff),
            Holder::Pot => SPACE,
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        query!(db, c => sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(key)
            .execute(&mut *c)
            .await
            .map(|_| ()))?;
    }
    Ok(())
}

/// A holder's balance in minutes: the sum of their entries.
pub async fn balance(db: &mut impl Db, holder: Holder) -> Result<i64> {
    let sum: Option<i64> = match holder {
        Holder::Member(id) => query!(db, c => sqlx::query_scalar(
            "SELECT CAST(SUM(minutes) AS BIGINT) FROM help_ledger WHERE user_id = $1",
        )
        .bind(id)
        .fetch_one(&mut *c)
        .await)?,
        Holder::Pot => query!(db, c => sqlx::query_scalar(
            "SELECT CAST(SUM(minutes) AS BIGINT) FROM help_ledger WHERE pot",
        )
        .fetch_one(&mut *c)
        .await)?,
    };
    Ok(sum.unwrap_or(0))
}

/// Write one transfer: its two entries, `minutes` from `from` to `to`. The caller has checked
/// the limits inside the same transaction.
#[allow(clippy::too_many_arguments)]
pub async fn transfer(
    db: &mut impl Db,
    kind: &str,
    exchange_id: Option<i64>,
    from: Holder,
    to: Holder,
    minutes: i64,
    made_by: Option<i64>,
    now: Timestamp,
) -> Result<i64> {
    let id: i64 = query!(db, c => sqlx::query_scalar(
        "INSERT INTO help_transfers (kind, exchange_id, made_by, at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(kind)
    .bind(exchange_id)
    .bind(made_by)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?;
    for (holder, m) in [(from, -minutes), (to, minutes)] {
        let (user, pot) = match holder {
            Holder::Member(u) => (Some(u), false),
            Holder::Pot => (None, true),
        };
        query!(db, c => sqlx::query(
            "INSERT INTO help_ledger (transfer_id, user_id, pot, minutes, at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(user)
        .bind(pot)
        .bind(m)
        .bind(now)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(id)
}

/// Take back an exchange's transfer: a `reversal` transfer naming it, whose two entries are
/// its entries with the sign turned (a forgotten member's stays nameless), so every balance
/// is as before it and the hub still sums to nothing. `None` when the exchange has no
/// transfer. Once only: a second reversal of the same transfer is refused by the database.
pub async fn reverse_exchange(
    db: &mut impl Db,
    exchange_id: i64,
    made_by: Option<i64>,
    now: Timestamp,
) -> Result<Option<i64>> {
    let original: Option<i64> = query!(db, c => sqlx::query_scalar(
        "SELECT id FROM help_transfers WHERE exchange_id = $1 AND kind = 'exchange'",
    )
    .bind(exchange_id)
    .fetch_optional(&mut *c)
    .await)?;
    let Some(original) = original else {
        return Ok(None);
    };
    let id: i64 = query!(db, c => sqlx::query_scalar(
        "INSERT INTO help_transfers (kind, exchange_id, reverses, made_by, at) \
         VALUES ('reversal', $1, $2, $3, $4) RETURNING id",
    )
    .bind(exchange_id)
    .bind(original)
    .bind(made_by)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?;
    query!(db, c => sqlx::query(
        "INSERT INTO help_ledger (transfer_id, user_id, pot, minutes, at) \
         SELECT $1, user_id, pot, -minutes, $2 FROM help_ledger WHERE transfer_id = $3 ORDER BY id",
    )
    .bind(id)
    .bind(now)
    .bind(original)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(Some(id))
}

/// One entry of a member's time account, with the other side of its transfer.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EntryRow {
    pub id: i64,
    pub minutes: i64,
    pub kind: String,
    pub at: i64,
    /// The other side: a member's name, or none (the pot, or a former member).
    pub other_name: Option<String>,
    pub other_pot: bool,
    pub note: Option<String>,
}

/// A member's entries, newest first.
pub async fn entries_of(db: &mut impl Db, user_id: i64, limit: i64) -> Result<Vec<EntryRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT e.id, e.minutes, t.kind, e.at, u.display_name AS other_name, o.pot AS other_pot, x.note \
         FROM help_ledger e JOIN help_transfers t ON t.id = e.transfer_id \
         JOIN help_ledger o ON o.transfer_id = e.transfer_id AND o.id <> e.id \
         LEFT JOIN users u ON u.id = o.user_id LEFT JOIN help_exchanges x ON x.id = t.exchange_id \
         WHERE e.user_id = $1 ORDER BY e.id DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(&mut *c)
    .await)?)
}

/// Every entry of the hub added up (nothing, always).
pub async fn ledger_sum(db: &mut impl Db) -> Result<i64> {
    let sum: Option<i64> = query!(db, c => sqlx::query_scalar("SELECT CAST(SUM(minutes) AS BIGINT) FROM help_ledger")
        .fetch_one(&mut *c)
        .await)?;
    Ok(sum.unwrap_or(0))
}

//! One match: messages, the steps both take (those that end it asked first), and the
//! other's contact details once both said yes.

use super::*;

// ---- One match --------------------------------------------------------------------------

pub struct ActionItem {
    code: &'static str,
    label: &'static str,
    /// Ends the match: asked about first.
    confirm: bool,
}

#[derive(Template)]
#[template(path = "mutual_aid/match.html")]
struct MatchPage {
    layout: Layout,
    errors: Errors,
    id: i64,
    post_id: i64,
    state_words: &'static str,
    waiting_for_me: bool,
    waiting_for_them: bool,
    other_name: String,
    contact: Option<help::Contact>,
    shared: bool,
    messages: Vec<(String, String, String)>,
    can_message: bool,
    actions: Vec<ActionItem>,
    accept: bool,
    has_phone: bool,
    history: Vec<(String, String)>,
    in_home: bool,
    personal_care: bool,
    credits: bool,
    time: Vec<TimeItem>,
    can_record_time: bool,
    /// Why yes cannot be said yet: the helper lacks a safety check.
    safety_missing: Option<help::SafetyGap>,
    my_checks: String,
    brokered: bool,
}

pub struct TimeItem {
    id: i64,
    words: String,
    state: &'static str,
    answer: bool,
    /// Added, and nobody asked yet: either may ask a coordinator to take it back.
    may_ask_back: bool,
    /// Someone asked to take it back: where that stands.
    asked_back: Option<String>,
}

pub(super) async fn match_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    ip: &str,
    id: i64,
    notice: Option<&str>,
    errors: Errors,
) -> PageResult {
    let seen = help::view_match(state, identity, id, ip, now()).await?;
    let time = help::time_in_match(state, identity, id).await?;
    if seen.coordinating.is_some() {
        return super::coordinator_match_page(state, identity, csrf, seen, time, notice, errors);
    }
    let has_phone = !village_app::accounts::changes::phone(state, identity)
        .await?
        .is_empty();
    let row = &seen.row;
    let me = identity.user.id;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(pages::render(
        status,
        &MatchPage {
            layout: Layout::new(state, Some(identity), csrf, "/help", row.title.clone())
                .with_notice(notice),
            errors,
            id,
            post_id: row.post_id,
            state_words: row.state.words(),
            waiting_for_me: row.state == MatchState::Requested && seen.parties.poster,
            waiting_for_them: row.state == MatchState::Requested && !seen.parties.poster,
            other_name: seen.other_name.clone(),
            contact: seen.contact.clone(),
            shared: row.state.contact_shared(),
            messages: seen
                .messages
                .iter()
                .map(|m| (message_by(m, me), when(m.at), m.body.clone()))
                .collect(),
            can_message: row.state.open_to_messages(),
            accept: seen.actions.contains(&Action::Accept) && seen.safety_missing.is_none(),
            safety_missing: seen.safety_missing.clone(),
            my_checks: format!("/people/{me}/safety-marks"),
            brokered: state.settings.mutual_aid.mode == MatchMode::Brokered,
            actions: seen
                .actions
                .iter()
                .filter(|a| **a != Action::Accept)
                .map(|a| ActionItem {
                    code: a.code(),
                    label: a.words(),
                    confirm: *a != Action::Done,
                })
                .collect(),
            has_phone,
            history: seen
                .events
                .iter()
                .map(|e| {
                    let who = match &e.actor_name {
                        Some(_) if e.actor_id == Some(me) => "You".to_string(),
                        Some(n) if seen.contact.is_some() => n.clone(),
                        Some(n) => first_name(n),
                        None => "Someone".into(),
                    };
                    (when(e.at), event_words(e, who))
                })
                .collect(),
            in_home: seen.in_home,
            personal_care: seen.personal_care,
            credits: state.settings.mutual_aid.credits,
            can_record_time: state.settings.mutual_aid.credits && row.state == MatchState::Done,
            time: time
                .iter()
                .map(|x| {
                    let asker = if x.take_back_asked_by == Some(me) {
                        "You".to_string()
                    } else {
                        x.other_than(me)
                            .1
                            .map(first_name)
                            .unwrap_or_else(|| "Someone".into())
                    };
                    TimeItem {
                        id: x.id,
                        words: exchange_words(x, me),
                        state: x.state.words(),
                        answer: x.state == credits::ExchangeState::Proposed
                            && x.recorded_by != Some(me),
                        may_ask_back: x.state == credits::ExchangeState::Posted
                            && x.take_back_asked_at.is_none(),
                        asked_back: if x.take_back_waiting() {
                            Some(format!(
                                "{asker} asked a coordinator to take it back. A coordinator will look at it."
                            ))
                        } else if x.take_back_kept_at.is_some() {
                            Some(format!(
                                "{asker} asked for it to be taken back; a coordinator looked and kept it."
                            ))
                        } else {
                            None
                        },
                    }
                })
                .collect(),
        },
    ))
}

/// "Tom gave 1 hour 30 minutes to you": time given, as one of the two reads it.
pub(super) fn exchange_words(x: &village_store::mutual_aid::ExchangeRow, me: i64) -> String {
    let name = |n: &Option<String>, id: Option<i64>| {
        if id == Some(me) {
            "you".to_string()
        } else {
            n.as_deref()
                .map(first_name)
                .unwrap_or_else(|| "a former member".into())
        }
    };
    let words = format!(
        "{} gave {} to {}",
        name(&x.giver_name, x.giver_id),
        credits::minutes_words(x.minutes),
        name(&x.receiver_name, x.receiver_id)
    );
    match words.get(..1) {
        Some(first) => first.to_uppercase() + &words[1..],
        None => words,
    }
}

/// Who wrote a message: "You", their name, and who typed it in for them if a coordinator did.
pub(super) fn message_by(m: &village_store::mutual_aid::MessageRow, me: i64) -> String {
    let who = if m.author_id == me {
        "You".to_string()
    } else {
        m.author_name.clone()
    };
    match &m.typed_by_name {
        Some(by) => format!(
            "{who} ({})",
            help::proxy_words(Some(by), &m.author_name, m.agreed_how.as_deref())
        ),
        None => who,
    }
}

/// One line of a match's history, "Sam said yes for Grace, who agreed by phone" when a
/// coordinator took the step.
pub(super) fn event_words(e: &village_store::mutual_aid::MatchEventRow, who: String) -> String {
    let what = match e.action.as_str() {
        "respond" => "answered the post",
        "accept" => "said yes",
        "decline" => "said no, thank you",
        "done" => "said it happened",
        "didnt_happen" => "said it did not happen",
        "withdraw" => "withdrew",
        _ => "changed it",
    };
    match &e.for_name {
        Some(member) => {
            let how = e
                .agreed_how
                .as_deref()
                .and_then(village_domain::mutual_aid::matches::Agreed::parse)
                .map(|a| format!(", who agreed {}", a.words()))
                .unwrap_or_default();
            format!(
                "{who} (a coordinator) {what} for {}{how}",
                first_name(member)
            )
        }
        None => format!("{who} {what}"),
    }
}

pub(crate) async fn view_match(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    Query(q): Query<DoneParams>,
) -> PageResult {
    let notice = match q.done.as_deref() {
        Some("sent") => Some("Your message has been sent."),
        Some("accept") => Some("You said yes. You can now see how to reach each other."),
        Some("decline") => Some("You said no, thank you. They have been told kindly."),
        Some("done") => Some("Thank you for letting us know it happened."),
        Some("didnt_happen") => Some("Thank you for letting us know."),
        Some("withdraw") => Some("You have withdrawn. They have been told."),
        Some("for") => Some("Done. Both have been told that you typed it in for them."),
        Some("time") => Some("The time is added once the other person confirms it."),
        Some("confirmed") => Some("Thank you. The time has been added."),
        Some("disputed") => {
            Some("Thank you for telling us. A coordinator will look at it with you.")
        }
        Some("asked_back") => Some(
            "Thank you. A coordinator will look at it, and you will both be told what they decide.",
        ),
        _ => None,
    };
    match_page(&state, &identity, &csrf, &ip, id, notice, Errors::none()).await
}

#[derive(Debug, Deserialize, Default)]
pub struct MessageForm {
    #[serde(default)]
    message: String,
    #[serde(default)]
    for_member: String,
    #[serde(default)]
    agreed: String,
}

pub(crate) async fn view_message(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(f): PageForm<MessageForm>,
) -> PageResult {
    let sent = match for_someone(&state, &identity, &f.for_member, &f.agreed).await {
        Ok(on_behalf) => {
            help::send_message(&state, &identity, id, &f.message, on_behalf, &ip, now()).await
        }
        Err(e) => Err(e),
    };
    match sent {
        Ok(_) => Ok(Redirect::to(&format!("/help/matches/{id}?done=sent")).into_response()),
        Err(e) => {
            let errors = field_errors(e)?;
            match_page(&state, &identity, &csrf, &ip, id, None, errors).await
        }
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct ActForm {
    share_email: Option<String>,
    share_phone: Option<String>,
    #[serde(default)]
    for_member: String,
    #[serde(default)]
    agreed: String,
}

pub(crate) async fn view_act(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path((id, action)): Path<(i64, String)>,
    PageForm(f): PageForm<ActForm>,
) -> PageResult {
    let Some(action) = Action::parse(&action) else {
        return Ok(crate::hub::not_found_page(&state, Some(&identity), &csrf));
    };
    let shares = Shares {
        email: f.share_email.is_some(),
        phone: f.share_phone.is_some(),
    };
    let acted = match for_someone(&state, &identity, &f.for_member, &f.agreed).await {
        Ok(on_behalf) => {
            help::act(&state, &identity, id, action, shares, on_behalf, &ip, now()).await
        }
        Err(e) => Err(e),
    };
    match acted {
        Ok(_) => {
            Ok(Redirect::to(&format!("/help/matches/{id}?done={}", action.code())).into_response())
        }
        Err(e) => {
            let errors = field_errors(e)?;
            match_page(&state, &identity, &csrf, &ip, id, None, errors).await
        }
    }
}

/// Asked before a step that ends a match (saying no, withdrawing, it did not happen).
pub(crate) async fn view_act_confirm(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path((id, action)): Path<(i64, String)>,
) -> PageResult {
    let Some(action) =
        Action::parse(&action).filter(|a| !matches!(a, Action::Accept | Action::Done))
    else {
        return Ok(crate::hub::not_found_page(&state, Some(&identity), &csrf));
    };
    let seen = help::view_match(&state, &identity, id, &ip, now()).await?;
    if !seen.actions.contains(&action) {
        return Ok(Redirect::to(&format!("/help/matches/{id}")).into_response());
    }
    let name = &seen.other_name;
    let (title, line, yes, no) = match action {
        Action::Decline => (
            format!("Say no, thank you, to {name}?"),
            format!("{name} will be told kindly that it will not go ahead this time. Your post stays up for others."),
            "Yes, say no, thank you",
            "No, go back",
        ),
        Action::DidntHappen => (
            "Say it did not happen?".to_string(),
            format!("{name} will be told. Nothing else changes."),
            "Yes, it did not happen",
            "No, go back",
        ),
        _ => (
            "Withdraw from this match?".to_string(),
            format!("{name} will be told. You will no longer see each other's contact details."),
            "Yes, withdraw",
            "No, keep it going",
        ),
    };
    Ok(pages::page(&pages::ConfirmPage {
        layout: Layout::new(&state, Some(&identity), &csrf, "/help", title),
        lines: vec![line],
        action: format!("/help/matches/{id}/{}", action.code()),
        yes: yes.into(),
        no: no.into(),
        back: format!("/help/matches/{id}"),
        reason_label: String::new(),
    }))
}

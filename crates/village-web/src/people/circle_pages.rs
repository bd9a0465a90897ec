//! The circle of support and connector pages: the relationship-circle picture (server-drawn
//! SVG with a table as its text alternative), adding and inviting people, supporters,
//! answering invitations, and choosing, accepting or offering connectors.

use crate::auth::{ClientAddress, SignedIn};
use crate::csrf::CsrfToken;
use crate::extract::{Path, Query};
use crate::pages::{self, Errors, Layout, PageForm, PageResult};
use crate::{now, AppState};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use village_app::accounts::Identity;
use village_app::people::circle::{self as circle_fns, NewEntry};
use village_app::people::view_profile;
use village_app::Error;
use village_domain::access::Action;
use village_domain::directory::taxonomy::category_by_id;
use village_domain::people::circle::{layout, LinkStatus, Ring};
use village_domain::people::Section;

pub struct EntryView {
    id: i64,
    name: String,
    ring_code: String,
    ring: &'static str,
    status: &'static str,
    contact: String,
    accepted: bool,
    supporter: bool,
}

pub struct Dot {
    x: String,
    y: String,
    label_x: String,
    label_y: String,
    /// The name in one or two lines (the second 14 units lower).
    lines: Vec<String>,
    /// Labels left of the centre end at the dot.
    left: bool,
    ring: usize,
}

pub struct RingView {
    code: &'static str,
    label: &'static str,
    hint: &'static str,
    radius: String,
    count: usize,
    prompt: &'static str,
    searches: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "people/circle.html")]
struct CirclePage {
    layout: Layout,
    errors: Errors,
    rings: Vec<RingView>,
    dots: Vec<Dot>,
    entries: Vec<EntryView>,
    invitations: Vec<(i64, i64, String, &'static str, bool)>,
    form_ring: String,
    form_name: String,
    form_email: String,
    form_contact: String,
}

const SIZE: f64 = 440.0;

fn status_words(status: &str, linked: bool) -> &'static str {
    match (status, linked) {
        (_, false) => "In your circle",
        ("invited", true) => "Invited: waiting for them to accept",
        ("accepted", true) => "Member of this hub, accepted",
        ("declined", true) => "Said no to joining",
        _ => "In your circle",
    }
}

async fn circle_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    ip: &str,
    errors: Errors,
    form: &AddForm,
    notice: Option<&str>,
) -> PageResult {
    let (rows, memberships) = match circle_fns::my_circle(state, identity).await {
        Ok(r) => r,
        Err(e) => return Err(e.into()),
    };
    // Searches built from the person's interests, for the prompts in empty rings.
    let interests: Vec<(String, String)> =
        match view_profile(state, Some(identity), identity.user.id, ip, now()).await {
            Ok(Some(v)) => v
                .section(Section::Interests)
                .map(|s| {
                    s.content
                        .terms
                        .iter()
                        .filter_map(|t| category_by_id(t))
                        .map(|c| {
                            (
                                format!("/directory?category={}", c.code),
                                c.name.to_string(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
            Ok(None) => Vec::new(),
            Err(e) => return Err(e.into()),
        };
    let entries: Vec<EntryView> = rows
        .iter()
        .map(|r| {
            let linked = r.member_id.is_some();
            EntryView {
                id: r.id,
                name: r.name.clone(),
                ring_code: r.ring.code().to_string(),
                ring: r.ring.label(),
                status: status_words(r.status.code(), linked),
                contact: r.contact.clone(),
                accepted: linked && r.status == LinkStatus::Accepted,
                supporter: linked && r.supporter,
            }
        })
        .collect();
    let mut counts = [0usize; 4];
    let mut by_ring: [Vec<&EntryView>; 4] = Default::default();
    for e in &entries {
        if let Some(i) = Ring::ALL.iter().position(|r| r.code() == e.ring_code) {
            counts[i] += 1;
            by_ring[i].push(e);
        }
    }
    let placed = layout(counts, SIZE);
    let mut dots = Vec::new();
    for (i, ring) in placed.iter().enumerate() {
        for (k, p) in ring.iter().enumerate() {
            let name = by_ring[i]
                .get(k)
                .map(|e| e.name.clone())
                .unwrap_or_default();
            let right = p.x >= SIZE / 2.0;
            let lines: Vec<String> = village_domain::people::circle::label_lines(&name, 18)
                .into_iter()
                .map(|l| if right { l } else { format!("{l}\u{200e}") })
                .collect();
            let raise = if lines.len() > 1 { 3.0 } else { -4.0 };
            dots.push(Dot {
                x: format!("{:.1}", p.x),
                y: format!("{:.1}", p.y),
                label_x: format!("{:.1}", if right { p.x + 9.0 } else { p.x - 9.0 }),
                label_y: format!("{:.1}", p.y - raise),
                lines,
                left: !right,
                ring: i,
            });
        }
    }
    let rings = Ring::ALL
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let (prompt, codes) = r.empty_prompt();
            let searches = if interests.is_empty() || *r == Ring::Paid {
                codes
                    .iter()
                    .filter_map(|c| village_domain::directory::taxonomy::category_by_code(c))
                    .map(|c| {
                        (
                            format!("/directory?category={}", c.code),
                            c.name.to_string(),
                        )
                    })
                    .collect()
            } else {
                interests.clone()
            };
            RingView {
                code: r.code(),
                label: r.label(),
                hint: r.hint(),
                radius: format!("{:.1}", village_domain::people::circle::ring_edge(i, SIZE)),
                count: counts[i],
                prompt,
                searches,
            }
        })
        .collect();
    let invitations = memberships
        .into_iter()
        .map(|m| {
            (
                m.entry_id,
                m.owner_id,
                m.owner_name,
                m.ring.label(),
                m.status == LinkStatus::Accepted,
            )
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(pages::render(
        status,
        &CirclePage {
            layout: Layout::new(
                state,
                Some(identity),
                csrf,
                "/me/circle",
                "Your circle of support",
            )
            .with_notice(notice),
            errors,
            rings,
            dots,
            entries,
            invitations,
            form_ring: form.ring.clone(),
            form_name: form.name.clone(),
            form_email: form.member_email.clone(),
            form_contact: form.contact.clone(),
        },
    ))
}

#[derive(Debug, Deserialize, Default)]
pub struct AddForm {
    #[serde(default)]
    ring: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    member_email: String,
    #[serde(default)]
    contact: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: Option<String>,
}

pub(crate) async fn view_circle(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Query(q): Query<Done>,
) -> PageResult {
    let notice = q.done.as_deref().map(super::pages::done_words);
    circle_page(
        &state,
        &identity,
        &csrf,
        &ip,
        Errors::none(),
        &AddForm::default(),
        notice,
    )
    .await
}

/// The problem page for what the circle form cannot show beside a field.
pub(crate) async fn view_circle_add(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<AddForm>,
) -> PageResult {
    let new = NewEntry {
        ring: &form.ring,
        name: &form.name,
        contact: &form.contact,
        member_id: None,
        member_email: Some(form.member_email.as_str()),
    };
    match circle_fns::add(&state, &identity, &new, &ip, now()).await {
        Ok((_, invited)) => Ok(Redirect::to(if invited {
            "/me/circle?done=circle_invited"
        } else {
            "/me/circle?done=circle_added"
        })
        .into_response()),
        Err(Error::Field(f)) => {
            circle_page(&state, &identity, &csrf, &ip, f.into(), &form, None).await
        }
        Err(Error::Conflict(_, message)) => {
            let mut errors = Errors::none();
            errors.add("member_email", message);
            circle_page(&state, &identity, &csrf, &ip, errors, &form, None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct ChangeForm {
    #[serde(default)]
    ring: Option<String>,
    #[serde(default)]
    supporter: Option<String>,
}

pub(crate) async fn view_circle_change(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    Path(id): Path<i64>,
    PageForm(form): PageForm<ChangeForm>,
) -> PageResult {
    let supporter = form.supporter.as_deref().map(|s| s == "yes");
    let change = circle_fns::EntryChange {
        ring: form.ring.as_deref(),
        supporter,
        ..Default::default()
    };
    match circle_fns::update(&state, &identity, id, &change, now()).await {
        Ok(()) => Ok(Redirect::to("/me/circle?done=circle_changed").into_response()),
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn view_circle_remove(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    Path(id): Path<i64>,
) -> PageResult {
    match circle_fns::remove(&state, &identity, id, now()).await {
        Ok(()) => Ok(Redirect::to("/me/circle?done=circle_removed").into_response()),
        Err(e) => Err(e.into()),
    }
}

/// Asked before someone is taken out of the person's circle.
pub(crate) async fn view_circle_remove_confirm(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> PageResult {
    let entry = circle_fns::entry(&state, &identity, id).await?;
    let name = entry.name.clone();
    let mut lines = vec![format!("{name} will no longer be in your circle.")];
    if entry.member_id.is_some() && entry.status == LinkStatus::Accepted {
        lines.push(format!(
            "From now on, {name} will not see the parts of your profile you share with your circle{}.",
            if entry.supporter {
                ", and cannot help edit it"
            } else {
                ""
            }
        ));
    }
    lines.push("You can add them again at any time.".into());
    Ok(pages::page(&pages::ConfirmPage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/me/circle",
            format!("Take {name} out of your circle?"),
        ),
        lines,
        action: format!("/me/circle/{id}/remove"),
        yes: format!("Yes, take {name} out"),
        no: format!("No, keep {name} in my circle"),
        back: "/me/circle".into(),
        reason_label: String::new(),
    }))
}

pub(crate) async fn view_answer(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path((id, answer)): Path<(i64, String)>,
) -> PageResult {
    let accept = match answer.as_str() {
        "accept" => true,
        "decline" | "leave" => false,
        _ => return Ok(crate::hub::not_found_page(&state, Some(&identity), &csrf)),
    };
    let done = if answer == "leave" {
        "circle_left"
    } else {
        "answered"
    };
    match circle_fns::answer(&state, &identity, id, accept, &ip, now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/me/circle?done={done}")).into_response()),
        Err(e) => Err(e.into()),
    }
}

/// Asked before the person leaves a circle they are in.
pub(crate) async fn view_leave_confirm(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path((id, answer)): Path<(i64, String)>,
) -> PageResult {
    if answer != "leave" {
        return Ok(crate::hub::not_found_page(&state, Some(&identity), &csrf));
    }
    let circle = circle_fns::membership(&state, &identity, id).await?;
    let name = circle.owner_name;
    let mut lines = vec![
        format!("You will no longer be in {name}'s circle of support."),
        format!("From now on, you will not see the parts of {name}'s profile they share with their circle."),
    ];
    if circle.supporter {
        lines.push(format!(
            "You will no longer be able to help edit {name}'s profile."
        ));
    }
    lines.push(format!(
        "{name} will see that you left. They can invite you again."
    ));
    Ok(pages::page(&pages::ConfirmPage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/me/circle",
            format!("Leave {name}'s circle?"),
        ),
        lines,
        action: format!("/me/circle/invitations/{id}/leave"),
        yes: format!("Yes, leave {name}'s circle"),
        no: "No, stay in it".into(),
        back: "/me/circle".into(),
        reason_label: String::new(),
    }))
}

// ---- Connectors -----------------------------------------------------------------------

#[derive(Template)]
#[template(path = "people/connectors.html")]
struct ConnectorsPage {
    layout: Layout,
    mine: Vec<(i64, String, bool)>,
    choices: Vec<circle_fns::ConnectorCard>,
}

pub(crate) async fn view_connectors(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Query(q): Query<Done>,
) -> PageResult {
    let links = match circle_fns::my_connectors(&state, &identity).await {
        Ok((connectors, _)) => connectors,
        Err(e) => return Err(e.into()),
    };
    let all = circle_fns::hub_connectors(&state).await?;
    let choices = all
        .into_iter()
        .filter(|c| {
            c.id != identity.user.id
                && !links
                    .iter()
                    .any(|l| l.connector_id == c.id && l.status == "accepted")
        })
        .collect();
    Ok(pages::page(&ConnectorsPage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/me/connectors",
            "Your connectors",
        )
        .with_notice(q.done.as_deref().map(super::pages::done_words)),
        mine: links
            .into_iter()
            .map(|l| (l.connector_id, l.connector_name, l.status == "accepted"))
            .collect(),
        choices,
    }))
}

#[derive(Debug, Deserialize, Default)]
pub struct ChooseForm {
    #[serde(default)]
    connector_id: String,
}

pub(crate) async fn view_choose(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<ChooseForm>,
) -> PageResult {
    let Ok(id) = form.connector_id.trim().parse::<i64>() else {
        return Ok(pages::problem(
            &state,
            Some(&identity),
            &csrf,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose a connector",
            &["Go back and choose one of the connectors in the list."],
        ));
    };
    match circle_fns::choose_connector(&state, &identity, id, &ip, now()).await {
        Ok(()) => Ok(Redirect::to("/me/connectors?done=connector_chosen").into_response()),
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn view_end(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    Path(id): Path<i64>,
) -> PageResult {
    let me = identity.user.id;
    match circle_fns::end_connector(&state, &identity, me, id, now()).await {
        Ok(()) => Ok(Redirect::to("/me/connectors?done=connector_ended").into_response()),
        Err(e) => Err(e.into()),
    }
}

/// Asked before a person stops having someone as their connector (or says no to an offer).
pub(crate) async fn view_end_confirm(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> PageResult {
    let link = circle_fns::connector_link(&state, &identity, identity.user.id, id).await?;
    let name = link.connector_name;
    let accepted = link.status == "accepted";
    let (title, lines, yes) = if accepted {
        (
            format!("Stop having {name} as your connector?"),
            vec![
                format!("{name} will no longer be one of your connectors."),
                format!("From now on, {name} will not see the parts of your profile you share with your connectors."),
                format!("Notes of your conversations stay with you. You can choose {name} again at any time."),
            ],
            format!("Yes, stop having {name} as my connector"),
        )
    } else {
        (
            format!("Say no to {name}'s offer?"),
            vec![format!("{name} offered to be your connector. Nothing has been shared with them, and nothing will be.")],
            format!("Yes, say no to {name}"),
        )
    };
    Ok(pages::page(&pages::ConfirmPage {
        layout: Layout::new(&state, Some(&identity), &csrf, "/me/connectors", title),
        lines,
        action: format!("/me/connectors/{id}/end"),
        yes,
        no: "No, go back".into(),
        back: "/me/connectors".into(),
        reason_label: String::new(),
    }))
}

#[derive(Template)]
#[template(path = "people/walk_alongside.html")]
struct MyPeoplePage {
    layout: Layout,
    errors: Errors,
    people: Vec<(i64, String, bool, Vec<String>)>,
    email: String,
}

async fn my_people_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    ip: &str,
    errors: Errors,
    email: &str,
    notice: Option<&str>,
) -> PageResult {
    if !identity.may(Action::WalkAlongside) {
        return Ok(pages::forbidden(state, Some(identity), csrf));
    }
    let links = match circle_fns::my_connectors(state, identity).await {
        Ok((_, people)) => people,
        Err(e) => return Err(e.into()),
    };
    let accepted: Vec<i64> = links
        .iter()
        .filter(|l| l.status == "accepted")
        .map(|l| l.person_id)
        .collect();
    let mut next =
        village_app::connections::mine::next_for(state, identity, &accepted, ip, now()).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(pages::render(
        status,
        &MyPeoplePage {
            layout: Layout::new(
                state,
                Some(identity),
                csrf,
                "/connector/people",
                "People you walk alongside",
            )
            .with_notice(notice),
            errors,
            people: links
                .into_iter()
                .map(|l| {
                    let lines = next.remove(&l.person_id).unwrap_or_default();
                    (l.person_id, l.person_name, l.status == "accepted", lines)
                })
                .collect(),
            email: email.to_string(),
        },
    ))
}

pub(crate) async fn view_my_people(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Query(q): Query<Done>,
) -> PageResult {
    let notice = q.done.as_deref().map(super::pages::done_words);
    my_people_page(&state, &identity, &csrf, &ip, Errors::none(), "", notice).await
}

#[derive(Debug, Deserialize, Default)]
pub struct OfferForm {
    #[serde(default)]
    email: String,
}

pub(crate) async fn view_offer(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<OfferForm>,
) -> PageResult {
    if !identity.may(Action::WalkAlongside) {
        return Ok(pages::forbidden(&state, Some(&identity), &csrf));
    }
    match circle_fns::offer_connector_by_email(&state, &identity, &form.email, &ip, now()).await {
        Ok(()) => Ok(Redirect::to("/connector/people?done=offered").into_response()),
        Err(Error::Field(f)) => {
            my_people_page(&state, &identity, &csrf, &ip, f.into(), &form.email, None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn view_end_person(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    Path(id): Path<i64>,
) -> PageResult {
    let me = identity.user.id;
    match circle_fns::end_connector(&state, &identity, id, me, now()).await {
        Ok(()) => Ok(Redirect::to("/connector/people?done=walk_alongside_ended").into_response()),
        Err(e) => Err(e.into()),
    }
}

/// Asked before a connector stops being someone's connector (or takes back an offer).
pub(crate) async fn view_end_person_confirm(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> PageResult {
    let link = circle_fns::connector_link(&state, &identity, id, identity.user.id).await?;
    let name = link.person_name;
    let (title, lines, yes) = if link.status == "accepted" {
        (
            format!("Stop being {name}'s connector?"),
            vec![
                format!("You will no longer be {name}'s connector."),
                format!("From now on, you will not see what {name} shares with their connectors, and they leave your list."),
                format!("{name} will see that you stopped. They can choose you again."),
            ],
            format!("Yes, stop being {name}'s connector"),
        )
    } else {
        (
            format!("Take back your offer to {name}?"),
            vec![format!(
                "{name} will no longer see your offer to be their connector."
            )],
            "Yes, take back my offer".to_string(),
        )
    };
    Ok(pages::page(&pages::ConfirmPage {
        layout: Layout::new(&state, Some(&identity), &csrf, "/connector/people", title),
        lines,
        action: format!("/connector/people/{id}/end"),
        yes,
        no: "No, go back".into(),
        back: "/connector/people".into(),
        reason_label: String::new(),
    }))
}

#[derive(Template)]
#[template(path = "people/connector_about.html")]
struct ConnectorAboutPage {
    layout: Layout,
    errors: Errors,
    about: String,
    how_i_work: String,
    max: usize,
}

fn connector_about_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    errors: Errors,
    about: String,
    how_i_work: String,
) -> axum::response::Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = pages::page(&ConnectorAboutPage {
        layout: Layout::new(
            state,
            Some(identity),
            csrf,
            "/connector/about",
            "What people see about you",
        ),
        errors,
        about,
        how_i_work,
        max: circle_fns::INTRO_MAX,
    });
    (status, page).into_response()
}

/// What a connector tells people choosing a connector: who they are and how they work.
pub(crate) async fn view_connector_about(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> PageResult {
    let (about, how_i_work) = circle_fns::my_intro(&state, &identity).await?;
    Ok(connector_about_page(
        &state,
        &identity,
        &csrf,
        Errors::none(),
        about,
        how_i_work,
    ))
}

#[derive(Debug, Deserialize, Default)]
pub struct ConnectorAboutForm {
    #[serde(default)]
    about: String,
    #[serde(default)]
    how_i_work: String,
}

pub(crate) async fn view_connector_about_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    PageForm(form): PageForm<ConnectorAboutForm>,
) -> PageResult {
    match circle_fns::set_my_intro(&state, &identity, &form.about, &form.how_i_work, now()).await {
        Ok(()) => Ok(Redirect::to("/connector/people?done=intro_saved").into_response()),
        Err(e @ (Error::Field(_) | Error::Fields(_))) => {
            let mut errors = Errors::none();
            match e {
                Error::Field(f) => errors.add_field_error(&f),
                Error::Fields(list) => list.iter().for_each(|f| errors.add_field_error(f)),
                _ => {}
            }
            Ok(connector_about_page(
                &state,
                &identity,
                &csrf,
                errors,
                form.about,
                form.how_i_work,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

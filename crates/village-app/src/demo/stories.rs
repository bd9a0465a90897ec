//! The demo's stories: a dozen Meadowfield stories in every state (waiting to be read, with
//! changes waiting for their teller, changed and agreed, not published, published), answered
//! by the groups they name and the council and not, with changes planned and made and
//! "Did things change?" answered, one told for Jim by his connector Sam, one sent privately
//! to a group, themes picked, and some featured on "Glimpses of the future".

use village_domain::stories::answers::Change;
use village_domain::stories::follow_up::Changed;
use village_domain::stories::story::{Audience, State, ToldBy};
use village_store::stories::{self as store, answers, Decided, NewStory};
use village_store::{accounts as account_store, Store};

const DAY: i64 = 86_400;
const STEWARD: &str = "bronwen@meadowfield.example";
const COUNCIL: &str = "david.chen@meadowfield.example";

/// Where a steward's reading took it.
enum Outcome {
    /// Waiting to be read.
    Waiting,
    /// Published as told.
    Published,
    /// A steward's changes (title, body, rule codes) waiting for the teller.
    Suggested(&'static str, &'static str, &'static str),
    /// A steward's changes, agreed by the teller and published.
    Agreed(&'static str, &'static str, &'static str),
    /// Not published, with why.
    Withheld(&'static str),
}

/// An answer: who (an organiser of the group, by its activity number, or the council when
/// `None`), the words, what changed, days after publishing.
type Answer = (&'static str, Option<usize>, &'static str, Change, i64);

struct DemoStory {
    by: &'static str,
    /// Told by a connector (`by`) for this member, who agreed.
    told_for: Option<&'static str>,
    told_by: ToldBy,
    screen_name: &'static str,
    title: &'static str,
    body: &'static str,
    month: &'static str,
    audience: Audience,
    open_data: bool,
    send_to_groups: bool,
    /// The groups it is about, by activity number.
    groups: &'static [usize],
    outcome: Outcome,
    themes: &'static [&'static str],
    answers: &'static [Answer],
    follow_up: Option<(Changed, &'static str)>,
    me_too: &'static [&'static str],
    featured: bool,
    days_ago: i64,
}

const STORIES: &[DemoStory] = &[
    DemoStory {
        by: "tom.wright@meadowfield.example",
        told_for: None,
        told_by: ToldBy::Myself,
        screen_name: "Tom W",
        title: "The men's shed made room for me",
        body: "I am autistic and loud rooms wear me out fast. The first time I went to the men's shed the radio was on, three saws were going and I left after ten minutes.\n\nI told Mick, who runs it, and he did not make a fuss. He asked what would help. Now there is a quiet hour on Thursday mornings: no radio, one machine at a time, and a bench by the window that is mine if I want it.\n\nI have made two bird boxes and a step for my neighbour's back door. I go every week. I did not think I would be someone who goes to things.",
        month: "2026-08",
        audience: Audience::Public,
        open_data: true,
        send_to_groups: false,
        groups: &[3],
        outcome: Outcome::Published,
        themes: &["good_support", "getting_out"],
        answers: &[(
            "mick@meadowfield.example",
            Some(3),
            "Thank you, Tom. The quiet hour was your idea really, and two other men come to it now. We have kept it every Thursday from 10 to 11, and we put it on our page in the directory so people know before they come.",
            Change::Made,
            3,
        )],
        follow_up: Some((Changed::Yes, "It is still there every week. Someone new came last Thursday because he read about it.")),
        me_too: &["kyle@meadowfield.example", "josh@meadowfield.example"],
        featured: true,
        days_ago: 70,
    },
    DemoStory {
        by: "aisha@meadowfield.example",
        told_for: None,
        told_by: ToldBy::Family,
        screen_name: "Aisha",
        title: "Nobody asked what my mum wanted",
        body: "My mum's review was booked for a Friday afternoon, which is when she goes to the mosque lunch. Nobody asked. When I rang to change it I was told the next slot was six weeks away.\n\nAt the review they talked to me, not to her. Mum understands English well but likes time to answer. She wanted to keep her Tuesday carer because they speak Bengali together. That was not written down anywhere.\n\nIt worked out in the end, but only because I pushed. Not everyone has a daughter who can take the afternoon off.",
        month: "2026-07",
        audience: Audience::Hub,
        open_data: false,
        send_to_groups: false,
        groups: &[],
        outcome: Outcome::Published,
        themes: &["could_be_better", "being_heard"],
        answers: &[(
            COUNCIL,
            None,
            "Thank you for telling us this, Aisha, and we are sorry. From January, people will choose the day and time of their review, and we will ask everyone which language they would like it in. We will write down what matters to the person, in their words, at the top of the plan.",
            Change::Planned,
            6,
        )],
        follow_up: Some((Changed::Partly, "Mum chose her own time this month. We are still waiting to see the new plan.")),
        me_too: &["nadia@meadowfield.example", "anjali@meadowfield.example", "mary.k@meadowfield.example", "irene@meadowfield.example"],
        featured: false,
        days_ago: 90,
    },
    DemoStory {
        by: "winston@meadowfield.example",
        told_for: None,
        told_by: ToldBy::Myself,
        screen_name: "Winston",
        title: "Dominoes and a lift to get there",
        body: "My eyes are not good any more, so I stopped going to the dominoes club on Station Road. I did not want to say why.\n\nThe community transport driver, a young lad called Dev, now picks me up every Wednesday at half past one. He tells me who he is at the door, like it says on my profile. I am back at the table, and I won on Wednesday.",
        month: "2026-09",
        audience: Audience::Public,
        open_data: true,
        send_to_groups: false,
        groups: &[39],
        outcome: Outcome::Published,
        themes: &["good_support", "getting_out"],
        answers: &[],
        follow_up: None,
        me_too: &["harold@meadowfield.example"],
        featured: true,
        days_ago: 40,
    },
    DemoStory {
        by: "dorothy@meadowfield.example",
        told_for: None,
        told_by: ToldBy::Myself,
        screen_name: "Dot",
        title: "Knitting again with big print",
        body: "I have knitted since I was seven. When my sight got worse I could not read the patterns and I stopped going to knit and natter because I felt silly asking for help every five minutes.\n\nGrace rang me. She said they would print the patterns large for me. Now the whole group uses the big ones, because it turns out half of us were squinting.",
        month: "2026-06",
        audience: Audience::Public,
        open_data: true,
        send_to_groups: false,
        groups: &[0],
        outcome: Outcome::Published,
        themes: &["good_support"],
        answers: &[(
            "grace@meadowfield.example",
            Some(0),
            "We print every pattern in large print now, and we keep a magnifier lamp in the box. Thank you for telling us, Dot. Come and show us the cardigan.",
            Change::Made,
            2,
        )],
        follow_up: Some((Changed::Yes, "Yes. I have finished the cardigan.")),
        me_too: &["eileen@meadowfield.example", "margaret@meadowfield.example"],
        featured: true,
        days_ago: 120,
    },
    DemoStory {
        by: "sam.okafor@meadowfield.example",
        told_for: Some("jim.h@meadowfield.example"),
        told_by: ToldBy::Supporter,
        screen_name: "Jim",
        title: "Back at the bench",
        body: "Jim was a joiner for forty years. Since his wife died the house has been quiet and he missed making things.\n\nMick from the repair café gives him a lift on Thursdays and now Jim goes to the men's shed. He is making a bench for the community garden, with a back that suits his frame. He says the tea is terrible and he would not miss it.",
        month: "2026-10",
        audience: Audience::Hub,
        open_data: false,
        send_to_groups: false,
        groups: &[3],
        outcome: Outcome::Published,
        themes: &["getting_out"],
        answers: &[],
        follow_up: None,
        me_too: &[],
        featured: false,
        days_ago: 20,
    },
    DemoStory {
        by: "margaret@meadowfield.example",
        told_for: None,
        told_by: ToldBy::Myself,
        screen_name: "M",
        title: "I felt left out at the table",
        body: "I use a wheelchair and the knit and natter table is in the corner, so I sit at the end where I cannot hear the talk. Everyone is kind but I go home feeling on the outside.\n\nI did not want to make a fuss in front of people, so I am sending this just to the group.",
        month: "2026-10",
        audience: Audience::Private,
        open_data: false,
        send_to_groups: true,
        groups: &[0],
        outcome: Outcome::Published,
        themes: &["could_be_better"],
        answers: &[(
            "grace@meadowfield.example",
            Some(0),
            "Thank you for trusting us with this. We will move the tables into a circle in the middle of the room from next week, so nobody is at the end. Tell me if that works for you.",
            Change::Planned,
            1,
        )],
        follow_up: None,
        me_too: &[],
        featured: false,
        days_ago: 15,
    },
    DemoStory {
        by: "kwame@meadowfield.example",
        told_for: None,
        told_by: ToldBy::Myself,
        screen_name: "Kwame",
        title: "The lunch club moved upstairs",
        body: "The Brook Street lunch club is the best meal of my week. Since the summer it has been in the room upstairs because of the building work, and the lift is out more often than not.\n\nTwo of us who use sticks have stopped going. I would like it back downstairs, or a date for when the lift will be fixed.",
        month: "2026-10",
        audience: Audience::Public,
        open_data: true,
        send_to_groups: false,
        groups: &[2],
        outcome: Outcome::Published,
        themes: &["could_be_better"],
        answers: &[],
        follow_up: None,
        me_too: &["ruth@meadowfield.example", "bernard@meadowfield.example", "harold@meadowfield.example"],
        featured: false,
        days_ago: 12,
    },
    DemoStory {
        by: "beth@meadowfield.example",
        told_for: None,
        told_by: ToldBy::Myself,
        screen_name: "Beth",
        title: "The pharmacist who got it right",
        body: "Sandra Cole at the chemist on the High Street noticed my new tablets clashed with the old ones and rang my GP herself. She sorted it before I got home.",
        month: "2026-11",
        audience: Audience::Public,
        open_data: false,
        send_to_groups: false,
        groups: &[],
        outcome: Outcome::Suggested(
            "The pharmacist who got it right",
            "Sandra at the chemist on the High Street noticed my new tablets clashed with the old ones and rang my GP herself. She sorted it before I got home.",
            "names_staff",
        ),
        themes: &[],
        answers: &[],
        follow_up: None,
        me_too: &[],
        featured: false,
        days_ago: 4,
    },
    DemoStory {
        by: "harold@meadowfield.example",
        told_for: None,
        told_by: ToldBy::Myself,
        screen_name: "",
        title: "Help with my garden",
        body: "Since my knee operation I cannot get down to the beds. A lad from the good neighbours scheme came twice and it was a great help, but then nobody came and nobody said why. If someone could let me know, ring me on 07700 900318. I live at 14 Hawthorn Lane, MF3 7GL.",
        month: "2026-11",
        audience: Audience::Hub,
        open_data: false,
        send_to_groups: false,
        groups: &[21],
        outcome: Outcome::Waiting,
        themes: &[],
        answers: &[],
        follow_up: None,
        me_too: &[],
        featured: false,
        days_ago: 1,
    },
    DemoStory {
        by: "sami@meadowfield.example",
        told_for: None,
        told_by: ToldBy::Myself,
        screen_name: "Sami",
        title: "What my neighbour did",
        body: "My neighbour at number 20 plays music all night and I have told the council many times.",
        month: "2026-09",
        audience: Audience::Public,
        open_data: false,
        send_to_groups: false,
        groups: &[],
        outcome: Outcome::Withheld("Thank you for telling us. This is about a neighbour rather than about support or a group, and it could tell people who they are, so we have not published it. The council's noise team can help: the advice centre can show you how to report it."),
        themes: &[],
        answers: &[],
        follow_up: None,
        me_too: &[],
        featured: false,
        days_ago: 30,
    },
    DemoStory {
        by: "rosa@meadowfield.example",
        told_for: None,
        told_by: ToldBy::Family,
        screen_name: "Rosa",
        title: "Singing brought my dad back to us",
        body: "Dad has dementia and most days he does not say much. At Singing for the Brain he knew every word of Cielito Lindo and then every word of Yellow Submarine. He laughed the whole way home.\n\nWe go every Monday now. It is the one place where nobody minds if he wanders about during the songs.",
        month: "2026-05",
        audience: Audience::Hub,
        open_data: false,
        send_to_groups: false,
        groups: &[4],
        outcome: Outcome::Published,
        themes: &["good_support"],
        answers: &[],
        follow_up: None,
        me_too: &["zofia@meadowfield.example", "connor@meadowfield.example"],
        featured: true,
        days_ago: 150,
    },
    DemoStory {
        by: "chen.wei@meadowfield.example",
        told_for: None,
        told_by: ToldBy::Myself,
        screen_name: "Chen",
        title: "Video calls with my grandson",
        body: "My grandson lives in Manchester. At the library's digital drop-in a volunteer called Priti, who works at 12 Elm Close, showed me how to video call him on my tablet, three times, without ever making me feel slow.\n\nNow I read him a story every Sunday night. He holds the tablet so close I can only see his nose.",
        month: "2026-09",
        audience: Audience::Public,
        open_data: true,
        send_to_groups: false,
        groups: &[8],
        outcome: Outcome::Agreed(
            "Video calls with my grandson",
            "My grandson lives in Manchester. At the library's digital drop-in a volunteer called Priti showed me how to video call him on my tablet, three times, without ever making me feel slow.\n\nNow I read him a story every Sunday night. He holds the tablet so close I can only see his nose.",
            "identifies_someone",
        ),
        themes: &["good_support", "getting_out"],
        answers: &[(
            COUNCIL,
            None,
            "Thank you, Chen. The library will keep the digital drop-in on Saturday mornings too from December, and lend tablets with data for three months.",
            Change::Made,
            5,
        )],
        follow_up: None,
        me_too: &[],
        featured: false,
        days_ago: 55,
    },
];

/// Load the demo's stories once: skipped when the first teller already has stories.
pub async fn load(store_: &Store, now: i64) -> anyhow::Result<()> {
    let mut tx = store_.begin().await?;
    let Some(first) = account_store::user_by_email(&mut tx, STORIES[0].by).await? else {
        return Ok(());
    };
    if !store::of_author(&mut tx, first.id).await?.is_empty() {
        return Ok(());
    }
    let Some(steward) = account_store::user_by_email(&mut tx, STEWARD).await? else {
        return Ok(());
    };
    for s in STORIES {
        let Some(author) = account_store::user_by_email(&mut tx, s.by).await? else {
            continue;
        };
        let told_for = match s.told_for {
            Some(email) => match account_store::user_by_email(&mut tx, email).await? {
                Some(u) => Some(u.id),
                None => continue,
            },
            None => None,
        };
        let groups: Vec<String> = s
            .groups
            .iter()
            .map(|a| super::directory::group_of_activity(*a))
            .collect();
        let at = now - s.days_ago * DAY;
        let id = store::create(
            &mut tx,
            &NewStory {
                author_id: author.id,
                told_by: s.told_by,
                screen_name: if s.screen_name.is_empty() {
                    "A neighbour"
                } else {
                    s.screen_name
                },
                title: s.title,
                body: s.body,
                happened_month: Some(s.month),
                audience: s.audience,
                open_data: s.open_data,
                send_to_groups: s.send_to_groups,
                told_for,
                groups: &groups,
                offers: &[],
            },
            at,
        )
        .await?;
        let read = at + DAY;
        let published = match s.outcome {
            Outcome::Waiting => false,
            // A story told for someone waits for them even published as told.
            Outcome::Published if told_for.is_some() => {
                let same = Decided::Edit {
                    title: s.title,
                    body: s.body,
                    rules: "",
                };
                store::decide(&mut tx, id, steward.id, State::AwaitingAuthor, &same, read).await?;
                store::approve(&mut tx, id, read + 3600).await?
            }
            Outcome::Published => {
                store::decide(
                    &mut tx,
                    id,
                    steward.id,
                    State::Published,
                    &Decided::Publish,
                    read,
                )
                .await?
            }
            Outcome::Suggested(title, body, rules) | Outcome::Agreed(title, body, rules) => {
                let edit = Decided::Edit { title, body, rules };
                store::decide(&mut tx, id, steward.id, State::AwaitingAuthor, &edit, read).await?;
                matches!(s.outcome, Outcome::Agreed(..))
                    && store::approve(&mut tx, id, read + 3600).await?
            }
            Outcome::Withheld(reason) => {
                let withhold = Decided::Withhold { reason };
                store::decide(&mut tx, id, steward.id, State::Withheld, &withhold, read).await?;
                false
            }
        };
        let themes: Vec<String> = s.themes.iter().map(|t| (*t).to_string()).collect();
        store::set_themes(&mut tx, id, &themes).await?;
        if !published {
            continue;
        }
        let mut first_answer = None;
        for (by, group, words, change, after) in s.answers {
            let Some(u) = account_store::user_by_email(&mut tx, by).await? else {
                continue;
            };
            let org = group.map(super::directory::group_of_activity);
            let t = read + after * DAY;
            answers::add(
                &mut tx,
                id,
                org.as_deref(),
                u.id,
                words,
                *change,
                (false, false),
                t,
            )
            .await?;
            first_answer.get_or_insert(t);
        }
        if let (Some((changed, words)), Some(answered)) = (s.follow_up, first_answer) {
            // Asked at four weeks (and twelve, when that has passed), then answered.
            for week in [4, 12] {
                let asked = answered + week * 7 * DAY;
                if asked < now {
                    answers::record_asked(&mut tx, id, week, asked).await?;
                }
            }
            let t = (answered + 4 * 7 * DAY + DAY).min(now - 3600);
            answers::add_follow_up(&mut tx, id, changed, words, t).await?;
        }
        for email in s.me_too {
            if let Some(u) = account_store::user_by_email(&mut tx, email).await? {
                answers::me_too(&mut tx, id, u.id, read + DAY).await?;
            }
        }
        if s.featured {
            store::set_featured(&mut tx, id, true, read + 2 * DAY).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

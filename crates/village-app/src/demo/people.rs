//! Meadowfield's people: forty members with their own strengths-based profiles (different
//! ages, backgrounds, languages, disabilities and caring roles), their circles of support,
//! and the connectors some of them chose. Everyone is invented. Loaded only for new accounts,
//! so loading again changes nothing.

use village_domain::accounts::Role;
use village_domain::directory::taxonomy::category_by_code;
use village_domain::people::profile::{Content, Slot};
use village_domain::people::{Section, Visibility};
use village_store::people::{self as store, NewCircleEntry, SectionWrite};
use village_store::{accounts as account_store, Store};

/// One member's profile. Sections are shared as `share` says (the story stays closer).
pub struct Person {
    pub email: &'static str,
    pub name: &'static str,
    pub role: Role,
    pub born: Option<i32>,
    pub postcode: &'static str,
    pub max_km: f64,
    pub share: Visibility,
    pub appreciated: &'static str,
    pub important: &'static str,
    pub support: &'static str,
    pub story: &'static str,
    pub gifts: &'static str,
    pub interests: (&'static str, &'static [&'static str]),
    pub communication: &'static str,
    pub access: (
        &'static str,
        &'static [&'static str],
        &'static [&'static str],
    ),
    pub travel: &'static str,
    pub free: (
        &'static str,
        &'static [(&'static str, &'static str, &'static str)],
    ),
    /// People in their circle by name: (ring, name, private contact).
    pub circle: &'static [(&'static str, &'static str, &'static str)],
}

use Visibility::{Circle, Connectors, Members};

#[rustfmt::skip]
pub const PEOPLE: &[Person] = &[
    Person { email: "grace@meadowfield.example", name: "Grace Adeyemi", role: Role::Member, born: Some(1949), postcode: "MF1 2AB", max_km: 2.0, share: Connectors,
        appreciated: "People say I am warm and that I remember everybody's birthday. I tell it straight, kindly.", important: "My knit and natter group on Tuesdays, my church, and phone calls with my sister in Lagos.", support: "Give me a minute to get going in the mornings. Speak up a little: my left ear is not what it was.", story: "I came to Meadowfield from Nigeria in 1974 and nursed at the cottage hospital for thirty years. Since my stroke I have a personal assistant two mornings a week, and I still run the Tuesday knit and natter.", gifts: "Head: I know a lot about health and about this town. Hands: knitting, Nigerian cooking. Heart: I am good with people who are lonely.",
        interests: ("Singing, teaching younger people to knit, and maybe learning to video call on a tablet.", &["arts", "digital", "faith_culture"]), communication: "Face to face is best. I can read email but I am slow to type.", access: ("I use a stick and need somewhere to sit. A hearing loop helps.", &["hearing_loop"], &["step_free"]), travel: "The 42 bus, or my son drives me on Saturdays.", free: ("Most afternoons.", &[("MO", "13:00", "17:00"), ("WE", "13:00", "17:00"), ("TH", "13:00", "17:00")]),
        circle: &[("close", "Tunde (son)", "07700 900001"), ("family_friends", "Folake (sister, Lagos)", "WhatsApp"), ("community", "St Anne's choir", ""), ("paid", "Marie, my personal assistant", "Tue and Fri mornings")] },
    Person { email: "tom.wright@meadowfield.example", name: "Tom Wright", role: Role::Member, born: Some(1991), postcode: "MF3 7GL", max_km: 5.0, share: Connectors,
        appreciated: "I am honest, I notice details other people miss, and I can grow anything.", important: "My allotment, routine, and knowing what is going to happen before it happens.", support: "Tell me plans in writing beforehand. Please do not touch me without asking. Quiet places are better.", story: "I am autistic. I left college because it was too loud, and found the allotments by accident. Now I have two plots and give away more vegetables than I eat.", gifts: "Head: plants, soil, weather. Hands: building raised beds, fixing bikes. Heart: I am loyal.",
        interests: ("I would like to teach gardening to others, and to find paid work outdoors.", &["nature", "work", "volunteering"]), communication: "Text or email rather than phone calls. I say what I mean.", access: ("Quiet space and clear information help me.", &["easy_read"], &["quiet_space"]), travel: "I cycle everywhere, up to about 5 km.", free: ("Weekday mornings, not weekends.", &[("MO", "08:00", "12:00"), ("TU", "08:00", "12:00"), ("WE", "08:00", "12:00"), ("TH", "08:00", "12:00"), ("FR", "08:00", "12:00")]),
        circle: &[("close", "Mum", "07700 900002"), ("community", "Hawthorn allotment society", ""), ("paid", "Dev, job coach", "dev@example.org")] },
    Person { email: "aisha@meadowfield.example", name: "Aisha Begum", role: Role::Member, born: Some(1984), postcode: "MF1 5EH", max_km: 2.0, share: Circle,
        appreciated: "I keep calm in a crisis and I make people laugh even on bad days.", important: "My mum and my son Zain, and an hour to myself now and then.", support: "Be flexible about times: caring can change my day at short notice.", story: "I look after my mum, who has dementia, and my son, who is autistic. I used to work in a bank. I want to be more than a carer again.", gifts: "Head: money and budgeting. Hands: sewing, henna. Heart: I understand carers.",
        interests: ("Meeting other carers, learning bookkeeping, and sewing.", &["carers", "learning", "arts"]), communication: "English, Bengali and Sylheti. WhatsApp is easiest.", access: ("", &[], &[]), travel: "I walk; I cannot go far because of Mum.", free: ("School hours on weekdays.", &[("MO", "09:30", "14:30"), ("WE", "09:30", "14:30"), ("FR", "09:30", "14:30")]),
        circle: &[("close", "Mum", ""), ("close", "Zain (son)", ""), ("family_friends", "Rukhsana (cousin)", "07700 900003"), ("paid", "Day centre staff", "")] },
    Person { email: "mick@meadowfield.example", name: "Mick O'Donnell", role: Role::Member, born: Some(1957), postcode: "MF1 1BQ", max_km: 3.0, share: Members,
        appreciated: "I can fix anything with an engine, and I always turn up.", important: "Football on a Saturday, my dog Rosie, and feeling useful.", support: "Do not fuss. Tell me what needs doing and I will do it.", story: "I drove lorries for 35 years. After my wife died I stopped going out. Rosie got me walking again, and now I help at the repair café.", gifts: "Head: engines, maps, football history. Hands: repairs of all kinds. Heart: I look out for the lads who are on their own.",
        interests: ("Repair café, walking football, men's shed.", &["volunteering", "moving", "social"]), communication: "Phone me, I do not do email much.", access: ("Dodgy knee: no long stairs.", &["step_free"], &[]), travel: "I have a van, happy to give lifts.", free: ("Most days except Saturday afternoons.", &[("TU", "10:00", "16:00"), ("TH", "10:00", "16:00"), ("SA", "09:00", "12:00")]),
        circle: &[("close", "Rosie (dog)", ""), ("family_friends", "Kev from the Red Lion", "07700 900004"), ("community", "Repair café crew", "")] },
    Person { email: "lena@meadowfield.example", name: "Lena Kowalska", role: Role::Member, born: Some(1979), postcode: "MF2 4DG", max_km: 4.0, share: Connectors,
        appreciated: "I am organised and I make good soup.", important: "My daughters, speaking Polish at home, and being outside.", support: "Explain forms slowly; my written English is better than my spoken.", story: "I came from Kraków in 2006 and worked in care homes. Now I have long Covid and cannot work full time, which is hard for me.", gifts: "Head: care work, Polish and English. Hands: cooking, gardening. Heart: patience.",
        interests: ("Gentle exercise, a Polish-speaking group, and maybe volunteering as an interpreter.", &["moving", "faith_culture", "volunteering"]), communication: "Polish and English. Text messages please.", access: ("I get tired quickly and need to sit down.", &["quiet_space"], &[]), travel: "Bus, or my friend drives.", free: ("Afternoons when I am well.", &[("TU", "13:00", "16:00"), ("FR", "13:00", "16:00")]),
        circle: &[("close", "Ola and Kasia (daughters)", ""), ("family_friends", "Marta", "07700 900005"), ("paid", "GP, Dr Shah", "")] },
    Person { email: "winston@meadowfield.example", name: "Winston Clarke", role: Role::Member, born: Some(1944), postcode: "MF1 1AA", max_km: 1.0, share: Members,
        appreciated: "My stories and my dominoes.", important: "My dominoes club, my garden, and my grandchildren visiting.", support: "I am partially sighted: tell me who you are when you come in.", story: "I came from Jamaica in 1962 and worked on the buses for forty years. I was the first Black inspector in the depot.", gifts: "Head: the history of this town. Hands: gardening. Heart: I am a good listener.",
        interests: ("Dominoes, reminiscence groups, telling young people about the old days.", &["social", "learning"]), communication: "Large print or talk to me.", access: ("Large print, good lighting.", &["large_print"], &["step_free"]), travel: "Walking with my cane, close to home.", free: ("Any weekday.", &[("MO", "10:00", "16:00"), ("WE", "10:00", "16:00"), ("FR", "10:00", "16:00")]),
        circle: &[("close", "Beverley (daughter)", "07700 900006"), ("community", "Dominoes club", "")] },
    Person { email: "priyanka@meadowfield.example", name: "Priyanka Nair", role: Role::Member, born: Some(2002), postcode: "MF2 3CF", max_km: 6.0, share: Connectors,
        appreciated: "Creative, funny, and determined.", important: "My art, my friends, and getting my own flat.", support: "I use a wheelchair. Ask before you push it.", story: "I have cerebral palsy. I finished my art foundation course last year and I want to sell my prints.", gifts: "Head: design and social media. Hands: printmaking. Heart: I stand up for people.",
        interests: ("Selling my art, meeting other young disabled people, and going to gigs.", &["arts", "work", "social"]), communication: "Instagram, text or email.", access: ("Wheelchair user.", &["accessible_toilet"], &["step_free", "changing_places"]), travel: "Accessible taxi or the bus with a ramp.", free: ("Evenings and weekends.", &[("SA", "10:00", "18:00"), ("SU", "12:00", "18:00"), ("TH", "18:00", "21:00")]),
        circle: &[("close", "Amma and Achan (parents)", ""), ("family_friends", "Jess (best friend)", ""), ("paid", "PAs from Brightlife", "")] },
    Person { email: "fatima.h@meadowfield.example", name: "Fatima Hassan", role: Role::Member, born: Some(1968), postcode: "MF1 5EH", max_km: 2.0, share: Circle,
        appreciated: "I feed everyone. Nobody leaves my house hungry.", important: "My faith, my family, and the women's group at the mosque.", support: "I prefer women support workers. Please do not call at prayer times.", story: "I came from Somalia in 1995. I have diabetes and bad knees, but I still cook for the Friday lunch.", gifts: "Head: Somali and Arabic. Hands: cooking for a hundred. Heart: I welcome newcomers.",
        interests: ("Cooking for others, a women's swimming session, and English conversation for new arrivals.", &["food", "moving", "faith_culture"]), communication: "Somali, Arabic, some English. My daughter helps with letters.", access: ("Women-only spaces if possible.", &["step_free"], &[]), travel: "I walk slowly; my son drives.", free: ("Weekday mornings.", &[("MO", "09:00", "12:00"), ("TU", "09:00", "12:00")]),
        circle: &[("close", "Hodan (daughter)", "07700 900007"), ("community", "Al-Noor women's group", "")] },
    Person { email: "gareth@meadowfield.example", name: "Gareth Llewellyn", role: Role::Member, born: Some(1975), postcode: "MF3 9JP", max_km: 8.0, share: Connectors,
        appreciated: "Good at quizzes and I never forget a face.", important: "Staying well, my choir, and my cat Merlin.", support: "If I go quiet, check in with me. I have bipolar disorder and sometimes need space.", story: "I was a teacher until I became very unwell in 2015. Recovery has been long. Singing got me through.", gifts: "Head: history, Welsh, teaching. Hands: piano. Heart: I understand mental ill health.",
        interests: ("Choir, peer support, and tutoring children in reading.", &["arts", "peer_support", "wellbeing"]), communication: "Email is best. I speak Welsh and English.", access: ("", &[], &[]), travel: "I drive.", free: ("Flexible.", &[("MO", "18:00", "21:00"), ("WE", "10:00", "15:00")]),
        circle: &[("close", "Sian (sister)", ""), ("community", "Meadowfield Community Choir", ""), ("paid", "Community mental health nurse", "")] },
    Person { email: "rosa@meadowfield.example", name: "Rosa Martínez", role: Role::Member, born: Some(1990), postcode: "MF2 8HN", max_km: 5.0, share: Members,
        appreciated: "I am energetic and I get things done.", important: "My twin boys, salsa, and my job at the leisure centre.", support: "I am a single parent: evening things only work if children can come.", story: "I grew up in Valencia and came here for love, then stayed for the people. I run a salsa class and I want to start a parents' group.", gifts: "Head: fitness, Spanish. Hands: dance. Heart: I bring people together.",
        interests: ("Starting a parents' group, dance, and Spanish conversation.", &["moving", "social", "learning"]), communication: "Spanish and English. WhatsApp.", access: ("", &[], &[]), travel: "Car.", free: ("Weekends with the boys.", &[("SA", "09:00", "13:00"), ("SU", "10:00", "14:00")]),
        circle: &[("close", "Mateo and Leo (sons)", ""), ("family_friends", "Carmen (mum, Spain)", "")] },
    Person { email: "jim.h@meadowfield.example", name: "Jim Harrison", role: Role::Member, born: Some(1938), postcode: "MF3 7GL", max_km: 1.5, share: Circle,
        appreciated: "Dry sense of humour. Still sharp at crosswords.", important: "Staying in my own home, and my wife Joan's memory.", support: "I do not hear well on the phone. Come and see me.", story: "I was a printer. Joan died three years ago and the house is quiet now. I would like company but I do not want a fuss.", gifts: "Head: crosswords, printing. Hands: woodwork, once. Heart: I have time.",
        interests: ("Company, a lunch club, and maybe a men's shed.", &["social", "food"]), communication: "In person. Letters are fine.", access: ("I use a walking frame.", &["hearing_loop", "accessible_toilet"], &["step_free"]), travel: "I need a lift.", free: ("Any day.", &[("TU", "11:00", "15:00"), ("TH", "11:00", "15:00")]),
        circle: &[("close", "Susan (daughter, Leeds)", "07700 900008"), ("community", "Neighbour at number 14", ""), ("paid", "Home care, twice a day", "")] },
    Person { email: "chen.wei@meadowfield.example", name: "Chen Wei", role: Role::Member, born: Some(1986), postcode: "MF1 2BD", max_km: 4.0, share: Connectors,
        appreciated: "Patient, careful, and very good at explaining computers.", important: "My parents, my work, and finding friends here.", support: "I am Deaf. Use BSL or write it down.", story: "I grew up in Manchester, Deaf in a hearing family. I moved here for a job in IT support and I do not know many people yet.", gifts: "Head: computers and BSL. Hands: photography. Heart: I am patient with beginners.",
        interests: ("Deaf club, photography walks, and teaching digital skills in BSL.", &["digital", "arts", "social"]), communication: "BSL first. Text and email.", access: ("BSL interpreters.", &["large_print"], &["bsl"]), travel: "Bike or bus.", free: ("Evenings and Saturdays.", &[("TU", "18:00", "21:00"), ("SA", "10:00", "16:00")]),
        circle: &[("family_friends", "Mum and Dad (Manchester)", ""), ("community", "Nottingham Deaf club", "")] },
    Person { email: "beth@meadowfield.example", name: "Beth Turner", role: Role::Member, born: Some(1996), postcode: "MF2 3CF", max_km: 3.0, share: Members,
        appreciated: "I am kind and I never give up on anyone.", important: "My flat, my job at the café, and my boyfriend Liam.", support: "I have a learning disability. Use easy words and check I understood.", story: "I lived in a care home until I was 23. Now I have my own flat with support and I work three days at The Kettle Café.", gifts: "Head: I know all the regulars' orders. Hands: baking. Heart: I make people welcome.",
        interests: ("Self-advocacy group, baking, and going to the cinema with friends.", &["peer_support", "food", "social"]), communication: "Easy read please. I like pictures.", access: ("Easy read.", &[], &["easy_read"]), travel: "I can get the bus on routes I know.", free: ("My days off.", &[("MO", "10:00", "16:00"), ("WE", "10:00", "16:00")]),
        circle: &[("close", "Liam (boyfriend)", ""), ("family_friends", "Auntie Carol", "07700 900009"), ("paid", "Support worker, Jade", "")] },
    Person { email: "kwame@meadowfield.example", name: "Kwame Boateng", role: Role::Member, born: Some(1963), postcode: "MF1 6FJ", max_km: 10.0, share: Connectors,
        appreciated: "Calm, wise, and a great cook.", important: "My church, my wife Ama who has MS, and my work.", support: "I am a carer too: I cannot stay late in the evenings.", story: "I am an engineer. Ama was diagnosed with MS twelve years ago. We have learned to live well with it, together.", gifts: "Head: engineering, maths. Hands: cooking jollof. Heart: I support other men who are carers.",
        interests: ("Carers' support, a maths club for children, and cooking together.", &["carers", "learning", "food"]), communication: "Phone or email.", access: ("", &[], &[]), travel: "I drive.", free: ("Saturday mornings.", &[("SA", "09:00", "12:00")]),
        circle: &[("close", "Ama (wife)", ""), ("community", "Church of the Redeemer", "")] },
    Person { email: "dorothy@meadowfield.example", name: "Dorothy Evans", role: Role::Member, born: Some(1935), postcode: "MF1 1AA", max_km: 1.0, share: Circle,
        appreciated: "Feisty. I was a suffragette's granddaughter and it shows.", important: "My cat Bramble, my bridge club, and my independence.", support: "Do not talk to my daughter instead of me.", story: "I taught history for forty years. I am ninety now, with macular degeneration, and I still want to argue about politics.", gifts: "Head: history, bridge. Hands: not much now. Heart: I speak up.",
        interests: ("Bridge, audiobooks and a discussion group.", &["social", "learning"]), communication: "Talking. Audio. Very large print.", access: ("Sight loss.", &["large_print"], &["step_free"]), travel: "Taxi or a lift.", free: ("Afternoons.", &[("WE", "14:00", "16:00")]),
        circle: &[("close", "Bramble (cat)", ""), ("family_friends", "Helen (daughter)", "07700 900010")] },
    Person { email: "sami@meadowfield.example", name: "Sami Khalil", role: Role::Member, born: Some(1999), postcode: "MF1 5EH", max_km: 6.0, share: Connectors,
        appreciated: "Hard-working and good with people.", important: "My family in Syria, my studies, and football.", support: "I have been through a lot. Please be patient if I seem distracted.", story: "I came to the UK from Aleppo in 2016, on my own. I am studying to be a pharmacist and I play football every week.", gifts: "Head: Arabic, chemistry. Hands: football. Heart: I help new arrivals.",
        interests: ("Football, volunteering with refugees, and a study group.", &["moving", "volunteering", "learning"]), communication: "Arabic and English.", access: ("", &[], &[]), travel: "Bus and bike.", free: ("Weekends.", &[("SA", "10:00", "17:00"), ("SU", "10:00", "17:00")]),
        circle: &[("family_friends", "Omar (friend)", ""), ("community", "Meadowfield Rovers", "")] },
    Person { email: "irene@meadowfield.example", name: "Irene Walsh", role: Role::Member, born: Some(1952), postcode: "MF2 4DG", max_km: 3.0, share: Members,
        appreciated: "Kind and a great organiser.", important: "My husband Frank, my garden and my book group.", support: "Frank has Parkinson's. If I cancel, it is because of him.", story: "I was a school secretary. Now I care for Frank. The carers' café has been a lifeline.", gifts: "Head: organising anything. Hands: gardening. Heart: I remember how lonely caring can be.",
        interests: ("Book group, carers' café, and gardening.", &["carers", "nature", "learning"]), communication: "Email or phone.", access: ("", &[], &[]), travel: "Car.", free: ("When Frank is at day care.", &[("TU", "10:00", "14:00"), ("TH", "10:00", "14:00")]),
        circle: &[("close", "Frank (husband)", ""), ("community", "Carers' café", "")] },
    Person { email: "josh@meadowfield.example", name: "Josh Reynolds", role: Role::Member, born: Some(2005), postcode: "MF3 9JP", max_km: 5.0, share: Connectors,
        appreciated: "Funny and good at gaming.", important: "My mates, gaming, and getting a job.", support: "I have ADHD. Short messages, one thing at a time.", story: "I left school last year and I have been stuck at home. I want to do something with computers.", gifts: "Head: gaming, building PCs. Hands: skateboarding. Heart: I stick up for my little brother.",
        interests: ("Coding club, skateboarding, and an apprenticeship.", &["digital", "work", "moving"]), communication: "Discord or text.", access: ("", &[], &[]), travel: "Skateboard and bus.", free: ("Afternoons.", &[("MO", "13:00", "18:00"), ("TU", "13:00", "18:00"), ("WE", "13:00", "18:00")]),
        circle: &[("close", "Mum", ""), ("family_friends", "Ty and Kai (mates)", "")] },
    Person { email: "margaret@meadowfield.example", name: "Margaret O'Neill", role: Role::Member, born: Some(1947), postcode: "MF1 2BD", max_km: 2.0, share: Circle,
        appreciated: "I notice when people are down and I do something about it.", important: "My rosary group, my sister Kathleen, and the library.", support: "I have COPD. I can walk short distances and need to rest.", story: "I came from Cork to nurse in 1966. I never married, but I have more godchildren than I can count.", gifts: "Head: nursing, Irish history. Hands: crochet. Heart: I visit people who are ill.",
        interests: ("Crochet, visiting, and a singing for breathing group.", &["arts", "wellbeing", "volunteering"]), communication: "Phone.", access: ("I need seats and a short walk from the car.", &["blue_badge_parking"], &["step_free"]), travel: "Lift from a friend.", free: ("Mornings.", &[("MO", "10:00", "12:00"), ("TH", "10:00", "12:00")]),
        circle: &[("close", "Kathleen (sister)", ""), ("community", "St Anne's rosary group", "")] },
    Person { email: "ade@meadowfield.example", name: "Ade Okonkwo", role: Role::Member, born: Some(1981), postcode: "MF2 8HN", max_km: 10.0, share: Members,
        appreciated: "Cheerful, a natural coach.", important: "My kids, basketball, and my recovery.", support: "I am in recovery from alcohol. Please do not meet me in pubs.", story: "I hit rock bottom in 2019. I have been sober four years and I coach youth basketball now.", gifts: "Head: coaching, recovery. Hands: basketball. Heart: I help others in recovery.",
        interests: ("Coaching, peer support in recovery, and a running group.", &["moving", "peer_support", "volunteering"]), communication: "Text.", access: ("", &[], &[]), travel: "Car.", free: ("Evenings.", &[("MO", "18:00", "21:00"), ("WE", "18:00", "21:00")]),
        circle: &[("close", "Kemi and Tobi (children)", ""), ("community", "Recovery group", ""), ("paid", "Sponsor", "")] },
    Person { email: "hannah@meadowfield.example", name: "Hannah Price", role: Role::Member, born: Some(1988), postcode: "MF1 6FJ", max_km: 3.0, share: Connectors,
        appreciated: "Thoughtful, creative, loves a project.", important: "My daughter Ella, who has complex needs, and keeping my sense of self.", support: "I get very little sleep. Short meetings please.", story: "Ella was born with a rare genetic condition. I gave up my job as a florist to care for her. I miss making things.", gifts: "Head: floristry, navigating the system. Hands: flower arranging. Heart: I understand other parent carers.",
        interests: ("Parent carers' group, floristry, and a craft group.", &["carers", "arts", "peer_support"]), communication: "Email or WhatsApp.", access: ("", &[], &[]), travel: "Car, with Ella.", free: ("School hours.", &[("TU", "10:00", "14:00"), ("TH", "10:00", "14:00")]),
        circle: &[("close", "Ella (daughter)", ""), ("family_friends", "Mum", ""), ("paid", "Ella's nurses", "")] },
    Person { email: "yusuf@meadowfield.example", name: "Yusuf Demir", role: Role::Member, born: Some(1970), postcode: "MF1 6FJ", max_km: 3.0, share: Members,
        appreciated: "Generous and a good businessman.", important: "My barber shop, my family, and my community.", support: "I am busy: quick is best.", story: "I came from Turkey in 1990 and opened a barber shop in 2001. I give free haircuts to people who are homeless once a month.", gifts: "Head: running a small business. Hands: cutting hair. Heart: I give back.",
        interests: ("Mentoring young people starting a business, and volunteering.", &["work", "volunteering"]), communication: "Turkish and English. Phone.", access: ("", &[], &[]), travel: "Walking, the shop is nearby.", free: ("Sunday mornings.", &[("SU", "09:00", "12:00")]),
        circle: &[("close", "Elif (wife)", ""), ("community", "High Street traders", "")] },
    Person { email: "ruth@meadowfield.example", name: "Ruth Goldberg", role: Role::Member, born: Some(1958), postcode: "MF2 3CF", max_km: 4.0, share: Connectors,
        appreciated: "Curious and well read.", important: "My synagogue, walking, and my grandchildren.", support: "I have fibromyalgia. Good days and bad days.", story: "I was a solicitor. Pain made me stop work at fifty-five. I have rebuilt a good life around walking, books and my family.", gifts: "Head: law, rights, forms. Hands: challah. Heart: I help people with letters from the council.",
        interests: ("Gentle walking, helping people with forms, and book groups.", &["advice", "moving", "learning"]), communication: "Email.", access: ("I need seats and breaks.", &["quiet_space"], &[]), travel: "Car on good days.", free: ("Mornings.", &[("MO", "10:00", "12:00"), ("WE", "10:00", "12:00")]),
        circle: &[("close", "David (husband)", ""), ("family_friends", "Grandchildren", "")] },
    Person { email: "kyle@meadowfield.example", name: "Kyle Morgan", role: Role::Member, born: Some(1993), postcode: "MF3 7GL", max_km: 2.0, share: Connectors,
        appreciated: "Loyal and brave.", important: "My dog Tyson, my flat, and staying off the streets.", support: "I was homeless for two years. Do not judge. Turn up when you say.", story: "I grew up in care. I slept rough for two years. I have had my flat for eighteen months and I want to help others who are where I was.", gifts: "Head: knowing how the system really works. Hands: painting and decorating. Heart: I know what it is like.",
        interests: ("Peer mentoring, painting and decorating work, and dog walking.", &["peer_support", "work", "nature"]), communication: "Text. My phone is pay as you go.", access: ("", &[], &[]), travel: "Walking.", free: ("Most days.", &[("MO", "10:00", "15:00"), ("TU", "10:00", "15:00"), ("TH", "10:00", "15:00")]),
        circle: &[("close", "Tyson (dog)", ""), ("paid", "Housing support worker", "")] },
    Person { email: "anjali@meadowfield.example", name: "Anjali Patel", role: Role::Member, born: Some(1955), postcode: "MF1 5EH", max_km: 2.0, share: Members,
        appreciated: "Wise, and a brilliant cook.", important: "My temple, my grandchildren, and yoga.", support: "I have arthritis in my hands.", story: "I came from Kenya in 1972 with my family. I ran a corner shop for thirty years with my husband, who died last year.", gifts: "Head: Gujarati, Hindi, running a shop. Hands: cooking, yoga. Heart: I feed people.",
        interests: ("Chair yoga, cooking with others, and a widows' group.", &["moving", "food", "faith_culture"]), communication: "Gujarati, Hindi and English.", access: ("", &[], &["step_free"]), travel: "My son drives me.", free: ("Afternoons.", &[("TU", "14:00", "17:00"), ("FR", "14:00", "17:00")]),
        circle: &[("close", "Raj (son)", ""), ("community", "Temple ladies", "")] },
    Person { email: "liam.b@meadowfield.example", name: "Liam Burke", role: Role::Member, born: Some(1995), postcode: "MF2 3CF", max_km: 3.0, share: Members,
        appreciated: "Gentle and always smiling.", important: "Beth, my job at the garden centre, and Meadowfield Rovers.", support: "I have Down's syndrome. Give me time.", story: "I live with my mum and I work at the garden centre two days a week. I play football for the inclusive team.", gifts: "Head: plants. Hands: football, watering everything. Heart: I make friends easily.",
        interests: ("Football, gardening, and a drama group.", &["moving", "nature", "arts"]), communication: "Easy words.", access: ("Easy read.", &["easy_read"], &[]), travel: "Bus with my travel buddy.", free: ("Weekends.", &[("SA", "10:00", "14:00")]),
        circle: &[("close", "Mum", ""), ("family_friends", "Beth (girlfriend)", "")] },
    Person { email: "olu@meadowfield.example", name: "Olu Balogun", role: Role::Member, born: Some(1977), postcode: "MF2 8HN", max_km: 5.0, share: Connectors,
        appreciated: "Calm in a storm.", important: "My wife, my faith, and walking.", support: "I am blind. Describe the room when I arrive.", story: "I lost my sight at forty to glaucoma. I had to learn everything again. I work in customer service now and I walk with my guide dog, Hero.", gifts: "Head: customer service, resilience. Hands: cooking by feel. Heart: I help people who have just lost their sight.",
        interests: ("Walking group, peer support for sight loss, and a choir.", &["moving", "peer_support", "arts"]), communication: "Phone and screen reader friendly email.", access: ("Guide dog.", &["large_print"], &["assistance_dogs"]), travel: "With Hero, on the bus.", free: ("Evenings and weekends.", &[("SA", "09:00", "12:00"), ("TU", "18:00", "20:00")]),
        circle: &[("close", "Funmi (wife)", ""), ("close", "Hero (guide dog)", "")] },
    Person { email: "eileen@meadowfield.example", name: "Eileen Murphy", role: Role::Member, born: Some(1941), postcode: "MF3 9JP", max_km: 1.0, share: Circle,
        appreciated: "I have a lovely singing voice, they tell me.", important: "Singing, my photos, and knowing my family is near.", support: "I have dementia. Keep it simple and smile.", story: "I was a dinner lady at Oakwood Primary for twenty-five years. My daughter helps me write this.", gifts: "Head: old songs. Hands: baking scones. Heart: I love children.",
        interests: ("Singing for the brain, reminiscence and baking.", &["arts", "social", "wellbeing"]), communication: "Talking, with patience.", access: ("", &[], &["quiet_space"]), travel: "My daughter takes me.", free: ("Mornings are my best time.", &[("MO", "10:00", "12:00"), ("WE", "10:00", "12:00")]),
        circle: &[("close", "Siobhan (daughter)", "07700 900011"), ("paid", "Memory clinic nurse", "")] },
    Person { email: "marcus@meadowfield.example", name: "Marcus Reid", role: Role::Member, born: Some(1983), postcode: "MF1 1BQ", max_km: 5.0, share: Members,
        appreciated: "Creative and a good laugh.", important: "Music, my son, and keeping well.", support: "I hear voices sometimes. I manage. Do not panic.", story: "I have schizophrenia and I make music. I run a small recording studio in my spare room for young people.", gifts: "Head: music production. Hands: guitar. Heart: I talk openly about mental health.",
        interests: ("Open mic nights, mentoring young musicians, and peer support.", &["arts", "peer_support", "wellbeing"]), communication: "Text.", access: ("", &[], &[]), travel: "Bus.", free: ("Afternoons and evenings.", &[("WE", "14:00", "20:00"), ("FR", "14:00", "20:00")]),
        circle: &[("close", "Jayden (son)", ""), ("paid", "Care coordinator", "")] },
    Person { email: "sophie.l@meadowfield.example", name: "Sophie Lambert", role: Role::Member, born: Some(1998), postcode: "MF2 4DG", max_km: 4.0, share: Connectors,
        appreciated: "Kind, thoughtful, a good friend.", important: "My partner, my cats, and my garden.", support: "I am autistic and have anxiety. New places are hard; tell me what to expect.", story: "I was diagnosed as autistic at twenty-five, which explained a lot. I work part-time at the library.", gifts: "Head: books, cataloguing. Hands: illustration. Heart: I understand anxiety.",
        interests: ("An autistic adults' social group, drawing, and nature walks.", &["social", "arts", "nature"]), communication: "Email. No surprise phone calls please.", access: ("Quiet spaces.", &["easy_read"], &["quiet_space"]), travel: "Walking and bus.", free: ("Weekends.", &[("SA", "10:00", "15:00"), ("SU", "10:00", "15:00")]),
        circle: &[("close", "Alex (partner)", "")] },
    Person { email: "harold@meadowfield.example", name: "Harold Green", role: Role::Member, born: Some(1946), postcode: "MF3 7GL", max_km: 3.0, share: Members,
        appreciated: "Practical and reliable.", important: "My allotment and my late wife's roses.", support: "I had a heart attack last year. Nothing too strenuous.", story: "I was a postman for forty years. I know every street. I grow prize onions.", gifts: "Head: every street in Meadowfield. Hands: gardening. Heart: I share my vegetables.",
        interests: ("Gardening, a walking group for heart health, and a quiz night.", &["nature", "moving", "social"]), communication: "Phone.", access: ("", &[], &[]), travel: "Walking.", free: ("Mornings.", &[("TU", "09:00", "12:00"), ("FR", "09:00", "12:00")]),
        circle: &[("family_friends", "Paul (son)", "")] },
    Person { email: "nadia@meadowfield.example", name: "Nadia Rahman", role: Role::Member, born: Some(1992), postcode: "MF1 5EH", max_km: 3.0, share: Connectors,
        appreciated: "Determined and funny.", important: "My baby, my husband, and my studies.", support: "I have postnatal depression. Please be gentle.", story: "I had my first baby six months ago. It has been harder than I expected. I am studying accounting part-time.", gifts: "Head: accounting. Hands: henna. Heart: I want to help other new mums.",
        interests: ("A new mums' group, gentle exercise, and study buddies.", &["wellbeing", "peer_support", "moving"]), communication: "WhatsApp. Bengali and English.", access: ("Baby-friendly spaces.", &[], &["step_free"]), travel: "Walking with the pram.", free: ("Mornings.", &[("TU", "10:00", "12:00"), ("TH", "10:00", "12:00")]),
        circle: &[("close", "Imran (husband)", ""), ("paid", "Health visitor", "")] },
    Person { email: "ian.f@meadowfield.example", name: "Ian Fletcher", role: Role::Member, born: Some(1966), postcode: "MF2 8HN", max_km: 10.0, share: Members,
        appreciated: "Dependable and handy.", important: "Staying independent after my spinal injury.", support: "I use a wheelchair. I will tell you if I need help.", story: "I was a roofer until a fall in 2010. I am now a wheelchair basketball coach and access advisor.", gifts: "Head: access, building regulations. Hands: basketball. Heart: I push for accessibility.",
        interests: ("Wheelchair basketball, access auditing, and fishing.", &["moving", "volunteering", "nature"]), communication: "Any.", access: ("Wheelchair user.", &["blue_badge_parking"], &["step_free", "accessible_toilet"]), travel: "Adapted car.", free: ("Evenings.", &[("TU", "18:00", "21:00"), ("TH", "18:00", "21:00")]),
        circle: &[("close", "Claire (wife)", "")] },
    Person { email: "mary.k@meadowfield.example", name: "Mary Kamara", role: Role::Member, born: Some(1960), postcode: "MF1 2BD", max_km: 3.0, share: Connectors,
        appreciated: "Strong faith and a big laugh.", important: "My church, my grandchildren and my sister.", support: "I care for my sister who has sickle cell.", story: "I came from Sierra Leone in 1999. I worked as a cleaner and raised four children. Now I care for my sister.", gifts: "Head: Krio, knowledge of sickle cell. Hands: cooking, braiding hair. Heart: I pray for people.",
        interests: ("Carers' group, gospel choir, and cooking.", &["carers", "arts", "faith_culture"]), communication: "Phone.", access: ("", &[], &[]), travel: "Bus.", free: ("Saturday afternoons.", &[("SA", "13:00", "17:00")]),
        circle: &[("close", "Fatmata (sister)", ""), ("community", "Church of the Redeemer", "")] },
    Person { email: "connor@meadowfield.example", name: "Connor Walsh", role: Role::Member, born: Some(1987), postcode: "MF3 9JP", max_km: 8.0, share: Members,
        appreciated: "Good craftsman, quiet.", important: "My workshop, my dad, and staying busy.", support: "I am a veteran with PTSD. Loud bangs are hard.", story: "I served in Afghanistan. Back home I struggled. Woodwork saved me. I make furniture and teach others.", gifts: "Head: woodwork. Hands: furniture. Heart: I understand veterans.",
        interests: ("Men's shed, veterans' breakfast club, and teaching woodwork.", &["peer_support", "arts", "volunteering"]), communication: "Text.", access: ("Quiet space.", &[], &["quiet_space"]), travel: "Van.", free: ("Weekday afternoons.", &[("WE", "13:00", "17:00"), ("FR", "13:00", "17:00")]),
        circle: &[("close", "Dad", ""), ("community", "Veterans' breakfast club", "")] },
    Person { email: "zofia@meadowfield.example", name: "Zofia Nowak", role: Role::Member, born: Some(2000), postcode: "MF2 4DG", max_km: 5.0, share: Connectors,
        appreciated: "Brave and creative.", important: "My studies, my girlfriend, and drawing.", support: "I have type 1 diabetes. I may need to stop to eat.", story: "I came from Poland aged ten. I am studying graphic design and I run an LGBTQ+ art night.", gifts: "Head: design, Polish. Hands: drawing, zines. Heart: I make safe spaces.",
        interests: ("LGBTQ+ social group, art, and cycling.", &["arts", "social", "moving"]), communication: "Instagram, text.", access: ("", &[], &[]), travel: "Bike.", free: ("Evenings.", &[("TH", "18:00", "22:00")]),
        circle: &[("close", "Maya (girlfriend)", "")] },
    Person { email: "bernard@meadowfield.example", name: "Bernard Osei", role: Role::Member, born: Some(1950), postcode: "MF1 6FJ", max_km: 2.0, share: Members,
        appreciated: "A gentleman, and a fine chess player.", important: "Chess, my wife Grace, and the news.", support: "I had a stroke. My speech is slow; please wait.", story: "I was a civil engineer in Accra and then Birmingham. I moved here to be near my daughter after my stroke.", gifts: "Head: chess, engineering. Hands: once a good tailor. Heart: I encourage young people.",
        interests: ("Chess club, stroke survivors' group, and a walking group.", &["social", "peer_support", "moving"]), communication: "Give me time to speak.", access: ("", &["hearing_loop"], &["step_free"]), travel: "My daughter drives.", free: ("Afternoons.", &[("MO", "14:00", "16:00"), ("TH", "14:00", "16:00")]),
        circle: &[("close", "Efua (daughter)", "")] },
    Person { email: "kate.s@meadowfield.example", name: "Kate Simmons", role: Role::Member, born: Some(1972), postcode: "MF3 7GL", max_km: 6.0, share: Connectors,
        appreciated: "Resourceful and fierce.", important: "My son Ryan who has a learning disability, and fairness.", support: "I fight for my son every day; I am tired of forms.", story: "I am a single mum. Ryan is nineteen and wants to live more independently. I want to help him get there.", gifts: "Head: knowing rights and the system. Hands: painting. Heart: I stand up for families.",
        interests: ("Parent carers' forum, advocacy, and painting.", &["carers", "advice", "arts"]), communication: "Email or phone.", access: ("", &[], &[]), travel: "Car.", free: ("Wednesday evenings.", &[("WE", "18:00", "21:00")]),
        circle: &[("close", "Ryan (son)", "")] },
    Person { email: "arif@meadowfield.example", name: "Arif Chowdhury", role: Role::Member, born: Some(1948), postcode: "MF1 5EH", max_km: 2.0, share: Members,
        appreciated: "Respected elder, good listener.", important: "The mosque, my family, and my health.", support: "I have kidney disease and go to dialysis three times a week.", story: "I came from Bangladesh in 1968. I worked in a textile mill, then ran a restaurant. Dialysis has slowed me down.", gifts: "Head: Bengali, Urdu, the history of our community. Hands: cooking. Heart: I settle arguments.",
        interests: ("Men's group at the mosque, and gentle walks.", &["faith_culture", "social", "moving"]), communication: "Bengali and Urdu; my grandson translates.", access: ("", &[], &["step_free"]), travel: "My son drives.", free: ("Days without dialysis.", &[("TU", "11:00", "14:00"), ("TH", "11:00", "14:00")]),
        circle: &[("close", "Shafiq (son)", ""), ("paid", "Renal team", "")] },
    Person { email: "jade.w@meadowfield.example", name: "Jade Williams", role: Role::Member, born: Some(2001), postcode: "MF2 3CF", max_km: 5.0, share: Connectors,
        appreciated: "Bubbly and brilliant with older people.", important: "My nan, my job as a care worker, and my friends.", support: "I am a young carer for my nan too.", story: "I started caring for my nan at fifteen. Now I am a care worker and I love it, but I need time for me.", gifts: "Head: care. Hands: nails and make-up. Heart: older people love me.",
        interests: ("Young carers' meet-ups, dance, and a night out sometimes.", &["carers", "moving", "social"]), communication: "Snapchat or text.", access: ("", &[], &[]), travel: "Bus.", free: ("Days off vary.", &[("SU", "12:00", "18:00")]),
        circle: &[("close", "Nan", "")] },
];

/// Links between demo members: (person, member in their circle, ring, supporter).
const CIRCLE_LINKS: &[(&str, &str, &str, bool)] = &[
    (
        "grace@meadowfield.example",
        "aisha@meadowfield.example",
        "family_friends",
        false,
    ),
    (
        "grace@meadowfield.example",
        "margaret@meadowfield.example",
        "community",
        true,
    ),
    (
        "tom.wright@meadowfield.example",
        "harold@meadowfield.example",
        "community",
        false,
    ),
    (
        "beth@meadowfield.example",
        "liam.b@meadowfield.example",
        "close",
        true,
    ),
    (
        "jim.h@meadowfield.example",
        "mick@meadowfield.example",
        "community",
        true,
    ),
    (
        "eileen@meadowfield.example",
        "winston@meadowfield.example",
        "community",
        false,
    ),
    (
        "irene@meadowfield.example",
        "kwame@meadowfield.example",
        "community",
        false,
    ),
];

/// Connectors and the people who chose them.
const CONNECTORS: &[(&str, &[&str])] = &[
    (
        "sam.okafor@meadowfield.example",
        &[
            "tom.wright@meadowfield.example",
            "lena@meadowfield.example",
            "jim.h@meadowfield.example",
            "kyle@meadowfield.example",
            "sophie.l@meadowfield.example",
            "josh@meadowfield.example",
        ],
    ),
    (
        "joy@meadowfield.example",
        &[
            "aisha@meadowfield.example",
            "chen.wei@meadowfield.example",
            "nadia@meadowfield.example",
            "hannah@meadowfield.example",
            "olu@meadowfield.example",
        ],
    ),
    (
        "rhys@meadowfield.example",
        &[
            "beth@meadowfield.example",
            "gareth@meadowfield.example",
            "marcus@meadowfield.example",
            "connor@meadowfield.example",
        ],
    ),
];

/// Notes of conversations: (connector, person, date, story, next steps).
const CONVERSATIONS: &[(&str, &str, &str, &str, &str)] = &[
    ("sam.okafor@meadowfield.example", "tom.wright@meadowfield.example", "2026-10-14",
     "We met at Tom's allotment, which is where he is most himself. Tom showed me his raised beds and told me he gives away more than he eats. He would like to teach what he knows, and to be paid for outdoor work one day. Busy, noisy places wear him out; clear plans written down help.",
     "Sam to ask the community garden whether they want a volunteer teacher on weekday mornings. Tom to think about which days suit."),
    ("sam.okafor@meadowfield.example", "jim.h@meadowfield.example", "2026-11-03",
     "Jim made tea and we did half the crossword. Since Joan died the house has been quiet. He would like company, without a fuss, and he misses woodwork. Mick from the repair café has offered him a lift on Thursdays.",
     "Try the Thursday lunch club together once. Ask the men's shed about a seat and a bench that suits his frame."),
    ("joy@meadowfield.example", "aisha@meadowfield.example", "2026-10-28",
     "Aisha is calm in a crisis and makes people laugh. She cares for her mum and her son, and she wants to be more than a carer again: she was good with money at the bank. School hours are her time.",
     "Joy to send the times of the carers' café and the bookkeeping course at the library."),
    ("rhys@meadowfield.example", "beth@meadowfield.example", "2026-11-10",
     "Beth told me about her flat and her three days at The Kettle Café, where she knows every regular's order. She wants to speak up for other people with learning disabilities, and she loves baking.",
     "Go with Beth to the self-advocacy group's next meeting. Ask the café about a baking morning."),
];

/// Connectors added by this part of the demo (Sam is one of the founding accounts).
pub const EXTRA_CONNECTORS: &[(&str, &str)] = &[
    ("joy@meadowfield.example", "Joy Mensah"),
    ("rhys@meadowfield.example", "Rhys Evans"),
];

fn content(p: &Person, s: Section) -> Content {
    let text = |t: &str| Content {
        text: t.to_string(),
        ..Content::default()
    };
    match s {
        Section::Appreciated => text(p.appreciated),
        Section::Important => text(p.important),
        Section::Support => text(p.support),
        Section::Story => text(p.story),
        Section::Gifts => text(p.gifts),
        Section::Communication => text(p.communication),
        Section::Interests => Content {
            text: p.interests.0.to_string(),
            terms: p
                .interests
                .1
                .iter()
                .filter_map(|c| category_by_code(c))
                .map(|c| c.id.to_string())
                .collect(),
            ..Content::default()
        },
        Section::AccessNeeds => {
            let mut needs: Vec<String> = p.access.1.iter().map(|s| s.to_string()).collect();
            needs.extend(p.access.2.iter().map(|s| s.to_string()));
            Content {
                text: p.access.0.to_string(),
                needs,
                essential: p.access.2.iter().map(|s| s.to_string()).collect(),
                ..Content::default()
            }
        }
        Section::Travel => Content {
            text: p.travel.to_string(),
            postcode: Some(p.postcode.to_string()),
            max_km: Some(p.max_km),
            ..Content::default()
        },
        Section::Availability => Content {
            text: p.free.0.to_string(),
            slots: p
                .free
                .1
                .iter()
                .map(|(d, f, t)| Slot {
                    day: d.to_string(),
                    from: f.to_string(),
                    to: t.to_string(),
                })
                .collect(),
            ..Content::default()
        },
        Section::BirthYear => text(&p.born.map(|y| y.to_string()).unwrap_or_default()),
    }
}

/// Fill in a new demo member's profile and named circle.
pub async fn fill(store_: &Store, p: &Person, id: i64, now: i64) -> anyhow::Result<()> {
    let mut tx = store_.begin().await?;
    for &s in Section::ALL {
        let c = village_domain::people::profile::check(
            s,
            content(p, s),
            |t| village_domain::directory::taxonomy::category_by_id(t).is_some(),
            crate::this_year(now),
        )
        .map_err(|e| anyhow::anyhow!("demo profile of {}: {}", p.name, e.message))?;
        if c.is_empty() {
            continue;
        }
        let visibility = match s {
            Section::Story => p.share.min(Visibility::Connectors),
            Section::BirthYear => Visibility::OnlyMe,
            _ => p.share,
        };
        let structure = c.structure_json();
        store::put_section(
            &mut tx,
            &SectionWrite {
                user_id: id,
                section: s.key(),
                body: &c.text,
                structure: structure.as_deref(),
                visibility: visibility.code(),
                editor: id,
            },
            now,
        )
        .await?;
    }
    for (ring, name, contact) in p.circle {
        store::add_circle_entry(
            &mut tx,
            &NewCircleEntry {
                owner_id: id,
                ring,
                name,
                contact,
                member_id: None,
                status: "listed",
            },
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Link demo members into each other's circles and to their connectors, where not yet done.
pub async fn link(store_: &Store, now: i64) -> anyhow::Result<()> {
    let mut c = store_.conn().await?;
    let mut id_of = std::collections::HashMap::new();
    for email in CIRCLE_LINKS.iter().flat_map(|(a, b, _, _)| [*a, *b]).chain(
        CONNECTORS
            .iter()
            .flat_map(|(k, people)| std::iter::once(*k).chain(people.iter().copied())),
    ) {
        if let Some(u) = account_store::user_by_email(&mut c, email).await? {
            id_of.insert(email, (u.id, u.display_name));
        }
    }
    for (owner, member, ring, supporter) in CIRCLE_LINKS {
        let (Some((owner_id, _)), Some((member_id, name))) = (id_of.get(owner), id_of.get(member))
        else {
            continue;
        };
        if store::circle(&mut c, *owner_id)
            .await?
            .iter()
            .any(|e| e.member_id == Some(*member_id))
        {
            continue;
        }
        let entry = store::add_circle_entry(
            &mut c,
            &NewCircleEntry {
                owner_id: *owner_id,
                ring,
                name,
                contact: "",
                member_id: Some(*member_id),
                status: "accepted",
            },
            now,
        )
        .await?;
        if *supporter {
            store::update_circle_entry(
                &mut c,
                entry,
                &store::CircleUpdate {
                    ring,
                    name,
                    contact: "",
                    status: "accepted",
                    supporter: true,
                },
                now,
            )
            .await?;
        }
    }
    for (connector, people) in CONNECTORS {
        let Some((connector_id, _)) = id_of.get(connector) else {
            continue;
        };
        for person in *people {
            if let Some((person_id, _)) = id_of.get(person) {
                store::link_connector(&mut c, *person_id, *connector_id, true, now).await?;
            }
        }
    }
    for (connector, person, on, story, next_steps) in CONVERSATIONS {
        let (Some((connector_id, _)), Some((person_id, _))) =
            (id_of.get(connector), id_of.get(person))
        else {
            continue;
        };
        if !store::conversations(&mut c, *person_id, Some(*connector_id))
            .await?
            .is_empty()
        {
            continue;
        }
        store::add_conversation(
            &mut c,
            &store::NewConversation {
                person_id: *person_id,
                connector_id: *connector_id,
                happened_on: on,
                story,
                next_steps,
            },
            now,
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use village_domain::people::profile::check;

    #[test]
    fn forty_members_whose_profiles_pass_every_check() {
        assert_eq!(PEOPLE.len(), 40);
        let mut emails = std::collections::HashSet::new();
        for p in PEOPLE {
            assert!(emails.insert(p.email), "{} twice", p.email);
            assert_eq!(p.role, Role::Member);
            for &s in Section::ALL {
                let c = content(p, s);
                let checked = check(
                    s,
                    c.clone(),
                    |t| village_domain::directory::taxonomy::category_by_id(t).is_some(),
                    2026,
                );
                assert!(
                    checked.is_ok(),
                    "{} {}: {:?}",
                    p.name,
                    s.key(),
                    checked.err()
                );
            }
            assert_eq!(
                content(p, Section::Interests).terms.len(),
                p.interests.1.len(),
                "{}: unknown category",
                p.name
            );
            for (ring, name, _) in p.circle {
                assert!(
                    village_domain::people::circle::Ring::parse(ring).is_some(),
                    "{name}"
                );
            }
        }
        let known: Vec<String> = crate::demo::directory::postcodes()
            .into_iter()
            .map(|(p, ..)| p)
            .collect();
        for p in PEOPLE {
            assert!(
                known.iter().any(|k| k == p.postcode),
                "{} lives at {}, which the directory does not know",
                p.name,
                p.postcode
            );
        }
        for (owner, member, ring, _) in CIRCLE_LINKS {
            assert!(emails.contains(owner) && emails.contains(member));
            assert!(village_domain::people::circle::Ring::parse(ring).is_some());
        }
        for (connector, person, on, _, _) in CONVERSATIONS {
            assert!(
                CONNECTORS
                    .iter()
                    .any(|(k, people)| k == connector && people.contains(person)),
                "{person}"
            );
            assert!(chrono::NaiveDate::parse_from_str(on, "%Y-%m-%d").is_ok());
        }
        for (_, people) in CONNECTORS {
            for p in *people {
                assert!(emails.contains(p), "{p}");
            }
        }
    }
}

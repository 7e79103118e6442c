//! Synthetic datasets of N commitments, for benchmarks and load tests: valid, deterministic for a
//! given seed, with the character mix of real ones (Azerbaijani letters, Cyrillic, long quotes,
//! dates known to the year, the month or the day) and the shapes the briefing has sections for
//! (targets, commitments made within the SCO, repeats and upgrades, expert views, follow-through
//! events: one per commitment of the document before, as many events as commitments). Each
//! document has two sources, published on the last day of its year or of its events' year,
//! whichever is later (so everything is known by 2026); two commitments in three cite one of them by id, one in three has several fields, and
//! one in six carries a list of quotes with whose words they are; one in five has a deadline (a
//! quarter), one in eight a note and one in eight a dated note, one event in ten moves a deadline,
//! and every commitment has its number in the register.
//!
//! Shared by `examples/gen-dataset.rs` (writes files) and `benches/pipeline.rs` (parses in memory),
//! so both measure the same data.

use std::fmt::Write as _;

/// xorshift64*: tiny, deterministic, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const FIELDS: [&str; 10] = [
    "political-dialogue",
    "economy-trade",
    "energy",
    "green-energy",
    "transport-connectivity",
    "industry",
    "science-technology",
    "security",
    "multilateral",
    "people-to-people",
];
const KINDS: [&str; 5] = [
    "joint-statement",
    "declaration",
    "readout",
    "agreement",
    "news-report",
];
const ACTIONS: [&str; 6] = [
    "support",
    "cooperate",
    "invest",
    "sign",
    "develop",
    "promote",
];
const STATUSES: [&str; 4] = ["stated", "in-progress", "implemented", "stated"];
const PLACES: [&str; 6] = ["Bakı", "Gəncə", "Şəki", "Beijing", "Москва", "Ağdam"];
const SUBJECTS: [&str; 8] = [
    "the Middle Corridor rail link through Ələt port",
    "photovoltaic power stations in Qobustan",
    "joint research at Bakı Dövlət Universiteti",
    "trade facilitation at the Qazax–Ağstafa border",
    "electric buses for Gəncə and Şəki",
    "a cultural centre in İsmayıllı",
    "сотрудничество в области энергетики",
    "the SCO Year of Sustainable Development",
];

fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A dataset as file names and texts: `dataset.toml`, then `documents/doc-NNNNNN.toml`.
pub struct Synthetic {
    pub manifest: String,
    pub documents: Vec<(String, String)>,
    /// The number register (`numbers.toml`): every commitment numbered.
    pub numbers: String,
}

pub const MANIFEST: &str = "title = \"China–Azerbaijan (synthetic)\"\n\n[[parties]]\ncode = \"CN\"\nname = \"China\"\n\n[[parties]]\ncode = \"AZ\"\nname = \"Azerbaijan\"\n\n[[organisations]]\nid = \"sco\"\nname = \"Shanghai Cooperation Organisation\"\nshort = \"SCO\"\n";

const AUTHORS: [&str; 4] = [
    "Shi Jing",
    "Fərid Şəfiyev",
    "Анна Козлова",
    "Elnur İsmayılov",
];

const EVENT_STATUSES: [&str; 4] = ["in-progress", "implemented", "stalled", "withdrawn"];

/// Ten commitments per document; one document in five also carries an expert view; every
/// document but the first records an event on each commitment of the one before.
pub fn generate(n: usize, seed: u64) -> Synthetic {
    let mut rng = Rng(seed | 1);
    let per_doc = 10;
    let n_docs = n.div_ceil(per_doc).max(1);
    let mut made = 0;
    let mut documents = Vec::with_capacity(n_docs);
    // The previous document's date and its commitments' numbers, for the events.
    let mut previous: Option<(String, std::ops::Range<usize>)> = None;
    for d in 0..n_docs {
        let year = 2015 + rng.below(11);
        let month = 1 + rng.below(12);
        let day = 1 + rng.below(28);
        let date = match rng.below(4) {
            0 => format!("{year}"),
            1 => format!("{year}-{month:02}"),
            _ => format!("{year}-{month:02}-{day:02}"),
        };
        let mut t = String::new();
        let _ = writeln!(t, "id = \"doc-{d:06}\"");
        let _ = writeln!(
            t,
            "title = {}",
            q(&format!("Statement {d} on {}", rng.pick(&SUBJECTS)))
        );
        let _ = writeln!(t, "kind = \"{}\"", rng.pick(&KINDS));
        let _ = writeln!(t, "date = \"{date}\"");
        let _ = writeln!(t, "place = {}", q(rng.pick(&PLACES)));
        let _ = writeln!(t, "parties = [\"CN\", \"AZ\"]\n");
        // The sources report this document's events too, so they are out once the last of
        // those happened (the previous document's date): never before what they report.
        let known = previous
            .as_ref()
            .and_then(|(date, _)| date.get(..4)?.parse::<usize>().ok())
            .map_or(year, |y| y.max(year));
        let _ = writeln!(t, "[[sources]]\nid = \"trend\"\npublisher = \"Trend News Agency\"\npublished = \"{known}-12-31\"\nlanguage = \"en\"\nreliability = \"independent-media\"\nurl = \"https://example.org/news/{d}\"\n");
        let _ = writeln!(t, "[[sources]]\nid = \"azertag\"\npublisher = \"AZERTAC\"\npublished = \"{known}-12-31\"\nlanguage = \"az\"\nreliability = \"state-media\"\n");
        let first_here = made;
        for _ in 0..per_doc.min(n - made) {
            let mutual = rng.below(3) == 0;
            let _ = writeln!(t, "[[commitments]]\nid = \"c-{made:07}\"");
            let within = rng.below(5) == 0;
            if mutual {
                let _ = writeln!(t, "mutual = true");
            } else {
                let (actor, other) = if rng.below(2) == 0 {
                    ("CN", "AZ")
                } else {
                    ("AZ", "CN")
                };
                let _ = writeln!(t, "actor = \"{actor}\"");
                match rng.below(3) {
                    0 => {
                        let _ = writeln!(t, "target = \"{other}\"");
                    }
                    1 if !within => {
                        let _ = writeln!(t, "target = \"sco\"");
                    }
                    _ => {}
                }
            }
            if within {
                let _ = writeln!(t, "within = \"sco\"");
            }
            match rng.below(3) {
                0 => {
                    let a = rng.below(FIELDS.len());
                    let b = (a + 1 + rng.below(FIELDS.len() - 1)) % FIELDS.len();
                    let _ = writeln!(t, "fields = [\"{}\", \"{}\"]", FIELDS[a], FIELDS[b]);
                }
                _ => {
                    let _ = writeln!(t, "field = \"{}\"", rng.pick(&FIELDS));
                }
            }
            match rng.below(3) {
                0 => {}
                1 => {
                    let _ = writeln!(t, "sources = [\"trend\"]");
                }
                _ => {
                    let _ = writeln!(t, "sources = [\"azertag\"]");
                }
            }
            let _ = writeln!(t, "action = \"{}\"", rng.pick(&ACTIONS));
            let _ = writeln!(t, "status = \"{}\"", rng.pick(&STATUSES));
            // One in twenty repeats or upgrades an earlier commitment of the same document.
            if made > first_here && rng.below(20) == 0 {
                let rel = if rng.below(2) == 0 {
                    "repeats"
                } else {
                    "upgrades"
                };
                let _ = writeln!(t, "{rel} = \"c-{:07}\"", made - 1);
            }
            let subject = rng.pick(&SUBJECTS);
            let _ = writeln!(
                t,
                "summary = {}",
                q(&format!("Commitment {made} on {subject}."))
            );
            // Deadlines at every precision and notes, one dated in two, on a fixed share of the
            // commitments (not from the random stream, so the rest of the dataset is unchanged).
            if made % 5 == 0 {
                let _ = writeln!(t, "due = \"{}-Q{}\"", year + 1, 1 + made % 4);
            }
            match made % 8 {
                0 => {
                    let _ = writeln!(t, "note = \"As reported by the agency.\"");
                }
                4 => {
                    let _ = writeln!(
                        t,
                        "note = {{ text = \"Later reported as delayed.\", written = \"{}-06\" }}",
                        year + 1
                    );
                }
                _ => {}
            }
            if rng.below(3) == 0 {
                let quote = format!(
                    "The sides agreed to deepen cooperation on {subject}, including in {} and {}, and to review progress at the next meeting of the intergovernmental commission. Стороны договорились продолжить работу.",
                    rng.pick(&PLACES),
                    rng.pick(&PLACES)
                );
                let _ = writeln!(t, "quote = {}", q(&quote));
            } else if rng.below(2) == 0 {
                let _ = writeln!(
                    t,
                    "quotes = [{{ text = \"Əməkdaşlıq davam edəcək.\", by = \"speaker\", speaker = {}, language = \"az\", translation = \"Cooperation will continue.\", source = \"azertag\" }}]",
                    q(rng.pick(&AUTHORS))
                );
            }
            t.push('\n');
            made += 1;
        }
        if rng.below(5) == 0 {
            let subject = rng.pick(&SUBJECTS);
            let _ = writeln!(
                t,
                "[[assessments]]\nauthor = {}\nfields = [\"{}\", \"{}\"]\nsummary = {}\nquote = {}\n",
                q(rng.pick(&AUTHORS)),
                rng.pick(&FIELDS),
                rng.pick(&FIELDS),
                q(&format!("Progress on {subject} depends on financing and on the Caspian route.")),
                q(&format!("I believe cooperation on {subject} will grow as mutual trust grows; в ближайшие годы это станет заметно."))
            );
        }
        // Dated as the commitment, so never before it, whatever this document's date.
        if let Some((date, numbers)) = previous.take() {
            for c in numbers {
                // One event in ten also moves the deadline.
                let moved = if c % 10 == 0 {
                    "due = \"2027-H2\"\n"
                } else {
                    ""
                };
                let _ = writeln!(
                    t,
                    "[[events]]\ncommitment = \"c-{c:07}\"\ndate = \"{date}\"\nstatus = \"{}\"\n{moved}summary = {}\n",
                    rng.pick(&EVENT_STATUSES),
                    q(&format!("Follow-up on commitment {c}: {}.", rng.pick(&SUBJECTS)))
                );
            }
        }
        previous = Some((date, first_here..made));
        documents.push((format!("documents/doc-{d:06}.toml"), t));
    }
    let mut numbers = String::from("[numbers]\n");
    for c in 0..made {
        let _ = writeln!(numbers, "\"c-{c:07}\" = {}", c + 1);
    }
    Synthetic {
        manifest: MANIFEST.to_string(),
        documents,
        numbers,
    }
}

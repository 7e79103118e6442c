//! The briefing as a sequence of blocks: the same story as the Markdown, section for section,
//! in plain data.
//!
//! Building blocks first (instead of genpdf elements straight away) lets the renderer see every
//! character before it chooses and subsets the fonts, and keeps the wording testable without PDF.

use crate::briefing::aggregate::{join_and, plural};
use crate::briefing::model::{Briefing, CommitmentItem};

/// A piece of text in one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    pub muted: bool,
}

impl Span {
    pub fn plain(t: impl Into<String>) -> Self {
        Self {
            text: t.into(),
            bold: false,
            italic: false,
            muted: false,
        }
    }
    pub fn bold(t: impl Into<String>) -> Self {
        Self {
            bold: true,
            ..Self::plain(t)
        }
    }
    pub fn italic(t: impl Into<String>) -> Self {
        Self {
            italic: true,
            ..Self::plain(t)
        }
    }
    pub fn muted(t: impl Into<String>) -> Self {
        Self {
            muted: true,
            ..Self::plain(t)
        }
    }
    /// Which of the four font styles: Regular, Bold, Italic, BoldItalic.
    pub fn style_index(&self) -> usize {
        match (self.bold, self.italic) {
            (false, false) => 0,
            (true, false) => 1,
            (false, true) => 2,
            (true, true) => 3,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Title {
        title: String,
        subtitle: String,
    },
    /// Label–value lines under the title.
    Meta(Vec<(String, String)>),
    /// Level 1: a section; level 2: a subsection.
    Heading {
        level: u8,
        text: String,
    },
    Para(Vec<Span>),
    /// A bulleted item; `indent` in mm.
    Item {
        spans: Vec<Span>,
        indent: f64,
    },
    /// A verbatim quote, indented and in italics.
    Quote(String),
    Table {
        weights: Vec<usize>,
        right: Vec<bool>,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    Chart(Vec<(String, usize)>),
    Gap(f64),
}

impl Block {
    /// Every span of text in the block, for font coverage and subsetting.
    pub fn spans(&self) -> Vec<Span> {
        match self {
            Block::Title { title, subtitle } => {
                vec![Span::bold(title.clone()), Span::plain(subtitle.clone())]
            }
            Block::Meta(rows) => rows
                .iter()
                .flat_map(|(k, v)| [Span::bold(k.clone()), Span::plain(v.clone())])
                .collect(),
            Block::Heading { text, .. } => vec![Span::bold(text.clone())],
            Block::Para(s) | Block::Item { spans: s, .. } => s.clone(),
            Block::Quote(q) => vec![Span::italic(q.clone())],
            Block::Table { header, rows, .. } => header
                .iter()
                .map(|h| Span::bold(h.clone()))
                .chain(rows.iter().flatten().map(|c| Span::plain(c.clone())))
                .collect(),
            Block::Chart(bars) => bars
                .iter()
                .flat_map(|(l, n)| [Span::plain(l.clone()), Span::bold(n.to_string())])
                .collect(),
            Block::Gap(_) => Vec::new(),
        }
    }
}

fn cite(nums: &[usize]) -> String {
    if nums.is_empty() {
        String::new()
    } else {
        format!(
            " [{}]",
            nums.iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

fn commitment(b: &Briefing, c: &CommitmentItem, out: &mut Vec<Block>) {
    let within = c
        .within
        .as_deref()
        .map(|w| format!(" (within the {})", org_name(b, w)))
        .unwrap_or_default();
    let due = c
        .due
        .map(|d| format!(", due {}", d.human()))
        .unwrap_or_default();
    out.push(Block::Item {
        spans: vec![
            Span::bold(c.date.human()),
            Span::plain(format!(" · {}{within}: {} ", pdf_who(&c.who), c.summary)),
            Span::italic(format!("({}{due})", c.status.label())),
            Span::plain(cite(&c.sources)),
        ],
        indent: 0.0,
    });
    if let Some(note) = &c.note {
        out.push(Block::Item {
            spans: vec![Span::muted(format!("Note: {note}"))],
            indent: 5.0,
        });
    }
    if let Some(q) = &c.quote {
        out.push(Block::Quote(format!("“{q}”")));
    }
}

/// The model's "Azerbaijan → China" with a word for the arrow, which Noto Sans (like most text
/// fonts) does not have.
fn pdf_who(who: &str) -> String {
    who.replace(" → ", " to ")
}

fn org_name(b: &Briefing, id: &str) -> String {
    b.vocabulary
        .organisations
        .iter()
        .find(|o| o.id == id)
        .map(|o| o.short.clone().unwrap_or(o.name.clone()))
        .unwrap_or_else(|| id.to_string())
}

fn h1(out: &mut Vec<Block>, t: &str) {
    out.push(Block::Heading {
        level: 1,
        text: t.to_string(),
    });
}

fn h2(out: &mut Vec<Block>, t: impl Into<String>) {
    out.push(Block::Heading {
        level: 2,
        text: t.into(),
    });
}

fn none(out: &mut Vec<Block>, t: &str) {
    out.push(Block::Para(vec![Span::muted(t)]));
}

/// The whole briefing as blocks.
pub fn story(b: &Briefing) -> Vec<Block> {
    let h = &b.header;
    let mut out = Vec::new();
    out.push(Block::Title {
        title: format!("{} briefing", h.title),
        subtitle: format!("As of {}", crate::PartialDate::from_naive(h.as_of).human()),
    });
    let period = match h.period.since {
        Some(s) => format!(
            "{} to {}",
            crate::PartialDate::from_naive(s).human(),
            crate::PartialDate::from_naive(h.period.until).human()
        ),
        None => format!(
            "all dates to {}",
            crate::PartialDate::from_naive(h.period.until).human()
        ),
    };
    let mut meta = vec![
        ("Period".to_string(), period),
        (
            "Data cut-off".to_string(),
            h.data_cutoff
                .map(|d| format!("{} (newest source)", d.human()))
                .unwrap_or_else(|| "no sources".into()),
        ),
        (
            "Coverage".to_string(),
            format!(
                "{}, {}, {}, {}",
                plural(h.counts.documents, "document", "documents"),
                plural(h.counts.commitments, "commitment", "commitments"),
                plural(h.counts.views, "expert view", "expert views"),
                plural(h.counts.sources, "source", "sources"),
            ),
        ),
    ];
    if !h.filters.fields.is_empty() {
        let labels: Vec<String> = h
            .filters
            .fields
            .iter()
            .map(|f| b.field_label(f).to_string())
            .collect();
        meta.push(("Fields".into(), labels.join(", ")));
    }
    if let Some(p) = &h.filters.party {
        meta.push((
            "Party".into(),
            format!("commitments by {}, and mutual ones", b.party_name(p)),
        ));
    }
    if let Some(n) = h.detail.per_list {
        meta.push((
            "Detail".into(),
            format!(
                "summary; each list shows its {n} most recent entries, counts cover everything"
            ),
        ));
    }
    meta.push(("Generated by".into(), b.generator.clone()));
    out.push(Block::Meta(meta));

    h1(&mut out, "Bottom line up front");
    out.push(Block::Para(vec![Span::plain(b.bottom_line.join(" "))]));

    if let Some(ch) = &b.changes {
        h1(&mut out, "Changes since the last briefing");
        out.push(Block::Para(vec![Span::plain(format!(
            "Since the briefing of {}: {}, {} and {}.",
            ch.since.format("%-d %B %Y"),
            plural(ch.new_documents.len(), "new document", "new documents"),
            plural(
                ch.new_commitments.len(),
                "new commitment",
                "new commitments"
            ),
            plural(ch.status_changes.len(), "status change", "status changes"),
        ))]));
        if !ch.new_documents.is_empty() {
            h2(&mut out, "New documents");
            for d in &ch.new_documents {
                out.push(Block::Item {
                    spans: vec![
                        Span::bold(d.date.human()),
                        Span::plain(format!(" · {}: ", d.kind.label())),
                        Span::italic(d.title.clone()),
                        Span::plain(cite(&d.sources)),
                    ],
                    indent: 0.0,
                });
            }
        }
        if !ch.new_commitments.is_empty() {
            h2(&mut out, "New commitments");
            for c in &ch.new_commitments {
                commitment(b, c, &mut out);
            }
        }
        if !ch.status_changes.is_empty() {
            h2(&mut out, "Status changes");
            for s in &ch.status_changes {
                out.push(Block::Item {
                    spans: vec![
                        Span::bold(s.commitment.date.human()),
                        Span::plain(format!(
                            " · {}: {} ",
                            pdf_who(&s.commitment.who),
                            s.commitment.summary
                        )),
                        Span::italic(format!("({} to {})", s.from.label(), s.to.label())),
                        Span::plain(cite(&s.commitment.sources)),
                    ],
                    indent: 0.0,
                });
            }
        }
    }

    h1(&mut out, "Commitments by field");
    if b.fields.is_empty() {
        none(&mut out, "No commitments in the period.");
    } else {
        out.push(Block::Table {
            weights: vec![30, 13, 14, 14, 29, 16],
            right: vec![false, true, false, false, false, false],
            header: ["Field", "Count", "First", "Latest", "By", "Status"]
                .map(String::from)
                .to_vec(),
            rows: b
                .fields
                .iter()
                .map(|f| {
                    vec![
                        f.label.clone(),
                        f.count.to_string(),
                        f.first.human(),
                        f.latest.human(),
                        tallies(&f.parties),
                        tallies(&f.statuses),
                    ]
                })
                .collect(),
        });
        out.push(Block::Gap(3.0));
        out.push(Block::Chart(
            b.fields
                .iter()
                .map(|f| (f.label.clone(), f.count))
                .collect(),
        ));
        for f in &b.fields {
            h2(&mut out, f.label.clone());
            for c in &f.commitments {
                commitment(b, c, &mut out);
            }
            omitted(&mut out, f.omitted, "earlier commitment", "in this field");
        }
    }

    h1(&mut out, "Timeline");
    if b.timeline.is_empty() {
        none(&mut out, "No documents in the period.");
    }
    if h.detail.summary && !b.timeline.is_empty() {
        out.push(Block::Table {
            weights: vec![40, 20, 20, 20],
            right: vec![false, true, true, true],
            header: ["Period", "Documents", "Commitments", "Expert views"]
                .map(String::from)
                .to_vec(),
            rows: b
                .timeline
                .iter()
                .map(|t| {
                    vec![
                        t.period.human(),
                        t.document_count.to_string(),
                        t.commitments.to_string(),
                        t.views.to_string(),
                    ]
                })
                .collect(),
        });
        h2(&mut out, "Most recent documents");
    }
    for bucket in &b.timeline {
        if !h.detail.summary {
            h2(&mut out, bucket.period.human());
        }
        for d in &bucket.documents {
            timeline_document(d, &mut out);
        }
    }

    h1(&mut out, "Reciprocity");
    let mut rows: Vec<Vec<String>> = b
        .reciprocity
        .parties
        .iter()
        .map(|p| {
            vec![
                p.party.name.clone(),
                p.to_other_count.to_string(),
                p.to_organisations_count.to_string(),
            ]
        })
        .collect();
    rows.push(vec![
        "Both sides, jointly".into(),
        b.reciprocity.mutual_count.to_string(),
        String::new(),
    ]);
    out.push(Block::Table {
        weights: vec![50, 25, 25],
        right: vec![false, true, true],
        header: ["Party", "To the other party", "To organisations"]
            .map(String::from)
            .to_vec(),
        rows,
    });
    for p in &b.reciprocity.parties {
        h2(&mut out, format!("Commitments by {}", p.party.name));
        if p.to_other.is_empty() && p.to_organisations.is_empty() {
            none(&mut out, "None in the period.");
        }
        for c in p.to_other.iter().chain(&p.to_organisations) {
            commitment(b, c, &mut out);
        }
        let by = format!("by {}", p.party.name);
        omitted(&mut out, p.omitted, "earlier commitment", &by);
    }
    h2(&mut out, "Joint commitments");
    if b.reciprocity.mutual.is_empty() {
        none(&mut out, "None in the period.");
    }
    for c in &b.reciprocity.mutual {
        commitment(b, c, &mut out);
    }
    omitted(
        &mut out,
        b.reciprocity.mutual_omitted,
        "earlier joint commitment",
        "",
    );

    h1(&mut out, "Multilateral");
    if b.multilateral.is_empty() {
        none(
            &mut out,
            "No commitment in the period targets an organisation or is made within one.",
        );
    }
    for m in &b.multilateral {
        let name = match &m.organisation.short {
            Some(s) => format!("{} ({s})", m.organisation.name),
            None => m.organisation.name.clone(),
        };
        h2(&mut out, name);
        for c in &m.commitments {
            commitment(b, c, &mut out);
        }
        omitted(
            &mut out,
            m.omitted,
            "earlier commitment",
            "concerning this organisation",
        );
    }

    h1(&mut out, "Lineage");
    if b.lineage.is_empty() {
        none(
            &mut out,
            "No commitment in the period repeats or upgrades an earlier one.",
        );
    }
    for l in &b.lineage {
        out.push(Block::Item {
            spans: vec![
                Span::bold(l.commitment.date.human()),
                Span::plain(format!(
                    " · {}: {}{} — {} the commitment of {}: {}",
                    pdf_who(&l.commitment.who),
                    l.commitment.summary,
                    cite(&l.commitment.sources),
                    l.relation,
                    l.earlier_date.human(),
                    l.earlier_summary
                )),
            ],
            indent: 0.0,
        });
    }
    omitted(
        &mut out,
        h.detail.lineage_omitted,
        "earlier repeated or upgraded commitment",
        "",
    );

    h1(&mut out, "Expert views");
    if b.views.is_empty() {
        none(&mut out, "No expert views in the period.");
    }
    for g in &b.views {
        h2(&mut out, g.author.clone());
        let mut who: Vec<String> = Vec::new();
        if let Some(r) = &g.role {
            let mut c = r.chars();
            who.push(
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default(),
            );
        }
        if let Some(a) = &g.affiliation {
            who.push(a.clone());
        }
        who.push(g.date.human());
        out.push(Block::Para(vec![
            Span::muted(format!("{} · ", who.join(", "))),
            Span::italic(g.document_title.clone()),
            Span::muted(cite(&g.sources)),
        ]));
        for v in &g.views {
            let labels: Vec<String> = v
                .fields
                .iter()
                .map(|f| b.field_label(f).to_string())
                .collect();
            out.push(Block::Item {
                spans: vec![
                    Span::bold(format!("{}: ", labels.join(", "))),
                    Span::plain(v.summary.clone()),
                ],
                indent: 0.0,
            });
            if let Some(q) = &v.quote {
                out.push(Block::Quote(format!("“{q}”")));
            }
        }
    }
    if h.detail.views_omitted > 0 {
        none(
            &mut out,
            &format!(
                "And {} (one author in one document each), not listed in this summary.",
                plural(
                    h.detail.views_omitted,
                    "earlier group of views",
                    "earlier groups of views"
                )
            ),
        );
    }

    h1(&mut out, "Sources");
    if b.sources.is_empty() {
        none(&mut out, "No sources.");
    }
    for s in &b.sources {
        let mut text = s.publisher.clone();
        if let Some(t) = &s.title {
            text.push_str(&format!(", “{t}”"));
        }
        text.push_str(&format!(
            ", {} ({}, {}).",
            s.published.human(),
            s.language,
            s.reliability.label()
        ));
        if let Some(n) = &s.note {
            text.push_str(&format!(" {n}"));
        }
        let mut cited: Vec<String> = s.cited_by.iter().map(|t| format!("“{t}”")).collect();
        if s.cited_by_omitted > 0 {
            cited.push(plural(
                s.cited_by_omitted,
                "other document",
                "other documents",
            ));
        }
        text.push_str(&format!(" Cited for: {}.", join_and(&cited)));
        let mut spans = vec![Span::bold(format!("{}. ", s.number)), Span::plain(text)];
        if let Some(u) = &s.url {
            spans.push(Span::plain(format!(" {u}")));
        }
        out.push(Block::Para(spans));
    }
    if h.detail.sources_omitted > 0 {
        none(
            &mut out,
            &format!(
                "Only the sources of the entries listed are shown; {} counted above.",
                plural(
                    h.detail.sources_omitted,
                    "other source is",
                    "other sources are"
                )
            ),
        );
    }
    out
}

fn timeline_document(d: &crate::briefing::model::TimelineDocument, out: &mut Vec<Block>) {
    let mut parts = Vec::new();
    if d.commitments > 0 {
        parts.push(plural(d.commitments, "commitment", "commitments"));
    }
    if d.views > 0 {
        parts.push(plural(d.views, "expert view", "expert views"));
    }
    let counts = if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    };
    out.push(Block::Item {
        spans: vec![
            Span::bold(d.date.human()),
            Span::plain(format!(" · {}: ", d.kind.label())),
            Span::italic(d.title.clone()),
            Span::plain(format!("{counts}{}", cite(&d.sources))),
        ],
        indent: 0.0,
    });
}

/// "And 12 earlier commitments in this field, not listed in this summary."
fn omitted(out: &mut Vec<Block>, n: usize, what: &str, qualifier: &str) {
    if n == 0 {
        return;
    }
    let what = plural(n, what, &format!("{what}s"));
    let qualifier = if qualifier.is_empty() {
        String::new()
    } else {
        format!(" {qualifier}")
    };
    none(
        out,
        &format!("And {what}{qualifier}, not listed in this summary."),
    );
}

fn tallies(t: &[crate::briefing::model::Tally]) -> String {
    t.iter()
        .map(|t| format!("{} {}", t.label, t.count))
        .collect::<Vec<_>>()
        .join(", ")
}

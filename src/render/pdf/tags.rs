//! The briefing's structure, as the PDF's tags will carry it.
//!
//! A screen reader reads a tagged PDF by its structure tree, not by where glyphs sit. The blocks
//! already know what each piece of text is (a heading, a list item, a table's header cell), so
//! layout wraps each element in a [`Tagged`] one: it opens a mark in genpdf's display list before
//! the element draws and closes it after, on every page the element reaches. The writer turns the
//! marks into the tree: a node's parent is the mark open around it where it first draws, and
//! nodes join their parent in the order they first draw, so the reading order is the layout's.

use std::cell::RefCell;
use std::rc::Rc;

use genpdf::render::Area;
use genpdf::style::Style;
use genpdf::{Context, Element, RenderResult};

/// What a structure node is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// A heading: its level (1 the title) and its text (PDF/UA asks for it as the node's title).
    Heading(u8, String),
    Paragraph,
    BlockQuote,
    /// A list, numbered or not.
    List {
        numbered: bool,
    },
    Item,
    /// An item's bullet or number.
    Label,
    /// An item's text.
    Body,
    Table,
    TableHead,
    TableBody,
    Row,
    /// A header cell, for its column (or, `row`, for its row): the tables have one header row
    /// or one header column, so the scope says which cells it heads.
    HeaderCell {
        row: bool,
    },
    Cell,
    /// A figure and its alternative text.
    Figure(String),
    Caption,
    /// A link, and what it says where it goes (the annotation's description).
    Link(String),
    /// A run of text in a language other than the document's.
    Span {
        lang: String,
    },
    /// Not content: the running header, the footer, rules, repeated table headers.
    Artifact(Artifact),
}

/// Kinds of artifact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Artifact {
    Header,
    Footer,
    /// Rules and other decoration.
    Layout,
    /// What pagination repeats (a table header on a continuation page).
    Pagination,
}

/// The nodes of a document's structure: created by layout, read by the writer. Clones share the
/// nodes.
#[derive(Debug, Clone, Default)]
pub struct Tags(Rc<RefCell<Vec<Role>>>);

impl Tags {
    /// A new node; it joins the tree only once something is drawn in it.
    pub fn node(&self, role: Role) -> u32 {
        let mut nodes = self.0.borrow_mut();
        nodes.push(role);
        (nodes.len() - 1) as u32
    }

    /// Every node's role, by id.
    pub fn roles(&self) -> Vec<Role> {
        self.0.borrow().clone()
    }
}

/// An element drawn inside a path of structure nodes, outermost first (on every page it
/// reaches). Elements that share a node's id share the node: the items of one list.
pub struct Tagged<E: Element> {
    inner: E,
    path: Vec<u32>,
}

impl<E: Element> Tagged<E> {
    pub fn new(inner: E, path: Vec<u32>) -> Self {
        Self { inner, path }
    }
}

impl<E: Element> Element for Tagged<E> {
    fn render(
        &mut self,
        context: &Context,
        area: Area<'_>,
        style: Style,
    ) -> Result<RenderResult, genpdf::error::Error> {
        for node in &self.path {
            area.begin_mark(*node);
        }
        let result = self.inner.render(context, area.clone(), style);
        for _ in &self.path {
            area.end_mark();
        }
        result
    }
}

// SPDX-FileCopyrightText: 2026 bilateral contributors
// SPDX-License-Identifier: Apache-2.0 or MIT

//! bilateral: what a page holds once it is laid out, as a list of drawing operations.
//!
//! genpdf used to write each page into a printpdf document as it laid it out. It now records
//! what it draws (positioned glyphs, lines, and the marks a caller adds: structure, links,
//! anchors) in a display list per page, and the caller writes the lists with the PDF writer of
//! its choice. Coordinates are PDF points from the page's top-left corner, y growing downwards.

use crate::style::Color;

/// One page: its size in points and what is drawn on it, in order.
#[derive(Clone, Debug, Default)]
pub struct PageList {
    /// Width and height in points.
    pub size: (f32, f32),
    /// The drawing operations, in painting order.
    pub ops: Vec<Op>,
}

/// A glyph placed on a line: its id in the font, its advance and its offset from the pen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlacedGlyph {
    /// The glyph id in the font.
    pub id: u16,
    /// The horizontal advance, in em.
    pub advance: f32,
    /// The offset from the pen (a mark placed on its letter), in em, y up.
    pub offset: (f32, f32),
    /// The byte range of the text this glyph stands for (a cluster's, for shaped text).
    pub text: (usize, usize),
}

/// One drawing operation.
#[derive(Clone, Debug)]
pub enum Op {
    /// A run of glyphs in one font, size and colour, its pen starting at `origin` on the baseline.
    Glyphs {
        /// The font's index in the document's [`FontCache`](crate::fonts::FontCache).
        font: usize,
        /// Font size in points.
        size: f32,
        /// Fill colour (black if none).
        color: Option<Color>,
        /// Draw a substituted bold: filled and stroked in the fill colour.
        stroke: bool,
        /// The pen's start on the baseline, in points.
        origin: (f32, f32),
        /// The glyphs, in order.
        glyphs: Vec<PlacedGlyph>,
        /// The text the glyphs show.
        text: String,
    },
    /// A polyline stroked 1 pt wide.
    Line {
        /// The points, in points.
        points: Vec<(f32, f32)>,
        /// Stroke colour (black if none).
        color: Option<Color>,
    },
    /// A filled rectangle (x, y, width, height in points).
    Rect {
        /// The rectangle, in points.
        rect: (f32, f32, f32, f32),
        /// Fill colour (black if none).
        color: Option<Color>,
    },
    /// The caller's mark opens: what follows, up to the matching [`Op::End`], belongs to it.
    Begin(u32),
    /// The innermost open mark closes.
    End,
    /// A link: a clickable rectangle (x, y, width, height in points) and its target.
    Link {
        /// The rectangle, in points.
        rect: (f32, f32, f32, f32),
        /// What it points at, as the caller wrote it (a URL, or `#name` for an [`Op::Anchor`]).
        target: String,
    },
    /// An image the caller supplies, by name, filling a rectangle (x, y, width, height in
    /// points).
    Image {
        /// The rectangle, in points.
        rect: (f32, f32, f32, f32),
        /// The caller's name for the image.
        name: String,
    },
    /// A named place on the page (the top of what follows), which links may point at.
    Anchor {
        /// The name.
        name: String,
        /// The vertical position, in points.
        y: f32,
    },
}

// SPDX-FileCopyrightText: 2020 Robin Krahl <robin.krahl@ireas.org>
// SPDX-License-Identifier: Apache-2.0 or MIT

//! Low-level rendering utilities.
//!
//! A [`Renderer`][] holds a document with one or more pages with different sizes.  A [`Page`][]
//! has one or more layers, all of the same size.  A [`Layer`][] can be used to access its
//! [`Area`][].
//!
//! An [`Area`][] is a view on a full layer or on a part of a layer.  It can be used to print
//! lines and text.  For more advanced text formatting, you can create a [`TextSection`][] from an
//! [`Area`][].
//!
//! bilateral: nothing here writes PDF any more.  Each layer records what is drawn on it in a
//! display list ([`crate::display`]); [`Renderer::into_pages`] hands the lists to the caller's
//! writer.
//!
//! [`Renderer`]: struct.Renderer.html
//! [`Page`]: struct.Page.html
//! [`Layer`]: struct.Layer.html
//! [`Area`]: struct.Area.html
//! [`TextSection`]: struct.TextSection.html

use std::cell::RefCell;

use crate::display::{Op, PageList, PlacedGlyph};
use crate::error::Error;
use crate::fonts;
use crate::style::Style;
use crate::{Margins, Mm, Position, Size};

/// Points per millimetre.
const PT_PER_MM: f64 = 72.0 / 25.4;

fn pt(mm: Mm) -> f32 {
    (mm.0 * PT_PER_MM) as f32
}

/// Lays out a document with one or more pages, each recorded as a display list.
pub struct Renderer {
    // invariant: pages.len() >= 1
    pages: Vec<Page>,
}

impl Renderer {
    /// Creates a new renderer with one page of the given size.  (The title is the writer's
    /// business now; the argument stays for upstream's signature.)
    pub fn new(size: impl Into<Size>, _title: impl AsRef<str>) -> Result<Renderer, Error> {
        Ok(Renderer {
            pages: vec![Page::new(size.into())],
        })
    }

    /// Adds a new page with the given size to the document.
    pub fn add_page(&mut self, size: impl Into<Size>) {
        self.pages.push(Page::new(size.into()))
    }

    /// Returns the number of pages in this document.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Returns a page of this document.
    pub fn get_page(&self, idx: usize) -> Option<&Page> {
        self.pages.get(idx)
    }

    /// Returns a mutable reference to a page of this document.
    pub fn get_page_mut(&mut self, idx: usize) -> Option<&mut Page> {
        self.pages.get_mut(idx)
    }

    /// Returns the first page of this document.
    pub fn first_page(&self) -> &Page {
        &self.pages[0]
    }

    /// Returns a mutable reference to the first page of this document.
    pub fn first_page_mut(&mut self) -> &mut Page {
        &mut self.pages[0]
    }

    /// Returns the last page of this document.
    pub fn last_page(&self) -> &Page {
        &self.pages[self.pages.len() - 1]
    }

    /// Returns a mutable reference to the last page of this document.
    pub fn last_page_mut(&mut self) -> &mut Page {
        let idx = self.pages.len() - 1;
        &mut self.pages[idx]
    }

    /// The pages' display lists, each page's layers one after the other.
    pub fn into_pages(self) -> Vec<PageList> {
        self.pages.into_iter().map(Page::into_list).collect()
    }
}

/// A page of a document.
pub struct Page {
    size: Size,
    // invariant: layers.len() >= 1
    layers: Vec<Layer>,
}

impl Page {
    fn new(size: Size) -> Page {
        Page {
            size,
            layers: vec![Layer::new(size)],
        }
    }

    /// Adds a new layer to the page (the name is not kept).
    pub fn add_layer(&mut self, _name: impl Into<String>) {
        self.layers.push(Layer::new(self.size));
    }

    /// Returns the number of layers on this page.
    pub fn layer_count(&self) -> usize {
        self.layers.len()
    }

    /// Returns a layer of this page.
    pub fn get_layer(&self, idx: usize) -> Option<&Layer> {
        self.layers.get(idx)
    }

    /// Returns the first layer of this page.
    pub fn first_layer(&self) -> &Layer {
        &self.layers[0]
    }

    /// Returns the last layer of this page.
    pub fn last_layer(&self) -> &Layer {
        &self.layers[self.layers.len() - 1]
    }

    fn into_list(self) -> PageList {
        PageList {
            size: (pt(self.size.width), pt(self.size.height)),
            ops: self.layers.into_iter().flat_map(|l| l.ops.into_inner()).collect(),
        }
    }
}

/// A layer of a page: the operations drawn on it.
pub struct Layer {
    ops: RefCell<Vec<Op>>,
    size: Size,
}

impl Layer {
    fn new(size: Size) -> Layer {
        Layer {
            ops: RefCell::new(Vec::new()),
            size,
        }
    }

    /// Returns a drawable area for this layer.
    pub fn area(&self) -> Area<'_> {
        Area::new(self, Position::default(), self.size)
    }

    fn push(&self, op: Op) {
        self.ops.borrow_mut().push(op);
    }
}

/// A view on an area of a layer that can be drawn on.
///
/// It is defined by the layer that is drawn on and the origin and the size of the area.
#[derive(Clone)]
pub struct Area<'a> {
    layer: &'a Layer,
    origin: Position,
    size: Size,
}

impl<'a> Area<'a> {
    fn new(layer: &'a Layer, origin: Position, size: Size) -> Area<'a> {
        Area {
            layer,
            origin,
            size,
        }
    }

    /// Reduces the size of the drawable area by the given margins.
    pub fn add_margins(&mut self, margins: impl Into<Margins>) {
        let margins = margins.into();
        self.origin.x += margins.left;
        self.origin.y += margins.top;
        self.size.width -= margins.left + margins.right;
        self.size.height -= margins.top + margins.bottom;
    }

    /// Returns the size of this area.
    pub fn size(&self) -> Size {
        self.size
    }

    /// Adds the given offset to the area, reducing the drawable area.
    pub fn add_offset(&mut self, offset: impl Into<Position>) {
        let offset = offset.into();
        self.origin.x += offset.x;
        self.origin.y += offset.y;
        self.size.width -= offset.x;
        self.size.height -= offset.y;
    }

    /// Sets the size of this area.
    pub fn set_size(&mut self, size: impl Into<Size>) {
        self.size = size.into();
    }

    /// Sets the width of this area.
    pub fn set_width(&mut self, width: Mm) {
        self.size.width = width;
    }

    /// Sets the height of this area.
    pub fn set_height(&mut self, height: Mm) {
        self.size.height = height;
    }

    /// Splits this area horizontally using the given weights.
    ///
    /// The returned vector has the same number of elements as the provided slice.  The width of
    /// the *i*-th area is *width \* weights[i] / total_weight*, where *width* is the width of this
    /// area, and *total_weight* is the sum of all given weights.
    pub fn split_horizontally(&self, weights: &[usize]) -> Vec<Area<'a>> {
        let total_weight: usize = weights.iter().sum();
        let factor = self.size.width / total_weight as f64;
        let widths = weights.iter().map(|weight| factor * *weight as f64);
        let mut offset = Mm(0.0);
        let mut areas = Vec::new();
        for width in widths {
            let mut area = self.clone();
            area.origin.x += offset;
            area.size.width = width;
            areas.push(area);
            offset += width;
        }
        areas
    }

    /// Draws a line with the given points and the given style.
    ///
    /// Currently, this method only uses the color of the given style as the outline color (if set).
    /// The points are relative to the upper left corner of the area.
    pub fn draw_line(&self, points: Vec<Position>, style: Style) {
        let points = points.into_iter().map(|p| self.page_point(p)).collect();
        self.layer.push(Op::Line {
            points,
            color: style.color(),
        });
    }

    /// bilateral: fills the rectangle at `position` (relative to the area) of `size` in the
    /// style's colour.
    pub fn fill_rect(&self, position: Position, size: Size, style: Style) {
        let (x, y) = self.page_point(position);
        self.layer.push(Op::Rect {
            rect: (x, y, pt(size.width), pt(size.height)),
            color: style.color(),
        });
    }

    /// bilateral: opens the caller's mark `id` (a structure element, say); what is drawn until
    /// [`end_mark`](Self::end_mark) belongs to it.
    pub fn begin_mark(&self, id: u32) {
        self.layer.push(Op::Begin(id));
    }

    /// bilateral: closes the innermost open mark.
    pub fn end_mark(&self) {
        self.layer.push(Op::End);
    }

    /// bilateral: makes the rectangle at `position` (relative to the area) of `size` a link to
    /// `target`.
    pub fn link(&self, position: Position, size: Size, target: impl Into<String>) {
        let (x, y) = self.page_point(position);
        self.layer.push(Op::Link {
            rect: (x, y, pt(size.width), pt(size.height)),
            target: target.into(),
        });
    }

    /// bilateral: draws the caller's image `name` (the caller has its pixels) filling the
    /// rectangle at `position` (relative to the area) of `size`.
    pub fn image(&self, position: Position, size: Size, name: impl Into<String>) {
        let (x, y) = self.page_point(position);
        self.layer.push(Op::Image {
            rect: (x, y, pt(size.width), pt(size.height)),
            name: name.into(),
        });
    }

    /// bilateral: names the place `y` (relative to the area's top) on the page, for links.
    pub fn anchor(&self, name: impl Into<String>, y: Mm) {
        let (_, y) = self.page_point(Position::new(0, y));
        self.layer.push(Op::Anchor {
            name: name.into(),
            y,
        });
    }

    /// Tries to draw the given string at the given position and returns `true` if the area was
    /// large enough to draw the string.
    ///
    /// The position is relative to the upper left corner of the area.
    pub fn print_str<S: AsRef<str>>(
        &self,
        font_cache: &fonts::FontCache,
        position: Position,
        style: Style,
        s: S,
    ) -> Result<bool, Error> {
        if let Some(mut section) = self.text_section(font_cache, position, style) {
            section.print_str(s, style)?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// Creates a new text section at the given position if the text section fits in this area.
    ///
    /// The given style is only used to calculate the line height of the section.  The position is
    /// relative to the upper left corner of the area.
    pub fn text_section<'f>(
        &self,
        font_cache: &'f fonts::FontCache,
        position: Position,
        style: Style,
    ) -> Option<TextSection<'_, 'f, 'a>> {
        TextSection::new(font_cache, self, position, style)
    }

    /// The page position, in points, of a position relative to the area.
    fn page_point(&self, position: Position) -> (f32, f32) {
        let p = position + self.origin;
        (pt(p.x), pt(p.y))
    }
}

/// A text section that is drawn on an area of a layer.
pub struct TextSection<'a, 'f, 'l> {
    font_cache: &'f fonts::FontCache,
    area: &'a Area<'l>,
    line_height: Mm,
    cursor: Position,
    /// The pen on the current baseline, in points on the page.
    pen: (f32, f32),
    line_start: f32,
}

impl<'a, 'f, 'l> TextSection<'a, 'f, 'l> {
    fn new(
        font_cache: &'f fonts::FontCache,
        area: &'a Area<'l>,
        position: Position,
        style: Style,
    ) -> Option<TextSection<'a, 'f, 'l>> {
        let height = style.font(font_cache).glyph_height(style.font_size());

        if position.y + height > area.size.height {
            return None;
        }

        let line_height = style.line_height(font_cache);
        // The first baseline sits one glyph height (ascent minus descent) below the top, as
        // upstream's text cursor put it.
        let pen = area.page_point(Position::new(position.x, position.y + height));
        Some(TextSection {
            font_cache,
            area,
            line_height,
            cursor: position,
            pen,
            line_start: pen.0,
        })
    }

    /// Tries to add a new line and returns `true` if the area was large enough to fit the new
    /// line.
    #[must_use]
    pub fn add_newline(&mut self) -> bool {
        if self.cursor.y + self.line_height > self.area.size.height {
            false
        } else {
            self.cursor.y += self.line_height;
            self.pen = (self.line_start, self.pen.1 + pt(self.line_height));
            true
        }
    }

    /// Prints the given string with the given style, at the end of what the line holds.
    pub fn print_str(&mut self, s: impl AsRef<str>, style: Style) -> Result<(), Error> {
        let s = s.as_ref();
        let font = style.font(self.font_cache);
        let size = f32::from(style.font_size());
        let glyphs: Vec<PlacedGlyph> = font.place(self.font_cache, s);
        let width: f32 = glyphs.iter().map(|g| g.advance).sum::<f32>() * size;
        // bilateral: a bold style whose family has no bold font of its own (a fallback font
        // with one style) is drawn filled and stroked with a thin outline in its colour: a
        // substituted bold, as word processors do, rather than regular weight.
        let stroke = style.is_bold() && {
            let family = style.font_family(self.font_cache);
            family.bold == family.regular
        };
        self.area.layer.push(Op::Glyphs {
            font: font.index(),
            size,
            color: style.color(),
            stroke,
            origin: self.pen,
            glyphs,
            text: s.to_string(),
        });
        self.pen.0 += width;
        Ok(())
    }
}

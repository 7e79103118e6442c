//! The templates folder's images (a logo), decoded for the PDF.
//!
//! A template places an image with `<!-- pdf:image NAME … -->`; the image itself is a file of
//! the templates folder, handed in with the templates (renderers read no files). Each image a
//! block names is decoded once here, before layout, so that a missing or broken file is an
//! error naming it before any page is laid out, and layout knows each image's proportions.

use std::collections::HashMap;

use krilla::image::Image;

use super::blocks::Block;
use super::PdfError;
use crate::render::templates;

/// The decoded images, by file name.
#[derive(Default)]
pub(super) struct Images(HashMap<String, Image>);

impl Images {
    /// Decodes every image the blocks name, and sets each block's name to the image's file name.
    pub fn load(blocks: &mut [Block], files: &[templates::Image]) -> Result<Self, PdfError> {
        let mut out = HashMap::new();
        for block in blocks {
            let Block::Image(picture) = block else {
                continue;
            };
            let file = files
                .iter()
                .find(|f| f.is_named(&picture.name))
                .ok_or_else(|| missing(&picture.name, files))?;
            picture.name = file.name.clone();
            if !out.contains_key(&file.name) {
                out.insert(file.name.clone(), decode(file)?);
            }
        }
        Ok(Self(out))
    }

    pub fn get(&self, name: &str) -> Option<&Image> {
        self.0.get(name)
    }

    /// Width over height of the image `name` (1 for one not loaded).
    pub fn aspect(&self, name: &str) -> f64 {
        match self.0.get(name).map(Image::size) {
            Some((w, h)) if h > 0 => f64::from(w) / f64::from(h),
            _ => 1.0,
        }
    }
}

fn missing(name: &str, files: &[templates::Image]) -> PdfError {
    let have = match files.is_empty() {
        true => "it holds no image".to_string(),
        false => {
            let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
            format!("it holds {}", names.join(", "))
        }
    };
    let file = match name.contains('.') {
        true => format!("`{name}`"),
        false => format!("`{name}.png` (or .jpg, .gif, .webp)"),
    };
    PdfError::Image(format!(
        "a template places the image `{name}` (pdf:image), but the templates folder has no \
         image of that name ({have}); add {file} to the folder given with --templates"
    ))
}

/// The image, decoded by its extension.
fn decode(file: &templates::Image) -> Result<Image, PdfError> {
    let data: krilla::Data = file.bytes.to_vec().into();
    let shown = match &file.origin {
        Some(path) => path.display().to_string(),
        None => file.name.clone(),
    };
    // No interpolation flag: PDF/A forbids it, and readers smooth a scaled image anyway.
    let decoded = match file.extension().as_str() {
        "png" => Image::from_png(data, false),
        "jpg" | "jpeg" => Image::from_jpeg(data, false),
        "gif" => Image::from_gif(data, false),
        "webp" => Image::from_webp(data, false),
        "svg" => Err(
            "the PDF takes PNG, JPEG, GIF or WebP images, not SVG; convert it \
                      (`rsvg-convert -h 600 logo.svg -o logo.png`)"
                .to_string(),
        ),
        other => Err(format!("`.{other}` is not an image format the PDF takes")),
    };
    let image =
        decoded.map_err(|e| PdfError::Image(format!("{shown}: cannot read the image: {e}")))?;
    match image.size() {
        (w, h) if w > 0 && h > 0 => Ok(image),
        _ => Err(PdfError::Image(format!("{shown}: the image has no pixels"))),
    }
}

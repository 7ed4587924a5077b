//! Pictures as PNG: an SVG drawing (such as [`crate::html::task_svg`]'s) rasterised by `resvg`,
//! so the PNG is the same drawing as the SVG, pixel for pixel at one pixel per SVG unit. Text
//! is drawn with the system's fonts (`sans-serif`); where none are installed the titles are left
//! out and the grids are drawn all the same.

use crate::grid::Grid;
use crate::task::Task;
use resvg::{tiny_skia, usvg};

/// Why a picture could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PictureError {
    #[error("the SVG does not parse: {0}")]
    Svg(#[from] usvg::Error),
    #[error("the picture is {0}x{1} pixels: empty or too large to draw")]
    Size(u32, u32),
    #[error("encoding the PNG: {0}")]
    Encode(String),
}

/// The SVG `svg` drawn as a PNG (8-bit RGBA), one pixel per SVG unit.
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>, PictureError> {
    let mut options = usvg::Options::default();
    load_fonts(options.fontdb_mut());
    let tree = usvg::Tree::from_str(svg, &options)?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or(PictureError::Size(size.width(), size.height()))?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| PictureError::Encode(e.to_string()))
}

/// Loads the system's fonts, with `sans-serif` mapped to one that is installed (fontdb maps it
/// to Arial, which Linux systems rarely have): the first of a few common ones, else any.
fn load_fonts(db: &mut usvg::fontdb::Database) {
    db.load_system_fonts();
    let has = |db: &usvg::fontdb::Database, name: &str| db.faces().any(|f| f.families.iter().any(|(n, _)| n == name));
    if has(db, "Arial") {
        return;
    }
    let common = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "FreeSans"].into_iter().find(|n| has(db, n)).map(str::to_string);
    if let Some(name) = common.or_else(|| db.faces().next().and_then(|f| f.families.first().map(|(n, _)| n.clone()))) {
        db.set_sans_serif_family(name);
    }
}

/// One task as a PNG picture: [`crate::html::task_svg`]'s drawing (a row per demonstration and
/// per test input; with `attempts`, the attempts beside the truth, wrong cells outlined).
pub fn task_png(task: &Task, attempts: Option<&[Vec<Grid>]>) -> Result<Vec<u8>, PictureError> {
    svg_to_png(&crate::html::task_svg(task, attempts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drawing_keeps_its_size_and_colours() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20"><rect width="30" height="20" fill="#ffffff"/><rect x="10" y="5" width="10" height="10" fill="#0074D9"/></svg>"##;
        let png = svg_to_png(svg).unwrap();
        let pixmap = tiny_skia::Pixmap::decode_png(&png).unwrap();
        assert_eq!((pixmap.width(), pixmap.height()), (30, 20));
        let at = |x, y| pixmap.pixel(x, y).map(|p| (p.red(), p.green(), p.blue()));
        assert_eq!(at(15, 10), Some((0x00, 0x74, 0xD9)));
        assert_eq!(at(2, 2), Some((255, 255, 255)));
        assert!(matches!(svg_to_png("<svg"), Err(PictureError::Svg(_))));
    }
}

//! The HTML report and the SVG and PNG pictures, read back without a browser (`scripts/browser-check`
//! does the same in headless Chromium): every grid holds rows × cols cells, the wrong cells of
//! a wrong attempt are marked, the filters are there, and the page fetches nothing.

use std::path::PathBuf;
use std::process::Command;

/// A scratch folder, removed when dropped.
fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("arc-report-test-").tempdir().unwrap()
}

fn arc(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_arc")).args(args).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "arc {args:?} failed:\n{text}");
    text
}

/// The value of `attr="..."` at the start of `s` (after the attribute's name), as a number.
fn attr(s: &str, name: &str) -> usize {
    let key = format!("{name}=\"");
    let i = s.find(&key).unwrap_or_else(|| panic!("no {name} in {}", &s[..s.len().min(200)])) + key.len();
    s[i..].split('"').next().unwrap().parse().unwrap()
}

/// Per grid (in page order): (what, rows, cols, cells, wrong cells). A grid's cells are the
/// `cell` elements between its opening and the next grid.
fn grids(page: &str) -> Vec<(String, usize, usize, usize, usize)> {
    let parts: Vec<&str> = page.split("data-grid=\"").skip(1).collect();
    parts
        .iter()
        .map(|p| {
            let what = p.split('"').next().unwrap().to_string();
            let cells = p.matches("class=\"cell").count();
            let wrong = p.split("class=\"cell").skip(1).filter(|c| c.split('"').next().unwrap().split(' ').any(|w| w == "wrong")).count();
            (what, attr(p, "data-rows"), attr(p, "data-cols"), cells, wrong)
        })
        .collect()
}

#[test]
fn report_page_draws_every_cell_and_marks_wrong_ones() {
    let tmp = scratch();
    let dir = tmp.path();
    let (r1, r2, page) = (dir.join("r1.json"), dir.join("r2.json"), dir.join("report.html"));
    // At the tiny budget: 00dbd492 solved, 009d5c81 wrong cells, 12997ef3 (two test inputs) no attempt.
    let tasks = "00dbd492,009d5c81,12997ef3";
    let s = |p: &PathBuf| p.display().to_string();
    arc(&["eval", "--tasks", tasks, "--budget", "tiny", "--out", &s(&r1), "--html", &s(&page)]);
    let html = std::fs::read_to_string(&page).unwrap();
    let gs = grids(&html);
    assert!(gs.len() > 20, "too few grids: {}", gs.len());
    for (what, rows, cols, cells, _) in &gs {
        assert_eq!(rows * cols, *cells, "a {what} grid of {rows}x{cols} has {cells} cells");
    }
    let wrong: usize = gs.iter().filter(|g| g.0 == "attempt").map(|g| g.4).sum();
    assert!(wrong > 0, "no wrong cell marked on any attempt");
    assert!(gs.iter().filter(|g| g.0 != "attempt").all(|g| g.4 == 0), "only attempts have wrong cells");
    for f in ["data-filter=\"solved\"", "data-filter=\"unsolved\"", "data-status=\"solved\"", "data-status=\"unsolved\"", "#FF4136"] {
        assert!(html.contains(f), "no {f}");
    }
    for bad in ["<link", " src=", "https://", "@import"] {
        assert!(!html.contains(bad), "the page would fetch something: {bad}");
    }
    assert!(!html.contains("class=\"plot\""), "no plot for one report");

    // Two reports at two budgets: a plot of solved tasks against budget.
    arc(&["eval", "--tasks", tasks, "--budget", "20000", "--out", &s(&r2)]);
    arc(&["report", &s(&r1), &s(&r2), "--html", &s(&page)]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("class=\"plot\"") && html.contains("<polyline"), "no plot for two reports");
}

#[test]
fn task_svg_has_every_cell() {
    let tmp = scratch();
    let svg = tmp.path().join("t.svg");
    arc(&["show", "009d5c81", "--solve", "--budget", "tiny", "--svg", &svg.display().to_string()]);
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    let gs = grids(&text);
    assert!(gs.iter().any(|g| g.0 == "attempt 1"), "no attempt drawn");
    assert!(gs.iter().any(|g| g.4 > 0), "no wrong cell marked");
    for (what, rows, cols, cells, _) in &gs {
        assert_eq!(rows * cols, *cells, "{what} {rows}x{cols}: {cells} cells");
    }
}

#[test]
fn task_png_is_the_svg_drawn() {
    let tmp = scratch();
    let (svg, png) = (tmp.path().join("t.svg"), tmp.path().join("t.png"));
    let out = arc(&["show", "007bbfb7", "--svg", &svg.display().to_string(), "--png", &png.display().to_string()]);
    assert!(out.contains("t.png"), "{out}");
    let text = std::fs::read_to_string(&svg).unwrap();
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((frame.width as usize, frame.height as usize), (attr(&text[4..], "width"), attr(&text[4..], "height")), "the SVG's size");
    assert_eq!(frame.color_type, png::ColorType::Rgba);
    let rgb = |x: usize, y: usize| {
        let i = (y * frame.width as usize + x) * 4;
        format!("#{:02X}{:02X}{:02X}", pixels[i], pixels[i + 1], pixels[i + 2])
    };
    // Every cell's middle pixel has the cell's colour (007bbfb7 draws grey, black and orange).
    let cells: Vec<&str> = text.split("class=\"cell").skip(1).collect();
    assert!(cells.len() > 100, "{} cells", cells.len());
    for cell in &cells {
        let fill = cell.split("fill=\"").nth(1).unwrap().split('"').next().unwrap();
        let (x, y, size) = (attr(cell, "x"), attr(cell, "y"), attr(cell, "width"));
        assert_eq!(rgb(x + size / 2, y + size / 2), fill.to_uppercase(), "cell at {x},{y}");
    }
    assert_eq!(rgb(frame.width as usize - 1, frame.height as usize - 1), "#FFFFFF", "a white ground");
}

//! The HTML report and the SVG and PNG pictures, read back without a browser: the report's index
//! has a row per task with its verdict, the page's data holds each task's grids and attempts (its
//! script draws them when a row is opened: `scripts/browser-check` counts the cells and wrong
//! cells it draws in headless Chromium), the filters are there, and the page fetches nothing; in
//! the SVG every grid holds rows × cols cells and a wrong attempt's wrong cells are marked.

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

/// The value of attribute `name` in the tag that starts `s`.
fn attr_text<'a>(s: &'a str, name: &str) -> &'a str {
    let tag = s.split('>').next().unwrap();
    let key = format!(" {name}=\"");
    let i = tag.find(&key).unwrap_or_else(|| panic!("no {name} in {tag}")) + key.len();
    tag[i..].split('"').next().unwrap()
}

#[test]
fn report_page_indexes_every_task_and_holds_its_grids() {
    use arc_solver::eval::EvalReport;
    use arc_solver::html::grid_text;
    let tmp = scratch();
    let dir = tmp.path();
    let (r1, r2, page) = (dir.join("r1.json"), dir.join("r2.json"), dir.join("report.html"));
    // At the tiny budget: 00dbd492 solved, 009d5c81 wrong cells, 12997ef3 (two test inputs) no attempt.
    let tasks = "00dbd492,009d5c81,12997ef3";
    let s = |p: &PathBuf| p.display().to_string();
    arc(&["eval", "--tasks", tasks, "--budget", "tiny", "--out", &s(&r1), "--html", &s(&page)]);
    let html = std::fs::read_to_string(&page).unwrap();
    let report: EvalReport = serde_json::from_str(&std::fs::read_to_string(&r1).unwrap()).unwrap();

    // The index: a row per task, in the report's order, with its verdict and stop reason.
    let rows: Vec<(&str, &str, &str)> = html
        .split("<tr class=\"task\"")
        .skip(1)
        .map(|r| (attr_text(r, "data-id"), attr_text(r, "data-status"), attr_text(r, "data-stop")))
        .collect();
    let want: Vec<(&str, &str, String)> = report.tasks.iter().map(|t| (t.id.as_str(), arc_solver::html::status(t), t.stop_reason.to_string())).collect();
    assert_eq!(rows.iter().map(|r| (r.0, r.1, r.2.to_string())).collect::<Vec<_>>(), want);
    let verdicts: Vec<&str> = rows.iter().map(|r| r.1).collect();
    assert_eq!(verdicts, ["unsolved", "solved", "unsolved"], "009d5c81 wrong, 00dbd492 solved, 12997ef3 nothing");

    // The data the page draws an opened task from: the dataset's grids and the report's attempts.
    let open = "<script id=\"arc-tasks\" type=\"application/json\">";
    let at = html.find(open).expect("no task data");
    assert_eq!(html[..at].matches("data-grid=").count(), 0, "no grid is drawn before its row is opened");
    let data = &html[at + open.len()..];
    let data: serde_json::Value = serde_json::from_str(&data[..data.find("</script>").unwrap()]).unwrap();
    for t in &report.tasks {
        let d = &data[&t.id];
        let task = arc_solver::task::find_task_in(&t.id, Some("arc-agi-1")).unwrap();
        let train: Vec<[String; 2]> = task.train.iter().map(|p| [grid_text(&p.input), grid_text(&p.output)]).collect();
        assert_eq!(d["train"], serde_json::json!(train), "{}'s demonstrations", t.id);
        assert_eq!(d["test"].as_array().unwrap().len(), task.test.len());
        for (i, tp) in task.test.iter().enumerate() {
            let atts: Vec<String> = t.attempts[i].iter().map(grid_text).collect();
            let truth = tp.output.as_ref().map(grid_text);
            assert_eq!(d["test"][i], serde_json::json!([grid_text(&tp.input), truth, atts]), "{} test {i}", t.id);
        }
        assert_eq!(d["answer"], serde_json::json!(t.program));
        assert_eq!(d["answers"], serde_json::json!(t.answers));
    }
    let wrong = &data["009d5c81"]["test"][0];
    assert!(wrong[2].as_array().unwrap().iter().any(|a| a != &wrong[1]), "009d5c81 has a wrong attempt to mark");
    let none = data["12997ef3"]["test"].as_array().unwrap();
    assert!(none.len() == 2 && none.iter().all(|t| t[2] == serde_json::json!([])), "12997ef3: two test inputs, no attempt");

    for f in ["data-filter=\"solved\"", "data-filter=\"unsolved\"", "<select id=\"stop\"", "<option value=\"budget\">", "<input id=\"q\" type=\"search\"", "#FF4136"] {
        assert!(html.contains(f), "no {f}");
    }
    for bad in ["<link", " src=", "https://", "@import", "fetch("] {
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

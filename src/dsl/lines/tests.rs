//! Tests of the line primitives.

use super::super::util::testing::{g, run, try_run};

#[test]
fn cells_shoot_to_the_largest_object() {
    let x = g(&["00000", "01100", "01100", "00000", "02030"]);
    // The 2 lies under the block and shoots up to it; the 3 is out of line.
    assert_eq!(run("(shoot input)", &x), "00000\n01100\n01100\n02000\n02030\n");
    assert!(try_run("(shoot input)", &g(&["100", "001"])).is_err());
}

#[test]
fn odd_cells_shoot_through_their_object() {
    // The 2 sits at the tip's base; the arrow's mass lies to its right.
    let x = g(&["000000", "110000", "211000", "110000", "000000"]);
    assert_eq!(run("(shoot_through input)", &x), "000000\n110000\n211222\n110000\n000000\n");
    assert!(try_run("(shoot_through input)", &g(&["110", "000"])).is_err());
}

#[test]
fn diagonal_segments_continue_from_their_tips() {
    let x = g(&["000000", "011000", "011000", "000100", "000000", "000000"]);
    // The block's corners are no tips; the cell hanging off its corner is.
    assert_eq!(run("(extend_diag input)", &x), "000000\n011000\n011000\n000100\n000010\n000001\n");
}

#[test]
fn elbow_paths_leave_along_the_row() {
    let x = g(&["0000", "2000", "0000", "0003"]);
    assert_eq!(run("(elbow 2 8 input)", &x), "0000\n2888\n0008\n0003\n");
    assert_eq!(run("(elbow 3 8 input)", &x), "0000\n2000\n8000\n8883\n");
    assert!(try_run("(elbow 5 8 input)", &x).is_err());
}

#[test]
fn stripes_repeat_at_the_seed_spacing() {
    let x = g(&["0200000", "0000000", "0008000"]);
    assert_eq!(run("(stripes input)", &x), "0208020\n0208020\n0208020\n");
    let y = g(&["300", "000", "000", "004", "000", "000", "000", "000"]);
    assert_eq!(run("(stripes input)", &y), "333\n000\n000\n444\n000\n000\n333\n000\n");
    assert!(try_run("(stripes input)", &g(&["1010", "0000", "0001"])).is_err());
}

#[test]
fn corner_rays_leave_a_block_from_its_corner_only() {
    let x = g(&["00000", "00000", "00110", "00110", "00000"]);
    assert_eq!(run("(corner_rays up_left 1 input)", &x), "10000\n01000\n00110\n00110\n00000\n");
    assert_eq!(run("(corner_rays down_right 1 input)", &x), "00000\n00000\n00110\n00110\n00001\n");
    assert!(try_run("(corner_rays up_left 2 input)", &x).is_err());
}

#[test]
fn runs_continue_at_their_period_both_ways() {
    let x = g(&["0000000", "0012000", "0000000", "3300000"]);
    // The one-colour run 33 is a plain line and stays.
    assert_eq!(run("(continue_runs h input)", &x), "0000000\n1212121\n0000000\n3300000\n");
    // A lone cell is no run.
    assert_eq!(run("(continue_runs v input)", &x), "0000000\n0012000\n0000000\n3300000\n");
}

#[test]
fn dashed_rays_alternate_colours() {
    let x = g(&["20000", "00000", "00300"]);
    assert_eq!(run("(rays_alt right 5 input)", &x), "25252\n00000\n00353\n");
    // The dashes take a colour the grid does not hold yet.
    assert!(try_run("(rays_alt right 3 input)", &x).is_err());
}

#[test]
fn partial_rows_follow_the_full_row() {
    let x = g(&["1211", "0000", "3400"]);
    assert_eq!(run("(complete_lines h input)", &x), "1211\n0000\n3433\n");
    // The drawn cells contradict the full row's pattern.
    assert!(try_run("(complete_lines h input)", &g(&["1211", "0000", "3300"])).is_err());
}

#[test]
fn spiral_keeps_its_turns_apart() {
    let x = g(&["00000", "00000", "00000", "00000", "00000"]);
    assert_eq!(run("(spiral 3 input)", &x), "33333\n00003\n33303\n30003\n33333\n");
    assert!(try_run("(spiral 3 input)", &g(&["000", "010", "000"])).is_err());
}

#[test]
fn lines_cross_each_centre() {
    let x = g(&["00000", "01110", "01010", "01110", "00000"]);
    assert_eq!(run("(centre_lines hv 6 input)", &x), "00600\n01110\n61616\n01110\n00600\n");
    assert!(try_run("(centre_lines h 6 input)", &g(&["11", "00"])).is_err());
}

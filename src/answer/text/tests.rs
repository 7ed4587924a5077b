//! The text form's tests: every form prints and parses back; bad texts say where.

use super::*;
use crate::dsl::registry;

#[test]
fn keywords_are_not_primitive_names() {
    for k in KEYWORDS {
        assert!(registry().id(k).is_none(), "`{k}` is a primitive: answers could not tell them apart");
    }
}

#[test]
fn every_form_prints_and_parses_back() {
    for text in [
        "input",
        "(rot90 (shift right input))",
        "(colormap {0>2 8>0} (fill_empty_lines hv 8 input))",
        "(normalized (colormap {0>3 1>3} (corner tl 3 input)))",
        "(roles rare 02 (keep_color 3 input))",
        "(roles common - input)",
        "(layers 0 blank (lines hv 0 input) (keep_color 2 input))",
        "(layers 5 (mirror_lr input) (keep_color 2 input))",
        "(local_rule parity 0 {10>1 21>3} input)",
        "(local_rule lenient region_size 0 {a0>1} (rot90 input))",
        "(object_rule c8_multi colour+size_is_3 0 {-1,1>2 4,0>keep})",
        "(object_rule c4 is_largest 0 {-1,1>2})",
        "(cell_rule lenient place 0 {0,0>fill_2 1,3>copy_fullest})",
        "(match_rule c4 touches_other+has_twin 0 {0,0>keep 0,1>paint_5 1,1>keep})",
        "(match_rule c8_multi fits_hole 5 {-1,0>keep -1,1>into_hole -1,2>shift_-2_13 -1,3>slide_left -1,4>rot90})",
        "(partial (reverse_ranks (recolor 2 4 input)))",
    ] {
        let a: Answer = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(a.to_string(), text);
    }
}

#[test]
fn deep_answers_are_refused_not_overflowed() {
    let nest = |n: usize| format!("{}input{}", "(normalized ".repeat(n), ")".repeat(n));
    assert!(nest(MAX_DEPTH).parse::<Answer>().is_ok());
    for n in [MAX_DEPTH + 1, 200_000] {
        match nest(n).parse::<Answer>() {
            Err(AnswerError::Parse { msg, .. }) => assert!(msg.contains("nests deeper"), "{msg}"),
            other => panic!("{n} levels: {other:?}"),
        }
    }
    let deep_program = format!("(colormap {{1>2}} {}input{})", "(rot90 ".repeat(10_000), ")".repeat(10_000));
    assert!(matches!(deep_program.parse::<Answer>(), Err(AnswerError::Program { err: ProgramError::TooDeep, .. })));
    assert!("(colormap {+1>2} input)".parse::<Answer>().is_err());
}

#[test]
fn bad_texts_say_where() {
    for (text, pos) in [
        ("(colormap {0>2 0>3} input)", 15),
        ("(local_rule nope 0 {} input)", 12),
        ("(layers 0 blank)", 15),
        ("(partial (rot90 input) input)", 23),
        ("(object_rule c4 size 0 {1>2})", 24),
        ("(cell_rule place 12 {})", 17),
        ("(match_rule c4 size+nope 0 {})", 15),
        ("(match_rule c4 size 0 {1,2>shift_1})", 23),
        ("(roles often 0 input)", 7),
        ("(roles rare 20 input)", 12),
    ] {
        match text.parse::<Answer>() {
            Err(AnswerError::Parse { pos: p, .. }) => assert_eq!(p, pos, "{text}"),
            other => panic!("{text}: {other:?}"),
        }
    }
    assert!(matches!("(colormap {} (nope input))".parse::<Answer>(), Err(AnswerError::Program { pos: 13, .. })));
    assert!(matches!("(count_objs (objects c4 all bg input))".parse::<Answer>(), Err(AnswerError::Program { .. })));
}

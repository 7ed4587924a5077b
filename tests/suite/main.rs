//! The `#[test]` suites, in one harness (one binary to link): a test is named
//! `<module>::<test>`, so `cargo test --release --test suite -- shard::` runs one module.
//!
//! - [`cli`]: the CLI's messages and exit statuses;
//! - [`guide`]: the shipped guide loads, ranks, adapts, and saves search work;
//! - [`properties`]: property tests over the whole registry;
//! - [`report`]: the HTML report and the SVG picture, read back;
//! - [`shard`]: sharded runs merged equal the unsharded run;
//! - [`submission`]: Kaggle submissions, scored by an independent reader;
//! - [`torch`]: libtorch is linked and computes.
//!
//! The data-driven trials are the `trials` harness (`tests/trials/`); the task gate is `tests/tasks.rs`.

#[path = "../common/mod.rs"]
mod common;
mod cli;
mod guide;
mod properties;
mod report;
mod shard;
mod submission;
mod torch;

//! Learnt rules as data: each rule type with what its key reads (features, properties), what
//! its table gives (colours, actions) and its `run`, which replays it on an input grid. The
//! learners (`search::learn`) only fit the tables from the demos; they predict through
//! the rules' `paint`, the same code `run` goes through.
//!
//! - [`local`]: each cell of a base grid through a table over its neighbourhood;
//! - [`objects`]: whole objects recoloured by a table over an object property;
//! - [`correspond`]: objects kept, recoloured, turned or moved by a table over object features
//!   and relations to the other objects;
//! - [`cells`]: the cells of a grid cut by separator lines kept, cleared, filled or copied by a
//!   table over a cell property.

pub mod cells;
pub mod correspond;
pub mod local;
pub mod objects;

pub use cells::CellRule;
pub use correspond::MatchRule;
pub use local::LocalRule;
pub use objects::ObjectRule;

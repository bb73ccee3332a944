//! The module list of the acceptance-test binary (tests/acceptance/main.rs),
//! so that a new test file needs no `mod` line: `acceptance_modules::modules!()`
//! expands to `#[path = "…/tests/acceptance/<name>.rs"] mod <name>;` for every
//! `<name>.rs` there but `main.rs`. The list is made by this crate's build
//! script (see build.rs for why it is a crate of its own).

include!(concat!(env!("OUT_DIR"), "/modules.rs"));

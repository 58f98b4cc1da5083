//! `sr`: the registry and its CLI.
fn main() {}

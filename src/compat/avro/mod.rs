//! Avro compatibility: the specification's schema-resolution rules, exactly.
//!
//! [`walk`] pairs reader and writer nodes the way resolution does; [`rules`] holds one function
//! per rule id and the documented [`AVRO_RULES`] table. Every violation is collected; the walk
//! never stops at the first.

mod rules;
mod walk;

pub use rules::{
    AVRO_RULES, FIXED_SIZE_MISMATCH, MISSING_ENUM_SYMBOLS, MISSING_UNION_BRANCH, NAME_MISMATCH,
    READER_FIELD_MISSING_DEFAULT_VALUE, TYPE_MISMATCH,
};

use super::{Direction, Violation};
use crate::format::avro::AvroSchema;
use rules::{Roles, CHECKS};
use walk::{Env, Judge, Pair, Walker};

/// Every way `reader` fails to read data written with `writer`, worded neutrally
/// ("the reader", "the writer").
pub fn check(reader: &AvroSchema, writer: &AvroSchema) -> Vec<Violation> {
    check_with(reader, writer, None)
}

/// As [`check`], with messages worded for `direction`: in a backward check the reader is the
/// new schema, in a forward check the old one. Each violation's `direction` is set to it.
pub fn check_directed(
    reader: &AvroSchema,
    writer: &AvroSchema,
    direction: Direction,
) -> Vec<Violation> {
    check_with(reader, writer, Some(direction))
}

fn check_with(
    reader: &AvroSchema,
    writer: &AvroSchema,
    direction: Option<Direction>,
) -> Vec<Violation> {
    let mut judge = Collect {
        roles: Roles { direction },
        out: Vec::new(),
    };
    let mut walker = Walker::new(
        Env::new(&reader.schema, &reader.deps),
        Env::new(&writer.schema, &writer.deps),
        &mut judge,
    );
    walker.walk(&reader.schema, &writer.schema);
    if let Some(d) = direction {
        for v in &mut judge.out {
            v.direction = d;
        }
    }
    judge.out
}

/// Runs every rule on every pair and keeps what they find.
struct Collect {
    roles: Roles,
    out: Vec<Violation>,
}

impl<'a> Judge<'a> for Collect {
    fn judge(&mut self, pair: &Pair<'a, '_>) {
        for c in CHECKS {
            if let Some(v) = (c.check)(pair, self.roles) {
                debug_assert_eq!(v.rule, c.id);
                self.out.push(v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_is_documented_and_every_documented_rule_checked() {
        let documented: Vec<&str> = AVRO_RULES.iter().map(|r| r.id).collect();
        let checked: Vec<&str> = CHECKS.iter().map(|c| c.id).collect();
        assert_eq!(documented, checked);
        for r in AVRO_RULES {
            assert!(
                r.doc.contains("What:") && r.doc.contains("Fix:"),
                "{}",
                r.id
            );
        }
    }
}

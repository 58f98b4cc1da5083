//! Avro compatibility: the specification's schema-resolution rules, exactly.
//!
//! [`walk`] pairs reader and writer nodes the way resolution does; [`rules`] holds one function
//! per rule id and the documented [`AVRO_RULES`] table. Every violation is collected; the walk
//! never stops at the first.

mod rules;
mod walk;

pub use rules::{
    AVRO_RULES, FIXED_SIZE_MISMATCH, MISSING_ENUM_SYMBOLS, MISSING_UNION_BRANCH, NAME_MISMATCH,
    READER_FIELD_AMBIGUOUS, READER_FIELD_MISSING_DEFAULT_VALUE, TYPE_MISMATCH,
};

use super::{Direction, Violation};
use crate::format::avro::{with_deep_stack, AvroSchema};
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
    // The walk follows references, which may chain further than a worker's stack reaches.
    with_deep_stack(reader.deps.len() + writer.deps.len(), || {
        walk_pair(reader, writer, direction)
    })
}

fn walk_pair(
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
            if !c.on.covers(pair) {
                continue;
            }
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
#[cfg(test)]
mod deep_references {
    use crate::format::avro::AvroSchema;
    use crate::format::Dependency;

    /// `Top.y` is `R<n-1>`, whose field `p` is `R<n-2>`, ... down to `R0 { v: <leaf> }`, each
    /// in a reference of its own.
    fn chain(n: usize, leaf: &str) -> AvroSchema {
        let mut deps = vec![Dependency {
            name: "R0".into(),
            schema: format!(
                r#"{{"type":"record","name":"R0","fields":[{{"name":"v","type":"{leaf}"}}]}}"#
            ),
        }];
        for i in 1..n {
            deps.push(Dependency {
                name: format!("R{i}"),
                schema: format!(
                    r#"{{"type":"record","name":"R{i}","fields":[{{"name":"p","type":"R{}"}}]}}"#,
                    i - 1
                ),
            });
        }
        let text = format!(
            r#"{{"type":"record","name":"Top","fields":[{{"name":"y","type":"R{}"}}]}}"#,
            n - 1
        );
        AvroSchema::parse(&text, &deps).unwrap()
    }

    #[test]
    fn a_long_reference_chain_neither_overflows_a_worker_stack_nor_hides_a_change() {
        // 2 MiB: a tokio worker's stack.
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(|| {
                let (old, new) = (chain(1500, "long"), chain(1500, "int"));
                assert!(super::check(&old, &old).is_empty());
                let found = super::check(&new, &old);
                assert_eq!(found.len(), 1, "{found:?}");
                assert_eq!(found[0].rule, super::TYPE_MISMATCH);
                assert!(found[0].path.ends_with("/fields/0/type/fields/0/type"));
                assert_eq!(found[0].path.matches("/fields/0/type").count(), 1501);
            })
            .unwrap()
            .join()
            .unwrap();
    }
}

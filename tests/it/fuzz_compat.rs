//! Property tests of the compatibility checker on random small valid Avro schemas: it never
//! panics, a schema is compatible with itself, and FULL is exactly BACKWARD and FORWARD.

use proptest::prelude::*;
use schema_registry::compat::{check, Previous};
use schema_registry::format::ParsedSchema;
use schema_registry::types::{CompatibilityLevel, SchemaType};

use crate::fuzz_avro::avro_json;

fn valid() -> impl Strategy<Value = ParsedSchema> {
    avro_json().prop_filter_map("does not parse", |v| {
        ParsedSchema::parse(SchemaType::Avro, &v.to_string(), &[]).ok()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn checking_random_pairs_never_panics_and_agrees_with_itself(a in valid(), b in valid(), c in valid()) {
        let prev = [Previous { label: "1", schema: &a }, Previous { label: "2", schema: &b }];
        let mut verdicts = std::collections::HashMap::new();
        for level in CompatibilityLevel::ALL {
            let report = check(&c, &prev, level);
            for v in &report.violations {
                prop_assert!(!v.rule.is_empty());
                prop_assert!(v.against.is_some());
            }
            verdicts.insert(level, report.is_compatible());
        }
        use CompatibilityLevel as L;
        prop_assert!(verdicts[&L::None]);
        prop_assert_eq!(verdicts[&L::Full], verdicts[&L::Backward] && verdicts[&L::Forward]);
        prop_assert_eq!(
            verdicts[&L::FullTransitive],
            verdicts[&L::BackwardTransitive] && verdicts[&L::ForwardTransitive]
        );
        // Transitive levels see every version the plain level sees, and more.
        prop_assert!(!verdicts[&L::BackwardTransitive] || verdicts[&L::Backward]);
        prop_assert!(!verdicts[&L::ForwardTransitive] || verdicts[&L::Forward]);
    }

    #[test]
    fn a_schema_is_compatible_with_itself(a in valid()) {
        for level in CompatibilityLevel::ALL {
            let report = check(&a, &[Previous { label: "1", schema: &a }], level);
            prop_assert!(report.is_compatible(), "{:?} {}: {:?}", level, a.canonical(), report.violations);
        }
    }
}

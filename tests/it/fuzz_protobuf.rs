//! Property tests of Protobuf parsing and canonical text: any input is `Ok` or `Err`, never a
//! panic, and the canonical text of a file that compiles is a fixed point.

use proptest::prelude::*;
use schema_registry::format::ParsedSchema;
use schema_registry::types::SchemaType;

fn assert_fixed_point(text: &str) -> Result<(), TestCaseError> {
    if let Ok(parsed) = ParsedSchema::parse(SchemaType::Protobuf, text, &[]) {
        let canonical = parsed.canonical().to_string();
        let again = ParsedSchema::parse(SchemaType::Protobuf, &canonical, &[]).map_err(|e| {
            TestCaseError::fail(format!(
                "canonical text does not compile: {e}\n{canonical}\nfrom {text}"
            ))
        })?;
        prop_assert_eq!(again.canonical(), canonical.as_str(), "from {}", text);
    }
    Ok(())
}

fn ident() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Z][a-z0-9_]{0,5}",
        1 => "[a-z_][a-z0-9_]{0,5}",
        1 => Just("int32".to_string()),
        1 => Just("option".to_string()),
    ]
}

fn field_type() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("string".to_string()),
        Just("int64".to_string()),
        Just("bytes".to_string()),
        Just("bool".to_string()),
        Just("google.protobuf.Timestamp".to_string()),
        Just("map<string, int32>".to_string()),
        ident(),
    ]
}

/// A .proto file: mostly sensible, sometimes wrong in the ways people get it wrong.
fn proto_file() -> impl Strategy<Value = String> {
    let field = (
        prop_oneof![Just(""), Just("repeated "), Just("optional ")],
        field_type(),
        ident(),
        prop_oneof![4 => 1u32..40, 1 => Just(0u32), 1 => Just(19_000u32), 1 => Just(536_870_912u32)],
    )
        .prop_map(|(label, ty, name, n)| format!("{label}{ty} {name} = {n};"));
    let message = (
        ident(),
        prop::collection::vec(field, 0..5),
        prop::option::of(ident()),
    )
        .prop_map(|(name, fields, nested)| {
            let nested = nested
                .map(|n| format!("message {n} {{ string x = 1; }} "))
                .unwrap_or_default();
            format!("message {name} {{ {nested}{} }}", fields.join(" "))
        });
    let enumeration =
        (ident(), prop::collection::vec((ident(), 0i32..4), 1..4)).prop_map(|(name, values)| {
            let body: Vec<String> = values
                .into_iter()
                .map(|(v, n)| format!("{}_{v} = {n};", name.to_uppercase()))
                .collect();
            format!("enum {name} {{ {} }}", body.join(" "))
        });
    (
        prop_oneof![Just("proto3"), Just("proto2"), Just("proto4")],
        prop::option::of("[a-z]{1,4}(\\.[a-z]{1,4}){0,2}"),
        any::<bool>(),
        prop::collection::vec(prop_oneof![3 => message, 1 => enumeration], 0..4),
    )
        .prop_map(|(syntax, package, timestamp, items)| {
            let mut out = format!("syntax = \"{syntax}\";\n");
            if let Some(p) = package {
                out.push_str(&format!("package {p};\n"));
            }
            if timestamp {
                out.push_str("import \"google/protobuf/timestamp.proto\";\n");
            }
            out.push_str(&items.join("\n"));
            out
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "(syntax|message|enum|[{};=\" ]|[a-z0-9]{1,4}){0,40}") {
        assert_fixed_point(&text)?;
    }

    #[test]
    fn proto_shaped_files_compile_to_a_canonical_fixed_point(file in proto_file()) {
        assert_fixed_point(&file)?;
    }
}

/// The generator must reach files that compile, or the fixed-point property checks nothing.
#[test]
fn the_generator_reaches_valid_files() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = proto_file();
    let compiled = (0..300)
        .filter(|_| {
            let file = strategy.new_tree(&mut runner).unwrap().current();
            ParsedSchema::parse(SchemaType::Protobuf, &file, &[]).is_ok()
        })
        .count();
    eprintln!("protobuf generator: {compiled} of 300 files compile");
    assert!(
        compiled >= 30,
        "only {compiled} of 300 generated files compile"
    );
}

//! The semantic-version bump a schema change needs: shared by `sr check` and the web UI.

use crate::format::ParsedSchema;

/// Bumps, smallest first, so they compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Nothing changed.
    None,
    /// Docs or properties only: readers and writers are unaffected.
    Patch,
    /// A compatible change under the subject's level.
    Minor,
    /// A breaking change.
    Major,
}

impl Bump {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// What a change from `old` to `new` needs, given whether the check found violations.
pub fn needed(old: &ParsedSchema, new: &ParsedSchema, breaking: bool) -> Bump {
    if breaking {
        return Bump::Major;
    }
    if old.canonical() == new.canonical() {
        return Bump::None;
    }
    let same_shape = match (old, new) {
        (ParsedSchema::Avro(o), ParsedSchema::Avro(n)) => {
            o.schema.canonical_form() == n.schema.canonical_form()
        }
        _ => old.normalized() == new.normalized(),
    };
    if same_shape {
        Bump::Patch
    } else {
        Bump::Minor
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::SchemaType;

    fn avro(text: &str) -> ParsedSchema {
        ParsedSchema::parse(SchemaType::Avro, text, &[]).unwrap()
    }

    #[test]
    fn bumps_follow_the_change() {
        let a = avro(r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#);
        let doc =
            avro(r#"{"type":"record","name":"R","doc":"d","fields":[{"name":"a","type":"int"}]}"#);
        let b = avro(
            r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int","default":0}]}"#,
        );
        assert_eq!(needed(&a, &a, false), Bump::None);
        assert_eq!(needed(&a, &doc, false), Bump::Patch);
        assert_eq!(needed(&a, &b, false), Bump::Minor);
        assert_eq!(needed(&a, &b, true), Bump::Major);
    }
}

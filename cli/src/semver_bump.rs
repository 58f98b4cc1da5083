//! The semantic-version bump a schema change needs, and the one a declared version makes.

use schema_registry::format::ParsedSchema;

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

/// The bump from version `old` to `new`; `None` also when `new` is not greater.
pub fn declared(old: &semver::Version, new: &semver::Version) -> Bump {
    if new.major > old.major {
        Bump::Major
    } else if new.major == old.major && new.minor > old.minor {
        Bump::Minor
    } else if new.major == old.major && new.minor == old.minor && new.patch > old.patch {
        Bump::Patch
    } else {
        Bump::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> semver::Version {
        semver::Version::parse(s).unwrap()
    }

    #[test]
    fn declared_bumps() {
        assert_eq!(declared(&v("1.2.3"), &v("2.0.0")), Bump::Major);
        assert_eq!(declared(&v("1.2.3"), &v("1.3.0")), Bump::Minor);
        assert_eq!(declared(&v("1.2.3"), &v("1.2.4")), Bump::Patch);
        assert_eq!(declared(&v("1.2.3"), &v("1.2.3")), Bump::None);
        assert_eq!(declared(&v("1.2.3"), &v("1.1.9")), Bump::None);
        assert!(Bump::Patch < Bump::Minor && Bump::Minor < Bump::Major);
    }
}

//! The semantic-version bump a schema change needs, and the one a declared version makes.

pub use schema_registry::compat::bump::{needed, Bump};

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

//! Schema contexts, as Confluent's `QualifiedSubject` (client/.../utils/QualifiedSubject.java)
//! parses them: a subject `:.ctx:name` lives in context `.ctx`, a plain `name` in the default
//! context `.`, and `:*:` is the wildcard of every context. Ids are counted per context; the
//! default context's ids are the ones `sr` always had. Tenants are not supported (Confluent's
//! default tenant only).

/// The default context.
pub const DEFAULT: &str = ".";
/// The wildcard prefix of every context (`GET /subjects`'s default `subjectPrefix`).
pub const WILDCARD: &str = ":*:";
/// Confluent's context for global config and mode (`.__GLOBAL`).
pub const GLOBAL: &str = ".__GLOBAL";

/// A subject split as Confluent's `QualifiedSubject(tenant, qualifiedSubject)` splits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Qualified<'a> {
    /// `.` for the default context, `.name` for another, `*` for the wildcard.
    pub context: &'a str,
    /// The subject within it (may be empty: then the whole names a context).
    pub subject: &'a str,
}

/// Splits `name` into context and subject; never fails, like Confluent's constructor.
pub fn parse(name: &str) -> Qualified<'_> {
    if let Some(rest) = name.strip_prefix(":.") {
        match rest.find(':') {
            Some(ix) => Qualified {
                context: &name[1..2 + ix],
                subject: &rest[ix + 1..],
            },
            None => Qualified {
                context: &name[1..],
                subject: "",
            },
        }
    } else if let Some(rest) = name.strip_prefix(WILDCARD) {
        Qualified {
            context: "*",
            subject: rest,
        }
    } else {
        Qualified {
            context: DEFAULT,
            subject: name,
        }
    }
}

/// The context a subject lives in.
pub fn of(subject: &str) -> &str {
    parse(subject).context
}

/// Whether the bare context `context` (a name with no subject after it, `:.ctx:`) holds
/// `subject`, as Confluent's `isSubjectInContext`: every subject of it, and `.__GLOBAL`
/// every subject at all.
pub fn holds(context: &str, subject: &str) -> bool {
    context == GLOBAL || of(subject) == context
}

/// The `:.ctx:` prefix of a context (empty for the default context): `toUnqualifiedContext`.
pub fn prefix(context: &str) -> String {
    if context == DEFAULT {
        String::new()
    } else {
        format!(":{context}:")
    }
}

/// Confluent's `QualifiedSubject.normalize`: `:.:name` is `name`, `:.ctx` is `:.ctx:`.
pub fn normalize(name: &str) -> String {
    let q = parse(name);
    format!("{}{}", prefix(q.context), q.subject)
}

/// Whether `name` names the default context itself (`""`, `:.:`): `isDefaultContext`.
pub fn is_default_context(name: &str) -> bool {
    let q = parse(name);
    q.context == DEFAULT && q.subject.is_empty()
}

/// Confluent's `isValidSubject(tenant, subject, isConfigOrMode, allowEmptyOrWildcard)`:
/// no control characters, not `__GLOBAL` or `__EMPTY`, and the `.__GLOBAL` context only for
/// config and mode. `None` when valid, else the reason.
pub fn invalid(name: &str, config_or_mode: bool, allow_empty: bool) -> Option<String> {
    if name.chars().any(char::is_control) {
        return Some("subject name must not contain control characters".into());
    }
    let q = parse(name);
    if q.subject == "__GLOBAL" || q.subject == "__EMPTY" {
        return Some(format!("subject name {} is reserved", q.subject));
    }
    if !allow_empty && (q.subject.is_empty() || q.subject == "*") {
        return Some("subject name must not be empty".into());
    }
    if !config_or_mode && q.context == GLOBAL {
        return Some(format!("the context {GLOBAL} holds only config and mode"));
    }
    None
}

/// Confluent's `qualifySubjectWithParent`: a reference's unqualified subject lives in the
/// context of the schema that declares it; a qualified one stays where it says.
pub fn qualify_with_parent(parent: &str, subject: &str) -> String {
    let q = parse(subject);
    if q.context != DEFAULT {
        return subject.to_string();
    }
    let p = of(parent);
    if p == DEFAULT {
        subject.to_string()
    } else {
        format!("{}{}", prefix(p), subject)
    }
}

/// A reference's subject as stored by a schema of `context`: unqualified, it lives in that
/// context (what [`qualify_with_parent`] gives for any subject of the context).
pub fn qualify_in(context: &str, subject: &str) -> String {
    if of(subject) != DEFAULT || context == DEFAULT {
        subject.to_string()
    } else {
        format!("{}{}", prefix(context), subject)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_as_confluent() {
        assert_eq!(parse("a").context, ".");
        assert_eq!(
            parse(":.ctx:a:b"),
            Qualified {
                context: ".ctx",
                subject: "a:b"
            }
        );
        assert_eq!(
            parse(":.ctx"),
            Qualified {
                context: ".ctx",
                subject: ""
            }
        );
        assert_eq!(
            parse(":.:a"),
            Qualified {
                context: ".",
                subject: "a"
            }
        );
        assert_eq!(
            parse(":*:a"),
            Qualified {
                context: "*",
                subject: "a"
            }
        );
        assert_eq!(parse(":x:a").context, ".");
        assert_eq!(normalize(":.:a"), "a");
        assert_eq!(normalize(":.ctx"), ":.ctx:");
        assert_eq!(normalize(":.ctx:a"), ":.ctx:a");
        assert!(is_default_context(":.:") && is_default_context(""));
        assert!(!is_default_context(":.ctx:"));
        assert_eq!(qualify_with_parent(":.c:x", "y"), ":.c:y");
        assert_eq!(qualify_with_parent(":.c:x", ":.d:y"), ":.d:y");
        assert_eq!(qualify_with_parent("x", "y"), "y");
        assert!(invalid(":.__GLOBAL:a", false, false).is_some());
        assert!(invalid(":.__GLOBAL:", true, true).is_none());
        assert!(invalid(":.c:__GLOBAL", false, false).is_some());
        assert!(invalid(":.c:", false, false).is_some());
    }
}

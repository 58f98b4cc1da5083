//! The route table: every route of the REST API written down once, with the handler that
//! serves it, the right a caller needs and whether its answer is a subject listing to narrow.
//! The dispatch, the auth decision and the OpenAPI test are all built from [`ROUTES`], so a
//! route cannot be served without a stated right, nor documented without being served.

use std::future::Future;
use std::pin::Pin;

use axum::extract::Request;
use axum::response::Response;

use super::{compatibility, config, mode, ops, schemas, subjects, AppState};
use crate::auth::{Need, Role};
use crate::ui;

/// An HTTP method a route answers (GET also answers HEAD).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    /// GET (and HEAD).
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// DELETE.
    Delete,
}

impl Verb {
    /// The method's name, upper case.
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Put => "PUT",
            Verb::Delete => "DELETE",
        }
    }

    /// The verb of an HTTP method, if a route can have it.
    pub fn of(method: &axum::http::Method) -> Option<Verb> {
        use axum::http::Method;
        match *method {
            Method::GET | Method::HEAD => Some(Verb::Get),
            Method::POST => Some(Verb::Post),
            Method::PUT => Some(Verb::Put),
            Method::DELETE => Some(Verb::Delete),
            _ => None,
        }
    }
}

/// The right a route needs, stated per route (there is no default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, without credentials (liveness).
    Open,
    /// The role over any subject: global reads, listings and reads by id.
    Any(Role),
    /// The role over the path's `{subject}`.
    Subject(Role),
    /// The role over every subject.
    Global(Role),
    /// A subject's mode change: `write`, but `admin` when the body sets IMPORT.
    SubjectMode,
    /// The `metrics` or `admin` role, or anyone under `--metrics-public`.
    Metrics,
}

impl Access {
    /// What a request needs, given the path's subject (percent-decoded; `None` when the path
    /// has none or it is not UTF-8, which then needs the role over every subject) and, for a
    /// mode change, its body.
    pub fn need(self, subject: Option<&str>, mode_body: Option<&[u8]>) -> Need {
        let on_subject = |role| match subject {
            Some(s) => Need::Subject(role, s.to_string()),
            None => Need::Global(role),
        };
        match self {
            Access::Open => Need::Open,
            Access::Metrics => Need::Metrics,
            Access::Any(role) => Need::Any(role),
            Access::Global(role) => Need::Global(role),
            Access::Subject(role) => on_subject(role),
            Access::SubjectMode if is_import(mode_body) => on_subject(Role::Admin),
            Access::SubjectMode => on_subject(Role::Write),
        }
    }
}

fn is_import(body: Option<&[u8]>) -> bool {
    let Some(body) = body else { return false };
    let value: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    value["mode"]
        .as_str()
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("IMPORT"))
}

/// Whether a successful answer lists subjects, which a scoped principal sees narrowed to
/// the subjects it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// Not a listing: answered as is.
    No,
    /// A JSON array of subject names, or of objects with a `subject` field.
    Subjects,
}

/// One route.
pub struct Route {
    /// Its method.
    pub verb: Verb,
    /// Its path, in axum's syntax (`{name}` captures a segment). The same path with a
    /// trailing slash is served too, as Jersey serves it for Confluent.
    pub path: &'static str,
    /// The right a caller needs.
    pub access: Access,
    /// Whether the answer is narrowed for a scoped principal.
    pub listing: Listing,
    handler: fn(Request, AppState) -> Answer,
}

/// A route's answer to one request, to be awaited.
pub type Answer = Pin<Box<dyn Future<Output = Response> + Send>>;

impl Route {
    /// Answers `req` with this route's handler (its extractors read the path parameters
    /// that [`super::ops::Observe`] put in the request).
    pub(super) fn answer(&self, req: Request, state: AppState) -> Answer {
        (self.handler)(req, state)
    }
}

use Access::{Any, Global, Open, Subject, SubjectMode};
use Listing::{No, Subjects};
use Role::{Admin, Read, Write};
use Verb::{Delete, Get, Post, Put};

macro_rules! route {
    ($verb:expr, $path:expr, $access:expr, $listing:expr, $handler:path) => {
        Route {
            verb: $verb,
            path: $path,
            access: $access,
            listing: $listing,
            handler: |req, state| Box::pin(axum::handler::Handler::call($handler, req, state)),
        }
    };
}

/// Every route of the API.
#[rustfmt::skip]
pub static ROUTES: &[Route] = &[
    route!(Get, "/", Open, No, super::root),
    route!(Post, "/", Any(Read), No, super::root),
    // Probes: the kubelet carries no credentials; readiness writes only its own key.
    route!(Get, "/health/ready", Open, No, ops::ready_handler),
    route!(Get, "/metrics", Access::Metrics, No, ops::metrics_handler),
    route!(Get, "/contexts", Any(Read), No, super::contexts),
    route!(Delete, "/contexts/{context}", Global(Admin), No, super::delete_context),
    route!(Get, "/v1/metadata/id", Any(Read), No, super::metadata_id),
    route!(Get, "/v1/metadata/version", Any(Read), No, super::metadata_version),
    route!(Get, "/v1/metadata/deployment", Any(Read), No, super::metadata_deployment),
    route!(Get, "/schemas", Any(Read), Subjects, schemas::list),
    route!(Get, "/schemas/types", Any(Read), No, schemas::types),
    // A serializer holding an id may always decode with it: reads by id are not scoped.
    route!(Get, "/schemas/ids/{id}", Any(Read), No, schemas::by_id),
    route!(Get, "/schemas/ids/{id}/schema", Any(Read), No, schemas::raw_by_id),
    route!(Get, "/schemas/ids/{id}/subjects", Any(Read), Subjects, schemas::subjects_of_id),
    route!(Get, "/schemas/ids/{id}/versions", Any(Read), Subjects, schemas::versions_of_id),
    route!(Get, "/subjects", Any(Read), Subjects, subjects::list),
    route!(Post, "/subjects/{subject}", Subject(Read), No, subjects::lookup),
    route!(Delete, "/subjects/{subject}", Subject(Admin), No, subjects::delete_subject),
    route!(Get, "/subjects/{subject}/versions", Subject(Read), No, subjects::versions),
    route!(Get, "/subjects/{subject}/metadata", Subject(Read), No, subjects::latest_with_metadata),
    route!(Post, "/subjects/{subject}/versions", Subject(Write), No, subjects::register),
    route!(Get, "/subjects/{subject}/versions/{version}", Subject(Read), No, subjects::get_version),
    route!(Delete, "/subjects/{subject}/versions/{version}", Subject(Admin), No, subjects::delete_version),
    route!(Get, "/subjects/{subject}/versions/{version}/schema", Subject(Read), No, subjects::raw_version),
    route!(Get, "/subjects/{subject}/versions/{version}/referencedby", Subject(Read), No, subjects::referenced_by),
    route!(Post, "/compatibility/subjects/{subject}/versions", Subject(Read), No, compatibility::against_all),
    route!(Post, "/compatibility/subjects/{subject}/versions/{version}", Subject(Read), No, compatibility::against_one),
    route!(Get, "/config", Any(Read), No, config::get_global),
    route!(Put, "/config", Global(Admin), No, config::put_global),
    route!(Delete, "/config", Global(Admin), No, config::delete_global),
    route!(Get, "/config/{subject}", Subject(Read), No, config::get_subject),
    route!(Put, "/config/{subject}", Subject(Write), No, config::put_subject),
    route!(Delete, "/config/{subject}", Subject(Write), No, config::delete_subject),
    route!(Get, "/mode", Any(Read), No, mode::get_global),
    route!(Put, "/mode", Global(Admin), No, mode::put_global),
    route!(Delete, "/mode", Global(Admin), No, mode::delete_global),
    route!(Get, "/mode/{subject}", Subject(Read), No, mode::get_subject),
    route!(Put, "/mode/{subject}", SubjectMode, No, mode::put_subject),
    route!(Delete, "/mode/{subject}", Subject(Write), No, mode::delete_subject),
    // The web UI (src/ui): HTML pages that only read. A page narrows what it lists to the
    // caller's subjects itself; the check form is a read, like POST /compatibility.
    route!(Get, "/ui", Any(Read), No, ui::subjects),
    route!(Get, "/ui/assets/style.css", Any(Read), No, ui::style),
    route!(Get, "/ui/config", Any(Read), No, ui::config),
    route!(Get, "/ui/check", Any(Read), No, ui::check_pick),
    route!(Get, "/ui/schemas/{id}", Any(Read), No, ui::schema),
    route!(Get, "/ui/subjects/{subject}", Subject(Read), No, ui::subject),
    route!(Get, "/ui/subjects/{subject}/diff", Subject(Read), No, ui::diff),
    route!(Get, "/ui/subjects/{subject}/check", Subject(Read), No, ui::check_form),
    route!(Post, "/ui/subjects/{subject}/check", Subject(Read), No, ui::check_run),
];

/// What a request that matches no route needs: any authenticated principal learns that
/// the route does not exist; an anonymous caller learns nothing.
pub const UNMATCHED: Access = Access::Any(Role::Read);

/// The route serving `verb` at the matched path template (with or without its trailing
/// slash).
pub fn find(verb: Verb, matched: &str) -> Option<&'static Route> {
    let path = match matched.strip_suffix('/') {
        Some(p) if !p.is_empty() => p,
        _ => matched,
    };
    ROUTES.iter().find(|r| r.verb == verb && r.path == path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_route_is_written_once() {
        for (i, a) in ROUTES.iter().enumerate() {
            for b in &ROUTES[i + 1..] {
                assert!(
                    !(a.verb == b.verb && a.path == b.path),
                    "{} {} twice",
                    a.verb.as_str(),
                    a.path
                );
            }
        }
    }

    #[test]
    fn a_subject_right_needs_a_subject_in_the_path() {
        for r in ROUTES {
            let has_subject = r.path.contains("{subject}");
            let wants_subject = matches!(r.access, Access::Subject(_) | Access::SubjectMode);
            assert_eq!(has_subject, wants_subject, "{} {}", r.verb.as_str(), r.path);
        }
    }

    #[test]
    fn only_reads_are_open_to_every_reader() {
        for r in ROUTES {
            let changes = matches!(r.verb, Verb::Put | Verb::Delete)
                || r.path.ends_with("/{subject}/versions") && r.verb == Verb::Post;
            if changes {
                assert!(
                    !matches!(r.access, Access::Open | Access::Any(_)),
                    "{} {} changes the registry but needs only {:?}",
                    r.verb.as_str(),
                    r.path,
                    r.access
                );
            }
        }
    }

    #[test]
    fn routes_need_the_documented_roles() {
        let need = |v: Verb, p: &str, s: Option<&str>, body: Option<&[u8]>| {
            find(v, p).expect(p).access.need(s, body)
        };
        assert_eq!(need(Get, "/", None, None), Need::Open);
        assert_eq!(need(Post, "/", None, None), Need::Any(Read));
        assert_eq!(need(Get, "/health/ready", None, None), Need::Open);
        assert_eq!(need(Get, "/metrics", None, None), Need::Metrics);
        assert_eq!(
            need(Post, "/subjects/{subject}/versions", Some("a/b"), None),
            Need::Subject(Write, "a/b".into())
        );
        assert_eq!(
            need(
                Post,
                "/compatibility/subjects/{subject}/versions/",
                Some("x"),
                None
            ),
            Need::Subject(Read, "x".into())
        );
        assert_eq!(
            need(
                Delete,
                "/subjects/{subject}/versions/{version}",
                Some("x"),
                None
            ),
            Need::Subject(Admin, "x".into())
        );
        assert_eq!(need(Put, "/config", None, None), Need::Global(Admin));
        assert_eq!(
            need(
                Put,
                "/mode/{subject}",
                Some("x"),
                Some(br#"{"mode":" import "}"#)
            ),
            Need::Subject(Admin, "x".into())
        );
        assert_eq!(
            need(
                Put,
                "/mode/{subject}",
                Some("x"),
                Some(br#"{"mode":"READONLY"}"#)
            ),
            Need::Subject(Write, "x".into())
        );
        // A subject that cannot be decoded needs the role over every subject.
        assert_eq!(
            need(Put, "/config/{subject}", None, None),
            Need::Global(Write)
        );
        assert!(find(Delete, "/contexts").is_none());
        assert_eq!(
            need(Delete, "/contexts/{context}", None, None),
            Need::Global(Admin)
        );
    }
}

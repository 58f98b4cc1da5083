//! JSON Schema compatibility, exactly as Confluent's `json-schema-provider` `diff` package
//! judges it: `compare(original, update)` walks both schemas as everit loads them (see
//! [`crate::format::json::model`]), emits every `Difference.Type` it meets, and the pair is
//! compatible when every emitted type is in the STRICT compatible set.
//!
//! BACKWARD is `compare(OLD, NEW)`, FORWARD `compare(NEW, OLD)`. Pairs are compared once
//! (memoized by node identity); a pair met again while it is being compared is assumed
//! compatible and the walk is repeated to a fixpoint, as Confluent's `Context` does, so
//! recursive schemas terminate and a change deep inside them is still found.

pub mod rules;

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use serde_json::Value;

use super::Violation;
use crate::format::json::model::{
    ArrayKind, Criterion, Kind, Model, Node, NodeId, NumberKind, ObjectKind, StringKind,
};
use crate::format::json::JsonSchema;
use rules::T;

pub use rules::JSON_RULES;

/// One difference, at a path relative to the pair it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Confluent's type name.
    pub ty: T,
    /// `#/properties/a/...`.
    pub path: String,
}

/// Every difference Confluent's `SchemaDiff.compare(original, update)` reports, compatible
/// ones included, in the order found.
pub fn differences(original: &JsonSchema, update: &JsonSchema) -> Vec<Difference> {
    let models = [original.model(), update.model()];
    let roots = (N(false, models[0].root), N(true, models[1].root));
    let mut seed: HashMap<(N, N), Rc<Vec<Difference>>> = HashMap::new();
    // Each pass only grows the set of incompatible pairs, which is finite; the bound is a
    // guard, never reached in practice.
    for _ in 0..64 {
        let mut e = Engine {
            models,
            memo: HashMap::new(),
            in_progress: HashSet::new(),
            seed: &seed,
            optimistic: false,
        };
        let mut cx = Cx::default();
        e.compare(&mut cx, Some(roots.0), Some(roots.1));
        let incompatible: HashMap<(N, N), Rc<Vec<Difference>>> = e
            .memo
            .iter()
            .filter(|(_, d)| !compatible(d))
            .map(|(k, d)| (*k, d.clone()))
            .collect();
        let same =
            incompatible.len() == seed.len() && incompatible.keys().all(|k| seed.contains_key(k));
        if !e.optimistic || same {
            return cx.diffs;
        }
        seed = incompatible;
    }
    Vec::new()
}

/// Checks that `update` can read what `original` describes (Confluent's direction: under
/// BACKWARD `original` is the old schema). Returns the incompatible differences as violations.
pub fn check(original: &JsonSchema, update: &JsonSchema) -> Vec<Violation> {
    differences(original, update)
        .into_iter()
        .filter(|d| !d.ty.compatible())
        .map(|d| rules::violation(&d, original.model(), update.model()))
        .collect()
}

/// True when every type is compatible under STRICT.
pub fn compatible(diffs: &[Difference]) -> bool {
    diffs.iter().all(|d| d.ty.compatible())
}

/// A node of one side: `N(false, _)` original, `N(true, _)` update. Not swaps them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct N(bool, NodeId);

/// A comparison context: the current path and the differences found under it.
#[derive(Default)]
struct Cx {
    path: Vec<String>,
    diffs: Vec<Difference>,
}

impl Cx {
    fn sub(&self) -> Cx {
        Cx {
            path: self.path.clone(),
            diffs: Vec::new(),
        }
    }

    fn path_str(&self) -> String {
        format!("#/{}", self.path.join("/"))
    }

    fn add(&mut self, ty: T) {
        let path = self.path_str();
        self.diffs.push(Difference { ty, path });
    }

    fn add_at(&mut self, attr: &str, ty: T) {
        self.path.push(attr.to_string());
        self.add(ty);
        self.path.pop();
    }

    fn enter(&mut self, seg: impl Into<String>) {
        self.path.push(seg.into());
    }

    fn leave(&mut self) {
        self.path.pop();
    }

    fn is_compatible(&self) -> bool {
        compatible(&self.diffs)
    }

    fn rebase(&mut self, rel: &[Difference]) {
        if self.path.is_empty() {
            self.diffs.extend(rel.iter().cloned());
            return;
        }
        let prefix = self.path_str();
        for d in rel {
            let path = if d.path.len() <= 2 {
                prefix.clone()
            } else {
                format!("{prefix}/{}", &d.path[2..])
            };
            self.diffs.push(Difference { ty: d.ty, path });
        }
    }
}

struct Engine<'m, 's> {
    models: [&'m Model; 2],
    memo: HashMap<(N, N), Rc<Vec<Difference>>>,
    in_progress: HashSet<(N, N)>,
    seed: &'s HashMap<(N, N), Rc<Vec<Difference>>>,
    optimistic: bool,
}

impl<'m> Engine<'m, '_> {
    fn node(&self, n: N) -> &'m Node {
        &self.models[n.0 as usize].nodes[n.1]
    }

    fn kind(&self, n: N) -> &'m Kind {
        &self.node(n).kind
    }

    fn deref(&self, n: N) -> N {
        N(n.0, self.models[n.0 as usize].deref(n.1))
    }

    fn on(&self, side: N, id: NodeId) -> N {
        N(side.0, id)
    }

    /// `SchemaDiff.compare`.
    fn compare(&mut self, cx: &mut Cx, original: Option<N>, update: Option<N>) {
        let (o, u) = match (original, update) {
            (None, None) => return,
            (None, Some(_)) => return cx.add(T::SCHEMA_ADDED),
            (Some(_), None) => return cx.add(T::SCHEMA_REMOVED),
            (Some(o), Some(u)) => (self.deref(o), self.deref(u)),
        };
        let diffs = self.memoized(o, u);
        cx.rebase(&diffs);
    }

    fn memoized(&mut self, o: N, u: N) -> Rc<Vec<Difference>> {
        let key = (o, u);
        if let Some(d) = self.memo.get(&key) {
            return d.clone();
        }
        if !self.in_progress.insert(key) {
            if let Some(d) = self.seed.get(&key) {
                return d.clone();
            }
            self.optimistic = true;
            return Rc::new(Vec::new());
        }
        let mut sub = Cx::default();
        self.compare_types(&mut sub, o, u);
        self.in_progress.remove(&key);
        let d = Rc::new(sub.diffs);
        self.memo.insert(key, d.clone());
        d
    }

    /// `SchemaDiff.compareTypes`.
    fn compare_types(&mut self, cx: &mut Cx, o: N, u: N) {
        let (ok, uk) = (self.kind(o), self.kind(u));
        match (ok, uk) {
            (Kind::Combined { .. }, Kind::Combined { .. }) => {}
            (_, Kind::Combined { criterion, subs }) => {
                if subs.len() == 1 {
                    let mut sub = cx.sub();
                    self.compare(&mut sub, Some(o), Some(self.on(u, subs[0])));
                    if sub.is_compatible() {
                        cx.diffs.extend(sub.diffs);
                        return;
                    }
                } else if matches!(criterion, Criterion::Any | Criterion::One) {
                    for &s in subs {
                        let mut sub = cx.sub();
                        self.compare(&mut sub, Some(o), Some(self.on(u, s)));
                        if sub.is_compatible() {
                            cx.diffs.extend(sub.diffs);
                            cx.add(T::SUM_TYPE_EXTENDED);
                            return;
                        }
                    }
                }
            }
            (Kind::Combined { criterion, subs }, _) => {
                if subs.len() == 1 {
                    let mut sub = cx.sub();
                    self.compare(&mut sub, Some(self.on(o, subs[0])), Some(u));
                    if sub.is_compatible() {
                        cx.diffs.extend(sub.diffs);
                        return;
                    }
                } else if *criterion == Criterion::All {
                    for &s in subs {
                        let mut sub = cx.sub();
                        self.compare(&mut sub, Some(self.on(o, s)), Some(u));
                        if sub.is_compatible() {
                            cx.diffs.extend(sub.diffs);
                            cx.add(T::PRODUCT_TYPE_NARROWED);
                            return;
                        }
                    }
                }
            }
            _ => {}
        }
        let (on, un) = (self.node(o), self.node(u));
        if !ok.same_class(uk) {
            // `{}`/`true` reads anything; `false` was never written.
            if matches!(ok, Kind::False) || matches!(uk, Kind::Empty) {
                return;
            }
            if on.connect_bytes && un.connect_bytes {
                return;
            }
            return cx.add(T::TYPE_CHANGED);
        }
        if on.id != un.id {
            cx.add(T::ID_CHANGED);
        }
        if on.title != un.title {
            cx.add(T::TITLE_CHANGED);
        }
        if on.description != un.description {
            cx.add(T::DESCRIPTION_CHANGED);
        }
        if on.default != un.default {
            cx.add(T::DEFAULT_CHANGED);
        }
        match (ok, uk) {
            (Kind::String(a), Kind::String(b)) => string_diff(cx, a, b),
            (Kind::Number(a), Kind::Number(b)) => number_diff(cx, a, b),
            (Kind::Const(a), Kind::Const(b)) if a != b => cx.add_at("const", T::ENUM_ARRAY_CHANGED),
            (Kind::Enum(a), Kind::Enum(b)) => enum_diff(cx, a, b),
            (
                Kind::Combined {
                    criterion: oc,
                    subs: os,
                },
                Kind::Combined {
                    criterion: uc,
                    subs: us,
                },
            ) => self.combined_diff(cx, (o, *oc, os), (u, *uc, us)),
            (Kind::Not(a), Kind::Not(b)) => {
                cx.enter("not");
                let mut sub = cx.sub();
                // The wrapped schemas compare reversed.
                self.compare(&mut sub, Some(self.on(u, *b)), Some(self.on(o, *a)));
                if sub.is_compatible() {
                    cx.add(T::NOT_TYPE_NARROWED);
                } else {
                    cx.add(T::NOT_TYPE_EXTENDED);
                }
                cx.leave();
            }
            (Kind::Object(a), Kind::Object(b)) => self.object_diff(cx, (o, a), (u, b)),
            (Kind::Array(a), Kind::Array(b)) => self.array_diff(cx, (o, a), (u, b)),
            _ => {}
        }
    }

    fn combined_diff(
        &mut self,
        cx: &mut Cx,
        (o, oc, os): (N, Criterion, &[NodeId]),
        (u, uc, us): (N, Criterion, &[NodeId]),
    ) {
        // Criterion change.
        if oc != uc {
            let extended = uc == Criterion::Any
                || (os.len() == 1 && us.len() == 1)
                || (os.len() == 1 && uc == Criterion::One)
                || (us.len() == 1 && oc == Criterion::All);
            if extended {
                cx.add(T::COMBINED_TYPE_EXTENDED);
            } else {
                return cx.add(T::COMBINED_TYPE_CHANGED);
            }
        }
        let os = self.dedup(o, os);
        let us = self.dedup(u, us);
        if os.len() < us.len() {
            cx.add(if uc == Criterion::All {
                T::PRODUCT_TYPE_EXTENDED
            } else {
                T::SUM_TYPE_EXTENDED
            });
        } else if os.len() > us.len() {
            cx.add(if oc == Criterion::All {
                T::PRODUCT_TYPE_NARROWED
            } else {
                T::SUM_TYPE_NARROWED
            });
        }
        // Every compatible pair is an edge; a maximum matching must cover the smaller side.
        let mut edges: Vec<Vec<(usize, Vec<Difference>)>> = vec![Vec::new(); os.len()];
        for (i, &a) in os.iter().enumerate() {
            cx.enter(format!("{}/{i}", oc.keyword()));
            for (j, &b) in us.iter().enumerate() {
                let mut sub = cx.sub();
                self.compare(&mut sub, Some(self.on(o, a)), Some(self.on(u, b)));
                if sub.is_compatible() {
                    edges[i].push((j, sub.diffs));
                }
            }
            cx.leave();
        }
        let matching = max_matching(&edges, us.len());
        let mut matched = 0;
        for (j, i) in matching.iter().enumerate() {
            if let Some(i) = i {
                matched += 1;
                if let Some((_, d)) = edges[*i].iter().find(|(jj, _)| *jj == j) {
                    cx.diffs.extend(d.iter().cloned());
                }
            }
        }
        if matched < os.len().min(us.len()) {
            cx.add(T::COMBINED_TYPE_SUBSCHEMAS_CHANGED);
        }
    }

    /// Members with duplicates collapsed (Confluent puts them in a set).
    fn dedup(&self, side: N, subs: &[NodeId]) -> Vec<NodeId> {
        let mut out: Vec<NodeId> = Vec::with_capacity(subs.len());
        for &s in subs {
            let n = self.node(self.on(side, s));
            if !out
                .iter()
                .any(|&t| t == s || self.node(self.on(side, t)).same_as(n))
            {
                out.push(s);
            }
        }
        out
    }

    fn object_diff(&mut self, cx: &mut Cx, (o, a): (N, &ObjectKind), (u, b): (N, &ObjectKind)) {
        // Indexed once: objects of hundreds of properties are common, and searching the lists
        // for each name made this quadratic.
        let a_props: HashMap<&str, NodeId> =
            a.properties.iter().map(|(n, s)| (n.as_str(), *s)).collect();
        let b_props: HashMap<&str, NodeId> =
            b.properties.iter().map(|(n, s)| (n.as_str(), *s)).collect();
        let a_required: HashSet<&str> = a.required.iter().map(String::as_str).collect();
        let b_required: HashSet<&str> = b.required.iter().map(String::as_str).collect();
        // Required of properties on both sides.
        cx.enter("required");
        for (name, _) in &a.properties {
            if let Some(us) = b_props.get(name.as_str()) {
                let was = a_required.contains(name.as_str());
                let is = b_required.contains(name.as_str());
                if was && !is {
                    cx.add_at(name, T::REQUIRED_ATTRIBUTE_REMOVED);
                } else if !was && is {
                    if self.node(self.on(u, *us)).default.is_some() {
                        cx.add_at(name, T::REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED);
                    } else {
                        cx.add_at(name, T::REQUIRED_ATTRIBUTE_ADDED);
                    }
                }
            }
        }
        cx.leave();
        // Properties.
        cx.enter("properties");
        // The original's names in order, then the update's new ones.
        let names: Vec<&String> = a
            .properties
            .iter()
            .map(|(n, _)| n)
            .chain(
                b.properties
                    .iter()
                    .map(|(n, _)| n)
                    .filter(|n| !a_props.contains_key(n.as_str())),
            )
            .collect();
        for name in names {
            let os = a_props.get(name.as_str()).copied();
            let us = b_props.get(name.as_str()).copied();
            cx.enter(name.clone());
            match (os, us) {
                (Some(os), None) => {
                    if open_object(self, u, b) {
                        cx.add(T::PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL);
                    } else if let Some(cover) = self.partial_object(u, b, name) {
                        let mut sub = cx.sub();
                        self.compare(&mut sub, Some(self.on(o, os)), Some(cover));
                        let ok = sub.is_compatible();
                        cx.diffs.extend(sub.diffs);
                        cx.add(if ok {
                            T::PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                        } else {
                            T::PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                        });
                    } else if matches!(self.kind(self.on(o, os)), Kind::False) {
                        cx.add(T::PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL);
                    } else {
                        cx.add(T::PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL);
                    }
                }
                (None, Some(us)) => {
                    let un = self.node(self.on(u, us));
                    let required = b_required.contains(name.as_str());
                    if open_object(self, o, a) {
                        if matches!(un.kind, Kind::Empty) {
                            cx.add(T::PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL);
                        } else if required {
                            cx.add(if un.default.is_some() {
                                T::REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL
                            } else {
                                T::REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL
                            });
                        } else {
                            cx.add(T::OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL);
                        }
                    } else {
                        if let Some(cover) = self.partial_object(o, a, name) {
                            let mut sub = cx.sub();
                            self.compare(&mut sub, Some(cover), Some(self.on(u, us)));
                            let ok = sub.is_compatible();
                            cx.diffs.extend(sub.diffs);
                            cx.add(if ok {
                                T::PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                            } else {
                                T::PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                            });
                        }
                        if required {
                            cx.add(if un.default.is_some() {
                                T::REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL
                            } else {
                                T::REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL
                            });
                        } else {
                            cx.add(T::OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL);
                        }
                    }
                }
                (Some(os), Some(us)) => {
                    self.compare(cx, Some(self.on(o, os)), Some(self.on(u, us)));
                }
                (None, None) => {}
            }
            cx.leave();
        }
        cx.leave();
        // Dependencies.
        cx.enter("dependencies");
        let mut keys: Vec<&String> = a.property_dependencies.iter().map(|d| &d.0).collect();
        for (k, _) in &b.property_dependencies {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        for k in keys {
            let od = a
                .property_dependencies
                .iter()
                .find(|d| &d.0 == k)
                .map(|d| &d.1);
            let ud = b
                .property_dependencies
                .iter()
                .find(|d| &d.0 == k)
                .map(|d| &d.1);
            let ty = match (od, ud) {
                (_, None) => Some(T::DEPENDENCY_ARRAY_REMOVED),
                (None, Some(_)) => Some(T::DEPENDENCY_ARRAY_ADDED),
                (Some(od), Some(ud)) => {
                    let os: HashSet<&String> = od.iter().collect();
                    let us: HashSet<&String> = ud.iter().collect();
                    if os == us {
                        None
                    } else if us.is_superset(&os) {
                        Some(T::DEPENDENCY_ARRAY_EXTENDED)
                    } else if os.is_superset(&us) {
                        Some(T::DEPENDENCY_ARRAY_NARROWED)
                    } else {
                        Some(T::DEPENDENCY_ARRAY_CHANGED)
                    }
                }
            };
            if let Some(ty) = ty {
                cx.add_at(k, ty);
            }
        }
        let mut keys: Vec<&String> = a.schema_dependencies.iter().map(|d| &d.0).collect();
        for (k, _) in &b.schema_dependencies {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        for k in keys {
            let od = a
                .schema_dependencies
                .iter()
                .find(|d| &d.0 == k)
                .map(|d| d.1);
            let ud = b
                .schema_dependencies
                .iter()
                .find(|d| &d.0 == k)
                .map(|d| d.1);
            cx.enter(k.clone());
            match (od, ud) {
                (_, None) => cx.add(T::DEPENDENCY_SCHEMA_REMOVED),
                (None, Some(_)) => cx.add(T::DEPENDENCY_SCHEMA_ADDED),
                (Some(od), Some(ud)) => {
                    self.compare(cx, Some(self.on(o, od)), Some(self.on(u, ud)))
                }
            }
            cx.leave();
        }
        cx.leave();
        // additionalProperties.
        cx.enter("additionalProperties");
        if a.permits_additional != b.permits_additional {
            cx.add(if b.permits_additional {
                T::ADDITIONAL_PROPERTIES_ADDED
            } else {
                T::ADDITIONAL_PROPERTIES_REMOVED
            });
        } else if a.additional.is_none() && b.additional.is_some() {
            cx.add(T::ADDITIONAL_PROPERTIES_NARROWED);
        } else if b.additional.is_none() && a.additional.is_some() {
            cx.add(T::ADDITIONAL_PROPERTIES_EXTENDED);
        } else {
            self.compare(
                cx,
                a.additional.map(|x| self.on(o, x)),
                b.additional.map(|x| self.on(u, x)),
            );
        }
        cx.leave();
        // unevaluatedProperties.
        self.unevaluated(
            cx,
            "unevaluatedProperties",
            a.unevaluated.map(|x| self.on(o, x)),
            b.unevaluated.map(|x| self.on(u, x)),
            [
                T::UNEVALUATED_PROPERTIES_ADDED,
                T::UNEVALUATED_PROPERTIES_REMOVED,
                T::UNEVALUATED_PROPERTIES_EXTENDED,
                T::UNEVALUATED_PROPERTIES_NARROWED,
            ],
        );
        bound(
            cx,
            "maxProperties",
            a.max_properties,
            b.max_properties,
            [
                T::MAX_PROPERTIES_ADDED,
                T::MAX_PROPERTIES_REMOVED,
                T::MAX_PROPERTIES_INCREASED,
                T::MAX_PROPERTIES_DECREASED,
            ],
        );
        bound(
            cx,
            "minProperties",
            a.min_properties,
            b.min_properties,
            [
                T::MIN_PROPERTIES_ADDED,
                T::MIN_PROPERTIES_REMOVED,
                T::MIN_PROPERTIES_INCREASED,
                T::MIN_PROPERTIES_DECREASED,
            ],
        );
    }

    /// The schema a not fully open object gives a property it does not list.
    fn partial_object(&self, side: N, ob: &ObjectKind, name: &str) -> Option<N> {
        for (pattern, s) in &ob.pattern_properties {
            if regex_find(pattern, name) {
                return Some(self.on(side, *s));
            }
        }
        if let Some(s) = ob.additional {
            return Some(self.on(side, s));
        }
        if ob.permits_additional {
            if let Some(uv) = ob.unevaluated {
                let n = self.on(side, uv);
                return match self.kind(n) {
                    Kind::False | Kind::Empty => None,
                    _ => Some(n),
                };
            }
        }
        None
    }

    fn unevaluated(
        &mut self,
        cx: &mut Cx,
        key: &str,
        a: Option<N>,
        b: Option<N>,
        [added, removed, extended, narrowed]: [T; 4],
    ) {
        if a.is_none() && b.is_none() {
            return;
        }
        cx.enter(key);
        let is_false = |e: &Self, n: N| matches!(e.kind(n), Kind::False);
        let is_empty = |e: &Self, n: N| matches!(e.kind(n), Kind::Empty);
        match (a, b) {
            (None, Some(b)) => cx.add(if is_false(self, b) { removed } else { narrowed }),
            (Some(a), None) => cx.add(if is_false(self, a) { added } else { extended }),
            (Some(a), Some(b)) => {
                if is_false(self, a) && !is_false(self, b) {
                    cx.add(added)
                } else if !is_false(self, a) && is_false(self, b) {
                    cx.add(removed)
                } else if is_empty(self, a) && !is_empty(self, b) {
                    cx.add(narrowed)
                } else if !is_empty(self, a) && is_empty(self, b) {
                    cx.add(extended)
                } else {
                    self.compare(cx, Some(a), Some(b))
                }
            }
            (None, None) => {}
        }
        cx.leave();
    }

    fn array_diff(&mut self, cx: &mut Cx, (o, a): (N, &ArrayKind), (u, b): (N, &ArrayKind)) {
        cx.enter("items");
        self.compare(
            cx,
            a.all_items.map(|x| self.on(o, x)),
            b.all_items.map(|x| self.on(u, x)),
        );
        cx.leave();
        let empty = Vec::new();
        let ai = a.item_schemas.as_ref().unwrap_or(&empty);
        let bi = b.item_schemas.as_ref().unwrap_or(&empty);
        let common = ai.len().min(bi.len());
        for i in 0..common {
            cx.enter(format!("items/{i}"));
            self.compare(cx, Some(self.on(o, ai[i])), Some(self.on(u, bi[i])));
            cx.leave();
        }
        for (i, &os) in ai.iter().enumerate().skip(common) {
            cx.enter(format!("items/{i}"));
            if open_array(self, u, b) {
                cx.add(T::ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL);
            } else if let Some(cover) = self.partial_array(u, b) {
                let mut sub = cx.sub();
                self.compare(&mut sub, Some(self.on(o, os)), Some(cover));
                let ok = sub.is_compatible();
                cx.diffs.extend(sub.diffs);
                cx.add(if ok {
                    T::ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                } else {
                    T::ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                });
            } else if matches!(self.kind(self.on(o, os)), Kind::False) {
                cx.add(T::ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL);
            } else {
                cx.add(T::ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL);
            }
            cx.leave();
        }
        for (i, &us) in bi.iter().enumerate().skip(common) {
            cx.enter(format!("items/{i}"));
            if open_array(self, o, a) {
                if matches!(self.kind(self.on(u, us)), Kind::Empty) {
                    cx.add(T::ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL);
                } else {
                    cx.add(T::ITEM_ADDED_TO_OPEN_CONTENT_MODEL);
                }
            } else if let Some(cover) = self.partial_array(o, a) {
                let mut sub = cx.sub();
                self.compare(&mut sub, Some(cover), Some(self.on(u, us)));
                let ok = sub.is_compatible();
                cx.diffs.extend(sub.diffs);
                cx.add(if ok {
                    T::ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                } else {
                    T::ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                });
            } else {
                cx.add(T::ITEM_ADDED_TO_CLOSED_CONTENT_MODEL);
            }
            cx.leave();
        }
        cx.enter("additionalItems");
        if a.permits_additional != b.permits_additional {
            cx.add(if a.permits_additional {
                T::ADDITIONAL_ITEMS_REMOVED
            } else {
                T::ADDITIONAL_ITEMS_ADDED
            });
        } else if a.additional.is_none() && b.additional.is_some() {
            cx.add(T::ADDITIONAL_ITEMS_NARROWED);
        } else if b.additional.is_none() && a.additional.is_some() {
            cx.add(T::ADDITIONAL_ITEMS_EXTENDED);
        } else {
            self.compare(
                cx,
                a.additional.map(|x| self.on(o, x)),
                b.additional.map(|x| self.on(u, x)),
            );
        }
        cx.leave();
        self.unevaluated(
            cx,
            "unevaluatedItems",
            a.unevaluated.map(|x| self.on(o, x)),
            b.unevaluated.map(|x| self.on(u, x)),
            [
                T::UNEVALUATED_ITEMS_ADDED,
                T::UNEVALUATED_ITEMS_REMOVED,
                T::UNEVALUATED_ITEMS_EXTENDED,
                T::UNEVALUATED_ITEMS_NARROWED,
            ],
        );
        bound(
            cx,
            "maxItems",
            a.max_items,
            b.max_items,
            [
                T::MAX_ITEMS_ADDED,
                T::MAX_ITEMS_REMOVED,
                T::MAX_ITEMS_INCREASED,
                T::MAX_ITEMS_DECREASED,
            ],
        );
        bound(
            cx,
            "minItems",
            a.min_items,
            b.min_items,
            [
                T::MIN_ITEMS_ADDED,
                T::MIN_ITEMS_REMOVED,
                T::MIN_ITEMS_INCREASED,
                T::MIN_ITEMS_DECREASED,
            ],
        );
        if a.unique != b.unique {
            cx.add_at(
                "uniqueItems",
                if a.unique {
                    T::UNIQUE_ITEMS_REMOVED
                } else {
                    T::UNIQUE_ITEMS_ADDED
                },
            );
        }
        bound(
            cx,
            "maxContains",
            a.max_contains,
            b.max_contains,
            [
                T::MAX_CONTAINS_ADDED,
                T::MAX_CONTAINS_REMOVED,
                T::MAX_CONTAINS_INCREASED,
                T::MAX_CONTAINS_DECREASED,
            ],
        );
        bound(
            cx,
            "minContains",
            a.min_contains,
            b.min_contains,
            [
                T::MIN_CONTAINS_ADDED,
                T::MIN_CONTAINS_REMOVED,
                T::MIN_CONTAINS_INCREASED,
                T::MIN_CONTAINS_DECREASED,
            ],
        );
    }

    fn partial_array(&self, side: N, ar: &ArrayKind) -> Option<N> {
        if let Some(s) = ar.additional {
            return Some(self.on(side, s));
        }
        if ar.permits_additional {
            if let Some(uv) = ar.unevaluated {
                let n = self.on(side, uv);
                return match self.kind(n) {
                    Kind::False | Kind::Empty => None,
                    _ => Some(n),
                };
            }
        }
        None
    }
}

/// `ObjectSchemaDiff.isOpenContentModel`.
fn open_object(e: &Engine<'_, '_>, side: N, ob: &ObjectKind) -> bool {
    ob.permits_additional
        && ob.additional.is_none()
        && ob.pattern_properties.is_empty()
        && ob
            .unevaluated
            .is_none_or(|x| matches!(e.kind(e.on(side, x)), Kind::Empty))
}

fn open_array(e: &Engine<'_, '_>, side: N, ar: &ArrayKind) -> bool {
    ar.permits_additional
        && ar.additional.is_none()
        && ar
            .unevaluated
            .is_none_or(|x| matches!(e.kind(e.on(side, x)), Kind::Empty))
}

fn regex_find(pattern: &str, name: &str) -> bool {
    // Java's `Matcher.find`: a match anywhere. A pattern that does not compile matches nothing.
    regex::Regex::new(pattern).is_ok_and(|r| r.is_match(name))
}

fn bound(
    cx: &mut Cx,
    attr: &str,
    a: Option<i64>,
    b: Option<i64>,
    [added, removed, increased, decreased]: [T; 4],
) {
    match (a, b) {
        (None, Some(_)) => cx.add_at(attr, added),
        (Some(_), None) => cx.add_at(attr, removed),
        (Some(x), Some(y)) if x < y => cx.add_at(attr, increased),
        (Some(x), Some(y)) if x > y => cx.add_at(attr, decreased),
        _ => {}
    }
}

fn string_diff(cx: &mut Cx, a: &StringKind, b: &StringKind) {
    bound(
        cx,
        "maxLength",
        a.max_length,
        b.max_length,
        [
            T::MAX_LENGTH_ADDED,
            T::MAX_LENGTH_REMOVED,
            T::MAX_LENGTH_INCREASED,
            T::MAX_LENGTH_DECREASED,
        ],
    );
    bound(
        cx,
        "minLength",
        a.min_length,
        b.min_length,
        [
            T::MIN_LENGTH_ADDED,
            T::MIN_LENGTH_REMOVED,
            T::MIN_LENGTH_INCREASED,
            T::MIN_LENGTH_DECREASED,
        ],
    );
    match (&a.pattern, &b.pattern) {
        (None, Some(_)) => cx.add_at("pattern", T::PATTERN_ADDED),
        (Some(_), None) => cx.add_at("pattern", T::PATTERN_REMOVED),
        (Some(x), Some(y)) if x != y => cx.add_at("pattern", T::PATTERN_CHANGED),
        _ => {}
    }
}

/// Java's `Objects.equals` on the loaded numbers: an integer and a float differ in class.
fn num_eq(a: &Option<serde_json::Number>, b: &Option<serde_json::Number>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => x.is_f64() == y.is_f64() && x.as_f64() == y.as_f64(),
        _ => false,
    }
}

fn f(n: &Option<serde_json::Number>) -> f64 {
    n.as_ref().and_then(|n| n.as_f64()).unwrap_or(0.0)
}

fn num_bound(
    cx: &mut Cx,
    attr: &str,
    a: &Option<serde_json::Number>,
    b: &Option<serde_json::Number>,
    [added, removed, increased, decreased]: [T; 4],
) {
    if num_eq(a, b) {
        return;
    }
    match (a, b) {
        (None, Some(_)) => cx.add_at(attr, added),
        (Some(_), None) => cx.add_at(attr, removed),
        _ if f(a) < f(b) => cx.add_at(attr, increased),
        _ if f(a) > f(b) => cx.add_at(attr, decreased),
        _ => {}
    }
}

fn number_diff(cx: &mut Cx, a: &NumberKind, b: &NumberKind) {
    num_bound(
        cx,
        "maximum",
        &a.maximum,
        &b.maximum,
        [
            T::MAXIMUM_ADDED,
            T::MAXIMUM_REMOVED,
            T::MAXIMUM_INCREASED,
            T::MAXIMUM_DECREASED,
        ],
    );
    num_bound(
        cx,
        "minimum",
        &a.minimum,
        &b.minimum,
        [
            T::MINIMUM_ADDED,
            T::MINIMUM_REMOVED,
            T::MINIMUM_INCREASED,
            T::MINIMUM_DECREASED,
        ],
    );
    num_bound(
        cx,
        "exclusiveMaximum",
        &a.exclusive_maximum,
        &b.exclusive_maximum,
        [
            T::EXCLUSIVE_MAXIMUM_ADDED,
            T::EXCLUSIVE_MAXIMUM_REMOVED,
            T::EXCLUSIVE_MAXIMUM_INCREASED,
            T::EXCLUSIVE_MAXIMUM_DECREASED,
        ],
    );
    num_bound(
        cx,
        "exclusiveMinimum",
        &a.exclusive_minimum,
        &b.exclusive_minimum,
        [
            T::EXCLUSIVE_MINIMUM_ADDED,
            T::EXCLUSIVE_MINIMUM_REMOVED,
            T::EXCLUSIVE_MINIMUM_INCREASED,
            T::EXCLUSIVE_MINIMUM_DECREASED,
        ],
    );
    let (ma, mb) = (
        a.multiple_of.as_ref().and_then(decimal),
        b.multiple_of.as_ref().and_then(decimal),
    );
    let equal = match (ma, mb) {
        (None, None) => true,
        (Some(x), Some(y)) => dec_cmp(x, y) == std::cmp::Ordering::Equal,
        _ => false,
    };
    if !equal {
        let ty = match (ma, mb) {
            (None, _) => T::MULTIPLE_OF_ADDED,
            (_, None) => T::MULTIPLE_OF_REMOVED,
            (Some(x), Some(y)) if x.0 != 0 && dec_divides(x, y) => T::MULTIPLE_OF_EXPANDED,
            (Some(x), Some(y)) if y.0 != 0 && dec_divides(y, x) => T::MULTIPLE_OF_REDUCED,
            _ => T::MULTIPLE_OF_CHANGED,
        };
        cx.add_at("multipleOf", ty);
    }
    if a.integer != b.integer {
        cx.add(if a.integer {
            T::TYPE_EXTENDED
        } else {
            T::TYPE_NARROWED
        });
    }
}

/// A decimal as (unscaled, scale): `1.25` is (125, 2). `None` when it does not fit.
fn decimal(n: &serde_json::Number) -> Option<(i128, u32)> {
    let s = n.to_string();
    let (mant, exp) = match s.split_once(['e', 'E']) {
        Some((m, e)) => (m.to_string(), e.parse::<i32>().ok()?),
        None => (s, 0),
    };
    let (int, frac) = mant.split_once('.').unwrap_or((&mant, ""));
    let mut unscaled: i128 = format!("{int}{frac}").parse().ok()?;
    let mut scale = frac.len() as i32 - exp;
    while scale < 0 {
        unscaled = unscaled.checked_mul(10)?;
        scale += 1;
    }
    Some((unscaled, scale as u32))
}

fn rescale(a: (i128, u32), b: (i128, u32)) -> Option<(i128, i128)> {
    let s = a.1.max(b.1);
    let x = a.0.checked_mul(10i128.checked_pow(s - a.1)?)?;
    let y = b.0.checked_mul(10i128.checked_pow(s - b.1)?)?;
    Some((x, y))
}

fn dec_cmp(a: (i128, u32), b: (i128, u32)) -> std::cmp::Ordering {
    match rescale(a, b) {
        Some((x, y)) => x.cmp(&y),
        None => std::cmp::Ordering::Less,
    }
}

/// True when `by` divides `n` exactly (`n.remainder(by) == 0`).
fn dec_divides(by: (i128, u32), n: (i128, u32)) -> bool {
    match rescale(by, n) {
        Some((x, y)) => x != 0 && y % x == 0,
        None => false,
    }
}

fn enum_diff(cx: &mut Cx, a: &[Value], b: &[Value]) {
    if a == b {
        return;
    }
    let contains_all = |big: &[Value], small: &[Value]| small.iter().all(|v| big.contains(v));
    cx.add_at(
        "enum",
        if contains_all(b, a) {
            T::ENUM_ARRAY_EXTENDED
        } else if contains_all(a, b) {
            T::ENUM_ARRAY_NARROWED
        } else {
            T::ENUM_ARRAY_CHANGED
        },
    );
}

/// Maximum bipartite matching (augmenting paths): for each right vertex, its left partner.
fn max_matching(edges: &[Vec<(usize, Vec<Difference>)>], right: usize) -> Vec<Option<usize>> {
    fn augment(
        i: usize,
        edges: &[Vec<(usize, Vec<Difference>)>],
        seen: &mut [bool],
        partner: &mut [Option<usize>],
    ) -> bool {
        for (j, _) in &edges[i] {
            if seen[*j] {
                continue;
            }
            seen[*j] = true;
            if partner[*j].is_none_or(|k| augment(k, edges, seen, partner)) {
                partner[*j] = Some(i);
                return true;
            }
        }
        false
    }
    let mut partner = vec![None; right];
    for i in 0..edges.len() {
        let mut seen = vec![false; right];
        augment(i, edges, &mut seen, &mut partner);
    }
    partner
}

//! Import resolution: the file being parsed, its references, and the imports every registry
//! knows without references (`google/protobuf/`, `google/type/`, `confluent/`).

use std::collections::HashMap;

use protox::file::{File, FileResolver, GoogleFileResolver};

/// Files bundled in the crate because Confluent resolves them without references
/// (`ProtobufSchema.KNOWN_DEPENDENCIES`), and clients (the Python serializer with
/// `skip.known.types`) never register them. The real files, unchanged: see `bundled/NOTE.md`.
pub(crate) const BUNDLED: &[(&str, &str)] = &[
    (
        "confluent/meta.proto",
        include_str!("bundled/confluent/meta.proto"),
    ),
    (
        "confluent/type/decimal.proto",
        include_str!("bundled/confluent/type/decimal.proto"),
    ),
    (
        "confluent/type/variant.proto",
        include_str!("bundled/confluent/type/variant.proto"),
    ),
    (
        "google/type/calendar_period.proto",
        include_str!("bundled/google/type/calendar_period.proto"),
    ),
    (
        "google/type/color.proto",
        include_str!("bundled/google/type/color.proto"),
    ),
    (
        "google/type/date.proto",
        include_str!("bundled/google/type/date.proto"),
    ),
    (
        "google/type/datetime.proto",
        include_str!("bundled/google/type/datetime.proto"),
    ),
    (
        "google/type/dayofweek.proto",
        include_str!("bundled/google/type/dayofweek.proto"),
    ),
    (
        "google/type/decimal.proto",
        include_str!("bundled/google/type/decimal.proto"),
    ),
    (
        "google/type/expr.proto",
        include_str!("bundled/google/type/expr.proto"),
    ),
    (
        "google/type/fraction.proto",
        include_str!("bundled/google/type/fraction.proto"),
    ),
    (
        "google/type/interval.proto",
        include_str!("bundled/google/type/interval.proto"),
    ),
    (
        "google/type/latlng.proto",
        include_str!("bundled/google/type/latlng.proto"),
    ),
    (
        "google/type/money.proto",
        include_str!("bundled/google/type/money.proto"),
    ),
    (
        "google/type/month.proto",
        include_str!("bundled/google/type/month.proto"),
    ),
    (
        "google/type/phone_number.proto",
        include_str!("bundled/google/type/phone_number.proto"),
    ),
    (
        "google/type/postal_address.proto",
        include_str!("bundled/google/type/postal_address.proto"),
    ),
    (
        "google/type/quaternion.proto",
        include_str!("bundled/google/type/quaternion.proto"),
    ),
    (
        "google/type/timeofday.proto",
        include_str!("bundled/google/type/timeofday.proto"),
    ),
];

/// The text of a bundled well-known file.
pub(crate) fn bundled(name: &str) -> Option<&'static str> {
    BUNDLED.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// True for an import that resolves without a reference: any `google/protobuf/` file protox
/// knows, or one of the bundled `google/type/` and `confluent/` files.
pub fn is_well_known_import(name: &str) -> bool {
    name.starts_with("google/protobuf/") || bundled(name).is_some()
}

/// The main file of a parse: text, or the bytes of a `FileDescriptorProto`.
pub(crate) enum MainSource {
    Text(String),
    Descriptor(Vec<u8>),
}

/// Resolves the main file, then well-known files, then the caller's dependencies.
///
/// Well-known files come before dependencies so that a reference cannot replace
/// `descriptor.proto`, which option resolution relies on.
pub(crate) struct Resolver {
    main_name: String,
    main: MainSource,
    deps: HashMap<String, String>,
    google: GoogleFileResolver,
}

impl Resolver {
    pub(crate) fn new(main_name: String, main: MainSource, deps: HashMap<String, String>) -> Self {
        Resolver {
            main_name,
            main,
            deps,
            google: GoogleFileResolver::new(),
        }
    }
}

impl FileResolver for Resolver {
    fn open_file(&self, name: &str) -> Result<File, protox::Error> {
        if name == self.main_name {
            return match &self.main {
                MainSource::Text(t) => File::from_source(name, t),
                MainSource::Descriptor(bytes) => {
                    File::decode_file_descriptor_proto(bytes.as_slice()).map_err(|e| {
                        protox::Error::new(format!("invalid FileDescriptorProto: {e}"))
                    })
                }
            };
        }
        if name.starts_with("google/protobuf/") {
            if let Ok(f) = self.google.open_file(name) {
                return Ok(f);
            }
        }
        if let Some(text) = bundled(name) {
            return File::from_source(name, text);
        }
        match self.deps.get(name) {
            Some(text) => File::from_source(name, text),
            None => Err(protox::Error::file_not_found(name)),
        }
    }
}

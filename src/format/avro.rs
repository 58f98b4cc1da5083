//! Avro schemas: parsing with apache-avro, named types from references, canonical text.

use super::Dependency;

/// A parsed Avro schema and the schemas its references brought in.
#[derive(Debug, Clone)]
pub struct AvroSchema {
    /// The schema itself.
    pub schema: apache_avro::Schema,
    /// Schemas of the references, dependencies first; their named types are visible to `schema`.
    pub deps: Vec<apache_avro::Schema>,
    canonical: String,
}

impl AvroSchema {
    /// Parses JSON text, with the named types of `deps` in scope.
    pub fn parse(text: &str, deps: &[Dependency]) -> Result<Self, String> {
        let dep_texts: Vec<&str> = deps.iter().map(|d| d.schema.as_str()).collect();
        let (schema, deps) = if dep_texts.is_empty() {
            (
                apache_avro::Schema::parse_str(text).map_err(|e| e.to_string())?,
                Vec::new(),
            )
        } else {
            apache_avro::Schema::parse_str_with_list(text, &dep_texts).map_err(|e| e.to_string())?
        };
        let canonical = serde_json::to_string(&schema).map_err(|e| e.to_string())?;
        Ok(AvroSchema {
            schema,
            deps,
            canonical,
        })
    }

    /// Compact JSON printed back from the parsed schema; every attribute kept.
    pub fn canonical(&self) -> &str {
        &self.canonical
    }

    /// The normalized text (full names, fixed key order).
    pub fn normalized(&self) -> String {
        self.canonical.clone()
    }
}

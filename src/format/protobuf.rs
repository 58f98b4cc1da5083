//! Protobuf schemas: not supported yet; every parse is refused with a clear reason.

use super::Dependency;

/// A parsed Protobuf file.
#[derive(Debug, Clone)]
pub struct ProtobufSchema {
    canonical: String,
}

impl ProtobufSchema {
    /// Parses `.proto` text or base64 of a `FileDescriptorProto`.
    pub fn parse(_text: &str, _deps: &[Dependency]) -> Result<Self, String> {
        Err("PROTOBUF schemas are not supported yet".into())
    }

    /// The stored text.
    pub fn canonical(&self) -> &str {
        &self.canonical
    }

    /// Base64 of the binary FileDescriptorProto.
    pub fn serialized_base64(&self) -> Option<String> {
        None
    }

    /// The normalized text.
    pub fn normalized(&self) -> String {
        self.canonical.clone()
    }
}

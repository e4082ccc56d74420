//! The one error type of this crate: what is wrong with a weight file or a model description.

use std::fmt;

/// Why a weight file or a model could not be loaded. Every message names what was wrong and,
/// where it applies, where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelError {
    /// The bytes do not start with the weight-file magic.
    NotAWeightFile,
    /// A format version this build cannot read.
    UnsupportedVersion { found: u32, supported: u32 },
    /// The file ends before a field at `offset` that needs `needed` more bytes.
    Truncated { offset: usize, needed: usize, field: &'static str },
    /// The stored checksum does not match the contents.
    ChecksumMismatch { stored: u32, computed: u32 },
    /// Bytes remain between the last layer and the checksum.
    TrailingBytes { count: usize },
    /// A field is malformed or outside its limits.
    InvalidField { field: String, message: String },
    /// A layer does not fit its input or holds unusable weights.
    InvalidLayer { index: usize, kind: &'static str, message: String },
    /// The model holds a layer that needs the whole sequence (a bidirectional RNN), so it cannot
    /// run frame by frame.
    OfflineOnly { index: usize },
}

impl ModelError {
    pub(crate) fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        ModelError::InvalidField { field: field.into(), message: message.into() }
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::NotAWeightFile => write!(f, "not an Earshot weight file (bad magic)"),
            ModelError::UnsupportedVersion { found, supported } => write!(
                f,
                "weight file format version {found} is not supported (this build reads {supported})"
            ),
            ModelError::Truncated { offset, needed, field } => write!(
                f,
                "weight file truncated: {field} at byte {offset} needs {needed} more bytes"
            ),
            ModelError::ChecksumMismatch { stored, computed } => write!(
                f,
                "weight file corrupted: checksum {stored:#010x} stored, {computed:#010x} computed"
            ),
            ModelError::TrailingBytes { count } => {
                write!(f, "weight file has {count} unexpected bytes between its last layer and its checksum")
            }
            ModelError::InvalidField { field, message } => write!(f, "{field}: {message}"),
            ModelError::InvalidLayer { index, kind, message } => {
                write!(f, "layer {index} ({kind}): {message}")
            }
            ModelError::OfflineOnly { index } => write!(
                f,
                "layer {index} is bidirectional: the model runs offline only, not in real time"
            ),
        }
    }
}

impl std::error::Error for ModelError {}

//! The weight file (`.esw`): a model's task, feature config, metadata and layers in one small,
//! versioned, checksummed binary. All numbers are little-endian.
//!
//! ```text
//! magic "EARSHOTW" · u32 version (1) · text task · text frontend (FrontendConfig as JSON)
//! u32 n · n × (text key · text value)              metadata
//! u32 channels · u32 bins                          input shape
//! u32 n · n × layer
//! u32 CRC-32 (IEEE) of every byte before it
//!
//! text   = u32 byte length · UTF-8 bytes
//! tensor = u32 value count · count × f32
//! layer  = u32 tag · fields:
//!   1 dense       u32 units · tensor weight [units][in] · tensor bias
//!   2 conv1d      u32 out · u32 kernel · u32 dilation · tensor weight [out][in][kernel] · bias
//!   3 conv2d      u32 out · u32 kernel_time · u32 kernel_freq · u32 freq_padding ·
//!                 tensor weight [out][in][kernel_time][kernel_freq] · tensor bias
//!   4 pool        u32 kind (0 max, 1 average) · u32 time · u32 freq · u32 freq_stride
//!   5 batch norm  f32 eps · tensor mean · tensor variance · tensor scale · tensor shift
//!   6 activation  u32 kind (0 identity, 1 relu, 2 elu, 3 tanh, 4 sigmoid, 5 softmax) · f32 alpha
//!   7 recurrent   u32 cell (0 GRU, 1 LSTM) · u32 hidden · u32 directions (1, or 2 for
//!                 bidirectional) · per direction: tensor weight_ih · weight_hh · bias_ih · bias_hh
//! ```
//!
//! Reading checks the magic, the version and the checksum first, then every field against the
//! limits in [`crate::limits`], then the model as a whole ([`ModelSpec::validate`]): untrusted
//! bytes give an error, never a panic, an out-of-bounds read or an allocation larger than the
//! file itself.

use crate::spec::limits;
use crate::{
    Activation, CellKind, LayerSpec, ModelError, ModelSpec, PoolKind, RecurrentWeights, Shape,
};
use earshot_dsp::FrontendConfig;

/// The first eight bytes of every weight file.
pub const MAGIC: &[u8; 8] = b"EARSHOTW";
/// The format version this build writes and reads.
pub const VERSION: u32 = 1;

const TAG_DENSE: u32 = 1;
const TAG_CONV1D: u32 = 2;
const TAG_CONV2D: u32 = 3;
const TAG_POOL: u32 = 4;
const TAG_BATCH_NORM: u32 = 5;
const TAG_ACTIVATION: u32 = 6;
const TAG_RECURRENT: u32 = 7;

/// Parses and validates a weight file.
pub fn read(bytes: &[u8]) -> Result<ModelSpec, ModelError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(ModelError::NotAWeightFile);
    }
    let mut reader = Reader { bytes, position: MAGIC.len() };
    let version = reader.u32("format version")?;
    if version != VERSION {
        return Err(ModelError::UnsupportedVersion { found: version, supported: VERSION });
    }
    let body_end =
        bytes.len().checked_sub(4).filter(|end| *end >= reader.position).ok_or(
            ModelError::Truncated { offset: reader.position, needed: 4, field: "checksum" },
        )?;
    let stored = u32::from_le_bytes(bytes[body_end..].try_into().expect("four bytes"));
    let computed = crc32fast::hash(&bytes[..body_end]);
    if stored != computed {
        return Err(ModelError::ChecksumMismatch { stored, computed });
    }
    let mut reader = Reader { bytes: &bytes[..body_end], position: reader.position };
    let spec = reader.model()?;
    if reader.position != body_end {
        return Err(ModelError::TrailingBytes { count: body_end - reader.position });
    }
    spec.validate()?;
    Ok(spec)
}

/// Serialises a model (which should be valid: [`ModelSpec::validate`]).
pub fn write(spec: &ModelSpec) -> Vec<u8> {
    let mut out = Writer(MAGIC.to_vec());
    out.u32(VERSION);
    out.text(&spec.task);
    out.text(&serde_json::to_string(&spec.frontend).expect("a FrontendConfig always serialises"));
    out.u32(spec.metadata.len() as u32);
    for (key, value) in &spec.metadata {
        out.text(key);
        out.text(value);
    }
    out.u32(spec.input.channels as u32);
    out.u32(spec.input.bins as u32);
    out.u32(spec.layers.len() as u32);
    for layer in &spec.layers {
        out.layer(layer);
    }
    let checksum = crc32fast::hash(&out.0);
    out.u32(checksum);
    out.0
}

struct Reader<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl Reader<'_> {
    fn take(&mut self, count: usize, field: &'static str) -> Result<&[u8], ModelError> {
        let available = self.bytes.len() - self.position;
        if count > available {
            return Err(ModelError::Truncated { offset: self.position, needed: count, field });
        }
        let start = self.position;
        self.position += count;
        Ok(&self.bytes[start..start + count])
    }

    fn u32(&mut self, field: &'static str) -> Result<u32, ModelError> {
        let bytes = self.take(4, field)?;
        Ok(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    fn size(&mut self, field: &'static str) -> Result<usize, ModelError> {
        Ok(self.u32(field)? as usize)
    }

    fn f32(&mut self, field: &'static str) -> Result<f32, ModelError> {
        Ok(f32::from_bits(self.u32(field)?))
    }

    fn text(&mut self, field: &'static str) -> Result<String, ModelError> {
        let len = self.size(field)?;
        if len > limits::TEXT_BYTES {
            return Err(ModelError::field(
                field,
                format!("{len} bytes, at most {}", limits::TEXT_BYTES),
            ));
        }
        let bytes = self.take(len, field)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| ModelError::field(field, "not valid UTF-8"))
    }

    fn tensor(&mut self, field: &'static str) -> Result<Vec<f32>, ModelError> {
        let count = self.size(field)?;
        if count > limits::TENSOR_VALUES {
            return Err(ModelError::field(
                field,
                format!("{count} values, at most {}", limits::TENSOR_VALUES),
            ));
        }
        let bytes = self.take(count * 4, field)?;
        Ok(bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect())
    }

    fn model(&mut self) -> Result<ModelSpec, ModelError> {
        let task = self.text("task")?;
        let frontend_json = self.text("frontend")?;
        let frontend: FrontendConfig = serde_json::from_str(&frontend_json)
            .map_err(|e| ModelError::field("frontend", e.to_string()))?;
        let entries = self.size("metadata count")?;
        if entries > limits::METADATA_ENTRIES {
            return Err(ModelError::field(
                "metadata",
                format!("{entries} entries, at most {}", limits::METADATA_ENTRIES),
            ));
        }
        let mut metadata = Vec::with_capacity(entries);
        for _ in 0..entries {
            metadata.push((self.text("metadata key")?, self.text("metadata value")?));
        }
        let input =
            Shape { channels: self.size("input channels")?, bins: self.size("input bins")? };
        let count = self.size("layer count")?;
        if count > limits::LAYERS {
            return Err(ModelError::field(
                "layers",
                format!("{count} layers, at most {}", limits::LAYERS),
            ));
        }
        let mut layers = Vec::with_capacity(count);
        for index in 0..count {
            layers.push(self.layer(index)?);
        }
        Ok(ModelSpec { task, frontend, metadata, input, layers })
    }

    fn layer(&mut self, index: usize) -> Result<LayerSpec, ModelError> {
        let tag = self.u32("layer tag")?;
        let unknown = |what: &str, value: u32| ModelError::InvalidLayer {
            index,
            kind: "unknown",
            message: format!("unknown {what} {value}"),
        };
        Ok(match tag {
            TAG_DENSE => LayerSpec::Dense {
                units: self.size("dense units")?,
                weight: self.tensor("dense weight")?,
                bias: self.tensor("dense bias")?,
            },
            TAG_CONV1D => LayerSpec::Conv1d {
                out_channels: self.size("conv1d out_channels")?,
                kernel: self.size("conv1d kernel")?,
                dilation: self.size("conv1d dilation")?,
                weight: self.tensor("conv1d weight")?,
                bias: self.tensor("conv1d bias")?,
            },
            TAG_CONV2D => LayerSpec::Conv2d {
                out_channels: self.size("conv2d out_channels")?,
                kernel_time: self.size("conv2d kernel_time")?,
                kernel_freq: self.size("conv2d kernel_freq")?,
                freq_padding: self.size("conv2d freq_padding")?,
                weight: self.tensor("conv2d weight")?,
                bias: self.tensor("conv2d bias")?,
            },
            TAG_POOL => LayerSpec::Pool {
                kind: match self.u32("pool kind")? {
                    0 => PoolKind::Max,
                    1 => PoolKind::Average,
                    other => return Err(unknown("pool kind", other)),
                },
                time: self.size("pool time")?,
                freq: self.size("pool freq")?,
                freq_stride: self.size("pool freq_stride")?,
            },
            TAG_BATCH_NORM => LayerSpec::BatchNorm {
                eps: self.f32("batch-norm eps")?,
                mean: self.tensor("batch-norm mean")?,
                variance: self.tensor("batch-norm variance")?,
                scale: self.tensor("batch-norm scale")?,
                shift: self.tensor("batch-norm shift")?,
            },
            TAG_ACTIVATION => {
                let kind = self.u32("activation kind")?;
                let alpha = self.f32("activation alpha")?;
                LayerSpec::Activation(match kind {
                    0 => Activation::Identity,
                    1 => Activation::Relu,
                    2 => Activation::Elu { alpha },
                    3 => Activation::Tanh,
                    4 => Activation::Sigmoid,
                    5 => Activation::Softmax,
                    other => return Err(unknown("activation", other)),
                })
            }
            TAG_RECURRENT => {
                let cell = match self.u32("recurrent cell")? {
                    0 => CellKind::Gru,
                    1 => CellKind::Lstm,
                    other => return Err(unknown("recurrent cell", other)),
                };
                let hidden = self.size("recurrent hidden")?;
                let count = self.size("recurrent directions")?;
                if !(1..=2).contains(&count) {
                    return Err(ModelError::InvalidLayer {
                        index,
                        kind: "recurrent",
                        message: format!("{count} directions; 1 or 2 are allowed"),
                    });
                }
                let mut directions = Vec::with_capacity(count);
                for _ in 0..count {
                    directions.push(RecurrentWeights {
                        weight_ih: self.tensor("recurrent weight_ih")?,
                        weight_hh: self.tensor("recurrent weight_hh")?,
                        bias_ih: self.tensor("recurrent bias_ih")?,
                        bias_hh: self.tensor("recurrent bias_hh")?,
                    });
                }
                LayerSpec::Recurrent { cell, hidden, directions }
            }
            other => return Err(unknown("layer tag", other)),
        })
    }
}

struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, value: u32) {
        self.0.extend_from_slice(&value.to_le_bytes());
    }

    fn size(&mut self, value: usize) {
        self.u32(value as u32);
    }

    fn f32(&mut self, value: f32) {
        self.u32(value.to_bits());
    }

    fn text(&mut self, value: &str) {
        self.size(value.len());
        self.0.extend_from_slice(value.as_bytes());
    }

    fn tensor(&mut self, values: &[f32]) {
        self.size(values.len());
        values.iter().for_each(|v| self.f32(*v));
    }

    fn layer(&mut self, layer: &LayerSpec) {
        match layer {
            LayerSpec::Dense { units, weight, bias } => {
                self.u32(TAG_DENSE);
                self.size(*units);
                self.tensor(weight);
                self.tensor(bias);
            }
            LayerSpec::Conv1d { out_channels, kernel, dilation, weight, bias } => {
                self.u32(TAG_CONV1D);
                [*out_channels, *kernel, *dilation].iter().for_each(|v| self.size(*v));
                self.tensor(weight);
                self.tensor(bias);
            }
            LayerSpec::Conv2d {
                out_channels,
                kernel_time,
                kernel_freq,
                freq_padding,
                weight,
                bias,
            } => {
                self.u32(TAG_CONV2D);
                [*out_channels, *kernel_time, *kernel_freq, *freq_padding]
                    .iter()
                    .for_each(|v| self.size(*v));
                self.tensor(weight);
                self.tensor(bias);
            }
            LayerSpec::Pool { kind, time, freq, freq_stride } => {
                self.u32(TAG_POOL);
                self.u32(match kind {
                    PoolKind::Max => 0,
                    PoolKind::Average => 1,
                });
                [*time, *freq, *freq_stride].iter().for_each(|v| self.size(*v));
            }
            LayerSpec::BatchNorm { eps, mean, variance, scale, shift } => {
                self.u32(TAG_BATCH_NORM);
                self.f32(*eps);
                [mean, variance, scale, shift].iter().for_each(|t| self.tensor(t));
            }
            LayerSpec::Activation(activation) => {
                self.u32(TAG_ACTIVATION);
                let (kind, alpha) = match activation {
                    Activation::Identity => (0, 0.0),
                    Activation::Relu => (1, 0.0),
                    Activation::Elu { alpha } => (2, *alpha),
                    Activation::Tanh => (3, 0.0),
                    Activation::Sigmoid => (4, 0.0),
                    Activation::Softmax => (5, 0.0),
                };
                self.u32(kind);
                self.f32(alpha);
            }
            LayerSpec::Recurrent { cell, hidden, directions } => {
                self.u32(TAG_RECURRENT);
                self.u32(match cell {
                    CellKind::Gru => 0,
                    CellKind::Lstm => 1,
                });
                self.size(*hidden);
                self.size(directions.len());
                for weights in directions {
                    [&weights.weight_ih, &weights.weight_hh, &weights.bias_ih, &weights.bias_hh]
                        .iter()
                        .for_each(|t| self.tensor(t));
                }
            }
        }
    }
}

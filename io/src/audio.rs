//! Reading audio files of any common format (WAV, AIFF, FLAC, MP3, Ogg Vorbis; any rate, any
//! channel count) into planar `f32`, and writing WAV.

use std::fmt;
use std::fs::File;
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use symphonia::core::audio::GenericAudioBufferRef;
use symphonia::core::codecs::audio::AudioDecoderOptions;
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, TrackType};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;

/// Decoded audio: one vector of samples per channel, all the same length.
#[derive(Debug, Clone, PartialEq)]
pub struct Audio {
    pub sample_rate: u32,
    pub channels: Vec<Vec<f32>>,
}

impl Audio {
    /// Samples per channel.
    pub fn frames(&self) -> usize {
        self.channels.first().map_or(0, Vec::len)
    }

    /// Length in seconds.
    pub fn duration(&self) -> f64 {
        self.frames() as f64 / self.sample_rate as f64
    }

    /// The average of all channels.
    pub fn mono(&self) -> Vec<f32> {
        let scale = 1.0 / self.channels.len().max(1) as f32;
        (0..self.frames())
            .map(|i| self.channels.iter().map(|c| c[i]).sum::<f32>() * scale)
            .collect()
    }
}

/// Why an audio file could not be read or written.
#[derive(Debug)]
pub struct AudioError {
    pub path: PathBuf,
    pub kind: AudioErrorKind,
}

#[derive(Debug)]
pub enum AudioErrorKind {
    /// The file could not be opened, read or written.
    Io(std::io::Error),
    /// Not a format this build decodes.
    UnknownFormat,
    /// A recognised format whose contents are broken.
    Malformed(String),
    /// The file ends before the audio its header announces.
    Truncated { expected_frames: u64, decoded_frames: u64 },
    /// No audio at all.
    Empty,
}

impl AudioErrorKind {
    fn too_many_channels(count: usize) -> Self {
        AudioErrorKind::Malformed(format!("{count} channels; at most {MAX_CHANNELS} are read"))
    }

    fn zero_rate() -> Self {
        AudioErrorKind::Malformed("its header gives a sample rate of 0 Hz".into())
    }
}

impl fmt::Display for AudioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        match &self.kind {
            AudioErrorKind::Io(e) => write!(f, "{path}: {e}"),
            AudioErrorKind::UnknownFormat => {
                write!(f, "{path}: not a supported audio file (WAV, AIFF, FLAC, MP3, Ogg Vorbis)")
            }
            AudioErrorKind::Malformed(message) => write!(f, "{path}: malformed audio: {message}"),
            AudioErrorKind::Truncated { expected_frames, decoded_frames } => write!(
                f,
                "{path}: truncated: the header announces {expected_frames} frames, the file holds {decoded_frames}"
            ),
            AudioErrorKind::Empty => write!(f, "{path}: holds no audio"),
        }
    }
}

impl std::error::Error for AudioError {}

/// The most channels a file may have (ambisonics of 7th order has 64, an Atmos bed 128): the
/// decoders' buffers grow with the count a header gives, up to 65 535.
pub const MAX_CHANNELS: usize = 1024;

/// The path that names standard input.
pub const STANDARD_INPUT: &str = "-";

/// Decodes a whole audio file: a regular file, a pipe or FIFO (read as a stream), or standard
/// input when the path is `-`.
pub fn read(path: &Path) -> Result<Audio, AudioError> {
    let from_stdin = path == Path::new(STANDARD_INPUT);
    let named = if from_stdin { Path::new("standard input") } else { path };
    let fail = |kind| AudioError { path: named.to_path_buf(), kind };
    let file = if from_stdin {
        std::io::stdin().as_fd().try_clone_to_owned().map(File::from)
    } else {
        File::open(path)
    };
    let file = file.map_err(|e| fail(AudioErrorKind::Io(e)))?;
    let metadata = file.metadata().ok();
    let regular = metadata.as_ref().is_some_and(|m| m.is_file());
    if regular && metadata.is_some_and(|m| m.len() == 0) {
        return Err(fail(AudioErrorKind::Empty));
    }
    let stream = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    if let Some(extension) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(extension);
    }
    let probed = symphonia::default::get_probe().probe(
        &hint,
        stream,
        FormatOptions::default(),
        MetadataOptions::default(),
    );
    let mut format = match probed {
        Ok(format) => format,
        Err(SymphoniaError::IoError(e)) if e.kind() != std::io::ErrorKind::UnexpectedEof => {
            return Err(fail(AudioErrorKind::Io(e)))
        }
        Err(SymphoniaError::Unsupported(_)) => return Err(fail(AudioErrorKind::UnknownFormat)),
        // Symphonia maps WAV channels to speaker positions and refuses more than it names
        // (32 or 64 channels); a plain PCM or float WAV of any channel count reads as it is.
        Err(other) if regular => {
            return match read_plain_wav(path) {
                Some(audio) => audio.map_err(fail),
                None => Err(fail(AudioErrorKind::Malformed(other.to_string()))),
            }
        }
        Err(other) => return Err(fail(AudioErrorKind::Malformed(other.to_string()))),
    };
    let track =
        format.default_track(TrackType::Audio).ok_or_else(|| fail(AudioErrorKind::Empty))?;
    let (track_id, expected_frames) = (track.id, track.num_frames);
    let params = track
        .codec_params
        .as_ref()
        .and_then(|p| p.audio())
        .ok_or_else(|| fail(AudioErrorKind::Malformed("no audio codec parameters".into())))?;
    let channel_count = params.channels.as_ref().map_or(0, |c| c.count());
    if channel_count > MAX_CHANNELS {
        return Err(fail(AudioErrorKind::too_many_channels(channel_count)));
    }
    // Gapless: the MP3 encoder's priming and padding (from its LAME/Xing header) are trimmed,
    // so events keep their time (1 105 samples late otherwise).
    let options = AudioDecoderOptions::default().gapless(true);
    let mut decoder = symphonia::default::get_codecs()
        .make_audio_decoder(params, &options)
        .map_err(|e| fail(AudioErrorKind::Malformed(e.to_string())))?;
    let mut audio = Audio { sample_rate: 0, channels: Vec::new() };
    loop {
        let packet = match format.next_packet() {
            Ok(Some(packet)) => packet,
            Ok(None) => break,
            // Readers report a file cut short as an unexpected end of file.
            Err(SymphoniaError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                break
            }
            Err(e) => return Err(fail(AudioErrorKind::Malformed(e.to_string()))),
        };
        if packet.track_id != track_id {
            continue;
        }
        match decoder.decode(&packet) {
            Ok(buffer) => append(&mut audio, buffer),
            Err(SymphoniaError::DecodeError(message)) => {
                return Err(fail(AudioErrorKind::Malformed(message.to_string())))
            }
            Err(e) => return Err(fail(AudioErrorKind::Malformed(e.to_string()))),
        }
    }
    let decoded_frames = audio.frames() as u64;
    if let Some(expected_frames) = expected_frames {
        if decoded_frames < expected_frames {
            return Err(fail(AudioErrorKind::Truncated { expected_frames, decoded_frames }));
        }
    }
    if audio.sample_rate == 0 && decoded_frames > 0 {
        return Err(fail(AudioErrorKind::zero_rate()));
    }
    if decoded_frames == 0 {
        return Err(fail(AudioErrorKind::Empty));
    }
    Ok(audio)
}

/// A PCM or float WAV read with hound, which takes any channel count: `None` if hound cannot
/// read its header, an error if it holds less than its header announces.
fn read_plain_wav(path: &Path) -> Option<Result<Audio, AudioErrorKind>> {
    let mut reader = hound::WavReader::open(path).ok()?;
    let spec = reader.spec();
    let channel_count = usize::from(spec.channels);
    if channel_count > MAX_CHANNELS {
        return Some(Err(AudioErrorKind::too_many_channels(channel_count)));
    }
    let expected_frames = u64::from(reader.duration());
    // Samples up to the first that cannot be read (a file cut short).
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader.samples::<f32>().map_while(Result::ok).collect(),
        hound::SampleFormat::Int => {
            let full_scale = 2f32.powi(i32::from(spec.bits_per_sample) - 1);
            reader.samples::<i32>().map_while(Result::ok).map(|s| s as f32 / full_scale).collect()
        }
    };
    let frames = interleaved.len() / channel_count.max(1);
    let mut channels = vec![Vec::with_capacity(frames); channel_count];
    for (i, sample) in interleaved.into_iter().take(frames * channel_count).enumerate() {
        channels[i % channel_count].push(sample);
    }
    Some(if (frames as u64) < expected_frames {
        Err(AudioErrorKind::Truncated { expected_frames, decoded_frames: frames as u64 })
    } else if spec.sample_rate == 0 {
        Err(AudioErrorKind::zero_rate())
    } else if frames == 0 {
        Err(AudioErrorKind::Empty)
    } else {
        Ok(Audio { sample_rate: spec.sample_rate, channels })
    })
}

fn append(audio: &mut Audio, buffer: GenericAudioBufferRef) {
    let spec = buffer.spec();
    if audio.channels.is_empty() {
        audio.sample_rate = spec.rate();
        audio.channels = vec![Vec::new(); spec.channels().count()];
    }
    let mut planar: Vec<Vec<f32>> = Vec::new();
    buffer.copy_to_vecs_planar(&mut planar);
    for (channel, samples) in audio.channels.iter_mut().zip(planar) {
        channel.extend_from_slice(&samples);
    }
}

/// Sample formats for writing WAV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WavFormat {
    /// 32-bit float: lossless for any `f32` signal.
    Float32,
    /// 16-bit PCM (samples rounded, clipped to ±1): half the size, for rendered corpora.
    Pcm16,
}

/// Writes 32-bit float WAV (lossless for any `f32` signal).
pub fn write_wav(path: &Path, audio: &Audio) -> Result<(), AudioError> {
    write_wav_as(path, audio, WavFormat::Float32)
}

/// Writes WAV in the given sample format.
pub fn write_wav_as(path: &Path, audio: &Audio, format: WavFormat) -> Result<(), AudioError> {
    let fail = |e: hound::Error| AudioError {
        path: path.to_path_buf(),
        kind: match e {
            hound::Error::IoError(e) => AudioErrorKind::Io(e),
            other => AudioErrorKind::Malformed(other.to_string()),
        },
    };
    let (bits_per_sample, sample_format) = match format {
        WavFormat::Float32 => (32, hound::SampleFormat::Float),
        WavFormat::Pcm16 => (16, hound::SampleFormat::Int),
    };
    let spec = hound::WavSpec {
        channels: audio.channels.len() as u16,
        sample_rate: audio.sample_rate,
        bits_per_sample,
        sample_format,
    };
    let mut writer = hound::WavWriter::create(path, spec).map_err(fail)?;
    for i in 0..audio.frames() {
        for channel in &audio.channels {
            match format {
                WavFormat::Float32 => writer.write_sample(channel[i]),
                WavFormat::Pcm16 => {
                    writer.write_sample((channel[i].clamp(-1.0, 1.0) * 32767.0).round() as i16)
                }
            }
            .map_err(fail)?;
        }
    }
    writer.finalize().map_err(fail)
}

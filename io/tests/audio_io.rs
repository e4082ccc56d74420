//! Audio I/O: WAV round trips, every compressed format the fixtures hold (written by
//! `scripts/audio_fixtures.sh` with sox), and clear errors for broken files.

use earshot_io::audio::{self, Audio};
use earshot_test_signals::pcm16_wav;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures").join(name)
}

/// Frequency from the rate of upward zero crossings.
fn frequency(samples: &[f32], rate: u32) -> f64 {
    let crossings = samples.windows(2).filter(|w| w[0] < 0.0 && w[1] >= 0.0).count();
    crossings as f64 / (samples.len() as f64 / rate as f64)
}

fn rms(samples: &[f32]) -> f64 {
    (samples.iter().map(|s| (*s as f64).powi(2)).sum::<f64>() / samples.len() as f64).sqrt()
}

#[test]
fn float_wav_round_trips_exactly() {
    let dir = TempDir::new().unwrap();
    let audio = Audio {
        sample_rate: 48_000,
        channels: vec![
            (0..4800).map(|i| (i as f32 * 0.01).sin()).collect(),
            (0..4800).map(|i| -(i as f32) / 4800.0).collect(),
        ],
    };
    let path = dir.path().join("round-trip.wav");
    audio::write_wav(&path, &audio).unwrap();
    assert_eq!(audio::read(&path).unwrap(), audio);
}

#[test]
fn integer_wavs_decode_to_their_values() {
    let dir = TempDir::new().unwrap();
    for bits in [16u16, 24] {
        let path = dir.path().join(format!("int{bits}.wav"));
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 22_050,
            bits_per_sample: bits,
            sample_format: hound::SampleFormat::Int,
        };
        let full = (1i32 << (bits - 1)) as f32;
        let values: Vec<i32> =
            (0..1000).map(|i| ((i as f32 * 0.05).sin() * full * 0.7) as i32).collect();
        let mut writer = hound::WavWriter::create(&path, spec).unwrap();
        values.iter().for_each(|v| writer.write_sample(*v).unwrap());
        writer.finalize().unwrap();
        let decoded = audio::read(&path).unwrap();
        assert_eq!(
            (decoded.sample_rate, decoded.channels.len(), decoded.frames()),
            (22_050, 1, 1000)
        );
        for (got, value) in decoded.channels[0].iter().zip(&values) {
            assert!((got - *value as f32 / full).abs() < 1e-6, "{bits}-bit: {got} vs {value}");
        }
    }
}

#[test]
fn compressed_formats_decode_with_their_rate_channels_length_and_pitch() {
    // (file, rate, channels, allowed frame difference: sox writes its MP3 without a LAME header,
    // so nothing says how much of its whole 1 152-sample frames is priming and padding)
    for (name, rate, channels, slack) in [
        ("tone.flac", 22_050, 2, 0),
        ("tone.aiff", 16_000, 1, 0),
        ("tone.ogg", 48_000, 2, 0),
        ("tone.mp3", 44_100, 2, 1_152),
    ] {
        let decoded = audio::read(&fixture(name)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(decoded.sample_rate, rate, "{name}");
        assert_eq!(decoded.channels.len(), channels, "{name}");
        let expected = rate as usize / 2;
        assert!(
            decoded.frames().abs_diff(expected) <= slack,
            "{name}: {} frames",
            decoded.frames()
        );
        for (channel, pitch) in decoded.channels.iter().zip([440.0, 660.0]) {
            let steady = &channel[channel.len() / 8..channel.len() * 7 / 8];
            let f = frequency(steady, rate);
            assert!((f - pitch).abs() < pitch * 0.02, "{name}: {f:.1} Hz, not {pitch}");
            assert!((rms(steady) - 0.5 / 2f64.sqrt()).abs() < 0.02, "{name}: RMS {}", rms(steady));
        }
    }
}

#[test]
fn broken_files_give_errors_that_say_what_is_wrong() {
    let dir = TempDir::new().unwrap();
    let message = |path: &Path| audio::read(path).unwrap_err().to_string();

    let empty = dir.path().join("empty.wav");
    std::fs::write(&empty, b"").unwrap();
    assert!(message(&empty).ends_with("holds no audio"), "{}", message(&empty));

    let garbage = dir.path().join("garbage.wav");
    std::fs::write(&garbage, vec![0x5au8; 4096]).unwrap();
    assert!(message(&garbage).contains("not a supported audio file"), "{}", message(&garbage));

    let missing = dir.path().join("does-not-exist.flac");
    assert!(message(&missing).contains("No such file"), "{}", message(&missing));

    let whole = dir.path().join("whole.wav");
    let audio = Audio { sample_rate: 44_100, channels: vec![vec![0.25; 44_100]] };
    audio::write_wav(&whole, &audio).unwrap();
    let bytes = std::fs::read(&whole).unwrap();
    let cut = dir.path().join("cut.wav");
    std::fs::write(&cut, &bytes[..bytes.len() - 40_000]).unwrap();
    assert!(
        message(&cut).contains("truncated: the header announces 44100 frames"),
        "{}",
        message(&cut)
    );

    let silent = dir.path().join("no-frames.wav");
    audio::write_wav(&silent, &Audio { sample_rate: 44_100, channels: vec![Vec::new()] }).unwrap();
    assert!(message(&silent).ends_with("holds no audio"), "{}", message(&silent));
}

/// The index of the loudest sample within 10 ms of `around`.
fn peak_near(samples: &[f32], around: usize, rate: u32) -> usize {
    let reach = rate as usize / 100;
    let range = around.saturating_sub(reach)..(around + reach).min(samples.len());
    range.max_by(|a, b| samples[*a].abs().total_cmp(&samples[*b].abs())).unwrap()
}

#[test]
fn mp3_decodes_gaplessly_so_events_keep_their_time() {
    // Clicks at 0.25, 0.5 and 0.75 s of a one-second file. Without trimming the encoder's
    // priming and the decoder's delay (1 105 samples) they come out 25 ms late at 44.1 kHz and
    // 69 ms late at 16 kHz, and the file is longer than one second.
    for (name, rate) in [("clicks-44100.mp3", 44_100u32), ("clicks-16000.mp3", 16_000)] {
        let decoded = audio::read(&fixture(name)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((decoded.sample_rate, decoded.frames()), (rate, rate as usize), "{name}");
        for k in 1..4 {
            let click = k * rate as usize / 4;
            let peak = peak_near(&decoded.channels[0], click, rate);
            assert!(peak.abs_diff(click) <= 2, "{name}: click {k} at sample {peak}, not {click}");
        }
    }
}

#[test]
fn a_truncated_mp3_is_reported() {
    let dir = TempDir::new().unwrap();
    let bytes = std::fs::read(fixture("clicks-44100.mp3")).unwrap();
    let cut = dir.path().join("cut.mp3");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let message = audio::read(&cut).unwrap_err().to_string();
    assert!(message.contains("truncated: the header announces 44100 frames"), "{message}");
}

fn many_channel_wav(channels: u16, frames: u32) -> Vec<u8> {
    pcm16_wav(44_100, channels, frames)
}

#[test]
fn wavs_of_any_channel_count_are_read() {
    let dir = TempDir::new().unwrap();
    for channels in [1u16, 8, 32, 64, 256] {
        let path = dir.path().join(format!("{channels}.wav"));
        std::fs::write(&path, many_channel_wav(channels, 1000)).unwrap();
        let audio = audio::read(&path).unwrap_or_else(|e| panic!("{channels} channels: {e}"));
        assert_eq!((audio.channels.len(), audio.frames()), (usize::from(channels), 1000));
        for (c, samples) in audio.channels.iter().enumerate() {
            assert!(samples.iter().all(|s| *s == (c + 1) as f32 / 32768.0), "channel {c}");
        }
    }
    // More channels than any production uses are refused before a decoder sizes buffers by them.
    let huge = dir.path().join("huge.wav");
    std::fs::write(&huge, many_channel_wav(2000, 2)).unwrap();
    let message = audio::read(&huge).unwrap_err().to_string();
    assert!(
        message.ends_with("malformed audio: 2000 channels; at most 1024 are read"),
        "{message}"
    );
    // Cut short, such a file is reported as truncated, not read in part.
    let bytes = many_channel_wav(32, 1000);
    let cut = dir.path().join("cut.wav");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let message = audio::read(&cut).unwrap_err().to_string();
    assert!(
        message.contains("truncated: the header announces 1000 frames, the file holds 499"),
        "{message}"
    );
}

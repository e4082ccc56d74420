//! The input level meter: peak (with a hold marker) and RMS per channel, computed sample by sample
//! on the audio thread and published to the editor through atomics.
//!
//! Ballistics: the peak envelope rises instantly and falls at [`PEAK_FALL_DB_PER_S`]; the hold
//! marker keeps the highest absolute sample for the hold time, then falls at the same rate; RMS is
//! the square root of a one-pole average of the squared signal with time constant
//! [`RMS_TIME_CONSTANT_S`]. Because the state advances per sample, the readings after a stretch of
//! audio do not depend on how the host cut it into blocks.

use atomic_float::AtomicF32;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};

/// The most channels the meter shows (Earshot's layouts are mono and stereo).
pub const MAX_CHANNELS: usize = 2;
/// How fast the peak envelope and the expired hold marker fall.
pub const PEAK_FALL_DB_PER_S: f32 = 20.0;
/// The hold time of a new meter (the parameter's default).
pub const DEFAULT_HOLD_S: f32 = 2.0;
/// The averaging time of the RMS reading.
pub const RMS_TIME_CONSTANT_S: f32 = 0.3;
/// Levels below this (−300 dBFS) are set to zero so the state never becomes denormal.
const SILENCE_FLOOR: f32 = 1e-15;

/// One channel's meter state.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct ChannelMeter {
    peak: f32,
    mean_square: f32,
    hold: f32,
    hold_left: u64,
}

/// The coefficients of the ballistics at one sample rate.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ballistics {
    /// Per-sample gain of a falling peak.
    fall: f32,
    /// Per-sample weight of a new squared sample in the mean square.
    rms_weight: f32,
    /// Hold time in samples.
    hold_samples: u64,
    sample_rate: f32,
}

impl Ballistics {
    fn new(sample_rate: f32) -> Self {
        let sample_rate = sample_rate.max(1.0);
        Self {
            fall: 10f32.powf(-PEAK_FALL_DB_PER_S / 20.0 / sample_rate),
            rms_weight: 1.0 - (-1.0 / (RMS_TIME_CONSTANT_S * sample_rate)).exp(),
            hold_samples: 0,
            sample_rate,
        }
    }
}

impl ChannelMeter {
    /// Advances by one sample. Returns `false` for a NaN or infinite sample, which is metered as
    /// silence.
    #[inline]
    fn push(&mut self, sample: f32, k: &Ballistics) -> bool {
        let finite = sample.is_finite();
        let level = if finite { sample.abs() } else { 0.0 };
        self.peak = level.max(self.peak * k.fall);
        self.mean_square += k.rms_weight * (level * level - self.mean_square);
        if level >= self.hold {
            self.hold = level;
            self.hold_left = k.hold_samples;
        } else if self.hold_left > 0 {
            self.hold_left -= 1;
        } else {
            self.hold *= k.fall;
        }
        finite
    }

    fn flush_denormals(&mut self) {
        for value in [&mut self.peak, &mut self.mean_square, &mut self.hold] {
            if *value < SILENCE_FLOOR {
                *value = 0.0;
            }
        }
    }
}

/// The audio thread's meter. Sized at construction; processing never allocates.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelMeter {
    channels: [ChannelMeter; MAX_CHANNELS],
    channel_count: usize,
    ballistics: Ballistics,
    non_finite_samples: u64,
}

impl Default for LevelMeter {
    fn default() -> Self {
        Self::new(44_100.0, MAX_CHANNELS)
    }
}

impl LevelMeter {
    /// A meter for `channel_count` channels (at most [`MAX_CHANNELS`] are metered) at a sample rate.
    pub fn new(sample_rate: f32, channel_count: usize) -> Self {
        let mut meter = Self {
            channels: [ChannelMeter::default(); MAX_CHANNELS],
            channel_count: channel_count.min(MAX_CHANNELS),
            ballistics: Ballistics::new(sample_rate),
            non_finite_samples: 0,
        };
        meter.set_hold_seconds(DEFAULT_HOLD_S);
        meter
    }

    /// Sets the hold time of the peak marker (negative or NaN values mean no hold).
    pub fn set_hold_seconds(&mut self, seconds: f32) {
        let samples = (seconds.max(0.0) * self.ballistics.sample_rate).round();
        self.ballistics.hold_samples = if samples.is_finite() { samples as u64 } else { 0 };
    }

    /// Clears the levels, as after a transport jump.
    pub fn reset(&mut self) {
        self.channels = [ChannelMeter::default(); MAX_CHANNELS];
    }

    /// Meters one block of audio, one slice per channel. Extra channels are ignored.
    pub fn process<S: AsRef<[f32]>>(&mut self, block: &[S]) {
        let k = self.ballistics;
        for (meter, samples) in self.channels.iter_mut().zip(block).take(self.channel_count) {
            for &sample in samples.as_ref() {
                if !meter.push(sample, &k) {
                    self.non_finite_samples += 1;
                }
            }
            meter.flush_denormals();
        }
    }

    /// Linear peak, RMS and hold levels of a channel (zero for channels that are not metered).
    pub fn levels(&self, channel: usize) -> ChannelLevels {
        match self.channels.get(channel) {
            Some(meter) if channel < self.channel_count => {
                ChannelLevels { peak: meter.peak, rms: meter.mean_square.sqrt(), hold: meter.hold }
            }
            _ => ChannelLevels::default(),
        }
    }

    /// How many NaN or infinite samples were seen since the meter was created.
    pub fn non_finite_samples(&self) -> u64 {
        self.non_finite_samples
    }

    /// Writes the current readings for the editor.
    pub fn publish(&self, readings: &MeterReadings) {
        for (channel, shared) in readings.channels.iter().enumerate() {
            let levels = self.levels(channel);
            shared.peak.store(levels.peak, Ordering::Relaxed);
            shared.rms.store(levels.rms, Ordering::Relaxed);
            shared.hold.store(levels.hold, Ordering::Relaxed);
        }
        readings.non_finite_samples.store(self.non_finite_samples, Ordering::Relaxed);
    }
}

/// Linear (not dB) levels of one channel.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ChannelLevels {
    pub peak: f32,
    pub rms: f32,
    pub hold: f32,
}

/// The atomics through which the audio thread shows its readings to the editor.
#[derive(Debug, Default)]
pub struct MeterReadings {
    channels: [SharedLevels; MAX_CHANNELS],
    channel_count: AtomicUsize,
    sample_rate: AtomicF32,
    non_finite_samples: AtomicU64,
    latency: AtomicU32,
    restart_pending: AtomicBool,
    /// The host's project tempo (beats per minute), NaN when it gives none.
    host_tempo: AtomicF32,
}

#[derive(Debug, Default)]
struct SharedLevels {
    peak: AtomicF32,
    rms: AtomicF32,
    hold: AtomicF32,
}

impl MeterReadings {
    /// Records the stream format chosen at activation.
    pub fn set_format(&self, sample_rate: f32, channel_count: usize) {
        self.sample_rate.store(sample_rate, Ordering::Relaxed);
        self.channel_count.store(channel_count.min(MAX_CHANNELS), Ordering::Relaxed);
    }

    /// Records the latency reported to the host and whether a change waits for its restart.
    pub fn set_latency(&self, samples: u32, restart_pending: bool) {
        self.latency.store(samples, Ordering::Relaxed);
        self.restart_pending.store(restart_pending, Ordering::Relaxed);
    }

    /// Records the tempo the host's transport gives, if any.
    pub fn set_host_tempo(&self, bpm: Option<f64>) {
        self.host_tempo.store(bpm.map_or(f32::NAN, |bpm| bpm as f32), Ordering::Relaxed);
    }

    /// The host's tempo in beats per minute, if it gives a usable one.
    pub fn host_tempo(&self) -> Option<f32> {
        let bpm = self.host_tempo.load(Ordering::Relaxed);
        (bpm.is_finite() && bpm > 0.0).then_some(bpm)
    }

    /// The latency reported to the host, in samples.
    pub fn latency(&self) -> u32 {
        self.latency.load(Ordering::Relaxed)
    }

    /// Whether a latency change waits for the host to restart the plug-in.
    pub fn restart_pending(&self) -> bool {
        self.restart_pending.load(Ordering::Relaxed)
    }

    /// The latest levels of a channel.
    pub fn levels(&self, channel: usize) -> ChannelLevels {
        self.channels
            .get(channel)
            .map(|shared| ChannelLevels {
                peak: shared.peak.load(Ordering::Relaxed),
                rms: shared.rms.load(Ordering::Relaxed),
                hold: shared.hold.load(Ordering::Relaxed),
            })
            .unwrap_or_default()
    }

    /// The number of metered channels (0 before the host activates the plugin).
    pub fn channel_count(&self) -> usize {
        self.channel_count.load(Ordering::Relaxed)
    }

    /// The host's sample rate in Hz (0 before activation).
    pub fn sample_rate(&self) -> f32 {
        self.sample_rate.load(Ordering::Relaxed)
    }

    /// NaN or infinite input samples seen so far.
    pub fn non_finite_samples(&self) -> u64 {
        self.non_finite_samples.load(Ordering::Relaxed)
    }
}

/// Converts a linear level to dBFS; silence gives negative infinity.
pub fn to_dbfs(level: f32) -> f32 {
    20.0 * level.log10()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{rngs::SmallRng, Rng, SeedableRng};

    const RATE: f32 = 48_000.0;

    fn sine(frequency: f32, amplitude: f32, seconds: f32) -> Vec<f32> {
        let n = (seconds * RATE) as usize;
        (0..n)
            .map(|i| amplitude * (std::f32::consts::TAU * frequency * i as f32 / RATE).sin())
            .collect()
    }

    #[test]
    fn full_scale_sine_reads_0_dbfs_peak_and_minus_3_dbfs_rms() {
        let mut meter = LevelMeter::new(RATE, 1);
        meter.process(&[sine(997.0, 1.0, 3.0)]);
        let levels = meter.levels(0);
        // The peak of a sampled 997 Hz sine is within 0.01 dB of 1.0; the one-pole average of
        // sin² ripples by 0.5/(2π·1994 Hz·0.3 s) ≈ 1.3e-4 of its mean, i.e. ~0.001 dB.
        assert!(to_dbfs(levels.peak).abs() < 0.01, "peak {}", to_dbfs(levels.peak));
        assert!((to_dbfs(levels.rms) + 3.0103).abs() < 0.01, "rms {}", to_dbfs(levels.rms));
        assert_eq!(levels.hold, levels.peak.max(levels.hold));
    }

    #[test]
    fn peak_falls_at_the_stated_rate_and_hold_waits_first() {
        let mut meter = LevelMeter::new(RATE, 1);
        meter.set_hold_seconds(1.0);
        meter.process(&[[0.5f32]]);
        meter.process(&[vec![0.0; (RATE * 0.5) as usize]]);
        let levels = meter.levels(0);
        // Half a second of silence: the envelope fell 10 dB, the hold has not moved.
        assert!((to_dbfs(levels.peak) - (to_dbfs(0.5) - 10.0)).abs() < 0.01);
        assert_eq!(levels.hold, 0.5);
        meter.process(&[vec![0.0; RATE as usize]]);
        // 1.5 s in: the hold expired at 1 s and has fallen for 0.5 s.
        let levels = meter.levels(0);
        assert!((to_dbfs(levels.hold) - (to_dbfs(0.5) - 10.0)).abs() < 0.01);
    }

    #[test]
    fn readings_do_not_depend_on_block_sizes() {
        let mut rng = SmallRng::seed_from_u64(7);
        let signal: Vec<[f32; 2]> = (0..50_000)
            .map(|_| [rng.random_range(-1.0..1.0), rng.random_range(-0.1..0.1)])
            .collect();
        let left: Vec<f32> = signal.iter().map(|s| s[0]).collect();
        let right: Vec<f32> = signal.iter().map(|s| s[1]).collect();
        let mut whole = LevelMeter::new(RATE, 2);
        whole.set_hold_seconds(0.3);
        for (l, r) in left.chunks(8192).zip(right.chunks(8192)) {
            whole.process(&[l, r]);
        }
        for seed in 0..5 {
            let mut rng = SmallRng::seed_from_u64(seed);
            let mut blocked = LevelMeter::new(RATE, 2);
            blocked.set_hold_seconds(0.3);
            let mut start = 0;
            while start < left.len() {
                let end = (start + rng.random_range(1..=1024)).min(left.len());
                blocked.process(&[&left[start..end], &right[start..end]]);
                start = end;
            }
            // Denormal flushing happens per block, but at −300 dBFS it cannot differ here.
            assert_eq!(blocked, whole, "seed {seed}");
        }
    }

    #[test]
    fn non_finite_input_is_counted_and_leaves_the_state_finite() {
        let mut meter = LevelMeter::new(RATE, 2);
        meter.process(&[
            [f32::NAN, f32::INFINITY, 0.25, f32::MIN_POSITIVE / 4.0],
            [f32::NEG_INFINITY, 0.5, f32::NAN, -0.5],
        ]);
        assert_eq!(meter.non_finite_samples(), 4);
        for channel in 0..2 {
            let levels = meter.levels(channel);
            assert!(levels.peak.is_finite() && levels.rms.is_finite() && levels.hold.is_finite());
        }
        assert_eq!(meter.levels(0).hold, 0.25);
        assert_eq!(meter.levels(1).hold, 0.5);
    }

    #[test]
    fn silence_decays_to_exact_zero_without_denormals() {
        let mut meter = LevelMeter::new(RATE, 1);
        meter.set_hold_seconds(0.0);
        meter.process(&[[1.0f32]]);
        let silence = vec![0.0f32; 4096];
        for _ in 0..2000 {
            meter.process(&[&silence]);
        }
        assert_eq!(meter.levels(0), ChannelLevels::default());
    }

    #[test]
    fn readings_reach_the_editor_side() {
        let readings = MeterReadings::default();
        readings.set_format(RATE, 1);
        let mut meter = LevelMeter::new(RATE, 1);
        meter.process(&[[0.5f32, f32::NAN]]);
        meter.publish(&readings);
        assert_eq!(readings.channel_count(), 1);
        assert_eq!(readings.sample_rate(), RATE);
        assert_eq!(readings.levels(0).hold, 0.5);
        assert_eq!(readings.levels(1), ChannelLevels::default());
        assert_eq!(readings.non_finite_samples(), 1);
    }
}

//! A training run as a file in the repository (`configs/TASK.json`): the task, the features,
//! the architecture, the optimisation settings and the songs to use.

use crate::model::architecture::Architecture;
use crate::tasks::onsets::PITCHES;
use earshot_dsp::FrontendConfig;
use earshot_io::metrics::onset;
use serde::{Deserialize, Serialize};

/// The most frames one training excerpt may draw, warm-up included (10 min at 100 frames/s).
const MAX_EXCERPT_FRAMES: usize = 60_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainConfig {
    /// What the model detects: `onsets` or `chords`.
    pub task: String,
    /// The features, without standardisation (computed on the training songs).
    pub frontend: FrontendConfig,
    pub architecture: Architecture,
    /// Frames the output lags the events it marks (the network sees this much after an
    /// onset before it must mark it); recorded in the weights as `look_ahead_frames`.
    pub look_ahead: usize,
    pub optimisation: Optimisation,
    /// Song lists as `earshot-train dataset render --songs` takes them.
    pub train_songs: String,
    pub validation_songs: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Optimisation {
    pub epochs: usize,
    pub steps_per_epoch: usize,
    pub batch: usize,
    /// Frames per training excerpt that the loss scores.
    pub excerpt: usize,
    /// Frames drawn before each excerpt only as the network's past, their targets don't-care,
    /// so that no scored frame sees the zero padding before an excerpt as its past (the
    /// plug-in never does: it starts from silence). The network's past context minus one
    /// frame (26 for `configs/onsets.json`) covers a convolutional network; a recurrent one
    /// needs a chosen burn-in. Absent: 0.
    #[serde(default)]
    pub warm_up: usize,
    pub learning_rate: f64,
    /// The learning rate is multiplied by this after every epoch.
    pub learning_rate_decay: f64,
    /// Onsets and voice: weight of positive frames in the binary cross-entropy (absent: 1).
    #[serde(default = "default_positive_weight")]
    pub positive_weight: f32,
    /// Onsets: target value of the frames next to an onset (absent: 0).
    #[serde(default)]
    pub neighbour_target: f32,
    /// Frames after an onset labelled `slow` (all its notes start slowly: strings, pads) whose
    /// target is 1 too. Such an attack takes tens of milliseconds to show; a mark that much
    /// later still lies within the ±50 ms an onset is matched in.
    #[serde(default)]
    pub slow_onset_extra_frames: usize,
    /// Onsets less salient than this (dB, from each training render's `NAME.salience.txt`:
    /// `earshot-train dataset render --salience`) are don't-care: the loss leaves their frames out,
    /// so the network is neither taught to mark onsets buried in the mix nor faulted for it.
    /// Absent: every onset is a target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dont_care_below_db: Option<f64>,
    /// Trains with an auxiliary target per piano key (MIDI 21–108): one more output each in the
    /// last dense layer, its targets the starts of that pitch's notes (from each training
    /// render's `NAME.notes.txt`, widened and delayed as the onset targets are), its loss added
    /// with this weight. The extra outputs ask the shared layers to tell which notes begin,
    /// not only that something does; the exported model keeps only the onset output. Absent:
    /// no auxiliary targets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pitch_onsets_weight: Option<f32>,
    /// Draws every training excerpt in one of the 12 transpositions, its constant-Q bins and
    /// its targets moved together (see [`crate::train::pitch_shift`]). Absent: as rendered.
    #[serde(default)]
    pub pitch_shift: bool,
    /// Stop after this many epochs without a better validation score.
    pub patience: usize,
    pub seed: u64,
    /// How far each batch moves the batch norms' running statistics (0–1; burn's default 0.1).
    /// Lower averages them over more batches, so the exported network's normalisation does not
    /// hang on the last few excerpts drawn.
    #[serde(default = "default_batch_norm_momentum")]
    pub batch_norm_momentum: f64,
    /// Validate and export an exponential moving average of the weights over the steps, each
    /// step keeping this much of it (0–1; e.g. 0.999 averages over about 1000 steps). Absent:
    /// the weights as they stand after the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_average_decay: Option<f64>,
}

fn default_positive_weight() -> f32 {
    1.0
}

fn default_batch_norm_momentum() -> f64 {
    0.1
}

impl TrainConfig {
    /// Feature frames per second.
    pub fn frame_rate(&self) -> f64 {
        self.frontend.sample_rate as f64 / self.frontend.hop_length as f64
    }

    /// Reads and checks a config file.
    pub fn read(path: &std::path::Path) -> Result<TrainConfig, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let config: TrainConfig =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        config.frontend.validate().map_err(|e| format!("{}: frontend: {}", path.display(), e.0))?;
        let o = &config.optimisation;
        if o.epochs == 0
            || o.steps_per_epoch == 0
            || o.batch == 0
            || o.excerpt == 0
            || o.learning_rate.is_nan()
            || o.learning_rate <= 0.0
            || !(o.batch_norm_momentum > 0.0 && o.batch_norm_momentum <= 1.0)
            || o.weight_average_decay.is_some_and(|d| !(0.0..1.0).contains(&d))
            || o.pitch_onsets_weight.is_some_and(|w| w.is_nan() || w <= 0.0)
        {
            return Err(format!(
                "{}: epochs, steps, batch, excerpt and learning rate must be positive, batch-norm \
                 momentum in (0, 1], weight-average decay in [0, 1), a pitch-onset weight \
                 positive",
                path.display()
            ));
        }
        if o.excerpt.saturating_add(o.warm_up) > MAX_EXCERPT_FRAMES {
            return Err(format!(
                "{}: excerpt and warm_up add up to more than {MAX_EXCERPT_FRAMES} frames",
                path.display()
            ));
        }
        if config.look_ahead > 100 {
            return Err(format!(
                "{}: look_ahead {} frames is more than the 100 a live detector may wait",
                path.display(),
                config.look_ahead
            ));
        }
        if (o.slow_onset_extra_frames as f64 + 0.5) / config.frame_rate() > onset::WINDOW {
            return Err(format!(
                "{}: {} extra frames would let a slow onset be marked more than {} ms late",
                path.display(),
                o.slow_onset_extra_frames,
                onset::WINDOW * 1e3
            ));
        }
        if o.pitch_onsets_weight.is_some() {
            config
                .architecture
                .with_extra_outputs(PITCHES.len())
                .map_err(|e| format!("{}: pitch_onsets_weight: {e}", path.display()))?;
        }
        let frame = config.frontend.frame_len();
        let shape = config.architecture.channels * config.architecture.bins;
        if frame != shape {
            return Err(format!(
                "{}: the frontend gives {frame} values per frame, the architecture takes {shape}",
                path.display()
            ));
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped config with one optimisation setting changed, read back from a file.
    fn read_with(key: &str, value: serde_json::Value) -> Result<TrainConfig, String> {
        let shipped =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../configs/onsets.json");
        let mut config: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(shipped).unwrap()).unwrap();
        config["optimisation"][key] = value;
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("onsets.json");
        std::fs::write(&path, config.to_string()).unwrap();
        TrainConfig::read(&path)
    }

    #[test]
    fn slow_onset_targets_may_not_reach_past_the_match_window() {
        // 100 frames per second: 4 extra frames end 40 ± 5 ms late, 5 could end 55 ms late.
        let read = |frames: usize| read_with("slow_onset_extra_frames", frames.into());
        assert_eq!(read(4).unwrap().optimisation.slow_onset_extra_frames, 4);
        let refused = read(5).unwrap_err();
        assert!(refused.contains("more than 50 ms late"), "{refused}");
    }

    #[test]
    fn weight_average_decay_must_lie_in_zero_to_one() {
        let read = |decay: f64| read_with("weight_average_decay", decay.into());
        assert_eq!(read(0.999).unwrap().optimisation.weight_average_decay, Some(0.999));
        for bad in [1.0, -0.1, 2.0] {
            let refused = read(bad).unwrap_err();
            assert!(refused.contains("weight-average decay in [0, 1)"), "{bad}: {refused}");
        }
    }

    #[test]
    fn pitch_onset_weight_must_be_positive() {
        let read = |weight: f64| read_with("pitch_onsets_weight", weight.into());
        assert_eq!(read(10.0).unwrap().optimisation.pitch_onsets_weight, Some(10.0));
        for bad in [0.0, -1.0] {
            let refused = read(bad).unwrap_err();
            assert!(refused.contains("pitch-onset weight positive"), "{bad}: {refused}");
        }
    }

    #[test]
    fn excerpts_may_not_draw_more_than_the_limit() {
        let read = |frames: usize| read_with("warm_up", frames.into());
        assert_eq!(read(26).unwrap().optimisation.warm_up, 26);
        for absurd in [MAX_EXCERPT_FRAMES, usize::MAX] {
            let refused = read(absurd).unwrap_err();
            assert!(refused.contains("more than 60000 frames"), "{refused}");
        }
    }

    #[test]
    fn every_committed_config_reads() {
        let configs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../configs");
        let mut read = 0;
        for entry in std::fs::read_dir(configs).unwrap() {
            let path = entry.unwrap().path();
            TrainConfig::read(&path).unwrap_or_else(|e| panic!("{e}"));
            read += 1;
        }
        assert!(read >= 4, "only {read} configs");
    }
}

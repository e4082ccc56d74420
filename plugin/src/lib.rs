//! Earshot: a real-time music-analysis plugin (CLAP and VST3).
//!
//! This crate is the thin plugin layer: it wires host audio, parameters and the editor together.
//! Audio passes through untouched (or delayed by the analysis latency, when that is reported;
//! subnormal samples flushed to zero either way); it is metered, run through the onset detector (MIDI notes out, a lane in the editor) and,
//! while an editor is open, analysed by a log-mel frontend for the live spectrogram.

use nice_plug::midi::{Channel, Key, VoiceID};
use nice_plug::prelude::*;
use nice_plug_egui::RepaintNotifier;
use std::sync::Arc;

pub mod delay;
pub mod editor;
pub mod host_latency;
mod logging;
pub mod meter;
pub mod note_schedule;
pub mod onsets;
pub mod params;
pub mod spectrogram;
pub mod subnormals;

use delay::DelayLine;
use editor::EarshotEditor;
use host_latency::HostLatency;
use meter::{LevelMeter, MeterReadings};
use onsets::{LaneEvent, OnsetEngine, OnsetNote};
use params::EarshotParams;
use rtrb::{Consumer, Producer, RingBuffer};
use spectrogram::{SpectrogramFeed, SpectrogramReceiver};
use std::sync::Mutex;

/// The plugin instance that a host creates.
pub struct Earshot {
    params: Arc<EarshotParams>,
    readings: Arc<MeterReadings>,
    meter: LevelMeter,
    spectrogram: SpectrogramFeed,
    /// Handed to each editor; only the editor's thread locks it.
    spectrogram_receiver: Arc<Mutex<SpectrogramReceiver>>,
    repaint: RepaintNotifier,
    /// The onset detector; `None` before `activate` or at a rate it cannot take.
    onsets: Option<OnsetEngine>,
    lane: Producer<LaneEvent>,
    /// Handed to each editor; only the editor's thread locks it.
    lane_receiver: Arc<Mutex<Consumer<LaneEvent>>>,
    /// Holds the audio back by the reported latency.
    delay: DelayLine,
    /// The latency reported to the host, which changes only at activation.
    latency: HostLatency,
    sample_rate: f32,
    /// Host samples processed since the last reset.
    position: u64,
}

impl Default for Earshot {
    fn default() -> Self {
        let (spectrogram, receiver) = spectrogram::channel();
        let (lane, lane_receiver) = RingBuffer::new(onsets::LANE_CAPACITY);
        Self {
            params: Arc::new(EarshotParams::default()),
            readings: Arc::new(MeterReadings::default()),
            meter: LevelMeter::default(),
            spectrogram,
            spectrogram_receiver: Arc::new(Mutex::new(receiver)),
            repaint: RepaintNotifier::new(),
            onsets: None,
            lane,
            lane_receiver: Arc::new(Mutex::new(lane_receiver)),
            delay: DelayLine::default(),
            latency: HostLatency::default(),
            sample_rate: 44_100.0,
            position: 0,
        }
    }
}

impl Earshot {
    /// The latency to report: the onset detector's when the user asks for alignment.
    fn wanted_latency(&self) -> u32 {
        match &self.onsets {
            Some(onsets) if self.params.report_latency.value() => onsets.latency_samples(),
            _ => 0,
        }
    }
}

impl Plugin for Earshot {
    const NAME: &'static str = "Earshot";
    const VENDOR: &'static str = "Earshot";
    const URL: &'static str = env!("CARGO_PKG_REPOSITORY");
    const EMAIL: &'static str = "earshot@users.noreply.github.com";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");

    const MIDI_OUTPUT: MidiConfig = MidiConfig::Basic;

    const AUDIO_IO_LAYOUTS: &'static [AudioIOLayout] = &[
        AudioIOLayout {
            main_input_channels: NonZeroU32::new(2),
            main_output_channels: NonZeroU32::new(2),
            ..AudioIOLayout::const_default()
        },
        AudioIOLayout {
            main_input_channels: NonZeroU32::new(1),
            main_output_channels: NonZeroU32::new(1),
            ..AudioIOLayout::const_default()
        },
    ];

    type Editor = EarshotEditor;
    type SysExMessage = ();
    type BackgroundTask = ();

    fn params(&self) -> Arc<dyn Params> {
        self.params.clone()
    }

    fn editor(&mut self, _async_executor: AsyncExecutor<Self>) -> Option<Self::Editor> {
        Some(EarshotEditor::new(
            self.params.clone(),
            self.readings.clone(),
            self.spectrogram_receiver.clone(),
            self.lane_receiver.clone(),
            self.repaint.clone(),
        ))
    }

    fn activate(
        &mut self,
        audio_io_layout: &AudioIOLayout,
        buffer_config: &BufferConfig,
        context: &mut impl ActivateContext<Self>,
    ) -> bool {
        let channels =
            audio_io_layout.main_input_channels.map_or(0, |channels| channels.get() as usize);
        self.meter = LevelMeter::new(buffer_config.sample_rate, channels);
        self.readings.set_format(buffer_config.sample_rate, channels);
        self.spectrogram.activate(buffer_config.sample_rate);
        self.sample_rate = buffer_config.sample_rate;
        self.onsets = OnsetEngine::new(buffer_config.sample_rate, self.params.sensitivity.value());
        let latency = self.onsets.as_ref().map_or(0, OnsetEngine::latency_samples);
        self.delay = DelayLine::new(channels, latency as usize);
        context.set_latency_samples(self.latency.activate(self.wanted_latency()));
        self.readings.set_latency(self.latency.reported(), false);
        self.position = 0;
        true
    }

    fn reset(&mut self) {
        self.meter.reset();
        self.delay.reset();
        if let Some(onsets) = &mut self.onsets {
            onsets.restart(0);
        }
        self.position = 0;
    }

    fn process(
        &mut self,
        buffer: &mut Buffer,
        _aux: &mut AuxiliaryBuffers,
        context: &mut impl ProcessContext<Self>,
    ) -> ProcessStatus {
        // The host's buffer is both input and output: leaving it alone is a bit-exact pass-through.
        #[cfg(feature = "alloc-canary")]
        std::hint::black_box(Vec::<u8>::with_capacity(64));
        let frames = buffer.samples();
        let seconds = self.position as f64 / self.sample_rate as f64;
        self.meter.set_hold_seconds(self.params.peak_hold.value());
        self.meter.process(buffer.as_slice_immutable());
        self.spectrogram.process(buffer.as_slice_immutable(), frames, seconds);
        if let Some(onsets) = self.onsets.as_mut().filter(|_| self.params.onsets.value()) {
            onsets.set_sensitivity(self.params.sensitivity.value());
            let note = OnsetNote {
                channel: (self.params.midi_channel.value() - 1).clamp(0, 15) as u8,
                key: self.params.midi_note.value().clamp(0, 127) as u8,
            };
            let lane = &mut self.lane;
            onsets.process(
                buffer.as_slice_immutable(),
                frames,
                self.position,
                note,
                // A full queue means the editor is behind or closed: dropping is what it wants.
                |event| {
                    let _ = lane.push(event);
                },
                |timing, message| {
                    let (voice_id, channel, key) = (
                        VoiceID::Wildcard,
                        Channel::Number(message.channel),
                        Key::Number(message.key),
                    );
                    let event = match message.velocity {
                        Some(velocity) => {
                            NoteEvent::NoteOn { timing, voice_id, channel, key, velocity }
                        }
                        None => {
                            NoteEvent::NoteOff { timing, voice_id, channel, key, velocity: 0.0 }
                        }
                    };
                    // A host whose event queue is full loses the note; nothing else can be done.
                    let _ = context.try_send_event(event);
                },
            );
        }
        if self.latency.needs_restart(self.wanted_latency()) {
            context.request_restart();
        }
        self.readings.set_latency(self.latency.reported(), self.latency.restart_pending());
        if self.latency.reported() > 0 {
            self.delay.process(buffer.as_slice());
        }
        subnormals::flush(buffer.as_slice());
        self.position += frames as u64;
        self.meter.publish(&self.readings);
        self.repaint.request_repaint();
        ProcessStatus::Normal
    }

    fn setup_logger() -> Option<bool> {
        Some(logging::install())
    }
}

impl ClapPlugin for Earshot {
    const CLAP_ID: &'static str = "audio.earshot.analyzer";
    const CLAP_DESCRIPTION: Option<&'static str> = Some(env!("CARGO_PKG_DESCRIPTION"));
    const CLAP_MANUAL_URL: Option<&'static str> = Some(Self::URL);
    const CLAP_SUPPORT_URL: Option<&'static str> = Some(Self::URL);
    const CLAP_FEATURES: &'static [ClapFeature] =
        &[ClapFeature::AudioEffect, ClapFeature::Analyzer, ClapFeature::Stereo, ClapFeature::Mono];
}

impl Vst3Plugin for Earshot {
    const VST3_CLASS_ID: [u8; 16] = *b"EarshotAnalyzer1";
    const VST3_SUBCATEGORIES: &'static [Vst3SubCategory] = &[
        Vst3SubCategory::Fx,
        Vst3SubCategory::Analyzer,
        Vst3SubCategory::Stereo,
        Vst3SubCategory::Mono,
    ];
}

nice_export_clap!(Earshot);
nice_export_vst3!(Earshot);

//! Earshot: a real-time music-analysis plugin (CLAP and VST3).
//!
//! This crate is the thin plugin layer: it wires host audio, parameters and the editor together.
//! Audio passes through untouched (or delayed by the analysis latency, when that is reported;
//! subnormal samples flushed to zero either way); it is metered, run through the analysis engine
//! (every task's events to the editor and as MIDI notes, through the task's module in [`tasks`])
//! and, while an editor is open, analysed by a log-mel frontend for the live spectrogram.

use earshot_engine::midi::{value_7bit, LiveMidi, MidiMessage};
use earshot_engine::Engine;
use nice_plug::midi::{Channel, Key, VoiceID};
use nice_plug::prelude::*;
use nice_plug_egui::RepaintNotifier;
use std::sync::{Arc, Mutex};

pub mod delay;
pub mod editor;
pub mod feed;
pub mod host_latency;
mod logging;
pub mod meter;
pub mod params;
pub mod shared;
pub mod spectrogram;
pub mod subnormals;
pub mod tasks;

use delay::DelayLine;
use editor::EarshotEditor;
use host_latency::HostLatency;
use meter::{LevelMeter, MeterReadings};
use params::EarshotParams;
use shared::Shared;
use spectrogram::SpectrogramFeed;
use tasks::TaskAdapter;

/// MIDI messages waiting for their time; more at once means absurd settings, and the extra
/// notes are dropped rather than allocating.
const MIDI_CAPACITY: usize = 256;

/// The plugin instance that a host creates.
pub struct Earshot {
    params: Arc<EarshotParams>,
    /// Handed to each editor.
    shared: Arc<Shared>,
    meter: LevelMeter,
    spectrogram: SpectrogramFeed,
    repaint: RepaintNotifier,
    /// Every task with its shipped weights; `None` before `activate` or at a rate it refuses.
    engine: Option<Engine>,
    adapters: Vec<Box<dyn TaskAdapter>>,
    /// The tasks' notes, aligned to the engine's latency.
    midi: LiveMidi,
    /// Holds the audio back by the reported latency.
    delay: DelayLine,
    /// The latency reported to the host, which changes only at activation.
    latency: HostLatency,
    sample_rate: f32,
    /// Host samples processed since the last reset.
    position: u64,
    /// Whether the host's transport played during the last block.
    was_playing: bool,
}

impl Default for Earshot {
    fn default() -> Self {
        let params = Arc::new(EarshotParams::default());
        let (spectrogram, receiver) = spectrogram::channel();
        let (adapters, feeds) = tasks::adapters();
        let shared = Arc::new(Shared {
            params: params.clone(),
            readings: MeterReadings::default(),
            spectrogram: Mutex::new(receiver),
            tasks: feeds,
        });
        Self {
            params,
            shared,
            meter: LevelMeter::default(),
            spectrogram,
            repaint: RepaintNotifier::new(),
            engine: None,
            adapters,
            midi: LiveMidi::new(0, 0, 44_100.0),
            delay: DelayLine::default(),
            latency: HostLatency::default(),
            sample_rate: 44_100.0,
            position: 0,
            was_playing: false,
        }
    }
}

impl Earshot {
    /// Listens afresh from this block when the host starts playing, so that every pass over a
    /// song gives the same analysis and the same MIDI. Notes already sent still end; the audio
    /// delay and the meters carry on.
    fn restart_analysis(&mut self) {
        let Some(engine) = self.engine.as_mut() else {
            return;
        };
        engine.reset();
        self.midi.restart_at(self.position);
        for adapter in self.adapters.iter_mut() {
            adapter.reset(&mut self.midi);
        }
    }

    /// The latency to report: the engine's when the user asks for alignment.
    fn wanted_latency(&self) -> u32 {
        match &self.engine {
            Some(engine) if self.params.report_latency.value() => {
                engine.latency_samples().min(u32::MAX as usize) as u32
            }
            _ => 0,
        }
    }
}

/// A MIDI message as nice-plug's event at `timing` samples into the block.
fn note_event(timing: u32, message: MidiMessage<'_>) -> NoteEvent<()> {
    match message {
        MidiMessage::Note(note) => {
            let (voice_id, channel, key) =
                (VoiceID::Wildcard, Channel::Number(note.channel), Key::Number(note.key));
            match note.velocity {
                Some(velocity) => NoteEvent::NoteOn { timing, voice_id, channel, key, velocity },
                None => NoteEvent::NoteOff { timing, voice_id, channel, key, velocity: 0.0 },
            }
        }
        MidiMessage::Control(control) => NoteEvent::MidiCC {
            timing,
            channel: control.channel,
            cc: control.controller,
            value: value_7bit(control.value) as f32 / 127.0,
        },
    }
}

impl Plugin for Earshot {
    const NAME: &'static str = "Earshot";
    const VENDOR: &'static str = "Earshot";
    const URL: &'static str = env!("CARGO_PKG_REPOSITORY");
    const EMAIL: &'static str = "earshot@users.noreply.github.com";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");

    const MIDI_OUTPUT: MidiConfig = MidiConfig::MidiCCs;

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
        Some(EarshotEditor::new(self.shared.clone(), self.repaint.clone()))
    }

    fn activate(
        &mut self,
        audio_io_layout: &AudioIOLayout,
        buffer_config: &BufferConfig,
        context: &mut impl ActivateContext<Self>,
    ) -> bool {
        let channels =
            audio_io_layout.main_input_channels.map_or(0, |channels| channels.get() as usize);
        let rate = buffer_config.sample_rate;
        self.meter = LevelMeter::new(rate, channels);
        self.shared.readings.set_format(rate, channels);
        self.spectrogram.activate(rate);
        self.sample_rate = rate;
        self.engine = Engine::with_default_weights(rate as f64, tasks::SHOWN).ok();
        let latency = self.engine.as_ref().map_or(0, Engine::latency_samples);
        self.midi = LiveMidi::new(MIDI_CAPACITY, latency, rate as f64);
        self.delay = DelayLine::new(channels, latency);
        context.set_latency_samples(self.latency.activate(self.wanted_latency()));
        self.shared.readings.set_latency(self.latency.reported(), false);
        self.position = 0;
        true
    }

    fn reset(&mut self) {
        self.was_playing = false;
        self.meter.reset();
        self.delay.reset();
        self.midi.clear();
        for adapter in self.adapters.iter_mut() {
            adapter.reset(&mut self.midi);
        }
        if let Some(engine) = &mut self.engine {
            engine.reset();
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
        let playing = context.transport().playing;
        if playing && !self.was_playing {
            self.restart_analysis();
        }
        self.was_playing = playing;
        let readings = &self.shared.readings;
        self.meter.set_hold_seconds(self.params.peak_hold.value());
        self.meter.process(buffer.as_slice_immutable());
        let start = self.position;
        let seconds = start as f64 / self.sample_rate as f64;
        self.spectrogram.process(buffer.as_slice_immutable(), frames, seconds);
        if let Some(engine) = self.engine.as_mut() {
            let (adapters, params, midi) = (&mut self.adapters, &*self.params, &mut self.midi);
            for adapter in adapters.iter_mut() {
                adapter.apply(params, engine, midi);
            }
            engine.push(buffer.as_slice_immutable(), frames, |event| {
                if let Some(adapter) = adapters.iter_mut().find(|a| a.kind() == event.task()) {
                    adapter.on_event(params, &event, midi);
                }
            });
            midi.take_due(start, start + frames as u64, |timing, message| {
                // A host whose event queue is full loses the note; nothing else can be done.
                let _ = context.try_send_event(note_event(timing, message));
            });
        }
        if self.latency.needs_restart(self.wanted_latency()) {
            context.request_restart();
        }
        readings.set_latency(self.latency.reported(), self.latency.restart_pending());
        readings.set_host_tempo(context.transport().tempo);
        if self.latency.reported() > 0 {
            self.delay.process(buffer.as_slice());
        }
        subnormals::flush(buffer.as_slice());
        self.position += frames as u64;
        self.meter.publish(readings);
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

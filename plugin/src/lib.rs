//! Earshot: a real-time music-analysis plugin (CLAP and VST3).
//!
//! This crate is the thin plugin layer: it wires host audio, parameters and the editor together.
//! Audio passes through untouched; it is metered and, while an editor is open, analysed by a
//! log-mel frontend for the live spectrogram.

use nice_plug::prelude::*;
use nice_plug_egui::RepaintNotifier;
use std::sync::Arc;

pub mod editor;
mod logging;
pub mod meter;
pub mod params;
pub mod spectrogram;

use editor::EarshotEditor;
use meter::{LevelMeter, MeterReadings};
use params::EarshotParams;
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
}

impl Default for Earshot {
    fn default() -> Self {
        let (spectrogram, receiver) = spectrogram::channel();
        Self {
            params: Arc::new(EarshotParams::default()),
            readings: Arc::new(MeterReadings::default()),
            meter: LevelMeter::default(),
            spectrogram,
            spectrogram_receiver: Arc::new(Mutex::new(receiver)),
            repaint: RepaintNotifier::new(),
        }
    }
}

impl Plugin for Earshot {
    const NAME: &'static str = "Earshot";
    const VENDOR: &'static str = "Earshot";
    const URL: &'static str = env!("CARGO_PKG_REPOSITORY");
    const EMAIL: &'static str = "earshot@users.noreply.github.com";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");

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
            self.repaint.clone(),
        ))
    }

    fn activate(
        &mut self,
        audio_io_layout: &AudioIOLayout,
        buffer_config: &BufferConfig,
        _context: &mut impl ActivateContext<Self>,
    ) -> bool {
        let channels =
            audio_io_layout.main_input_channels.map_or(0, |channels| channels.get() as usize);
        self.meter = LevelMeter::new(buffer_config.sample_rate, channels);
        self.readings.set_format(buffer_config.sample_rate, channels);
        self.spectrogram.activate(buffer_config.sample_rate);
        true
    }

    fn reset(&mut self) {
        self.meter.reset();
    }

    fn process(
        &mut self,
        buffer: &mut Buffer,
        _aux: &mut AuxiliaryBuffers,
        _context: &mut impl ProcessContext<Self>,
    ) -> ProcessStatus {
        // The host's buffer is both input and output: leaving it alone is a bit-exact pass-through.
        #[cfg(feature = "alloc-canary")]
        std::hint::black_box(Vec::<u8>::with_capacity(64));
        self.meter.set_hold_seconds(self.params.peak_hold.value());
        self.meter.process(buffer.as_slice_immutable());
        self.spectrogram.process(buffer.as_slice_immutable(), buffer.samples());
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

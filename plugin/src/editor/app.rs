//! The editor's layout: header, input-level card and status bar.

use super::level_meter_view;
use super::spectrogram_view::SpectrogramView;
use super::theme::{self, palette, size, space};
use crate::meter::{ChannelLevels, MAX_CHANNELS};
use crate::params::EditorSize;
use crate::shared::Shared;
use crate::spectrogram;
use crate::tasks::{self, beats, chords, onsets, voice};
use crate::Earshot;
use earshot_engine::tasks::onsets::peak_picker::threshold_for;
use earshot_engine::tasks::voice::threshold_for as voice_threshold_for;
use egui::{Align, Frame, Layout, Margin, RichText, Ui};
use nice_plug::context::gui::GuiContext;
use nice_plug::prelude::{FloatParam, Plugin};
use nice_plug_egui::baseview::{HandlerError, WindowSize};
use nice_plug_egui::widgets::ParamSlider;
use nice_plug_egui::NiceEguiApp;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Height of the row of the chord, beat and input-level cards (the spectrogram takes the
/// rest).
const BOTTOM_ROW_HEIGHT: f32 = 196.0;
/// Width of the beat card (the chord card takes what the beat and input cards leave).
const BEAT_CARD_WIDTH: f32 = 320.0;
/// Width of the input-level card.
const INPUT_CARD_WIDTH: f32 = 270.0;
/// Height of a card's title row, and of the onset controls' row.
const TITLE_ROW_HEIGHT: f32 = 24.0;
/// Width reserved in a title row for the slider's value box and the gaps, beyond the label and
/// the slider.
const TITLE_CONTROL_EXTRA: f32 = 72.0;
/// Width of a title row's slider; in the narrower cards (beats, input level), narrower.
const SLIDER_WIDTH: f32 = 90.0;
const NARROW_SLIDER_WIDTH: f32 = 50.0;
/// Height of the onset lane under the spectrogram.
const LANE_HEIGHT: f32 = 44.0;
/// Height of the chord lane under the onset lane.
const CHORD_LANE_HEIGHT: f32 = 30.0;
/// Height of the beat lane under the chord lane.
const BEAT_LANE_HEIGHT: f32 = 22.0;
/// Height of the voice lane under the beat lane.
const VOICE_LANE_HEIGHT: f32 = 26.0;
/// How long the status bar keeps warning after the last NaN or infinite input sample.
const NON_FINITE_WARNING: Duration = Duration::from_secs(3);

/// The egui app behind each editor window. It only reads shared state; it never blocks the audio
/// thread.
pub struct EditorApp {
    shared: Arc<Shared>,
    spectrogram_view: SpectrogramView,
    lane_view: onsets::OnsetLaneView,
    chord_lane: chords::lane_view::ChordLaneView,
    chord_card: chords::card::ChordCard,
    beat_lane: beats::lane_view::BeatLaneView,
    voice_lane: voice::lane_view::VoiceLaneView,
    gui_context: Option<GuiContext>,
    non_finite_seen: u64,
    non_finite_at: Option<Instant>,
    /// The sample rate last checked, and why the analysis cannot run at it (a line per part).
    rate_checked: f32,
    analysis_refused: Option<String>,
}

impl EditorApp {
    pub fn new(shared: Arc<Shared>) -> Self {
        Self {
            shared,
            spectrogram_view: SpectrogramView::default(),
            lane_view: onsets::OnsetLaneView::default(),
            chord_lane: Default::default(),
            chord_card: Default::default(),
            beat_lane: Default::default(),
            voice_lane: Default::default(),
            gui_context: None,
            non_finite_seen: 0,
            non_finite_at: None,
            rate_checked: 0.0,
            analysis_refused: None,
        }
    }

    /// Tells the audio thread whether an editor is watching the spectrogram.
    fn set_watching(&self, watching: bool) {
        if let Ok(receiver) = self.shared.spectrogram.lock() {
            receiver.editor_open.store(watching, Ordering::Relaxed);
        }
    }

    fn spectrogram_card(&mut self, ui: &mut Ui) {
        let newest_before = self.spectrogram_view.newest();
        if let Ok(mut receiver) = self.shared.spectrogram.lock() {
            self.spectrogram_view.receive(&mut receiver.columns);
        }
        if self.spectrogram_view.newest() < newest_before {
            // The plug-in was reset: its clock started again.
            self.lane_view.clear();
            self.chord_lane.marks.clear();
            self.chord_card.clear();
            self.beat_lane.marks.clear();
            self.voice_lane.clear();
        }
        let feeds = &self.shared.tasks;
        if let Ok(mut lane) = feeds.onsets.lock() {
            self.lane_view.receive(&mut lane);
        }
        if let Ok(mut feed) = feeds.chords.lock() {
            self.chord_lane.marks.receive(&mut feed);
        }
        if let Ok(mut feed) = feeds.key.lock() {
            self.chord_card.receive_key(&mut feed);
        }
        if let Ok(mut feed) = feeds.beats.lock() {
            self.beat_lane.marks.receive(&mut feed);
        }
        if let Ok(mut feed) = feeds.voice.lock() {
            self.voice_lane.receive(&mut feed);
        }
        let params = self.shared.params.clone();
        theme::card().show(ui, |ui| {
            ui.set_min_size(ui.available_size());
            self.title_row(
                ui,
                "SPECTROGRAM · ONSETS · CHORDS · BEATS · VOICE",
                "Sensitivity",
                &params.onsets.sensitivity,
                SLIDER_WIDTH,
            );
            ui.add_space(space::XS);
            let width = ui.available_width();
            // Below the spectrogram: a gap, the onset lane, a gap, the chord lane, a gap, the
            // beat lane, a gap, the voice lane, a gap, the controls; egui adds its item spacing
            // after the spectrogram and after each lane.
            let lanes = LANE_HEIGHT + CHORD_LANE_HEIGHT + BEAT_LANE_HEIGHT + VOICE_LANE_HEIGHT;
            let below = lanes + TITLE_ROW_HEIGHT + 5.0 * space::XS;
            let spectrogram_height =
                ui.available_height() - below - 5.0 * ui.spacing().item_spacing.y;
            let newest = self.spectrogram_view.newest();
            let plot = ui
                .allocate_ui(egui::vec2(width, spectrogram_height), |ui| {
                    self.spectrogram_view.show(ui)
                })
                .inner;
            let enabled = params.onsets.enabled.value();
            if enabled {
                self.lane_view.mark_spectrogram(ui, plot, newest);
            }
            ui.add_space(space::XS);
            let (lane_row, _) =
                ui.allocate_exact_size(egui::vec2(width, LANE_HEIGHT), egui::Sense::hover());
            let lane = lane_row.with_min_x(plot.left()).with_max_x(plot.right());
            let threshold = threshold_for(params.onsets.sensitivity.value());
            self.lane_view.show(ui, lane, newest, threshold, enabled);
            ui.add_space(space::XS);
            let (chord_row, _) =
                ui.allocate_exact_size(egui::vec2(width, CHORD_LANE_HEIGHT), egui::Sense::hover());
            let chord_lane = chord_row.with_min_x(plot.left()).with_max_x(plot.right());
            let key = self.chord_card.key(&params);
            self.chord_lane.show(ui, chord_lane, newest, key, params.chords.enabled.value());
            ui.add_space(space::XS);
            let (beat_row, _) =
                ui.allocate_exact_size(egui::vec2(width, BEAT_LANE_HEIGHT), egui::Sense::hover());
            let beat_lane = beat_row.with_min_x(plot.left()).with_max_x(plot.right());
            self.beat_lane.show(ui, beat_lane, newest, params.beats.enabled.value());
            ui.add_space(space::XS);
            let (voice_row, _) =
                ui.allocate_exact_size(egui::vec2(width, VOICE_LANE_HEIGHT), egui::Sense::hover());
            let voice_lane = voice_row.with_min_x(plot.left()).with_max_x(plot.right());
            let voice_threshold = voice_threshold_for(params.voice.sensitivity.value());
            self.voice_lane.show(
                ui,
                voice_lane,
                newest,
                voice_threshold,
                params.voice.enabled.value(),
            );
            ui.add_space(space::XS);
            if let Some(context) = &self.gui_context {
                let setter = context.param_setter();
                ui.allocate_ui(egui::vec2(width, TITLE_ROW_HEIGHT), |ui| {
                    onsets::controls::show(ui, &params, &setter, |ui| {
                        voice::controls::show(ui, &params, &setter)
                    })
                });
            }
        });
    }

    fn header(ui: &mut Ui) {
        let frame =
            Frame::new().fill(palette::SURFACE).inner_margin(Margin::symmetric(space::L as i8, 0));
        egui::Panel::top("header").exact_size(space::HEADER_HEIGHT).frame(frame).show(ui, |ui| {
            ui.horizontal_centered(|ui| {
                ui.label(
                    RichText::new("EARSHOT")
                        .font(theme::font(size::TITLE))
                        .extra_letter_spacing(3.0)
                        .strong()
                        .color(palette::ACCENT),
                );
                ui.add_space(space::S);
                ui.label(RichText::new("real-time music analysis").color(palette::TEXT_MUTED));
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    ui.label(
                        RichText::new(format!("v{}", Earshot::VERSION))
                            .font(theme::mono(size::SMALL))
                            .color(palette::TEXT_MUTED),
                    );
                });
            });
        });
    }

    fn status_bar(&mut self, ui: &mut Ui) {
        let count = self.shared.readings.non_finite_samples();
        if count != self.non_finite_seen {
            self.non_finite_seen = count;
            self.non_finite_at = Some(Instant::now());
        }
        let warning = self.non_finite_at.is_some_and(|at| at.elapsed() < NON_FINITE_WARNING);

        let frame =
            Frame::new().fill(palette::SURFACE).inner_margin(Margin::symmetric(space::L as i8, 0));
        let sample_rate = self.shared.readings.sample_rate();
        if sample_rate != self.rate_checked {
            self.rate_checked = sample_rate;
            self.analysis_refused =
                if sample_rate > 0.0 { analysis_refusals(sample_rate) } else { None };
        }
        let layout = match self.shared.readings.channel_count() {
            1 => "Mono",
            2 => "Stereo",
            _ => "Inactive",
        };
        egui::Panel::bottom("status").exact_size(space::STATUS_HEIGHT).frame(frame).show(
            ui,
            |ui| {
                ui.horizontal_centered(|ui| {
                    let format = if sample_rate > 0.0 {
                        format!("{}  ·  {layout}", rate_label(sample_rate))
                    } else {
                        "Waiting for audio".to_owned()
                    };
                    ui.label(small(format, palette::TEXT_MUTED));
                    ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                        if warning {
                            ui.label(small(
                                "NaN/Inf in the input: metered as silence",
                                palette::DANGER,
                            ));
                        } else if let Some(reasons) = &self.analysis_refused {
                            ui.label(small("Analysis is off at this sample rate", palette::WARN))
                                .on_hover_text(reasons);
                        } else {
                            let text = latency_label(
                                self.shared.readings.latency(),
                                sample_rate,
                                self.shared.readings.restart_pending(),
                            );
                            ui.label(small(text, palette::TEXT_MUTED));
                        }
                    });
                });
            },
        );
    }

    /// A card's title on the left and a parameter's slider on the right, in fixed rectangles so
    /// the control cannot push the title around.
    fn title_row(&self, ui: &mut Ui, title: &str, label: &str, param: &FloatParam, slider: f32) {
        let (row, _) = ui.allocate_exact_size(
            egui::vec2(ui.available_width(), TITLE_ROW_HEIGHT),
            egui::Sense::hover(),
        );
        let label_text = RichText::new(label).color(palette::TEXT_MUTED);
        let label_width = egui::WidgetText::from(label_text.clone())
            .into_galley(ui, Some(egui::TextWrapMode::Extend), f32::INFINITY, egui::TextStyle::Body)
            .size()
            .x;
        let control_width = label_width + slider + TITLE_CONTROL_EXTRA;
        let control =
            egui::Rect::from_min_max(egui::pos2(row.max.x - control_width, row.min.y), row.max);
        let in_rect = |rect| {
            egui::UiBuilder::new().max_rect(rect).layout(Layout::left_to_right(Align::Center))
        };
        ui.scope_builder(in_rect(row.with_max_x(control.min.x)), |ui| ui.label(heading(title)));
        ui.scope_builder(in_rect(control), |ui| {
            ui.label(label_text);
            if let Some(context) = &self.gui_context {
                let setter = context.param_setter();
                ui.add(ParamSlider::for_param(param, &setter).with_width(slider));
            }
        });
    }

    fn chord_card(&self, ui: &mut Ui) {
        let params = &self.shared.params;
        theme::card().show(ui, |ui| {
            ui.set_min_size(ui.available_size());
            let steadiness = &params.chords.steadiness;
            self.title_row(ui, "CHORD · KEY", "Steadiness", steadiness, SLIDER_WIDTH);
            ui.add_space(space::XS);
            let setter = self.gui_context.as_ref().map(|context| context.param_setter());
            self.chord_card.show(ui, self.chord_lane.marks.latest(), params, setter.as_ref());
        });
    }

    fn beat_card(&self, ui: &mut Ui) {
        let params = &self.shared.params;
        theme::card().show(ui, |ui| {
            ui.set_min_size(ui.available_size());
            let window = &params.beats.tempo_window;
            self.title_row(ui, "BEAT · TEMPO", "Window", window, NARROW_SLIDER_WIDTH);
            ui.add_space(space::XS);
            let setter = self.gui_context.as_ref().map(|context| context.param_setter());
            let newest = self.spectrogram_view.newest();
            let host_tempo = self.shared.readings.host_tempo();
            let latest = self.beat_lane.marks.latest();
            beats::card::show(ui, latest, newest, host_tempo, params, setter.as_ref());
        });
    }

    fn input_card(&self, ui: &mut Ui) {
        theme::card().show(ui, |ui| {
            ui.set_min_size(ui.available_size());
            let hold = &self.shared.params.peak_hold;
            self.title_row(ui, "INPUT LEVEL", "Hold", hold, NARROW_SLIDER_WIDTH);
            ui.add_space(space::XS);
            let count = self.shared.readings.channel_count().clamp(1, MAX_CHANNELS);
            let levels: Vec<ChannelLevels> =
                (0..count).map(|c| self.shared.readings.levels(c)).collect();
            let labels: &[&str] = if count == 1 { &["M"] } else { &["L", "R"] };
            level_meter_view::show(ui, &levels, labels);
        });
    }
}

/// Card headings: small capitals in the muted colour.
fn heading(text: &str) -> RichText {
    RichText::new(text)
        .font(theme::font(size::HEADING))
        .extra_letter_spacing(1.5)
        .strong()
        .color(palette::TEXT_MUTED)
}

/// Why the spectrogram and each task cannot run at `sample_rate`, a line for each that cannot;
/// `None` when all can.
fn analysis_refusals(sample_rate: f32) -> Option<String> {
    let spectrogram = spectrogram::unsupported_rate(sample_rate).map(|r| ("Spectrogram", r));
    let tasks = tasks::refusals(sample_rate).into_iter().map(|(kind, r)| (tasks::title(kind), r));
    let lines: Vec<String> = spectrogram
        .into_iter()
        .chain(tasks)
        .map(|(part, reason)| format!("{part}: {reason}"))
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// A sample rate in kHz, with as many decimals as it needs: "44.1 kHz", "48.0 kHz", "44.056 kHz".
fn rate_label(sample_rate: f32) -> String {
    let hertz = sample_rate.round() as u32;
    if hertz.is_multiple_of(100) {
        format!("{:.1} kHz", hertz as f32 / 1000.0)
    } else {
        format!("{:.3} kHz", hertz as f32 / 1000.0)
    }
}

/// What the plug-in does to the audio: unchanged, or delayed by the latency it reports so that
/// its MIDI lines up; and whether a change of Align MIDI waits for the host to restart it.
fn latency_label(latency: u32, sample_rate: f32, restart_pending: bool) -> String {
    if restart_pending {
        "Align MIDI applies when the host restarts the plug-in".to_owned()
    } else if latency == 0 || sample_rate <= 0.0 {
        "Audio passes through unchanged".to_owned()
    } else {
        let ms = latency as f32 / sample_rate * 1000.0;
        format!("Audio delayed {ms:.1} ms, the reported latency (MIDI aligned)")
    }
}

fn small(text: impl Into<String>, color: egui::Color32) -> RichText {
    RichText::new(text).font(theme::font(size::SMALL)).color(color)
}

impl NiceEguiApp for EditorApp {
    fn build(
        &mut self,
        egui_ctx: egui::Context,
        nice_gui_ctx: GuiContext,
        _frame: &mut nice_plug_egui::Frame,
    ) -> Result<(), HandlerError> {
        theme::apply(&egui_ctx);
        self.gui_context = Some(nice_gui_ctx);
        self.set_watching(true);
        Ok(())
    }

    fn editor_closed(&mut self) {
        self.set_watching(false);
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut nice_plug_egui::Frame) {
        Self::header(ui);
        self.status_bar(ui);
        egui::CentralPanel::default()
            .frame(
                Frame::new().fill(palette::BACKGROUND).inner_margin(Margin::same(space::L as i8)),
            )
            .show(ui, |ui| {
                let width = ui.available_width();
                let spectrogram_height = ui.available_height() - BOTTOM_ROW_HEIGHT - space::M;
                ui.allocate_ui(egui::vec2(width, spectrogram_height), |ui| {
                    self.spectrogram_card(ui)
                });
                ui.add_space(space::M);
                ui.allocate_ui_with_layout(
                    egui::vec2(width, BOTTOM_ROW_HEIGHT),
                    Layout::left_to_right(Align::Min),
                    |ui| {
                        let cards = BEAT_CARD_WIDTH + INPUT_CARD_WIDTH;
                        let chord_width = width - 2.0 * space::M - cards;
                        let column = Layout::top_down(Align::Min);
                        let size = |width| egui::vec2(width, BOTTOM_ROW_HEIGHT);
                        let gap = space::M - ui.spacing().item_spacing.x;
                        ui.allocate_ui_with_layout(size(chord_width), column, |ui| {
                            self.chord_card(ui)
                        });
                        ui.add_space(gap);
                        ui.allocate_ui_with_layout(size(BEAT_CARD_WIDTH), column, |ui| {
                            self.beat_card(ui)
                        });
                        ui.add_space(gap);
                        ui.allocate_ui_with_layout(size(INPUT_CARD_WIDTH), column, |ui| {
                            self.input_card(ui)
                        });
                    },
                );
            });
    }

    fn resized(&mut self, new_size: WindowSize) {
        let size = EditorSize {
            width: new_size.logical.width.round() as u32,
            height: new_size.logical.height.round() as u32,
        };
        if let Ok(mut saved) = self.shared.params.editor_size.write() {
            *saved = size.clamped();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{analysis_refusals, latency_label, rate_label};

    #[test]
    fn a_refused_rate_names_each_part_that_is_off() {
        assert_eq!(analysis_refusals(48_000.0), None);
        let reasons = analysis_refusals(705_600.0).expect("refused");
        let lines: Vec<&str> = reasons.lines().collect();
        let parts: Vec<&str> = lines.iter().filter_map(|line| line.split(": ").next()).collect();
        let expected = ["Spectrogram", "Onsets", "Chords", "Key", "Beats", "Voice"];
        assert_eq!(parts, expected, "{reasons}");
        assert!(lines.iter().all(|line| line.contains("705600 Hz")), "{reasons}");
    }

    #[test]
    fn a_rate_shows_the_decimals_it_needs() {
        assert_eq!(rate_label(44_100.0), "44.1 kHz");
        assert_eq!(rate_label(48_000.0), "48.0 kHz");
        assert_eq!(rate_label(192_000.0), "192.0 kHz");
        assert_eq!(rate_label(44_056.0), "44.056 kHz");
        assert_eq!(rate_label(44_101.0), "44.101 kHz");
    }

    #[test]
    fn the_status_says_what_the_latency_does_to_the_audio() {
        assert_eq!(latency_label(0, 44_100.0, false), "Audio passes through unchanged");
        assert_eq!(
            latency_label(4253, 44_100.0, false),
            "Audio delayed 96.4 ms, the reported latency (MIDI aligned)"
        );
        assert!(latency_label(0, 44_100.0, true).contains("when the host restarts"));
    }
}

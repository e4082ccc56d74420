//! The beat card: the tempo in large type with its confidence and the host's tempo beside it;
//! a light per beat of the bar, the current one pulsing in phase with the music (carried on
//! between detected beats at the tempo); under them the beat controls.

use super::BeatMark;
use crate::editor::param_widgets::{checkbox, muted, number, percent};
use crate::editor::theme::{self, palette, size, space};
use crate::params::EarshotParams;
use crate::spectrogram::COLUMNS_PER_SECOND;
use egui::{Align, Layout, RichText, Ui};
use nice_plug::prelude::ParamSetter;

/// Height of the controls row at the card's foot.
const CONTROLS_HEIGHT: f32 = 24.0;
/// Bars without a detected beat after which the light stops.
const IDLE_BARS: f32 = 2.0;
/// How fast a pulse fades over a beat (its brightness is e^(−FADE × phase)).
const FADE: f32 = 4.0;
/// Radius of a beat light.
const LIGHT_RADIUS: f32 = 8.0;

/// Where the music is in the bar now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pulse {
    /// The beat of the bar sounding, 1 the downbeat.
    pub bar_position: u8,
    pub beats_per_bar: u8,
    /// How far into that beat, 0–1.
    pub phase: f32,
}

/// The pulse at spectrogram column `newest`, carried on from the `latest` beat at its tempo;
/// none when that beat is more than two bars old, or has no usable tempo.
pub fn pulse(latest: &BeatMark, newest: u64) -> Option<Pulse> {
    let interval = 60.0 / latest.tempo.bpm * COLUMNS_PER_SECOND;
    let elapsed = newest.checked_sub(latest.index)? as f32;
    let per_bar = latest.beats_per_bar.max(1);
    if !(interval.is_finite() && interval > 0.0) || elapsed > IDLE_BARS * per_bar as f32 * interval
    {
        return None;
    }
    let beats = (elapsed / interval).floor();
    let position = (latest.bar_position.max(1) - 1) as u32 + beats as u32;
    Some(Pulse {
        bar_position: (position % per_bar as u32) as u8 + 1,
        beats_per_bar: per_bar,
        phase: elapsed / interval - beats,
    })
}

/// Draws the tempo, the beat lights and the controls into the rest of `ui`.
pub fn show(
    ui: &mut Ui,
    latest: Option<&BeatMark>,
    newest: u64,
    host_tempo: Option<f32>,
    params: &EarshotParams,
    setter: Option<&ParamSetter>,
) {
    let width = ui.available_width();
    let body_height = ui.available_height() - CONTROLS_HEIGHT - ui.spacing().item_spacing.y;
    let enabled = params.beats.enabled.value();
    let latest = latest.filter(|_| enabled);
    ui.allocate_ui_with_layout(
        egui::vec2(width, body_height),
        Layout::top_down(Align::Min),
        |ui| {
            ui.horizontal(|ui| {
                tempo(ui, latest);
                ui.add_space(space::M);
                ui.vertical(|ui| {
                    ui.add_space(space::M + space::XS);
                    lights(ui, latest.and_then(|mark| pulse(mark, newest)));
                });
            });
            let line = match latest {
                Some(mark) => format!("{} confidence", percent(mark.tempo.confidence)),
                None if enabled => "listening…".to_owned(),
                None => "beat tracking off".to_owned(),
            };
            ui.label(muted(&line));
            let host = match host_tempo {
                Some(bpm) => format!("Host tempo {bpm:.1} BPM"),
                None => "Host tempo not given".to_owned(),
            };
            ui.label(muted(&host))
                .on_hover_text("The project tempo the host reports, for comparison");
        },
    );
    if let Some(setter) = setter {
        ui.allocate_ui(egui::vec2(width, CONTROLS_HEIGHT), |ui| controls(ui, params, setter));
    }
}

/// The detected tempo in large type.
fn tempo(ui: &mut Ui, latest: Option<&BeatMark>) {
    let (text, colour) = match latest {
        Some(mark) => (format!("{:.1}", mark.tempo.bpm), palette::TEXT),
        None => ("–".to_owned(), palette::TEXT_MUTED),
    };
    ui.label(RichText::new(text).font(theme::font(size::TEMPO)).strong().color(colour));
    ui.vertical(|ui| {
        ui.add_space(space::M + space::XS);
        ui.label(muted("BPM"));
    });
}

/// A light per beat of the bar; the current one lit and fading over its beat, the downbeat's in
/// its own colour.
fn lights(ui: &mut Ui, pulse: Option<Pulse>) {
    let count = pulse.map_or(4, |p| p.beats_per_bar) as usize;
    let step = 2.0 * LIGHT_RADIUS + space::XS;
    let (rect, _) = ui.allocate_exact_size(
        egui::vec2(count as f32 * step, 2.0 * LIGHT_RADIUS + 2.0),
        egui::Sense::hover(),
    );
    let painter = ui.painter_at(rect.expand(1.0));
    for beat in 0..count {
        let centre = egui::pos2(rect.left() + LIGHT_RADIUS + beat as f32 * step, rect.center().y);
        let colour = if beat == 0 { palette::DOWNBEAT } else { palette::BEAT };
        let lit = pulse.filter(|p| p.bar_position as usize == beat + 1);
        let brightness = lit.map_or(0.0, |p| (-FADE * p.phase).exp());
        painter.circle_filled(centre, LIGHT_RADIUS, palette::WELL);
        painter.circle_filled(
            centre,
            LIGHT_RADIUS,
            colour.gamma_multiply(0.12 + 0.88 * brightness),
        );
        let text_colour = if lit.is_some() { palette::BACKGROUND } else { palette::TEXT_MUTED };
        let font = theme::font(size::SMALL);
        painter.text(centre, egui::Align2::CENTER_CENTER, beat + 1, font, text_colour);
    }
}

/// Whether beats run, and the MIDI beat out (on, beat and downbeat notes, channel).
fn controls(ui: &mut Ui, params: &EarshotParams, setter: &ParamSetter) {
    let beats = &params.beats;
    ui.horizontal_centered(|ui| {
        checkbox(ui, &beats.enabled, "Beats", setter)
            .on_hover_text("Run the beat tracker: this card, its lane and MIDI beats");
        checkbox(ui, &beats.midi_out, "MIDI", setter)
            .on_hover_text("Send each beat as a MIDI note, the downbeat on its own note");
        number(ui, &beats.downbeat_note, setter, |name, _| name)
            .on_hover_text("The note of a downbeat (the first beat of the bar)");
        number(ui, &beats.beat_note, setter, |name, _| name)
            .on_hover_text("The note of the other beats");
        ui.label(muted("Ch"));
        number(ui, &beats.midi_channel, setter, |_, value| value.to_string())
            .on_hover_text("The MIDI channel of the beat notes, 1–16");
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use earshot_engine::tasks::beats::tempo::TempoEstimate;

    fn beat(index: u64, bar_position: u8, bpm: f32) -> BeatMark {
        let tempo = TempoEstimate { bpm, confidence: 0.7 };
        BeatMark { index, bar_position, beats_per_bar: 4, confidence: 0.9, tempo }
    }

    #[test]
    fn the_pulse_carries_on_at_the_tempo_into_the_next_beats_and_bars() {
        // At 120 bpm a beat is half a second: COLUMNS_PER_SECOND / 2 columns.
        let interval = COLUMNS_PER_SECOND / 2.0;
        let latest = beat(1000, 3, 120.0);
        let at = |beats: f32| 1000 + (beats * interval).round() as u64;
        assert_eq!(pulse(&latest, 999), None, "before the beat");
        let now = pulse(&latest, 1000).unwrap();
        assert_eq!((now.bar_position, now.phase), (3, 0.0));
        let later = pulse(&latest, at(1.5)).unwrap();
        assert_eq!(later.bar_position, 4);
        assert!((later.phase - 0.5).abs() < 0.05, "{later:?}");
        assert_eq!(pulse(&latest, at(2.25)).unwrap().bar_position, 1, "into the next bar");
        assert_eq!(pulse(&latest, at(8.5)), None, "more than two bars without a beat");
        assert_eq!(pulse(&beat(10, 1, f32::NAN), 20), None);
        assert_eq!(pulse(&beat(10, 1, 0.0), 20), None);
    }
}

//! The chord card: the current chord in large type as a lead sheet writes it (spelled in the
//! detected key), its Roman numeral, function and confidence, the runner-up; beside it the key
//! with its confidence and window; under them the chord controls.

use super::lane_view::function_colour;
use super::names::{self, Function};
use super::ChordMark;
use crate::editor::param_widgets::{checkbox, muted, number, percent};
use crate::editor::theme::{self, palette, size, space};
use crate::params::EarshotParams;
use crate::tasks::key::KeyReading;
use earshot_engine::tasks::chords::vocabulary::Chord;
use earshot_engine::tasks::key::vocabulary::MusicalKey;
use egui::{Align, Layout, RichText, Ui};
use nice_plug::prelude::ParamSetter;
use nice_plug_egui::widgets::ParamSlider;
use rtrb::Consumer;

/// Height of the controls row at the card's foot.
const CONTROLS_HEIGHT: f32 = 24.0;
/// Share of the card's width the chord takes (the key the rest).
const CHORD_SHARE: f32 = 0.6;

/// What the card remembers between frames: the latest key reading.
#[derive(Default)]
pub struct ChordCard {
    key: Option<KeyReading>,
}

impl ChordCard {
    /// Takes every key reading waiting in the feed; the newest is shown.
    pub fn receive_key(&mut self, feed: &mut Consumer<KeyReading>) {
        while let Ok(reading) = feed.pop() {
            self.key = Some(reading);
        }
    }

    /// Forgets the key (after the plug-in was reset).
    pub fn clear(&mut self) {
        self.key = None;
    }

    /// The key chords are spelled and coloured in: the running window's, while the key finder
    /// runs.
    pub fn key(&self, params: &EarshotParams) -> Option<MusicalKey> {
        self.key.filter(|_| params.key.enabled.value()).map(|reading| reading.windowed.key)
    }

    /// Draws the chord, the key and the controls into the rest of `ui`.
    pub fn show(
        &self,
        ui: &mut Ui,
        latest: Option<&ChordMark>,
        params: &EarshotParams,
        setter: Option<&ParamSetter>,
    ) {
        let width = ui.available_width();
        let body_height = ui.available_height() - CONTROLS_HEIGHT - ui.spacing().item_spacing.y;
        ui.allocate_ui_with_layout(
            egui::vec2(width, body_height),
            Layout::left_to_right(Align::Min),
            |ui| {
                let key = self.key(params);
                ui.allocate_ui(egui::vec2(width * CHORD_SHARE, body_height), |ui| {
                    ui.vertical(|ui| chord(ui, latest, key, params.chords.enabled.value()))
                });
                ui.vertical(|ui| self.key_readout(ui, params, setter));
            },
        );
        if let Some(setter) = setter {
            ui.allocate_ui(egui::vec2(width, CONTROLS_HEIGHT), |ui| controls(ui, params, setter));
        }
    }

    fn key_readout(&self, ui: &mut Ui, params: &EarshotParams, setter: Option<&ParamSetter>) {
        let enabled = params.key.enabled.value();
        match setter {
            Some(setter) => ui.horizontal(|ui| {
                checkbox(ui, &params.key.enabled, "Key", setter).on_hover_text(
                    "Run the key finder: the key, and chords spelled and coloured in it",
                );
                ui.add(ParamSlider::for_param(&params.key.window, setter).with_width(50.0))
                    .on_hover_text(
                        "Key window: the seconds the key listens back (shorter follows a \
                         modulation sooner, longer is steadier)",
                    );
            }),
            None => ui.horizontal(|ui| {
                ui.label(muted("Key"));
            }),
        };
        let Some(reading) = self.key.filter(|_| enabled) else {
            let text = if enabled { "listening…" } else { "key finder off" };
            ui.label(RichText::new(text).font(theme::font(size::KEY)).color(palette::TEXT_MUTED));
            return;
        };
        let windowed = reading.windowed;
        ui.label(
            RichText::new(names::key_name(windowed.key)).font(theme::font(size::KEY)).strong(),
        );
        ui.label(muted(&format!("{} confidence", percent(windowed.confidence))));
        let overall = reading.overall;
        ui.label(muted(&format!(
            "Whole track: {} ({})",
            names::key_name(overall.key),
            percent(overall.confidence)
        )))
        .on_hover_text("The key over everything heard since playback started");
    }
}

/// The current chord in large type, its numeral and function in the key, the runner-up.
fn chord(ui: &mut Ui, latest: Option<&ChordMark>, key: Option<MusicalKey>, enabled: bool) {
    let Some(mark) = latest.filter(|_| enabled) else {
        let text = if enabled { "–" } else { "chord recognition off" };
        let font = theme::font(if enabled { size::CHORD } else { size::KEY });
        ui.label(RichText::new(text).font(font).color(palette::TEXT_MUTED));
        return;
    };
    let colour = match mark.chord {
        Chord::NoChord => palette::TEXT_MUTED,
        chord => function_colour(chord, key),
    };
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(names::symbol(mark.chord, key))
                .font(theme::font(size::CHORD))
                .strong()
                .color(colour),
        );
        ui.add_space(space::S);
        ui.vertical(|ui| {
            ui.add_space(space::M);
            if let Some(key) = key {
                let numeral = names::numeral(mark.chord, key).unwrap_or_default();
                let function = names::function(mark.chord, key).map_or("", function_name);
                ui.label(RichText::new(format!("{numeral}  {function}")).color(colour));
            }
            ui.label(muted(&format!("{} confidence", percent(mark.confidence))));
            ui.label(muted(&format!(
                "Runner-up {} ({})",
                names::symbol(mark.runner_up, key),
                percent(mark.runner_up_confidence)
            )));
        });
    });
}

fn function_name(function: Function) -> &'static str {
    match function {
        Function::Tonic => "tonic",
        Function::Subdominant => "subdominant",
        Function::Dominant => "dominant",
        Function::Other => "outside the key",
    }
}

/// Whether chords run, and the MIDI chord out (on, octave, channel).
fn controls(ui: &mut Ui, params: &EarshotParams, setter: &ParamSetter) {
    let chords = &params.chords;
    ui.horizontal_centered(|ui| {
        checkbox(ui, &chords.enabled, "Chords", setter)
            .on_hover_text("Run the chord recogniser: this card, its lane and MIDI chords");
        checkbox(ui, &chords.midi_out, "MIDI chords", setter)
            .on_hover_text("Send the chord's tones as MIDI notes, held while the chord holds");
        ui.label(muted("Octave"));
        number(ui, &chords.midi_octave, setter, |name, _| name)
            .on_hover_text("The octave the chord tones are played in");
        ui.label(muted("Ch"));
        number(ui, &chords.midi_channel, setter, |_, value| value.to_string())
            .on_hover_text("The MIDI channel of the chord notes, 1–16");
    });
}

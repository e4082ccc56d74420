//! The row of onset controls under the lane: whether the detector runs, the MIDI note and
//! channel of its notes, and whether the latency is reported so that recorded notes line up
//! with the audio. The same parameters the host shows, for hosts that hide them behind the
//! editor.

use super::theme::{palette, space};
use crate::params::EarshotParams;
use egui::{Align, DragValue, Layout, RichText, Ui};
use nice_plug::prelude::{BoolParam, IntParam, Param, ParamSetter};

/// Drag speed of the number fields, in values per pixel.
const DRAG_SPEED: f64 = 0.15;

/// Draws the row into `ui`, left to right, with the alignment switch at the right end.
pub fn show(ui: &mut Ui, params: &EarshotParams, setter: &ParamSetter) {
    ui.horizontal_centered(|ui| {
        checkbox(ui, &params.onsets, "Onsets", setter)
            .on_hover_text("Run the onset detector: its lane, marks and MIDI notes");
        ui.add_space(space::M);
        ui.label(muted("MIDI note"));
        number(ui, &params.midi_note, setter, |name, value| format!("{name} · {value}"))
            .on_hover_text("The note sent for each onset: drag, or double-click and type");
        ui.label(muted("Channel"));
        number(ui, &params.midi_channel, setter, |_, value| value.to_string())
            .on_hover_text("The MIDI channel of the onset notes, 1–16");
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            checkbox(ui, &params.report_latency, "Align MIDI", setter).on_hover_text(
                "Report the analysis latency to the host and delay the audio by it, so that \
                 recorded onset notes line up with the audio",
            );
        });
    });
}

/// A checkbox that sets a host parameter, each click one gesture.
fn checkbox(ui: &mut Ui, param: &BoolParam, label: &str, setter: &ParamSetter) -> egui::Response {
    let mut value = param.value();
    let response = ui.checkbox(&mut value, label);
    if response.changed() {
        set_in_one_gesture(setter, param, value);
    }
    response
}

/// A number field for an integer parameter, labelled `label(parameter's text, value)`, typed
/// as a number or as the parameter's text (a note name for notes). A drag is one gesture, from
/// press to release, as the host expects for automation; a typed value is one too.
fn number(
    ui: &mut Ui,
    param: &IntParam,
    setter: &ParamSetter,
    label: impl Fn(String, i32) -> String,
) -> egui::Response {
    let (min, max) = (param.preview_plain(0.0), param.preview_plain(1.0));
    let text = |value: i32| param.normalized_value_to_string(param.preview_normalized(value), true);
    let mut value = param.value();
    let field = DragValue::new(&mut value)
        .range(min..=max)
        .speed(DRAG_SPEED)
        .custom_formatter(|v, _| label(text(v as i32), v as i32))
        .custom_parser(|typed| parse_typed(param, typed));
    let response = ui.add(field);
    if response.drag_started() {
        setter.begin_set_parameter(param);
    }
    if response.changed() {
        if response.dragged() {
            setter.set_parameter(param, value);
        } else {
            set_in_one_gesture(setter, param, value);
        }
    }
    if response.drag_stopped() {
        setter.end_set_parameter(param);
    }
    response
}

fn set_in_one_gesture<P: Param>(setter: &ParamSetter, param: &P, value: P::Plain) {
    setter.begin_set_parameter(param);
    setter.set_parameter(param, value);
    setter.end_set_parameter(param);
}

/// What a user typed into an integer field: a number, or the parameter's own text for a value.
fn parse_typed(param: &IntParam, typed: &str) -> Option<f64> {
    let typed = typed.trim();
    typed.parse::<f64>().ok().or_else(|| {
        let normalized = param.string_to_normalized_value(typed)?;
        Some(param.preview_plain(normalized) as f64)
    })
}

fn muted(text: &str) -> RichText {
    RichText::new(text).color(palette::TEXT_MUTED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_typed_as_a_number_or_a_name() {
        let params = EarshotParams::default();
        let note = &params.midi_note;
        assert_eq!(parse_typed(note, " 38 "), Some(38.0));
        assert_eq!(parse_typed(note, "C4"), Some(60.0));
        assert_eq!(parse_typed(note, "D#2"), Some(39.0));
        assert_eq!(parse_typed(note, "snare"), None);
        assert_eq!(parse_typed(&params.midi_channel, "10"), Some(10.0));
        assert_eq!(parse_typed(&params.midi_channel, "ten"), None);
    }
}

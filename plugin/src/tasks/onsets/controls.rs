//! The row of controls under the lanes: whether the onset detector runs, the MIDI note and
//! channel of its notes, the controls of the tasks whose lanes have no card (`more`), and
//! whether the latency is reported so that recorded notes line up with the audio. The same
//! parameters the host shows, for hosts that hide them behind the editor.

use crate::editor::param_widgets::{checkbox, muted, number};
use crate::editor::theme::space;
use crate::params::EarshotParams;
use egui::{Align, Layout, Ui};
use nice_plug::prelude::ParamSetter;

/// Draws the row into `ui`, left to right: the onset controls, then `more`, with the alignment
/// switch at the right end.
pub fn show(ui: &mut Ui, params: &EarshotParams, setter: &ParamSetter, more: impl FnOnce(&mut Ui)) {
    ui.horizontal_centered(|ui| {
        checkbox(ui, &params.onsets.enabled, "Onsets", setter)
            .on_hover_text("Run the onset detector: its lane, marks and MIDI notes");
        ui.add_space(space::M);
        ui.label(muted("MIDI note"));
        number(ui, &params.onsets.midi_note, setter, |name, value| format!("{name} · {value}"))
            .on_hover_text("The note sent for each onset: drag, or click and type");
        ui.label(muted("Channel"));
        number(ui, &params.onsets.midi_channel, setter, |_, value| value.to_string())
            .on_hover_text("The MIDI channel of the onset notes, 1–16");
        ui.add_space(space::L);
        more(ui);
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            checkbox(ui, &params.report_latency, "Align MIDI", setter).on_hover_text(
                "Report the analysis latency to the host and delay the audio by it, so that \
                 recorded onset notes line up with the audio",
            );
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::param_widgets::parse_typed;
    use crate::editor::recording_host::{gestures, RecordingHost};
    use egui_kittest::kittest::Queryable;
    use egui_kittest::Harness;
    use nice_plug::prelude::Param;

    #[test]
    fn clicks_drags_and_typed_values_reach_the_host_as_whole_gestures() {
        let params = EarshotParams::default();
        let host = RecordingHost::default();
        let setter = ParamSetter { raw_context: &host };
        let mut harness = Harness::new_ui(|ui| show(ui, &params, &setter, |_| {}));
        let onsets = params.onsets.enabled.name().to_owned();
        let align = params.report_latency.name().to_owned();
        let note = params.onsets.midi_note.name().to_owned();
        let channel = params.onsets.midi_channel.name().to_owned();

        harness.get_by_label("Onsets").click();
        harness.run();
        assert_eq!(gestures(&host.take_calls()), [(onsets, 1)]);
        assert!(!params.onsets.enabled.value());

        harness.get_by_label("Align MIDI").click();
        harness.run();
        assert_eq!(gestures(&host.take_calls()), [(align, 1)]);
        assert_eq!(params.report_latency.value(), !params.report_latency.default_plain_value());

        let start = harness.get_by_value("C4 · 60").rect().center();
        harness.drag_at(start);
        for step in 1..=8 {
            harness.hover_at(start + egui::vec2(4.0 * step as f32, 0.0));
            harness.run();
        }
        harness.drop_at(start + egui::vec2(32.0, 0.0));
        harness.run();
        let drag = gestures(&host.take_calls());
        assert_eq!(drag.len(), 1, "one gesture for the whole drag: {drag:?}");
        assert_eq!(drag[0].0, note);
        assert!(drag[0].1 >= 2, "the drag set the note as it went: {drag:?}");
        assert!(params.onsets.midi_note.value() > 60, "a drag right raises the note");

        harness.get_by_value(&params.onsets.midi_channel.value().to_string()).click();
        harness.run();
        let editing = harness
            .query_all_by_role(egui::accesskit::Role::SpinButton)
            .find(|field| field.is_focused())
            .expect("a click on the channel field opens it for typing");
        editing.type_text("10");
        harness.key_press(egui::Key::Enter);
        harness.run();
        assert_eq!(gestures(&host.take_calls()), [(channel, 1)]);
        assert_eq!(params.onsets.midi_channel.value(), 10);
    }

    #[test]
    fn a_note_is_typed_as_a_number_or_a_name() {
        let params = EarshotParams::default();
        let note = &params.onsets.midi_note;
        assert_eq!(parse_typed(note, " 38 "), Some(38.0));
        assert_eq!(parse_typed(note, "C4"), Some(60.0));
        assert_eq!(parse_typed(note, "D#2"), Some(39.0));
        assert_eq!(parse_typed(note, "snare"), None);
        assert_eq!(parse_typed(&params.onsets.midi_channel, "10"), Some(10.0));
        assert_eq!(parse_typed(&params.onsets.midi_channel, "ten"), None);
    }
}

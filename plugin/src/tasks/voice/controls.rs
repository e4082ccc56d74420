//! The voice task's controls in the row under the lanes: whether the singing detector runs, the
//! controller its probability goes out on, and the channel of its MIDI out.

use crate::editor::param_widgets::{checkbox, muted, number};
use crate::params::EarshotParams;
use egui::Ui;
use nice_plug::prelude::ParamSetter;

/// Draws the controls into `ui` (a row), left to right.
pub fn show(ui: &mut Ui, params: &EarshotParams, setter: &ParamSetter) {
    let voice = &params.voice;
    checkbox(ui, &voice.enabled, "Voice", setter)
        .on_hover_text("Run the singing detector: its lane, the VOICE light, its note and CC");
    ui.label(muted("CC"));
    number(ui, &voice.controller, setter, |_, value| value.to_string())
        .on_hover_text("The controller the singing probability goes out on, 0–127");
    ui.label(muted("Ch"));
    number(ui, &voice.midi_channel, setter, |_, value| value.to_string())
        .on_hover_text("The MIDI channel of the voice note and CC, 1–16");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::recording_host::{gestures, RecordingHost};
    use egui_kittest::kittest::Queryable;
    use egui_kittest::Harness;
    use nice_plug::prelude::Param;

    #[test]
    fn the_switch_and_the_controller_reach_the_host_as_whole_gestures() {
        let params = EarshotParams::default();
        let host = RecordingHost::default();
        let setter = ParamSetter { raw_context: &host };
        let mut harness = Harness::new_ui(|ui| {
            ui.horizontal(|ui| show(ui, &params, &setter));
        });
        harness.get_by_label("Voice").click();
        harness.run();
        assert_eq!(gestures(&host.take_calls()), [(params.voice.enabled.name().to_owned(), 1)]);
        assert!(!params.voice.enabled.value());

        harness.get_by_value("20").click();
        harness.run();
        let editing = harness
            .query_all_by_role(egui::accesskit::Role::SpinButton)
            .find(|field| field.is_focused())
            .expect("a click on the controller opens it for typing");
        editing.type_text("74");
        harness.key_press(egui::Key::Enter);
        harness.run();
        assert_eq!(gestures(&host.take_calls()), [(params.voice.controller.name().to_owned(), 1)]);
        assert_eq!(params.voice.controller(), 74);
    }
}

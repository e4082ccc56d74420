//! Host parameters as egui widgets: a checkbox and a number field that set them in whole
//! gestures, as hosts expect for automation.

use super::theme::palette;
use egui::{DragValue, RichText, Ui};
use nice_plug::prelude::{BoolParam, IntParam, Param, ParamSetter};

/// Drag speed of the number fields, in values per pixel.
const DRAG_SPEED: f64 = 0.15;

/// A checkbox that sets a host parameter, each click one gesture.
pub fn checkbox(
    ui: &mut Ui,
    param: &BoolParam,
    label: &str,
    setter: &ParamSetter,
) -> egui::Response {
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
pub fn number(
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

/// Sets a parameter as one gesture (begin, set, end).
pub fn set_in_one_gesture<P: Param>(setter: &ParamSetter, param: &P, value: P::Plain) {
    setter.begin_set_parameter(param);
    setter.set_parameter(param, value);
    setter.end_set_parameter(param);
}

/// What a user typed into an integer field: a number, or the parameter's own text for a value.
pub fn parse_typed(param: &IntParam, typed: &str) -> Option<f64> {
    let typed = typed.trim();
    typed.parse::<f64>().ok().or_else(|| {
        let normalized = param.string_to_normalized_value(typed)?;
        Some(param.preview_plain(normalized) as f64)
    })
}

/// Secondary text: labels before controls.
pub fn muted(text: &str) -> RichText {
    RichText::new(text).color(palette::TEXT_MUTED)
}

/// A share (0–1) as a whole percentage: `83 %`.
pub fn percent(value: f32) -> String {
    format!("{:.0} %", 100.0 * value.clamp(0.0, 1.0))
}

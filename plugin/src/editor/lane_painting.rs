//! What the lanes under the spectrogram draw alike: a per-column value as a curve on the
//! spectrogram's time axis, and the lane's name on a patch of its own colour.

use super::spectrogram_view::{column_x, HISTORY};
use super::theme::{self, palette, size};
use egui::{CornerRadius, Painter, Pos2, Rect, Shape, Stroke};

/// Draws `values` (0–1, a ring indexed by column number; NaN where none arrived) as a curve in
/// `rect`, column `newest` at the right edge; gaps break the curve.
pub fn curve(painter: &Painter, rect: Rect, newest: u64, values: &[f32], stroke: Stroke) {
    let y_of = |v: f32| rect.bottom() - v.clamp(0.0, 1.0) * rect.height();
    let mut points: Vec<Pos2> = Vec::with_capacity(HISTORY);
    let flush = |points: &mut Vec<Pos2>| {
        if points.len() > 1 {
            painter.add(Shape::line(std::mem::take(points), stroke));
        }
        points.clear();
    };
    for age in (0..HISTORY as u64).rev() {
        let Some(index) = newest.checked_sub(age) else { continue };
        let value = values[index as usize % values.len()];
        match column_x(rect, newest, index) {
            Some(x) if value.is_finite() => points.push(Pos2::new(x, y_of(value))),
            _ => flush(&mut points),
        }
    }
    flush(&mut points);
}

/// The lane's name at its top left, on a patch of the lane's own colour, so a curve passing
/// under it cannot hide it.
pub fn name(painter: &Painter, rect: Rect, text: &str) {
    let name =
        painter.layout_no_wrap(text.to_owned(), theme::font(size::SMALL), palette::TEXT_MUTED);
    let at = rect.left_top() + egui::vec2(4.0, 2.0);
    let patch = Rect::from_min_size(at, name.size()).expand(2.0);
    painter.rect_filled(patch, CornerRadius::same(2), palette::WELL.gamma_multiply(0.85));
    painter.galley(at, name, palette::TEXT_MUTED);
}

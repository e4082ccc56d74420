//! The beat lane under the chord lane: a tick at each beat on the spectrogram's time axis with
//! its count in the bar beside it (1 2 3 4), the downbeats taller and in their own colour, so
//! the bar grid lines up with the onsets and chords above it.

use super::BeatMark;
use crate::editor::spectrogram_view::column_x;
use crate::editor::theme::{self, palette, size};
use crate::feed::Recent;
use egui::{Align2, CornerRadius, Rect, Stroke, Ui};

/// Beats remembered: more than the spectrogram's history holds at the fastest tempo.
const MARKS: usize = 64;

/// The recent beats, oldest first.
pub struct BeatLaneView {
    /// The recent marks, oldest first.
    pub marks: Recent<BeatMark>,
}

impl Default for BeatLaneView {
    fn default() -> Self {
        BeatLaneView { marks: Recent::new(MARKS) }
    }
}

impl BeatLaneView {
    /// Draws the lane into `rect`, aligned with a spectrogram whose newest column is `newest`.
    pub fn show(&self, ui: &Ui, rect: Rect, newest: u64, enabled: bool) {
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, CornerRadius::same(theme::RADIUS / 2), palette::WELL);
        if !enabled {
            let off = "beat tracking off";
            let (font, colour) = (theme::font(size::SMALL), palette::TEXT_MUTED);
            painter.text(rect.center(), Align2::CENTER_CENTER, off, font, colour);
            return;
        }
        for mark in self.marks.iter() {
            let Some(x) = column_x(rect, newest, mark.index) else { continue };
            let downbeat = mark.bar_position == 1;
            let (colour, inset) =
                if downbeat { (palette::DOWNBEAT, 2.0) } else { (palette::BEAT, 8.0) };
            let faded = colour.gamma_multiply(0.4 + 0.6 * mark.confidence.clamp(0.0, 1.0));
            let stroke = Stroke::new(if downbeat { 2.0 } else { 1.5 }, faded);
            painter.vline(x, rect.y_range().shrink(inset), stroke);
            // The count a musician would say: 1 on the downbeat, then 2, 3, 4.
            let at = egui::pos2(x + 4.0, rect.center().y);
            let font = theme::font(if downbeat { size::BODY } else { size::SMALL });
            painter.text(at, Align2::LEFT_CENTER, mark.bar_position, font, faded);
        }
    }
}

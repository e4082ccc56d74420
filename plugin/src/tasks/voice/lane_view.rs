//! The voice lane under the beat lane: the stretches of singing shaded, the singing probability
//! as a curve over them with the threshold that starts singing, and the VOICE indicator at the
//! lane's left end, lit while someone sings. All on the spectrogram's time axis.

use super::VoiceMark;
use crate::editor::lane_painting;
use crate::editor::spectrogram_view::{column_x, HISTORY};
use crate::editor::theme::{self, palette, size};
use egui::{Align2, CornerRadius, Rect, Stroke, Ui};
use rtrb::Consumer;

/// Starts and stops of singing remembered: more than six seconds can hold.
const CHANGES: usize = 64;

/// The lane's history, indexed like the spectrogram's columns.
pub struct VoiceLaneView {
    /// Singing probability per column, in a ring by column number; NaN where none arrived.
    probabilities: Vec<f32>,
    /// Recent changes as (column, singing), oldest first.
    changes: std::collections::VecDeque<(u64, bool)>,
}

impl Default for VoiceLaneView {
    fn default() -> Self {
        Self {
            probabilities: vec![f32::NAN; HISTORY],
            changes: std::collections::VecDeque::with_capacity(CHANGES),
        }
    }
}

impl VoiceLaneView {
    /// Takes every mark waiting in the feed.
    pub fn receive(&mut self, feed: &mut Consumer<VoiceMark>) {
        while let Ok(mark) = feed.pop() {
            match mark {
                VoiceMark::Probability { index, value } => {
                    self.probabilities[index as usize % HISTORY] = value;
                }
                VoiceMark::Change { index, singing, .. } => {
                    if self.changes.len() == CHANGES {
                        self.changes.pop_front();
                    }
                    self.changes.push_back((index, singing));
                }
            }
        }
    }

    /// Forgets the history (after the plug-in was reset).
    pub fn clear(&mut self) {
        self.probabilities.fill(f32::NAN);
        self.changes.clear();
    }

    /// Whether someone sings as of the last change.
    pub fn singing(&self) -> bool {
        self.changes.back().is_some_and(|&(_, singing)| singing)
    }

    /// The stretches of singing as column ranges, the last open to `newest`.
    fn sung_stretches(&self, newest: u64) -> Vec<(u64, u64)> {
        let mut stretches = Vec::new();
        // Before the first remembered change, the state it changed from.
        let mut start = match self.changes.front() {
            Some(&(_, false)) => Some(0),
            _ => None,
        };
        for &(index, singing) in &self.changes {
            match (singing, start) {
                (true, None) => start = Some(index),
                (false, Some(from)) => {
                    stretches.push((from, index));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(from) = start {
            stretches.push((from, newest));
        }
        stretches
    }

    /// Draws the lane into `rect`, aligned with a spectrogram whose newest column is `newest`;
    /// `threshold` is the probability that starts singing.
    pub fn show(&self, ui: &Ui, rect: Rect, newest: u64, threshold: f32, enabled: bool) {
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, CornerRadius::same(theme::RADIUS / 2), palette::WELL);
        if !enabled {
            let (font, colour) = (theme::font(size::SMALL), palette::TEXT_MUTED);
            painter.text(rect.center(), Align2::CENTER_CENTER, "voice detection off", font, colour);
            return;
        }
        let oldest = newest.saturating_sub(HISTORY as u64 - 1);
        for (from, to) in self.sung_stretches(newest) {
            let (from, to) = (from.max(oldest), to.min(newest));
            if let (Some(left), Some(right)) =
                (column_x(rect, newest, from), column_x(rect, newest, to))
            {
                let stretch = Rect::from_x_y_ranges(left..=right, rect.y_range());
                painter.rect_filled(stretch, CornerRadius::ZERO, palette::ACCENT_DIM);
            }
        }
        let y = rect.bottom() - threshold.clamp(0.0, 1.0) * rect.height();
        painter.hline(rect.x_range(), y, Stroke::new(1.0, palette::BORDER));
        lane_painting::curve(
            &painter,
            rect,
            newest,
            &self.probabilities,
            Stroke::new(1.5, palette::TEXT),
        );
        self.indicator(ui, rect);
    }

    /// The VOICE indicator: lit in the accent colour while someone sings.
    fn indicator(&self, ui: &Ui, rect: Rect) {
        let painter = ui.painter_at(rect);
        let font = theme::font(size::SMALL);
        let (text, fill) = if self.singing() {
            (palette::BACKGROUND, palette::ACCENT)
        } else {
            (palette::TEXT_MUTED, palette::WELL.gamma_multiply(0.85))
        };
        let label = painter.layout_no_wrap("VOICE".to_owned(), font, text);
        let at = rect.left_top() + egui::vec2(4.0, (rect.height() - label.size().y) / 2.0);
        let patch = Rect::from_min_size(at, label.size()).expand2(egui::vec2(4.0, 1.0));
        painter.rect_filled(patch, CornerRadius::same(3), fill);
        painter.galley(at, label, text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(marks: &[VoiceMark]) -> VoiceLaneView {
        let (mut producer, mut consumer) = rtrb::RingBuffer::new(1024);
        marks.iter().for_each(|m| producer.push(*m).unwrap());
        let mut view = VoiceLaneView::default();
        view.receive(&mut consumer);
        view
    }

    fn change(index: u64, singing: bool) -> VoiceMark {
        VoiceMark::Change { index, singing, confidence: 0.9 }
    }

    #[test]
    fn singing_is_shaded_from_each_start_to_its_stop_and_the_last_stays_open() {
        let view = view(&[
            VoiceMark::Probability { index: 7, value: 0.75 },
            change(10, true),
            change(40, false),
            change(70, true),
        ]);
        assert_eq!(view.probabilities[7], 0.75);
        assert!(view.probabilities[8].is_nan());
        assert_eq!(view.sung_stretches(100), [(10, 40), (70, 100)]);
        assert!(view.singing());
        // A stop whose start was forgotten began before everything remembered.
        assert_eq!(self::view(&[change(50, false)]).sung_stretches(80), [(0, 50)]);
        assert!(!self::view(&[]).singing());
    }

    #[test]
    fn only_the_latest_changes_are_kept_and_clear_forgets_all() {
        let marks: Vec<VoiceMark> =
            (0..CHANGES as u64 + 6).map(|k| change(k, k % 2 == 0)).collect();
        let mut view = view(&marks);
        assert_eq!(view.changes.len(), CHANGES);
        assert_eq!(view.changes.front(), Some(&(6, true)));
        view.clear();
        assert!(view.changes.is_empty() && view.probabilities.iter().all(|p| p.is_nan()));
    }
}

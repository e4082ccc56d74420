//! The beat lane under the chord lane: a tick at each beat on the spectrogram's time axis with
//! its count in the bar beside it (1 2 3 4), the downbeats taller and in their own colour, so
//! the bar grid lines up with the onsets and chords above it.

use super::BeatMark;
use crate::editor::spectrogram_view::column_x;
use crate::editor::theme::{self, palette, size};
use egui::{Align2, CornerRadius, Rect, Stroke, Ui};
use rtrb::Consumer;
use std::collections::VecDeque;

/// Beats remembered: more than the spectrogram's history holds at the fastest tempo.
const MARKS: usize = 64;

/// The recent beats, oldest first.
#[derive(Default)]
pub struct BeatLaneView {
    marks: VecDeque<BeatMark>,
}

impl BeatLaneView {
    /// Takes every beat waiting in the feed.
    pub fn receive(&mut self, feed: &mut Consumer<BeatMark>) {
        while let Ok(mark) = feed.pop() {
            if self.marks.len() == MARKS {
                self.marks.pop_front();
            }
            self.marks.push_back(mark);
        }
    }

    /// Forgets the history (after the plug-in was reset).
    pub fn clear(&mut self) {
        self.marks.clear();
    }

    /// The latest beat.
    pub fn latest(&self) -> Option<&BeatMark> {
        self.marks.back()
    }

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
        for mark in &self.marks {
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

#[cfg(test)]
mod tests {
    use super::*;
    use earshot_engine::tasks::beats::tempo::TempoEstimate;

    fn mark(index: u64, bar_position: u8) -> BeatMark {
        let tempo = TempoEstimate { bpm: 120.0, confidence: 0.8 };
        BeatMark { index, bar_position, beats_per_bar: 4, confidence: 0.9, tempo }
    }

    #[test]
    fn the_lane_keeps_the_latest_beats_and_forgets_them_on_reset() {
        let (mut producer, mut consumer) = rtrb::RingBuffer::new(256);
        for k in 0..100u64 {
            producer.push(mark(20 * k, (k % 4) as u8 + 1)).unwrap();
        }
        let mut view = BeatLaneView::default();
        view.receive(&mut consumer);
        assert_eq!(view.marks.len(), MARKS);
        assert_eq!(view.latest(), Some(&mark(20 * 99, 4)));
        view.clear();
        assert_eq!(view.latest(), None);
    }
}

//! The onset lane under the spectrogram: the detector's activation as a curve with the
//! threshold the sensitivity sets, each onset as a tick whose height is its strength, and the
//! same onsets as lines over the spectrogram. Both share the spectrogram's time axis.

use super::lane::LaneEvent;
use crate::editor::lane_painting;
use crate::editor::spectrogram_view::{column_x, HISTORY};
use crate::editor::theme::{self, palette, size};
use egui::{Align2, CornerRadius, Rect, Stroke, Ui};
use rtrb::Consumer;

/// Onsets remembered for drawing (more than six seconds' worth at the minimum interval).
const ONSETS: usize = 256;

/// The lane's history, indexed like the spectrogram's columns.
pub struct OnsetLaneView {
    /// Activation per column, in a ring by column number; NaN where none arrived.
    activations: Vec<f32>,
    /// Column numbers and strengths of recent onsets, in a ring.
    onsets: Vec<(u64, f32)>,
    next_onset: usize,
}

impl Default for OnsetLaneView {
    fn default() -> Self {
        Self {
            activations: vec![f32::NAN; HISTORY],
            onsets: Vec::with_capacity(ONSETS),
            next_onset: 0,
        }
    }
}

impl OnsetLaneView {
    /// Takes every event waiting in the queue.
    pub fn receive(&mut self, events: &mut Consumer<LaneEvent>) {
        while let Ok(event) = events.pop() {
            match event {
                LaneEvent::Activation { index, value } => {
                    self.activations[index as usize % HISTORY] = value;
                }
                LaneEvent::Onset { index, strength } => {
                    if self.onsets.len() < ONSETS {
                        self.onsets.push((index, strength));
                    } else {
                        self.onsets[self.next_onset] = (index, strength);
                    }
                    self.next_onset = (self.next_onset + 1) % ONSETS;
                }
            }
        }
    }

    /// Forgets the history (after the plug-in was reset).
    pub fn clear(&mut self) {
        self.activations.fill(f32::NAN);
        self.onsets.clear();
        self.next_onset = 0;
    }

    /// Draws onset lines over the spectrogram's plot rectangle.
    pub fn mark_spectrogram(&self, ui: &Ui, plot: Rect, newest: u64) {
        let painter = ui.painter_at(plot);
        for &(index, strength) in &self.onsets {
            if let Some(x) = column_x(plot, newest, index) {
                let alpha = 0.3 + 0.7 * strength.clamp(0.0, 1.0);
                let colour = palette::ONSET.gamma_multiply(alpha);
                painter.vline(x, plot.y_range(), Stroke::new(1.5, colour));
            }
        }
    }

    /// Draws the lane (activation curve, threshold, onset ticks) into `rect`, aligned with a
    /// spectrogram whose newest column is `newest`.
    pub fn show(&self, ui: &Ui, rect: Rect, newest: u64, threshold: f32, enabled: bool) {
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, CornerRadius::same(theme::RADIUS / 2), palette::WELL);
        let y_of = |v: f32| rect.bottom() - v.clamp(0.0, 1.0) * rect.height();
        if !enabled {
            painter.text(
                rect.center(),
                Align2::CENTER_CENTER,
                "onset detection off",
                theme::font(size::SMALL),
                palette::TEXT_MUTED,
            );
            return;
        }
        painter.hline(rect.x_range(), y_of(threshold), Stroke::new(1.0, palette::BORDER));
        lane_painting::curve(
            &painter,
            rect,
            newest,
            &self.activations,
            Stroke::new(1.5, palette::TEXT),
        );
        for &(index, strength) in &self.onsets {
            if let Some(x) = column_x(rect, newest, index) {
                painter.vline(x, y_of(strength)..=rect.bottom(), Stroke::new(2.0, palette::ONSET));
            }
        }
        lane_painting::name(&painter, rect, "onsets");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_land_in_their_columns_and_old_onsets_are_overwritten() {
        let (mut producer, mut consumer) = rtrb::RingBuffer::new(1024);
        let mut view = OnsetLaneView::default();
        producer.push(LaneEvent::Activation { index: 5, value: 0.25 }).unwrap();
        for k in 0..ONSETS as u64 + 3 {
            producer.push(LaneEvent::Onset { index: 10 + k, strength: 0.5 }).unwrap();
        }
        view.receive(&mut consumer);
        assert_eq!(view.activations[5], 0.25);
        assert!(view.activations[6].is_nan());
        assert_eq!(view.onsets.len(), ONSETS);
        assert_eq!(view.onsets[0].0, 10 + ONSETS as u64);
        let rect = Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(600.0, 50.0));
        assert_eq!(column_x(rect, 1000, 1000), Some(600.0));
        assert_eq!(column_x(rect, 1000, 1001), None);
        assert_eq!(column_x(rect, 1000, 1000 - HISTORY as u64), None);
    }
}

//! The chord lane under the onset lane: each chord a block from its change to the next, on the
//! spectrogram's time axis, coloured by its function in the detected key and named as a lead
//! sheet would name it.

use super::names::{self, Function};
use super::ChordMark;
use crate::editor::spectrogram_view::{column_x, HISTORY};
use crate::editor::theme::{self, palette, size};
use crate::feed::Recent;
use earshot_engine::tasks::chords::vocabulary::Chord;
use earshot_engine::tasks::key::vocabulary::MusicalKey;
use egui::{Align2, Color32, CornerRadius, Rect, Ui};

/// Chord changes remembered (more than the spectrogram's history holds at any tempo).
const MARKS: usize = 64;

/// The recent chord changes, oldest first.
pub struct ChordLaneView {
    /// The recent marks, oldest first.
    pub marks: Recent<ChordMark>,
}

impl Default for ChordLaneView {
    fn default() -> Self {
        ChordLaneView { marks: Recent::new(MARKS) }
    }
}

/// A chord's colour in `key`: its function's, or the neutral one with no key.
pub fn function_colour(chord: Chord, key: Option<MusicalKey>) -> Color32 {
    match key.and_then(|key| names::function(chord, key)) {
        Some(Function::Tonic) => palette::TONIC,
        Some(Function::Subdominant) => palette::SUBDOMINANT,
        Some(Function::Dominant) => palette::DOMINANT,
        Some(Function::Other) | None => palette::OTHER_FUNCTION,
    }
}

impl ChordLaneView {
    /// Draws the lane into `rect`, aligned with a spectrogram whose newest column is `newest`.
    pub fn show(&self, ui: &Ui, rect: Rect, newest: u64, key: Option<MusicalKey>, enabled: bool) {
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, CornerRadius::same(theme::RADIUS / 2), palette::WELL);
        if !enabled {
            let off = "chord recognition off";
            let (font, colour) = (theme::font(size::SMALL), palette::TEXT_MUTED);
            painter.text(rect.center(), Align2::CENTER_CENTER, off, font, colour);
            return;
        }
        let oldest = newest.saturating_sub(HISTORY as u64 - 1);
        let ends = self.marks.iter().skip(1).map(|mark| mark.index).chain([newest]);
        for (mark, end) in self.marks.iter().zip(ends) {
            if mark.chord == Chord::NoChord || end <= mark.index {
                continue;
            }
            let Some(right) = column_x(rect, newest, end.max(oldest)) else { continue };
            let left = column_x(rect, newest, mark.index.max(oldest)).unwrap_or(rect.left());
            let block = Rect::from_x_y_ranges(left + 1.0..=right - 1.0, rect.y_range())
                .shrink2(egui::vec2(0.0, 3.0));
            let colour = function_colour(mark.chord, key);
            let fill = colour.gamma_multiply(0.25 + 0.45 * mark.confidence.clamp(0.0, 1.0));
            painter.rect_filled(block, CornerRadius::same(3), fill);
            painter.rect_filled(
                block.with_max_x(block.left() + 3.0),
                CornerRadius::same(2),
                colour,
            );
            let name = names::symbol(mark.chord, key);
            let galley = painter.layout_no_wrap(name, theme::font(size::BODY), palette::TEXT);
            if galley.size().x + 10.0 < block.width() {
                let at = egui::pos2(block.left() + 7.0, block.center().y - galley.size().y / 2.0);
                painter.galley(at, galley, palette::TEXT);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chords_are_coloured_by_their_function_in_the_key() {
        let c = Some(MusicalKey { tonic: 0, minor: false });
        assert_eq!(function_colour(Chord::Major(7), c), palette::DOMINANT);
        assert_eq!(function_colour(Chord::Minor(9), c), palette::TONIC);
        assert_eq!(function_colour(Chord::Major(7), None), palette::OTHER_FUNCTION);
    }
}

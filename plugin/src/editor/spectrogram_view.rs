//! The scrolling log-mel spectrogram: the newest column on the right, a note-name axis on the
//! left, a Hz axis on the right and seconds below.

use super::colormap::inferno;
use super::theme::{self, palette, size, space};
use crate::spectrogram::{
    Column, BANDS, CEILING_DB, COLUMNS_PER_SECOND, FLOOR_DB, FMAX_HZ, FMIN_HZ,
};
use earshot_dsp::filterbank::hz_to_mel;
use earshot_dsp::MelScale;
use egui::{
    Align2, Color32, ColorImage, CornerRadius, Rect, Sense, Stroke, TextureHandle, TextureOptions,
    Ui, Vec2,
};
use rtrb::Consumer;

/// Seconds of history on screen.
pub const HISTORY_SECONDS: f32 = 6.0;
pub const HISTORY: usize = (HISTORY_SECONDS * COLUMNS_PER_SECOND) as usize;

/// x of column `index` in `rect` when column `newest` is at the right edge, as the spectrogram
/// draws it; `None` if off screen.
pub fn column_x(rect: egui::Rect, newest: u64, index: u64) -> Option<f32> {
    let age = newest.checked_sub(index)? as f32;
    (age < HISTORY as f32).then(|| rect.right() - age / HISTORY as f32 * rect.width())
}
const AXIS_WIDTH: f32 = 34.0;
const TIME_AXIS_HEIGHT: f32 = 14.0;
/// The smallest vertical distance between two axis labels.
const MIN_LABEL_GAP: f32 = 14.0;

/// The notes labelled on the pitch axis.
const NOTE_LABELS: [(&str, f32); 8] = [
    ("C2", 65.41),
    ("C3", 130.81),
    ("C4", 261.63),
    ("C5", 523.25),
    ("C6", 1046.5),
    ("C7", 2093.0),
    ("C8", 4186.0),
    ("C9", 8372.0),
];
const HZ_LABELS: [(&str, f32); 6] = [
    ("50", 50.0),
    ("100", 100.0),
    ("500", 500.0),
    ("1k", 1000.0),
    ("5k", 5000.0),
    ("10k", 10_000.0),
];

/// The colours of the map, precomputed: a level's colour is a table lookup.
const COLOURS: usize = 256;

/// The history as an image whose columns form a ring (the next column overwrites the oldest),
/// and the texture that shows it. Each new column costs one column of pixels; drawing unrolls
/// the ring with two rectangles.
pub struct SpectrogramView {
    image: ColorImage,
    /// The ring position the next column is written to (the oldest column).
    next: usize,
    changed: bool,
    texture: Option<TextureHandle>,
    colours: Vec<Color32>,
    /// The number of the newest column (see [`Column::index`]).
    newest: u64,
}

impl Default for SpectrogramView {
    fn default() -> Self {
        let colours: Vec<Color32> =
            (0..COLOURS).map(|i| inferno(i as f32 / (COLOURS - 1) as f32)).collect();
        Self {
            image: ColorImage::filled([HISTORY, BANDS], colours[0]),
            next: 0,
            changed: true,
            texture: None,
            colours,
            newest: 0,
        }
    }
}

/// Where a frequency sits on the display, from 0 (bottom band centre) to 1 (top).
fn height_of(hz: f32) -> f32 {
    let mel = |f: f32| hz_to_mel(f as f64, MelScale::Slaney) as f32;
    // Band centres are evenly spaced in mel between the edges of the filterbank.
    let step = (mel(FMAX_HZ) - mel(FMIN_HZ)) / (BANDS + 1) as f32;
    let (bottom, top) = (mel(FMIN_HZ) + step, mel(FMAX_HZ) - step);
    (mel(hz) - bottom) / (top - bottom)
}

/// How the ring unrolls on screen when the oldest column is at `next`: the share of the width
/// the older part takes, and the texture's x ranges for the older and the newer part.
fn unrolled(next: usize) -> (f32, [f32; 2], [f32; 2]) {
    let split = next as f32 / HISTORY as f32;
    (1.0 - split, [split, 1.0], [0.0, split])
}

impl SpectrogramView {
    /// Takes every column waiting in the queue.
    pub fn receive(&mut self, columns: &mut Consumer<Column>) {
        while let Ok(column) = columns.pop() {
            self.newest = column.index;
            for (band, &db) in column.bands.iter().enumerate() {
                let level = (db - FLOOR_DB) / (CEILING_DB - FLOOR_DB);
                let index = (level.clamp(0.0, 1.0) * (COLOURS - 1) as f32).round() as usize;
                let y = BANDS - 1 - band;
                self.image.pixels[y * HISTORY + self.next] = self.colours[index.min(COLOURS - 1)];
            }
            self.next = (self.next + 1) % HISTORY;
            self.changed = true;
        }
    }

    /// The number of the newest column shown (at the right edge).
    pub fn newest(&self) -> u64 {
        self.newest
    }

    /// Draws the spectrogram and its axes into all the space `ui` offers; returns the plot's
    /// rectangle (without the axes).
    pub fn show(&mut self, ui: &mut Ui) -> Rect {
        let (area, _) = ui.allocate_exact_size(ui.available_size(), Sense::hover());
        let plot = Rect::from_min_max(
            area.min + Vec2::new(AXIS_WIDTH, 0.0),
            area.max - Vec2::new(AXIS_WIDTH, TIME_AXIS_HEIGHT),
        );
        let texture = match &mut self.texture {
            Some(texture) => {
                if self.changed {
                    texture.set(self.image.clone(), TextureOptions::LINEAR);
                }
                texture
            }
            None => self.texture.insert(ui.ctx().load_texture(
                "spectrogram",
                self.image.clone(),
                TextureOptions::LINEAR,
            )),
        };
        self.changed = false;
        let painter = ui.painter();
        painter.rect_filled(plot, CornerRadius::same(theme::RADIUS / 2), palette::WELL);
        let (older_share, older_uv, newer_uv) = unrolled(self.next);
        let split_x = plot.left() + older_share * plot.width();
        for (x_range, [u0, u1]) in
            [(plot.left()..=split_x, older_uv), (split_x..=plot.right(), newer_uv)]
        {
            let rect = Rect::from_x_y_ranges(x_range, plot.y_range());
            let uv = Rect::from_min_max(egui::pos2(u0, 0.0), egui::pos2(u1, 1.0));
            painter.image(texture.id(), rect, uv, Color32::WHITE);
        }
        let y_of = |hz: f32| plot.bottom() - height_of(hz) * plot.height();
        let label = |pos, align, text: &str| {
            painter.text(pos, align, text, theme::font(size::SMALL), palette::TEXT_MUTED);
        };
        // Labels from the bottom up, skipping any that would touch the one below.
        let axis = |labels: &[(&str, f32)], x_tick: f32, x_text: f32, align: Align2| {
            let mut last_y = f32::INFINITY;
            for &(name, hz) in labels {
                let y = y_of(hz);
                if (plot.top()..=plot.bottom()).contains(&y) && last_y - y >= MIN_LABEL_GAP {
                    painter.hline(
                        x_tick..=x_tick + space::XS,
                        y,
                        Stroke::new(1.0, palette::BORDER),
                    );
                    label(egui::pos2(x_text, y), align, name);
                    last_y = y;
                }
            }
        };
        axis(&NOTE_LABELS, plot.left() - space::XS, plot.left() - space::S, Align2::RIGHT_CENTER);
        axis(&HZ_LABELS, plot.right(), plot.right() + space::S, Align2::LEFT_CENTER);
        let seconds = HISTORY_SECONDS as i32;
        for s in 0..=seconds {
            let x = plot.right() - s as f32 / HISTORY_SECONDS * plot.width();
            let text = if s == 0 { "now".to_owned() } else { format!("−{s} s") };
            let align = if s == seconds {
                Align2::LEFT_TOP
            } else if s == 0 {
                Align2::RIGHT_TOP
            } else {
                Align2::CENTER_TOP
            };
            label(egui::pos2(x, plot.bottom() + 2.0), align, &text);
        }
        plot
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_positions_follow_the_mel_bands() {
        assert!(height_of(FMIN_HZ) < 0.0 && height_of(FMAX_HZ) > 1.0);
        assert!(height_of(261.63) > height_of(130.81));
        // Above 1 kHz the Slaney scale is logarithmic: octaves are equally tall.
        let octave = |hz: f32| height_of(2.0 * hz) - height_of(hz);
        assert!((octave(2000.0) - octave(4000.0)).abs() < 1e-4);
    }

    #[test]
    fn received_columns_enter_the_ring_and_unroll_at_the_right_edge() {
        let (mut producer, mut consumer) = rtrb::RingBuffer::new(8);
        let mut view = SpectrogramView::default();
        for (index, db) in [CEILING_DB, FLOOR_DB, CEILING_DB].into_iter().enumerate() {
            producer.push(Column { index: 40 + index as u64, bands: [db; BANDS] }).unwrap();
        }
        view.receive(&mut consumer);
        assert_eq!((view.next, view.newest()), (3, 42));
        let top_row = &view.image.pixels[..HISTORY];
        assert_eq!(top_row[..4], [inferno(1.0), inferno(0.0), inferno(1.0), inferno(0.0)]);
        // The oldest column (ring position 3) is drawn first, the newest (2) at the right edge.
        let (older_share, older_uv, newer_uv) = unrolled(view.next);
        assert_eq!(older_uv, [3.0 / HISTORY as f32, 1.0]);
        assert_eq!(newer_uv, [0.0, 3.0 / HISTORY as f32]);
        assert!((older_share - (1.0 - 3.0 / HISTORY as f32)).abs() < 1e-6);
    }
}

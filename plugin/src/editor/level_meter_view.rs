//! Horizontal peak/RMS bars with a hold marker, a dBFS scale and numeric read-outs.

use super::theme::{self, palette, size, space};
use crate::meter::{to_dbfs, ChannelLevels};
use egui::{Align2, Color32, CornerRadius, Rect, Sense, Stroke, Ui, Vec2};

/// The lowest level the bars show.
const FLOOR_DB: f32 = -60.0;
/// Levels from here up are drawn in the warning colour.
const HOT_DB: f32 = -6.0;
/// Levels from here up are drawn in the danger colour.
const CLIP_DB: f32 = -0.1;
/// The scale's labelled ticks.
const TICKS_DB: [f32; 9] = [-60.0, -48.0, -36.0, -24.0, -18.0, -12.0, -6.0, -3.0, 0.0];
/// Width of the label column left of the bars ("L", "R").
const LABEL_WIDTH: f32 = 18.0;
/// Width of the read-out column right of the bars.
const READOUT_WIDTH: f32 = 190.0;
/// Bars grow with the window between these heights.
const BAR_HEIGHT: std::ops::RangeInclusive<f32> = 22.0..=64.0;
/// Height of the dB scale under the bars.
const SCALE_HEIGHT: f32 = 14.0;

/// Shows one bar per channel, as tall as the space allows. `labels` names the channels ("L",
/// "R" or "M").
pub fn show(ui: &mut Ui, levels: &[ChannelLevels], labels: &[&str]) {
    let width = ui.available_width();
    let bar_width = (width - LABEL_WIDTH - READOUT_WIDTH - 2.0 * space::S).max(40.0);
    let rows = levels.len().max(1) as f32;
    let spacing = ui.spacing().item_spacing.y;
    let bar_height = ((ui.available_height() - SCALE_HEIGHT - rows * spacing) / rows)
        .clamp(*BAR_HEIGHT.start(), *BAR_HEIGHT.end());
    for (channel, label) in levels.iter().zip(labels) {
        let (row, _) = ui.allocate_exact_size(Vec2::new(width, bar_height), Sense::hover());
        let painter = ui.painter_at(row);
        painter.text(
            row.left_center(),
            Align2::LEFT_CENTER,
            *label,
            theme::font(size::SMALL),
            palette::TEXT_MUTED,
        );
        let bar = Rect::from_min_size(
            row.min + Vec2::new(LABEL_WIDTH, 0.0),
            Vec2::new(bar_width, bar_height),
        );
        paint_bar(ui, bar, channel);
        let readout =
            Rect::from_min_max(egui::pos2(bar.max.x + 2.0 * space::S, row.min.y), row.max);
        paint_readout(ui, readout, channel);
    }
    let (scale, _) = ui.allocate_exact_size(Vec2::new(width, SCALE_HEIGHT), Sense::hover());
    paint_scale(
        ui,
        scale
            .with_min_x(scale.min.x + LABEL_WIDTH)
            .with_max_x(scale.min.x + LABEL_WIDTH + bar_width),
    );
}

/// Where a level in dBFS falls along the bar, from 0 (floor) to 1 (full scale).
fn position(db: f32) -> f32 {
    ((db - FLOOR_DB) / -FLOOR_DB).clamp(0.0, 1.0)
}

/// The colour of the bar at a level in dBFS.
fn zone_color(db: f32) -> Color32 {
    if db >= CLIP_DB {
        palette::DANGER
    } else if db >= HOT_DB {
        palette::WARN
    } else {
        palette::ACCENT
    }
}

fn x_at(bar: Rect, db: f32) -> f32 {
    bar.min.x + position(db) * bar.width()
}

/// Fills the bar from the floor up to `db`, split into the colour zones, at a given opacity.
fn fill_to(ui: &Ui, bar: Rect, db: f32, opacity: f32) {
    let zones = [(FLOOR_DB, HOT_DB), (HOT_DB, CLIP_DB), (CLIP_DB, 0.0)];
    for (low, high) in zones {
        if db <= low {
            break;
        }
        let zone = Rect::from_x_y_ranges(x_at(bar, low)..=x_at(bar, db.min(high)), bar.y_range());
        ui.painter().rect_filled(zone, CornerRadius::ZERO, zone_color(low).gamma_multiply(opacity));
    }
}

fn paint_bar(ui: &Ui, bar: Rect, levels: &ChannelLevels) {
    let painter = ui.painter();
    painter.rect_filled(bar, CornerRadius::same(theme::RADIUS / 2), palette::WELL);
    for db in TICKS_DB {
        painter.vline(x_at(bar, db), bar.y_range(), Stroke::new(1.0, palette::GRID));
    }
    let inner = bar.shrink(3.0);
    fill_to(ui, inner, to_dbfs(levels.peak), 0.35);
    fill_to(ui, inner, to_dbfs(levels.rms), 1.0);
    let hold_db = to_dbfs(levels.hold);
    if hold_db > FLOOR_DB {
        let x = x_at(inner, hold_db).min(inner.max.x - 1.0);
        painter.vline(x, bar.y_range(), Stroke::new(2.0, zone_color(hold_db)));
    }
}

/// Formats a level for the read-outs: one decimal, or "−∞" below the floor of hearing.
fn format_db(level: f32) -> String {
    let db = to_dbfs(level);
    if db < -120.0 {
        "-inf".to_owned()
    } else {
        format!("{db:+.1}")
    }
}

fn paint_readout(ui: &Ui, area: Rect, levels: &ChannelLevels) {
    let painter = ui.painter_at(area);
    let half = area.width() / 2.0;
    for (index, (label, level, color)) in [
        ("PEAK", levels.hold, zone_color(to_dbfs(levels.hold))),
        ("RMS", levels.rms, palette::TEXT),
    ]
    .into_iter()
    .enumerate()
    {
        let left = area.min.x + index as f32 * half;
        painter.text(
            egui::pos2(left, area.center().y),
            Align2::LEFT_CENTER,
            label,
            theme::font(size::SMALL),
            palette::TEXT_MUTED,
        );
        painter.text(
            egui::pos2(left + half - space::S, area.center().y),
            Align2::RIGHT_CENTER,
            format_db(level),
            theme::mono(size::READOUT),
            color,
        );
    }
}

/// The scale's labels: both ends, then the others from the top down where they do not touch a
/// label already drawn (a narrow meter drops some).
fn paint_scale(ui: &Ui, scale: Rect) {
    let painter = ui.painter();
    let mut drawn: Vec<Rect> = Vec::with_capacity(TICKS_DB.len());
    let ends = [TICKS_DB[0], TICKS_DB[TICKS_DB.len() - 1]];
    let middle = TICKS_DB[1..TICKS_DB.len() - 1].iter().rev();
    for &db in ends.iter().chain(middle) {
        let align = match db {
            d if d <= FLOOR_DB => Align2::LEFT_TOP,
            d if d >= 0.0 => Align2::RIGHT_TOP,
            _ => Align2::CENTER_TOP,
        };
        let galley = painter.layout_no_wrap(
            format!("{}", db as i32),
            theme::font(size::SMALL),
            palette::TEXT_MUTED,
        );
        let rect = align.anchor_size(egui::pos2(x_at(scale, db), scale.min.y), galley.size());
        if drawn.iter().any(|other| other.expand2(egui::vec2(3.0, 0.0)).intersects(rect)) {
            continue;
        }
        painter.galley(rect.min, galley, palette::TEXT_MUTED);
        drawn.push(rect);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_positions_and_zones() {
        assert_eq!(position(-60.0), 0.0);
        assert_eq!(position(0.0), 1.0);
        assert_eq!(position(-30.0), 0.5);
        assert_eq!(position(f32::NEG_INFINITY), 0.0);
        assert_eq!(position(6.0), 1.0);
        assert_eq!(zone_color(-20.0), palette::ACCENT);
        assert_eq!(zone_color(-3.0), palette::WARN);
        assert_eq!(zone_color(0.0), palette::DANGER);
    }

    #[test]
    fn readouts_format_silence_and_levels() {
        assert_eq!(format_db(0.0), "-inf");
        assert_eq!(format_db(1.0), "+0.0");
        assert_eq!(format_db(0.5), "-6.0");
    }
}

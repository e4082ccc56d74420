//! Earshot's look: palette, type sizes and spacing, in one place for every view.

use egui::{Color32, CornerRadius, FontFamily, FontId, Frame, Margin, Stroke, TextStyle};

/// Colours.
pub mod palette {
    use egui::Color32;

    /// The window background.
    pub const BACKGROUND: Color32 = Color32::from_rgb(0x11, 0x13, 0x17);
    /// Cards and panels that sit on the background.
    pub const SURFACE: Color32 = Color32::from_rgb(0x1a, 0x1e, 0x24);
    /// Wells inside a card: meter tracks, plots, input fields.
    pub const WELL: Color32 = Color32::from_rgb(0x0c, 0x0e, 0x11);
    /// Hairlines and card borders.
    pub const BORDER: Color32 = Color32::from_rgb(0x2b, 0x31, 0x39);
    /// Grid lines inside wells.
    pub const GRID: Color32 = Color32::from_rgb(0x22, 0x27, 0x2e);
    /// Main text.
    pub const TEXT: Color32 = Color32::from_rgb(0xe4, 0xe8, 0xec);
    /// Labels, units and secondary text.
    pub const TEXT_MUTED: Color32 = Color32::from_rgb(0x86, 0x90, 0x9b);
    /// The brand colour: the wordmark, active controls, normal signal levels.
    pub const ACCENT: Color32 = Color32::from_rgb(0x3c, 0xd6, 0xb0);
    /// A dimmer accent for fills behind a brighter accent.
    pub const ACCENT_DIM: Color32 = Color32::from_rgb(0x1f, 0x6e, 0x5c);
    /// Hot levels (the last 6 dB below full scale) and warnings.
    pub const WARN: Color32 = Color32::from_rgb(0xf2, 0xb6, 0x4a);
    /// Clipping and errors.
    pub const DANGER: Color32 = Color32::from_rgb(0xef, 0x55, 0x5c);
    /// Onset marks: a cyan that stands out on the spectrogram's inferno colours.
    pub const ONSET: Color32 = Color32::from_rgb(0x5c, 0xe1, 0xe6);
    /// Chords by function in the key: tonic (at rest), subdominant, dominant, other.
    pub const TONIC: Color32 = Color32::from_rgb(0x3c, 0xd6, 0xb0);
    pub const SUBDOMINANT: Color32 = Color32::from_rgb(0x8a, 0x9b, 0xff);
    pub const DOMINANT: Color32 = Color32::from_rgb(0xf2, 0x8c, 0x4a);
    pub const OTHER_FUNCTION: Color32 = Color32::from_rgb(0x9a, 0xa3, 0xad);
    /// Beats in the beat lane and the beat light.
    pub const BEAT: Color32 = Color32::from_rgb(0xc8, 0xd0, 0xd8);
    /// Downbeats: the first beat of each bar.
    pub const DOWNBEAT: Color32 = Color32::from_rgb(0xf2, 0xb6, 0x4a);
}

/// Type sizes in logical points.
pub mod size {
    /// The wordmark in the header.
    pub const TITLE: f32 = 19.0;
    /// Card headings (set in capitals).
    pub const HEADING: f32 = 11.0;
    /// Body text and controls.
    pub const BODY: f32 = 13.0;
    /// Scale labels, units, the status bar.
    pub const SMALL: f32 = 10.5;
    /// Numeric read-outs.
    pub const READOUT: f32 = 15.0;
    /// The current chord, read from across the room.
    pub const CHORD: f32 = 54.0;
    /// The key beside it.
    pub const KEY: f32 = 22.0;
    /// The tempo read-out in the beat card.
    pub const TEMPO: f32 = 40.0;
}

/// Spacing in logical points.
pub mod space {
    pub const XS: f32 = 4.0;
    pub const S: f32 = 8.0;
    pub const M: f32 = 12.0;
    pub const L: f32 = 16.0;
    /// Height of the header bar.
    pub const HEADER_HEIGHT: f32 = 48.0;
    /// Height of the status bar.
    pub const STATUS_HEIGHT: f32 = 26.0;
}

/// Corner radius of cards and wells.
pub const RADIUS: u8 = 6;

/// A proportional font of a given size.
pub fn font(size: f32) -> FontId {
    FontId::new(size, FontFamily::Proportional)
}

/// A monospace font of a given size, for numbers that change.
pub fn mono(size: f32) -> FontId {
    FontId::new(size, FontFamily::Monospace)
}

/// The frame of a card: a raised surface with a hairline border.
pub fn card() -> Frame {
    Frame::new()
        .fill(palette::SURFACE)
        .stroke(Stroke::new(1.0, palette::BORDER))
        .corner_radius(CornerRadius::same(RADIUS))
        .inner_margin(Margin::same(space::M as i8))
}

/// The flat, natural and sharp signs (cut from DejaVu Sans by `scripts/accidentals_font.sh`):
/// egui's own fonts have none, and chord names need them.
const ACCIDENTALS_FONT: &[u8] = include_bytes!("../../assets/accidentals.ttf");

/// Installs the palette, type sizes and the accidentals' font into egui's style.
pub fn apply(ctx: &egui::Context) {
    ctx.add_font(egui::epaint::text::FontInsert::new(
        "accidentals",
        egui::FontData::from_static(ACCIDENTALS_FONT),
        vec![egui::epaint::text::InsertFontFamily {
            family: FontFamily::Proportional,
            priority: egui::epaint::text::FontPriority::Lowest,
        }],
    ));
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (TextStyle::Heading, font(size::TITLE)),
            (TextStyle::Body, font(size::BODY)),
            (TextStyle::Button, font(size::BODY)),
            (TextStyle::Small, font(size::SMALL)),
            (TextStyle::Monospace, mono(size::BODY)),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(space::S, space::S);
        style.spacing.interact_size.y = 22.0;

        let visuals = &mut style.visuals;
        *visuals = egui::Visuals::dark();
        visuals.panel_fill = palette::BACKGROUND;
        visuals.window_fill = palette::SURFACE;
        visuals.extreme_bg_color = palette::WELL;
        visuals.faint_bg_color = palette::SURFACE;
        visuals.override_text_color = Some(palette::TEXT);
        visuals.selection.bg_fill = palette::ACCENT_DIM;
        visuals.selection.stroke = Stroke::new(1.0, palette::ACCENT);
        visuals.window_stroke = Stroke::new(1.0, palette::BORDER);
        let widgets = &mut visuals.widgets;
        for (state, fill) in [
            (&mut widgets.inactive, palette::WELL),
            (&mut widgets.hovered, Color32::from_rgb(0x1f, 0x25, 0x2c)),
            (&mut widgets.active, Color32::from_rgb(0x24, 0x2b, 0x33)),
        ] {
            state.bg_fill = fill;
            state.weak_bg_fill = fill;
            state.bg_stroke = Stroke::new(1.0, palette::BORDER);
            state.corner_radius = CornerRadius::same(4);
        }
        widgets.hovered.bg_stroke = Stroke::new(1.0, palette::ACCENT_DIM);
        widgets.active.bg_stroke = Stroke::new(1.0, palette::ACCENT);
        widgets.noninteractive.bg_stroke = Stroke::new(1.0, palette::BORDER);
        widgets.noninteractive.fg_stroke = Stroke::new(1.0, palette::TEXT_MUTED);
    });
}

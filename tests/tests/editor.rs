//! The editor as a user sees it: the standalone opens it on a virtual display with a JACK test
//! signal at its inputs, and the screenshot must show Earshot's layout with the meters lit and
//! the clicks marked as onsets.

use earshot_plugin::editor::theme::palette;
use earshot_plugin::params::EditorSize;
use earshot_tests::{display, paths};
use std::time::Duration;

/// RGB of an opaque palette colour given as RGBA.
fn rgb(rgba: [u8; 4]) -> [u8; 3] {
    [rgba[0], rgba[1], rgba[2]]
}

#[test]
fn editor_opens_and_draws_the_themed_layout() {
    let size = EditorSize::DEFAULT;
    let (image, png) = display::editor_screenshot(
        &paths::standalone(),
        size.width,
        size.height,
        Duration::from_secs(60),
        Duration::from_secs(3),
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let shot = paths::target_dir().join("editor-test.png");
    std::fs::write(&shot, png).unwrap();
    assert_eq!((image.width, image.height), (size.width as usize, size.height as usize));
    // The window background fills the margins around the card; the card surface covers most of
    // the rest; the wordmark is drawn in the accent colour.
    let background = image.fraction_near(rgb(palette::BACKGROUND.to_array()), 2);
    let surface = image.fraction_near(rgb(palette::SURFACE.to_array()), 2);
    let accent = image.fraction_near(rgb(palette::ACCENT.to_array()), 40);
    // Measured in the 1120 × 720 layout (the meters share the bottom row with the chord and
    // beat cards, in a 270-point card): the wordmark and the rest cover 0.05 %, the lit meters
    // of the sine and the clicks 0.26 % more. 0.15 % tells lit meters from dark ones.
    assert!(background > 0.05, "background covers {background:.3} of {}", shot.display());
    assert!(surface > 0.2, "card surface covers {surface:.3} of {}", shot.display());
    assert!(
        accent > 0.0015,
        "accent covers {accent:.5} of {}: are the meters lit?",
        shot.display()
    );
    // The spectrogram shows the sine and the clicks in the bright (orange to yellow) end of its
    // colour map; the meters' warning colour is of that hue too, so it is left out.
    let [wr, wg, wb] = rgb(palette::WARN.to_array());
    let warning =
        |[r, g, b]: &[u8; 3]| r.abs_diff(wr) < 16 && g.abs_diff(wg) < 16 && b.abs_diff(wb) < 16;
    let bright = image
        .pixels
        .iter()
        .filter(|p @ [r, g, b]| *r > 200 && *g > 100 && *b < 140 && !warning(p))
        .count();
    // The sine's band alone is about 4 rows × 110 columns per second of signal shown (at least
    // the 3 s waited): over 1 300 pixels. 900 (what 0.002 of the earlier 800 × 560 window
    // was) leaves room for a slow start; an undrawn or wrongly coloured spectrogram has none.
    assert!(bright >= 900, "{bright} bright spectrogram pixels in {}", shot.display());
    // The clicks are detected: onset marks cross the spectrogram and stand in the lane. One
    // onset's line and tick cover about 0.00025 of the window (measured); the capture, at least
    // 3 s of clicks 0.6 s apart, holds four or more.
    let onsets = image.fraction_near(rgb(palette::ONSET.to_array()), 30);
    assert!(onsets > 0.0004, "onset marks cover {onsets:.5} of {}", shot.display());
    // Nothing of the X server's black root shows through.
    assert!(image.fraction_near([0, 0, 0], 0) < 0.01, "black shows in {}", shot.display());
}

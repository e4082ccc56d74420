//! The learning-curve plot written beside the weights after every epoch: mean training loss and
//! validation score per epoch, the best epoch marked.

use plotters::prelude::*;
use plotters::style::FontStyle;
use std::path::Path;
use std::sync::Once;

/// One epoch's figures, as logged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochPoint {
    pub epoch: usize,
    pub loss: f64,
    pub score: f64,
}

/// The text font: the one egui embeds, so no system font is needed.
fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            epaint_default_fonts::UBUNTU_LIGHT,
        )
        .unwrap_or_else(|_| unreachable!("egui's embedded font parses"));
    });
}

/// Draws loss (left) and validation score (right) against epochs into a PNG at `path`.
pub fn plot(path: &Path, points: &[EpochPoint], score_name: &str) -> Result<(), String> {
    if points.is_empty() {
        return Err("no epochs to plot".into());
    }
    register_font();
    let fail = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let root = BitMapBackend::new(path, (1000, 420)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| fail(&e))?;
    let (left, right) = root.split_horizontally(500);
    let last = points.iter().map(|p| p.epoch).max().unwrap_or(1).max(2);
    let top_loss = points.iter().map(|p| p.loss).fold(0.0, f64::max) * 1.1;
    let best = points.iter().max_by(|a, b| a.score.total_cmp(&b.score)).expect("not empty");

    let mut loss = ChartBuilder::on(&left)
        .caption("training loss", ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(1..last, 0.0..top_loss.max(1e-6))
        .map_err(|e| fail(&e))?;
    loss.configure_mesh()
        .x_desc("epoch")
        .y_desc("mean loss")
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .draw()
        .map_err(|e| fail(&e))?;
    loss.draw_series(LineSeries::new(
        points.iter().map(|p| (p.epoch, p.loss)),
        BLUE.stroke_width(2),
    ))
    .map_err(|e| fail(&e))?;

    let mut score = ChartBuilder::on(&right)
        .caption(format!("validation {score_name}"), ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(1..last, 0.0..1.0)
        .map_err(|e| fail(&e))?;
    score
        .configure_mesh()
        .x_desc("epoch")
        .y_desc(score_name)
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .draw()
        .map_err(|e| fail(&e))?;
    score
        .draw_series(LineSeries::new(
            points.iter().map(|p| (p.epoch, p.score)),
            RED.stroke_width(2),
        ))
        .map_err(|e| fail(&e))?;
    score
        .draw_series([Circle::new((best.epoch, best.score), 5, RED.filled())])
        .map_err(|e| fail(&e))?
        .label(format!("best {:.4} (epoch {})", best.score, best.epoch))
        .legend(|(x, y)| Circle::new((x, y), 5, RED.filled()));
    score
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .label_font(("sans-serif", 16))
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(|e| fail(&e))?;
    root.present().map_err(|e| fail(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_png_and_refuses_an_empty_run() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("curves.png");
        let points: Vec<EpochPoint> = (1..=6)
            .map(|e| EpochPoint { epoch: e, loss: 1.0 / e as f64, score: 0.5 + 0.05 * e as f64 })
            .collect();
        plot(&path, &points, "onset F").unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[1..4], b"PNG");
        assert!(plot(&path, &[], "onset F").is_err());
    }
}

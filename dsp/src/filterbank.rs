//! Filterbanks from STFT bins to bands, built once, applied per frame. The formulas follow
//! librosa 0.11 (`filters.mel`, `filters.chroma`) and madmom 0.16 (`LogarithmicFilterbank`)
//! step by step in f64, then store f32 weights, as both do by default.

use crate::config::{MelNorm, MelScale};

/// A sparse band × bin matrix: each band keeps only its non-zero run of weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Filterbank {
    bands: Vec<Band>,
}

#[derive(Debug, Clone, PartialEq)]
struct Band {
    first_bin: usize,
    weights: Vec<f32>,
}

impl Filterbank {
    /// Builds from rows given as (first bin, weights from there on), one at a time, keeping
    /// each row's span between its first and last non-zero. Rows may start at bin 0 and cover
    /// every bin; a row is dropped to its span before the next is made, so building a large
    /// bank never holds it dense.
    fn from_rows(rows: impl IntoIterator<Item = (usize, Vec<f64>)>) -> Self {
        let bands = rows
            .into_iter()
            .map(|(offset, row)| {
                let first = row.iter().position(|&w| w != 0.0).unwrap_or(0);
                let last = row.iter().rposition(|&w| w != 0.0).map_or(first, |l| l + 1);
                Band {
                    first_bin: offset + first,
                    weights: row[first..last].iter().map(|&w| w as f32).collect(),
                }
            })
            .collect();
        Self { bands }
    }

    /// `out[b] = Σ_k weight[b][k] · spectrum[k]`.
    pub fn apply(&self, spectrum: &[f32], out: &mut [f32]) {
        for (band, value) in self.bands.iter().zip(out.iter_mut()) {
            let bins =
                spectrum.get(band.first_bin..band.first_bin + band.weights.len()).unwrap_or(&[]);
            *value = dot(&band.weights, bins);
        }
    }

    /// Dense weights of one band over `bins` bins.
    #[cfg(test)]
    fn dense_row(&self, band: usize, bins: usize) -> Vec<f32> {
        let mut row = vec![0.0; bins];
        if let Some(b) = self.bands.get(band) {
            for (k, w) in b.weights.iter().enumerate() {
                if let Some(slot) = row.get_mut(b.first_bin + k) {
                    *slot = *w;
                }
            }
        }
        row
    }
}

/// A dot product in eight independent lanes, so the compiler can vectorise it (a single
/// running sum would force one addition after another).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    const LANES: usize = 8;
    let len = a.len().min(b.len());
    let (a, b) = (&a[..len], &b[..len]);
    let mut lanes = [0.0f32; LANES];
    for (x, y) in a.chunks_exact(LANES).zip(b.chunks_exact(LANES)) {
        for lane in 0..LANES {
            lanes[lane] += x[lane] * y[lane];
        }
    }
    let tail = len - len % LANES;
    let rest: f32 = a[tail..].iter().zip(&b[tail..]).map(|(x, y)| x * y).sum();
    lanes.iter().sum::<f32>() + rest
}

/// Frequencies of the `frame_size/2 + 1` STFT bins.
fn fft_frequencies(sample_rate: f64, frame_size: usize) -> Vec<f64> {
    (0..=frame_size / 2).map(|k| k as f64 * sample_rate / frame_size as f64).collect()
}

/// Hz to mels on either scale.
pub fn hz_to_mel(hz: f64, scale: MelScale) -> f64 {
    match scale {
        MelScale::Htk => 2595.0 * (1.0 + hz / 700.0).log10(),
        MelScale::Slaney => {
            let (f_sp, min_log_hz, logstep) = slaney_constants();
            if hz >= min_log_hz {
                min_log_hz / f_sp + (hz / min_log_hz).ln() / logstep
            } else {
                hz / f_sp
            }
        }
    }
}

fn mel_to_hz(mel: f64, scale: MelScale) -> f64 {
    match scale {
        MelScale::Htk => 700.0 * (10f64.powf(mel / 2595.0) - 1.0),
        MelScale::Slaney => {
            let (f_sp, min_log_hz, logstep) = slaney_constants();
            let min_log_mel = min_log_hz / f_sp;
            if mel >= min_log_mel {
                min_log_hz * (logstep * (mel - min_log_mel)).exp()
            } else {
                f_sp * mel
            }
        }
    }
}

/// Slaney's mel constants: Hz per mel below 1 kHz, the break frequency, the log step above it.
fn slaney_constants() -> (f64, f64, f64) {
    (200.0 / 3.0, 1000.0, 6.4f64.ln() / 27.0)
}

/// Mel filters as `librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk, norm)`.
pub fn mel(
    sample_rate: f64,
    frame_size: usize,
    bands: usize,
    fmin: f64,
    fmax: f64,
    scale: MelScale,
    norm: MelNorm,
) -> Filterbank {
    let fft_freqs = fft_frequencies(sample_rate, frame_size);
    let (low, high) = (hz_to_mel(fmin, scale), hz_to_mel(fmax, scale));
    let edges: Vec<f64> = (0..bands + 2)
        .map(|i| mel_to_hz(low + (high - low) * i as f64 / (bands + 1) as f64, scale))
        .collect();
    let rows = (0..bands).map(|i| {
        let (left, centre, right) = (edges[i], edges[i + 1], edges[i + 2]);
        let area = match norm {
            MelNorm::Slaney => 2.0 / (right - left),
            MelNorm::None => 1.0,
        };
        // Only bins strictly inside (left, right) can have weight.
        let first = fft_freqs.partition_point(|&f| f <= left);
        let end = fft_freqs.partition_point(|&f| f < right).max(first);
        let weights = fft_freqs[first..end]
            .iter()
            .map(|&f| {
                let rising = (f - left) / (centre - left);
                let falling = (right - f) / (right - centre);
                rising.min(falling).max(0.0) * area
            })
            .collect();
        (first, weights)
    });
    Filterbank::from_rows(rows)
}

/// Chroma filters as `librosa.filters.chroma(sr, n_fft, n_chroma, tuning)` with its defaults
/// `ctroct=5.0, octwidth=2, norm=2, base_c=True`.
pub fn chroma(sample_rate: f64, frame_size: usize, bins: usize, tuning: f64) -> Filterbank {
    let n = bins as f64;
    let a440 = 440.0 * 2f64.powf(tuning / n);
    // Bin positions in chroma units for the FFT frequencies 1..frame_size (DC is extrapolated).
    let mut positions: Vec<f64> = (1..frame_size)
        .map(|k| n * (k as f64 * sample_rate / frame_size as f64 / (a440 / 16.0)).log2())
        .collect();
    positions.insert(0, positions[0] - 1.5 * n);
    let widths: Vec<f64> = positions
        .windows(2)
        .map(|pair| (pair[1] - pair[0]).max(1.0))
        .chain(std::iter::once(1.0))
        .collect();
    let half = (n / 2.0).round();
    let gaussian = |k: usize, c: usize| {
        let d = (positions[k] - c as f64 + half + 10.0 * n).rem_euclid(n) - half;
        (-0.5 * (2.0 * d / widths[k]).powi(2)).exp()
    };
    // Each bin's weights are scaled to unit L2 norm over the chroma bins, then weighted by a
    // Gaussian over octaves. Only these scales are kept, so no dense matrix is ever held.
    let used_bins = frame_size / 2 + 1;
    let scales: Vec<f64> = (0..used_bins)
        .map(|k| {
            let norm = (0..bins).map(|c| gaussian(k, c).powi(2)).sum::<f64>().sqrt();
            let octave_weight = (-0.5 * ((positions[k] / n - 5.0) / 2.0).powi(2)).exp();
            if norm > 0.0 {
                octave_weight / norm
            } else {
                octave_weight
            }
        })
        .collect();
    // base_c: roll so that row 0 is C (librosa rolls by -3 semitones' worth of bins).
    let shift = 3 * (bins / 12);
    let rows = (0..bins).map(|c| {
        (0, (0..used_bins).map(|k| gaussian(k, (c + shift) % bins) * scales[k]).collect())
    });
    Filterbank::from_rows(rows)
}

/// The reference pitch of madmom's logarithmic grid (A4).
const LOG_REFERENCE_HZ: f64 = 440.0;

/// Centre frequencies of a logarithmic filterbank as madmom's `log_frequencies`: the grid
/// `440 · 2^(i / bands_per_octave)` Hz restricted to `fmin..=fmax`.
fn log_frequencies(bands_per_octave: usize, fmin: f64, fmax: f64) -> Vec<f64> {
    let per_octave = bands_per_octave as f64;
    let first = ((fmin / LOG_REFERENCE_HZ).log2() * per_octave).floor() as i64;
    let last = ((fmax / LOG_REFERENCE_HZ).log2() * per_octave).ceil() as i64;
    (first..last)
        .map(|i| LOG_REFERENCE_HZ * 2f64.powf(i as f64 / per_octave))
        .filter(|&f| f >= fmin && f <= fmax)
        .collect()
}

/// The number of bands of [`logarithmic`]: each band takes three consecutive grid frequencies.
pub fn log_band_count(bands_per_octave: usize, fmin: f64, fmax: f64) -> usize {
    log_frequencies(bands_per_octave, fmin, fmax).len().saturating_sub(2)
}

/// Logarithmic triangular filters as madmom's `LogarithmicFilterbank(bin_frequencies,
/// num_bands=bands_per_octave, fmin, fmax, norm_filters=True, unique_filters=False)`. madmom's
/// bins stop below Nyquist, so the Nyquist bin gets no weight.
pub fn logarithmic(
    sample_rate: f64,
    frame_size: usize,
    bands_per_octave: usize,
    fmin: f64,
    fmax: f64,
) -> Filterbank {
    let bin_frequencies = &fft_frequencies(sample_rate, frame_size)[..frame_size / 2];
    let centres: Vec<usize> = log_frequencies(bands_per_octave, fmin, fmax)
        .into_iter()
        .map(|f| nearest_bin(bin_frequencies, f))
        .collect();
    let rows = centres.windows(3).map(|edges| normalised_triangle(edges[0], edges[1], edges[2]));
    Filterbank::from_rows(rows)
}

/// madmom's `frequencies2bins`: the bin nearest to `frequency`, the upper one on a tie.
fn nearest_bin(bin_frequencies: &[f64], frequency: f64) -> usize {
    let above =
        bin_frequencies.partition_point(|&b| b < frequency).clamp(1, bin_frequencies.len() - 1);
    let closer_below = frequency - bin_frequencies[above - 1] < bin_frequencies[above] - frequency;
    if closer_below {
        above - 1
    } else {
        above
    }
}

/// madmom's `TriangularFilter` over bins `start..stop` peaking at `centre` (its `band_bins` with
/// `overlap=True`: a span under two bins becomes the single bin `start`), scaled to sum 1, as
/// (first bin, weights).
fn normalised_triangle(start: usize, centre: usize, stop: usize) -> (usize, Vec<f64>) {
    let (centre, stop) = if stop - start < 2 { (start, start + 1) } else { (centre, stop) };
    let (rise, fall) = (centre - start, stop - centre);
    let rising = (0..rise).map(|j| j as f64 / rise as f64);
    let falling = (0..fall).map(|j| 1.0 - j as f64 / fall as f64);
    let mut row: Vec<f64> = rising.chain(falling).collect();
    let sum: f64 = row.iter().sum();
    row.iter_mut().for_each(|w| *w /= sum);
    (start, row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mel_scales_round_trip() {
        for scale in [MelScale::Slaney, MelScale::Htk] {
            for hz in [0.0, 100.0, 999.0, 1000.0, 4321.0, 22050.0] {
                assert!((mel_to_hz(hz_to_mel(hz, scale), scale) - hz).abs() < 1e-9 * hz.max(1.0));
            }
        }
        assert!((hz_to_mel(1000.0, MelScale::Slaney) - 15.0).abs() < 1e-12);
    }

    #[test]
    fn sparse_rows_match_their_dense_form() {
        let bank = mel(44_100.0, 2048, 40, 30.0, 16_000.0, MelScale::Slaney, MelNorm::Slaney);
        let spectrum: Vec<f32> = (0..1025).map(|k| (k % 7) as f32).collect();
        let mut out = vec![0.0; 40];
        bank.apply(&spectrum, &mut out);
        for (band, value) in out.iter().enumerate() {
            let dense: f32 =
                bank.dense_row(band, 1025).iter().zip(&spectrum).map(|(w, x)| w * x).sum();
            assert!((dense - value).abs() <= 1e-5 * dense.abs().max(1.0));
        }
    }

    /// Every band of every case in `scripts/madmom_fixtures.py`'s output: the same bins, and the
    /// same weights within 1e-6. Both sides compute in f64 and round once to f32, so weights of
    /// at most 1 agree to about 6e-8; the bound allows a different rounding of the last f64 step.
    #[test]
    fn logarithmic_matches_madmom() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/madmom_logarithmic.json");
        let fixture: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for case in fixture["cases"].as_array().unwrap() {
            let number = |key: &str| case[key].as_f64().unwrap();
            let (frame_size, per_octave) =
                (number("frame_size") as usize, number("bands_per_octave") as usize);
            let (fmin, fmax) = (number("fmin"), number("fmax"));
            let bank = logarithmic(number("sample_rate"), frame_size, per_octave, fmin, fmax);
            let expected = case["bands"].as_array().unwrap();
            assert_eq!(bank.bands.len(), expected.len(), "{case:?}");
            assert_eq!(log_band_count(per_octave, fmin, fmax), expected.len());
            for (band, reference) in bank.bands.iter().zip(expected) {
                assert_eq!(band.first_bin as u64, reference[0].as_u64().unwrap());
                let weights = reference[1].as_array().unwrap();
                assert_eq!(band.weights.len(), weights.len(), "band at bin {}", band.first_bin);
                for (ours, theirs) in band.weights.iter().zip(weights) {
                    assert!((*ours as f64 - theirs.as_f64().unwrap()).abs() <= 1e-6);
                }
            }
        }
    }
}

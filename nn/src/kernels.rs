//! The inner loops every layer spends its time in: matrix–vector products, `y += a·x`, and the
//! exponential-based activations over whole slices. The portable versions are written so LLVM
//! vectorises them (fixed-width chunks, independent accumulators); on x86-64 CPUs with AVX2 and
//! FMA, matrix–vector products use hand-written AVX2 (four rows at a time, sharing each load of
//! the vector) and everything else is the portable code compiled again for AVX2, chosen at run
//! time.

/// Multiply–add as the selected instruction set does it: fused where FMA exists.
trait MulAdd {
    fn mul_add(a: f32, b: f32, c: f32) -> f32;
}

/// Separate multiply and add (any CPU).
struct Plain;
impl MulAdd for Plain {
    #[inline(always)]
    fn mul_add(a: f32, b: f32, c: f32) -> f32 {
        a * b + c
    }
}

/// Runs `$avx2` where the CPU has AVX2 and FMA, else `$portable`.
macro_rules! dispatch {
    ($avx2:expr, $portable:expr) => {{
        #[cfg(target_arch = "x86_64")]
        if avx2::available() {
            // SAFETY: the CPU supports AVX2 and FMA, checked just above.
            return unsafe { $avx2 };
        }
        $portable
    }};
}

const LANES: usize = 16;

#[inline(always)]
fn dot_with<M: MulAdd>(a: &[f32], b: &[f32]) -> f32 {
    let len = a.len().min(b.len());
    let (a_chunks, a_rest) = a[..len].as_chunks::<LANES>();
    let (b_chunks, b_rest) = b[..len].as_chunks::<LANES>();
    let mut lanes = [0.0f32; LANES];
    for (x, y) in a_chunks.iter().zip(b_chunks) {
        for i in 0..LANES {
            lanes[i] = M::mul_add(x[i], y[i], lanes[i]);
        }
    }
    let mut tail = 0.0;
    for (x, y) in a_rest.iter().zip(b_rest) {
        tail = M::mul_add(*x, *y, tail);
    }
    let mut width = LANES;
    while width > 1 {
        width /= 2;
        for i in 0..width {
            lanes[i] += lanes[i + width];
        }
    }
    lanes[0] + tail
}

#[inline(always)]
fn matvec_with<M: MulAdd>(matrix: &[f32], x: &[f32], bias: &[f32], y: &mut [f32]) {
    for (out, (row, b)) in y.iter_mut().zip(matrix.chunks_exact(x.len()).zip(bias)) {
        *out = b + dot_with::<M>(row, x);
    }
}

/// `eˣ` to within about 2 ulp for `x` in −87…88 (Cephes' `expf`: `x = n·ln2 + r`, a degree-6
/// polynomial for `eʳ`, then `2ⁿ` from the exponent bits); inputs beyond are clamped, giving
/// about 1e-38 and 1e38. Branch-free and without float-to-int casts (Rust's saturating casts
/// do not vectorise), so loops over slices vectorise.
#[inline(always)]
fn exp(x: f32) -> f32 {
    let x = x.clamp(-87.0, 88.0);
    let n = (x * std::f32::consts::LOG2_E + 0.5).floor();
    let r = x - n * 0.693_359_4 - n * -2.121_944_4e-4;
    let p = 1.987_569_1e-4;
    let p = p * r + 1.398_199_9e-3;
    let p = p * r + 8.333_452e-3;
    let p = p * r + 4.166_579_6e-2;
    let p = p * r + 1.666_666_5e-1;
    let p = p * r + 0.5;
    let e = p * r * r + r + 1.0;
    // n + 127 is an integer in 1..=254; added to 2²³ it lands in the low mantissa bits.
    let biased_exponent = (n + (127.0 + 8_388_608.0)).to_bits() & 0xFF;
    e * f32::from_bits(biased_exponent << 23)
}

#[inline(always)]
fn sigmoid_in_place(values: &mut [f32]) {
    values.iter_mut().for_each(|v| *v = 1.0 / (1.0 + exp(-*v)));
}

/// `tanh x = 1 − 2/(e²ˣ + 1)`: absolute error below 2e-7 (near zero the relative error grows,
/// the absolute one does not).
#[inline(always)]
fn tanh_in_place(values: &mut [f32]) {
    values.iter_mut().for_each(|v| *v = 1.0 - 2.0 / (exp(2.0 * *v) + 1.0));
}

#[inline(always)]
fn exp_in_place(values: &mut [f32]) {
    values.iter_mut().for_each(|v| *v = exp(*v));
}

/// `x` for `x > 0`, else `alpha·(eˣ − 1)` (absolute error below 1e-7·alpha).
#[inline(always)]
fn elu_in_place(values: &mut [f32], alpha: f32) {
    values.iter_mut().for_each(|v| *v = if *v > 0.0 { *v } else { alpha * (exp(*v) - 1.0) });
}

/// Output bins computed together (one 256-bit register of floats).
pub const BIN_BLOCK: usize = 8;

/// A multi-channel 1-D correlation, the core of a 2-D convolution column: for every output
/// `o` and bin `f` in `0..bins` (a multiple of [`BIN_BLOCK`]),
/// `out[o·bins + f] = bias[o] + Σ_r Σ_k weight[(r·taps + k)·outputs + o] · values[rows[r] + f + k]`.
/// Each row must have `bins + taps − 1` readable values. Outputs go in blocks of eight channels
/// by eight bins, whose sums stay in registers while every weight is broadcast once per block.
#[inline(always)]
fn correlate_with<M: MulAdd>(c: &Correlation, values: &[f32], out: &mut [f32]) {
    let outputs = c.bias.len();
    let mut o = 0;
    while o + 8 <= outputs {
        correlate_block::<M, 8>(c, values, o, out);
        o += 8;
    }
    while o < outputs {
        correlate_block::<M, 1>(c, values, o, out);
        o += 1;
    }
}

#[inline(always)]
fn correlate_block<M: MulAdd, const CHANNELS: usize>(
    c: &Correlation,
    values: &[f32],
    first: usize,
    out: &mut [f32],
) {
    let outputs = c.bias.len();
    for f in (0..c.bins).step_by(BIN_BLOCK) {
        let mut sums = [[0.0f32; BIN_BLOCK]; CHANNELS];
        for (channel, sum) in sums.iter_mut().enumerate() {
            *sum = [c.bias[first + channel]; BIN_BLOCK];
        }
        for (r, start) in c.rows.iter().enumerate() {
            for k in 0..c.taps {
                let at = start + f + k;
                let x: [f32; BIN_BLOCK] =
                    values[at..at + BIN_BLOCK].try_into().unwrap_or([0.0; BIN_BLOCK]);
                let w = &c.weight[(r * c.taps + k) * outputs + first..][..CHANNELS];
                for (sum, weight) in sums.iter_mut().zip(w) {
                    for i in 0..BIN_BLOCK {
                        sum[i] = M::mul_add(*weight, x[i], sum[i]);
                    }
                }
            }
        }
        for (channel, sum) in sums.iter().enumerate() {
            out[(first + channel) * c.bins + f..][..BIN_BLOCK].copy_from_slice(sum);
        }
    }
}

/// The fixed operands of [`correlate`].
pub struct Correlation<'a> {
    /// Where each input row starts.
    pub rows: &'a [usize],
    /// Taps per row.
    pub taps: usize,
    /// `[rows][taps][outputs]`.
    pub weight: &'a [f32],
    pub bias: &'a [f32],
    /// Output bins per channel, a multiple of [`BIN_BLOCK`].
    pub bins: usize,
}

/// See [`correlate_with`]; `out` holds `outputs × bins` values.
pub fn correlate(c: &Correlation, values: &[f32], out: &mut [f32]) {
    dispatch!(avx2::correlate(c, values, out), correlate_with::<Plain>(c, values, out))
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    struct Fused;
    impl super::MulAdd for Fused {
        #[inline(always)]
        fn mul_add(a: f32, b: f32, c: f32) -> f32 {
            a.mul_add(b, c)
        }
    }

    /// Whether this CPU runs the functions below (the standard library caches the answer).
    #[inline]
    pub(super) fn available() -> bool {
        std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
    }

    /// The four sums of `a`, `b`, `c`, `d`'s lanes.
    #[target_feature(enable = "avx2,fma")]
    fn sum4(a: __m256, b: __m256, c: __m256, d: __m256) -> __m128 {
        let pairs = _mm256_hadd_ps(_mm256_hadd_ps(a, b), _mm256_hadd_ps(c, d));
        _mm_add_ps(_mm256_castps256_ps128(pairs), _mm256_extractf128_ps(pairs, 1))
    }

    /// `y = bias + matrix·x`, four rows at a time with two accumulators each (eight
    /// independent FMA chains hide the instruction's latency). The caller guarantees
    /// `matrix.len() == x.len()·y.len()` and `bias.len() == y.len()`.
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn matvec(matrix: &[f32], x: &[f32], bias: &[f32], y: &mut [f32]) {
        let cols = x.len();
        let vector_cols = cols / 8 * 8;
        let mut row = 0;
        while row + 4 <= y.len() {
            let rows = &matrix[row * cols..(row + 4) * cols];
            let mut even = [_mm256_setzero_ps(); 4];
            let mut odd = [_mm256_setzero_ps(); 4];
            let mut col = 0;
            // SAFETY (both loops): col + 8 <= vector_cols <= cols at every load, so each load
            // stays inside `x` and inside each of the four rows of `rows` (4·cols values).
            while col + 16 <= vector_cols {
                unsafe {
                    let x0 = _mm256_loadu_ps(x.as_ptr().add(col));
                    let x1 = _mm256_loadu_ps(x.as_ptr().add(col + 8));
                    for (r, (e, o)) in even.iter_mut().zip(&mut odd).enumerate() {
                        let w = rows.as_ptr().add(r * cols + col);
                        *e = _mm256_fmadd_ps(_mm256_loadu_ps(w), x0, *e);
                        *o = _mm256_fmadd_ps(_mm256_loadu_ps(w.add(8)), x1, *o);
                    }
                }
                col += 16;
            }
            if col < vector_cols {
                unsafe {
                    let x0 = _mm256_loadu_ps(x.as_ptr().add(col));
                    for (r, e) in even.iter_mut().enumerate() {
                        let w = rows.as_ptr().add(r * cols + col);
                        *e = _mm256_fmadd_ps(_mm256_loadu_ps(w), x0, *e);
                    }
                }
            }
            let total = |r: usize| _mm256_add_ps(even[r], odd[r]);
            let sums = sum4(total(0), total(1), total(2), total(3));
            let mut tails = [0.0f32; 4];
            if vector_cols < cols {
                for (r, tail) in tails.iter_mut().enumerate() {
                    *tail = (vector_cols..cols).map(|c| rows[r * cols + c] * x[c]).sum();
                }
            }
            // SAFETY: row + 4 <= y.len() == bias.len(), and `tails` holds four floats.
            unsafe {
                let with_bias = _mm_add_ps(sums, _mm_loadu_ps(bias.as_ptr().add(row)));
                let result = _mm_add_ps(with_bias, _mm_loadu_ps(tails.as_ptr()));
                _mm_storeu_ps(y.as_mut_ptr().add(row), result);
            }
            row += 4;
        }
        for r in row..y.len() {
            y[r] = bias[r] + super::dot_with::<Fused>(&matrix[r * cols..(r + 1) * cols], x);
        }
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) fn correlate(c: &super::Correlation, values: &[f32], out: &mut [f32]) {
        super::correlate_with::<Fused>(c, values, out)
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) fn sigmoid(values: &mut [f32]) {
        super::sigmoid_in_place(values)
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) fn tanh(values: &mut [f32]) {
        super::tanh_in_place(values)
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) fn exp(values: &mut [f32]) {
        super::exp_in_place(values)
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) fn elu(values: &mut [f32], alpha: f32) {
        super::elu_in_place(values, alpha)
    }
}

/// `y[i] = bias[i] + Σ_j matrix[i][j]·x[j]` for a row-major matrix of `y.len()` rows and
/// `x.len()` columns. Mismatched lengths leave `y` untouched.
pub fn matvec(matrix: &[f32], x: &[f32], bias: &[f32], y: &mut [f32]) {
    if matrix.len() != x.len() * y.len() || bias.len() != y.len() {
        debug_assert!(false, "matvec: mismatched lengths");
        return;
    }
    dispatch!(avx2::matvec(matrix, x, bias, y), matvec_with::<Plain>(matrix, x, bias, y))
}

/// The logistic function `1/(1 + e⁻ˣ)` of every value, in place (absolute error below 1e-7).
pub fn sigmoid(values: &mut [f32]) {
    dispatch!(avx2::sigmoid(values), sigmoid_in_place(values))
}

/// `tanh` of every value, in place (absolute error below 2e-7).
pub fn tanh(values: &mut [f32]) {
    dispatch!(avx2::tanh(values), tanh_in_place(values))
}

/// `eˣ` of every value, in place (relative error about 2e-7 for −87 ≤ x ≤ 88).
pub fn exp_all(values: &mut [f32]) {
    dispatch!(avx2::exp(values), exp_in_place(values))
}

/// ELU of every value, in place.
pub fn elu(values: &mut [f32], alpha: f32) {
    dispatch!(avx2::elu(values, alpha), elu_in_place(values, alpha))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive_matvec(matrix: &[f32], x: &[f32], bias: &[f32]) -> Vec<f64> {
        bias.iter()
            .enumerate()
            .map(|(i, b)| {
                let row = &matrix[i * x.len()..(i + 1) * x.len()];
                *b as f64 + row.iter().zip(x).map(|(w, v)| *w as f64 * *v as f64).sum::<f64>()
            })
            .collect()
    }

    #[test]
    fn matvec_matches_a_naive_product_at_every_shape() {
        for rows in [1, 3, 4, 5, 8, 13] {
            for cols in [1, 7, 8, 9, 15, 16, 17, 31, 33, 80, 129] {
                let matrix: Vec<f32> =
                    (0..rows * cols).map(|i| ((i * 37 % 101) as f32 - 50.0) / 50.0).collect();
                let x: Vec<f32> = (0..cols).map(|i| ((i * 13 % 29) as f32 - 14.0) / 14.0).collect();
                let bias: Vec<f32> = (0..rows).map(|i| i as f32 * 0.1).collect();
                let mut y = vec![0.0; rows];
                matvec(&matrix, &x, &bias, &mut y);
                let mut portable = vec![0.0; rows];
                matvec_with::<Plain>(&matrix, &x, &bias, &mut portable);
                let expected = naive_matvec(&matrix, &x, &bias);
                for ((got, other), want) in y.iter().zip(&portable).zip(&expected) {
                    assert!((*got as f64 - want).abs() < 1e-5, "{rows}×{cols}: {got} vs {want}");
                    assert!((*other as f64 - want).abs() < 1e-5, "{rows}×{cols} portable");
                }
            }
        }
    }

    /// Every 1/64 from −90 to 90 against double precision, on both code paths.
    #[test]
    fn exponential_activations_are_accurate_over_the_whole_range() {
        let xs: Vec<f32> = (-90 * 64..=90 * 64).map(|i| i as f32 / 64.0).collect();
        let check = |name: &str, f: fn(&mut [f32]), reference: fn(f64) -> f64, bound: f64| {
            let mut values = xs.clone();
            f(&mut values);
            for (x, got) in xs.iter().zip(&values) {
                let want = reference(*x as f64);
                let error = (*got as f64 - want).abs();
                assert!(error <= bound * want.abs().max(1.0), "{name}({x}) = {got}, not {want}");
            }
        };
        for (name, f) in [("sigmoid", sigmoid as fn(&mut [f32])), ("portable", sigmoid_in_place)] {
            check(name, f, |x| 1.0 / (1.0 + (-x).exp()), 1e-7);
        }
        for (name, f) in [("tanh", tanh as fn(&mut [f32])), ("portable", tanh_in_place)] {
            check(name, f, f64::tanh, 2e-7);
        }
        let in_range: fn(f64) -> f64 = |x| x.clamp(-87.0, 88.0).exp();
        for (name, f) in [("exp", exp_all as fn(&mut [f32])), ("portable", exp_in_place)] {
            check(name, f, in_range, 3e-7);
        }
        let elu: fn(&mut [f32]) = |v| super::elu(v, 1.0);
        let elu_portable: fn(&mut [f32]) = |v| elu_in_place(v, 1.0);
        for (name, f) in [("elu", elu), ("portable", elu_portable)] {
            check(name, f, |x| if x > 0.0 { x } else { x.exp_m1() }, 2e-7);
        }
    }
}

//! The inner loops every layer spends its time in: dot products, matrix–vector products and
//! `y += a·x`. Written so LLVM vectorises them (fixed-width chunks, independent accumulators, no
//! bounds checks inside the chunks); on x86-64 CPUs with AVX2 and FMA the same code is compiled a
//! second time for them and chosen at run time.

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

/// One fused multiply–add instruction (only called where FMA is enabled).
#[cfg(target_arch = "x86_64")]
struct Fused;
#[cfg(target_arch = "x86_64")]
impl MulAdd for Fused {
    #[inline(always)]
    fn mul_add(a: f32, b: f32, c: f32) -> f32 {
        a.mul_add(b, c)
    }
}

const LANES: usize = 16;

#[inline(always)]
fn dot_with<M: MulAdd>(a: &[f32], b: &[f32]) -> f32 {
    let len = a.len().min(b.len());
    let (a, b) = (&a[..len], &b[..len]);
    let mut lanes = [0.0f32; LANES];
    let (a_chunks, b_chunks) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let (a_rest, b_rest) = (a_chunks.remainder(), b_chunks.remainder());
    for (x, y) in a_chunks.zip(b_chunks) {
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
    let cols = x.len();
    for (out, (row, b)) in y.iter_mut().zip(matrix.chunks_exact(cols).zip(bias)) {
        *out = b + dot_with::<M>(row, x);
    }
}

#[inline(always)]
fn matvec_add_with<M: MulAdd>(matrix: &[f32], x: &[f32], y: &mut [f32]) {
    let cols = x.len();
    for (out, row) in y.iter_mut().zip(matrix.chunks_exact(cols)) {
        *out += dot_with::<M>(row, x);
    }
}

#[inline(always)]
fn axpy_with<M: MulAdd>(a: f32, x: &[f32], y: &mut [f32]) {
    for (out, value) in y.iter_mut().zip(x) {
        *out = M::mul_add(a, *value, *out);
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::Fused;

    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn matvec(matrix: &[f32], x: &[f32], bias: &[f32], y: &mut [f32]) {
        super::matvec_with::<Fused>(matrix, x, bias, y)
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn matvec_add(matrix: &[f32], x: &[f32], y: &mut [f32]) {
        super::matvec_add_with::<Fused>(matrix, x, y)
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn axpy(a: f32, x: &[f32], y: &mut [f32]) {
        super::axpy_with::<Fused>(a, x, y)
    }

    /// Whether this CPU runs the functions above (the standard library caches the answer).
    #[inline]
    pub(super) fn available() -> bool {
        std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
    }
}

/// `y[i] = bias[i] + Σ_j matrix[i][j]·x[j]` for a row-major matrix of `y.len()` rows and
/// `x.len()` columns.
pub fn matvec(matrix: &[f32], x: &[f32], bias: &[f32], y: &mut [f32]) {
    debug_assert!(matrix.len() == x.len() * y.len() && bias.len() == y.len());
    #[cfg(target_arch = "x86_64")]
    if avx2::available() {
        // SAFETY: the CPU supports AVX2 and FMA, checked just above.
        return unsafe { avx2::matvec(matrix, x, bias, y) };
    }
    matvec_with::<Plain>(matrix, x, bias, y)
}

/// `y[i] += Σ_j matrix[i][j]·x[j]`.
pub fn matvec_add(matrix: &[f32], x: &[f32], y: &mut [f32]) {
    debug_assert!(matrix.len() == x.len() * y.len());
    #[cfg(target_arch = "x86_64")]
    if avx2::available() {
        // SAFETY: the CPU supports AVX2 and FMA, checked just above.
        return unsafe { avx2::matvec_add(matrix, x, y) };
    }
    matvec_add_with::<Plain>(matrix, x, y)
}

/// `y[i] += a·x[i]`.
pub fn axpy(a: f32, x: &[f32], y: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if avx2::available() {
        // SAFETY: the CPU supports AVX2 and FMA, checked just above.
        return unsafe { avx2::axpy(a, x, y) };
    }
    axpy_with::<Plain>(a, x, y)
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
    fn matvec_matches_a_naive_product_at_every_length() {
        for cols in [1, 7, 15, 16, 17, 31, 33, 80, 129] {
            let rows = 5;
            let matrix: Vec<f32> =
                (0..rows * cols).map(|i| ((i * 37 % 101) as f32 - 50.0) / 50.0).collect();
            let x: Vec<f32> = (0..cols).map(|i| ((i * 13 % 29) as f32 - 14.0) / 14.0).collect();
            let bias: Vec<f32> = (0..rows).map(|i| i as f32 * 0.1).collect();
            let mut y = vec![0.0; rows];
            matvec(&matrix, &x, &bias, &mut y);
            let expected = naive_matvec(&matrix, &x, &bias);
            for (got, want) in y.iter().zip(&expected) {
                assert!((*got as f64 - want).abs() < 1e-5, "{cols} columns: {got} vs {want}");
            }
            let mut added = bias.clone();
            matvec_add(&matrix, &x, &mut added);
            assert_eq!(added, y, "{cols} columns: matvec_add differs from matvec");
        }
    }

    #[test]
    fn axpy_adds_a_scaled_vector() {
        let x: Vec<f32> = (0..37).map(|i| i as f32).collect();
        let mut y = vec![1.0; 37];
        axpy(0.5, &x, &mut y);
        for (i, v) in y.iter().enumerate() {
            assert_eq!(*v, 1.0 + 0.5 * i as f32);
        }
    }
}

//! The two largest of a task's scores (beliefs, pooled posteriors), for a result and its
//! runner-up.

/// The indices of the largest and the second largest of `values` (at least two; the lower index
/// on a tie).
pub fn two_largest<T: PartialOrd>(values: &[T]) -> (usize, usize) {
    let (mut best, mut second) = if values[1] > values[0] { (1, 0) } else { (0, 1) };
    for index in 2..values.len() {
        if values[index] > values[best] {
            (best, second) = (index, best);
        } else if values[index] > values[second] {
            second = index;
        }
    }
    (best, second)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_largest_and_the_lower_index_on_a_tie() {
        assert_eq!(two_largest(&[0.1, 0.5, 0.2, 0.5]), (1, 3));
        assert_eq!(two_largest(&[3.0, 1.0]), (0, 1));
        assert_eq!(two_largest(&[1.0, 1.0, 0.0]), (0, 1));
        assert_eq!(two_largest(&[0.0, 0.2, 0.9]), (2, 1));
    }
}

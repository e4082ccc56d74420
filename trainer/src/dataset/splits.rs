//! The fixed split of POP909 by song id: 001–700 train, 701–850 validate; 851–909 are not
//! distributed with the project (held out for independent evaluation).

use std::ops::RangeInclusive;

pub const TRAIN: RangeInclusive<u32> = 1..=700;
pub const VALIDATION: RangeInclusive<u32> = 701..=850;
pub const HELD_OUT: RangeInclusive<u32> = 851..=909;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    Train,
    Validation,
    HeldOut,
}

/// The split a song belongs to, if its id is a POP909 id.
pub fn split(id: u32) -> Option<Split> {
    if TRAIN.contains(&id) {
        Some(Split::Train)
    } else if VALIDATION.contains(&id) {
        Some(Split::Validation)
    } else if HELD_OUT.contains(&id) {
        Some(Split::HeldOut)
    } else {
        None
    }
}

/// Refuses any song that is not a training song: training must never see validation data.
pub fn ensure_training(ids: &[u32]) -> Result<(), String> {
    let refused: Vec<String> = ids
        .iter()
        .filter(|id| split(**id) != Some(Split::Train))
        .map(|id| format!("{id:03}"))
        .collect();
    if refused.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "songs {} are not training songs (train on {:03}–{:03} only; {:03}–{:03} validate)",
            refused.join(", "),
            TRAIN.start(),
            TRAIN.end(),
            VALIDATION.start(),
            VALIDATION.end()
        ))
    }
}

/// Parses a song list such as `1-50`, `701-850` or `1,5,9-12` into ids.
pub fn parse_songs(spec: &str) -> Result<Vec<u32>, String> {
    let mut ids = Vec::new();
    for part in spec.split(',').map(str::trim) {
        let number = |text: &str| {
            text.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=909).contains(n))
                .ok_or_else(|| format!("song {text:?} is not an id 1–909"))
        };
        match part.split_once('-') {
            Some((first, last)) => {
                let (first, last) = (number(first)?, number(last)?);
                if first > last {
                    return Err(format!("song range {part:?} runs backwards"));
                }
                ids.extend(first..=last);
            }
            None => ids.push(number(part)?),
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn song_lists_parse_and_validation_songs_are_refused_for_training() {
        assert_eq!(parse_songs("3,1-2, 9").unwrap(), vec![1, 2, 3, 9]);
        assert!(
            parse_songs("0-3").is_err() && parse_songs("5-2").is_err() && parse_songs("x").is_err()
        );
        assert_eq!(split(700), Some(Split::Train));
        assert_eq!(split(701), Some(Split::Validation));
        assert_eq!(split(851), Some(Split::HeldOut));
        assert!(ensure_training(&parse_songs("1-700").unwrap()).is_ok());
        let refused = ensure_training(&[12, 701, 850]).unwrap_err();
        assert!(refused.starts_with("songs 701, 850 are not training songs"), "{refused}");
    }
}

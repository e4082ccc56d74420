//! Applies a plan to a song: tempo and transposition in the MIDI domain (the labels moved with
//! the notes; a melody festival sings also moves down to its range), velocity curve, and in a
//! band a bass line from the chords and drums from the beat grid. The result holds every note that will sound and every label, in rendered time.

use super::plan::{BassPattern, DrumPattern, RenderPlan};
use super::score::{Note, Part, Score};
use super::singer;
use earshot_io::annotations::harte;
use earshot_io::annotations::key::Key;
use earshot_io::annotations::pop909::Beat;
use earshot_io::annotations::segments::Segment;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

/// A beat and its position in the bar (1 on downbeats).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedBeat {
    pub time: f64,
    pub position: u32,
}

/// Everything that will be rendered, and the labels, in seconds of the rendered audio.
#[derive(Debug, Clone)]
pub struct Arrangement {
    pub notes: Vec<Note>,
    pub beats: Vec<PlacedBeat>,
    pub chords: Vec<Segment>,
    pub key: Key,
}

/// The annotations a song comes with (POP909's, or a test's).
#[derive(Debug, Clone)]
pub struct SongLabels {
    pub beats: Vec<Beat>,
    pub chords: Vec<Segment>,
    pub key: Key,
}

const KICK: u8 = 36;
const SIDE_STICK: u8 = 37;
const SNARE: u8 = 38;
const CLAP: u8 = 39;
const CLOSED_HAT: u8 = 42;
const OPEN_HAT: u8 = 46;
const CRASH: u8 = 49;
const RIDE: u8 = 51;
const TOMS: [u8; 4] = [50, 48, 47, 45];

/// Arranges `score` as `plan` says. Fails only on a chord label that is not valid Harte syntax.
pub fn arrange(
    score: &Score,
    labels: &SongLabels,
    plan: &RenderPlan,
) -> Result<Arrangement, String> {
    let scale = |t: f64| t / plan.tempo_factor;
    let velocity = |v: u8| {
        ((v as f64 / 127.0).powf(plan.velocity_gamma) * 127.0).round().clamp(1.0, 127.0) as u8
    };
    let mut notes: Vec<Note> = score
        .notes
        .iter()
        .filter(|n| plan.part(n.part).is_some())
        .map(|n| Note {
            part: n.part,
            start: scale(n.start),
            end: scale(n.end),
            pitch: (n.pitch as i32 + plan.transpose).clamp(0, 127) as u8,
            velocity: velocity(n.velocity),
        })
        .collect();
    if plan.part(Part::Melody).is_some_and(|m| m.singer.is_some()) {
        let melody = || notes.iter().filter(|n| n.part == Part::Melody);
        let highest = melody().map(|n| n.pitch).max().unwrap_or(0);
        let shift = 12 * singer::octaves_down(highest);
        notes.iter_mut().filter(|n| n.part == Part::Melody).for_each(|n| n.pitch -= shift);
    }
    let beats = place_beats(&labels.beats, scale);
    let chords = labels
        .chords
        .iter()
        .map(|c| {
            let label = harte::transpose(&c.label, plan.transpose).map_err(|e| e.to_string())?;
            Ok(Segment { start: scale(c.start), end: scale(c.end), label })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let mut rng = SmallRng::seed_from_u64(plan.seed ^ 0x005e_edd2_u64 ^ plan.song as u64);
    if let Some(bass) = plan.bass {
        notes.extend(bass_line(&chords, &beats, bass.pattern, &mut rng));
    }
    if let Some(drums) = plan.drums {
        notes.extend(drum_part(&beats, drums.pattern, drums.fills, &mut rng));
    }
    notes.sort_by(|a, b| a.start.total_cmp(&b.start).then(a.pitch.cmp(&b.pitch)));
    Ok(Arrangement { notes, beats, chords, key: labels.key.transposed(plan.transpose) })
}

/// Beat times scaled, with positions counted from each downbeat (beats before the first
/// downbeat count back from the usual bar length).
fn place_beats(beats: &[Beat], scale: impl Fn(f64) -> f64) -> Vec<PlacedBeat> {
    let downbeats: Vec<usize> =
        beats.iter().enumerate().filter(|(_, b)| b.downbeat).map(|(i, _)| i).collect();
    let mut gaps: Vec<usize> = downbeats.windows(2).map(|w| w[1] - w[0]).collect();
    gaps.sort_unstable();
    let bar = gaps.get(gaps.len() / 2).copied().unwrap_or(4).max(1);
    let first = downbeats.first().copied().unwrap_or(0);
    let mut position = 0;
    beats
        .iter()
        .enumerate()
        .map(|(i, beat)| {
            position = if beat.downbeat {
                1
            } else if i < first {
                // A pickup: the last beats of a bar.
                ((bar as i64 - (first - i) as i64).rem_euclid(bar as i64) + 1) as u32
            } else {
                position + 1
            };
            PlacedBeat { time: scale(beat.time), position }
        })
        .collect()
}

/// The time `fraction` of the way from beat `i` to the next (the last interval repeats).
fn between(beats: &[PlacedBeat], i: usize, fraction: f64) -> f64 {
    let interval = match (beats.get(i + 1), i.checked_sub(1).and_then(|p| beats.get(p))) {
        (Some(next), _) => next.time - beats[i].time,
        (None, Some(previous)) => beats[i].time - previous.time,
        (None, None) => 0.5,
    };
    beats[i].time + fraction * interval
}

fn hit(time: f64, pitch: u8, velocity: u8, rng: &mut SmallRng, part: Part) -> Note {
    let velocity = (velocity as i32 + rng.random_range(-8..=8)).clamp(1, 127) as u8;
    Note { part, start: time.max(0.0), end: time.max(0.0) + 0.1, pitch, velocity }
}

fn drum_part(
    beats: &[PlacedBeat],
    pattern: DrumPattern,
    fills: bool,
    rng: &mut SmallRng,
) -> Vec<Note> {
    let mut notes = Vec::new();
    let mut bar = 0;
    for (i, beat) in beats.iter().enumerate() {
        let on = |p: &[u32]| p.contains(&beat.position);
        let mut play = |fraction: f64, pitch: u8, velocity: u8, rng: &mut SmallRng| {
            notes.push(hit(between(beats, i, fraction), pitch, velocity, rng, Part::Drums));
        };
        if beat.position == 1 {
            bar += 1;
        }
        let next_is_phrase_start =
            beats.get(i + 1).is_some_and(|b| b.position == 1) && bar % 4 == 0;
        if fills && next_is_phrase_start {
            for (k, tom) in TOMS.iter().enumerate() {
                play(k as f64 / 4.0, *tom, 100, rng);
            }
            continue;
        }
        if fills && beat.position == 1 && bar > 1 && bar % 4 == 1 {
            play(0.0, CRASH, 105, rng);
        }
        match pattern {
            DrumPattern::Rock => {
                play(0.0, if on(&[1, 3]) { KICK } else { SNARE }, 100, rng);
                play(0.0, CLOSED_HAT, 75, rng);
                play(0.5, CLOSED_HAT, 60, rng);
            }
            DrumPattern::FourOnTheFloor => {
                play(0.0, KICK, 105, rng);
                if on(&[2, 4]) {
                    play(0.0, CLAP, 95, rng);
                }
                play(0.5, OPEN_HAT, 70, rng);
            }
            DrumPattern::HalfTime => {
                if on(&[1]) {
                    play(0.0, KICK, 105, rng);
                }
                if on(&[3]) {
                    play(0.0, SNARE, 100, rng);
                }
                play(0.0, CLOSED_HAT, 70, rng);
            }
            DrumPattern::Shuffle => {
                play(0.0, if on(&[1, 3]) { KICK } else { SNARE }, 95, rng);
                play(0.0, RIDE, 80, rng);
                play(2.0 / 3.0, RIDE, 60, rng);
            }
            DrumPattern::Sparse => {
                if on(&[1]) {
                    play(0.0, KICK, 80, rng);
                }
                if on(&[3]) {
                    play(0.0, SIDE_STICK, 70, rng);
                }
                play(0.0, CLOSED_HAT, 45, rng);
                play(0.5, CLOSED_HAT, 35, rng);
            }
        }
    }
    notes
}

/// The bass pitch class of a chord (its slash bass if it has one), or `None` for `N`/`X`.
fn bass_pitch_class(label: &str) -> Option<u8> {
    let chord = harte::encode(label).ok()?;
    (chord.root >= 0).then(|| ((chord.root + chord.bass) % 12) as u8)
}

fn bass_line(
    chords: &[Segment],
    beats: &[PlacedBeat],
    pattern: BassPattern,
    rng: &mut SmallRng,
) -> Vec<Note> {
    // Bass notes between E1 (28) and D#2 (39).
    let pitch_of = |pitch_class: u8| 28 + (pitch_class + 12 - 4) % 12;
    let chord_at = |t: f64| {
        chords.iter().find(|c| c.start <= t && t < c.end).and_then(|c| bass_pitch_class(&c.label))
    };
    let mut notes = Vec::new();
    for (i, beat) in beats.iter().enumerate() {
        let steps: &[f64] = match pattern {
            BassPattern::Quarters | BassPattern::RootFifth => &[0.0],
            BassPattern::Eighths => &[0.0, 0.5],
        };
        for &step in steps {
            let start = between(beats, i, step);
            let Some(pitch_class) = chord_at(start) else { continue };
            let mut pitch = pitch_of(pitch_class);
            if pattern == BassPattern::RootFifth && matches!(beat.position, 2 | 4) {
                pitch += 7;
            }
            let length = (between(beats, i, step + 1.0 / steps.len() as f64) - start) * 0.85;
            let velocity = rng.random_range(85..110);
            notes.push(Note {
                part: Part::Bass,
                start,
                end: start + length.max(0.05),
                pitch,
                velocity,
            });
        }
    }
    notes
}

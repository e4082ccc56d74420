//! A melody sung with words by festival's singing mode (Debian's `festival` with its diphone
//! voices `kal` and `ked`): a robotic but human voice with consonants and vowels, the second
//! source of singing beside the SoundFonts' voice patches (choir aahs, voice oohs), so that a
//! vocal-activity model hears more than one kind of voice.
//!
//! festival sings each phrase (the notes of a melody phrase, gaps under
//! [`labels::PHRASE_GAP`](super::labels::PHRASE_GAP) as rests) with a given frequency and length
//! per note, one one-syllable word per note. Its output runs slightly longer than asked (about
//! 1–10 ms per note), so each phrase is placed at its first note and cut, with a short fade, where
//! the phrase ends: the vocal-activity labels are exact, a late note inside a long phrase may
//! start up to a few tens of milliseconds late.
//!
//! The diphone voices crash above about 510 Hz, so a sung melody moves down by whole octaves
//! until its highest note is at most [`HIGHEST_SUNG_PITCH`] (as men sing women's melodies).

use super::arrange::Arrangement;
use super::labels;
use super::score::Part;
use rand::Rng;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::process::Command;

/// The highest MIDI pitch festival is asked to sing: B4, 494 Hz.
pub const HIGHEST_SUNG_PITCH: u8 = 71;
/// festival's output rate (the diphone voices are 16 kHz).
const FESTIVAL_RATE: u32 = 16_000;
/// Notes shorter than this are left out of a phrase (held by the note before, if any): the
/// diphone voices cannot say a word in less.
const SHORTEST_NOTE: f64 = 0.04;
/// Fade at the end of each phrase (seconds), where festival's output is cut to the phrase.
const FADE: f64 = 0.02;
/// The sung line's RMS over its phrases at 0 dB gain, before panning: the median of FluidR3's
/// voice patches playing the same melodies (measured on six POP909 songs, three draws each:
/// 0.020–0.060 in the centre-panned mono mix, median 0.037 = 0.052 · cos 45°).
const SUNG_RMS: f32 = 0.052;

/// One-syllable words festival's lexicon knows, one sung per note.
const WORDS: [&str; 32] = [
    "la", "love", "you", "me", "my", "heart", "night", "day", "light", "stay", "go", "so", "high",
    "sky", "oh", "home", "time", "dream", "fall", "run", "feel", "soul", "fire", "rain", "blue",
    "true", "sun", "way", "now", "hold", "find", "free",
];

/// festival's diphone voices (Debian packages `festvox-kallpc16k` and `festvox-kdlpc16k`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
pub enum FestivalVoice {
    /// American English male (`kal_diphone`).
    Kal,
    /// American English male (`ked_diphone`).
    Ked,
}

impl FestivalVoice {
    fn command(self) -> &'static str {
        match self {
            FestivalVoice::Kal => "(voice_kal_diphone)",
            FestivalVoice::Ked => "(voice_ked_diphone)",
        }
    }
}

/// The singer of a render's melody.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Singer {
    pub voice: FestivalVoice,
    /// Draws the words.
    pub lyrics_seed: u64,
}

impl Singer {
    pub fn draw(voice: FestivalVoice, rng: &mut impl Rng) -> Singer {
        Singer { voice, lyrics_seed: rng.random() }
    }
}

/// How many octaves a melody whose highest note is `highest` moves down to be sung.
pub fn octaves_down(highest: u8) -> u8 {
    highest.saturating_sub(HIGHEST_SUNG_PITCH).div_ceil(12)
}

/// A monophonic note to sing: start and end (seconds), MIDI pitch.
#[derive(Debug, Clone, Copy, PartialEq)]
struct SungNote {
    start: f64,
    end: f64,
    pitch: u8,
}

/// The melody as festival can sing it: each note ends at the next one's start, and notes too
/// short for a word lengthen the note before them (or are left out).
fn sung_notes(arrangement: &Arrangement) -> Vec<SungNote> {
    let mut melody: Vec<SungNote> = arrangement
        .notes
        .iter()
        .filter(|n| n.part == Part::Melody && n.end > n.start)
        .map(|n| SungNote { start: n.start, end: n.end, pitch: n.pitch })
        .collect();
    melody.sort_by(|a, b| a.start.total_cmp(&b.start));
    for i in 1..melody.len() {
        let next_start = melody[i].start;
        melody[i - 1].end = melody[i - 1].end.min(next_start);
    }
    let mut notes: Vec<SungNote> = Vec::with_capacity(melody.len());
    for note in melody {
        if note.end - note.start >= SHORTEST_NOTE {
            notes.push(note);
        } else if let Some(last) = notes.last_mut().filter(|l| note.start - l.end < 1e-9) {
            last.end = note.end;
        }
    }
    notes
}

/// Splits notes into phrases at gaps of [`labels::PHRASE_GAP`] or more.
fn phrases(notes: &[SungNote]) -> Vec<&[SungNote]> {
    let mut phrases = Vec::new();
    let mut first = 0;
    for i in 1..=notes.len() {
        if i == notes.len() || notes[i].start - notes[i - 1].end >= labels::PHRASE_GAP {
            if i > first {
                phrases.push(&notes[first..i]);
            }
            first = i;
        }
    }
    phrases
}

/// festival's singing markup for one phrase: each note a word at its frequency and length, the
/// gaps between notes as rests.
fn phrase_markup(phrase: &[SungNote], words: &mut impl FnMut() -> &'static str) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE SINGING PUBLIC \"-//SINGING//DTD SINGING mark up//EN\" \
         \"Singing.v0_1.dtd\" []>\n<SINGING BPM=\"60\">\n",
    );
    for (i, note) in phrase.iter().enumerate() {
        if let Some(before) = i.checked_sub(1).map(|j| phrase[j]) {
            let gap = note.start - before.end;
            if gap > 1e-4 {
                xml += &format!("<REST SECONDS=\"{gap:.4}\"></REST>\n");
            }
        }
        let frequency = 440.0 * 2f64.powf((note.pitch as f64 - 69.0) / 12.0);
        xml += &format!(
            "<PITCH FREQ=\"{frequency:.3}\"><DURATION SECONDS=\"{:.4}\">{}</DURATION></PITCH>\n",
            note.end - note.start,
            words()
        );
    }
    xml + "</SINGING>\n"
}

/// festival's script singing `phrase0.xml`, `phrase1.xml`, … in its folder into `phrase0.wav`, …
/// (what `text2wave -mode singing -scale 0.5` does for one file, for all of them in one process).
const SCRIPT: &str = r#"
(define (earshot_save utt)
  (if (eq? earshot_samples 0)
      (wave.save.header earshot_fp (utt.wave utt) 'riff nil (list (list "numsamples" 0))))
  (set! earshot_samples (+ earshot_samples (get_param 'num_samples (wave.info (utt.wave utt)) 0)))
  (utt.wave.rescale utt 0.5)
  (wave.save.data.fp (utt.wave utt) earshot_fp 'riff nil)
  (set! earshot_last utt))
(set! tts_hooks (list utt.synth earshot_save))
(define (earshot_sing in out)
  (set! earshot_fp (fopen out "wb"))
  (set! earshot_samples 0)
  (tts_file in 'singing)
  (fseek earshot_fp 0 0)
  (wave.save.header earshot_fp (utt.wave earshot_last) 'riff nil
                    (list (list "numsamples" earshot_samples)))
  (fclose earshot_fp))
"#;

/// Runs festival in singing mode on each phrase's `markup` in one process, returning each
/// phrase's 16 kHz samples.
fn run_festival(
    markups: &[String],
    voice: FestivalVoice,
    scratch: &Path,
) -> Result<Vec<Vec<f32>>, String> {
    let mut script = format!("{}\n{SCRIPT}", voice.command());
    for (i, markup) in markups.iter().enumerate() {
        let input = scratch.join(format!("phrase{i}.xml"));
        std::fs::write(&input, markup).map_err(|e| format!("{}: {e}", input.display()))?;
        script += &format!("(earshot_sing \"phrase{i}.xml\" \"phrase{i}.wav\")\n");
    }
    let script_path = scratch.join("sing.scm");
    std::fs::write(&script_path, script).map_err(|e| format!("{}: {e}", script_path.display()))?;
    let result =
        Command::new("festival").args(["-b", "sing.scm"]).current_dir(scratch).output().map_err(
            |e| {
                format!(
                    "festival, needed for sung melodies, did not run ({e}): install Debian's \
                 festival, festvox-kallpc16k and festvox-kdlpc16k (`cargo xtask setup`)"
                )
            },
        )?;
    if !result.status.success() {
        return Err(format!(
            "festival failed ({}) singing the phrases in {}: {}",
            result.status,
            scratch.display(),
            String::from_utf8_lossy(&result.stderr).trim()
        ));
    }
    (0..markups.len()).map(|i| read_festival_wav(&scratch.join(format!("phrase{i}.wav")))).collect()
}

/// A WAV festival wrote, as samples.
fn read_festival_wav(path: &Path) -> Result<Vec<f32>, String> {
    let audio = earshot_io::audio::read(path).map_err(|e| e.to_string())?;
    if audio.sample_rate != FESTIVAL_RATE || audio.channels.len() != 1 {
        let (rate, channels) = (audio.sample_rate, audio.channels.len());
        return Err(format!(
            "{}: festival wrote {channels} channels at {rate} Hz, not mono at {FESTIVAL_RATE} Hz",
            path.display()
        ));
    }
    Ok(audio.mono())
}

/// `samples` at 16 kHz converted to `sample_rate`, time zero kept.
fn resample(samples: &[f32], sample_rate: u32) -> Result<Vec<f32>, String> {
    let mut stage = earshot_dsp::InputStage::new(FESTIVAL_RATE as f64, sample_rate)?;
    let wanted = (samples.len() as f64 * sample_rate as f64 / FESTIVAL_RATE as f64) as usize;
    let mut out = Vec::with_capacity(wanted + 1024);
    let mut collect = |chunk: &[f32]| out.extend_from_slice(chunk);
    stage.push(&[samples], samples.len(), &mut collect);
    let flush = vec![0.0f32; stage.delay() + stage.chunk_wait() + FESTIVAL_RATE as usize / 10];
    stage.push(&[&flush[..]], flush.len(), &mut collect);
    out.truncate(wanted);
    Ok(out)
}

/// The arrangement's melody sung by `singer`, mono at `sample_rate`, `length` samples long, at
/// `gain_db`.
pub fn sing(
    arrangement: &Arrangement,
    singer: &Singer,
    gain_db: f32,
    sample_rate: u32,
    length: usize,
) -> Result<Vec<f32>, String> {
    let mut rng: rand::rngs::SmallRng = rand::SeedableRng::seed_from_u64(singer.lyrics_seed);
    let mut words = || WORDS[rng.random_range(0..WORDS.len())];
    let scratch = tempfile::tempdir().map_err(|e| format!("scratch folder: {e}"))?;
    let mut line = vec![0.0f32; length];
    let mut sung_samples = 0usize;
    let at = |t: f64| ((t * sample_rate as f64).round() as usize).min(length);
    let notes = sung_notes(arrangement);
    let phrases = phrases(&notes);
    let markups: Vec<String> = phrases.iter().map(|p| phrase_markup(p, &mut words)).collect();
    let sung = run_festival(&markups, singer.voice, scratch.path())?;
    for (phrase, audio) in phrases.iter().zip(sung) {
        let audio = resample(&audio, sample_rate)?;
        let (start, end) = (at(phrase[0].start), at(phrase[phrase.len() - 1].end));
        let span = (end - start).min(audio.len());
        let fade = ((FADE * sample_rate as f64) as usize).min(span).max(1);
        for (k, (out, sample)) in line[start..start + span].iter_mut().zip(&audio).enumerate() {
            let to_end = span - k;
            *out = sample * (to_end.min(fade) as f32 / fade as f32);
        }
        sung_samples += span;
    }
    let energy: f32 = line.iter().map(|s| s * s).sum();
    if sung_samples > 0 && energy > 0.0 {
        let rms = (energy / sung_samples as f32).sqrt();
        let scale = SUNG_RMS * 10f32.powf(gain_db / 20.0) / rms;
        line.iter_mut().for_each(|s| *s *= scale);
    }
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::score::Note;
    use earshot_io::annotations::key::Key;

    fn melody(notes: &[(f64, f64, u8)]) -> Arrangement {
        Arrangement {
            notes: notes
                .iter()
                .map(|&(start, end, pitch)| Note {
                    part: Part::Melody,
                    start,
                    end,
                    pitch,
                    velocity: 100,
                })
                .collect(),
            beats: Vec::new(),
            chords: Vec::new(),
            key: Key::parse("C major").unwrap(),
        }
    }

    #[test]
    fn melodies_move_down_whole_octaves_until_festival_can_sing_them() {
        assert_eq!(octaves_down(60), 0);
        assert_eq!(octaves_down(HIGHEST_SUNG_PITCH), 0);
        assert_eq!(octaves_down(HIGHEST_SUNG_PITCH + 1), 1);
        assert_eq!(octaves_down(HIGHEST_SUNG_PITCH + 12), 1);
        assert_eq!(octaves_down(HIGHEST_SUNG_PITCH + 13), 2);
    }

    #[test]
    fn overlaps_are_cut_and_words_too_short_to_sing_join_the_note_before() {
        let arrangement =
            melody(&[(0.0, 0.6, 60), (0.5, 1.0, 62), (1.0, 1.02, 64), (2.0, 2.01, 65)]);
        let notes = sung_notes(&arrangement);
        let spans: Vec<(f64, f64)> = notes.iter().map(|n| (n.start, n.end)).collect();
        assert_eq!(spans, [(0.0, 0.5), (0.5, 1.02)]);
    }

    #[test]
    fn phrases_break_at_gaps_as_the_melody_labels_do() {
        let arrangement = melody(&[(0.0, 0.5, 60), (0.6, 1.0, 62), (1.5, 2.0, 64)]);
        let notes = sung_notes(&arrangement);
        let lengths: Vec<usize> = phrases(&notes).iter().map(|p| p.len()).collect();
        assert_eq!(lengths, [2, 1]);
        let markup = phrase_markup(phrases(&notes)[0], &mut || "la");
        assert!(markup.contains("<PITCH FREQ=\"261.626\"><DURATION SECONDS=\"0.5000\">la"));
        assert!(markup.contains("<REST SECONDS=\"0.1000\"></REST>"), "{markup}");
        assert!(markup.contains("FREQ=\"293.665\"><DURATION SECONDS=\"0.4000\">"), "{markup}");
    }

    #[test]
    fn festival_sings_each_phrase_in_its_place_at_the_asked_pitch_and_level() {
        // A3 (220 Hz) for a second; after a second's gap, C4 then E4.
        let arrangement = melody(&[(0.5, 1.5, 57), (2.5, 3.0, 60), (3.0, 3.5, 64)]);
        let singer = Singer { voice: FestivalVoice::Kal, lyrics_seed: 3 };
        let rate = 44_100;
        let line = sing(&arrangement, &singer, -6.0, rate, 5 * rate as usize).unwrap();
        let range =
            |from: f64, to: f64| &line[(from * rate as f64) as usize..(to * rate as f64) as usize];
        let energy = |s: &[f32]| s.iter().map(|x| x * x).sum::<f32>();
        for (from, to) in [(0.0, 0.5), (1.5, 2.5), (3.5, 5.0)] {
            assert_eq!(energy(range(from, to)), 0.0, "silent from {from} to {to} s");
        }
        let sung = (energy(range(0.5, 1.5)) + energy(range(2.5, 3.5))) / (2 * rate) as f32;
        let level = SUNG_RMS * 10f32.powf(-6.0 / 20.0);
        assert!((sung.sqrt() / level - 1.0).abs() < 0.01, "RMS {} not {level}", sung.sqrt());
        // The vowel of the first word: its period is 220 Hz's, within 2 %.
        let vowel = range(0.9, 1.2);
        let correlation = |lag: usize| -> f32 {
            let (a, b) = (&vowel[..vowel.len() - lag], &vowel[lag..]);
            a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>() / (energy(a) * energy(b)).sqrt()
        };
        let period = (rate as usize / 400..rate as usize / 100)
            .max_by(|&a, &b| correlation(a).total_cmp(&correlation(b)))
            .unwrap();
        let f0 = rate as f64 / period as f64;
        assert!((f0 / 220.0 - 1.0).abs() < 0.02, "sung at {f0:.1} Hz, not 220 Hz");
    }
}

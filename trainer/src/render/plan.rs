//! How one song is rendered: every random choice of the augmentation, drawn from a seed and
//! recorded beside the audio, so a render can be explained and repeated.

use super::instruments::{
    self, ACCOMPANIMENT, BASSES, COUNTER_MELODY, KITS, LEADS, PIANOS, VOICES,
};
use super::score::Part;
use super::singer::{FestivalVoice, Singer};
use super::tone::Tone;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// The arrangement to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Style {
    /// POP909's arrangement as written: melody plus piano parts.
    AsWritten,
    /// A band: other instruments, a bass line from the chords, drums from the beats.
    Band,
}

/// Drum patterns, all built on the annotated beat grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DrumPattern {
    /// Kick on 1 and 3, snare on 2 and 4, closed hi-hat eighths.
    Rock,
    /// Kick on every beat, clap on 2 and 4, open hi-hat off-beats.
    FourOnTheFloor,
    /// Kick on 1, snare on 3, hi-hat quarters.
    HalfTime,
    /// Kick on 1 and 3, snare on 2 and 4, swung ride.
    Shuffle,
    /// Kick on 1, side stick on 3, soft hi-hat eighths.
    Sparse,
}

/// Bass patterns on the chord roots (or the slash bass).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BassPattern {
    /// The bass note on every beat.
    Quarters,
    /// Root on 1 and 3, fifth on 2 and 4.
    RootFifth,
    /// The bass note on every eighth.
    Eighths,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Drums {
    pub kit: u8,
    pub pattern: DrumPattern,
    /// Tom fills before every fourth bar, and a crash after them.
    pub fills: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bass {
    pub program: u8,
    pub pattern: BassPattern,
}

/// One part's instrument and place in the mix.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PartMix {
    pub part: Part,
    pub program: u8,
    pub gain_db: f32,
    /// −1 (left) … 1 (right).
    pub pan: f32,
    /// MIDI reverb and chorus sends, 0–127.
    pub reverb: u8,
    pub chorus: u8,
    /// The renderer's own voice plays the part instead of `program` (dry: no reverb or chorus).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tone: Option<Tone>,
    /// festival sings the part (the melody) with words instead of `program` (see
    /// [`super::singer`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub singer: Option<Singer>,
}

impl PartMix {
    /// Whether the part swells in rather than striking (see [`instruments::slow_attack`]).
    pub fn slow_attack(&self) -> bool {
        self.part != Part::Drums
            && self.tone.is_none()
            && self.singer.is_none()
            && instruments::slow_attack(self.program)
    }

    /// Whether the SoundFont plays the part (no [`Tone`] or [`Singer`] does).
    pub fn by_soundfont(&self) -> bool {
        self.tone.is_none() && self.singer.is_none()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Noise {
    /// Pink (1/f) or white.
    pub pink: bool,
    /// Signal-to-noise ratio (dB) against the mix's RMS.
    pub snr_db: f32,
}

/// What plays a render's melody.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MelodySource {
    /// As the plan drew it: a voice patch or a lead instrument.
    Drawn,
    /// A voice patch: choir aahs, voice oohs, synth voice, voice lead.
    Voice,
    /// A lead instrument (see [`instruments::LEADS`]).
    Lead,
    /// festival's singing voice, with words.
    Sung(FestivalVoice),
}

/// Every choice made for one render.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenderPlan {
    pub song: u32,
    pub variant: u32,
    pub seed: u64,
    pub soundfont: String,
    pub style: Style,
    /// Playback speed: 1.1 plays 10 % faster (every time divided by it).
    pub tempo_factor: f64,
    /// Semitones added to every pitched note, chord and key.
    pub transpose: i32,
    /// Melody, bridge, piano, and in a band bass and drums.
    pub parts: Vec<PartMix>,
    pub bass: Option<Bass>,
    pub drums: Option<Drums>,
    /// Velocities become `127·(v/127)^gamma`.
    pub velocity_gamma: f64,
    /// Low and high shelf gains (dB) at 200 Hz and 4 kHz.
    pub low_shelf_db: f32,
    pub high_shelf_db: f32,
    pub noise: Option<Noise>,
    /// Gain changes over the song: (time in the rendered audio, dB), interpolated linearly.
    pub level_changes: Vec<(f64, f32)>,
}

/// The random generator of a song's render, from the seed.
fn generator(seed: u64, song: u32, variant: u32) -> SmallRng {
    SmallRng::seed_from_u64(seed ^ (song as u64) << 32 ^ (variant as u64) << 48)
}

fn pick(rng: &mut SmallRng, choices: &[u8]) -> u8 {
    choices[rng.random_range(0..choices.len())]
}

impl RenderPlan {
    /// Draws a plan for a song of `duration` seconds (before tempo change). A kit the SoundFont
    /// lacks sounds as its standard kit.
    pub fn draw(
        song: u32,
        variant: u32,
        seed: u64,
        soundfont: &str,
        style: Style,
        duration: f64,
    ) -> RenderPlan {
        let mut rng = generator(seed, song, variant);
        let melody_program =
            if rng.random_bool(0.6) { pick(&mut rng, &VOICES) } else { pick(&mut rng, &LEADS) };
        let (bridge, piano) = match style {
            Style::AsWritten => (pick(&mut rng, &PIANOS), pick(&mut rng, &PIANOS)),
            Style::Band => (pick(&mut rng, &COUNTER_MELODY), pick(&mut rng, &ACCOMPANIMENT)),
        };
        let (bass, drums) = match style {
            Style::AsWritten => (None, None),
            Style::Band => {
                let bass = Bass {
                    program: pick(&mut rng, &BASSES),
                    pattern: [BassPattern::Quarters, BassPattern::RootFifth, BassPattern::Eighths]
                        [rng.random_range(0..3)],
                };
                let patterns = [
                    DrumPattern::Rock,
                    DrumPattern::FourOnTheFloor,
                    DrumPattern::HalfTime,
                    DrumPattern::Shuffle,
                    DrumPattern::Sparse,
                ];
                // Sometimes a band plays without a drummer.
                let drums = rng.random_bool(0.85).then(|| Drums {
                    kit: pick(&mut rng, &KITS),
                    pattern: patterns[rng.random_range(0..patterns.len())],
                    fills: rng.random_bool(0.7),
                });
                (Some(bass), drums)
            }
        };
        let mut mix = |part, program, gain: (f32, f32)| PartMix {
            part,
            program,
            gain_db: rng.random_range(gain.0..gain.1),
            pan: rng.random_range(-0.6..0.6),
            reverb: rng.random_range(0..90),
            chorus: rng.random_range(0..50),
            tone: None,
            singer: None,
        };
        let mut parts = vec![
            mix(Part::Melody, melody_program, (-3.0, 3.0)),
            mix(Part::Bridge, bridge, (-9.0, -1.0)),
            mix(Part::Piano, piano, (-8.0, 0.0)),
        ];
        if let Some(bass) = bass {
            parts.push(mix(Part::Bass, bass.program, (-6.0, 0.0)));
        }
        if let Some(drums) = drums {
            let mut drum_mix = mix(Part::Drums, drums.kit, (-8.0, 0.0));
            drum_mix.pan = 0.0;
            parts.push(drum_mix);
        }
        let noise = rng
            .random_bool(0.6)
            .then(|| Noise { pink: rng.random_bool(0.5), snr_db: rng.random_range(20.0..50.0) });
        let mut level_changes = vec![(0.0, 0.0)];
        let mut time = 0.0;
        while time < duration {
            time += rng.random_range(5.0..20.0);
            level_changes.push((time, rng.random_range(-6.0..3.0)));
        }
        RenderPlan {
            song,
            variant,
            seed,
            soundfont: soundfont.to_string(),
            style,
            tempo_factor: rng.random_range(0.85..1.15),
            transpose: rng.random_range(-5..=6),
            parts,
            bass,
            drums,
            velocity_gamma: rng.random_range(0.7..1.4),
            low_shelf_db: rng.random_range(-6.0..6.0),
            high_shelf_db: rng.random_range(-6.0..6.0),
            noise,
            level_changes,
        }
    }

    /// The same arrangement and instruments with the signal augmentation taken out: original
    /// tempo, key and dynamics, no EQ, no level changes, no added noise. For evaluation renders
    /// that hear the songs as written rather than as the training's augmentation distorts them.
    pub fn without_augmentation(self) -> RenderPlan {
        RenderPlan {
            tempo_factor: 1.0,
            transpose: 0,
            velocity_gamma: 1.0,
            low_shelf_db: 0.0,
            high_shelf_db: 0.0,
            noise: None,
            level_changes: vec![(0.0, 0.0)],
            ..self
        }
    }

    /// The same plan with each pitched part played by a drawn [`Tone`] with `probability`.
    /// The draws come from their own generator, so every other choice stays as without them.
    pub fn with_synth_tones(mut self, probability: f64) -> RenderPlan {
        let mut rng = generator(self.seed ^ 0x7013, self.song, self.variant);
        for mix in self.parts.iter_mut().filter(|m| m.part != Part::Drums) {
            if rng.random_bool(probability) {
                mix.tone = Some(Tone::draw(&mut rng));
            }
        }
        self
    }

    /// The mix settings of a part, if it is rendered.
    pub fn part(&self, part: Part) -> Option<&PartMix> {
        self.parts.iter().find(|p| p.part == part)
    }

    /// The same plan with the melody played as `source` says. The draws come from their own
    /// generator, so every other choice stays as without it.
    pub fn with_melody(mut self, source: MelodySource) -> RenderPlan {
        let mut rng = generator(self.seed ^ 0x5106, self.song, self.variant);
        let Some(melody) = self.parts.iter_mut().find(|m| m.part == Part::Melody) else {
            return self;
        };
        if source != MelodySource::Drawn {
            melody.tone = None;
            melody.singer = None;
        }
        match source {
            MelodySource::Drawn => {}
            MelodySource::Voice => melody.program = pick(&mut rng, &VOICES),
            MelodySource::Lead => melody.program = pick(&mut rng, &LEADS),
            MelodySource::Sung(voice) => melody.singer = Some(Singer::draw(voice, &mut rng)),
        }
        self
    }

    /// Whether the melody is sung (festival's voice or a voice-like patch) rather than played.
    pub fn melody_is_voice(&self) -> bool {
        self.part(Part::Melody).is_some_and(|m| {
            m.singer.is_some() || (m.tone.is_none() && instruments::voice_like(m.program))
        })
    }
}

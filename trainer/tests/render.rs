//! Rendering end to end on a song this test writes itself (MIDI, beats, chords, key in POP909's
//! layout): the labels written beside the audio must be exactly the written notes and
//! annotations moved by the plan's tempo factor and transposition; drums and bass must sit on
//! the beat grid; the same seed must give the same files. Needs Debian's TimGM6mb SoundFont
//! (`cargo xtask setup` installs it).

use earshot_io::annotations::{events, key, segments};
use earshot_io::audio;
mod common;

use common::{options, scratch, write_song, Scratch, BEAT, SOUNDFONT};
use earshot_trainer::dataset::render::{render_dataset, RenderOptions, StyleChoice};
use earshot_trainer::render::score::Score;
use std::path::Path;

/// Song 1 rendered as a band twice with seed 11: as drawn, and with `change` made to the
/// options. Returns the written song and the folders: POP909, drawn, changed (kept alive).
fn band_twice(name: &str, change: impl FnOnce(&mut RenderOptions)) -> (Score, [Scratch; 3]) {
    let pop909 = scratch(&format!("pop909-{name}"));
    let score = write_song(&pop909);
    let (drawn, changed) =
        (scratch(&format!("band-{name}-drawn")), scratch(&format!("band-{name}")));
    render_dataset(&options(&pop909, &drawn, StyleChoice::Band, 11), &[1]).unwrap();
    let mut changed_options = options(&pop909, &changed, StyleChoice::Band, 11);
    change(&mut changed_options);
    render_dataset(&changed_options, &[1]).unwrap();
    (score, [pop909, drawn, changed])
}

fn plan(out: &Path, stem: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join(format!("{stem}.json"))).unwrap()).unwrap()
}

#[test]
fn labels_are_the_written_song_moved_by_the_plan() {
    let pop909 = scratch("pop909");
    let score = write_song(&pop909);
    let out = scratch("as-written");
    let report = render_dataset(&options(&pop909, &out, StyleChoice::AsWritten, 7), &[1]).unwrap();
    assert_eq!(report.renders, 2);
    for stem in ["001-v0", "001-v1"] {
        let plan = plan(&out, stem);
        let tempo = plan["plan"]["tempo_factor"].as_f64().unwrap();
        let transpose = plan["plan"]["transpose"].as_i64().unwrap() as i32;
        assert!((0.85..1.15).contains(&tempo) && (-5..=6).contains(&transpose));

        // Onsets: every note start, scaled; starts under 30 ms apart merged (here: chords).
        let mut expected: Vec<f64> = Vec::new();
        for n in &score.notes {
            let t = n.start / tempo;
            if expected.last().is_none_or(|last| t - last >= 0.03) {
                expected.push(t);
            }
        }
        let onsets = events::read_times(&out.join(format!("{stem}.onsets.txt"))).unwrap();
        assert_eq!(onsets.len(), expected.len(), "{stem}: onset count");
        for (got, want) in onsets.iter().zip(&expected) {
            // The MIDI stores times to 1/1920 s; the label file to 1 µs.
            assert!((got - want).abs() < 6e-4, "{stem}: onset {got} vs {want}");
        }

        // Note starts: every written note, scaled, with its pitch transposed.
        let mut written: Vec<(f64, i32)> =
            score.notes.iter().map(|n| (n.start / tempo, n.pitch as i32 + transpose)).collect();
        written.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let notes = events::read(&out.join(format!("{stem}.notes.txt"))).unwrap();
        assert_eq!(notes.len(), written.len(), "{stem}: note count");
        for (got, (time, pitch)) in notes.iter().zip(&written) {
            assert!((got.time - time).abs() < 6e-4, "{stem}: note {} vs {time}", got.time);
            assert_eq!(got.value.as_deref(), Some(pitch.to_string().as_str()));
        }

        let beats = events::read(&out.join(format!("{stem}.beats.txt"))).unwrap();
        assert_eq!(beats.len(), 16);
        for (i, beat) in beats.iter().enumerate() {
            assert!((beat.time - (0.5 + i as f64 * BEAT) / tempo).abs() < 2e-6);
            assert_eq!(beat.value.as_deref(), Some((i % 4 + 1).to_string().as_str()));
        }

        let chords = segments::read(&out.join(format!("{stem}.chords.lab"))).unwrap();
        let names = earshot_io::annotations::harte::PITCH_NAMES;
        let moved = |pc: i32, quality: &str| {
            format!("{}:{quality}", names[(pc + transpose).rem_euclid(12) as usize])
        };
        let labels: Vec<&str> = chords.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, [moved(0, "maj"), moved(9, "min"), moved(5, "maj"), moved(7, "maj")]);
        assert!((chords[1].start - 2.5 / tempo).abs() < 2e-6);
        let key = key::read(&out.join(format!("{stem}.key.txt"))).unwrap();
        assert_eq!(key.tonic, Some(transpose.rem_euclid(12) as u8));

        let melody = segments::read(&out.join(format!("{stem}.melody.lab"))).unwrap();
        // Melody notes 0.9 s apart, 0.8 s long: gaps of 0.1 s bridge into one phrase.
        assert_eq!(melody.len(), 1, "{stem}: {melody:?}");
        assert!(
            (melody[0].start - 0.5 / tempo).abs() < 6e-4
                && (melody[0].end - (0.5 + 7.0 * 0.9 + 0.8) / tempo).abs() < 6e-4
        );
        let program = plan["plan"]["parts"][0]["program"].as_u64().unwrap();
        let voice = [52, 53, 54, 85].contains(&program);
        assert_eq!(melody[0].label, if voice { "voice" } else { "lead" });

        let audio = audio::read(&out.join(format!("{stem}.wav"))).unwrap();
        assert_eq!((audio.sample_rate, audio.channels.len()), (44_100, 2));
        let last_end = score.notes.iter().map(|n| n.end).fold(0.0, f64::max) / tempo;
        assert!(
            (audio.duration() - (last_end + 2.0)).abs() < 0.01,
            "{stem}: {} s",
            audio.duration()
        );
        let mono = audio.mono();
        let rms = |from: f64, to: f64| {
            let part = &mono[(from * 44_100.0) as usize..(to * 44_100.0) as usize];
            (part.iter().map(|s| s * s).sum::<f32>() / part.len() as f32).sqrt()
        };
        let (music, lead_in) = (rms(1.0 / tempo, 7.0 / tempo), rms(0.0, 0.4 / tempo));
        assert!(music > 0.02, "{stem}: the song is silent ({music})");
        assert!(music > 10.0 * lead_in, "{stem}: before the first note {lead_in}, during {music}");
    }
}

#[test]
fn band_drums_and_bass_follow_the_beats_and_renders_repeat_exactly() {
    let pop909 = scratch("pop909-band");
    write_song(&pop909);
    let out = scratch("band");
    render_dataset(&options(&pop909, &out, StyleChoice::Band, 11), &[1]).unwrap();
    for stem in ["001-v0", "001-v1"] {
        let plan = plan(&out, stem);
        let onsets = events::read_times(&out.join(format!("{stem}.onsets.txt"))).unwrap();
        let beats = events::read_times(&out.join(format!("{stem}.beats.txt"))).unwrap();
        assert!(!plan["plan"]["bass"].is_null(), "a band always has a bass");
        // Every pattern puts a drum hit, and every bass pattern a note, on each beat that has a chord.
        for beat in &beats {
            assert!(
                onsets.iter().any(|o| (o - beat).abs() < 1e-5),
                "{stem}: no onset on the beat at {beat}"
            );
        }
        let parts: Vec<&str> = plan["plan"]["parts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["part"].as_str().unwrap())
            .collect();
        assert!(parts.contains(&"Bass"));
    }
    let again = scratch("band-again");
    render_dataset(&options(&pop909, &again, StyleChoice::Band, 11), &[1]).unwrap();
    let other_seed = scratch("band-other");
    render_dataset(&options(&pop909, &other_seed, StyleChoice::Band, 12), &[1]).unwrap();
    for file in ["001-v0.wav", "001-v0.onsets.txt", "001-v1.json", "001-v1.chords.lab"] {
        let bytes = |dir: &Path| std::fs::read(dir.join(file)).unwrap();
        assert!(
            bytes(&out) == bytes(&again),
            "{file} differs between two renders with the same seed"
        );
    }
    assert!(
        std::fs::read(out.join("001-v0.wav")).unwrap()
            != std::fs::read(other_seed.join("001-v0.wav")).unwrap()
    );
}

#[test]
fn clean_renders_keep_the_instruments_and_drop_the_augmentation() {
    let (score, [_pop909, augmented, clean]) = band_twice("clean", |o| o.clean = true);
    for stem in ["001-v0", "001-v1"] {
        let (drawn, plain) = (plan(&augmented, stem), plan(&clean, stem));
        for same in ["parts", "bass", "drums", "soundfont"] {
            assert_eq!(drawn["plan"][same], plain["plan"][same], "{stem}: {same}");
        }
        assert!(drawn["plan"]["tempo_factor"] != 1.0, "{stem}: the augmented draw moved the tempo");
        let neutral = [
            ("tempo_factor", 1.0),
            ("velocity_gamma", 1.0),
            ("transpose", 0.0),
            ("low_shelf_db", 0.0),
            ("high_shelf_db", 0.0),
        ];
        for (field, value) in neutral {
            assert_eq!(plain["plan"][field].as_f64(), Some(value), "{stem}: {field}");
        }
        assert!(plain["plan"]["noise"].is_null(), "{stem}: noise");
        assert_eq!(plain["plan"]["level_changes"], serde_json::json!([[0.0, 0.0]]), "{stem}");
        // Untransposed, at the written tempo: the first onset is the first written note.
        let onsets = events::read_times(&clean.join(format!("{stem}.onsets.txt"))).unwrap();
        let first = score.notes.iter().map(|n| n.start).fold(f64::INFINITY, f64::min);
        assert!((onsets[0] - first).abs() < 6e-4, "{stem}: {} vs {first}", onsets[0]);
    }
}

#[test]
fn salience_is_measured_for_every_onset_without_changing_the_render() {
    let (_, [_pop909, plain, measured]) = band_twice("salience", |o| o.salience = true);
    for stem in ["001-v0", "001-v1"] {
        assert!(!plain.join(format!("{stem}.salience.txt")).exists(), "{stem}: only when asked");
        for file in [".wav", ".onsets.txt"] {
            let bytes = |dir: &Path| std::fs::read(dir.join(format!("{stem}{file}"))).unwrap();
            assert!(bytes(&plain) == bytes(&measured), "{stem}{file} changed");
        }
        let onsets = events::read(&measured.join(format!("{stem}.onsets.txt"))).unwrap();
        let scored = events::read(&measured.join(format!("{stem}.salience.txt"))).unwrap();
        assert_eq!(onsets.len(), scored.len(), "{stem}: one salience per onset");
        let decibels: Vec<f32> =
            scored.iter().map(|e| e.value.as_ref().unwrap().parse().unwrap()).collect();
        for (onset, event) in onsets.iter().zip(&scored) {
            assert_eq!(onset.time, event.time, "{stem}");
        }
        assert!(decibels.iter().all(|db| (-120.0..=150.0).contains(db)), "{stem}: {decibels:?}");
        // The test song's notes are few and loud: nearly all stand out.
        let audible = decibels.iter().filter(|db| **db > 0.0).count();
        assert!(audible * 10 >= decibels.len() * 9, "{stem}: {decibels:?}");
    }
}

#[test]
fn bad_requests_are_refused_with_a_reason() {
    let pop909 = scratch("pop909-empty");
    let out = scratch("refused");
    let missing = render_dataset(&options(&pop909, &out, StyleChoice::Mixed, 1), &[5]).unwrap_err();
    assert!(missing.contains("song 005") && missing.contains("does not exist"), "{missing}");
    write_song(&pop909);
    let mut musescore = options(&pop909, &out, StyleChoice::Mixed, 1);
    let reserved = out.join("MuseScore_General.sf2");
    std::fs::copy(SOUNDFONT, &reserved).unwrap();
    musescore.soundfonts = vec![reserved];
    let refused = render_dataset(&musescore, &[1]).unwrap_err();
    assert!(refused.contains("kept for the project's independent evaluation"), "{refused}");
    let mut broken = options(&pop909, &out, StyleChoice::Mixed, 1);
    let not_sf2 = out.join("broken.sf2");
    std::fs::write(&not_sf2, b"RIFF....sfbk").unwrap();
    broken.soundfonts = vec![not_sf2];
    assert!(render_dataset(&broken, &[1]).unwrap_err().contains("not a usable .sf2"));
}

#[test]
fn synth_tones_replace_the_pitched_parts_and_change_no_other_choice_or_onset() {
    let (_, [_pop909, drawn, toned]) = band_twice("tones", |o| o.synth_tones = 1.0);
    for stem in ["001-v0", "001-v1"] {
        let (before, after) = (plan(&drawn, stem), plan(&toned, stem));
        let (parts_before, parts_after) = (
            before["plan"]["parts"].as_array().unwrap(),
            after["plan"]["parts"].as_array().unwrap(),
        );
        assert_eq!(parts_before.len(), parts_after.len(), "{stem}");
        for (mut part, was) in parts_after.iter().cloned().zip(parts_before) {
            let tone = part.as_object_mut().unwrap().remove("tone");
            assert_eq!(tone.is_some(), part["part"] != "Drums", "{stem}: {part}");
            assert_eq!(&part, was, "{stem}: the part's other settings are kept");
        }
        for same in ["tempo_factor", "transpose", "bass", "drums", "level_changes", "noise"] {
            assert_eq!(before["plan"][same], after["plan"][same], "{stem}: {same}");
        }
        let onsets = |dir: &Path| events::read(&dir.join(format!("{stem}.onsets.txt"))).unwrap();
        let (written, played) = (onsets(&drawn), onsets(&toned));
        let times = |e: &[events::Event]| e.iter().map(|e| e.time).collect::<Vec<_>>();
        assert_eq!(times(&written), times(&played), "{stem}: the same note starts");
        assert!(played.iter().all(|e| e.value.is_none()), "{stem}: a tone never starts slowly");
        let wav = |dir: &Path| std::fs::read(dir.join(format!("{stem}.wav"))).unwrap();
        assert!(wav(&drawn) != wav(&toned), "{stem}: the tones are heard");
        let melody = segments::read(&toned.join(format!("{stem}.melody.lab"))).unwrap();
        assert!(melody.iter().all(|s| s.label == "lead"), "{stem}: a tone is never a voice");
    }
}

/// The shipped onset weights' training renders are made by two runs into one folder, the even
/// songs as drawn and the odd ones with synthesiser voices: that must give the files a render
/// of every song followed by a toned render of the odd ones over it gives.
#[test]
fn a_song_renders_the_same_alone_beside_other_songs_and_into_a_shared_folder() {
    let pop909 = scratch("pop909-split");
    write_song(&pop909);
    let second = pop909.join("002");
    std::fs::create_dir_all(&second).unwrap();
    for entry in std::fs::read_dir(pop909.join("001")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().replace("001", "002");
        std::fs::copy(&path, second.join(name)).unwrap();
    }
    let drawn = |out: &Path| options(&pop909, out, StyleChoice::Mixed, 11);
    let toned = |out: &Path| RenderOptions { synth_tones: 0.5, ..drawn(out) };
    let (one_each, toned_over_all) = (scratch("split-one-each"), scratch("split-toned-over-all"));
    render_dataset(&drawn(&one_each), &[2]).unwrap();
    render_dataset(&toned(&one_each), &[1]).unwrap();
    render_dataset(&drawn(&toned_over_all), &[1, 2]).unwrap();
    render_dataset(&toned(&toned_over_all), &[1]).unwrap();
    let files = |dir: &Path| {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    };
    assert_eq!(files(&one_each), files(&toned_over_all));
    assert_eq!(files(&one_each).len(), 32, "two songs × two variants × eight files");
    for name in files(&one_each) {
        let bytes = |dir: &Path| std::fs::read(dir.join(&name)).unwrap();
        assert!(
            bytes(&one_each) == bytes(&toned_over_all),
            "{name} depends on the songs beside it"
        );
    }
}

/// `--melody voice|lead|sung` changes the melody's instrument and nothing else; festival's
/// melody moves down by whole octaves to its range, and its notes and onsets move with it.
#[test]
fn the_melody_source_changes_only_the_melody() {
    use earshot_trainer::render::plan::MelodySource;
    use earshot_trainer::render::singer::{FestivalVoice, HIGHEST_SUNG_PITCH};
    for (name, source, label) in [
        ("voice", MelodySource::Voice, "voice"),
        ("lead", MelodySource::Lead, "lead"),
        ("sung", MelodySource::Sung(FestivalVoice::Ked), "voice"),
    ] {
        let (_, [_pop909, drawn, changed]) = band_twice(name, |o| o.melody = source);
        for stem in ["001-v0", "001-v1"] {
            let (before, after) = (plan(&drawn, stem), plan(&changed, stem));
            for same in ["tempo_factor", "transpose", "bass", "drums", "level_changes", "noise"] {
                assert_eq!(before["plan"][same], after["plan"][same], "{name} {stem}: {same}");
            }
            let parts = |p: &serde_json::Value| p["plan"]["parts"].as_array().unwrap().clone();
            for (part, was) in parts(&after).iter().zip(&parts(&before)) {
                if part["part"] != "Melody" {
                    assert_eq!(part, was, "{name} {stem}: the other parts are kept");
                }
            }
            let melody_mix = &parts(&after)[0];
            assert_eq!(melody_mix["part"], "Melody");
            assert_eq!(melody_mix.get("singer").is_some(), name == "sung", "{name}: {melody_mix}");
            let melody = segments::read(&changed.join(format!("{stem}.melody.lab"))).unwrap();
            let drawn_melody = segments::read(&drawn.join(format!("{stem}.melody.lab"))).unwrap();
            assert!(!melody.is_empty() && melody.iter().all(|s| s.label == label), "{name}");
            let spans =
                |s: &[segments::Segment]| s.iter().map(|s| (s.start, s.end)).collect::<Vec<_>>();
            assert_eq!(spans(&melody), spans(&drawn_melody), "{name} {stem}: the same phrases");

            let notes = |dir: &Path| events::read(&dir.join(format!("{stem}.notes.txt"))).unwrap();
            let (played, sung) = (notes(&drawn), notes(&changed));
            assert_eq!(played.len(), sung.len());
            let pitch = |e: &events::Event| e.value.as_ref().unwrap().parse::<i32>().unwrap();
            let classes = |notes: &[events::Event]| {
                let mut classes: Vec<i32> = notes.iter().map(|n| pitch(n) % 12).collect();
                classes.sort_unstable();
                classes
            };
            assert_eq!(classes(&played), classes(&sung), "{name} {stem}: only octaves move");
            let total = |notes: &[events::Event]| notes.iter().map(pitch).sum::<i32>();
            // The test melody's eight notes reach 79 + transposition (74–85): one octave above
            // festival's range, so each moves down 12 when sung.
            let transpose = after["plan"]["transpose"].as_i64().unwrap() as i32;
            let octaves = (79 + transpose - HIGHEST_SUNG_PITCH as i32 + 11).div_euclid(12);
            let expected = if name == "sung" { 8 * 12 * octaves } else { 0 };
            assert_eq!(total(&played) - total(&sung), expected, "{name} {stem}");
            let wav = |dir: &Path| std::fs::read(dir.join(format!("{stem}.wav"))).unwrap();
            if name == "sung" {
                assert!(wav(&drawn) != wav(&changed), "{stem}: festival is heard");
            }
        }
    }
}

//! Earshot in a real DAW: Ardour 7 (headless, dummy backend) plays a clip through the built
//! Earshot.vst3 on an audio track, records the MIDI the plug-in sends on a MIDI track, and
//! exports the mix. The mix must equal the clip sample for sample, and every task's notes must
//! be recorded where the plug-in sent them: the same notes the built Earshot.clap sends for the
//! same audio in a CLAP host, to Ardour's MIDI resolution (one tick, 1/1920 of a beat).

use earshot_io::audio::{read, write_wav, Audio};
use earshot_test_signals::soundfont::sung_then_played;
use earshot_tests::ardour::{recorded_notes, take_files, ticks_to_samples, Ardour, RecordedNote};
use earshot_tests::clap_host::{ClapInstance, NoteOut};
use earshot_tests::notes::notes_in_random_blocks;
use earshot_tests::paths;
use std::path::Path;

const RATE: u32 = 44_100;
/// The plug-in's MIDI channels (0-based) by task, with their default settings.
const TASK_CHANNELS: [(&str, u8); 4] = [("onsets", 0), ("chords", 1), ("beats", 2), ("voice", 3)];
/// Ardour stores MIDI times in ticks: 1/1920 of a beat of 0.5 s, 11.5 samples at 44.1 kHz, so
/// a recorded time is the sent one rounded to a tick: within half a tick (and half a sample).
const TICK_SAMPLES: f64 = 11.484375;

/// A note the CLAP build sent: start and end in samples (`None`: still sounding at the end).
#[derive(Debug, Clone, Copy)]
struct SentNote {
    channel: u8,
    key: u8,
    velocity: u8,
    start: u64,
    end: Option<u64>,
}

#[test]
fn ardour_records_every_tasks_notes_where_the_plugin_sends_them_and_passes_the_audio() {
    // Half a second of silence first: Ardour fades a track in as its transport starts.
    let mut clip = vec![0.0; RATE as usize / 2];
    clip.extend(sung_then_played(RATE, 10.0).unwrap());
    let folder = std::env::temp_dir().join(format!("earshot-ardour-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    let ardour = Ardour::with_vst3(&folder, &paths::bundled_vst3()).unwrap();
    let session = folder.join("session");
    let export = folder.join("export");
    let samples = clip.len().to_string();
    let variables = [
        ("EARSHOT_SESSION", session.display().to_string()),
        ("EARSHOT_RATE", RATE.to_string()),
        ("EARSHOT_SAMPLES", samples),
        ("EARSHOT_EXPORT", export.display().to_string()),
    ];
    ardour.run_script("make_session.lua", &variables).unwrap();
    for take in take_files(&session).unwrap() {
        overwrite_take(&take, &clip);
    }
    let played = ardour.run_script("record_detections.lua", &variables).unwrap();

    // The audio passes through the plug-in and Ardour unchanged.
    let mix = read(&only_file(&export)).unwrap();
    assert_eq!((mix.sample_rate, mix.channels.len(), mix.frames()), (RATE, 2, clip.len()));
    for channel in &mix.channels {
        assert!(channel == &clip, "the exported mix differs from the clip");
    }

    // Ardour recorded (the clip and one second after it) what the plug-in sent.
    let recorded_span = clip.len() as u64 + RATE as u64;
    let recorded: Vec<RecordedNote> = recorded_notes(&played)
        .unwrap()
        .into_iter()
        .filter(|n| ticks_to_samples(n.start_ticks, RATE as f64) < recorded_span as f64)
        .collect();
    let sent = notes_sent_over_clap(&clip, recorded_span);
    for (task, channel) in TASK_CHANNELS {
        let count = sent.iter().filter(|n| n.channel == channel).count();
        assert!(count > 0, "the clip should give {task} notes");
        println!("{task}: {count} notes sent");
    }
    assert_eq!(
        recorded.len(),
        sent.len(),
        "Ardour recorded another number of notes than were sent"
    );
    let mut unmatched = recorded;
    for want in &sent {
        let starts_at = |n: &RecordedNote| ticks_to_samples(n.start_ticks, RATE as f64);
        let found = unmatched
            .iter()
            .position(|n| {
                (n.channel, n.key) == (want.channel, want.key)
                    && (starts_at(n) - want.start as f64).abs() <= TICK_SAMPLES / 2.0 + 0.5
            })
            .unwrap_or_else(|| {
                let nearest = unmatched
                    .iter()
                    .filter(|n| (n.channel, n.key) == (want.channel, want.key))
                    .map(|n| starts_at(n) - want.start as f64)
                    .min_by(|a, b| a.abs().total_cmp(&b.abs()));
                panic!("{want:?} was sent but not recorded at its time (nearest: {nearest:?} samples off)")
            });
        let got = unmatched.swap_remove(found);
        assert!(got.velocity.abs_diff(want.velocity) <= 1, "{got:?} against {want:?}");
        if let Some(end) = want.end.filter(|&end| end < recorded_span) {
            let length = ticks_to_samples(got.length_ticks, RATE as f64);
            let sent_length = (end - want.start) as f64;
            assert!(
                (length - sent_length).abs() <= TICK_SAMPLES + 1.0,
                "{got:?} lasts {length} samples, sent for {sent_length}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&folder);
}

/// The one file in `folder`.
fn only_file(folder: &Path) -> std::path::PathBuf {
    let files: Vec<_> = std::fs::read_dir(folder).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "expected one exported file, found {files:?}");
    files[0].clone()
}

/// Writes `clip` over a take (same format: 32-bit float, the session's rate), silence after it.
fn overwrite_take(take: &Path, clip: &[f32]) {
    let frames = read(take).unwrap().frames();
    assert!(frames >= clip.len(), "the recorded take is shorter than the clip");
    let mut samples = clip.to_vec();
    samples.resize(frames, 0.0);
    write_wav(take, &Audio { sample_rate: RATE, channels: vec![samples] }).unwrap();
}

/// The notes the built CLAP sends for `clip` followed by silence, `span` samples in all.
fn notes_sent_over_clap(clip: &[f32], span: u64) -> Vec<SentNote> {
    let mut signal = clip.to_vec();
    signal.resize(span as usize, 0.0);
    let mut plugin = ClapInstance::load(&paths::bundled_clap()).unwrap();
    let messages = notes_in_random_blocks(&mut plugin, &signal, RATE as f64, 11);
    let mut notes: Vec<SentNote> = Vec::new();
    for (at, message) in &messages {
        let NoteOut { channel, key, velocity, .. } = *message;
        let (channel, key) = (channel as u8, key as u8);
        match velocity {
            Some(velocity) => notes.push(SentNote {
                channel,
                key,
                velocity: (velocity * 127.0).round() as u8,
                start: *at,
                end: None,
            }),
            None => {
                if let Some(note) = notes
                    .iter_mut()
                    .rev()
                    .find(|n| (n.channel, n.key) == (channel, key) && n.end.is_none())
                {
                    note.end = Some(*at);
                }
            }
        }
    }
    notes
}

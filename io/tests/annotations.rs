//! Annotation readers and writers: round trips, POP909's three formats, JAMS, and malformed
//! input reported with its file and line.

use earshot_io::annotations::events::{self, Event};
use earshot_io::annotations::key::{self, Key, Mode};
use earshot_io::annotations::segments::{self, Segment};
use earshot_io::annotations::{jams, pop909};
use std::path::PathBuf;
use tempfile::TempDir;

fn file(dir: &TempDir, name: &str, contents: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn event_lists_round_trip_with_optional_values() {
    let dir = TempDir::new().unwrap();
    let events = vec![
        Event { time: 0.5, value: Some("1".into()) },
        Event { time: 1.25, value: None },
        Event { time: 2.0, value: Some("3".into()) },
    ];
    let path = dir.path().join("beats.txt");
    events::write(&path, &events).unwrap();
    assert_eq!(events::read(&path).unwrap(), events);
    let path = file(&dir, "comments.txt", "# onsets\n\n0.1\n  0.2  \n0.3\tx\n");
    assert_eq!(events::read_times(&path).unwrap(), vec![0.1, 0.2, 0.3]);
}

#[test]
fn lab_files_round_trip_labels_with_spaces_and_any_separator() {
    let dir = TempDir::new().unwrap();
    let path = file(
        &dir,
        "chords.lab",
        "0.0 1.5 C:maj\n1.5\t3.0\tA:min7/b7\n3.0   4.0   N\n4.0 5.0 lead vocal\n",
    );
    let read = segments::read(&path).unwrap();
    assert_eq!(read[1], Segment { start: 1.5, end: 3.0, label: "A:min7/b7".into() });
    assert_eq!(read[3].label, "lead vocal");
    let copy = dir.path().join("copy.lab");
    segments::write(&copy, &read).unwrap();
    assert_eq!(segments::read(&copy).unwrap(), read);
}

#[test]
fn keys_parse_in_every_common_form() {
    let dir = TempDir::new().unwrap();
    let key = |text: &str| Key::parse(text).unwrap();
    assert_eq!(key("Gb:maj"), key("gb major"));
    assert_eq!(key("Gb:maj").to_string(), "Gb major");
    assert_eq!(key("A:min").tonic, Some(9));
    assert_eq!(key("C# minor").mode, Mode::Minor);
    assert_eq!(key("X").to_string(), "X");
    assert_eq!(key("E:maj").transposed(-2).to_string(), "D major");
    // POP909's timed form: the longest-lasting key wins.
    let path = file(&dir, "key_audio.txt", "0.0 10.0 C:maj\n10.0 15.0 A:min\n15.0 30.0 C:maj\n");
    assert_eq!(key::read(&path).unwrap(), key("C major"));
    let plain = dir.path().join("plain.key");
    key::write(&plain, &key("Eb minor")).unwrap();
    assert_eq!(key::read(&plain).unwrap(), key("Eb:min"));
}

#[test]
fn a_pop909_song_folder_reads_whole() {
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("pop909");
    let dir = root.join("007");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("007.mid"), b"MThd").unwrap();
    std::fs::write(
        dir.join("beat_midi.txt"),
        "0.5 1.0 1.0\n1.0 0.0 0.0\n1.5 1.0 0.0\n2.0 0.0 0.0\n2.5 1.0 1.0\n",
    )
    .unwrap();
    std::fs::write(dir.join("chord_midi.txt"), "0.5\t1.5\tN\n1.5\t2.5\tF#:maj7/5\n").unwrap();
    std::fs::write(dir.join("key_audio.txt"), "0.5\t2.5\tGb:maj\n").unwrap();
    let song = pop909::read_song(&root, 7).unwrap();
    assert_eq!(song.beats.len(), 5);
    assert_eq!(song.beats.iter().filter(|b| b.downbeat).count(), 2);
    assert_eq!(song.chords[1].label, "F#:maj7/5");
    assert_eq!(song.key.to_string(), "Gb major");
    let missing = pop909::read_song(&root, 8).unwrap_err().to_string();
    assert!(missing.contains("008.mid") && missing.contains("no such MIDI file"), "{missing}");
}

#[test]
fn jams_round_trips_onsets_beats_chords_and_key() {
    let dir = TempDir::new().unwrap();
    let mut document = jams::Jams::default();
    document.file_metadata.duration = Some(10.0);
    document.push("onset", vec![jams::observation(0.5, 0.0, serde_json::Value::Null)]);
    document.push(
        "beat",
        vec![jams::observation(1.0, 0.0, 1.into()), jams::observation(1.5, 0.0, 2.into())],
    );
    document.push(
        "chord",
        vec![jams::observation(0.0, 2.0, "C:maj".into()), jams::observation(2.0, 1.0, "N".into())],
    );
    document.push("key_mode", vec![jams::observation(0.0, 10.0, "E:minor".into())]);
    let path = dir.path().join("song.jams");
    jams::write(&path, &document).unwrap();
    let read = jams::read(&path).unwrap();
    assert_eq!(read, document);
    assert_eq!(read.onsets(), vec![0.5]);
    assert_eq!(read.beats(), vec![1.0, 1.5]);
    assert_eq!(read.chords()[0], Segment { start: 0.0, end: 2.0, label: "C:maj".into() });
    assert_eq!(read.key().unwrap().unwrap().to_string(), "E minor");
}

#[test]
fn malformed_files_name_the_file_and_line() {
    let dir = TempDir::new().unwrap();
    let message = |result: Result<(), String>| result.unwrap_err();
    let events_error = |text| {
        let path = file(&dir, "bad-events.txt", text);
        message(events::read(&path).map(drop).map_err(|e| e.to_string()))
    };
    assert!(events_error("0.1\n0.2\nzero\n")
        .ends_with("bad-events.txt:3: time \"zero\" is not a number"));
    assert!(events_error("0.5\n0.4\n").contains(":2: time 0.4 comes before"));
    assert!(events_error("-1\n").contains(":1: time -1 is not a time from 0 to 1e7 s"));
    assert!(events_error("1 2 3\n").contains(":1: unexpected third column"));
    assert!(events_error("nan\n").contains(":1: time nan is not a time from 0 to 1e7 s"));

    let lab_error = |text| {
        let path = file(&dir, "bad.lab", text);
        message(segments::read(&path).map(drop).map_err(|e| e.to_string()))
    };
    assert!(lab_error("0 1 C\n1 2\n").contains("bad.lab:2: missing label"));
    assert!(lab_error("0 1 C\n2 1.5 D\n").contains(":2: ends at 1.5, before its start 2"));
    assert!(
        lab_error("0 2 C\n1 3 D\n").contains(":2: starts at 1, before the previous segment ends")
    );

    let key_path = file(&dir, "bad.key", "H major\n");
    assert!(key::read(&key_path).unwrap_err().to_string().contains("bad.key:1: tonic \"H\""));
    let key_path = file(&dir, "bad-mode.key", "C dorian\n");
    assert!(key::read(&key_path).unwrap_err().to_string().contains("mode \"dorian\""));

    let beats = file(&dir, "beat_midi.txt", "0.5 1.0 1.0\n1.0 0.0\n");
    assert!(pop909::read_beats(&beats)
        .unwrap_err()
        .to_string()
        .ends_with("beat_midi.txt:2: expected `time flag downbeat`, found 2 fields"));
    let beats = file(&dir, "beat_flag.txt", "0.5 1.0 2.0\n");
    assert!(pop909::read_beats(&beats).unwrap_err().to_string().contains(":1: downbeat flag"));

    let broken = file(
        &dir,
        "broken.jams",
        "{\"annotations\": [\n  {\"namespace\": \"onset\", \"data\": [{\"time\": \"soon\"}]}\n]}",
    );
    let error = jams::read(&broken).unwrap_err().to_string();
    assert!(error.contains("broken.jams:2:"), "{error}");
    let unreadable = dir.path().join("missing.lab");
    assert!(segments::read(&unreadable)
        .unwrap_err()
        .to_string()
        .contains("missing.lab: No such file"));
}

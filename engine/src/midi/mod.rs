//! Events as MIDI notes, the same for the plug-in's MIDI out and the CLI's MIDI files: one table
//! of which channel, key and length each task's notes take ([`mapping`]), a time-ordered queue
//! of the messages still to send ([`schedule`]) and one of control changes ([`controls`]), a
//! chord's tones held while it holds ([`held_chord`]), and the plug-in's notes and control
//! changes aligned to the engine's one latency ([`live`]).

pub mod controls;
pub mod held_chord;
pub mod live;
pub mod mapping;
pub mod schedule;

pub use controls::{value_7bit, ControlMessage, ControlSchedule};
pub use held_chord::HeldChord;
pub use live::{LiveMidi, MidiMessage};
pub use mapping::{note_for, trim_overlaps, velocity_7bit, Note, NoteMapping};
pub use schedule::{NoteMessage, NoteSchedule};

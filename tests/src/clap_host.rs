//! A minimal CLAP host on `clack-host`: load a `.clap`, read its descriptor, choose a layout,
//! set parameters, save and load state, and process blocks of audio as a DAW would: on an audio
//! thread of its own, answering the plug-in's main-thread callbacks after processing, and
//! recording its restart requests and when it announces a latency change.

use clack_extensions::audio_ports_config::{AudioPortsConfigBuffer, PluginAudioPortsConfig};
use clack_extensions::latency::{HostLatency, HostLatencyImpl, PluginLatency};
use clack_extensions::params::{ParamInfoBuffer, PluginParams};
use clack_extensions::state::PluginState;
use clack_host::events::event_types::{
    MidiEvent, NoteOffEvent, NoteOnEvent, ParamValueEvent, TransportEvent, TransportFlags,
};
use clack_host::events::EventFlags;
use clack_host::events::Match;
use clack_host::prelude::*;
use clack_host::utils::{BeatTime, ClapId, SecondsTime};
use std::ffi::CString;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

/// Errors of the test host, as text for assertion messages.
pub type HostResult<T> = Result<T, String>;

struct TestHost;

/// What the plug-in asked of the host, and when it announced latency changes.
#[derive(Default)]
struct TestShared {
    restart_requested: AtomicBool,
    callback_requested: AtomicBool,
    /// Set while the host is inside the plug-in's `activate`.
    activating: AtomicBool,
    latency_changes_in_activate: AtomicU32,
    latency_changes_elsewhere: AtomicU32,
}

impl SharedHandler<'_> for TestShared {
    fn request_restart(&self) {
        self.restart_requested.store(true, Ordering::SeqCst);
    }
    fn request_process(&self) {}
    fn request_callback(&self) {
        self.callback_requested.store(true, Ordering::SeqCst);
    }
}

struct TestMainThread<'a> {
    shared: &'a TestShared,
}

impl<'a> MainThreadHandler<'a> for TestMainThread<'a> {}

impl HostLatencyImpl for TestMainThread<'_> {
    fn changed(&self) {
        let counter = if self.shared.activating.load(Ordering::SeqCst) {
            &self.shared.latency_changes_in_activate
        } else {
            &self.shared.latency_changes_elsewhere
        };
        counter.fetch_add(1, Ordering::SeqCst);
    }
}

impl HostHandlers for TestHost {
    type Shared<'a> = TestShared;
    type MainThread<'a> = TestMainThread<'a>;
    type AudioProcessor<'a> = ();

    fn declare_extensions(builder: &mut HostExtensions<Self>, _shared: &Self::Shared<'_>) {
        builder.register::<HostLatency>();
    }
}

/// How often the plug-in told the host that its latency changed (CLAP allows it only inside
/// `activate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LatencyAnnouncements {
    pub in_activate: u32,
    pub elsewhere: u32,
}

/// What a plugin says about itself in its CLAP descriptor.
#[derive(Debug, Clone, PartialEq)]
pub struct Descriptor {
    pub id: String,
    pub name: String,
    pub vendor: String,
    pub version: String,
    pub url: String,
    pub features: Vec<String>,
}

/// A note the plugin sent during a block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NoteOut {
    /// Sample offset in the block.
    pub time: u32,
    pub key: u16,
    pub channel: u16,
    /// The note-on's velocity (0–1); `None` for a note-off.
    pub velocity: Option<f64>,
}

/// A MIDI control change the plugin sent during a block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ControlOut {
    /// Sample offset in the block.
    pub time: u32,
    pub channel: u8,
    pub controller: u8,
    /// 0–127.
    pub value: u8,
}

/// What the plugin sent during a block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MidiOut {
    Note(NoteOut),
    Control(ControlOut),
}

/// One plugin instance in the test host.
pub struct ClapInstance {
    instance: PluginInstance<TestHost>,
    descriptor: Descriptor,
    /// The latency the plug-in reported right after its last activation.
    latency: u32,
    // Declared last so the library is unloaded after the instance is destroyed.
    _entry: PluginEntry,
}

impl ClapInstance {
    /// Loads the first plugin of a `.clap` file and creates an instance of it.
    pub fn load(path: &Path) -> HostResult<Self> {
        // SAFETY: the file is the project's own freshly built plugin.
        let entry = unsafe { PluginEntry::load(path) }
            .map_err(|error| format!("could not load {}: {error}", path.display()))?;
        let factory = entry.get_plugin_factory().ok_or("the entry has no plugin factory")?;
        let found = factory.plugin_descriptors().next().ok_or("the factory lists no plugin")?;
        let text = |value: Option<&std::ffi::CStr>| {
            value.map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
        };
        let descriptor = Descriptor {
            id: text(found.id()),
            name: text(found.name()),
            vendor: text(found.vendor()),
            version: text(found.version()),
            url: text(found.url()),
            features: found.features().map(|f| f.to_string_lossy().into_owned()).collect(),
        };
        let id = CString::new(descriptor.id.clone()).map_err(|e| e.to_string())?;
        let host_info = HostInfo::new("earshot-tests", "Earshot", "https://example.invalid", "1.0")
            .map_err(|error| error.to_string())?;
        let instance = PluginInstance::<TestHost>::new(
            |_| TestShared::default(),
            |shared| TestMainThread { shared },
            &entry,
            &id,
            &host_info,
        )
        .map_err(|error| format!("could not instantiate: {error}"))?;
        Ok(Self { instance, descriptor, latency: 0, _entry: entry })
    }

    pub fn descriptor(&self) -> &Descriptor {
        &self.descriptor
    }

    /// Selects the audio-ports configuration whose main input has `channels` channels.
    pub fn select_layout(&mut self, channels: u32) -> HostResult<()> {
        let handle = self.instance.plugin_handle();
        let configs = handle
            .get_extension::<PluginAudioPortsConfig>()
            .ok_or("no audio-ports-config extension")?;
        let mut buffer = AudioPortsConfigBuffer::new();
        let id = (0..configs.count(&handle))
            .find_map(|index| {
                let config = configs.get(&handle, index, &mut buffer)?;
                let matches = config.main_input.as_ref()?.channel_count == channels;
                matches.then_some(config.id)
            })
            .ok_or(format!("no layout with {channels} input channels"))?;
        configs
            .select(&handle, id)
            .map_err(|error| format!("could not select the layout: {error:?}"))
    }

    /// The id of the parameter with this display name.
    pub fn param_id(&mut self, name: &str) -> HostResult<ClapId> {
        let handle = self.instance.plugin_handle();
        let params = handle.get_extension::<PluginParams>().ok_or("no params extension")?;
        let mut buffer = ParamInfoBuffer::new();
        (0..params.count(&handle))
            .filter_map(|index| {
                params.get_info(&handle, index, &mut buffer).map(|i| (i.id, i.name.to_vec()))
            })
            .find(|(_, info_name)| info_name.as_slice() == name.as_bytes())
            .map(|(id, _)| id)
            .ok_or(format!("no parameter named {name:?}"))
    }

    /// A parameter's current plain value.
    pub fn param_value(&mut self, id: ClapId) -> HostResult<f64> {
        let handle = self.instance.plugin_handle();
        let params = handle.get_extension::<PluginParams>().ok_or("no params extension")?;
        params.get_value(&handle, id).ok_or(format!("no value for parameter {id:?}"))
    }

    /// Sets a parameter outside of processing, through the params extension's flush.
    pub fn set_param(&mut self, id: ClapId, value: f64) -> HostResult<()> {
        let mut handle = self
            .instance
            .inactive_plugin_handle()
            .ok_or("the plugin must be inactive to flush parameters")?;
        let params = handle.get_extension::<PluginParams>().ok_or("no params extension")?;
        let event = ParamValueEvent::new(0, id, Pckn::match_all(), value);
        let events = [event];
        let mut out = EventBuffer::new();
        params.flush(
            &mut handle,
            &InputEvents::from_buffer(&events),
            &mut OutputEvents::from_buffer(&mut out),
        );
        Ok(())
    }

    /// The plugin's saved state.
    pub fn save_state(&mut self) -> HostResult<Vec<u8>> {
        let handle = self.instance.plugin_handle();
        let state = handle.get_extension::<PluginState>().ok_or("no state extension")?;
        let mut bytes = Vec::new();
        state.save(&handle, &mut bytes).map_err(|error| error.to_string())?;
        Ok(bytes)
    }

    /// Restores a saved state.
    pub fn load_state(&mut self, mut bytes: &[u8]) -> HostResult<()> {
        let handle = self.instance.plugin_handle();
        let state = handle.get_extension::<PluginState>().ok_or("no state extension")?;
        state.load(&handle, &mut bytes).map_err(|error| error.to_string())
    }

    /// Activates at a sample rate and maximum block size, runs `f` with the processor on an
    /// audio thread, deactivates again, and then answers the plug-in's main-thread callbacks as
    /// a host's event loop would.
    pub fn with_processor<T: Send>(
        &mut self,
        sample_rate: f64,
        max_frames: u32,
        channels: usize,
        f: impl FnOnce(&mut Processor) -> T + Send,
    ) -> HostResult<T> {
        let config = PluginAudioConfiguration {
            sample_rate,
            min_frames_count: 1,
            max_frames_count: max_frames,
        };
        self.shared(|shared| shared.activating.store(true, Ordering::SeqCst));
        let activated = self.instance.activate(|_, _| (), config);
        self.shared(|shared| shared.activating.store(false, Ordering::SeqCst));
        let stopped = activated.map_err(|error| format!("activation failed: {error}"))?;
        self.latency = {
            let handle = self.instance.plugin_handle();
            handle.get_extension::<PluginLatency>().map_or(0, |latency| latency.get(&handle))
        };
        let (result, stopped) = std::thread::scope(|scope| {
            let audio_thread = scope.spawn(move || {
                let started = stopped
                    .start_processing()
                    .map_err(|error| format!("start_processing failed: {error}"))?;
                let mut processor = Processor {
                    started,
                    transport: None,
                    channels,
                    inputs: AudioPorts::with_capacity(channels, 1),
                    outputs: AudioPorts::with_capacity(channels, 1),
                };
                let result = f(&mut processor);
                Ok::<_, String>((result, processor.started.stop_processing()))
            });
            audio_thread.join().map_err(|_| "the audio thread panicked".to_owned())?
        })?;
        self.instance.deactivate(stopped);
        self.answer_callbacks();
        Ok(result)
    }

    /// Calls the plug-in's `on_main_thread` for as long as it asks for callbacks.
    pub fn answer_callbacks(&mut self) {
        for _ in 0..100 {
            if !self.shared(|shared| shared.callback_requested.swap(false, Ordering::SeqCst)) {
                return;
            }
            self.instance.call_on_main_thread_callback();
        }
    }

    /// The latency the plug-in reported right after its last activation, in samples.
    pub fn latency(&self) -> u32 {
        self.latency
    }

    /// Whether the plug-in asked for a restart since the last call.
    pub fn take_restart_request(&mut self) -> bool {
        self.shared(|shared| shared.restart_requested.swap(false, Ordering::SeqCst))
    }

    /// How often the plug-in has announced a latency change, inside `activate` and elsewhere.
    pub fn latency_announcements(&self) -> LatencyAnnouncements {
        self.shared(|shared| LatencyAnnouncements {
            in_activate: shared.latency_changes_in_activate.load(Ordering::SeqCst),
            elsewhere: shared.latency_changes_elsewhere.load(Ordering::SeqCst),
        })
    }

    fn shared<R>(&self, f: impl FnOnce(&TestShared) -> R) -> R {
        self.instance.access_shared_handler(f)
    }
}

/// An active, processing plugin.
pub struct Processor {
    started: clack_host::process::StartedPluginAudioProcessor<TestHost>,
    /// The host's transport as each block tells it; `None`: the host has none.
    transport: Option<TransportEvent>,
    channels: usize,
    inputs: AudioPorts,
    outputs: AudioPorts,
}

impl Processor {
    /// Processes one block: `input` and `output` hold one slice per channel, all of one length.
    /// Parameter changes in `events` apply at the start of the block. Returns the notes the
    /// plugin sent.
    pub fn process(
        &mut self,
        input: &mut [&mut [f32]],
        output: &mut [&mut [f32]],
        events: &[ParamValueEvent],
    ) -> HostResult<Vec<NoteOut>> {
        let sent = self.process_midi(input, output, events)?;
        Ok(sent
            .into_iter()
            .filter_map(|m| match m {
                MidiOut::Note(note) => Some(note),
                MidiOut::Control(_) => None,
            })
            .collect())
    }

    /// From the next block on, tells the plug-in the host's transport plays (or is stopped).
    pub fn set_transport_playing(&mut self, playing: bool) {
        let flags = if playing { TransportFlags::IS_PLAYING } else { TransportFlags::empty() };
        self.transport = Some(TransportEvent {
            header: EventHeader::new_core(0, EventFlags::empty()),
            flags,
            song_pos_beats: BeatTime::from_int(0),
            song_pos_seconds: SecondsTime::from_int(0),
            tempo: 0.0,
            tempo_inc: 0.0,
            loop_start_beats: BeatTime::from_int(0),
            loop_end_beats: BeatTime::from_int(0),
            loop_start_seconds: SecondsTime::from_int(0),
            loop_end_seconds: SecondsTime::from_int(0),
            bar_start: BeatTime::from_int(0),
            bar_number: 0,
            time_signature_numerator: 4,
            time_signature_denominator: 4,
        });
    }

    /// As [`Processor::process`], returning every note and control change the plugin sent.
    pub fn process_midi(
        &mut self,
        input: &mut [&mut [f32]],
        output: &mut [&mut [f32]],
        events: &[ParamValueEvent],
    ) -> HostResult<Vec<MidiOut>> {
        assert_eq!(input.len(), self.channels);
        assert_eq!(output.len(), self.channels);
        let input_buffers = self.inputs.with_input_buffers([AudioPortBuffer {
            latency: 0,
            channels: AudioPortBufferType::f32_input_only(
                input.iter_mut().map(|channel| InputChannel::variable(&mut **channel)),
            ),
        }]);
        let mut output_buffers = self.outputs.with_output_buffers([AudioPortBuffer {
            latency: 0,
            channels: AudioPortBufferType::f32_output_only(output.iter_mut().map(|c| &mut **c)),
        }]);
        let mut out_events = EventBuffer::new();
        self.started
            .process(
                &input_buffers,
                &mut output_buffers,
                &InputEvents::from_buffer(&events),
                &mut OutputEvents::from_buffer(&mut out_events),
                None,
                self.transport.as_ref(),
            )
            .map_err(|error| format!("process failed: {error}"))?;
        let specific = |m: Match<u16>| m.as_specific().copied().unwrap_or(u16::MAX);
        Ok(out_events
            .iter()
            .filter_map(|event| {
                if let Some(on) = event.as_event::<NoteOnEvent>() {
                    let pckn = on.pckn();
                    Some(MidiOut::Note(NoteOut {
                        time: on.header().time(),
                        key: specific(pckn.key),
                        channel: specific(pckn.channel),
                        velocity: Some(on.velocity()),
                    }))
                } else if let Some(off) = event.as_event::<NoteOffEvent>() {
                    Some(MidiOut::Note(NoteOut {
                        time: off.header().time(),
                        key: specific(off.pckn().key),
                        channel: specific(off.pckn().channel),
                        velocity: None,
                    }))
                } else {
                    let midi = event.as_event::<MidiEvent>()?;
                    let [status, controller, value] = midi.data();
                    (status & 0xF0 == 0xB0).then_some(MidiOut::Control(ControlOut {
                        time: midi.header().time(),
                        channel: status & 0x0F,
                        controller,
                        value,
                    }))
                }
            })
            .collect())
    }
}

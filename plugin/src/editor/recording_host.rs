//! A host for editor tests: it applies every value the editor sets, as a real one does, and
//! keeps the calls, so a test can check that clicks, drags and typed values reach the host as
//! whole gestures.

use nice_plug::prelude::{GuiContextInner, ParamPtr, PluginApi, PluginState};
use std::sync::Mutex;

/// What the editor asked of the host, by parameter name.
#[derive(Debug, Clone, PartialEq)]
pub enum HostCall {
    Begin(String),
    Set(String, f32),
    End(String),
}

/// A host that applies every value the editor sets, as a real one does, and keeps the calls.
#[derive(Default)]
pub struct RecordingHost {
    calls: Mutex<Vec<HostCall>>,
}

impl RecordingHost {
    pub fn take_calls(&self) -> Vec<HostCall> {
        std::mem::take(&mut self.calls.lock().unwrap())
    }

    fn record(&self, call: HostCall) {
        self.calls.lock().unwrap().push(call);
    }
}

impl GuiContextInner for RecordingHost {
    fn plugin_api(&self) -> PluginApi {
        PluginApi::Standalone
    }

    unsafe fn raw_begin_set_parameter(&self, param: ParamPtr) {
        self.record(HostCall::Begin(unsafe { param.name() }.to_owned()));
    }

    unsafe fn raw_set_parameter_normalized(&self, param: ParamPtr, normalized: f32) {
        unsafe { param._internal_set_normalized_value(normalized) };
        self.record(HostCall::Set(unsafe { param.name() }.to_owned(), normalized));
    }

    unsafe fn raw_end_set_parameter(&self, param: ParamPtr) {
        self.record(HostCall::End(unsafe { param.name() }.to_owned()));
    }

    fn get_state(&self) -> PluginState {
        unreachable!("the controls never save the state")
    }

    fn set_state(&self, _: PluginState) {
        unreachable!("the controls never restore a state")
    }

    fn request_restart(&self) {
        unreachable!("the controls never restart the plug-in")
    }
}

/// The gestures in `calls`: each a parameter name and how many values it set.
pub fn gestures(calls: &[HostCall]) -> Vec<(String, usize)> {
    let mut gestures = Vec::new();
    let mut open: Option<(String, usize)> = None;
    for call in calls {
        match (call, &mut open) {
            (HostCall::Begin(name), None) => open = Some((name.clone(), 0)),
            (HostCall::Set(name, _), Some((open_name, sets))) if name == open_name => *sets += 1,
            (HostCall::End(name), Some((open_name, _))) if name == open_name => {
                gestures.extend(open.take());
            }
            _ => panic!("{call:?} out of a gesture's order in {calls:?}"),
        }
    }
    assert!(open.is_none(), "a gesture left open in {calls:?}");
    gestures
}

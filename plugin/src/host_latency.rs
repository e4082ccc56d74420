//! The latency the plug-in reports to its host, which may change only while the host activates
//! the plug-in (CLAP's rule; VST3 hosts re-read it when asked to restart the component).
//!
//! A setting that moves the latency while audio runs (Align MIDI) therefore takes effect in two
//! steps: the audio thread asks the host once for a restart and keeps the old latency and
//! alignment; the next activation reports and applies the new one.

/// The latency in force and whether a restart has been asked for.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct HostLatency {
    reported: u32,
    restart_requested: bool,
}

impl HostLatency {
    /// At activation: `wanted` becomes the reported latency, to tell the host now.
    pub fn activate(&mut self, wanted: u32) -> u32 {
        *self = HostLatency { reported: wanted, restart_requested: false };
        wanted
    }

    /// The latency the host was told, in samples; audio and MIDI are aligned to it.
    pub fn reported(&self) -> u32 {
        self.reported
    }

    /// Whether the settings want another latency and the host has been asked to restart.
    pub fn restart_pending(&self) -> bool {
        self.restart_requested
    }

    /// Called for every block with the latency the settings want now; `true` exactly when the
    /// host should be asked for a restart (once per change, and again if the change is undone
    /// and redone before the host restarts).
    pub fn needs_restart(&mut self, wanted: u32) -> bool {
        let differs = wanted != self.reported;
        let ask = differs && !self.restart_requested;
        self.restart_requested = differs;
        ask
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_asks_for_one_restart_and_applies_at_the_next_activation() {
        let mut latency = HostLatency::default();
        assert_eq!(latency.activate(0), 0);
        assert!(!latency.needs_restart(0));
        assert!(latency.needs_restart(4253), "the first block after the change asks");
        assert!(!latency.needs_restart(4253), "and only once");
        assert!(latency.restart_pending());
        assert_eq!(latency.reported(), 0, "the old latency holds until the host restarts");
        assert_eq!(latency.activate(4253), 4253);
        assert!(!latency.restart_pending());
        assert!(!latency.needs_restart(4253));
    }

    #[test]
    fn undoing_a_change_before_the_restart_cancels_it_and_redoing_asks_again() {
        let mut latency = HostLatency::default();
        latency.activate(0);
        assert!(latency.needs_restart(4253));
        assert!(!latency.needs_restart(0));
        assert!(!latency.restart_pending());
        assert!(latency.needs_restart(4253));
    }
}

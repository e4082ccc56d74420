//! Earshot without a DAW: audio from JACK or ALSA, the editor in its own window.
//! `earshot-standalone --help` lists the backend, device and rate options.

fn main() {
    nice_plug::nice_export_standalone::<earshot_plugin::Earshot>();
}

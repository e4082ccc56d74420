//! One signal through a planned engine: its events, duration and the weights' metadata, what
//! the result files are made from.

use crate::files::Analysis;
use crate::plan::Plan;
use earshot_engine::{offline, Engine, Event, TaskKind};
use earshot_io::audio::Audio;
use std::collections::HashMap;

/// What one signal gave.
pub struct Report {
    /// The name results are reported under (a path, `stdin`, `array`).
    pub name: String,
    pub duration: f64,
    pub events: Vec<Event>,
    /// Each task's weights' metadata.
    pub metadata: Vec<(TaskKind, Vec<(String, String)>)>,
    /// Samples that were NaN or infinite (analysed as silence).
    pub non_finite: usize,
}

impl Report {
    /// The report as the result files take it.
    pub fn analysis<'a>(&'a self, plan: &'a Plan) -> Analysis<'a> {
        Analysis {
            file: &self.name,
            duration: self.duration,
            tasks: &plan.tasks,
            events: &self.events,
            settings: &plan.settings,
            metadata: &self.metadata,
            mappings: &plan.mappings,
        }
    }
}

/// Engines of one plan, one per sample rate met, kept to analyse file after file.
#[derive(Default)]
pub struct Engines(HashMap<u32, Engine>);

impl Engines {
    /// Runs `signal` through the plan's engine for its rate (made on first use, reset before
    /// each signal); keeps the frame-wise activations of the tasks `keep_activations` asks for.
    pub fn analyse(
        &mut self,
        plan: &Plan,
        name: &str,
        signal: &Audio,
        keep_activations: impl Fn(TaskKind) -> bool,
    ) -> Result<Report, String> {
        let engine = match self.0.entry(signal.sample_rate) {
            std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::hash_map::Entry::Vacant(entry) => entry.insert(
                plan.engine(signal.sample_rate as f64).map_err(|e| format!("{name}: {e}"))?,
            ),
        };
        let mut events: Vec<Event> = Vec::new();
        offline::run(engine, &signal.channels, |event| match event {
            Event::Activation { task, .. } if !keep_activations(task) => {}
            _ => events.push(event),
        });
        let metadata =
            plan.tasks.iter().map(|&t| (t, engine.metadata(t).unwrap_or(&[]).to_vec())).collect();
        Ok(Report {
            name: name.to_string(),
            duration: signal.duration(),
            events,
            metadata,
            non_finite: signal.channels.iter().flatten().filter(|x| !x.is_finite()).count(),
        })
    }
}

//! `earshot._earshot`: the native half of the Python package. Whole files and arrays go through
//! the same plan, engine and JSON report as `earshot analyze --format json`; a streaming
//! [`Engine`] takes blocks as the plug-in does. The GIL is released while the engine runs.
//! The typed, documented API is `python/earshot/__init__.py`.

mod values;

use earshot_engine::{Engine as LiveEngine, Event, TaskKind};
use earshot_io::audio::{self, Audio};
use earshot_report::events::event_value;
use earshot_report::files::json_value;
use earshot_report::plan::read_weights;
use earshot_report::{Engines, Plan, Settings};
use numpy::{PyArray1, PyReadonlyArrayDyn};
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use values::to_python;

/// The tasks by name (all when `None`); an unknown name is a `ValueError` listing the known.
fn tasks_named(names: Option<Vec<String>>) -> PyResult<Vec<TaskKind>> {
    names
        .unwrap_or_default()
        .iter()
        .map(|name| {
            TaskKind::from_name(name).ok_or_else(|| {
                let known: Vec<&str> = TaskKind::all().map(|t| t.name()).collect();
                PyValueError::new_err(format!(
                    "unknown task {name:?} (known: {})",
                    known.join(", ")
                ))
            })
        })
        .collect()
}

/// The settings, checked; a value out of range is a `ValueError` naming the argument.
fn settings(values: [f32; 5]) -> PyResult<Settings> {
    let [sensitivity, steadiness, key_window, tempo_window, voice_sensitivity] = values;
    let settings =
        Settings { sensitivity, steadiness, key_window, tempo_window, voice_sensitivity };
    settings.check().map_err(|(option, problem)| {
        PyValueError::new_err(format!("{} {problem}", option.replace('-', "_")))
    })?;
    Ok(settings)
}

/// Weight files by path, read whole.
fn weights(paths: Option<Vec<String>>) -> PyResult<Vec<(String, Vec<u8>)>> {
    paths
        .unwrap_or_default()
        .into_iter()
        .map(|path| {
            let bytes = read_weights(std::path::Path::new(&path)).map_err(PyOSError::new_err)?;
            Ok((path, bytes))
        })
        .collect()
}

/// The plan of a call: tasks by name, settings in `analyze`'s order, weight files by path.
fn plan(
    tasks: Option<Vec<String>>,
    settings_values: [f32; 5],
    weight_paths: Option<Vec<String>>,
    midi_note: Option<u8>,
) -> PyResult<Plan> {
    Plan::new(&tasks_named(tasks)?, &settings(settings_values)?, weights(weight_paths)?, midi_note)
        .map_err(PyValueError::new_err)
}

/// Analyses `signal` as `earshot analyze` would (its JSON report), in a thread of its own
/// without the GIL; with `activations`, also each frame-wise task's times and values.
fn analyse(
    py: Python<'_>,
    name: &str,
    signal: Audio,
    plan: Plan,
    activations: bool,
) -> PyResult<Py<PyAny>> {
    let report = py
        .detach(|| Engines::default().analyse(&plan, name, &signal, |_| activations))
        .map_err(PyValueError::new_err)?;
    let result = to_python(py, &json_value(&report.analysis(&plan)))?;
    if activations {
        let by_task = PyDict::new(py);
        for task in plan.tasks.iter().filter(|t| t.entry().activations) {
            let (times, values): (Vec<f64>, Vec<f32>) = report
                .events
                .iter()
                .filter_map(|event| match *event {
                    Event::Activation { task: t, time, value } if t == *task => {
                        Some((time.seconds, value))
                    }
                    _ => None,
                })
                .unzip();
            let pair = (PyArray1::from_vec(py, times), PyArray1::from_vec(py, values));
            by_task.set_item(task.name(), pair)?;
        }
        result.bind(py).set_item("activations", by_task)?;
    }
    Ok(result)
}

/// `earshot.analyze`: a file by path, or samples (a float32 array of shape (frames,) or
/// (channels, frames) at `sample_rate`, reported as `name`); the JSON report as Python values.
#[pyfunction]
#[pyo3(signature = (source, sample_rate, name, tasks, settings_values, weight_paths, midi_note, activations))]
#[allow(clippy::too_many_arguments)]
fn analyze(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    sample_rate: Option<u32>,
    name: String,
    tasks: Option<Vec<String>>,
    settings_values: [f32; 5],
    weight_paths: Option<Vec<String>>,
    midi_note: Option<u8>,
    activations: bool,
) -> PyResult<Py<PyAny>> {
    let plan = plan(tasks, settings_values, weight_paths, midi_note)?;
    if let Ok(path) = source.extract::<String>() {
        let signal = py
            .detach(|| audio::read(std::path::Path::new(&path)))
            .map_err(|e| PyOSError::new_err(e.to_string()))?;
        return analyse(py, &path, signal, plan, activations);
    }
    let samples: PyReadonlyArrayDyn<'_, f32> = source.extract()?;
    let sample_rate = sample_rate
        .ok_or_else(|| PyValueError::new_err("sample_rate is required with an array"))?;
    let signal = Audio { sample_rate, channels: channels_of(&samples)? };
    analyse(py, &name, signal, plan, activations)
}

/// The channels of a (frames,) or (channels, frames) array, copied out of Python's memory.
fn channels_of(samples: &PyReadonlyArrayDyn<'_, f32>) -> PyResult<Vec<Vec<f32>>> {
    let array = samples.as_array();
    match array.ndim() {
        1 => Ok(vec![array.iter().copied().collect()]),
        2 if array.shape()[0] > 0 => {
            Ok(array.outer_iter().map(|c| c.iter().copied().collect()).collect())
        }
        _ => Err(PyValueError::new_err(format!(
            "samples must have shape (frames,) or (channels, frames), not {:?}",
            array.shape()
        ))),
    }
}

/// The streaming engine: blocks in, events out, as in the plug-in.
#[pyclass(module = "earshot._earshot")]
struct Engine {
    /// Only `&mut self` methods use it (`get_mut`, never locked): the mutex makes the class
    /// shareable between threads, as Python requires.
    engine: std::sync::Mutex<LiveEngine>,
    channels: Option<usize>,
}

#[pymethods]
impl Engine {
    #[new]
    #[pyo3(signature = (sample_rate, tasks, settings_values))]
    fn new(
        sample_rate: f64,
        tasks: Option<Vec<String>>,
        settings_values: [f32; 5],
    ) -> PyResult<Self> {
        if !(sample_rate.is_finite() && sample_rate > 0.0) {
            return Err(PyValueError::new_err(format!("sample_rate {sample_rate} is not a rate")));
        }
        let plan = plan(tasks, settings_values, None, None)?;
        let engine = plan.engine(sample_rate).map_err(PyValueError::new_err)?;
        Ok(Engine { engine: std::sync::Mutex::new(engine), channels: None })
    }

    /// Takes a block; returns the events it completes, each a dict.
    fn push(&mut self, py: Python<'_>, block: PyReadonlyArrayDyn<'_, f32>) -> PyResult<Py<PyAny>> {
        let channels = channels_of(&block)?;
        if *self.channels.get_or_insert(channels.len()) != channels.len() {
            return Err(PyValueError::new_err("every block must have the first block's channels"));
        }
        let frames = channels[0].len();
        let engine = self.engine.get_mut().map_err(|_| {
            PyValueError::new_err("the engine failed on an earlier block; make a new one")
        })?;
        let events = py.detach(|| {
            let mut events = Vec::new();
            engine.push(&channels, frames, |event| events.push(event));
            events
        });
        let values: Vec<serde_json::Value> = events.iter().map(event_value).collect();
        to_python(py, &serde_json::Value::Array(values))
    }

    /// Forgets everything heard: the next block starts a new analysis at time 0.
    fn reset(&mut self) {
        if let Ok(engine) = self.engine.get_mut() {
            engine.reset();
        }
        self.channels = None;
    }

    /// The engine's latency in samples: how long after a moment its events can come.
    #[getter]
    fn latency(&mut self) -> usize {
        self.engine.get_mut().map_or(0, |engine| engine.latency_samples())
    }
}

#[pymodule]
fn _earshot(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(analyze, module)?)?;
    module.add_class::<Engine>()?;
    module.add("TASKS", TaskKind::all().map(|t| t.name()).collect::<Vec<_>>())?;
    Ok(())
}

"""Earshot's music analysis from Python.

The same engine as the Earshot plug-in and the ``earshot`` command: note onsets, beats and
tempo, chords, key, and whether someone is singing.

- :func:`analyze` takes a file or a NumPy array and returns what ``earshot analyze --format
  json`` writes for it, as plain Python values (optionally with the frame-wise activations as
  NumPy arrays).
- :class:`Engine` takes audio block by block, as the plug-in does, and returns events as they
  are found.
- :mod:`earshot.library` analyses folder trees of audio on a Dask cluster.

The engine runs without holding the GIL, so threads analyse in parallel.
"""

from __future__ import annotations

import os
from typing import Any, Mapping, Sequence, Union

import numpy as np

from . import _earshot

__all__ = ["TASKS", "analyze", "Engine"]

#: The task names: ``onsets``, ``chords``, ``key``, ``beats``, ``voice``.
TASKS: tuple[str, ...] = tuple(_earshot.TASKS)

AudioInput = Union[str, "os.PathLike[str]", np.ndarray]


def _settings(
    sensitivity: float,
    steadiness: float,
    key_window: float,
    tempo_window: float,
    voice_sensitivity: float,
) -> list[float]:
    return [sensitivity, steadiness, key_window, tempo_window, voice_sensitivity]


def analyze(
    audio: AudioInput,
    sample_rate: int | None = None,
    tasks: Sequence[str] | None = None,
    *,
    sensitivity: float = 0.5,
    steadiness: float = 0.5,
    key_window: float = 30.0,
    tempo_window: float = 10.0,
    voice_sensitivity: float = 0.5,
    weights: Sequence[Union[str, "os.PathLike[str]"]] | None = None,
    midi_note: int | None = None,
    activations: bool = False,
    name: str = "array",
) -> dict[str, Any]:
    """Analyses a whole file or signal.

    Args:
        audio: a path to an audio file (WAV, FLAC, MP3, Ogg Vorbis, AIFF), or samples as a
            NumPy array of shape ``(frames,)`` or ``(channels, frames)`` (converted to
            float32).
        sample_rate: the samples' rate in Hz; required for an array, refused for a path.
        tasks: task names from :data:`TASKS` (default: all).
        sensitivity: onset sensitivity, 0–1, as the plug-in's parameter.
        steadiness: chord steadiness, 0–1 (higher holds chords longer).
        key_window: seconds the running key is pooled over (5–600).
        tempo_window: seconds the running tempo is pooled over (2–120).
        voice_sensitivity: voice sensitivity, 0–1.
        weights: weight files (``.esw``) replacing the shipped ones, one per task.
        midi_note: the onset notes' MIDI key in the report's settings.
        activations: also return each frame-wise task's network output.
        name: the ``file`` reported for an array.

    Returns:
        What ``earshot analyze --format json`` writes, as ``json.load`` reads it: ``file``,
        ``duration`` and, under ``tasks``, each task's results, settings and weights' command.
        With ``activations``, ``result["activations"][task]`` is a pair of NumPy arrays
        (times in seconds, values) for ``onsets``, ``beats`` and ``voice``.

    Raises:
        ValueError: an unknown task, a setting out of range, a malformed array, unusable
            weights.
        OSError: a file that cannot be read or decoded.
    """
    settings = _settings(sensitivity, steadiness, key_window, tempo_window, voice_sensitivity)
    task_list = list(tasks) if tasks is not None else None
    weight_list = [os.fspath(w) for w in weights] if weights is not None else None
    if isinstance(audio, np.ndarray):
        if sample_rate is None:
            raise ValueError("sample_rate is required with an array")
        source: Any = np.ascontiguousarray(audio, dtype=np.float32)
        sample_rate = int(sample_rate)
    elif sample_rate is not None:
        raise ValueError("sample_rate is for arrays; a file's rate is read from the file")
    else:
        source = os.fspath(audio)
    return _earshot.analyze(
        source, sample_rate, name, task_list, settings, weight_list, midi_note, activations
    )


class Engine:
    """The live engine: push blocks of any size, get events as they are found.

    Events are dicts with ``task``, ``kind`` (``onset``, ``activation``, ``chord``, ``key``,
    ``beat``, ``voice``), ``sample`` and ``time`` (since the engine's start or last
    :meth:`reset`), and the event's fields: an onset's ``strength``; a chord's ``chord``
    (Harte), ``confidence``, ``runner_up``; the key ``windowed`` and ``overall``; a beat's
    ``bar_position``, ``beats_per_bar``, ``confidence``, ``tempo``; singing's ``singing`` and
    ``confidence``; an activation's ``value``. Any block size gives the same events.

    Args:
        sample_rate: the audio's rate in Hz (any; it is resampled inside).
        tasks: task names from :data:`TASKS` (default: all).
        sensitivity, steadiness, key_window, tempo_window, voice_sensitivity: as in
            :func:`analyze`.
    """

    def __init__(
        self,
        sample_rate: float,
        tasks: Sequence[str] | None = None,
        *,
        sensitivity: float = 0.5,
        steadiness: float = 0.5,
        key_window: float = 30.0,
        tempo_window: float = 10.0,
        voice_sensitivity: float = 0.5,
    ) -> None:
        settings = _settings(sensitivity, steadiness, key_window, tempo_window, voice_sensitivity)
        self._engine = _earshot.Engine(
            float(sample_rate), list(tasks) if tasks is not None else None, settings
        )

    def push(self, block: np.ndarray) -> list[Mapping[str, Any]]:
        """Takes a block of shape ``(frames,)`` or ``(channels, frames)`` (the first block's
        channel count throughout); returns the events it completes."""
        return self._engine.push(np.ascontiguousarray(block, dtype=np.float32))

    def reset(self) -> None:
        """Forgets everything heard: the next block starts a new analysis at time 0."""
        self._engine.reset()

    @property
    def latency(self) -> int:
        """How many samples after a moment its events can come."""
        return self._engine.latency

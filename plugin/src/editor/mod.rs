//! The editor window: an egui app whose size the host saves with the project.
//!
//! nice-plug-egui's own editor state is created before the host restores a project, and its
//! size cannot be set afterwards; [`EarshotEditor`] therefore opens each window at the size
//! stored in the parameters and writes every resize back there.

mod app;
mod colormap;
pub mod lane_painting;
mod level_meter_view;
pub mod param_widgets;
#[cfg(test)]
pub mod recording_host;
pub mod spectrogram_view;
pub mod theme;

use crate::params::EditorSize;
use crate::shared::Shared;
use crate::Earshot;
use app::EditorApp;
use nice_plug::editor::dpi::{LogicalSize, NativeSize, Size};
use nice_plug::editor::{HostMethods, SizeConstraints, SpawnedEditor};
use nice_plug::prelude::*;
use nice_plug_egui::{
    create_egui_editor, EguiEditorHandle, EguiEditorState, EguiNiceSettings, RepaintNotifier,
};
use std::error::Error;
use std::sync::Arc;

/// The plugin's [`Editor`]: opens egui windows at the saved size.
pub struct EarshotEditor {
    shared: Arc<Shared>,
    repaint: RepaintNotifier,
}

impl EarshotEditor {
    /// An editor on the plug-in's shared state, repainted when `repaint` is notified.
    pub fn new(shared: Arc<Shared>, repaint: RepaintNotifier) -> Self {
        Self { shared, repaint }
    }

    fn saved_size(&self) -> EditorSize {
        self.shared.params.editor_size.read().map_or(EditorSize::DEFAULT, |size| *size).clamped()
    }

    fn settings() -> EguiNiceSettings {
        let logical =
            |size: EditorSize| Some(LogicalSize::new(size.width as f32, size.height as f32));
        let mut resize_hint = ResizeHint::NON_RESIZABLE;
        resize_hint.can_resize = true;
        resize_hint.can_resize_horizontally = true;
        resize_hint.can_resize_vertically = true;
        resize_hint.size_constraints = SizeConstraints::Logical {
            min_size: logical(EditorSize::MIN),
            max_size: logical(EditorSize::MAX),
        };
        EguiNiceSettings::new()
            .with_tile(format!("{} {}", Earshot::NAME, Earshot::VERSION))
            .with_resize_hint(resize_hint)
    }
}

impl Editor for EarshotEditor {
    type Handle = EguiEditorHandle;

    fn spawn(
        &self,
        parent: Option<ParentWindowHandle>,
        wait_for_parent: bool,
        fallback_scale_factor: Option<f64>,
        gui_context: nice_plug::context::gui::GuiContext,
        host: Option<HostMethods>,
    ) -> Result<SpawnedEditor<Self::Handle>, Box<dyn Error>> {
        let size = self.saved_size();
        let state = EguiEditorState::from_size(
            Size::Logical(LogicalSize::new(size.width as f64, size.height as f64)),
            1.0,
        );
        let app = EditorApp::new(self.shared.clone());
        let editor = create_egui_editor(state, self.repaint.clone(), Self::settings(), app)
            .ok_or("nice-plug-egui did not create an editor")?;
        editor.spawn(parent, wait_for_parent, fallback_scale_factor, gui_context, host)
    }

    fn size(&self) -> NativeSize<u32> {
        let size = self.saved_size();
        NativeSize::from_size(
            Size::Logical(LogicalSize::new(size.width as f64, size.height as f64)),
            1.0,
        )
    }

    fn resize_hint(&self) -> ResizeHint {
        Self::settings().resize_hint
    }
}

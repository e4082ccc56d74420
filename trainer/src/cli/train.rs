//! `earshot-train train`: trains a task's model from a config file on rendered songs.

use crate::train::run::{run, RunOptions};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// The task (must match the config's).
    #[arg(long)]
    pub task: String,
    /// The run's config file (configs/TASK.json).
    #[arg(long, value_name = "JSON")]
    pub config: PathBuf,
    /// Folder of renders (`earshot-train dataset render`); repeat for several. The config's song lists
    /// pick the training and validation renders from all of them. Features are cached in each
    /// folder's `features/`.
    #[arg(long, value_name = "DIR", required = true)]
    pub renders: Vec<PathBuf>,
    /// Where to write the best weights (.esw).
    #[arg(long, value_name = "ESW")]
    pub out: PathBuf,
    /// Continue an interrupted run from the checkpoint beside --out.
    #[arg(long)]
    pub resume: bool,
    /// Stop after this many epochs in this invocation (continue later with --resume).
    #[arg(long, value_name = "EPOCHS")]
    pub stop_after: Option<usize>,
}

pub fn run_command(args: &TrainArgs) -> Result<(), String> {
    // The command as it reproduces the weights: --resume and --stop-after change nothing in them.
    let renders: String =
        args.renders.iter().map(|r| format!(" --renders {}", r.display())).collect();
    let command = format!(
        "earshot-train train --task {} --config {}{renders} --out {}",
        args.task,
        args.config.display(),
        args.out.display()
    );
    let config = crate::train::config::TrainConfig::read(&args.config)?;
    if config.task != args.task {
        return Err(format!(
            "--task {} but {} trains {}",
            args.task,
            args.config.display(),
            config.task
        ));
    }
    println!("reproduce with: {command}");
    let options = RunOptions {
        config: args.config.clone(),
        renders: args.renders.clone(),
        out: args.out.clone(),
        resume: args.resume,
        stop_after: args.stop_after,
        command,
        progress: true,
    };
    let report = run(&options)?;
    println!("{}", report.labels);
    println!(
        "{} epochs, best validation {} {:.4} at epoch {}; {:.1} steps/s, {:.1} s per epoch; weights in {}",
        report.epochs,
        report.score_name,
        report.best_score,
        report.best_epoch,
        report.steps_per_second,
        report.seconds_per_epoch,
        args.out.display()
    );
    Ok(())
}

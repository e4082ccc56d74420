//! `earshot train`: trains a task's model from a config file on rendered songs.

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
    /// Folder of renders (`earshot dataset render`) holding the training and validation songs.
    #[arg(long, value_name = "DIR")]
    pub renders: PathBuf,
    /// Where to write the best weights (.esw).
    #[arg(long, value_name = "ESW")]
    pub out: PathBuf,
}

pub fn run_command(args: &TrainArgs) -> Result<(), String> {
    let command = std::iter::once("earshot".to_string())
        .chain(std::env::args().skip(1))
        .collect::<Vec<_>>()
        .join(" ");
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
        command,
        progress: true,
    };
    let report = run(&options)?;
    println!(
        "{} epochs, best validation F {:.4} at epoch {}; {:.1} steps/s, {:.1} s per epoch; weights in {}",
        report.epochs,
        report.best_score,
        report.best_epoch,
        report.steps_per_second,
        report.seconds_per_epoch,
        args.out.display()
    );
    Ok(())
}

//! The `earshot` command line.

pub mod analyze;
pub mod dataset;
pub mod eval;
pub mod train;

use clap::{Parser, Subcommand};

/// Earshot's offline tool: analyses audio files with the plug-in's engine, renders the training
/// corpus, trains the networks and evaluates the results.
#[derive(Debug, Parser)]
#[command(name = "earshot", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Runs the plug-in's analysis over audio files and writes what it finds.
    Analyze(analyze::AnalyzeArgs),
    /// Scores estimated annotations against reference ones, file by file (matched by name).
    Eval(eval::EvalArgs),
    /// Builds the labelled training corpus.
    #[command(subcommand)]
    Dataset(dataset::DatasetCommand),
    /// Trains a task's network from a config file on rendered songs.
    Train(train::TrainArgs),
}

/// Runs a parsed command line; the error is printed by `main`.
pub fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Analyze(args) => analyze::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Dataset(command) => dataset::run(&command),
        Command::Train(args) => train::run_command(&args),
    }
}

//! The `earshot-train` command line: the training corpus and the networks' training. Analysing
//! and scoring files is the `earshot` command's (the `cli` crate), free of the training stack.

pub mod dataset;
pub mod train;

use clap::{Parser, Subcommand};

/// Earshot's trainer: renders the labelled training corpus and trains the networks whose weights
/// the plug-in embeds.
#[derive(Debug, Parser)]
#[command(name = "earshot-train", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Builds the labelled training corpus.
    #[command(subcommand)]
    Dataset(dataset::DatasetCommand),
    /// Trains a task's network from a config file on rendered songs.
    Train(train::TrainArgs),
}

/// Runs a parsed command line; the error is printed by `main`.
pub fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Dataset(command) => dataset::run(&command),
        Command::Train(args) => train::run_command(&args),
    }
}

//! `earshot`: Earshot's analysis over audio files (the plug-in's very engine), and evaluation of
//! annotations with mir_eval's metrics. Training and rendering live in `earshot-train`.

mod analyze;
mod eval;

use clap::{Parser, Subcommand};

/// Earshot's offline tool: analyses audio files and folders with the plug-in's engine, on every
/// core, and scores annotations against references.
#[derive(Debug, Parser)]
#[command(name = "earshot", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Runs the plug-in's analysis over audio files and folders and writes what it finds.
    Analyze(analyze::AnalyzeArgs),
    /// Scores estimated annotations against reference ones, file by file (matched by name).
    Eval(eval::EvalArgs),
}

fn main() -> std::process::ExitCode {
    let result = match Cli::parse().command {
        Command::Analyze(args) => analyze::run(&args),
        Command::Eval(args) => eval::run(&args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("earshot: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

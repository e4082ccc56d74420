use clap::Parser;
use earshot_trainer::cli::{run, Cli};

fn main() -> std::process::ExitCode {
    match run(Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("earshot-train: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

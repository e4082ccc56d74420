//! Runs the pass-through stress test on a CLAP library in its own process, so that a test can
//! watch it abort. Usage: `clap-stress LIBRARY SAMPLE_RATE BLOCKS`.

use earshot_tests::stress;
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [library, rate, blocks] = args.as_slice() else {
        eprintln!("usage: clap-stress LIBRARY SAMPLE_RATE BLOCKS");
        std::process::exit(2);
    };
    let (Ok(rate), Ok(blocks)) = (rate.parse::<f64>(), blocks.parse::<usize>()) else {
        eprintln!("SAMPLE_RATE and BLOCKS must be numbers");
        std::process::exit(2);
    };
    match stress::pass_through(&PathBuf::from(library), rate, 2, blocks, 1) {
        Ok(report) => println!("{report:?}"),
        Err(message) => {
            eprintln!("error: {message}");
            std::process::exit(1);
        }
    }
}

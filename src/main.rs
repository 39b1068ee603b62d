//! Entry point: parse, start logging, run, turn the outcome into an exit status.

use clap::Parser;

fn main() {
    let cli = match vmsdbg::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            std::process::exit(if e.use_stderr() {
                vmsdbg::error::exit::USAGE
            } else {
                0
            });
        }
    };
    vmsdbg::run::init_logging(cli.global.verbose, cli.color());
    std::process::exit(vmsdbg::run::run(cli));
}

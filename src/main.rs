use clap::Parser;

fn main() -> std::process::ExitCode {
    mspdesk::platform::memory::tune();
    mspdesk::platform::telemetry::init();
    mspdesk::cli::run(mspdesk::cli::Cli::parse())
}

//! `dshield`: the Internet Storm Center (DShield) API from the command line.
//!
//! One subcommand per endpoint, with python-dshield's names and argument
//! order. Typed answers print as pretty JSON (or `--output table`); raw
//! bodies print untouched with `--format`. The tool uses only the library's
//! public API: arguments become endpoints (checked before anything is sent),
//! a `Client` sends them over isahc or a cassette, and failures become one
//! line on stderr and an exit status (0 success, 2 refused input, 1 any
//! other failure).

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod args;
mod calls;
mod failure;
mod net;
mod render;
mod table;

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

use clap::Parser;
use dshield::{CONTACT_ENV, Client, Wire};

use crate::args::Cli;
use crate::calls::CallError;
use crate::failure::{Context, Failure};
use crate::net::{Net, NetOptions};

/// The tool's name and version, first in the User-Agent.
const APPLICATION: &str = concat!("dshield-cli/", env!("CARGO_PKG_VERSION"));

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // `--help` and `--version` arrive as errors that print to stdout.
        Err(err) if !err.use_stderr() => {
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
        Err(err) => return failure::usage(&err).report(),
    };
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

fn run(cli: &Cli) -> Result<(), Failure> {
    let wire = Wire::from(cli.wire);
    let context = Context {
        command: cli.command.name(),
        wire,
        raw: cli.format.is_some(),
        cassette: cli.replay.as_deref().or(cli.record.as_deref()),
    };

    // The endpoint first: a refused argument must not open a connection.
    let call = calls::plan(&cli.command).map_err(|e| failure::library(&e, &context))?;

    let net = Net::open(&NetOptions {
        replay: cli.replay.as_deref(),
        record: cli.record.as_deref(),
        timeout: cli.timeout,
        retries: cli.retries,
        rate: cli.rate,
    })
    .map_err(|e| failure::open(&e))?;
    let mut builder = Client::builder()
        .base_url(&cli.base_url)
        .wire(wire)
        .application(APPLICATION);
    if let Some(contact) = &cli.contact {
        builder = builder.contact(contact);
    }
    let client = builder
        .build_with(net)
        .map_err(|e| failure::library(&e, &context))?;
    if !client.has_contact() && cli.replay.is_none() {
        failure::say(&format!(
            "hint: the service asks clients for a contact; pass --contact EMAIL or set \
             {CONTACT_ENV}"
        ));
    }

    let bytes = match cli.format {
        Some(format) => call
            .raw(&client, format.into())
            .map_err(|e| failure::library(&e, &context))?,
        None => call
            .typed(&client, cli.output)
            .map_err(|e| match e {
                CallError::Api(e) => failure::library(&e, &context),
                CallError::Json(e) => Failure::failed(format!(
                    "cannot write the {} answer as JSON: {e}; try --output table or --format json",
                    context.command
                )),
            })?
            .into_bytes(),
    };
    print(&bytes)
}

/// Writes `bytes` to stdout as they are. A reader that stopped early
/// (`| head`) is not a failure.
fn print(bytes: &[u8]) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => Err(Failure::failed(format!(
            "cannot write to standard output: {e}"
        ))),
        _ => Ok(()),
    }
}

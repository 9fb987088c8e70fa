//! Failures as one line on stderr and an exit status.
//!
//! The library's messages say what went wrong and name the endpoint; this
//! module adds what to do about it in terms of this tool's options.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use dshield::transport::{IsahcError, RecordError};
use dshield::{Error, Wire};

use crate::net::{NetError, OpenError};

/// Exit status when the arguments were refused and nothing was sent.
const REFUSED: u8 = 2;
/// Exit status when the service, the network, the cassette or decoding failed.
const FAILED: u8 = 1;

/// A failure: what to print and how to exit.
#[derive(Debug)]
pub struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    /// The arguments were refused; nothing was sent.
    pub fn refused(message: impl Into<String>) -> Failure {
        Failure {
            code: REFUSED,
            message: message.into(),
        }
    }

    /// Something failed after the arguments were accepted.
    pub fn failed(message: impl Into<String>) -> Failure {
        Failure {
            code: FAILED,
            message: message.into(),
        }
    }

    /// Prints the message as one line starting `dshield: ` and returns the
    /// exit status.
    pub fn report(&self) -> ExitCode {
        say(&self.message);
        ExitCode::from(self.code)
    }
}

/// Writes one line `dshield: {message}` to stderr. A closed stderr is
/// ignored: there is nowhere else to say it.
pub fn say(message: &str) {
    let line: String = message
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let _ = writeln!(std::io::stderr().lock(), "dshield: {line}");
}

/// What the run was doing, for advice that names the right options.
pub struct Context<'a> {
    /// The subcommand.
    pub command: &'static str,
    /// The wire format of typed answers.
    pub wire: Wire,
    /// True for `--format`.
    pub raw: bool,
    /// The cassette of `--replay` or `--record`.
    pub cassette: Option<&'a Path>,
}

/// A library error, with advice.
pub fn library(err: &Error, context: &Context<'_>) -> Failure {
    match err {
        Error::InvalidInput {
            endpoint: "client",
            parameter,
            ..
        } => {
            let fix = match *parameter {
                "base URL" => "fix --base-url",
                "contact" => "fix --contact or DSHIELD_CONTACT",
                _ => "see 'dshield --help'",
            };
            Failure::refused(format!("{err}; {fix}"))
        }
        Error::InvalidInput { .. } => Failure::refused(format!(
            "{err}; see 'dshield {} --help' for the valid values",
            context.command
        )),
        Error::Transport { endpoint, source } => match source.downcast_ref::<NetError>() {
            Some(NetError::Http(http)) => Failure::failed(transport(endpoint, http)),
            Some(NetError::Cassette(cassette)) => {
                Failure::failed(recorder(endpoint, cassette, context))
            }
            None => Failure::failed(format!("{err}; check your network or --base-url")),
        },
        // The library's messages already say what to do for these.
        Error::Status { .. } | Error::RateLimited { .. } | Error::Service { .. } => {
            Failure::failed(err.to_string())
        }
        Error::Decode { .. } if context.raw => Failure::failed(err.to_string()),
        Error::Decode { .. } => Failure::failed(format!(
            "{err}; try --format {} to see the raw answer",
            context.wire
        )),
        _ => Failure::failed(err.to_string()),
    }
}

/// A failure of the HTTP transport.
fn transport(endpoint: &str, err: &IsahcError) -> String {
    match err {
        IsahcError::Http(http) if http.is_timeout() => format!(
            "{endpoint}: request failed: {err}; the service did not answer in time: try again \
             later or raise --timeout"
        ),
        IsahcError::TooLarge { limit } => format!(
            "{endpoint}: the answer is larger than the cap of {limit} bytes; ask for fewer rows"
        ),
        _ => format!("{endpoint}: request failed: {err}; check your network or --base-url"),
    }
}

/// A failure of `--replay` or `--record` during a request.
fn recorder(endpoint: &str, err: &RecordError, context: &Context<'_>) -> String {
    let path = context
        .cassette
        .map_or_else(|| "FILE".into(), |p| p.display().to_string());
    match err {
        RecordError::NotRecorded {
            method,
            uri,
            closest,
            ..
        } => {
            let closest = closest
                .as_ref()
                .map(|c| format!(" (the closest recorded request is {c})"))
                .unwrap_or_default();
            format!(
                "{endpoint}: {method} {uri} is not recorded in cassette {path}{closest}; run the \
                 same command with --record {path} to add it"
            )
        }
        RecordError::Exhausted { method, uri, .. } => format!(
            "{endpoint}: {method} {uri} has been replayed as often as cassette {path} recorded \
             it; run the same command with --record {path} to add another recording"
        ),
        RecordError::Inner { source, .. } => match source.downcast_ref::<IsahcError>() {
            Some(http) => format!("{}; nothing was recorded", transport(endpoint, http)),
            None => format!("{endpoint}: {err}; check your network or --base-url"),
        },
        _ => format!("{endpoint}: {err}"),
    }
}

/// A transport that could not be set up.
pub fn open(err: &OpenError) -> Failure {
    match err {
        OpenError::Http(http) => Failure::failed(format!(
            "cannot set up HTTP: {http}; check the libcurl installation"
        )),
        OpenError::Cassette(RecordError::Missing { path }) => Failure::failed(format!(
            "cassette {} does not exist; check the path, or record it with --record {}",
            path.display(),
            path.display()
        )),
        OpenError::Cassette(cassette) => Failure::failed(cassette.to_string()),
    }
}

/// A usage error from clap, on one line: its message, tips and usage.
pub fn usage(err: &clap::Error) -> Failure {
    if err.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        return Failure::refused(
            "a command is needed; usage: dshield [OPTIONS] <COMMAND> [ARGS...]; run \
             'dshield --help' for the commands",
        );
    }
    let rendered = err.render().to_string();
    let mut line = String::new();
    for part in rendered.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let part = part.strip_prefix("error: ").unwrap_or(part);
        let part = match part.strip_prefix("Usage: ") {
            Some(usage) => format!("usage: {usage}"),
            None => part.replace("For more information", "for more information"),
        };
        if !line.is_empty() {
            // A part ending in ':' introduces the next one.
            line.push_str(if line.ends_with(':') { " " } else { "; " });
        }
        line.push_str(part.trim_end_matches('.'));
    }
    Failure::refused(line)
}

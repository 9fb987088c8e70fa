//! Integration tests, one binary with a module per concern.

mod support;

#[cfg(feature = "cli")]
mod cli;
mod decoding;
mod errors;
mod hostile;
mod input;
mod isahc_transport;
mod paths;
mod politeness;
mod properties;
mod record;
mod tour;

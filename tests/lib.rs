//! Integration tests, one binary with a module per concern.

mod support;

mod decoding;
mod errors;
mod input;
mod isahc_transport;
mod paths;
mod record;
mod tour;
mod hostile;
mod politeness;
mod properties;

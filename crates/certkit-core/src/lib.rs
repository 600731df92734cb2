//! certkit: keys and certificates for Salesforce JWT integrations.
//!
//! Data flows one way: a reader in [`formats`] turns any input into the one
//! [`model::Keystore`]; an operation in [`ops`] changes it (rename, re-protect, wrap,
//! sign); [`rules`] check the target's rules; a writer encodes; [`output`] writes
//! atomically. Each operation takes typed options and returns a serialisable report.
//!
//! Layers, bottom up (a module imports only from those below it): [`der`], [`digest`],
//! [`clock`], [`choice`], [`remedy`] → [`integration`], [`error`] → [`files`], [`secret`] → [`keys`] → [`x509`] → [`model`] →
//! [`formats`], [`passwords`], [`output`] → [`open`], [`keyids`], [`jwt`], [`certgen`] →
//! [`rules`] → [`assertion`] → [`ops`]. The command line (`src/cli/`, in the binary) sits
//! on top; nothing in this library knows it.
//!
//! Every operation fails with one [`Error`]: what went wrong, typed, with the operating
//! system's error as its `source()`, and the remedy as an [`error::Hint`] where there is
//! one. Exit codes, usage errors, the flags a hint names and the `--json` error document
//! belong to the binary, which maps each variant to its exit code.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod assertion;
pub mod certgen;
pub mod choice;
pub mod clock;
pub mod der;
pub mod diagnose;
pub mod digest;
pub mod error;
pub mod files;
pub mod formats;
pub mod http;
pub mod integration;
pub mod jwt;
pub mod keyids;
pub mod keys;
pub mod model;
pub mod open;
pub mod ops;
pub mod output;
pub mod passwords;
pub mod remedy;
pub mod rules;
pub mod secret;
pub mod x509;

pub use error::{Error, Result};

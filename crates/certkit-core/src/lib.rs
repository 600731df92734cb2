//! certkit's core: keys and certificates for Salesforce JWT integrations, over bytes and
//! typed options.
//!
//! Data flows one way: a reader in [`formats`] turns any input into the one
//! [`model::Keystore`]; an operation in [`ops`] changes it (rename, re-protect, wrap,
//! sign); [`rules`] check the target's rules; a writer encodes; the front end writes the
//! outputs. Each operation takes typed options and returns a serialisable report.
//!
//! This crate has no terminal, file system, network or command line: an operation asks its
//! [`host::Host`] for an input's bytes, a password or a prompt, and to write its outputs; the
//! token request goes through a transport the front end supplies. The `certkit` binary is one
//! front end (files, terminal, HTTP, exit codes); a web page is another.
//!
//! Layers, bottom up (a module imports only from the layers below it; a test finds no
//! cycle): [`choice`], [`clock`], [`der`], [`digest`], [`setting`] → [`error`],
//! [`integration`], [`remedy`] → [`secret`] → [`crypto`] → [`http`], [`jws`], [`keys`],
//! [`model`], [`passwords`] → [`certgen`], [`formats`], [`host`], [`x509`] → [`keyids`],
//! [`open`] → [`rules`] → [`assertion`], [`diagnose`] → [`ops`].
//!
//! Every private-key and signature operation goes through [`crypto::provider`], the one
//! crypto backend chosen at build time (feature `openssl`, the default; `rust-crypto`, pure
//! Rust, without it).
//!
//! Every operation fails with one [`Error`]: what went wrong, typed, with the operating
//! system's error as its `source()`, and the remedy as an [`error::Hint`] where there is
//! one. Exit codes, usage errors, the flags a hint names and the `--json` error document
//! belong to the binary, which maps each variant to its exit code. A message that tells the
//! user which option to give names a [`setting::Setting`], which each front end renders in
//! its own words. Flags appear only in whole certkit commands offered for pasting: the rule
//! registries' fixes, `diagnose`'s checklists and `metadata`'s deploy steps (a layout test
//! holds the list).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod assertion;
pub mod certgen;
pub mod choice;
pub mod clock;
pub mod crypto;
pub mod der;
pub mod diagnose;
pub mod digest;
pub mod error;
pub mod formats;
pub mod host;
pub mod http;
pub mod integration;
pub mod jws;
pub mod keyids;
pub mod keys;
pub mod model;
pub mod open;
pub mod ops;
pub mod passwords;
pub mod remedy;
pub mod rules;
pub mod secret;
pub mod setting;
pub mod x509;

pub use error::{Error, Result};

//! certkit: keys and certificates for Salesforce JWT integrations.
//!
//! Data flows one way: a reader in [`formats`] turns any input into the one
//! [`model::Keystore`]; a command in [`commands`] changes it (rename, re-protect,
//! wrap, sign); [`rules`] check the target's rules; a writer encodes; [`output`]
//! writes atomically.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod assertion;
pub mod certgen;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod error;
pub mod formats;
pub mod jwt;
pub mod keyids;
pub mod keys;
pub mod model;
pub mod open;
pub mod output;
pub mod passwords;
pub mod rules;
pub mod secret;
pub mod x509;

pub use error::{Error, Result};

//! certkit's web front end: the core compiled to WebAssembly for the offline page in `web/`.
//!
//! The page picks files, fills a form and calls [`run`] with the command's name and a JSON
//! request; it gets back a JSON answer with the report, the files to offer as downloads, or
//! the error. The core does the work exactly as for the command line (the same operations
//! over a [`host::Memory`] instead of files), so reports and deterministic files are the
//! command's byte for byte. Nothing here can reach the network, a disk or a terminal; the
//! page's Content-Security-Policy makes the browser refuse any request besides (docs/web.md).
//!
//! Every block of memory the module frees is wiped first (`zeroizing-alloc`): a key, a
//! password or a request never outlives the call that used it in the module's memory.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod api;
pub mod host;
mod zip;

use wasm_bindgen::prelude::wasm_bindgen;

#[global_allocator]
static ALLOC: zeroizing_alloc::ZeroAlloc<std::alloc::System> =
    zeroizing_alloc::ZeroAlloc(std::alloc::System);

/// Run one operation (`p12-to-jks`, `selfsign`, `kid`, `verify`, `inspect`, `explain`,
/// `metadata`, `lint`) with its request; the answer as JSON ([`api::run`]).
#[wasm_bindgen]
pub fn run(command: &str, request: &str) -> String {
    api::run(command, request).to_string()
}

/// certkit's version, as `certkit --version` prints it.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

//! certkit's integration tests, in one test binary (one link, one run), as ripgrep does:
//! each module tests one command or concern against the real peers (keytool, openssl,
//! an independent JWT implementation).

#[allow(dead_code)]
mod common;
#[allow(dead_code)]
mod support_jwt;

mod builds;
mod clients;
mod convert;
mod credential;
mod defects;
mod docs;
mod exchange;
mod hardening;
mod inspect;
mod json_contract;
mod kid;
mod layout;
mod metadata;
mod new_user;
mod no_openssl;
mod p12_to_jks;
mod preflight;
mod properties;
mod regressions;
mod robustness;
mod selfsign;
mod servers;
mod snapshots;
mod verify;
mod workflows;

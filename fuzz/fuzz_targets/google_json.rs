//! Google service-account JSON keys (and the x509 metadata documents the same reader takes).
#![no_main]
use certkit_core::formats::google_json;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = google_json::decode(data, "fuzz.json");
});

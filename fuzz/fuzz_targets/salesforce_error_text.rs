//! What `explain` reads: Salesforce's exception line, `error: description` text, JSON bodies
//! and `sf ... --json` reports, pasted as text.
#![no_main]
use certkit_core::ops::explain;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let r = explain::run(&text, None);
    let _ = r.understood();
    let _ = serde_json::to_string(&r);
});

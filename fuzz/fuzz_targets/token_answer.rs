//! Token-endpoint answers (the JSON body `exchange` receives) and their diagnosis against
//! every provider's table.
#![no_main]
use certkit_core::diagnose::{self, Answer};
use certkit_core::integration::Integration;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if let Some(a) = Answer::from_json(&v, Some(400)) {
        let _ = diagnose::diagnose(&a, None);
        for p in Integration::ALL {
            let _ = diagnose::diagnose(&a, Some(p));
        }
    }
});

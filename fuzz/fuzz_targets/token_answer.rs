//! Token-endpoint answers (the JSON body `exchange` receives) and their diagnosis against
//! every provider's table.
#![no_main]
use certkit::diagnose::{self, Answer, Provider};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if let Some(a) = Answer::from_json(&v, Some(400)) {
        let _ = diagnose::diagnose(&a, None);
        for p in Provider::ALL {
            let _ = diagnose::diagnose(&a, Some(p));
        }
    }
});

//! JWT compact tokens as pasted (`verify`): normalisation, decoding, and every rule set that
//! reads the claims.
#![no_main]
use certkit_core::jws;
use certkit_core::rules::{google, salesforce_jwt};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let token = jws::normalize_pasted(text);
    if let Ok(d) = jws::decode(&token) {
        let _ = d.alg();
        let _ = google::token_exchange_checks(&d, &google::Expect::default());
        let _ = google::self_signed_checks(&d, &google::Expect::default());
        let _ = salesforce_jwt::bearer_checks(&d);
        let _ = salesforce_jwt::external_credential_checks(&d);
    }
});

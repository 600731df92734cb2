//! Google's metadata documents: `robot/v1/metadata/x509/<email>` (key id → PEM certificate)
//! and `robot/v1/metadata/jwk/<email>` (a JWK set), as `kid --metadata` reads them.
#![no_main]
use certkit_core::formats::google_json;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = google_json::jwk_set(&v, "fuzz.json");
    }
    let _ = google_json::decode(data, "fuzz.json");
});

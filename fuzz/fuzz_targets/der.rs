//! DER certificates and keys: the DER reader, and what certkit reads off a certificate or a
//! PKCS#8 key (summary, names, key facts, key ids, key/certificate match).
#![no_main]
use certkit_core::{formats::pem, keys, x509};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = pem::decode_der(data, "fuzz.der");
    let _ = x509::summarize(data);
    let _ = x509::names(data);
    let _ = x509::cert_key_facts(data);
    let _ = x509::cert_rsa_components(data);
    let _ = x509::matches_key(data, data);
    let _ = keys::facts(data);
});

//! The PEM reader: every block kind, encrypted PKCS#8 and OpenSSL's traditional encrypted
//! keys (with a password, so decryption is reached), and the key/certificate pairing.
#![no_main]
use certkit_core::formats::pem;
use certkit_core::secret::Password;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = pem::decode(data, "fuzz.pem", None);
    let _ = pem::decode(data, "fuzz.pem", Some(&Password::new("changeit".into())));
});

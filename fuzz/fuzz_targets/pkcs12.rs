//! The PKCS#12 reader with the passwords of the seed files (Google's `notasecret`, the
//! OpenSSL fixtures' `changeit`); the MAC-less seed lets mutations reach the bag parser.
#![no_main]
use certkit_core::formats::pkcs12;
use certkit_core::secret::Password;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for pw in ["notasecret", "changeit"] {
        let _ = pkcs12::decode(data, "fuzz.p12", &Password::new(pw.into()));
    }
});

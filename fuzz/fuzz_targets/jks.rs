//! The JKS reader: with the store password (integrity digest checked, keys opened) and
//! without one (integrity skipped, so mutations reach the entry parser and key protector).
#![no_main]
use certkit_core::formats::{self, jks};
use certkit_core::secret::Password;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let pw = Password::new("storepw1".into());
    let _ = jks::decode(data, "fuzz.jks", Some(&pw));
    if let Ok(mut ks) = jks::decode(data, "fuzz.jks", None) {
        let _ = formats::open_keys(&mut ks, &pw);
    }
});

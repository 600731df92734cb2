//! The reader every command uses: recognise a file by its content, read it, and report on
//! it as `inspect` does (every format through one door).
#![no_main]
use certkit_core::formats;
use certkit_core::secret::Password;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let pw = Password::new("changeit".into());
    if let Ok(kind) = formats::sniff(data, "fuzz") {
        if kind != formats::Kind::Pkcs12 {
            let _ = formats::read_as(kind, data, "fuzz", Some(&pw));
            let _ = formats::read_as(kind, data, "fuzz", None);
        }
    }
});

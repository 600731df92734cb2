//! Salesforce metadata XML (`preflight --external-credential`): External Credential, Named
//! Credential and permission set, and the External Credential rules run on what parses.
#![no_main]
use certkit_core::formats::sfmeta::{self, ExternalCredential, NamedCredential, PermissionSet};
use certkit_core::rules::external_credential as ec;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(c) = sfmeta::from_xml::<ExternalCredential>(text, "ExternalCredential", "f") {
        for provider in [ec::Provider::Google, ec::Provider::Salesforce] {
            let x = ec::Expect {
                provider,
                certificates: vec!["privatekey".into()],
                google_key_id: None,
                client_email: None,
            };
            let _ = ec::checks(&c, &x);
        }
        if let Ok(ps) = sfmeta::from_xml::<PermissionSet>(text, "PermissionSet", "f") {
            let _ = ec::granted(&c, "Fuzz", &ps);
        }
    }
    if let Ok(nc) = sfmeta::from_xml::<NamedCredential>(text, "NamedCredential", "f") {
        let _ = ec::named_credential("Fuzz", &nc);
    }
    let _ = sfmeta::from_xml::<PermissionSet>(text, "PermissionSet", "f");
    let _ = ec::formula_lifetime(text);
});

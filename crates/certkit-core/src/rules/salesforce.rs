//! Salesforce's rules for Certificate and Key Management > Import from Keystore,
//! and for the names and passwords it accepts. Each rule names its source.
//!
//! Facts and sources: `docs/salesforce-import.md`.

use super::{Check, Remedy, Rule};
use crate::keys;
use crate::model::{Entry, EntryKind, KeyMaterial};
use crate::secret::Password;

/// alias: letters, digits and underscores only, begins with a letter, no trailing or double underscore, at most 80 characters (Salesforce Unique Name)
pub const ALIAS: Rule = Rule::new("salesforce.alias", "alias: letters, digits and underscores only, begins with a letter, no trailing or double underscore, at most 80 characters (Salesforce Unique Name)")
.enforced("https://help.salesforce.com/s/articleView?id=000387657&type=1 (\"Keystore contains an entry whose alias is not acceptable for import\")");
/// exactly one private-key entry is imported
pub const ONE_ENTRY: Rule = Rule::new(
    "salesforce.one-entry",
    "exactly one private-key entry is imported",
)
.enforced("https://help.salesforce.com/s/articleView?id=xcloud.security_keys_export_import_certs_with_a_keystore.htm&type=5 (the whole keystore is imported)");
/// the keystore contains a PrivateKey entry
pub const PRIVATE_KEY: Rule = Rule::new(
    "salesforce.private-key",
    "the keystore contains a PrivateKey entry",
)
.enforced("https://help.salesforce.com/s/articleView?id=xcloud.security_keys_export_import_certs_with_a_keystore.htm&type=5 (\"No certificate was imported because the keystore file doesn't contain a PrivateKey entry.\")");
/// the file is a Java KeyStore (JKS)
pub const JKS: Rule = Rule::new("salesforce.jks", "the file is a Java KeyStore (JKS)")
.enforced("https://help.salesforce.com/s/articleView?id=xcloud.security_keys_export_import_certs_with_a_keystore.htm&type=5 (\"the imported file must also be in the JKS format\")");
/// each key's password is the keystore password (Salesforce asks for one)
pub const KEY_PASSWORD: Rule = Rule::new(
    "salesforce.key-password",
    "each key's password is the keystore password (Salesforce asks for one)",
)
.enforced("https://help.salesforce.com/s/articleView?id=000387714&type=1 (\"whose per key password is not the same as the keystore password\")");
/// the private key comes with its certificate chain
pub const CERTIFICATE: Rule = Rule::new(
    "salesforce.certificate",
    "the private key comes with its certificate chain",
)
.enforced("https://help.salesforce.com/s/articleView?id=xcloud.security_keys_export_import_certs_with_a_keystore.htm&type=5 (\"Either the private key is missing, or the certificate file is null.\")");
/// the key is in PKCS#8 format
pub const PKCS8: Rule = Rule::new("salesforce.pkcs8", "the key is in PKCS#8 format")
.enforced("https://help.salesforce.com/s/articleView?id=xcloud.security_keys_export_import_certs_with_a_keystore.htm&type=5 (\"The key must be in PKCS#8 format.\")");
/// the key is an RSA key
pub const RSA: Rule = Rule::unsupported("salesforce.rsa", "the key is an RSA key")
.enforced("https://help.salesforce.com/s/articleView?id=xcloud.security_keys_export_import_certs_with_a_keystore.htm&type=5 (\"The key is not an RSA key.\")");
/// RSA key of 2048, 3072 or 4096 bits
pub const KEY_SIZE: Rule = Rule::new("salesforce.key-size", "RSA key of 2048, 3072 or 4096 bits")
.enforced("https://help.salesforce.com/s/articleView?id=xcloud.security_keys_export_import_certs_with_a_keystore.htm&type=5 (\"Imported keys must have a bit size of 2048, 3072, or 4096.\")");
/// the private key matches the certificate chain
pub const KEY_MATCHES_CERT: Rule = Rule::new(
    "salesforce.key-matches-cert",
    "the private key matches the certificate chain",
)
.enforced("https://help.salesforce.com/s/articleView?id=xcloud.security_keys_export_import_certs_with_a_keystore.htm&type=5 (\"The private key does not match the certificate chain in the keystore.\")");

/// Every rule of this authority.
pub const RULES: &[Rule] = &[
    ALIAS,
    ONE_ENTRY,
    PRIVATE_KEY,
    JKS,
    KEY_PASSWORD,
    CERTIFICATE,
    PKCS8,
    RSA,
    KEY_SIZE,
    KEY_MATCHES_CERT,
    PASSWORD_SALESFORCE,
    PASSWORD_JAVA,
];

/// The key sizes Import from Keystore accepts.
pub const ACCEPTED_RSA_BITS: [u32; 3] = [2048, 3072, 4096];

/// keystore password: 6 to 8 printable ASCII characters
pub const PASSWORD_SALESFORCE: Rule = Rule::new(
    "password.policy",
    "keystore password: 6 to 8 printable ASCII characters",
)
.documented("a Salesforce guide asks for 6 to 8 characters (quoted in https://salesforce.stackexchange.com/questions/310834, where a keystore with the 10-character password notasecret is also reported imported); certkit holds the keystores it writes to it, --password-policy java to opt out, and warns of another password in a keystore it checks");
/// keystore password: at least 6 characters
pub const PASSWORD_JAVA: Rule = Rule::new(
    "password.policy-java",
    "keystore password: at least 6 characters",
)
.enforced("https://docs.oracle.com/en/java/javase/17/docs/specs/man/keytool.html (keytool refuses a password under 6 characters)");

/// The fix for a keystore password outside the policy.
pub const PASSWORD_FIX: &str = "choose another keystore password, or have one generated";

/// Which keystore password policy to enforce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordPolicy {
    /// 6 to 8 printable ASCII characters, no spaces: satisfies every Salesforce report.
    Salesforce,
    /// At least 6 characters, as keytool requires.
    Java,
}

impl crate::choice::Choice for PasswordPolicy {
    const ALL: &'static [Self] = &[PasswordPolicy::Salesforce, PasswordPolicy::Java];
    fn name(self) -> &'static str {
        match self {
            PasswordPolicy::Salesforce => "salesforce",
            PasswordPolicy::Java => "java",
        }
    }
    fn help(self) -> &'static str {
        match self {
            PasswordPolicy::Salesforce => {
                "6 to 8 printable ASCII characters, no spaces: satisfies every Salesforce report"
            }
            PasswordPolicy::Java => "at least 6 characters, as keytool requires",
        }
    }
}

impl serde::Serialize for PasswordPolicy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::choice::serialize(self, s)
    }
}

impl PasswordPolicy {
    /// The policy in words.
    pub fn describe(self) -> &'static str {
        match self {
            PasswordPolicy::Salesforce => {
                "6 to 8 printable ASCII characters, no spaces (Salesforce Import from Keystore)"
            }
            PasswordPolicy::Java => "at least 6 characters (keytool)",
        }
    }

    /// What is wrong with a password under the policy, if anything.
    pub fn problem(self, pw: &Password) -> Option<String> {
        let n = pw.char_len();
        match self {
            PasswordPolicy::Salesforce => {
                if !(6..=8).contains(&n) {
                    Some(format!("the keystore password has {n} characters; Salesforce's guide asks for 6 to 8"))
                } else if !pw.expose().bytes().all(|b| (0x21..=0x7e).contains(&b)) {
                    Some(
                        "the keystore password has a space or a character outside printable ASCII"
                            .to_string(),
                    )
                } else {
                    None
                }
            }
            PasswordPolicy::Java => (n < 6).then(|| {
                format!("the keystore password has {n} characters; keytool requires at least 6")
            }),
        }
    }

    /// The rule this policy applies.
    pub fn rule(self) -> Rule {
        match self {
            PasswordPolicy::Salesforce => PASSWORD_SALESFORCE,
            PasswordPolicy::Java => PASSWORD_JAVA,
        }
    }

    /// Check a password against the policy; the failing check names the rule and the fix.
    pub fn check(self, pw: &Password) -> Check {
        let n = pw.char_len();
        let problem = self.problem(pw);
        let rule = self.rule();
        match problem {
            None => Check::pass(rule, format!("{n} characters")),
            Some(p) => Check::fail(rule, p, PASSWORD_FIX),
        }
    }
}

/// Longest Unique Name: Salesforce's DeveloperName fields hold 80 characters (inferred for
/// Certificate from the other metadata types; not stated on the import page).
pub const MAX_UNIQUE_NAME: usize = 80;

/// Whether `s` is already a valid lower-case Unique Name.
pub fn is_unique_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= MAX_UNIQUE_NAME
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
        && !s.ends_with('_')
        && !s.contains("__")
}

/// Whether `s` is a valid DeveloperName for metadata (External Credential, permission set):
/// a Unique Name whose letters may be upper case.
pub fn is_developer_name(s: &str) -> bool {
    is_unique_name(&s.to_ascii_lowercase()) && s.is_ascii()
}

/// Make `raw` into a valid lower-case Unique Name: lower-case it, turn every other
/// character into `_`, collapse and trim underscores. Fails (with the rule) when no
/// letter or digit is left or the result does not begin with a letter.
pub fn unique_name(raw: &str) -> Result<String, Box<Check>> {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars().flat_map(char::to_lowercase) {
        let mut one = [0u8; 4];
        let folded: &str = if c.is_ascii_lowercase() || c.is_ascii_digit() {
            c.encode_utf8(&mut one)
        } else {
            fold_latin(c).unwrap_or("_")
        };
        for c in folded.chars() {
            if c == '_' && (out.is_empty() || out.ends_with('_')) {
                continue;
            }
            out.push(c);
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    if is_unique_name(&out) {
        Ok(out)
    } else {
        let shown: String = raw.chars().take(40).collect();
        let why = if out.len() > MAX_UNIQUE_NAME {
            format!(
                "\"{shown}...\" has {} characters, more than {MAX_UNIQUE_NAME}",
                out.len()
            )
        } else if out.is_empty() {
            format!("\"{raw}\" has no Latin letter or digit")
        } else {
            format!("\"{raw}\" becomes \"{out}\", which does not begin with a letter")
        };
        Err(Box::new(Check::fail(
            ALIAS,
            why,
            "choose an alias such as google_sa_key",
        )))
    }
}

/// A lower-case Latin letter with a diacritic (or a ligature) as the ASCII letters it is
/// written with when accents are dropped, so that "Ünïcode Org" keeps its letters in a Unique
/// Name ("unicode_org") instead of losing them to underscores. Latin-1 and Latin Extended-A.
fn fold_latin(c: char) -> Option<&'static str> {
    const TABLE: &[(&str, &str)] = &[
        ("a", "àáâãäåāăą"),
        ("ae", "æ"),
        ("c", "çćĉċč"),
        ("d", "ðďđ"),
        ("e", "èéêëēĕėęě"),
        ("g", "ĝğġģ"),
        ("h", "ĥħ"),
        ("i", "ìíîïĩīĭįı"),
        ("ij", "ĳ"),
        ("j", "ĵ"),
        ("k", "ķĸ"),
        ("l", "ĺļľŀł"),
        ("n", "ñńņňŉ"),
        ("ng", "ŋ"),
        ("o", "òóôõöøōŏő"),
        ("oe", "œ"),
        ("r", "ŕŗř"),
        ("s", "śŝşšſ"),
        ("ss", "ß"),
        ("t", "ţťŧ"),
        ("th", "þ"),
        ("u", "ùúûüũūŭůűų"),
        ("w", "ŵ"),
        ("y", "ýÿŷ"),
        ("z", "źżž"),
    ];
    TABLE
        .iter()
        .find(|(_, from)| from.contains(c))
        .map(|(to, _)| *to)
}

/// An alias derived from a certificate CN or file name: the local part of an e-mail,
/// made a Unique Name, prefixed with `key_` if it would begin with a digit.
pub fn derive_alias(candidate: &str) -> Option<String> {
    let base = candidate.split('@').next().unwrap_or(candidate);
    let base: String = base.chars().take(MAX_UNIQUE_NAME - 4).collect();
    let base = base.as_str();
    unique_name(base)
        .ok()
        .or_else(|| unique_name(&format!("key_{base}")).ok())
}

/// The fix for a keystore Import from Keystore refuses: rewrite it with `p12-to-jks` into
/// `NAME_salesforce.jks` in the current folder (where `p12-to-jks` writes by default).
pub fn rewrite(file: &str) -> Remedy {
    let stem = std::path::Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "keystore".into());
    let output = format!("{stem}_salesforce.jks");
    Remedy::Rewrite {
        input: file.to_string(),
        output,
        entry: None,
        new_password: false,
        key_password: false,
    }
}

/// Import from Keystore takes the whole file, which must hold exactly one private-key entry.
pub fn entries_check(keys: &[&Entry], file: &str) -> Check {
    let names = keys
        .iter()
        .map(|e| format!("\"{}\"", e.alias))
        .collect::<Vec<_>>()
        .join(", ");
    match keys {
        [] => Check::fail(
            PRIVATE_KEY,
            format!("{file} holds no private key"),
            "use the file that holds the key and its certificate (Google: IAM > Service Accounts > Keys > Add key)",
        ),
        [_] => Check::pass(ONE_ENTRY, "one PrivateKeyEntry"),
        [first, ..] => {
            let mut remedy = rewrite(file);
            if let Remedy::Rewrite { entry, .. } = &mut remedy {
                *entry = Some(first.alias.clone());
            }
            Check::fail(
                ONE_ENTRY,
                format!(
                    "{file} holds {} private-key entries ({names}); Import from Keystore takes the file, not one entry",
                    keys.len()
                ),
                format!("write a keystore with the one entry to import (here {names})"),
            )
            .with_remedy(remedy)
        }
    }
}

/// Import from Keystore reads only JKS: anything else is "Keystore file is corrupted".
pub fn jks_format_check(format_name: &str, is_jks: bool, file: &str) -> Check {
    if is_jks {
        Check::pass(JKS, "JKS (magic FEEDFEED)")
    } else {
        Check::fail(
            JKS,
            format!(
                "this is {format_name}; Salesforce says \"Keystore file is corrupted\" for anything but JKS \
                 (keytool writes PKCS12 unless told -deststoretype JKS)"
            ),
            "write it as a JKS",
        )
        .with_remedy(rewrite(file))
    }
}

/// Salesforce asks for one password: each key's must be the keystore's.
/// `mismatch` is the reason a key did not open with the keystore password; `found` says
/// whether certkit found the key's own password (Google's `notasecret`, or empty).
pub fn key_password_check(mismatch: Option<&str>, found: bool, file: &str) -> Check {
    match mismatch {
        None => Check::pass(KEY_PASSWORD, "the keys open with the keystore password"),
        Some(why) => {
            let mut remedy = rewrite(file);
            if let Remedy::Rewrite { key_password, .. } = &mut remedy {
                *key_password = !found;
            }
            Check::fail(
                KEY_PASSWORD,
                format!("a key has its own password ({why}); keytool -importkeystore without -destkeypass does this"),
                "rewrite it with one password for the keystore and its key",
            )
            .with_remedy(remedy)
        }
    }
}

/// Every alias in the keystore becomes a certificate's Unique Name ("Keystore contains an
/// entry whose alias is not acceptable for import").
pub fn aliases_check(aliases: &[&str], file: &str) -> Check {
    let bad: Vec<String> = aliases
        .iter()
        .filter(|a| !is_unique_name(a))
        .map(|a| format!("\"{a}\""))
        .collect();
    if bad.is_empty() {
        Check::pass(ALIAS, aliases.join(", "))
    } else {
        Check::fail(
            ALIAS,
            format!("alias {} (Salesforce: \"Keystore contains an entry whose alias is not acceptable for import\")", bad.join(", ")),
            "rewrite it with a valid alias (certkit derives one from the entry's name or certificate)",
        )
        .with_remedy(rewrite(file))
    }
}

/// Which of the key rules apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyScope {
    /// The key is imported into Salesforce: its PKCS#8 encoding matters.
    pub import: bool,
    /// The key must come with a certificate (not for a Google JSON key checked for Google,
    /// which holds the public key itself).
    pub certificate: bool,
}

impl KeyScope {
    /// Every rule: the key is imported by Import from Keystore.
    pub const IMPORT: KeyScope = KeyScope {
        import: true,
        certificate: true,
    };
}

/// The key rules of Import from Keystore for the one private-key entry to import:
/// a certificate, RSA, 2048/3072/4096 bits, PKCS#8, key matching the certificate.
/// The entry's key must be open.
pub fn key_checks(entry: &Entry, scope: KeyScope) -> Vec<Check> {
    let mut out = Vec::new();
    let chain = entry.chain();
    let key = match &entry.kind {
        EntryKind::PrivateKey {
            key: KeyMaterial::Pkcs8(k),
            ..
        } => k,
        _ => {
            out.push(Check::fail(
                PRIVATE_KEY,
                format!("entry \"{}\" has no open private key", entry.alias),
                "export the private key together with its certificate",
            ));
            return out;
        }
    };
    let Some(f) = keys::facts(key.expose()) else {
        out.push(Check::fail(
            PKCS8,
            "the key does not parse as PKCS#8",
            "re-export the key as PKCS#8 (openssl pkcs8 -topk8)",
        ));
        return out;
    };
    if scope.import {
        out.push(Check::pass(PKCS8, "PKCS#8"));
    }
    out.extend(key_type_checks(&f));
    // After the key type: a key Salesforce refuses is the first thing to hear.
    if chain.is_empty() && scope.certificate {
        out.push(Check::fail(CERTIFICATE, "the key has no certificate",
            "wrap the key in a certificate (certkit p12-to-jks does this for Google JSON keys) or add the certificate",
        ));
    }
    if let Some(leaf) = chain.first() {
        out.push(key_matches_certificate(&leaf.0, key.expose()));
    }
    out
}

/// RSA, and of a size Salesforce imports.
fn key_type_checks(f: &keys::KeyFacts) -> Vec<Check> {
    if f.algorithm != "RSA" {
        return vec![Check::fail(
            RSA,
            format!(
                "an {} {} key: Salesforce imports RSA keys, and Salesforce and Google sign with RSA only",
                f.algorithm, f.bits
            ),
            "create an RSA key (certkit selfsign, or a new key in Google Cloud)",
        )];
    }
    let size = if ACCEPTED_RSA_BITS.contains(&f.bits) {
        Check::pass(KEY_SIZE, format!("{} bits", f.bits))
    } else {
        Check::fail(
            KEY_SIZE,
            format!("the key has {} bits", f.bits),
            if f.bits < 2048 {
                "Salesforce does not import keys under 2048 bits: create a new key (in Google Cloud: IAM > Service Accounts > Keys > Add key; old P12 keys are 1024-bit) or run certkit selfsign"
            } else {
                "use a 2048, 3072 or 4096-bit key"
            },
        )
    };
    vec![Check::pass(RSA, "RSA"), size]
}

/// The certificate `leaf` is the key's.
fn key_matches_certificate(leaf: &[u8], pkcs8: &[u8]) -> Check {
    match crate::x509::matches_key(leaf, pkcs8) {
        Some(true) => Check::pass(
            KEY_MATCHES_CERT,
            "the key's public half is the certificate's public key",
        ),
        Some(false) => Check::fail(
            KEY_MATCHES_CERT,
            "the certificate's public key is not this key's",
            "pair the key with its own certificate",
        ),
        None => Check::fail(
            KEY_MATCHES_CERT,
            "the certificate does not parse",
            "pair the key with its own certificate",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_names_follow_the_salesforce_rules() {
        assert_eq!(unique_name("privatekey").unwrap(), "privatekey");
        assert_eq!(unique_name("My Key--2024").unwrap(), "my_key_2024");
        assert_eq!(unique_name("__a__b__").unwrap(), "a_b");
        assert!(unique_name("2024-key").is_err());
        assert!(unique_name("€€").is_err());
        assert_eq!(
            derive_alias("certkit-sample@x.iam.gserviceaccount.com").unwrap(),
            "certkit_sample"
        );
        assert_eq!(derive_alias("1234").unwrap(), "key_1234");
        for ok in ["a", "a1_b2", "privatekey"] {
            assert!(is_unique_name(ok), "{ok}");
        }
        assert!(is_unique_name(&"a".repeat(80)));
        assert!(unique_name(&"a".repeat(81)).is_err());
        assert_eq!(derive_alias(&"b".repeat(200)).unwrap().len(), 76);
        for bad in ["", "A", "1a", "a_", "a__b", "a-b", "a b"] {
            assert!(!is_unique_name(bad), "{bad}");
        }
    }

    #[test]
    fn salesforce_password_policy_is_6_to_8_printable_ascii() {
        let p = |s: &str| Password::new(s.to_string());
        let sf = PasswordPolicy::Salesforce;
        assert_eq!(sf.check(&p("abcdef")).status, super::super::Status::Pass);
        assert_eq!(sf.check(&p("abcdefgh")).status, super::super::Status::Pass);
        // Documented, not enforced: a 10-character password was reported imported.
        assert_eq!(
            sf.check(&p("notasecret")).status,
            super::super::Status::Warn
        );
        assert_eq!(sf.check(&p("abcde")).status, super::super::Status::Warn);
        assert_eq!(sf.check(&p("abc def")).status, super::super::Status::Warn);
        assert_eq!(sf.check(&p("pässwörd")).status, super::super::Status::Warn);
        assert_eq!(
            PasswordPolicy::Java.check(&p("notasecret")).status,
            super::super::Status::Pass
        );
        assert_eq!(
            PasswordPolicy::Java.check(&p("abcde")).status,
            super::super::Status::Fail
        );
    }
}

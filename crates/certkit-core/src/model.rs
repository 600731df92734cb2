//! The one in-memory keystore model every command works on.
//!
//! Readers (`formats::*`) turn any input into a [`Keystore`]; commands change it
//! (rename, re-protect, wrap); writers encode it. Private keys are PKCS#8 DER in
//! [`SecretBytes`]; certificates are DER.

use crate::secret::SecretBytes;

/// A DER-encoded X.509 certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertDer(pub Vec<u8>);

/// The file format a keystore was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Format {
    /// Java KeyStore.
    Jks {
        /// The format version (1 or 2).
        version: u32,
    },
    /// PKCS#12 / PFX.
    Pkcs12,
    /// PEM text (certificates and/or a private key).
    Pem,
    /// A single DER certificate or key.
    Der,
    /// A Google service-account JSON key.
    GoogleJson,
}

impl Format {
    /// A short name for reports: `JKS`, `PKCS12`, `PEM`, `DER`, `Google JSON key`.
    pub fn name(&self) -> &'static str {
        match self {
            Format::Jks { .. } => "JKS",
            Format::Pkcs12 => "PKCS12",
            Format::Pem => "PEM",
            Format::Der => "DER",
            Format::GoogleJson => "Google JSON key",
        }
    }
}

/// Whether the file's integrity (JKS digest, PKCS#12 MAC) was checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Integrity {
    /// Checked with the password and found intact.
    Verified,
    /// Not checked: no password was given (JKS listing).
    NotChecked,
    /// The format has no integrity check (PEM, DER, JSON), or the PKCS#12 file has no MAC.
    None,
}

/// A private key as held in an entry.
#[derive(Clone, Debug)]
pub enum KeyMaterial {
    /// Decrypted PKCS#8 DER.
    Pkcs8(SecretBytes),
    /// A JKS-protected key that has not been (or could not be) decrypted:
    /// the blob inside the EncryptedPrivateKeyInfo, with the algorithm OID.
    JksProtected {
        /// The protection algorithm's OID (Sun's key protector: 1.3.6.1.4.1.42.2.17.1.1).
        algorithm_oid: String,
        /// The encrypted bytes.
        blob: Vec<u8>,
    },
}

/// What one entry holds.
#[derive(Clone, Debug)]
pub enum EntryKind {
    /// A private key with its certificate chain, leaf first (may be empty for bare keys).
    PrivateKey {
        /// The key.
        key: KeyMaterial,
        /// Its certificate chain, leaf first.
        chain: Vec<CertDer>,
    },
    /// A trusted certificate with no key.
    TrustedCert(CertDer),
}

/// One named entry of a keystore.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The alias as stored in the file (JKS aliases are lower case when Java wrote them).
    pub alias: String,
    /// Creation time in milliseconds since the epoch, when the format records one.
    pub created_ms: Option<i64>,
    /// The entry's content.
    pub kind: EntryKind,
}

impl Entry {
    /// A private-key entry with an open PKCS#8 key, its chain leaf first, no date.
    pub fn private_key(alias: String, pkcs8: SecretBytes, chain: Vec<CertDer>) -> Self {
        Entry {
            alias,
            created_ms: None,
            kind: EntryKind::PrivateKey {
                key: KeyMaterial::Pkcs8(pkcs8),
                chain,
            },
        }
    }

    /// The leaf certificate: the chain's first, or the trusted certificate.
    pub fn leaf(&self) -> Option<&CertDer> {
        match &self.kind {
            EntryKind::PrivateKey { chain, .. } => chain.first(),
            EntryKind::TrustedCert(c) => Some(c),
        }
    }

    /// The whole chain (one certificate for a trusted entry).
    pub fn chain(&self) -> &[CertDer] {
        match &self.kind {
            EntryKind::PrivateKey { chain, .. } => chain,
            EntryKind::TrustedCert(c) => std::slice::from_ref(c),
        }
    }

    /// The decrypted PKCS#8 key, if this is a private-key entry whose key is open.
    pub fn pkcs8(&self) -> Option<&SecretBytes> {
        match &self.kind {
            EntryKind::PrivateKey {
                key: KeyMaterial::Pkcs8(k),
                ..
            } => Some(k),
            _ => None,
        }
    }

    /// True for private-key entries (open or still protected).
    pub fn is_private_key(&self) -> bool {
        matches!(self.kind, EntryKind::PrivateKey { .. })
    }

    /// "PrivateKeyEntry" or "trustedCertEntry", as keytool names them.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            EntryKind::PrivateKey { .. } => "PrivateKeyEntry",
            EntryKind::TrustedCert(_) => "trustedCertEntry",
        }
    }
}

/// Google service-account facts carried by a JSON key.
#[derive(Clone, Debug, Default)]
pub struct GoogleAccount {
    /// `client_email`: the JWT `iss`.
    pub client_email: String,
    /// `private_key_id`: the key id Google looks the key up by (`kid`).
    pub private_key_id: String,
    /// `project_id`, when present.
    pub project_id: Option<String>,
    /// `token_uri`, when present.
    pub token_uri: Option<String>,
}

/// A keystore read from any format.
#[derive(Clone, Debug)]
pub struct Keystore {
    /// Where it came from (for messages).
    pub source: String,
    /// The format it was read from.
    pub format: Format,
    /// Whether its integrity was checked.
    pub integrity: Integrity,
    /// Its entries, in file order.
    pub entries: Vec<Entry>,
    /// Google account facts, for a Google JSON key: set by the JSON key's reader only
    /// (`p12-to-jks` wraps a key in a certificate when it is set).
    pub google: Option<GoogleAccount>,
    /// Things a careful reader noticed (duplicate aliases, unmatched keys...).
    pub warnings: Vec<String>,
}

impl Keystore {
    /// An empty keystore of the given format.
    pub fn new(source: &str, format: Format) -> Self {
        Keystore {
            source: source.to_string(),
            format,
            integrity: Integrity::None,
            entries: Vec::new(),
            google: None,
            warnings: Vec::new(),
        }
    }

    /// The private-key entries.
    pub fn private_keys(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.is_private_key())
    }
}

/// What [`Keystore::select`] must find.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Want {
    /// A private-key entry (to sign with, or to convert).
    PrivateKey,
    /// Any entry: a private key, else the only certificate.
    Any,
}

impl Keystore {
    /// The one entry a command works on: the one named `wanted` (exact alias, else ignoring
    /// case), else the only private-key entry, else (with [`Want::Any`]) the only entry.
    /// Every command chooses this way, and every mistake is an [`Error::Invalid`](crate::Error::Invalid)
    /// that lists the entries to choose from.
    pub fn select(&self, wanted: Option<&str>, want: Want) -> crate::Result<Entry> {
        use crate::error::{Error, Hint};
        if let Some(w) = wanted {
            return self.named(w, want);
        }
        let keys: Vec<&Entry> = self.private_keys().collect();
        match keys.len() {
            1 => return Ok(keys[0].clone()),
            0 => {}
            n => {
                return Err(Error::Invalid(format!(
                    "{} holds {n} private keys ({})",
                    self.source,
                    keys.iter()
                        .map(|e| format!("\"{}\"", e.alias))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
                .hint(Hint::ChooseEntry))
            }
        }
        match (want, self.entries.len()) {
            (Want::Any, 1) => Ok(self.entries[0].clone()),
            (Want::Any, n) if n > 1 => Err(Error::Invalid(format!(
                "{} holds no private key and {n} certificates ({})",
                self.source,
                self.listing()
            ))
            .hint(Hint::ChooseEntry)),
            _ => Err(Error::Invalid(format!(
                "{} holds no private key{}; give the file that holds the key",
                self.source,
                if self.entries.is_empty() {
                    String::new()
                } else {
                    format!(" (entries: {})", self.listing())
                }
            ))),
        }
    }

    /// The entries, named with their kinds, for messages.
    fn listing(&self) -> String {
        self.entries
            .iter()
            .map(|e| format!("\"{}\" ({})", e.alias, e.kind_name()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The entry named `w` (exactly, else without regard to ASCII case).
    fn named(&self, w: &str, want: Want) -> crate::Result<Entry> {
        use crate::error::{Error, Hint};
        let found = self.entries.iter().find(|e| e.alias == w).or_else(|| {
            self.entries
                .iter()
                .find(|e| e.alias.eq_ignore_ascii_case(w))
        });
        match found {
            Some(e) if want == Want::PrivateKey && !e.is_private_key() => {
                Err(Error::Invalid(format!(
                    "entry \"{w}\" of {} is a trusted certificate, not a private key (entries: {})",
                    self.source,
                    self.listing()
                ))
                .hint(Hint::ChooseEntry))
            }
            Some(e) => Ok(e.clone()),
            None => Err(Error::Invalid(format!(
                "{} has no entry \"{w}\" (entries: {})",
                self.source,
                if self.entries.is_empty() {
                    "none".to_string()
                } else {
                    self.listing()
                }
            ))
            .hint(Hint::ChooseEntry)),
        }
    }
}

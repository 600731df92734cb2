//! Every certificate in a set of files and folders, sorted by expiry: a CI gate that fails
//! when one has expired or expires within the window. Files are recognised by content;
//! one that cannot be read or opened is listed as such, and the others are still checked.

use std::path::PathBuf;

use serde::Serialize;

use crate::error::{Error, WhichPassword};
use crate::formats::{self, Kind};
use crate::host::{Found, Host};
use crate::model::{CertDer, Keystore};
use crate::passwords::Source;
use crate::secret::Password;
use crate::x509;

/// What to look at.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Files and folders (walked; links to folders are not followed).
    pub paths: Vec<PathBuf>,
    /// The warning window, in days.
    pub within_days: i64,
    /// The passwords tried, in order, on every PKCS#12 file that neither the empty password
    /// nor `notasecret` opens.
    pub passwords: Vec<Source>,
}

/// A certificate's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Past its notAfter.
    Expired,
    /// Expires within the window.
    Within,
    /// Valid beyond the window.
    Ok,
}

/// One certificate.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// The file.
    pub file: String,
    /// The entry's alias (with the certificate's place in its chain after the first).
    pub alias: String,
    /// The subject.
    pub subject: String,
    /// notAfter, RFC 3339.
    pub not_after: String,
    /// Whole days left (negative once expired).
    pub days_left: i64,
    /// Expired, within the window, or ok.
    pub state: State,
    #[serde(skip)]
    not_after_unix: i64,
}

/// A file that could not be checked.
#[derive(Clone, Debug, Serialize)]
pub struct Problem {
    /// The file.
    pub file: String,
    /// Why.
    pub problem: String,
}

/// The certificates, soonest expiry first.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The window, in days.
    pub within_days: i64,
    /// How many files were recognised and read.
    pub files: usize,
    /// Every certificate.
    pub certificates: Vec<Row>,
    /// Files that could not be checked.
    pub problems: Vec<Problem>,
    /// How many have expired.
    pub expired: usize,
    /// How many expire within the window.
    pub within: usize,
    /// Paths named on the command line that do not exist.
    pub missing: Vec<String>,
}

impl Report {
    /// True when nothing has expired or expires within the window.
    pub fn ok(&self) -> bool {
        self.expired == 0 && self.within == 0
    }
}

const NOT_A_KEYSTORE: &str = "not a keystore or certificate";

/// The error's own words, without the file name (the listing shows it).
fn reason(e: &Error) -> String {
    match e.parts().0 {
        Error::Corrupt { detail, .. } => format!("damaged or unreadable: {detail}"),
        Error::WrongPassword { which, detail, .. } => format!("wrong {which}: {detail}"),
        Error::Io { source, .. } => source.to_string(),
        other => other.to_string(),
    }
}

/// Whether the bytes begin as only a JKS or a PKCS#12 does.
fn strong_magic(data: &[u8]) -> bool {
    data.starts_with(&formats::jks::MAGIC)
        || formats::sniff(data, "").is_ok_and(|k| k == Kind::Pkcs12)
}

/// The certificates of one file, or why there are none to read.
fn certs_of(data: &[u8], name: &str, pws: &[Password]) -> Result<Vec<(String, CertDer)>, String> {
    let kind = formats::sniff(data, name).map_err(|_| NOT_A_KEYSTORE.to_string())?;
    let read = |pw: Option<&Password>| formats::read_as(kind, data, name, pw);
    let ks: Keystore = match kind {
        Kind::Pkcs12 => open_pkcs12(&read, pws)?,
        Kind::Pem => match read(None) {
            Ok(ks) => ks,
            // An encrypted key beside the certificates: the certificates are what count.
            Err(Error::PasswordRequired { .. }) => pem_certificates(data, name)?,
            Err(e) => return Err(reason(&e)),
        },
        // A JSON file that is neither a Google key nor Google's metadata is not a keystore.
        Kind::Json => read(None).map_err(|_| NOT_A_KEYSTORE.to_string())?,
        _ => read(None).map_err(|e| reason(&e))?,
    };
    Ok(ks
        .entries
        .iter()
        .flat_map(|e| {
            e.chain().iter().enumerate().map(move |(i, c)| {
                let alias = match i {
                    0 => e.alias.clone(),
                    n => format!("{}[{}]", e.alias, n + 1),
                };
                (alias, c.clone())
            })
        })
        .collect())
}

/// A PKCS#12 opened with the empty password, Google's `notasecret`, or one of those given.
fn open_pkcs12(
    read: &dyn Fn(Option<&Password>) -> crate::Result<Keystore>,
    pws: &[Password],
) -> Result<Keystore, String> {
    let mut tries = vec![
        Password::new(String::new()),
        Password::new(formats::pkcs12::GOOGLE_P12_PASSWORD.into()),
    ];
    tries.extend(pws.iter().cloned());
    let mut last = String::new();
    for t in &tries {
        match read(Some(t)) {
            Ok(ks) => return Ok(ks),
            Err(e) => last = reason(&e),
        }
    }
    Err(if !pws.is_empty() {
        format!("locked: {last}")
    } else {
        "locked: needs its password (neither empty nor notasecret)".to_string()
    })
}

/// The certificates of a PEM file whose key is encrypted.
fn pem_certificates(data: &[u8], name: &str) -> Result<Keystore, String> {
    let blocks = ::pem::parse_many(data).map_err(|e| e.to_string())?;
    let mut ks = Keystore::new(name, crate::model::Format::Pem);
    for b in blocks.into_iter().filter(|b| b.tag() == "CERTIFICATE") {
        ks.entries.push(crate::model::Entry {
            alias: String::new(),
            created_ms: None,
            kind: crate::model::EntryKind::TrustedCert(CertDer(b.into_contents())),
        });
    }
    Ok(ks)
}

/// Look at every file.
pub fn run(host: &dyn Host, o: &Options) -> crate::Result<Report> {
    let pws = o
        .passwords
        .iter()
        .map(|s| crate::host::password(host, s, WhichPassword::Store))
        .collect::<crate::Result<Vec<_>>>()?;
    let (files, mut problems, missing) = find(host, &o.paths);
    let now = crate::clock::now_secs();
    let mut rows = Vec::new();
    let mut read = 0;
    for (path, explicit) in files {
        let name = path.display().to_string();
        let data = match crate::open::read_file(host, &path) {
            Ok(d) => d,
            Err(e) => {
                problems.push(Problem {
                    file: name,
                    problem: reason(&e),
                });
                continue;
            }
        };
        match certs_of(&data, &name, &pws) {
            Ok(certs) => {
                read += 1;
                rows.extend(rows_of(&name, certs, now, o.within_days));
            }
            // A file found by walking that is no keystore (a README, a VERSION file that
            // happens to look like DER) is not a problem; a damaged JKS or PKCS#12 is.
            Err(why) if !explicit && (why == NOT_A_KEYSTORE || !strong_magic(&data)) => {}
            Err(why) => problems.push(Problem {
                file: name,
                problem: why,
            }),
        }
    }
    Ok(report(o.within_days, read, rows, problems, missing))
}

/// The files to look at (`true` for the ones the user named), the problems met while walking
/// the folders, and the paths that do not exist.
fn find(host: &dyn Host, paths: &[PathBuf]) -> (Vec<(PathBuf, bool)>, Vec<Problem>, Vec<String>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut missing = Vec::new();
    for p in paths {
        match host.find(p) {
            Found::Missing => missing.push(p.display().to_string()),
            Found::File => files.push((p.clone(), true)),
            Found::Folder {
                files: under,
                unlisted,
            } => {
                files.extend(under.into_iter().map(|f| (f, false)));
                problems.extend(unlisted.into_iter().map(|(d, why)| Problem {
                    file: d.display().to_string(),
                    problem: why,
                }));
            }
        }
    }
    (files, problems, missing)
}

/// The rows of one file's certificates, as of `now`.
fn rows_of(name: &str, certs: Vec<(String, CertDer)>, now: i64, within_days: i64) -> Vec<Row> {
    let mut rows = Vec::new();
    for (alias, c) in certs {
        let Some(s) = x509::summarize(&c.0) else {
            continue;
        };
        let left = s.not_after_unix - now;
        rows.push(Row {
            file: name.to_string(),
            alias,
            subject: s.subject,
            not_after: s.not_after,
            days_left: left.div_euclid(86_400),
            state: if left < 0 {
                State::Expired
            } else if left < within_days * 86_400 {
                State::Within
            } else {
                State::Ok
            },
            not_after_unix: s.not_after_unix,
        });
    }
    rows
}

/// The report: the rows soonest expiry first, and the counts.
fn report(
    within_days: i64,
    files: usize,
    mut rows: Vec<Row>,
    problems: Vec<Problem>,
    missing: Vec<String>,
) -> Report {
    rows.sort_by(|a, b| {
        a.not_after_unix
            .cmp(&b.not_after_unix)
            .then_with(|| a.file.cmp(&b.file))
            .then_with(|| a.alias.cmp(&b.alias))
    });
    let count = |s: State| rows.iter().filter(|r| r.state == s).count();
    Report {
        within_days,
        files,
        expired: count(State::Expired),
        within: count(State::Within),
        certificates: rows,
        problems,
        missing,
    }
}

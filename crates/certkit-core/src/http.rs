//! The one HTTP request certkit makes, a form POST to a token endpoint, without the network:
//! this module checks the URL, encodes the form, names the headers, and reads the answer;
//! it sends nothing itself. The front end moves the bytes through a [`Transport`] (the
//! `certkit` binary's is `ureq` over native TLS, in its `transport` module; a web front end
//! gives its own, a test a fake). HTTPS only, except `http://` to a loopback address (local
//! servers, tests).

use std::time::Duration;

use crate::error::{Error, NetStep, Result};
use crate::secret::SecretBytes;

/// The most of an answer certkit reads (a token answer is well under a kilobyte).
pub const MAX_ANSWER: u64 = 256 * 1024;

/// What a token endpoint answered.
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body (it holds the access token on success).
    pub body: SecretBytes,
    /// The `Location` header of a redirect (certkit follows none).
    pub location: Option<String>,
}

/// The `User-Agent` certkit sends.
pub fn user_agent() -> String {
    format!("certkit/{}", env!("CARGO_PKG_VERSION"))
}

/// The headers of the request, in order: the form's type, JSON accepted, certkit's
/// [`user_agent`]. `exchange --dry-run` shows them; a [`Transport`] sends them.
pub fn headers() -> [(&'static str, String); 3] {
    [
        ("Content-Type", "application/x-www-form-urlencoded".into()),
        ("Accept", "application/json".into()),
        ("User-Agent", user_agent()),
    ]
}

/// Sends the one request certkit makes. The core builds the request and reads the answer;
/// the front end moves the bytes. Modelled on a provider trait (rustls's `CryptoProvider`,
/// age's `Callbacks`): the core holds a `&dyn Transport` and never opens a socket.
///
/// What an implementation must do:
/// - POST `form` to `url` with the [`headers`], and follow no redirect (a 3xx is an
///   [`Answer`] with its `Location`);
/// - give the [`Answer`] whatever its status, with at most [`MAX_ANSWER`] bytes of body;
/// - stop after `timeout` for the whole exchange;
/// - fail with [`Error::Network`], its `step` naming where it failed ([`NetStep`]: name
///   resolution, connection, TLS, proxy, timeout, HTTP), `url` the URL given;
/// - never copy `form` (it holds the signed assertion) outside wiped memory, nor into a
///   message or a log.
///
/// `url` has passed [`check_url`]. A front end that cannot block until the answer comes (a
/// browser's `fetch`) needs no `Transport`: it sends what
/// [`crate::ops::exchange::prepare`] gives and hands the answer to
/// [`crate::ops::exchange::finish`].
pub trait Transport {
    /// POST `form` (already encoded as `name=value&...`) to `url`; the answer whatever its
    /// status.
    fn post_form(&self, url: &str, form: &SecretBytes, timeout: Duration) -> Result<Answer>;
}

/// Whether `url` may be used: `https://`, or `http://` to a loopback address, without a
/// user name or password before the host. The error says why not, and shows the URL as
/// [`shown`] does (never a password it holds).
pub fn check_url(url: &str) -> Result<()> {
    let Some(parts) = Url::parse(url) else {
        return Err(Error::Invalid(format!(
            "the token URL \"{}\" is not a URL",
            shown(url)
        )));
    };
    let url = shown(url);
    let scheme = parts.scheme.map(str::to_ascii_lowercase);
    let usable = match scheme.as_deref() {
        Some("https") => !parts.host.is_empty(),
        Some("http") => is_loopback(parts.host),
        _ => false,
    };
    match scheme.as_deref() {
        _ if usable && parts.userinfo => Err(Error::Invalid(format!(
            "the token URL {url} holds a user name or password before its host: certkit sends the signed assertion and nothing else; give the URL without it"
        ))),
        _ if usable => Ok(()),
        Some("http") => Err(Error::Invalid(format!(
            "the token URL {url} is http://: certkit sends an assertion only over https (http:// is for loopback addresses)"
        ))),
        _ => Err(Error::Invalid(format!(
            "the token URL \"{url}\" is not an https:// URL"
        ))),
    }
}

/// `localhost`, or an IP address of the loopback range (127.0.0.0/8, ::1).
fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The parts of a URL that certkit reads (RFC 3986 section 3):
/// `scheme://[userinfo@]host[:port][/path][?query][#fragment]`.
#[derive(Debug, PartialEq, Eq)]
struct Url<'a> {
    /// The scheme as written (compared without case); none for a bare `host:port` or path.
    scheme: Option<&'a str>,
    /// `[userinfo@]host[:port]`.
    authority: &'a str,
    /// The host, an IPv6 address without its brackets; after the last `@`, so a userinfo
    /// (`http://127.0.0.1@evil.example/`) is never read as the host.
    host: &'a str,
    /// Whether a userinfo (`user:password@`) comes before the host.
    userinfo: bool,
}

impl<'a> Url<'a> {
    /// The parts of `url`, or `None` when it is not a URL: a space, a control character or
    /// a character outside ASCII anywhere, or an authority that is not
    /// `[userinfo@]host[:port]` (nothing after the userinfo, a bracket out of place, a port
    /// that is not digits, a second colon outside brackets). Without `scheme://`, a path
    /// (`/token`) or a bare authority (`example.com:443`) is a URL, just not an https:// one.
    fn parse(url: &'a str) -> Option<Url<'a>> {
        if url.is_empty() || !url.bytes().all(|b| b.is_ascii_graphic()) {
            return None;
        }
        let Some((scheme, rest)) = url.split_once("://").filter(|(s, _)| is_scheme(s)) else {
            // A path (`/token`), or a bare authority (`example.com:443`) and nothing else.
            if url.starts_with('/') {
                return Some(Url {
                    scheme: None,
                    authority: "",
                    host: "",
                    userinfo: false,
                });
            }
            return host_of(url).map(|host| Url {
                scheme: None,
                authority: url,
                host,
                userinfo: url.contains('@'),
            });
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..end];
        let host = host_of(authority)?;
        Some(Url {
            scheme: Some(scheme),
            authority,
            host,
            userinfo: authority.contains('@'),
        })
    }
}

/// RFC 3986 section 3.1: a letter, then letters, digits, `+`, `-`, `.`.
fn is_scheme(s: &str) -> bool {
    let mut b = s.bytes();
    b.next().is_some_and(|c| c.is_ascii_alphabetic())
        && b.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
}

/// The host of an authority `[userinfo@]host[:port]` (an IPv6 address without its
/// brackets; empty when only a port is given), or `None` when it is not one.
fn host_of(authority: &str) -> Option<&str> {
    // RFC 3986: unreserved, sub-delims, `:`, `@`, `[`, `]`, `%`.
    let allowed = |c: u8| c.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@[]%".contains(&c);
    if !authority.bytes().all(allowed) {
        return None;
    }
    // The userinfo ends at the last `@`: what follows it is the host. It holds no bracket
    // (RFC 3986 section 3.2.1).
    let (userinfo, host_port) = authority.rsplit_once('@').unwrap_or(("", authority));
    if userinfo.contains(['[', ']']) {
        return None;
    }
    let (host, port) = match host_port.strip_prefix('[') {
        Some(bracketed) => {
            let (inside, after) = bracketed.split_once(']')?;
            let port = match after {
                "" => None,
                _ => Some(after.strip_prefix(':')?),
            };
            (inside, port)
        }
        None => match host_port.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        },
    };
    // RFC 3986 section 3.2.3: `port = *DIGIT` (it may be empty); a TCP port, at most 65535.
    let port_ok = port.is_none_or(|p| {
        p.bytes().all(|c| c.is_ascii_digit()) && (p.is_empty() || p.parse::<u16>().is_ok())
    });
    // RFC 3986 section 2.1: `%` begins two hexadecimal digits.
    let escapes_ok = authority
        .split('%')
        .skip(1)
        .all(|rest| rest.len() >= 2 && rest.as_bytes()[..2].iter().all(u8::is_ascii_hexdigit));
    if !escapes_ok {
        return None;
    }
    // The host may be empty (`https://:443/`): a URL, with no host to send to.
    (!host_port.is_empty() && !host.contains(['[', ']']) && port_ok).then_some(host)
}

/// A network error of `step` at `url`.
fn net(step: NetStep, url: &str, detail: impl Into<String>) -> Error {
    Error::Network {
        step,
        url: url.to_string(),
        detail: detail.into(),
    }
}

/// `host:port` of `url` (its authority as written, without a userinfo), for messages; `url`
/// as [`shown`] when it has none.
pub fn authority(url: &str) -> String {
    match Url::parse(url) {
        Some(u) if !u.authority.is_empty() => without_userinfo(u.authority).to_string(),
        _ => shown(url),
    }
}

/// Refuse a URL with a user name or password before its host (`https://user:pw@host/`): it
/// would be written into every file and message that names the URL. `what` names the URL in
/// the message ("the token URL"); a string that is not a URL is left to the other checks.
pub fn refuse_userinfo(what: &str, url: &str) -> Result<()> {
    match Url::parse(url) {
        Some(parts) if parts.userinfo => Err(Error::Invalid(format!(
            "{what} {} holds a user name or password before its host: give the URL without it (it would be written into every file and message that names the URL)",
            shown(url)
        ))),
        _ => Ok(()),
    }
}

/// The authority without what comes before its last `@`.
fn without_userinfo(authority: &str) -> &str {
    authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host)
}

/// `url` as a message shows it: a userinfo (`user:password@`, which may hold a password)
/// replaced by `***@`, and control characters escaped (a URL can come from a file: a JSON
/// key's `token_uri`).
pub fn shown(url: &str) -> String {
    // Whatever comes before the last `@` ahead of the query (or the fragment) is hidden, up
    // to the scheme's `://`: a password may hold a `/`, and a string that is no URL may
    // still hold one. Hiding a path's `@` too costs a message nothing.
    let head = &url[..url.find(['?', '#']).unwrap_or(url.len())];
    let start = head.find("://").map_or(0, |i| i + 3);
    let url = match head.rfind('@') {
        Some(at) if at >= start => format!("{}***{}", &url[..start], &url[at..]),
        _ => url.to_string(),
    };
    url.chars()
        .map(|c| match c.is_control() {
            true => c.escape_default().to_string(),
            false => c.to_string(),
        })
        .collect()
}

/// The reason phrase of an HTTP status, as RFC 9110 section 15 and its registry name it
/// (the `http` crate's table).
// long: a table
fn reason(status: u16) -> Option<&'static str> {
    Some(match status {
        100 => "Continue",
        101 => "Switching Protocols",
        102 => "Processing",
        103 => "Early Hints",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        207 => "Multi-Status",
        208 => "Already Reported",
        226 => "IM Used",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        305 => "Use Proxy",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        418 => "I'm a teapot",
        421 => "Misdirected Request",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        506 => "Variant Also Negotiates",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        510 => "Not Extended",
        511 => "Network Authentication Required",
        _ => return None,
    })
}

/// The most characters of an answer's first line that an error quotes.
pub const FIRST_LINE: usize = 160;

/// The start of a body's first non-blank line, made safe for a terminal (control characters
/// escaped), at most [`FIRST_LINE`] characters, quoted, and a mark when the body holds more
/// than that: `"<html>" … [cut: 1234 more characters]`.
pub fn first_line(body: &[u8]) -> String {
    // A copy of a body may hold a secret: it is wiped when dropped.
    let text = zeroize::Zeroizing::new(String::from_utf8_lossy(body).into_owned());
    let text = text.trim_start();
    let line = text.lines().next().unwrap_or("").trim_end();
    let mut shown = String::new();
    let mut end = 0;
    for (i, c) in line.char_indices().take(FIRST_LINE) {
        end = i + c.len_utf8();
        if c.is_control() {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    match text[end..].trim_end().chars().count() {
        0 => format!("\"{shown}\""),
        left => format!("\"{shown}\" \u{2026} [cut: {left} more characters]"),
    }
}

/// The error for an HTTP answer that is not a token endpoint's: an HTML page, a proxy's or
/// gateway's 5xx, a body that is not JSON, JSON with neither `access_token` nor `error` (a
/// token endpoint answers `application/json` with one or the other: RFC 6749 sections 5.1
/// and 5.2, which RFC 7523 section 3.1 keeps). It
/// names the status and quotes the first line, except of a 2xx answer (it may hold a
/// credential in a shape certkit does not read).
pub fn not_token_answer(url: &str, answer: &Answer) -> Error {
    let (status, body) = (answer.status, answer.body.expose());
    let reason = reason(status).map(|r| format!(" {r}")).unwrap_or_default();
    let trimmed = body.trim_ascii_start();
    let credential = holds_credential(body);
    let what = if trimmed.is_empty() {
        "an empty body"
    } else if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok() && credential {
        "JSON that names a token or secret, on a status that is not success"
    } else if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok() {
        "JSON with neither access_token nor error"
    } else if trimmed.starts_with(b"<") {
        "an HTML page (a proxy, gateway or web server answered, not the token endpoint)"
    } else {
        "a body that is not JSON"
    };
    let mut detail = format!("HTTP {status}{reason}, {what}");
    if let Some(to) = answer
        .location
        .as_deref()
        .filter(|_| (300..400).contains(&status))
    {
        // The query and fragment are left out: a redirect may carry a code or a token there.
        let bare = to.split(['?', '#']).next().unwrap_or_default();
        let cut = if bare.len() < to.len() {
            " (its query not shown)"
        } else {
            ""
        };
        detail.push_str(&format!(
            "; it redirects to {}{cut} (certkit follows no redirect: give the token URL itself)",
            first_line(bare.as_bytes())
        ));
    }
    // nginx's and Go's words for a request in plain HTTP on a TLS port.
    let text = zeroize::Zeroizing::new(String::from_utf8_lossy(body).into_owned());
    if text.contains("plain HTTP request was sent to HTTPS port")
        || text.contains("HTTP request to an HTTPS server")
    {
        detail.push_str(&format!(
            "; the server at {} speaks TLS: use https://",
            authority(url)
        ));
    }
    if trimmed.is_empty() {
    } else if (200..300).contains(&status) {
        detail.push_str("; the body is not shown (a 2xx answer may hold a credential)");
    } else if credential {
        detail.push_str("; the body is not shown (it names a token or secret)");
    } else {
        detail.push_str(&format!("; first line: {}", first_line(body)));
    }
    net(NetStep::Answer, url, detail)
}

/// Whether a body names a credential (a token, an assertion, a secret, a password): such a
/// body is never quoted in a message.
fn holds_credential(body: &[u8]) -> bool {
    const NAMES: [&[u8]; 6] = [
        b"access_token",
        b"id_token",
        b"refresh_token",
        b"assertion",
        b"client_secret",
        b"password",
    ];
    // Compared in place: no copy of a body that may hold a secret.
    NAMES
        .iter()
        .any(|n| body.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n)))
}

/// `application/x-www-form-urlencoded` encoding of one value.
pub fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_http() {
        assert!(check_url("https://oauth2.googleapis.com/token").is_ok());
        assert!(check_url("http://127.0.0.1:8080/token").is_ok());
        assert!(check_url("http://[::1]:8080/token").is_ok());
        assert!(check_url("http://localhost/token").is_ok());
        assert!(check_url("http://example.com/token").is_err());
        assert!(check_url("ftp://example.com/").is_err());
        assert!(check_url("not a url").is_err());
    }

    fn usage(url: &str) -> String {
        match check_url(url) {
            Err(Error::Invalid(m)) => m,
            other => panic!("{url}: not a usage error: {other:?}"),
        }
    }

    #[test]
    fn https_takes_any_host_port_and_path() {
        for url in [
            "https://oauth2.googleapis.com/token",
            "https://login.salesforce.com:443/services/oauth2/token",
            "https://[2001:db8::1]:8443/token?x=1#f",
            "https://host",
            "HTTPS://login.salesforce.com/services/oauth2/token",
        ] {
            assert!(check_url(url).is_ok(), "{url}");
        }
    }

    #[test]
    fn http_is_for_loopback_hosts_only() {
        for url in [
            "http://localhost:8080/token",
            "http://127.0.0.1/token",
            "http://127.8.9.10:1/",
            "http://[::1]/token",
            "http://[::1]",
        ] {
            assert!(check_url(url).is_ok(), "{url}");
        }
        // A user name is refused too (it was let through once): nothing but the assertion
        // goes to the endpoint.
        assert!(usage("http://user@127.0.0.1:80/token").contains("holds a user name"));
        for url in [
            "http://example.com/token",
            "http://10.0.0.1/token",
            "http://[2001:db8::1]/token",
            "http://localhost.evil.example/token",
            "http://128.0.0.1/",
        ] {
            assert!(
                usage(url).contains("is http://: certkit sends an assertion only over https"),
                "{url}"
            );
        }
    }

    #[test]
    fn a_userinfo_does_not_pass_for_a_loopback_host() {
        // The host is what follows the last `@`: evil.example, not the loopback address.
        for url in [
            "http://127.0.0.1@evil.example/token",
            "http://localhost:8080@evil.example/",
            "http://a@127.0.0.1@evil.example/",
            "http://evil.example#@127.0.0.1/",
            "http://evil.example?@127.0.0.1/",
        ] {
            assert!(usage(url).contains("is http://"), "{url}");
        }
        assert_eq!(
            Url::parse("http://127.0.0.1@evil.example:81/a").map(|u| u.host),
            Some("evil.example")
        );
        assert_eq!(authority("http://u@127.0.0.1:81/a?b"), "127.0.0.1:81");
    }

    #[test]
    fn a_password_in_a_token_url_is_refused_and_never_shown() {
        for url in [
            "https://user:s3cretpw@login.example.com/token",
            "http://user:s3cretpw@127.0.0.1:1/token",
            "https://s3cretpw@[::1]/token",
        ] {
            let m = usage(url);
            assert!(m.contains("holds a user name or password"), "{m}");
            assert!(!m.contains("s3cretpw") && m.contains("***@"), "{m}");
        }
        assert_eq!(
            shown("https://u:p@x.example:8443/t?a@b"),
            "https://***@x.example:8443/t?a@b"
        );
        assert_eq!(authority("https://u:s3cretpw@x.example/t"), "x.example");
        // A password with a `/`, no `://`, a string that is no URL: hidden all the same.
        for url in [
            "https://u:s3cret/pw@x.example/t",
            "https:u:s3cretpw@x.example/t",
            "u:s3cretpw@x.example",
            "//u:s3cretpw@x.example/t",
        ] {
            assert!(!shown(url).contains("s3cret"), "{url}: {}", shown(url));
            let m = match check_url(url) {
                Err(e) => e.to_string(),
                Ok(()) => panic!("{url} passed"),
            };
            assert!(!m.contains("s3cret"), "{m}");
        }
        // An `@` in a query is no userinfo: kept, and such a URL is not refused.
        assert_eq!(shown("https://x.example/t?a@b"), "https://x.example/t?a@b");
        assert!(check_url("https://x.example/t?a@b").is_ok());
        assert!(refuse_userinfo("the URL", "https://x.example/t?a@b").is_ok());
        assert!(refuse_userinfo("the URL", "https://u:p@x.example/").is_err());
        // A URL read from a file: control characters are shown escaped, not sent to the
        // terminal.
        let m = usage("https://x.example/\u{1b}[2Jt\n");
        assert!(!m.contains('\u{1b}') && m.contains("\\u{1b}"), "{m}");
    }

    #[test]
    fn what_is_not_a_url_or_not_https_says_so() {
        for url in [
            "not a url",
            "",
            "https://",
            "https:///token",
            "https://host:port/",
            "https://host:443:1/",
            "https://[::1/",
            "https://[::1]x/",
            "https://ho]st/",
            "https://h\u{e9}.example/",
            "https://host/\tpath",
            "https://ho\\st@127.0.0.1/",
            "file:///etc/passwd",
            "example.com/token",
            "https://port:x/",
            "https://[::1]@127.0.0.1/",
            "http://[::1]@evil.example/",
            "https://%/",
            "https://x%4.example/",
            "https://x.example:99999999999/",
            "https://x.example:65536/",
        ] {
            assert!(
                usage(url).ends_with("is not a URL"),
                "{url}: {}",
                usage(url)
            );
        }
        for url in [
            "ftp://example.com/",
            "example.com:443",
            "/token",
            "https://:443/token",
            "mailto:a@example.com",
        ] {
            assert!(
                usage(url).ends_with("is not an https:// URL"),
                "{url}: {}",
                usage(url)
            );
        }
    }

    #[test]
    fn the_authority_of_a_url_is_its_host_and_port() {
        assert_eq!(authority("https://127.0.0.1:8765/token"), "127.0.0.1:8765");
        assert_eq!(authority("https://[::1]:8765"), "[::1]:8765");
        assert_eq!(authority("https://x.example?q"), "x.example");
        assert_eq!(authority("not a url"), "not a url");
    }

    #[test]
    fn the_headers_name_the_form_json_and_certkit() {
        let h = headers();
        assert_eq!(
            h[0],
            (
                "Content-Type",
                "application/x-www-form-urlencoded".to_string()
            )
        );
        assert_eq!(h[1], ("Accept", "application/json".to_string()));
        assert_eq!(h[2].0, "User-Agent");
        assert!(h[2].1.starts_with("certkit/"));
    }

    #[test]
    fn reason_phrases_are_http_s() {
        assert_eq!(reason(502), Some("Bad Gateway"));
        assert_eq!(reason(302), Some("Found"));
        assert_eq!(reason(599), None);
    }

    #[test]
    fn a_first_line_is_cut_with_a_mark_and_escaped() {
        assert_eq!(
            first_line(b"  \n<html>Bad Gateway</html>\n"),
            "\"<html>Bad Gateway</html>\""
        );
        let long = "y".repeat(FIRST_LINE + 40);
        let shown = first_line(long.as_bytes());
        assert!(
            shown.ends_with("\" \u{2026} [cut: 40 more characters]"),
            "{shown}"
        );
        let shown = first_line(b"one\ntwo");
        assert_eq!(shown, "\"one\" \u{2026} [cut: 4 more characters]");
        assert_eq!(first_line(b"a\x1b[31mb"), "\"a\\u{1b}[31mb\"");
    }

    #[test]
    fn an_answer_that_is_not_oauth_is_exit_10_with_its_status_and_first_line() {
        let answer = |status: u16, body: &[u8], location: Option<&str>| Answer {
            status,
            body: SecretBytes::new(body.to_vec()),
            location: location.map(str::to_string),
        };
        let e = not_token_answer(
            "https://x.example/token",
            &answer(502, b"<html>Bad Gateway</html>", None),
        );
        assert_eq!(e.kind().name(), "not_token_endpoint_answer");
        let text = e.to_string();
        assert!(text.contains("not the token endpoint's answer"), "{text}");
        assert!(
            text.contains("HTTP 502 Bad Gateway, an HTML page"),
            "{text}"
        );
        assert!(
            text.contains("first line: \"<html>Bad Gateway</html>\""),
            "{text}"
        );
        // A 2xx body is not quoted: it may hold a credential.
        let e = not_token_answer(
            "https://x.example/token",
            &answer(200, b"{\"token\":\"s3cr3t\"}", None),
        );
        assert!(!e.to_string().contains("s3cr3t"), "{e}");
        assert!(
            e.to_string()
                .contains("JSON with neither access_token nor error"),
            "{e}"
        );
        // A redirect names where it goes.
        let e = not_token_answer(
            "https://x.example/token",
            &answer(302, b"", Some("https://sso.example/login")),
        );
        let text = e.to_string();
        assert!(
            text.contains(
                "HTTP 302 Found, an empty body; it redirects to \"https://sso.example/login\""
            ),
            "{text}"
        );
    }

    #[test]
    fn form_encoding_is_rfc_1866() {
        assert_eq!(
            form_encode("urn:ietf:params:oauth:grant-type:jwt-bearer"),
            "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
        );
        assert_eq!(form_encode("a b/c"), "a+b%2Fc");
    }
}

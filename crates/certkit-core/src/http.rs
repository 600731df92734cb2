//! The one HTTP request certkit makes: a form POST to a token endpoint, through `ureq`
//! (the field's blocking client) over native TLS, which is OpenSSL here: the operating
//! system's trust store is used, so a corporate TLS-inspecting proxy's CA works.
//! `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` and `NO_PROXY` are honoured. HTTPS only, except
//! `http://` to a loopback address (local servers, tests). Every failure names its step.

use std::io::Read;
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

/// Whether `url` may be used: `https://`, or `http://` to a loopback address. The error
/// says why not.
pub fn check_url(url: &str) -> Result<()> {
    let uri: ureq::http::Uri = url
        .parse()
        .map_err(|_| Error::Invalid(format!("the token URL \"{url}\" is not a URL")))?;
    let host = uri.host().unwrap_or("").trim_matches(['[', ']']);
    match uri.scheme_str() {
        Some("https") if !host.is_empty() => Ok(()),
        Some("http") if is_loopback(host) => Ok(()),
        Some("http") => Err(Error::Invalid(format!(
            "the token URL {url} is http://: certkit sends an assertion only over https (http:// is for loopback addresses)"
        ))),
        _ => Err(Error::Invalid(format!(
            "the token URL \"{url}\" is not an https:// URL"
        ))),
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn net(step: NetStep, url: &str, detail: impl Into<String>) -> Error {
    Error::Network {
        step,
        url: url.to_string(),
        detail: detail.into(),
    }
}

/// `host:port` of `url`, for messages.
fn authority(url: &str) -> String {
    url.parse::<ureq::http::Uri>()
        .ok()
        .and_then(|u| u.authority().map(|a| a.to_string()))
        .unwrap_or_else(|| url.to_string())
}

/// Whether a TLS library's words mean that the server answered the handshake in plain HTTP:
/// OpenSSL reads the first bytes of "HTTP/1.1 400" as a TLS record of a version that does
/// not exist ("wrong version number"; "packet length too long", "http request" in other
/// OpenSSL versions).
fn plain_http_words(detail: &str) -> bool {
    let d = detail.to_ascii_lowercase();
    [
        "wrong version number",
        "packet length too long",
        "http request",
    ]
    .iter()
    .any(|w| d.contains(w))
}

/// An https:// URL whose server speaks plain HTTP: no certificate is involved.
fn plain_http_at(url: &str, words: &str) -> Error {
    let at = authority(url);
    net(
        NetStep::Tls,
        url,
        format!(
            "the server at {at} speaks plain HTTP, not TLS (no certificate was exchanged): use the port that serves HTTPS, \
             or http://{at}/... if it is a loopback test server (the TLS library said: {words})"
        ),
    )
}

/// An http:// URL whose server accepted the connection and closed it without an answer, as
/// a TLS server does with a request in plain HTTP (`openssl s_server`).
fn closed_at(url: &str, words: &str) -> Error {
    let at = authority(url);
    net(
        NetStep::Http,
        url,
        format!(
            "the server at {at} closed the connection without an HTTP answer ({words}): \
             if that port speaks TLS, use https://{at}/..."
        ),
    )
}

/// The step and words of a `ureq` failure.
fn classify(e: ureq::Error, url: &str) -> Error {
    use std::io::ErrorKind;
    let words = e.to_string();
    if url.starts_with("https://") && plain_http_words(&words) {
        return plain_http_at(url, &words);
    }
    if let ureq::Error::Io(io) = &e {
        if url.starts_with("http://")
            && matches!(
                io.kind(),
                ErrorKind::UnexpectedEof | ErrorKind::ConnectionReset
            )
        {
            return closed_at(url, &io.to_string());
        }
    }
    match e {
        ureq::Error::HostNotFound => net(
            NetStep::NameResolution,
            url,
            "the host name does not resolve",
        ),
        ureq::Error::Timeout(_) => net(NetStep::Timeout, url, "no answer in time"),
        ureq::Error::Io(io) => match io.kind() {
            ErrorKind::ConnectionRefused => net(
                NetStep::Connection,
                url,
                "connection refused (nothing listens there)",
            ),
            ErrorKind::TimedOut | ErrorKind::WouldBlock => {
                net(NetStep::Timeout, url, io.to_string())
            }
            _ if io.to_string().contains("dns") || io.to_string().contains("lookup") => {
                net(NetStep::NameResolution, url, io.to_string())
            }
            _ => net(NetStep::Connection, url, io.to_string()),
        },
        ureq::Error::ConnectionFailed => net(NetStep::Connection, url, "the connection failed"),
        ureq::Error::NativeTls(t) => net(
            NetStep::Tls,
            url,
            format!("the server's certificate was refused: {t}"),
        ),
        ureq::Error::Tls(t) => net(NetStep::Tls, url, t),
        ureq::Error::ConnectProxyFailed(why) => {
            net(NetStep::Proxy, url, format!("the proxy refused: {why}"))
        }
        ureq::Error::InvalidProxyUrl => net(
            NetStep::Proxy,
            url,
            "the proxy URL in the environment is not valid",
        ),
        other => net(NetStep::Http, url, other.to_string()),
    }
}

const PROXY_VARS: [&str; 6] = [
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
];

/// The proxy from the environment for `uri`, as ureq reads it (ALL_PROXY, HTTPS_PROXY,
/// HTTP_PROXY; NO_PROXY honoured). Never for `http://` (loopback only): the assertion would
/// cross the proxy in clear. A proxy variable ureq cannot read is an error, not ignored.
fn proxy_for(uri: &ureq::http::Uri, url: &str) -> Result<Option<ureq::Proxy>> {
    if uri.scheme_str() == Some("http") {
        return Ok(None);
    }
    let set = PROXY_VARS
        .iter()
        .find(|v| std::env::var(v).is_ok_and(|s| !s.trim().is_empty()));
    let Some(var) = set else { return Ok(None) };
    match ureq::Proxy::try_from_env() {
        Some(p) if p.is_no_proxy(uri) => Ok(None),
        Some(p) => Ok(Some(p)),
        None => Err(net(
            NetStep::Proxy,
            url,
            format!("the proxy in {var} is not a proxy URL ureq can use"),
        )),
    }
}

/// POST `form` (already encoded as `name=value&...`) to `url`; the answer whatever its
/// status. The encoded form holds the assertion: it is wiped after sending.
pub fn post_form(url: &str, form: &SecretBytes, timeout: Duration) -> Result<Answer> {
    check_url(url)?;
    let uri: ureq::http::Uri = url
        .parse()
        .map_err(|_| Error::Invalid(format!("the token URL \"{url}\" is not a URL")))?;
    let proxy = proxy_for(&uri, url)?;
    let tls = ureq::tls::TlsConfig::builder()
        .provider(ureq::tls::TlsProvider::NativeTls)
        .root_certs(ureq::tls::RootCerts::PlatformVerifier)
        .build();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .tls_config(tls)
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(user_agent())
        .max_redirects(0)
        .proxy(proxy.clone())
        .build()
        .into();
    let response = agent
        .post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .send(form.expose())
        .map_err(|e| match (classify(e, url), &proxy) {
            // Through a proxy, what could not be reached is the proxy.
            (
                Error::Network {
                    step: NetStep::Connection | NetStep::NameResolution,
                    detail,
                    ..
                },
                Some(p),
            ) => net(
                NetStep::Proxy,
                url,
                format!(
                    "the proxy {}:{} from the environment: {detail}",
                    p.host(),
                    p.port()
                ),
            ),
            (e, _) => e,
        })?;
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    // Room for any token answer at once: a growing buffer would leave copies of the token.
    let mut body = Vec::with_capacity(64 * 1024);
    response
        .into_body()
        .into_reader()
        .take(MAX_ANSWER)
        .read_to_end(&mut body)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::TimedOut => {
                net(NetStep::Timeout, url, "the answer did not arrive in time")
            }
            _ => net(NetStep::Http, url, format!("reading the answer: {e}")),
        })?;
    Ok(Answer {
        status,
        body: SecretBytes::new(body),
        location,
    })
}

/// The most characters of an answer's first line that an error quotes.
pub const FIRST_LINE: usize = 160;

/// The start of a body's first non-blank line, made safe for a terminal (control characters
/// escaped), at most [`FIRST_LINE`] characters, quoted, and a mark when the body holds more
/// than that: `"<html>" … [cut: 1234 more characters]`.
pub fn first_line(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
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
    let reason = ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map(|r| format!(" {r}"))
        .unwrap_or_default();
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
    let text = String::from_utf8_lossy(body);
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

    #[test]
    fn each_failure_names_its_step() {
        let step = |e: ureq::Error| match classify(e, "https://x.example/token") {
            Error::Network { step, .. } => step,
            other => panic!("not a network error: {other}"),
        };
        assert_eq!(step(ureq::Error::HostNotFound), NetStep::NameResolution);
        assert_eq!(
            step(ureq::Error::Io(
                std::io::ErrorKind::ConnectionRefused.into()
            )),
            NetStep::Connection
        );
        assert_eq!(
            step(ureq::Error::Timeout(ureq::Timeout::Global)),
            NetStep::Timeout
        );
        assert_eq!(
            step(ureq::Error::ConnectProxyFailed("403".into())),
            NetStep::Proxy
        );
        assert_eq!(step(ureq::Error::InvalidProxyUrl), NetStep::Proxy);
        assert_eq!(step(ureq::Error::Tls("handshake")), NetStep::Tls);
        assert_eq!(step(ureq::Error::TooManyRedirects), NetStep::Http);
    }

    #[test]
    fn openssls_words_for_plain_http_on_a_tls_url_name_plain_http() {
        let e = plain_http_at(
            "https://127.0.0.1:8765/token",
            "native-tls: error:0A00010B:SSL routines:ssl3_get_record:wrong version number",
        );
        assert!(plain_http_words(
            "error:0A00010B:SSL routines:ssl3_get_record:wrong version number"
        ));
        assert!(!plain_http_words("certificate verify failed"));
        let text = e.to_string();
        assert!(
            text.contains("the server at 127.0.0.1:8765 speaks plain HTTP, not TLS"),
            "{text}"
        );
        assert!(!text.contains("certificate was refused"), "{text}");
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
        assert_eq!(e.kind(), "not_token_endpoint_answer");
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

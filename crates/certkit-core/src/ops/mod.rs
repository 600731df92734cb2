//! The operations behind the commands. Each takes typed options and returns a report that
//! serialises to the command's `--json`; the command line renders the same report as text.
//! Nothing here parses a command line or prints a report; a value the user must give or
//! change is named as a [`crate::setting::Setting`], which the front end words. The
//! commands `metadata` writes into its project's README (and its report's steps) are the
//! exception: they are the deploy steps themselves, spelled for a POSIX shell (as are the
//! rules' fixes and `diagnose`'s checklists, outside `ops`).

pub mod convert;
pub mod credential;
pub mod exchange;
pub mod expiry;
pub mod explain;
pub mod inspect;
pub mod kid;
pub mod metadata;
pub mod p12_to_jks;
pub mod pair;
pub mod preflight;
pub mod renew;
pub mod selfsign;
pub mod verify;

use serde::Serialize;

use crate::error::{Error, Hint, Result, WhichPassword};
use crate::host::Host;
use crate::passwords::{self, Source};
use crate::rules::salesforce::PasswordPolicy;
use crate::secret::Password;

/// Where the password of a file certkit writes comes from, and the policy it must meet.
#[derive(Clone, Debug)]
pub struct OutPassword {
    /// An explicit source.
    pub source: Option<Source>,
    /// Generate one (shown once, in the report).
    pub generate: bool,
    /// The policy.
    pub policy: PasswordPolicy,
}

impl Default for OutPassword {
    fn default() -> Self {
        OutPassword {
            source: None,
            generate: false,
            policy: PasswordPolicy::Salesforce,
        }
    }
}

/// A password certkit generated: the report shows it once, on purpose.
#[derive(Clone, Debug)]
pub struct Generated(pub Password);

impl Serialize for Generated {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.0.expose())
    }
}

fn check_policy(policy: PasswordPolicy, pw: Password) -> Result<Password> {
    // certkit's policy for what it writes: a password outside it is refused even where the
    // rule is only documented (opt out with --password-policy java); a keystore made
    // elsewhere gets the rule's own verdict (preflight: a warning).
    if let Some(problem) = policy.problem(&pw) {
        return Err(Error::RuleRefused {
            rule: policy.rule().text.to_string(),
            detail: format!("{problem} (certkit keeps the keystores it writes to this)"),
            fix: crate::rules::salesforce::PASSWORD_FIX.into(),
        }
        .hint(Hint::OutPassword));
    }
    Ok(pw)
}

/// The output password: the explicit source, a generated one, the input's own if it meets
/// the policy, or a prompt (asked twice, three tries at a terminal). The second value is
/// the password again when it was generated.
pub fn output_password(
    host: &dyn Host,
    spec: &OutPassword,
    input_pw: Option<&Password>,
) -> Result<(Password, Option<Generated>)> {
    let policy = spec.policy;
    if let Some(src) = &spec.source {
        let pw = crate::host::password(host, src, WhichPassword::Output)?;
        return check_policy(policy, pw).map(|p| (p, None));
    }
    if spec.generate {
        let pw = passwords::generate(8)?;
        return Ok((pw.clone(), Some(Generated(pw))));
    }
    if let Some(pw) = input_pw {
        if policy.problem(pw).is_none() {
            return Ok((pw.clone(), None));
        }
    }
    if host.can_prompt() {
        host.tell(&format!("Keystore password policy: {}", policy.describe()));
        let mut tries = 0;
        loop {
            match host
                .prompt_new("New keystore password")
                .and_then(|pw| check_policy(policy, pw))
            {
                Ok(pw) => return Ok((pw, None)),
                Err(e)
                    if tries < 2
                        && matches!(e.parts().0, Error::RuleRefused { .. } | Error::Invalid(_)) =>
                {
                    tries += 1;
                    let why = match e.parts().0 {
                        Error::RuleRefused { detail, .. } => detail.clone(),
                        other => other.to_string(),
                    };
                    host.tell(&format!("{why}; try again"));
                }
                Err(e) => return Err(e),
            }
        }
    }
    let why = match input_pw {
        Some(pw) => format!(
            "the input password does not fit the {} policy ({})",
            crate::choice::Choice::name(policy),
            policy.problem(pw).unwrap_or_default()
        ),
        None => "the output needs a password".to_string(),
    };
    Err(Error::password_required(WhichPassword::Output, why))
}

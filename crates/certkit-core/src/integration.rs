//! The one list of integrations certkit knows: whose token endpoint a JWT assertion is
//! for. Every narrower or richer choice (an assertion profile, a preflight target) maps to
//! one of these with an exhaustive `match`, so a new variant cannot silently become another.

use crate::choice::Choice;

/// Whose token endpoint the JWT assertion is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Integration {
    /// Google's `https://oauth2.googleapis.com/token` (a service account's key).
    Google,
    /// Salesforce's `/services/oauth2/token` (org to org, a Connected App with a certificate).
    Salesforce,
    /// A third party: any RFC 7523 token endpoint (named `generic` on the command line).
    ThirdParty,
}

impl Integration {
    /// Every integration, in the order unknown token-endpoint answers are looked up.
    pub const ALL: [Integration; 3] = [
        Integration::Google,
        Integration::Salesforce,
        Integration::ThirdParty,
    ];

    /// The integration, in the words of a checklist's title.
    pub fn title(self) -> &'static str {
        match self {
            Integration::Google => "Google (a service account's key)",
            Integration::Salesforce => "Salesforce org to org (a Connected App with a certificate)",
            Integration::ThirdParty => "A third party (any RFC 7523 token endpoint)",
        }
    }
}

impl Choice for Integration {
    const ALL: &'static [Self] = &Integration::ALL;
    fn name(self) -> &'static str {
        match self {
            Integration::Google => "google",
            Integration::Salesforce => "salesforce",
            Integration::ThirdParty => "generic",
        }
    }
    fn help(self) -> &'static str {
        match self {
            Integration::Google => "Google's token endpoint",
            Integration::Salesforce => "Salesforce's token endpoint (org to org)",
            Integration::ThirdParty => "a third party: any RFC 7523 token endpoint",
        }
    }
}

impl serde::Serialize for Integration {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        crate::choice::serialize(self, s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_json_and_flag_names() {
        let names: Vec<&str> = Integration::ALL.iter().map(|i| i.name()).collect();
        assert_eq!(names, ["google", "salesforce", "generic"]);
        assert_eq!(
            serde_json::to_string(&Integration::ThirdParty).unwrap(),
            "\"generic\""
        );
    }
}

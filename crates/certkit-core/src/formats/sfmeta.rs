//! Salesforce metadata source (the XML `sf project deploy start` takes and
//! `sf project retrieve start` returns) for a JWT-bearer setup: ExternalCredential,
//! NamedCredential, PermissionSet and the External Client App bundle. One model each, read
//! and written with `quick-xml`'s serde support; fields are declared in the order the
//! Metadata API writes them (alphabetical, as retrieved files show), which is the order
//! they are written in. Source: Salesforce's Metadata API Developer Guide, the pages
//! ExternalCredential, NamedCredential, PermissionSet and ExternalClientApplication
//! (<https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/>).
//!
//! Facts and sources: `docs/salesforce-metadata.md`.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The Metadata API's namespace.
pub const NAMESPACE: &str = "http://soap.sforce.com/2006/04/metadata";

/// One parameter of an External Credential.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EcParameter {
    /// The certificate's Unique Name, for `SigningCertificate`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub certificate: Option<String>,
    /// A description (`Issuer`, `Expiration Time`...).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// `DefaultGroup`, or the principal's name.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub parameter_group: Option<String>,
    /// The name (`iss`, `kid`, `Oauth`...).
    #[serde(default)]
    pub parameter_name: String,
    /// The type (`JwtBodyClaim`, `JwtHeaderClaim`, `AuthProtocolVariant`...).
    #[serde(default)]
    pub parameter_type: String,
    /// The value.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub parameter_value: Option<String>,
    /// A principal's place.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sequence_number: Option<u32>,
}

/// An External Credential (`externalCredentials/NAME.externalCredential-meta.xml`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "ExternalCredential", rename_all = "camelCase")]
pub struct ExternalCredential {
    /// The namespace attribute.
    #[serde(rename = "@xmlns", default)]
    pub xmlns: String,
    /// `Oauth` for the JWT bearer flow.
    #[serde(default)]
    pub authentication_protocol: String,
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// The parameters.
    #[serde(rename = "externalCredentialParameters", default)]
    pub parameters: Vec<EcParameter>,
    /// The label.
    #[serde(default)]
    pub label: String,
}

impl ExternalCredential {
    /// The parameters of one type.
    pub fn of_type<'a>(&'a self, ty: &'a str) -> impl Iterator<Item = &'a EcParameter> + 'a {
        self.parameters
            .iter()
            .filter(move |p| p.parameter_type == ty)
    }

    /// The parameter of one type and name.
    pub fn find(&self, ty: &str, name: &str) -> Option<&EcParameter> {
        self.parameters
            .iter()
            .find(|p| p.parameter_type == ty && p.parameter_name == name)
    }
}

/// One parameter of a Named Credential.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NcParameter {
    /// The External Credential, for the `Authentication` parameter.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub external_credential: Option<String>,
    /// The name (`Url`, `ExternalCredential`).
    #[serde(default)]
    pub parameter_name: String,
    /// The type (`Url`, `Authentication`).
    #[serde(default)]
    pub parameter_type: String,
    /// The value (the URL).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub parameter_value: Option<String>,
}

/// A Named Credential, new style (`namedCredentials/NAME.namedCredential-meta.xml`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "NamedCredential", rename_all = "camelCase")]
pub struct NamedCredential {
    /// The namespace attribute.
    #[serde(rename = "@xmlns", default)]
    pub xmlns: String,
    /// Merge fields in the body.
    #[serde(default)]
    pub allow_merge_fields_in_body: bool,
    /// Merge fields in headers.
    #[serde(default)]
    pub allow_merge_fields_in_header: bool,
    /// `Enabled`.
    #[serde(default)]
    pub callout_status: String,
    /// Salesforce adds `Authorization: Bearer TOKEN`.
    #[serde(default)]
    pub generate_authorization_header: bool,
    /// The label.
    #[serde(default)]
    pub label: String,
    /// The parameters.
    #[serde(rename = "namedCredentialParameters", default)]
    pub parameters: Vec<NcParameter>,
    /// `SecuredEndpoint`.
    #[serde(default)]
    pub named_credential_type: String,
}

/// Access to one External Credential principal.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrincipalAccess {
    /// Granted.
    #[serde(default)]
    pub enabled: bool,
    /// `EXTERNALCREDENTIAL-PRINCIPAL`.
    #[serde(default)]
    pub external_credential_principal: String,
}

/// Object permissions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectPermissions {
    /// Create.
    #[serde(default)]
    pub allow_create: bool,
    /// Delete.
    #[serde(default)]
    pub allow_delete: bool,
    /// Edit.
    #[serde(default)]
    pub allow_edit: bool,
    /// Read.
    #[serde(default)]
    pub allow_read: bool,
    /// Modify all.
    #[serde(default)]
    pub modify_all_records: bool,
    /// The object.
    #[serde(default)]
    pub object: String,
    /// View all.
    #[serde(default)]
    pub view_all_records: bool,
}

/// A permission set (`permissionsets/NAME.permissionset-meta.xml`): only the elements a
/// JWT-bearer setup needs are modelled; a retrieved file's others are ignored when read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "PermissionSet", rename_all = "camelCase")]
pub struct PermissionSet {
    /// The namespace attribute.
    #[serde(rename = "@xmlns", default)]
    pub xmlns: String,
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// Principals it grants.
    #[serde(rename = "externalCredentialPrincipalAccesses", default)]
    pub principal_accesses: Vec<PrincipalAccess>,
    /// Session activation.
    #[serde(default)]
    pub has_activation_required: bool,
    /// The label.
    #[serde(default)]
    pub label: String,
    /// Object permissions.
    #[serde(rename = "objectPermissions", default)]
    pub object_permissions: Vec<ObjectPermissions>,
}

/// Write a metadata object as a source file: the XML declaration, four-space indents.
pub fn to_xml<T: Serialize>(value: &T) -> Result<String> {
    let mut body = String::new();
    let mut ser = quick_xml::se::Serializer::new(&mut body);
    ser.indent(' ', 4);
    // As Salesforce writes them: quotes escaped too.
    ser.set_quote_level(quick_xml::se::QuoteLevel::Full);
    value
        .serialize(ser)
        .map_err(|e| Error::Internal(format!("XML: {e}")))?;
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}\n"
    ))
}

/// Read a metadata source file; `root` is the element it must be (`ExternalCredential`...).
pub fn from_xml<T: for<'de> Deserialize<'de>>(text: &str, root: &str, path: &str) -> Result<T> {
    let start = text
        .find('<')
        .and_then(|_| {
            let mut rest = text;
            loop {
                let i = rest.find('<')?;
                rest = &rest[i + 1..];
                if !rest.starts_with('?') && !rest.starts_with('!') {
                    return Some(rest);
                }
            }
        })
        .ok_or_else(|| Error::corrupt(path, "not XML"))?;
    let found: String = start
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
        .collect();
    if found != root {
        return Err(Error::corrupt(
            path,
            format!("this is a <{found}> file, not <{root}>"),
        ));
    }
    quick_xml::de::from_str(text).map_err(|e| Error::corrupt(path, format!("XML: {e}")))
}

/// The XML element that wraps one of each of the External Client App's settings files.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename = "ExternalClientApplication", rename_all = "camelCase")]
pub struct ExternalClientApplication {
    /// The namespace attribute.
    #[serde(rename = "@xmlns")]
    pub xmlns: String,
    /// Contact.
    pub contact_email: String,
    /// Description.
    pub description: String,
    /// `Local`.
    pub distribution_state: String,
    /// Protected.
    pub is_protected: bool,
    /// Label.
    pub label: String,
}

/// The app's OAuth settings (`.ecaOauth`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename = "ExtlClntAppOauthSettings", rename_all = "camelCase")]
pub struct EcaOauthSettings {
    /// The namespace attribute.
    #[serde(rename = "@xmlns")]
    pub xmlns: String,
    /// Scopes.
    pub comma_separated_oauth_scopes: String,
    /// The app.
    pub external_client_application: String,
    /// First-party app.
    pub is_first_party_app_enabled: bool,
    /// Label.
    pub label: String,
}

/// The app's global OAuth settings (`.ecaGlblOauth`): the certificate enables the JWT flow.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename = "ExtlClntAppGlobalOauthSettings", rename_all = "camelCase")]
pub struct EcaGlobalOauthSettings {
    /// The namespace attribute.
    #[serde(rename = "@xmlns")]
    pub xmlns: String,
    /// Required even for JWT.
    pub callback_url: String,
    /// The certificate, base64 DER without PEM armour.
    pub certificate: String,
    /// The app.
    pub external_client_application: String,
    /// Flags, all off but what the JWT flow needs.
    pub is_client_credentials_flow_enabled: bool,
    /// .
    pub is_code_cred_flow_enabled: bool,
    /// .
    pub is_code_cred_post_only: bool,
    /// .
    pub is_consumer_secret_optional: bool,
    /// .
    pub is_device_flow_enabled: bool,
    /// .
    pub is_introspect_all_tokens: bool,
    /// .
    pub is_named_user_jwt_enabled: bool,
    /// .
    pub is_pkce_required: bool,
    /// .
    pub is_refresh_token_rotation_enabled: bool,
    /// .
    pub is_secret_required_for_refresh_token: bool,
    /// .
    pub is_secret_required_for_token_exchange: bool,
    /// .
    pub is_token_exchange_enabled: bool,
    /// Label.
    pub label: String,
    /// .
    pub should_rotate_consumer_key: bool,
    /// .
    pub should_rotate_consumer_secret: bool,
}

/// The app's OAuth policies (`.ecaOauthPlcy`): admin-approved users are pre-authorised.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(
    rename = "ExtlClntAppOauthConfigurablePolicies",
    rename_all = "camelCase"
)]
pub struct EcaOauthPolicies {
    /// The namespace attribute.
    #[serde(rename = "@xmlns")]
    pub xmlns: String,
    /// The permission sets pre-authorised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comma_separated_permission_set: Option<String>,
    /// The app.
    pub external_client_application: String,
    /// `Enforce`.
    pub ip_relaxation_policy_type: String,
    /// .
    pub is_client_credentials_flow_enabled: bool,
    /// .
    pub is_guest_code_cred_flow_enabled: bool,
    /// .
    pub is_token_exchange_flow_enabled: bool,
    /// Label.
    pub label: String,
    /// `AdminApprovedPreAuthorized`.
    pub permitted_users_policy_type: String,
    /// .
    pub refresh_token_policy_type: String,
    /// .
    pub refresh_token_validity_period: u32,
    /// .
    pub refresh_token_validity_unit: String,
    /// .
    pub required_session_level: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retrieved_external_credential_reads_and_writes_back_the_same_elements() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<ExternalCredential xmlns="http://soap.sforce.com/2006/04/metadata">
    <authenticationProtocol>Oauth</authenticationProtocol>
    <externalCredentialParameters>
        <certificate>integrationcert</certificate>
        <parameterGroup>DefaultGroup</parameterGroup>
        <parameterName>SigningCertificate</parameterName>
        <parameterType>SigningCertificate</parameterType>
    </externalCredentialParameters>
    <externalCredentialParameters>
        <description>Audience</description>
        <parameterGroup>DefaultGroup</parameterGroup>
        <parameterName>aud</parameterName>
        <parameterType>JwtBodyClaim</parameterType>
        <parameterValue>&quot;https://login.salesforce.com&quot;</parameterValue>
    </externalCredentialParameters>
    <externalCredentialParameters>
        <parameterGroup>SalesUser</parameterGroup>
        <parameterName>SalesUser</parameterName>
        <parameterType>NamedPrincipal</parameterType>
        <sequenceNumber>1</sequenceNumber>
    </externalCredentialParameters>
    <label>DataCloudCredentials</label>
</ExternalCredential>
"#;
        let ec: ExternalCredential = from_xml(xml, "ExternalCredential", "x").unwrap();
        assert_eq!(ec.parameters.len(), 3);
        assert_eq!(
            ec.find("JwtBodyClaim", "aud")
                .unwrap()
                .parameter_value
                .as_deref(),
            Some("\"https://login.salesforce.com\"")
        );
        assert_eq!(ec.parameters[2].sequence_number, Some(1));
        assert_eq!(to_xml(&ec).unwrap(), xml);
    }

    #[test]
    fn a_foreign_file_is_named() {
        let e = from_xml::<ExternalCredential>("<NamedCredential/>", "ExternalCredential", "f")
            .unwrap_err();
        assert!(e.to_string().contains("<NamedCredential>"), "{e}");
    }
}

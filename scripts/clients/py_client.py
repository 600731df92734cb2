"""Runs one Python client's JWT bearer login, as a user would, and prints what it got back.

    python py_client.py simple-salesforce DOMAIN KEY_FILE CONSUMER_KEY USERNAME
    python py_client.py google-auth JSON_KEY_FILE SCOPE

The network goes where the environment says (HTTPS_PROXY, REQUESTS_CA_BUNDLE): record.py
points it at its loopback proxy, so the real token URL (and so the real aud) is kept.
"""

import json
import sys


def simple_salesforce(domain, key_file, consumer_key, username):
    from simple_salesforce import Salesforce

    sf = Salesforce(username=username, consumer_key=consumer_key, privatekey_file=key_file, domain=domain)
    print(json.dumps({"instance": sf.sf_instance, "session_id_len": len(sf.session_id)}))


def google_auth(json_key_file, scope):
    import google.auth.transport.requests
    from google.oauth2 import service_account

    with open(json_key_file) as f:
        info = json.load(f)
    creds = service_account.Credentials.from_service_account_info(info, scopes=[scope])
    creds.refresh(google.auth.transport.requests.Request())
    print(json.dumps({"valid": creds.valid, "expiry": str(creds.expiry)}))


if __name__ == "__main__":
    which, args = sys.argv[1], sys.argv[2:]
    {"simple-salesforce": simple_salesforce, "google-auth": google_auth}[which](*args)

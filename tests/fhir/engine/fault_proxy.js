// Test-only fault proxy on loopback, between the kiosk and the FHIR server.
//   node fault_proxy.js --target PORT [--seed N]
// Prints "listening PORT CONTROL_PORT". Each request is forwarded to
// http://127.0.0.1:TARGET unchanged, unless a fault is drawn for it (with
// probability fail_rate, one of `faults`, seeded so a run can be replayed):
//   500-before    answer 500 (an OperationOutcome) without forwarding
//   500-after     forward (the server commits), then answer 500 instead
//   timeout       never answer (the client's timeout ends it)
//   reset-before  drop the connection before forwarding
//   reset-after   forward (the server commits), then drop the connection
//   slow          forward, answer after slow_ms
// During an outage every connection is dropped at once (the server is cut off).
// Control port: POST /mode {"fail_rate":0.2,"faults":[...],"slow_ms":1500}, POST /outage {"on":true},
// GET /stats (requests, forwarded, faults by kind, refused during outages).
'use strict';
process.stdout.on('error', () => {});  // the test may close our stdout once it read the port
const http = require('http');

const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const target = Number(opt('--target'));
let seed = Number(opt('--seed') || 1) >>> 0;
function random() {  // mulberry32
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

let mode = { fail_rate: 0, faults: ['500-before'], slow_ms: 1500 };
let outage = false;
const stats = { requests: 0, forwarded: 0, outage_dropped: 0, faults: {} };
const hanging = new Set();

function forward(req, body, done) {
  stats.forwarded++;
  const up = http.request({ host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers },
                          (res) => {
                            const chunks = [];
                            res.on('data', (c) => chunks.push(c));
                            res.on('end', () => done(null, res, Buffer.concat(chunks)));
                          });
  up.on('error', (e) => done(e));
  up.end(body);
}

function reply(res, status, headers, body) {
  if (!res.socket || res.socket.destroyed) return;
  res.writeHead(status, headers);
  res.end(body);
}

function outcome500() {
  return JSON.stringify({ resourceType: 'OperationOutcome',
                          issue: [{ severity: 'error', code: 'exception', diagnostics: 'injected server error' }] });
}

const proxy = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    stats.requests++;
    if (outage) {
      stats.outage_dropped++;
      return req.socket.destroy();
    }
    const body = Buffer.concat(chunks);
    const fault = random() < mode.fail_rate ? mode.faults[Math.floor(random() * mode.faults.length)] : null;
    if (fault) stats.faults[fault] = (stats.faults[fault] || 0) + 1;
    if (fault === '500-before') return reply(res, 500, { 'Content-Type': 'application/fhir+json' }, outcome500());
    if (fault === 'reset-before') return req.socket.destroy();
    if (fault === 'timeout') { hanging.add(req.socket); req.socket.on('close', () => hanging.delete(req.socket)); return; }
    forward(req, body, (err, up, upBody) => {
      if (err) return req.socket.destroy();
      if (fault === '500-after') return reply(res, 500, { 'Content-Type': 'application/fhir+json' }, outcome500());
      if (fault === 'reset-after') return req.socket.destroy();
      const headers = { 'Content-Type': up.headers['content-type'] || 'application/json' };
      if (fault === 'slow') return setTimeout(() => reply(res, up.statusCode, headers, upBody), mode.slow_ms);
      reply(res, up.statusCode, headers, upBody);
    });
  });
});
proxy.on('connection', (socket) => { if (outage) { stats.outage_dropped++; socket.destroy(); } });

const control = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    if (req.method === 'POST' && req.url === '/mode') mode = { ...mode, ...body };
    if (req.method === 'POST' && req.url === '/outage') {
      outage = !!body.on;
      if (outage) for (const s of hanging) s.destroy();
    }
    const text = JSON.stringify({ ...stats, mode, outage });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(text);
  });
});

proxy.listen(0, '127.0.0.1', () => control.listen(0, '127.0.0.1', () => {
  console.log(`listening ${proxy.address().port} ${control.address().port}`);
}));

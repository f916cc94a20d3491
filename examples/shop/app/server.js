'use strict';

// The shop's HTTP API. SHOP_HOME is the deployment directory: it holds VERSION, the
// MAINTENANCE flag, the database file and access.log (which scripts/error-rate.sh reads).
// HOST is where it listens (all interfaces unless set; scripts/deploy.sh says 127.0.0.1).
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { CATALOG, quote, parseItems } = require('./cart');

const home = process.env.SHOP_HOME || __dirname;
const port = Number(process.env.PORT || 8080);
const host = process.env.HOST || undefined;
const version = readText('VERSION') || 'dev';
// A release packaged with a BROKEN file in it (see scripts/package.sh) stands for one that
// cannot reach its database: its health check fails, and so does any verify that asks it.
const broken = fs.existsSync(path.join(__dirname, 'BROKEN'));

function readText(name) {
  try {
    return fs.readFileSync(path.join(home, name), 'utf8').trim();
  } catch {
    return '';
  }
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  const maintenance = fs.existsSync(path.join(home, 'MAINTENANCE'));
  res.on('finish', () => {
    // Planned 503s are marked so that scripts/error-rate.sh does not count them as failures.
    const line = `${new Date().toISOString()} ${req.method} ${req.url} ${res.statusCode}${maintenance ? ' maintenance' : ''}\n`;
    fs.appendFile(path.join(home, 'access.log'), line, () => {});
  });
  const url = new URL(req.url, 'http://shop');
  if (maintenance) {
    return send(res, 503, { status: 'maintenance', version });
  }
  if (url.pathname === '/version') {
    return send(res, 200, { version });
  }
  if (url.pathname === '/health') {
    const database = broken ? 'unreachable' : fs.existsSync(path.join(home, 'db', 'shop.sql')) ? 'connected' : 'missing';
    return send(res, database === 'connected' ? 200 : 500,
      { status: database === 'connected' ? 'healthy' : 'unhealthy', version, services: { database } });
  }
  if (url.pathname === '/api/products') {
    return send(res, 200, CATALOG);
  }
  if (url.pathname === '/api/quote') {
    try {
      return send(res, 200, quote(parseItems(url.searchParams.get('items') || ''), url.searchParams.get('code')));
    } catch (e) {
      return send(res, 400, { error: e.message });
    }
  }
  return send(res, 404, { error: 'not found' });
});

server.listen(port, host, () => process.stdout.write(`shop ${version} listening on ${host || '*'}:${port}\n`));

'use strict';

// A stand-in for redis:7-alpine, for examples/shop's integration stage where no registry is
// reachable: an in-memory key-value store that answers PING, ECHO, SET, GET, DEL, EXISTS and
// QUIT, sent as RESP arrays (what redis-cli and client libraries send) or as inline commands
// (what the shop's test and telnet send).
const net = require('node:net');

const port = Number(process.env.REDIS_PORT || 6379);
const store = new Map();

const simple = (s) => `+${s}\r\n`;
const bulk = (s) => (s === undefined ? '$-1\r\n' : `$${Buffer.byteLength(s)}\r\n${s}\r\n`);
const integer = (n) => `:${n}\r\n`;
const error = (s) => `-ERR ${s}\r\n`;

function answer([name = '', ...args]) {
  switch (name.toUpperCase()) {
    case 'PING': return args.length ? bulk(args[0]) : simple('PONG');
    case 'ECHO': return bulk(args[0]);
    case 'SET': store.set(args[0], args[1]); return simple('OK');
    case 'GET': return bulk(store.get(args[0]));
    case 'DEL': return integer(args.filter((k) => store.delete(k)).length);
    case 'EXISTS': return integer(args.filter((k) => store.has(k)).length);
    default: return error(`unknown command '${name}' (this is a stand-in for redis)`);
  }
}

// Takes one command off the front of `buf`: [command words, rest] or null when incomplete.
function parse(buf) {
  const eol = buf.indexOf('\r\n');
  if (eol < 0) return null;
  if (buf[0] !== 0x2a /* '*' */) {
    const words = buf.toString('utf8', 0, eol).trim().split(/\s+/).filter(Boolean);
    return [words, buf.subarray(eol + 2)];
  }
  const count = Number(buf.toString('latin1', 1, eol));
  let at = eol + 2;
  const words = [];
  for (let i = 0; i < count; i++) {
    const end = buf.indexOf('\r\n', at);
    if (end < 0) return null;
    const length = Number(buf.toString('latin1', at + 1, end));
    if (buf.length < end + 2 + length + 2) return null;
    words.push(buf.toString('utf8', end + 2, end + 2 + length));
    at = end + 2 + length + 2;
  }
  return [words, buf.subarray(at)];
}

net.createServer((socket) => {
  let buffered = Buffer.alloc(0);
  socket.on('error', () => {});
  socket.on('data', (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (let parsed = parse(buffered); parsed; parsed = parse(buffered)) {
      const [words, rest] = parsed;
      buffered = rest;
      if (words.length === 0) continue;
      if (words[0].toUpperCase() === 'QUIT') {
        socket.end(simple('OK'));
        return;
      }
      socket.write(answer(words));
    }
  });
}).listen(port, () => process.stdout.write(`redis stand-in ready to accept connections on port ${port}\n`));

'use strict';

// Talks to the Postgres and Redis service containers over their wire protocols, with no
// client libraries: a Postgres SSLRequest must get a one-byte answer, Redis must store a key.
const test = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');

const DATABASE_HOST = process.env.DATABASE_HOST || 'localhost';
const REDIS_HOST = process.env.REDIS_HOST || 'localhost';

// Sends `request` and resolves with the reply once `done(reply)` is true.
function exchange(host, port, request, done) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let reply = Buffer.alloc(0);
    socket.setTimeout(5000, () => socket.destroy(new Error(`no answer from ${host}:${port}`)));
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      reply = Buffer.concat([reply, chunk]);
      if (done(reply)) {
        socket.end();
        resolve(reply);
      }
    });
    socket.on('error', reject);
  });
}

test('postgres answers an SSLRequest', async () => {
  const request = Buffer.alloc(8);
  request.writeInt32BE(8, 0);
  request.writeInt32BE(80877103, 4);
  const reply = await exchange(DATABASE_HOST, 5432, request, (r) => r.length >= 1);
  assert.ok(['S', 'N'].includes(reply.toString('latin1', 0, 1)), `unexpected reply ${reply.toString('hex')}`);
});

test('redis stores and returns a key', async () => {
  const commands = 'SET shop:integration ok\r\nGET shop:integration\r\n';
  const reply = await exchange(REDIS_HOST, 6379, commands, (r) => r.toString().endsWith('ok\r\n'));
  assert.equal(reply.toString(), '+OK\r\n$2\r\nok\r\n');
});

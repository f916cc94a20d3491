'use strict';

// A stand-in for postgres:16-alpine, for examples/shop's integration stage where no registry
// is reachable. It speaks just enough of the Postgres wire protocol for the shop's test and
// for pg_isready: an SSLRequest gets 'N' (no TLS), and a startup message gets an
// ErrorResponse saying this is a stand-in, after which the connection is closed.
const net = require('node:net');

const SSL_REQUEST = 80877103;
const port = Number(process.env.PGPORT || 5432);

function errorResponse(message) {
  const fields = Buffer.from(`SFATAL\0C08004\0M${message}\0\0`, 'utf8');
  const head = Buffer.alloc(5);
  head.write('E', 0, 'latin1');
  head.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([head, fields]);
}

net.createServer((socket) => {
  let buffered = Buffer.alloc(0);
  socket.on('error', () => {});
  socket.on('data', (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 8) {
      const length = buffered.readInt32BE(0);
      if (buffered.length < length) return;
      const code = buffered.readInt32BE(4);
      buffered = buffered.subarray(length);
      if (code === SSL_REQUEST) {
        socket.write('N');
      } else {
        socket.end(errorResponse('this is a stand-in for postgres: it answers SSLRequest and nothing else'));
        return;
      }
    }
  });
}).listen(port, () => process.stdout.write(`postgres stand-in accepting connections on port ${port}\n`));

// Reads the server name (SNI) from a TLS ClientHello without consuming it, so the listener can
// decide before the handshake whether the connection must present a client certificate
// (Node decides that per server, not per SNI context).
import type { Socket } from 'node:net';

const RECORD_HEADER = 5;
/** A TLS record carries at most 2^14 bytes of plaintext (RFC 8446 §5.1), plus some slack. */
const MAX_RECORD = 16_384 + 256;

/**
 * Waits for the first TLS record, puts everything read back on the socket, and gives the server
 * name it names ('' when there is none, the record is not a ClientHello, or it cannot be parsed:
 * the handshake itself then decides). Undefined when the client sent nothing in time or left.
 */
export function peekServerName(socket: Socket, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const done = (name: string | undefined) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onClose);
      if (name !== undefined) {
        socket.pause();
        socket.unshift(Buffer.concat(chunks, length));
      }
      resolve(name);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      const head = chunks.length === 1 ? chunk : Buffer.concat(chunks, length);
      if (head[0] !== 0x16) return done('');
      if (length < RECORD_HEADER) return;
      const recordLength = head.readUInt16BE(3);
      if (recordLength > MAX_RECORD) return done('');
      if (length < RECORD_HEADER + recordLength) return;
      done(serverNameOf(head.subarray(RECORD_HEADER, RECORD_HEADER + recordLength)));
    };
    const onClose = () => done(undefined);
    const timer = setTimeout(() => {
      done(undefined);
      socket.destroy();
    }, timeoutMs);
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.once('error', onClose);
  });
}

/** The host_name of the server_name extension (RFC 6066 §3) of a ClientHello handshake message. */
export function serverNameOf(message: Buffer): string {
  try {
    // Handshake type 1 (ClientHello), 3-byte length, 2-byte version, 32-byte random.
    if (message[0] !== 0x01) return '';
    let at = 4 + 2 + 32;
    at += 1 + message.readUInt8(at); // session id
    at += 2 + message.readUInt16BE(at); // cipher suites
    at += 1 + message.readUInt8(at); // compression methods
    const extensionsEnd = at + 2 + message.readUInt16BE(at);
    at += 2;
    while (at + 4 <= extensionsEnd) {
      const type = message.readUInt16BE(at);
      const size = message.readUInt16BE(at + 2);
      at += 4;
      if (type === 0x0000) {
        // server_name_list: 2-byte length, then entries of type (1) + length (2) + name.
        let entry = at + 2;
        const listEnd = entry + message.readUInt16BE(at);
        while (entry + 3 <= listEnd) {
          const nameType = message.readUInt8(entry);
          const nameLength = message.readUInt16BE(entry + 1);
          if (nameType === 0) return message.toString('latin1', entry + 3, entry + 3 + nameLength);
          entry += 3 + nameLength;
        }
        return '';
      }
      at += size;
    }
    return '';
  } catch {
    // A truncated message reads past the end: treat it as naming no server.
    return '';
  }
}

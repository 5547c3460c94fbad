// With no gateway responses configured, Gatehouse must answer exactly as the built-in rendering
// does, down to the bytes on the wire, for every gateway response type.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GATEWAY_RESPONSE_TYPES,
  GatewayError,
  renderGatewayError,
  type GatewayResponseType,
} from '../../../src/dataplane/gateway-responses.js';
import {
  compileGatewayResponses,
  type ErrorRenderer,
} from '../../../src/features/gateway-responses/index.js';
import { startErrorServer, type ErrorServer } from './server.js';

const TYPES = Object.keys(GATEWAY_RESPONSE_TYPES) as GatewayResponseType[];

const builtIn: ErrorRenderer = (error) => {
  const rendered = renderGatewayError('REST', error);
  return { statusCode: rendered.status, headers: rendered.headers, body: Buffer.from(rendered.body) };
};

let compiled: ErrorServer;
let reference: ErrorServer;

beforeAll(async () => {
  compiled = await startErrorServer(compileGatewayResponses(undefined));
  reference = await startErrorServer(builtIn);
});
afterAll(async () => {
  await compiled.close();
  await reference.close();
});

/** The whole HTTP response as bytes, minus the Date line (the only part that may differ). */
function rawResponse(port: number, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () =>
      resolve(
        Buffer.concat(chunks)
          .toString('latin1')
          .replace(/\r\nDate: [^\r]*/, ''),
      ),
    );
    socket.on('error', reject);
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.write(`GET /pets/7?q=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${lines.join('')}\r\n`);
  });
}

describe('no gateway responses configured', () => {
  it('covers all 21 gateway response types', () => {
    expect(TYPES).toHaveLength(21);
  });

  const renderer = compileGatewayResponses(undefined);
  const emptyRenderer = compileGatewayResponses({});
  const where = { ctx: undefined, stageVariables: {}, context: {} };

  it.each(TYPES)('%s renders exactly as renderGatewayError, header order included', (type) => {
    for (const error of [
      new GatewayError(type),
      new GatewayError(type, 'Missing required request parameters: [x-header-param, issuer, qs1]'),
      new GatewayError(type, null),
      new GatewayError(type, 'quote " backslash \\ newline \n unicode é ✓'),
    ]) {
      const expected = renderGatewayError('REST', error);
      for (const render of [renderer, emptyRenderer]) {
        const response = render(error, where);
        expect(response.statusCode).toBe(expected.status);
        expect(response.headers).toStrictEqual(expected.headers);
        expect(Object.keys(response.headers)).toStrictEqual(Object.keys(expected.headers));
        expect((response.body as Buffer).toString()).toBe(expected.body);
      }
    }
  });

  it.each(TYPES)('%s is byte-identical on the wire', async (type) => {
    for (const headers of [
      { 'x-raise': type },
      { 'x-raise': type, 'x-message': 'custom', accept: 'text/xml' },
    ]) {
      const [ours, theirs] = await Promise.all([
        rawResponse(compiled.port, headers),
        rawResponse(reference.port, headers),
      ]);
      expect(ours).toBe(theirs);
      expect(ours).toContain(`x-amzn-ErrorType: ${GATEWAY_RESPONSE_TYPES[type].errorType}\r\n`);
    }
  });

  it('renders the AWS-recorded bodies', () => {
    const body = (error: GatewayError) => (renderer(error, where).body as Buffer).toString();
    expect(body(new GatewayError('MISSING_AUTHENTICATION_TOKEN'))).toBe(
      '{"message":"Missing Authentication Token"}',
    );
    expect(body(new GatewayError('AUTHORIZER_CONFIGURATION_ERROR'))).toBe('{"message":null}');
    expect(body(new GatewayError('THROTTLED'))).toBe('{"message":"Too Many Requests"}');
  });

  it('ignores entries that are not gateway response types (problems are reported at deploy)', () => {
    const tolerant = compileGatewayResponses({ NOT_A_TYPE: { statusCode: '418' } });
    const error = new GatewayError('THROTTLED');
    expect(tolerant(error, where).statusCode).toBe(429);
  });
});

// A Lambda Invoke API on port 0: checks SigV4 as Lambda does (unless it plays the Runtime
// Interface Emulator, which checks nothing), runs small JS functions and answers as Lambda
// documents: X-Amz-Function-Error on function errors, API errors as status + x-amzn-ErrorType.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { verifyRequest } from '../../../src/sigv4/index.js';

export type LambdaFunction = (event: unknown) => unknown;

/** Thrown by a function to make the fake answer as the Lambda service itself, not the function. */
export class LambdaApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
    readonly body: Record<string, unknown> = { Type: 'Service', message },
  ) {
    super(message);
  }
}

/** Thrown by a function to report a handled error (X-Amz-Function-Error: Handled). */
export class HandledError extends Error {}

export interface SeenInvocation {
  method: string;
  /** Raw request target. */
  target: string;
  functionName: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface FakeLambdaOptions {
  functions: Record<string, LambdaFunction>;
  /** Keys Lambda accepts; without them requests are not checked (the emulator's behaviour). */
  keys?: Record<string, string>;
}

export interface FakeLambda {
  origin: string;
  seen: SeenInvocation[];
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

const INVOCATIONS = /\/2015-03-31\/functions\/([^/?]+)\/invocations(?:\?|$)/;

export async function startFakeLambda(options: FakeLambdaOptions): Promise<FakeLambda> {
  const seen: SeenInvocation[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const target = req.url ?? '/';
        const send = (status: number, headers: Record<string, string>, payload: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(payload ?? null));
        };
        const apiError = (status: number, errorType: string, payload: Record<string, unknown>) =>
          send(
            status,
            { 'x-amzn-errortype': `${errorType}:http://internal.amazon.com/coral/com.amazonaws.lambda/` },
            payload,
          );

        if (options.keys) {
          const keys = options.keys;
          const verified = await verifyRequest(
            { method: req.method ?? '', path: target, headers: req.headers, body },
            (id) => keys[id],
            { service: 'lambda' },
          );
          if (!verified.ok)
            return apiError(verified.status, verified.errorType, { message: verified.message });
        }
        const match = INVOCATIONS.exec(target);
        if (req.method !== 'POST' || !match?.[1]) return apiError(404, 'UnknownOperationException', {});
        const requested = decodeURIComponent(match[1]);
        // A full or partial ARN names the function in its last `function:` segment.
        const functionName = requested.includes('function:')
          ? (requested.split('function:')[1] ?? '')
          : requested;
        seen.push({ method: req.method, target, functionName, headers: req.headers, body });

        const fn = options.functions[functionName];
        if (!fn) {
          return apiError(404, 'ResourceNotFoundException', {
            Type: 'User',
            Message: `Function not found: arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
          });
        }
        try {
          const event: unknown = body.length > 0 ? JSON.parse(body.toString('utf8')) : null;
          send(200, { 'x-amz-executed-version': '$LATEST' }, await fn(event));
        } catch (error) {
          if (error instanceof LambdaApiError) return apiError(error.status, error.errorType, error.body);
          const failure = error instanceof Error ? error : new Error(String(error));
          send(
            200,
            { 'x-amz-function-error': error instanceof HandledError ? 'Handled' : 'Unhandled' },
            { errorType: failure.name, errorMessage: failure.message, trace: [] },
          );
        }
      })();
    });
  });
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

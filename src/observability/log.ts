// Gatehouse's own operational log: one JSON object per line on stderr, written without
// waiting. (Access logs are a separate, per-stage feature.)
export type Log = (message: string, fields?: Record<string, unknown>) => void;

export function jsonLog(stream: NodeJS.WritableStream = process.stderr): Log {
  return (message, fields) => {
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), msg: message, ...fields })}\n`);
  };
}

export const silentLog: Log = () => {};

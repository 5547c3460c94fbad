// MOCK: no endpoint. The request template's output carries `statusCode`, which selects the
// integration response; that response's template makes the body.
import type { RequestMapping } from '../../features/mapping/request-mapping.js';
import type { IntegrationResponseSelector } from '../../features/mapping/integration-responses.js';
import type { Integration } from './http-proxy.js';

const EMPTY = Buffer.alloc(0);

export function mockIntegration(
  requestMapping: RequestMapping | null,
  select: IntegrationResponseSelector,
): Integration {
  return async (ctx) => {
    let status = '200';
    if (requestMapping) {
      const { body } = await requestMapping(ctx);
      status = statusCodeOf(Buffer.isBuffer(body) ? body.toString('utf8') : '') ?? status;
    }
    return select(status).render(ctx, { body: EMPTY, headers: {} });
  };
}

/** `{"statusCode": 200}` as JSON, or the same pattern inside text that is not quite JSON. */
function statusCodeOf(output: string): string | undefined {
  try {
    const parsed = JSON.parse(output) as { statusCode?: unknown };
    if (typeof parsed.statusCode === 'number' || typeof parsed.statusCode === 'string')
      return String(parsed.statusCode);
  } catch {
    // fall through to the lenient match
  }
  return /"?statusCode"?\s*:\s*"?(\d{3})/.exec(output)?.[1];
}

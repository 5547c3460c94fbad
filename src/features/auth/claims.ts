// JWT claims as `$context.authorizer.claims` shows them: every value a string. The two API
// types render non-string claims differently.

/**
 * HTTP APIs (`requestContext.authorizer.jwt.claims`): numbers and booleans as their text, an
 * array as its items between brackets separated by spaces (`cognito:groups` → `[admin poweruser]`),
 * an object as JSON, and a null claim left out. Matches events captured from AWS.
 */
export function httpApiClaims(claims: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (value === null || value === undefined) continue;
    out[name] = Array.isArray(value) ? `[${value.map(scalarText).join(' ')}]` : scalarText(value);
  }
  return out;
}

/**
 * REST APIs with a Cognito user pool authorizer (`requestContext.authorizer.claims`): `exp`
 * and `iat` as Java renders a date (`Fri Jul 29 18:52:53 UTC 2016`), other numbers and
 * booleans as their text, as in responses captured from AWS. Arrays are rendered as Java
 * renders a list (`[admin, poweruser]`).
 */
export function restClaims(claims: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (value === null || value === undefined) continue;
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') out[name] = javaDate(value);
    else out[name] = Array.isArray(value) ? `[${value.map(scalarText).join(', ')}]` : scalarText(value);
  }
  return out;
}

function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** java.util.Date#toString in UTC: `EEE MMM dd HH:mm:ss zzz yyyy`. */
function javaDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
  );
}

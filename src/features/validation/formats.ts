// The `format` values a model may use, as AWS's draft-4 validator knows them. Formats outside
// this list are not checked (AWS's validator only warns about them), so a model that names
// `date` or `uuid` accepts any string there.
import { isIPv4, isIPv6 } from 'node:net';

/** Format name → check and the text that tells the caller why a string failed it. */
export const FORMATS: Readonly<Record<string, { validate: (value: string) => boolean; describe: string }>> = {
  'date-time': {
    validate: isDateTime,
    describe: `is invalid against requested date format(s) [yyyy-MM-dd'T'HH:mm:ssZ, yyyy-MM-dd'T'HH:mm:ss.[0-9]{1,12}Z]`,
  },
  email: { validate: isEmail, describe: 'is not a valid email address' },
  hostname: { validate: isHostname, describe: 'is not a valid hostname' },
  ipv4: { validate: isIPv4, describe: 'is not a valid IPv4 address' },
  ipv6: { validate: isIPv6, describe: 'is not a valid IPv6 address' },
  uri: { validate: isUri, describe: 'is not a valid URI' },
  regex: { validate: isRegex, describe: 'is not a valid ECMA 262 regular expression' },
};

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,12})?(?:Z|[+-](\d{2}):?(\d{2}))$/i;

// Calendar-checked like the Joda parser AWS uses: 2021-02-30 is not a date, and there is no
// leap second.
function isDateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return false;
  return true;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const EMAIL = new RegExp(
  `^(?:${ATOM}(?:\\.${ATOM})*|"(?:[^"\\\\\\r\\n]|\\\\.)*")@(?:[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*|\\[[^\\][\\\\\\r\\n]*\\])$`,
);

function isEmail(value: string): boolean {
  return EMAIL.test(value);
}

const LABEL = /^[\p{L}\p{N}_-]{1,63}$/u;

function isHostname(value: string): boolean {
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  return labels.every(
    (label, i) =>
      LABEL.test(label) &&
      !label.startsWith('-') &&
      !label.endsWith('-') &&
      (i < labels.length - 1 || !/^\d/.test(label)),
  );
}

// A URI reference as java.net.URI accepts it: no spaces, controls or the characters RFC 2396
// excludes, well-formed percent escapes, at most one fragment.
const URI_CHAR = String.raw`(?:[^\s\p{Cc}"<>\\^\x60{|}%#]|%[0-9A-Fa-f]{2})`;
const URI_REFERENCE = new RegExp(`^${URI_CHAR}*(?:#${URI_CHAR}*)?$`, 'u');

function isUri(value: string): boolean {
  return value.length > 0 && URI_REFERENCE.test(value);
}

function isRegex(value: string): boolean {
  try {
    new RegExp(value);
    return true;
  } catch {
    return false;
  }
}

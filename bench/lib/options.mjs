// Command-line options: whole numbers within bounds, --json and --help. Wrong usage prints the
// problem and the usage text and exits 2; --help prints the usage and exits 0.
import { parseArgs } from 'node:util';
import { pinnedCores } from './pinning.mjs';

/**
 * `integers` maps each option name to `{ default, min, max, key? }`; the result has one entry
 * per option, in that order (under `key` when given), then `json`.
 *
 * @param {string} usage
 * @param {Record<string, {default: number, min: number, max: number, key?: string}>} integers
 */
export function readOptions(usage, integers) {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        ...Object.fromEntries(
          Object.entries(integers).map(([name, spec]) => [
            name,
            { type: 'string', default: String(spec.default) },
          ]),
        ),
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`${error.message}\n\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const options = {};
  for (const [name, { min, max, key = name }] of Object.entries(integers)) {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min || n > max) {
      process.stderr.write(`--${name} must be a whole number from ${min} to ${max}\n\n${usage}`);
      process.exit(2);
    }
    options[key] = n;
  }
  options.json = values.json;
  return options;
}

/**
 * The options of every wrk benchmark (--duration, --rounds, --warmup, --connections) with their
 * bounds, then the benchmark's own `more`; `rounds` is the default number of rounds.
 *
 * @param {string} usage
 * @param {{rounds?: number, more?: Parameters<typeof readOptions>[1]}} [spec]
 */
export const readMeasurementOptions = (usage, { rounds = 3, more = {} } = {}) =>
  readOptions(usage, {
    duration: { default: 10, min: 1, max: 3600 },
    rounds: { default: rounds, min: 1, max: 100 },
    warmup: { default: 3, min: 0, max: 600 },
    connections: { default: 64, min: 1, max: 10_000 },
    ...more,
  });

/**
 * The settings a report states: the measurement options, the benchmark's own `extra` after the
 * connections, and the cores.
 */
export const measurementSettings = ({ duration, rounds, connections, warmup }, extra = {}) => ({
  duration,
  rounds,
  connections,
  ...extra,
  warmupSeconds: warmup,
  ...pinnedCores(),
});

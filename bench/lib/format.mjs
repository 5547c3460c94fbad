// Formatting for the text report: figures, aligned tables and the warnings list.

export const fmtRps = (n) => (n === null ? '-' : Math.round(n).toLocaleString('en-US'));
export const fmtMs = (n) => (n === null ? '-' : `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms`);
export const fmtUs = (n) => (n === null ? '-' : `${Math.round(n)} µs`);
export const fmtPct = (n) => (n === null || n === undefined ? '-' : `${Math.round(n * 100)}%`);
export const fmtRatio = (n) => (n === null ? '-' : `${n.toFixed(2)}x`);
export const verdict = (met) => (met ? 'met' : 'MISSED');
/** CPU time a feature adds per request (or saves: negative). */
export const fmtSignedUs = (n) => (n === null ? '-' : `${n >= 0 ? '+' : ''}${fmtUs(n)}`);
/** The ratios of each alternating round. */
export const fmtRoundRatios = (ratios) =>
  `per round: ${ratios.map((r) => (r === null ? '-' : r.toFixed(2))).join(', ')}`;

/** Where the report's processes ran: `onLoadCore` names those sharing the load core. */
export const pinningLine = ({ proxyCore, loadCore }, onLoadCore) =>
  proxyCore === null ? 'unpinned' : `Gatehouse on core ${proxyCore}; ${onLoadCore} on core ${loadCore}`;

/** Rows of cells as an indented table: the first column left-aligned, the others right-aligned. */
export function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i])))
        .join('   ')
        .trimEnd(),
    )
    .map((line) => `  ${line}`)
    .join('\n');
}

/** The header of a per-target table of summaries (see summaryRow). */
export const summaryHeader = (proxyCore, cpuLabel = 'proxy CPU') => [
  'target',
  'req/s',
  'p50',
  'p99',
  cpuLabel,
  'CPU/request',
  `others on core ${proxyCore}`,
  'errors',
];

/** One target's summary as a table row; CPU columns only for the server under test. */
export const summaryRow = (name, s, isProxy) => [
  name,
  fmtRps(s.rps),
  fmtMs(s.p50Ms),
  fmtMs(s.p99Ms),
  isProxy ? fmtPct(s.targetCpu) : '-',
  isProxy ? fmtUs(s.cpuUsPerRequest) : '-',
  isProxy ? fmtPct(s.othersOnProxyCore) : '-',
  s.errors ? `${s.errors} (!)` : '0',
];

/** The report's closing lines: a Warnings section when there are any, then a blank line. */
export function warningLines(warnings) {
  const lines = [];
  if (warnings.length) {
    lines.push('', 'Warnings');
    for (const warning of warnings) lines.push(`  - ${warning.replace(/\n/g, '\n    ')}`);
  }
  lines.push('');
  return lines;
}

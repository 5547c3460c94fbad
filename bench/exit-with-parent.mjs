// Preloaded (`node --import ./bench/exit-with-parent.mjs ...`) into every server the benchmark
// starts: the process exits as soon as its stdin, a pipe from bench/proxy.mjs, closes. That
// happens when the benchmark ends in any way, including being killed with SIGKILL, so no
// server outlives it. The handle is idle while requests are served.
process.stdin.on('close', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();

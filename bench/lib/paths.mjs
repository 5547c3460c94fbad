// Where things are: the repository root and the benchmark's own scripts.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A file in bench/, e.g. benchFile('upstream.mjs'). */
export const benchFile = (name) => join(ROOT, 'bench', name);

// Measurements with a progress line each: warm-ups, and targets measured in alternating rounds
// so that a drift in the machine's speed does not favour any of them.
import { progress } from './progress.mjs';
import { wrk } from './wrk.mjs';

/** One wrk run against `target`, announced as `label: target`. */
export async function measure(target, label, settings) {
  progress(`${label}: ${target.name}`);
  return wrk(target, settings);
}

/** A run of `seconds` whose figures are thrown away, so the JIT has compiled the hot path. */
export async function warmUp(target, seconds, settings) {
  if (seconds > 0) await measure(target, `warm-up ${seconds} s`, { ...settings, duration: seconds });
}

/**
 * `rounds` rounds of both targets in ABBA order (first, second, second, first, …); resolves
 * with the runs of each, in round order.
 */
export async function alternateRounds([first, second], rounds, label, settings) {
  const runs = new Map([
    [first, []],
    [second, []],
  ]);
  for (let index = 0; index < rounds; index++) {
    const order = index % 2 === 0 ? [first, second] : [second, first];
    for (const target of order) {
      runs
        .get(target)
        .push(
          await measure(target, `${label} round ${index + 1}/${rounds}, ${settings.duration} s`, settings),
        );
    }
  }
  return [runs.get(first), runs.get(second)];
}

/**
 * `rounds` rounds of any number of targets, in the given order in odd rounds and the reverse
 * order in even ones (A B C, C B A, A B C, …), so that neighbours in the list take turns going
 * first. `settingsOf(target)` gives each target's wrk settings. Resolves with the runs of each
 * target, in the targets' order and round order.
 *
 * @template T
 * @param {T[]} targets
 * @param {number} rounds
 * @param {string} label
 * @param {(target: T) => {duration: number, connections: number, script?: string | null}} settingsOf
 */
export async function alternateAll(targets, rounds, label, settingsOf) {
  const runs = new Map(targets.map((target) => [target, []]));
  for (let index = 0; index < rounds; index++) {
    const order = index % 2 === 0 ? targets : [...targets].reverse();
    for (const target of order) {
      const settings = settingsOf(target);
      runs
        .get(target)
        .push(
          await measure(target, `${label} round ${index + 1}/${rounds}, ${settings.duration} s`, settings),
        );
    }
  }
  return targets.map((target) => runs.get(target));
}

/**
 * Every target warmed up for `warmup` seconds, in order, then measured in `rounds` alternating
 * rounds (see alternateAll); resolves with the runs of each target, in the targets' order.
 *
 * @template T
 * @param {T[]} targets
 * @param {{warmup: number, rounds: number}} counts
 * @param {(target: T) => {duration: number, connections: number, script?: string | null}} settingsOf
 */
export async function warmUpAndAlternate(targets, { warmup, rounds }, settingsOf) {
  for (const target of targets) await warmUp(target, warmup, settingsOf(target));
  return alternateAll(targets, rounds, 'peak', settingsOf);
}

/** Each run of each target as [`name (round n)`, run], for the checks in disturbance.mjs. */
export const labelRuns = (targets, runs) =>
  targets.flatMap((target, j) => runs[j].map((r, i) => [`${target.name} (round ${i + 1})`, r]));

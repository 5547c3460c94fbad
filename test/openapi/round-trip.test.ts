// Import → export → import gives the same API, for every fixture in the folder, through both
// serialisations. A new fixture is covered by adding the file.
import { describe, expect, it } from 'vitest';
import { exportOpenApi, serializeDocument } from '../../src/openapi/export.js';
import { importOpenApi } from '../../src/openapi/import.js';
import { parseDocument } from '../../src/openapi/parse.js';
import { importFixture, normalizeApi, validFixtureNames } from './helpers.js';

const fixtures = validFixtureNames();

function subjects(warnings: string[]): string[] {
  return [...new Set(warnings.map((line) => line.split(': ').slice(1).join(': ')))].sort();
}

describe('OpenAPI round trip', () => {
  it('has fixtures to run over', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
  });

  for (const name of fixtures) {
    describe(name, () => {
      it('re-imports its own export to the same API', async () => {
        const { api } = await importFixture(name);
        const again = importOpenApi(exportOpenApi(api)).api;
        expect(normalizeApi(again)).toEqual(normalizeApi(api));
      });

      for (const format of ['json', 'yaml'] as const) {
        it(`survives serialisation as ${format}`, async () => {
          const { api } = await importFixture(name);
          const text = serializeDocument(exportOpenApi(api), format);
          const again = importOpenApi(parseDocument(text, `export.${format}`)).api;
          expect(normalizeApi(again)).toEqual(normalizeApi(api));
        });
      }

      it('exports the same document twice in a row', async () => {
        const { api } = await importFixture(name);
        const first = exportOpenApi(api);
        const second = exportOpenApi(importOpenApi(first).api);
        expect(second).toEqual(first);
      });

      it('warns about the same things on re-import', async () => {
        const { api, warnings } = await importFixture(name);
        const again = importOpenApi(exportOpenApi(api));
        // Pointers may move (a document-wide default is written on each operation); subjects stay.
        expect(subjects(again.warnings)).toEqual(subjects(warnings));
      });
    });
  }
});

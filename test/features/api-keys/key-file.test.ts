// AWS's API key file format, with the examples from the API Gateway developer guide
// ("API Gateway API key file format").
import { describe, expect, it } from 'vitest';
import { KeyFileError, parseKeyFile } from '../../../src/features/api-keys/index.js';

const VALUE = 'apikey1234abcdefghij0123456789';

describe('parseKeyFile', () => {
  it('reads the Key and Name columns in any order and letter case', () => {
    expect(parseKeyFile(`Key,name\n${VALUE},MyFirstApiKey\n`)).toEqual({
      entries: [{ line: 2, name: 'MyFirstApiKey', value: VALUE, enabled: true, usagePlanIds: [] }],
      warnings: [],
    });
  });

  it('reads Description, Enabled and one usage plan id', () => {
    const text = `Name,key,description,Enabled,usageplanIds\nMyFirstApiKey,${VALUE},An imported key,TRUE,c7y23b\n`;

    expect(parseKeyFile(text).entries).toEqual([
      {
        line: 2,
        name: 'MyFirstApiKey',
        value: VALUE,
        description: 'An imported key',
        enabled: true,
        usagePlanIds: ['c7y23b'],
      },
    ]);
  });

  it('reads several usage plan ids from a double- or single-quoted field', () => {
    const doubled = `Enabled,Name,key,UsageplanIds\ntrue,MyFirstApiKey,${VALUE},"c7y23b,glvrsr"\n`;
    const single = `Enabled,Name,key,UsageplanIds\ntrue,MyFirstApiKey,${VALUE},'c7y23b, glvrsr'\n`;

    expect(parseKeyFile(doubled).entries[0]?.usagePlanIds).toEqual(['c7y23b', 'glvrsr']);
    expect(parseKeyFile(single).entries[0]?.usagePlanIds).toEqual(['c7y23b', 'glvrsr']);
  });

  it('defaults Enabled to true and leaves out an empty Description; reads false in any case', () => {
    const text = `name,key,enabled,description\na,${'a'.repeat(20)},,\nb,${'b'.repeat(20)},FALSE,\nc,${'c'.repeat(20)},false,x\n`;

    expect(parseKeyFile(text).entries).toEqual([
      { line: 2, name: 'a', value: 'a'.repeat(20), enabled: true, usagePlanIds: [] },
      { line: 3, name: 'b', value: 'b'.repeat(20), enabled: false, usagePlanIds: [] },
      { line: 4, name: 'c', value: 'c'.repeat(20), enabled: false, description: 'x', usagePlanIds: [] },
    ]);
  });

  it('ignores columns it does not know', () => {
    const text = `Owner,Name,Key,Notes\nalice,alpha,${VALUE},"a, b"\n`;

    expect(parseKeyFile(text).entries).toEqual([
      { line: 2, name: 'alpha', value: VALUE, enabled: true, usagePlanIds: [] },
    ]);
  });

  it('lets a later row for the same value replace an earlier one', () => {
    const text = `Name,Key,Enabled\nfirst,${VALUE},true\nother,${'o'.repeat(20)},true\nsecond,${VALUE},false\n`;

    expect(parseKeyFile(text).entries).toEqual([
      { line: 3, name: 'other', value: 'o'.repeat(20), enabled: true, usagePlanIds: [] },
      { line: 4, name: 'second', value: VALUE, enabled: false, usagePlanIds: [] },
    ]);
  });

  it('skips a row with a bad value or Enabled, with AWS’s message and the line', () => {
    const text = [
      'Name,Key,Enabled',
      'short,tooshort,true',
      `long,${'l'.repeat(129)},true`,
      'empty,,true',
      `maybe,${VALUE},maybe`,
      `${'n'.repeat(1025)},${'m'.repeat(20)},true`,
      `good,${'g'.repeat(20)},true`,
    ].join('\n');

    const parsed = parseKeyFile(text);

    expect(parsed.entries.map((entry) => entry.name)).toEqual(['good']);
    expect(parsed.warnings).toEqual([
      'line 2: API Key value should be at least 20 characters',
      'line 3: API Key value exceeds maximum size of 128 characters',
      'line 4: the Key field is empty',
      'line 5: Enabled must be true or false, not "maybe"',
      'line 6: Invalid API Key name, can be at most 1024 characters.',
    ]);
  });

  it('copes with CRLF line ends, a byte order mark, blank lines, spaces and doubled quotes', () => {
    const text = `\uFEFF Name , Key \r\n\r\n"He said ""hi"", twice" , ${VALUE} \r\n`;

    expect(parseKeyFile(text).entries).toEqual([
      { line: 3, name: 'He said "hi", twice', value: VALUE, enabled: true, usagePlanIds: [] },
    ]);
  });

  it('leaves out an empty name', () => {
    expect(parseKeyFile(`Name,Key\n,${VALUE}`).entries).toEqual([
      { line: 2, value: VALUE, enabled: true, usagePlanIds: [] },
    ]);
  });

  it('refuses a file without the Name or Key column, or an empty one', () => {
    expect(() => parseKeyFile(`Key,Description\n${VALUE},x\n`)).toThrow(KeyFileError);
    expect(() => parseKeyFile(`Key,Description\n${VALUE},x\n`)).toThrow(/missing Name$/);
    expect(() => parseKeyFile('Value,Label\n')).toThrow(/missing Name and Key$/);
    expect(() => parseKeyFile('')).toThrow(/the file is empty/);
    expect(() => parseKeyFile('Name,Key,name\n')).toThrow(/the column name appears twice/);
  });

  it('refuses a quoted field that never closes, or text after a closing quote', () => {
    expect(() => parseKeyFile(`Name,Key\n"open,${VALUE}\n`)).toThrow(
      /line 2: a quoted field is never closed/,
    );
    expect(() => parseKeyFile(`Name,Key\n"a"b,${VALUE}\n`)).toThrow(
      /line 2: unexpected text after a quoted field/,
    );
  });
});

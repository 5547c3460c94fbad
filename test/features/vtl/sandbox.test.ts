// A template can only reach the values Gatehouse hands it: no JavaScript prototype,
// constructor, global, process or module is reachable through any property or method.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render, renderBody, templateError } from './helpers.js';

const CANARY = 'canary-5c1e0b7d';
const globals = globalThis as { __gatehouseCanary?: string };

beforeAll(() => {
  globals.__gatehouseCanary = CANARY;
});
afterAll(() => {
  delete globals.__gatehouseCanary;
});

/** Renders, accepting a TemplateError as a safe outcome; returns the output or null. */
function attempt(template: string, body = '{}'): string | null {
  try {
    return render(template, {
      body,
      context: { requestId: 'r', identity: { sourceIp: '192.0.2.1' } },
      stageVariables: { env: 'dev' },
    });
  } catch (error) {
    templateError(() => {
      throw error;
    });
    return null;
  }
}

const escapes = [
  '$input.class',
  '$input.getClass()',
  '$input.class.forName("java.lang.Runtime").getRuntime().exec("id")',
  '$input.constructor',
  "$input.constructor.constructor('return process')()",
  "#set($f = $input.constructor.constructor('return globalThis'))$f.call()",
  '$util.__proto__',
  "$util['__proto__']",
  "$util['constructor']['constructor']('return process')",
  '#set($s = "")$s.constructor $s.constructor.name $s.__proto__',
  '$context.getClass()',
  '$context.constructor.prototype',
  "$context['constructor']",
  "$context.hasOwnProperty('requestId') $context.__lookupGetter__('requestId')",
  '$context.toString.call',
  '$stageVariables.constructor $stageVariables.valueOf()',
  '#foreach($x in [1])$foreach.constructor $foreach.getClass()#end',
  '#set($l = [1])$l.constructor $l.map $l.push(2) $l.concat([3]) $l',
  '#set($m = {})$m.constructor $m.entries $m.__defineGetter__("x", $m)',
  '$__gatehouseCanary $globalThis.__gatehouseCanary $global.__gatehouseCanary $this $self $window',
  '$process.env $process.mainModule.require("fs") $require("child_process") $module $exports $import',
  '$Function("return 1") $eval("1+1") $Object.prototype $Array.from([1])',
  '#set($n = 1)$n.constructor $n.toFixed(2) $n.valueOf()',
  '#set($b = true)$b.constructor',
  '#define($d)x#end$d.constructor $d.renderBlock',
  '$input.params().header.constructor $input.params().constructor',
];

describe('sandbox', () => {
  it.each(escapes)('%s reaches nothing', (template) => {
    const output = attempt(template);
    if (output !== null) {
      expect(output).not.toContain(CANARY);
      expect(output).not.toContain(process.version);
      expect(output).not.toContain(process.cwd());
      expect(output).not.toMatch(/native code|\[object [A-Z]|=>/);
    }
  });

  it('prints exactly what plain data would', () => {
    expect(render("$input.constructor.constructor('return process')()")).toBe('()');
    expect(render('$util.__proto__')).toBe('.__proto__');
    expect(render('#set($l = [1])$l.push(2)$l.concat([3])$l')).toBe('[1]');
  });

  it('cannot read or change globals through variables of the same name', () => {
    expect(attempt('#set($__gatehouseCanary = "changed")$__gatehouseCanary')).toBe('changed');
    expect(attempt(`#set($globalThis = {})#set($globalThis['__gatehouseCanary'] = "changed")`)).toBe('');
    expect(globals.__gatehouseCanary).toBe(CANARY);
  });

  it('treats JSON keys like __proto__ and constructor as plain data, without polluting prototypes', () => {
    const body = '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}';
    expect(
      renderBody(
        "$input.path('$').get('__proto__').polluted $input.path('$.constructor.prototype.polluted') $input.path(\"$['__proto__']\")",
        body,
      ),
    ).toBe('yes yes {polluted=yes}');
    expect(render('#set($o = $util.parseJson(\'{"__proto__":{"polluted":1}}\'))$o.keySet()')).toBe(
      '[__proto__]',
    );
    expect(render("#set($m = {})#set($x = $m.put('__proto__', 1))#set($m['constructor'] = 2)$m")).toBe(
      '{__proto__=1, constructor=2}',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('does not look regex class names up on a JavaScript object', () => {
    expect(templateError(() => render("#set($s = 'a')$s.replaceAll('\\p{constructor}', 'x')")).kind).toBe(
      'runtime',
    );
    expect(templateError(() => render("#set($s = 'a')$s.matches('\\p{toString}')")).kind).toBe('runtime');
  });

  it('does not expose inherited members of the maps it is given', () => {
    expect(
      render('[$context.toString] [$context.hasOwnProperty] [$stageVariables.constructor]', { context: {} }),
    ).toBe('[] [] []');
  });

  it('has no #include, #parse or #evaluate to reach files or evaluate strings', () => {
    for (const directive of ['#include("/etc/passwd")', '#parse("/etc/passwd")', '#evaluate("$x")']) {
      expect(templateError(() => render(directive)).kind).toBe('syntax');
    }
  });
});

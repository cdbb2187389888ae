import fs from 'node:fs';
import path from 'node:path';
import { DevfileSchemaValidator } from './DevfileSchemaValidator';
import { parseDevfile } from './parseDevfile';
import { defaultEditorTemplate } from '../../model/defaultEditor';

const golden = fs.readFileSync(path.join(__dirname, '../../__fixtures__/goldenpath-python.yaml'), 'utf8');
const validator = new DevfileSchemaValidator();

describe('parseDevfile', () => {
  it('parses a devfile', () => {
    expect(parseDevfile(golden).schemaVersion).toBe('2.2.2');
  });

  it('refuses an alias bomb', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    ].join('\n');
    expect(() => parseDevfile(bomb)).toThrow(/not valid YAML/);
  });

  it('accepts the core schema tags spelled out', () => {
    expect(parseDevfile('schemaVersion: !!str 2.2.2\nn: !!int 3\n')).toEqual({ schemaVersion: '2.2.2', n: 3 });
  });

  it.each([
    ['a list', '- a\n- b\n', /must be a YAML mapping/],
    ['a scalar', 'just text', /must be a YAML mapping/],
    ['broken YAML', 'a: [1, 2\nb: {', /not valid YAML/],
    ['two documents', 'a: 1\n---\nb: 2\n', /not valid YAML/],
    ['duplicate keys', 'a: 1\na: 2\n', /not valid YAML/],
    ['a !!js/function tag', 'a: !!js/function "x"\n', /^Invalid devfile: custom YAML tag '!!js\/function' is not allowed$/],
    ['a local tag', 'a:\n  b: !foo bar\n', /custom YAML tag '!foo'/],
    ['a tag on the root', '!foo\na: 1\n', /custom YAML tag '!foo'/],
    ['a YAML 1.1 tag', 'a: !!binary aGk=\n', /custom YAML tag '!!binary'/],
    ['a verbatim tag', 'a: !<tag:example.com,2000:x> 1\n', /custom YAML tag 'tag:example\.com,2000:x'/],
  ])('refuses %s', (_what, text, message) => {
    expect(() => parseDevfile(text)).toThrow(message);
  });
});

describe('DevfileSchemaValidator', () => {
  it('supports the bundled 2.2.x and 2.3.0 schemas', () => {
    expect(validator.supportedVersions).toEqual(expect.arrayContaining(['2.2.0', '2.2.1', '2.2.2', '2.3.0']));
  });

  it('accepts the golden-path devfile and the default editor', () => {
    expect(validator.validate(parseDevfile(golden))).toEqual({ schemaVersion: '2.2.2' });
    expect(validator.validate(parseDevfile(defaultEditorTemplate))).toEqual({ schemaVersion: '2.3.0' });
  });

  it('requires schemaVersion', () => {
    expect(() => validator.validate({ metadata: { name: 'x' } })).toThrow(/schemaVersion is required/);
  });

  it('lists the supported versions for others', () => {
    expect(() => validator.validate({ schemaVersion: '1.0.0' })).toThrow(
      /unsupported schemaVersion '1\.0\.0'; supported versions are .*2\.2\.2.*2\.3\.0/,
    );
  });

  it('explains schema violations with path and rule', () => {
    const devfile = parseDevfile(golden);
    delete (devfile.components as any[])[0].container.image;
    (devfile as any).unknownTopLevel = true;
    let error: any;
    try {
      validator.validate(devfile);
    } catch (e) {
      error = e;
    }
    expect(error.message).toBe('Invalid devfile: it does not match the Devfile 2.2.2 schema');
    expect(error.details).toEqual(
      expect.arrayContaining([
        { path: '(root)', message: "unknown property 'unknownTopLevel'", rule: 'additionalProperties' },
        { path: 'components[0].container', message: "missing required property 'image'", rule: 'required' },
      ]),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { cleanFormData, duplicateOf, withoutNulls, errorSchemaFor, formSchema, uiSchemaFor, type JsonSchema } from './forms';

const datastore: JsonSchema = {
  type: 'object',
  required: ['name', 'engine_name'],
  properties: {
    name: { type: 'string' },
    engine_name: { type: 'string' },
    concurrency: { type: ['integer', 'null'], default: 1 },
    args: { type: 'object', properties: { bucket: { type: 'string' }, password: { type: 'string', 'x-dart-secret': true } } },
    extra_data: { type: ['object', 'null'] },
    user_id: { type: ['string', 'null'] },
  },
};

describe('formSchema', () => {
  it('keeps only the form fields, in order, with nullable types narrowed', () => {
    const s = formSchema(datastore, ['concurrency', 'name', 'args', 'missing']);
    expect(Object.keys(s.properties!)).toEqual(['concurrency', 'name', 'args']);
    expect(s.properties!.concurrency.type).toBe('integer');
    expect(s.required).toEqual(['name']);
  });
  it('leaves out fields chosen elsewhere on the page', () => {
    const s = formSchema(datastore, ['name', 'engine_name'], ['engine_name']);
    expect(Object.keys(s.properties!)).toEqual(['name']);
    expect(s.required).toEqual(['name']);
  });
});

describe('uiSchemaFor', () => {
  it('draws secrets as password inputs and free objects as JSON', () => {
    const ui = uiSchemaFor(formSchema(datastore, ['args', 'extra_data']));
    expect(ui.args).toEqual({ password: { 'ui:widget': 'password' } });
    expect(ui.extra_data).toEqual({ 'ui:field': 'json' });
  });
});

describe('errorSchemaFor', () => {
  it('puts a message on the field its pointer names, under data', () => {
    expect(errorSchemaFor('/data/args/bucket', '/data/args/bucket: required property missing')).toEqual({
      args: { bucket: { __errors: ['required property missing'] } },
    });
  });
  it('unescapes pointer segments', () => {
    expect(errorSchemaFor('/data/a~1b', 'bad')).toEqual({ 'a/b': { __errors: ['bad'] } });
  });
  it('puts a message without a pointer on the form itself', () => {
    expect(errorSchemaFor(null, 'name already exists')).toEqual({ __errors: ['name already exists'] });
  });
});

describe('withoutNulls', () => {
  it('drops nulls at every depth, keeping the rest', () => {
    expect(withoutNulls({ a: null, b: { c: null, d: 1 }, e: [null, { f: null, g: 'x' }], h: 0 })).toEqual({ b: { d: 1 }, e: [{ g: 'x' }], h: 0 });
  });
});

describe('cleanFormData and duplicateOf', () => {
  it('drops empty strings', () => {
    expect(cleanFormData({ name: 'x', host: '', port: 0 })).toEqual({ name: 'x', port: 0 });
  });
  it('copies editable fields and renames', () => {
    expect(duplicateOf({ name: 'a', state: 'ACTIVE', user_id: 'u' }, ['name', 'state'])).toEqual({ name: 'a-copy', state: 'ACTIVE' });
  });
});

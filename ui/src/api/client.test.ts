import { describe, expect, it } from 'vitest';
import { apiUrl, pointerOf } from './client';
import { parseCredentials } from '../auth/credentials';

describe('pointerOf', () => {
  it('reads the JSON pointer a validation message starts with', () => {
    expect(pointerOf('/data/args/bucket: required property missing')).toBe('/data/args/bucket');
    expect(pointerOf('/data: must be an object')).toBe('/data');
  });
  it('answers null for messages about no field', () => {
    expect(pointerOf('workflow X is not ACTIVE')).toBeNull();
  });
});

describe('apiUrl', () => {
  it('puts the path under /api/1 and drops empty parameters', () => {
    expect(apiUrl('/workflow', { limit: 20, offset: 0, filters: '', order_by: undefined })).toBe('/api/1/workflow?limit=20&offset=0');
  });
});

describe('parseCredentials', () => {
  it('accepts key:secret and trims it', () => {
    expect(parseCredentials('  abc:def ')).toBe('abc:def');
  });
  it('refuses text without both parts', () => {
    expect(parseCredentials('abc')).toBeNull();
    expect(parseCredentials(':def')).toBeNull();
    expect(parseCredentials('abc:')).toBeNull();
    expect(parseCredentials('a b:c')).toBeNull();
  });
});

import { MAX_DEPTH, unstorable } from './request-guard.middleware';

describe('unstorable', () => {
  const nest = (depth: number): unknown => {
    let value: unknown = 'leaf';
    for (let i = 0; i < depth; i++) value = { a: value };
    return value;
  };

  it.each([
    ['plain text, CJK and a paired surrogate (emoji)', { name: '康拓索 GmbH 😀', tabs: 'a\tb\nc' }],
    ['numbers, booleans, nulls, arrays', { n: 1, b: true, z: null, list: [1, 'two', { three: 3 }] }],
    ['nothing at all', undefined],
    [`nesting of exactly ${MAX_DEPTH} levels`, nest(MAX_DEPTH - 1)],
  ])('lets through %s', (_what, value) => {
    expect(unstorable(value, 'body')).toBeNull();
  });

  it.each([
    ['a NUL in a nested value', { applicant: { name: 'a\u0000b' } }, 'body.applicant.name'],
    ['a NUL in an array element', { reasons: ['ok', '\u0000'] }, 'body.reasons[1]'],
    ['a lone high surrogate', { reason: 'x\ud800' }, 'body.reason'],
    ['a lone low surrogate', { reason: '\udc00x' }, 'body.reason'],
    ['surrogates in the wrong order', { reason: '\udc00\ud800' }, 'body.reason'],
    ['a NUL in a key', { 'a\u0000': 1 }, 'body'],
    ['nesting past the limit', nest(MAX_DEPTH + 1), expect.stringMatching(/^body(\.a)+$/)],
    ['very deep nesting, without overflowing the stack', nest(100_000), expect.stringMatching(/^body/)],
  ])('refuses %s', (_what, value, field) => {
    expect(unstorable(value, 'body')).toEqual({ field, message: expect.any(String) });
  });
});

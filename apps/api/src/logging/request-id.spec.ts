/**
 * @roadmap observability.logging, testing.unit
 * Look at which incoming request ids are kept and which are replaced by a fresh UUID.
 */
import { isSaneRequestId, requestIdFor } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids', () => {
  it.each(['abc', 'f0c1e6d2-7d43-4c4b-9a1e-2a2b7d1c9e10', '01HZX3K9Q4W7T8', 'lb.node-2_17', 'a'.repeat(128)])(
    'keeps %s',
    (id) => {
      expect(isSaneRequestId(id)).toBe(true);
      expect(requestIdFor({ headers: { 'x-request-id': id } })).toBe(id);
    },
  );

  it.each([
    ['empty', ''],
    ['too long', 'a'.repeat(129)],
    ['a space', 'abc def'],
    ['a newline (a forged log line)', 'abc\n{"level":"error"}'],
    ['quotes and braces', '"},{"admin":true'],
    ['non-ASCII', 'idé'],
  ])('replaces one with %s by a fresh UUID', (_what, id) => {
    expect(isSaneRequestId(id)).toBe(false);
    expect(requestIdFor({ headers: { 'x-request-id': id } })).toMatch(UUID);
  });

  it('makes one when there is none, and a different one each time', () => {
    const first = requestIdFor({ headers: {} });
    expect(first).toMatch(UUID);
    expect(requestIdFor({ headers: {} })).not.toBe(first);
  });

  it('replaces a header sent twice (Node joins or lists it) rather than picking one', () => {
    expect(requestIdFor({ headers: { 'x-request-id': ['a', 'b'] as unknown as string } })).toMatch(UUID);
  });
});

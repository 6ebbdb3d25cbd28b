/**
 * @roadmap security.rate-limiting, internet.tcp-ip
 * Look at what a "client" is for a limit: an IPv4 address, but a whole IPv6 /64 network, because
 * one subscriber is usually handed a /64 and could otherwise rotate through 2^64 addresses, each
 * with a fresh budget.
 */
import { isIPv4, isIPv6 } from 'node:net';

/**
 * The bucket a request's address counts against: `203.0.113.7`, `2001:db8:1:2::/64`. An IPv4
 * address mapped into IPv6 (`::ffff:203.0.113.7`, what a dual-stack socket reports) is the IPv4
 * address. Anything unparsable is its own bucket, unchanged.
 */
export function clientBucket(address: string): string {
  const withoutZone = address.split('%')[0];
  if (isIPv4(withoutZone)) return withoutZone;
  if (!isIPv6(withoutZone)) return address;
  const groups = expandIPv6(withoutZone);
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (mapped) return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** `2001:db8::1` -> eight 16-bit numbers; a trailing dotted IPv4 part counts as two groups. */
function expandIPv6(address: string): number[] {
  const toGroups = (part: string): number[] => {
    if (part === '') return [];
    return part.split(':').flatMap((group) => {
      if (!group.includes('.')) return [parseInt(group, 16)];
      const [a, b, c, d] = group.split('.').map(Number);
      return [(a << 8) | b, (c << 8) | d];
    });
  };
  const [head, tail] = address.split('::');
  const left = toGroups(head);
  const right = tail === undefined ? [] : toGroups(tail);
  const zeros = new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right];
}

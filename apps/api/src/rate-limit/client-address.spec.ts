/**
 * @roadmap testing.unit, internet.tcp-ip
 * Look at which addresses share a rate-limit budget: one IPv4 address, a whole IPv6 /64, and an
 * IPv4 address however the socket happened to spell it.
 */
import { clientBucket } from './client-address';

describe('clientBucket', () => {
  it.each([
    ['an IPv4 address', '203.0.113.7', '203.0.113.7'],
    ['an IPv4-mapped IPv6 address (a dual-stack socket)', '::ffff:203.0.113.7', '203.0.113.7'],
    ['an IPv4-mapped address in hex', '::ffff:cb00:7107', '203.0.113.7'],
    ['IPv6 loopback', '::1', '0:0:0:0::/64'],
    ['an IPv6 address', '2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['another address in the same /64', '2001:db8:1:2:ffff::1', '2001:db8:1:2::/64'],
    ['a compressed IPv6 address', '2001:db8::1', '2001:db8:0:0::/64'],
    ['an IPv6 address with a zone', 'fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['an IPv6 address ending in dotted IPv4', '64:ff9b::198.51.100.1', '64:ff9b:0:0::/64'],
    ['something that is not an address', 'unknown', 'unknown'],
  ])('%s', (_label, address, bucket) => {
    expect(clientBucket(address)).toBe(bucket);
  });

  it('gives addresses in different /64 networks different buckets', () => {
    expect(clientBucket('2001:db8:1:2::1')).not.toBe(clientBucket('2001:db8:1:3::1'));
  });
});

import { describe, expect, it } from 'vitest';
import { parseHostPort } from '../../src/inventory/hostport.js';

describe('parseHostPort', () => {
  it.each([
    ['pbx.example.lan', { host: 'pbx.example.lan', text: 'pbx.example.lan' }],
    ['us01sip0h.sc.zoom.us:5091', { host: 'us01sip0h.sc.zoom.us', port: 5091, text: 'us01sip0h.sc.zoom.us:5091' }],
    ['10.0.0.5:5060', { host: '10.0.0.5', port: 5060, text: '10.0.0.5:5060' }],
    ['[2001:db8::1]', { host: '[2001:db8::1]', text: '[2001:db8::1]' }],
    ['[::1]:65535', { host: '[::1]', port: 65535, text: '[::1]:65535' }],
    ['  _sip._tls.example.com  ', { host: '_sip._tls.example.com', text: '_sip._tls.example.com' }],
  ])('accepts %s', (input, expected) => {
    expect(parseHostPort(input)).toEqual(expected);
  });

  it.each([
    ['', 'expected host[:port], got an empty value'],
    ['pbx:0', '"pbx:0" has a bad port 0 (expected 1-65535)'],
    ['pbx:65536', '"pbx:65536" has a bad port 65536 (expected 1-65535)'],
    ['pbx:', '"pbx:" has a bad port "" (expected 1-65535)'],
    ['pbx:50x', '"pbx:50x" has a bad port "50x" (expected 1-65535)'],
    ['2001:db8::1', '"2001:db8::1" looks like an IPv6 address: write it in brackets, e.g. [2001:db8::1]:5060'],
    ['[not-v6]:5060', '"[not-v6]:5060" is not a valid bracketed IPv6 address[:port]'],
    ['sip:pbx.example.lan', '"sip:pbx.example.lan" must be host[:port] without a scheme (e.g. sip.example.com:5061)'],
    ['https://pbx', '"https://pbx" must be host[:port] without a scheme (e.g. sip.example.com:5061)'],
    ['pbx..lan', '"pbx..lan" is not a valid host name or address'],
    ['-pbx.lan', '"-pbx.lan" is not a valid host name or address'],
    ['pbx lan', '"pbx lan" is not a valid host name or address'],
  ])('refuses %j', (input, message) => {
    expect(parseHostPort(input)).toBe(message);
  });
});

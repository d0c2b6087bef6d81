import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { derUnsignedInteger, selfSignedCert } from '../../../src/sim/self-signed.js';

describe('self-signed certificates for the HTTPS simulators', () => {
  it('encodes serials minimally, whatever the random bytes begin with', () => {
    expect(derUnsignedInteger(Buffer.from([0x00, 0x1f, 0x02]))).toEqual(Buffer.from([0x02, 0x02, 0x1f, 0x02]));
    expect(derUnsignedInteger(Buffer.from([0x00, 0x00, 0x9f]))).toEqual(Buffer.from([0x02, 0x02, 0x00, 0x9f]));
    expect(derUnsignedInteger(Buffer.from([0x9f, 0x01]))).toEqual(Buffer.from([0x02, 0x03, 0x00, 0x9f, 0x01]));
    expect(derUnsignedInteger(Buffer.from([0x00, 0x00]))).toEqual(Buffer.from([0x02, 0x01, 0x00]));
  });

  it('makes certificates OpenSSL parses, naming the host and loopback addresses', () => {
    for (let i = 0; i < 50; i += 1) {
      const { cert } = selfSignedCert('eos1', ['127.31.0.9']);
      const x509 = new X509Certificate(cert);
      expect(x509.subject).toBe('CN=eos1');
      expect(x509.subjectAltName).toContain('IP Address:127.31.0.9');
      expect(x509.checkHost('localhost')).toBe('localhost');
    }
  });
});

import { describe, expect, it } from 'vitest';
import { redact, registerSecret } from './redact.js';

describe('redact', () => {
  it('hides PATs, bearer headers and registered secrets', () => {
    expect(redact('token dapi0123456789abcdef0123456789abcdef here')).toBe('token [REDACTED] here');
    expect(redact('Authorization: Bearer abc.def-ghi12345')).toBe('Authorization: Bearer [REDACTED]');
    registerSecret('s3cr3t-value-xyz');
    expect(redact('x=s3cr3t-value-xyz;')).toBe('x=[REDACTED];');
    expect(redact('{"token":"hunter22"}')).toBe('{"token":"[REDACTED]"}');
  });
});

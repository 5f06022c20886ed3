// Unit tests of the common-password list (functions/domain/common-passwords.ts).
import { commonPasswordCount, isCommonPassword } from '../../functions/domain/common-passwords';

describe('when the common-password list is loaded', () => {
  it('holds at least the 10,000 entries the policy promises', () => {
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(10_000);
  });

  it('knows the classics and not a long random phrase', () => {
    expect(isCommonPassword('password')).toBe(true);
    expect(isCommonPassword('qwerty123')).toBe(true);
    expect(isCommonPassword('violet ferns under a copper moon')).toBe(false);
  });
});

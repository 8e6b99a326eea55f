import { describe, expect, it } from 'vitest';
import { yesOrNo } from '../../../bots/engine/answers';

describe('yes or no', () => {
  it('reads the common words whatever the case, space and final punctuation', () => {
    expect(['yes', ' Yes!', 'OK.', 'y', 'sure'].map((text) => yesOrNo(text))).toEqual(['yes', 'yes', 'yes', 'yes', 'yes']);
    expect(['no', 'Nope.', 'N'].map((text) => yesOrNo(text))).toEqual(['no', 'no', 'no']);
    expect(yesOrNo('maybe')).toBeUndefined();
  });

  it("takes a question's own words only where they are given", () => {
    const cancel = { yes: ['yes, cancel it'], no: ['keep it'] };
    expect(yesOrNo('Yes,  cancel it', cancel)).toBe('yes');
    expect(yesOrNo('keep it!', cancel)).toBe('no');
    expect(yesOrNo('keep it')).toBeUndefined();
  });
});

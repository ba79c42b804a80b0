import { describe, expect, it } from 'vitest';
import { checkPassword, normalisePassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-policy.js';

const nobody = {};
const priya = { email: 'priya.sharma@example.org', displayName: 'Priya Sharma' };

describe('normalisePassword', () => {
  it('applies NFKC, so look-alike forms check and hash the same', () => {
    expect(normalisePassword('ｐａｓｓ１２')).toBe('pass12'); // full-width
    expect(normalisePassword('ﬁne')).toBe('fine'); // ligature
    expect(normalisePassword('cafe\u0301')).toBe('caf\u00e9'); // decomposed é
    expect(normalisePassword('नमस्ते')).toBe('नमस्ते');
  });
});

describe('checkPassword', () => {
  it('uses the NIST limits', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(12);
    expect(PASSWORD_MAX_LENGTH).toBe(128);
  });

  it('accepts long passphrases without asking for digits, capitals or symbols', () => {
    expect(checkPassword('correct horse battery staple', nobody)).toBeUndefined();
    expect(checkPassword('monsoon rain on tin roofs', priya)).toBeUndefined();
    expect(checkPassword('Priya loves monsoon rain', priya)).toBeUndefined();
  });

  describe('length, in code points after NFKC', () => {
    it('rejects fewer than 12 and accepts exactly 12', () => {
      expect(checkPassword('tin roof rai', nobody)).toBeUndefined();
      expect(checkPassword('tin roof ra', nobody)).toBe('too_short');
      expect(checkPassword('', nobody)).toBe('too_short');
    });

    it('accepts a Hindi passphrase of 12+ code points', () => {
      const chai = 'चाय और किताबें';
      expect([...chai].length).toBe(14);
      expect(checkPassword(chai, nobody)).toBeUndefined();
      expect(checkPassword('मेरा नाम प्रिया है और मुझे बारिश पसंद है', priya)).toBeUndefined();
    });

    it('counts Devanagari vowel signs and viramas as the code points they are', () => {
      const namaste = 'नमस्ते दोस्त'; // न म स ् त े, space, द ो स ् त
      expect([...namaste].length).toBe(12);
      expect(checkPassword(namaste, nobody)).toBeUndefined();
      expect(checkPassword('नमस्ते दोस्', nobody)).toBe('too_short'); // 11
    });

    it('counts an emoji once, not as its two UTF-16 units', () => {
      const twelve = '🐘🦒🦓🐧🦉🐢🦋🐝🐙🦀🐳🦔';
      expect(twelve.length).toBe(24);
      expect(checkPassword(twelve, nobody)).toBeUndefined();
      expect(checkPassword('🐘🦒🦓🐧🦉🐢🦋🐝🐙🦀🐳', nobody)).toBe('too_short'); // 22 units, 11 code points
    });

    it('rejects more than 128 code points, even where UTF-16 units would exceed it sooner', () => {
      const phrase = 'tea, books & rain; ';
      const atLimit = phrase.repeat(7).slice(0, 128);
      expect(checkPassword(atLimit, nobody)).toBeUndefined();
      expect(checkPassword(atLimit + 'x', nobody)).toBe('too_long');
      const emoji = [...'🐘🦒🦓🐧🦉🐢🦋🐝🐙🦀🐳🦔'];
      const emoji128 = Array.from({ length: 128 }, (_, i) => emoji[(i * 5) % emoji.length]).join('');
      expect(emoji128.length).toBe(256);
      expect(checkPassword(emoji128, nobody)).toBeUndefined();
      expect(checkPassword(emoji128 + '🐘', nobody)).toBe('too_long');
      expect(checkPassword('x'.repeat(1_000_000), nobody)).toBe('too_long');
    });

    it('counts after NFKC', () => {
      const decomposed = 're\u0301sume\u0301 cafe\u0301'; // 14 code points, "résumé café" is 11
      expect([...decomposed].length).toBe(14);
      expect(checkPassword(decomposed, nobody)).toBe('too_short');
      const ligatures = 'ﬃ ﬂ ﬁ sky'; // 9 code points, "ffi fl fi sky" is 13
      expect([...ligatures].length).toBe(9);
      expect(checkPassword(ligatures, nobody)).toBeUndefined();
    });
  });

  describe('common passwords (@zxcvbn-ts/language-common)', () => {
    it('rejects entries of the list', () => {
      expect(checkPassword('password1234', nobody)).toBe('common');
      expect(checkPassword('leavemealone', nobody)).toBe('common');
      expect(checkPassword('1q2w3e4r5t6y', nobody)).toBe('common');
      expect(checkPassword('whosyourdaddy', nobody)).toBe('common');
    });

    it('matches case-insensitively', () => {
      expect(checkPassword('Password1234', nobody)).toBe('common');
      expect(checkPassword('PASSWORD1234', nobody)).toBe('common');
      expect(checkPassword('JustinBieber', nobody)).toBe('common');
      expect(checkPassword('LeaveMeAlone', nobody)).toBe('common');
    });

    it('sees through symbols at either end: "Password123!" is "password123"', () => {
      expect(checkPassword('Password123!', nobody)).toBe('common');
      expect(checkPassword('Welcome123!!', nobody)).toBe('common');
      expect(checkPassword('**Letmein123**', nobody)).toBe('common');
    });

    it('matches after NFKC, so full-width forms do not slip past', () => {
      expect(checkPassword('ｐａｓｓｗｏｒｄ１２３４', nobody)).toBe('common');
    });

    it('leaves uncommon passwords alone', () => {
      expect(checkPassword('Password123!x9Lq', nobody)).toBeUndefined();
      expect(checkPassword('leave me alone at the lake', nobody)).toBeUndefined();
    });

    it('loads the list once, not on every call', () => {
      checkPassword('warm up the list', nobody);
      const started = performance.now();
      for (let i = 0; i < 1_000; i++) checkPassword(`quiet harbour ${i}`, nobody);
      expect(performance.now() - started).toBeLessThan(1_000);
    });
  });

  describe('identity', () => {
    it('rejects the email or its local part, with trivial variations', () => {
      expect(checkPassword('priya.sharma', priya)).toBe('contains_identity');
      expect(checkPassword('PriyaSharma2024!', priya)).toBe('contains_identity');
      expect(checkPassword('priya.sharma@example.org', priya)).toBe('contains_identity');
      expect(checkPassword('P.R.I.Y.A-sharma', priya)).toBe('contains_identity');
      expect(checkPassword('amrahsayirp!!', priya)).toBe('contains_identity'); // reversed
    });

    it('uses the local part even without a display name', () => {
      const id = { email: 'joseph.kuruvilla@parish.example' };
      expect(checkPassword('JosephKuruvilla1', id)).toBe('contains_identity');
      expect(checkPassword('kuruvilla-1990', id)).toBe('contains_identity');
    });

    it('rejects the display name, or one of its names, repeated', () => {
      const rahul = { displayName: 'Rahul Verma' };
      expect(checkPassword('rahul verma!!', rahul)).toBe('contains_identity');
      expect(checkPassword('RahulRahulRahul', rahul)).toBe('contains_identity');
      expect(checkPassword('verma-verma-2024', rahul)).toBe('contains_identity');
    });

    it('handles names in any script', () => {
      expect(checkPassword('प्रिया प्रिया 2024', { displayName: 'प्रिया' })).toBe('contains_identity');
    });

    it('allows a name inside a real passphrase', () => {
      expect(checkPassword('Priya loves monsoon rain', priya)).toBeUndefined();
      expect(checkPassword('rahul plays the sitar', { displayName: 'Rahul Verma' })).toBeUndefined();
    });
  });

  describe('repetition and sequences', () => {
    it.each(['aaaaaaaaaaaa', 'AAAAAAAAAAAAAAAA', '............', 'ककककककककककककक'])('rejects one character repeated: %s', (pw) => {
      expect(checkPassword(pw, nobody)).toBe('repetitive');
    });

    it.each(['123456789012', 'abcdefghijkl', 'ZYXWVUTSRQPO', '098765432109', 'qwertyuiopas', 'mnbvcxzlkjhg'])(
      'rejects a straight sequence: %s',
      (pw) => {
        expect(checkPassword(pw, nobody)).toBe('repetitive');
      },
    );

    it.each(['abababababab', 'xyzxyzxyzxyz', '1234abcd5678', 'aaaa-bbbb-cccc', '1234 5678 9012'])(
      'rejects short patterns and runs strung together: %s',
      (pw) => {
        expect(checkPassword(pw, nobody)).toBe('repetitive');
      },
    );

    it('does not flag ordinary passphrases that contain a short run', () => {
      expect(checkPassword('abc of gardening', nobody)).toBeUndefined();
      expect(checkPassword('room 101 is full of books', nobody)).toBeUndefined();
    });
  });
});

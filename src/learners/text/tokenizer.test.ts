import { describe, expect, it } from 'vitest';
import { normalizeText, tokenize } from './tokenizer.js';

describe('tokenize', () => {
  it('keeps accented Latin letters inside words and folds case', () => {
    expect(tokenize('Crème BRÛLÉE à Paris')).toEqual(['crème', 'brûlée', 'à', 'paris']);
  });

  it('composes decomposed accents (NFKC) so both spellings give the same token', () => {
    expect(tokenize('Cafe\u0301')).toEqual(tokenize('Café'));
  });

  it('splits Cyrillic and Greek words and folds the Greek final sigma', () => {
    expect(tokenize('Привет, МИР!')).toEqual(['привет', 'мир']);
    expect(tokenize('ΟΔΟΣ οδός')).toEqual(['οδοσ', 'οδόσ']);
  });

  it('makes every Chinese and Japanese character a token, as those scripts have no spaces', () => {
    expect(tokenize('我爱北京')).toEqual(['我', '爱', '北', '京']);
    expect(tokenize('東京に住む')).toEqual(['東', '京', 'に', '住', 'む']);
  });

  it('keeps Arabic words and Devanagari words with their combining vowel signs whole', () => {
    expect(tokenize('مرحبا بالعالم')).toEqual(['مرحبا', 'بالعالم']);
    expect(tokenize('नमस्ते दुनिया')).toEqual(['नमस्ते', 'दुनिया']);
  });

  it('turns emoji and currency signs into tokens of their own and drops joiners and skin tones', () => {
    expect(tokenize('great👍🏽job ❤️ 5€')).toEqual(['great', '👍', 'job', '❤', '5', '€']);
  });

  it('drops punctuation and whitespace entirely', () => {
    expect(tokenize(' ...!?, ')).toEqual([]);
  });

  it('folds compatibility forms: ligatures, full-width letters and sharp s', () => {
    expect(normalizeText('ﬁne ＡＢＣ Straße')).toBe('fine abc strasse');
  });
});

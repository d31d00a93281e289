import { describe, expect, it } from 'vitest';
import { LANG_STORAGE_KEY, en, placeholders, storedLang, translate, zhCN, type LabelKey } from './i18n.ts';

/** The dashboard's components as source text (Vite reads them for the test). */
const SOURCES = import.meta.glob<string>('./*.tsx', { query: '?raw', import: 'default', eager: true });
const keys = Object.keys(en) as LabelKey[];

describe('dashboard labels in English and Simplified Chinese', () => {
  it('has exactly the same keys in both languages', () => {
    expect(Object.keys(zhCN).sort()).toEqual([...keys].sort());
  });

  it('translates every label, with the same placeholders', () => {
    for (const key of keys) {
      expect(zhCN[key].trim(), key).not.toBe('');
      expect(zhCN[key], key).not.toBe(en[key]);
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('fills placeholders and leaves a missing one visible', () => {
    expect(translate('en', 'clock.progress', { done: 12, total: 450 })).toBe('12 of 450');
    expect(translate('zh-CN', 'clock.progress', { done: 12, total: 450 })).toBe('12 / 450');
    expect(translate('zh-CN', 'flight.stand', {})).toBe('机位 {stand}');
  });

  it('remembers Chinese, and falls back to English for anything else', () => {
    expect(storedLang({ getItem: (k) => (k === LANG_STORAGE_KEY ? 'zh-CN' : null) })).toBe('zh-CN');
    expect(storedLang({ getItem: () => 'fr' })).toBe('en');
    expect(storedLang(null)).toBe('en');
  });

  it('leaves no English words in the dashboard\'s markup: every label goes through the dictionary', () => {
    expect(Object.keys(SOURCES).length).toBeGreaterThan(5);
    for (const [file, source] of Object.entries(SOURCES)) {
      // Text between tags, outside {expressions}: `<h2>Officers</h2>` would be a label left untranslated.
      // (Generics and arrow functions also stand between > and <: code has ; = && || ?. where a label has none.)
      const stray = [...source.matchAll(/(?<![=!-])>([^<>{}]*[A-Za-z]{2,}[^<>{}]*)</g)].map((m) => m[1]?.trim()).filter((t) => t && !/[;=]|&&|\|\||\?\./.test(t));
      expect(stray, file).toEqual([]);
      // Labels in attributes people read.
      const attrs = [...source.matchAll(/\b(?:title|aria-label|placeholder|alt)="([^"]*[A-Za-z]{2,}[^"]*)"/g)].map((m) => m[1]);
      expect(attrs, file).toEqual([]);
    }
  });
});

import { describe, expect, it } from 'vitest';
import {
  extensionForLanguage,
  isLanguage,
  languageFromExtension,
  languageFromJupyterName,
  languageSyntax,
  LANGUAGES,
} from './language.js';

describe('language syntax', () => {
  it.each([
    ['PYTHON', '#', '.py'],
    ['SQL', '--', '.sql'],
    ['SCALA', '//', '.scala'],
    ['R', '#', '.r'],
  ] as const)('%s uses %s comments and %s files', (language, comment, extension) => {
    const syntax = languageSyntax(language);
    expect(syntax.comment).toBe(comment);
    expect(syntax.header).toBe(`${comment} Databricks notebook source`);
    expect(syntax.cellSeparator).toBe(`${comment} COMMAND ----------`);
    expect(syntax.magicPrefix).toBe(`${comment} MAGIC `);
    expect(syntax.extension).toBe(extension);
    expect(extensionForLanguage(language)).toBe(extension);
    expect(languageFromExtension(extension)).toBe(language);
  });

  it('maps extensions case-insensitively, with or without the dot', () => {
    expect(languageFromExtension('.R')).toBe('R');
    expect(languageFromExtension('py')).toBe('PYTHON');
    expect(languageFromExtension('.SQL')).toBe('SQL');
    expect(languageFromExtension('.ipynb')).toBeUndefined();
    expect(languageFromExtension('.txt')).toBeUndefined();
    expect(languageFromExtension('')).toBeUndefined();
  });

  it('reads Jupyter language names', () => {
    expect(languageFromJupyterName('python3')).toBe('PYTHON');
    expect(languageFromJupyterName('Scala')).toBe('SCALA');
    expect(languageFromJupyterName('R')).toBe('R');
    expect(languageFromJupyterName('julia')).toBeUndefined();
  });

  it('recognises exactly the four workspace languages', () => {
    expect(LANGUAGES.every(isLanguage)).toBe(true);
    expect(isLanguage('python')).toBe(false);
    expect(isLanguage(undefined)).toBe(false);
  });
});

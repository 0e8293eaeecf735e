// Draft editing from the command line: key=value, key:=json, dotted keys, --unset, slot words.
import { describe, expect, it } from 'vitest';
import { editConfiguration, parseAssignment, slotOf } from './models-config.js';

describe('parseAssignment', () => {
  it('keeps plain values as strings, so an outcome named "1" stays "1"', () => {
    expect(parseAssignment('positive=1', {})).toEqual({ path: ['positive'], value: '1' });
    expect(parseAssignment('target=will churn', {})).toEqual({ path: ['target'], value: 'will churn' });
  });

  it('reads JSON arrays, objects, booleans and null after =', () => {
    expect(parseAssignment('features=["a","b"]', {}).value).toEqual(['a', 'b']);
    expect(parseAssignment('allowTruncation=true', {}).value).toBe(true);
    expect(parseAssignment('filter={"column":"x"}', {}).value).toEqual({ column: 'x' });
    expect(parseAssignment('splitColumn=null', {}).value).toBeNull();
  });

  it('reads any JSON after := and refuses JSON that does not parse', () => {
    expect(parseAssignment('maxTrees:=200', {}).value).toBe(200);
    expect(parseAssignment('name:="7"', {}).value).toBe('7');
    expect(() => parseAssignment('x:={oops', {})).toThrow(/not valid JSON/);
  });

  it('reads a number where the configuration already holds a number', () => {
    expect(parseAssignment('settings.rounds=50', { settings: { rounds: 10 } })).toEqual({ path: ['settings', 'rounds'], value: 50 });
    expect(parseAssignment('settings.rounds=many', { settings: { rounds: 10 } }).value).toBe('many');
  });

  it('keeps an equals sign inside the value', () => {
    expect(parseAssignment('separator==', {}).value).toBe('=');
  });

  it('refuses text that is not an assignment', () => {
    expect(() => parseAssignment('target', {})).toThrow(/not an assignment/);
    expect(() => parseAssignment('=x', {})).toThrow();
  });
});

describe('editConfiguration', () => {
  it('applies --configuration, then --set, then --unset, without changing the input', () => {
    const current = { tableId: 't1', target: 'y', features: ['a'] };
    const next = editConfiguration(current, { set: ['target=z', 'filter.column=a'], unset: ['features'] });
    expect(next).toEqual({ tableId: 't1', target: 'z', filter: { column: 'a' } });
    expect(current).toEqual({ tableId: 't1', target: 'y', features: ['a'] });
    expect(editConfiguration(current, { configuration: '{"tableId":"t2"}', set: ['target=w'] })).toEqual({ tableId: 't2', target: 'w' });
  });

  it('refuses a --configuration that is not a JSON object', () => {
    expect(() => editConfiguration({}, { configuration: '[1,2]' })).toThrow(/JSON object/);
    expect(() => editConfiguration({}, { configuration: '{nope' })).toThrow(/JSON object/);
  });
});

describe('slotOf', () => {
  it('maps published and last to the API slot names and refuses other words', () => {
    expect(slotOf('published')).toBe('published');
    expect(slotOf('last')).toBe('lastTrained');
    expect(slotOf('last-trained')).toBe('lastTrained');
    expect(slotOf(undefined)).toBeUndefined();
    expect(() => slotOf('newest')).toThrow(/published or last/);
  });
});

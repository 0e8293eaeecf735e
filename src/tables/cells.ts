// Cell rules: what a raw CSV cell means as missing, number, boolean or date, and its typed value.
import type { ColumnType } from './table-data.js';

/** Decimal numbers: integers, decimals, exponents, a leading sign. No thousands separators, no NaN/Infinity. */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** "007", "-01", "00.5": identifiers or codes that must keep their zeros, so never inferred as numbers. */
const LEADING_ZERO = /^[+-]?0\d/;
/** ISO 8601 date, optional time (T or space), optional zone (only with a time). */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const TRUE_WORDS = new Set(['true', 'yes', '1', 't', 'y']);
const FALSE_WORDS = new Set(['false', 'no', '0', 'f', 'n']);

/** An empty or whitespace-only cell is missing (never zero, never ""). */
export function isMissingCell(raw: string): boolean {
  if (raw.length === 0) return true;
  // Fast path: most cells neither start nor end with whitespace, so trimming is rarely needed.
  if (raw.charCodeAt(0) > 32 && raw.charCodeAt(raw.length - 1) > 32) return false;
  return raw.trim().length === 0;
}

function trimmed(raw: string): string {
  return raw.charCodeAt(0) > 32 && raw.charCodeAt(raw.length - 1) > 32 ? raw : raw.trim();
}

/** The number a non-missing cell holds, or NaN when it is not a number. */
export function parseNumberCell(raw: string): number {
  const t = trimmed(raw);
  return NUMBER.test(t) ? Number(t) : Number.NaN;
}

/** True when a number-looking cell is really an identifier with leading zeros ("007"). */
export function hasLeadingZero(raw: string): boolean {
  return LEADING_ZERO.test(trimmed(raw));
}

/** 1 / 0 for a boolean cell (true/false, yes/no, 1/0, t/f, y/n in any case), NaN otherwise. */
export function parseBooleanCell(raw: string): number {
  const t = trimmed(raw).toLowerCase();
  if (TRUE_WORDS.has(t)) return 1;
  if (FALSE_WORDS.has(t)) return 0;
  return Number.NaN;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function daysIn(year: number, month: number): number {
  if (month !== 2) return DAYS[month - 1];
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** Milliseconds since 1970-01-01T00:00:00Z of an ISO date cell, NaN when it is not a valid date. A time without a zone is read as UTC so results do not depend on the server's time zone. */
export function parseDateCell(raw: string): number {
  const m = ISO_DATE.exec(trimmed(raw));
  if (!m) return Number.NaN;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] ? Number(m[4]) : 0;
  const minute = m[5] ? Number(m[5]) : 0;
  const second = m[6] ? Number(m[6]) : 0;
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  if (day > daysIn(year, month)) return Number.NaN;
  let t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC maps years 0-99 to 1900-1999; set the year explicitly to keep them literal.
  if (year < 100) {
    const d = new Date(t);
    d.setUTCFullYear(year);
    t = d.getTime();
  }
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return t;
}

/** The numeric value of a cell in a number / boolean / date column: NaN when missing or not convertible. */
export function numericCell(type: 'number' | 'boolean' | 'date', raw: string): number {
  if (isMissingCell(raw)) return Number.NaN;
  if (type === 'number') return parseNumberCell(raw);
  if (type === 'boolean') return parseBooleanCell(raw);
  return parseDateCell(raw);
}

/** True when a non-missing cell can be read as `type` (category and text accept anything). */
export function fitsType(type: ColumnType, raw: string): boolean {
  if (isMissingCell(raw) || type === 'category' || type === 'text') return true;
  return !Number.isNaN(numericCell(type, raw));
}

/** A cell as the rows API shows it: number, boolean, ISO date string, string, or null when missing. */
export function typedCell(type: ColumnType, raw: string): string | number | boolean | null {
  if (isMissingCell(raw)) return null;
  switch (type) {
    case 'number': {
      const v = parseNumberCell(raw);
      return Number.isNaN(v) ? null : v;
    }
    case 'boolean': {
      const v = parseBooleanCell(raw);
      return Number.isNaN(v) ? null : v === 1;
    }
    case 'date': {
      const v = parseDateCell(raw);
      return Number.isNaN(v) ? null : new Date(v).toISOString();
    }
    default:
      return raw;
  }
}

/** What a JSON value sent by a client is stored as: the raw cell string ("" = missing). */
export function cellFromJson(value: unknown): string | null {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return null;
}

/** A short, quoted rendering of a cell for error messages. */
export function quoteCell(raw: string): string {
  return JSON.stringify(raw.length > 40 ? raw.slice(0, 40) + '…' : raw);
}

/**
 * Strict readers for the fields of an API Gateway event, which is input like any other: a missing or
 * mistyped field is a `Bad` error naming the field (the handler answers it as a malformed event), never
 * a TypeError, and never a message that quotes the value.
 */
import { isPlainObject } from "../../src/index.js";

/** A field that is missing or has the wrong type; the message names the field only. */
export class Bad extends Error {}

export type Obj = Record<string, unknown>;

export const isObj = (x: unknown): x is Obj => isPlainObject(x);

/** `path` without a leading `prefix`, only where the prefix ends at a segment boundary. */
export function strip(path: string, prefix: string): string {
  return path === prefix ? "/" : path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path;
}

export function str(value: unknown, field: string): string {
  if (typeof value !== "string") throw new Bad(`${field} is not a string`);
  return value;
}

export function optional(value: unknown, field: string): string | undefined {
  return value === undefined || value === null ? undefined : str(value, field);
}

export function list(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Bad(`${field} is not an array`);
  return value.map((v) => str(v, field));
}

export function entries(value: unknown, field: string): Array<[string, unknown]> {
  if (value === undefined || value === null) return [];
  if (!isObj(value)) throw new Bad(`${field} is not an object`);
  return Object.entries(value);
}

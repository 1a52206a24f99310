import { readFileSync } from "node:fs";

/**
 * The recorded Mastodon 4.3 answers the test peer replays (`recordings/*.json`, each naming the serializer or
 * controller it follows). Values written `{{name}}` are filled from the peer's state: a whole-string placeholder
 * takes any JSON value, one inside a longer string is replaced by text.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type RecordedError = { status: number; headers?: Record<string, string>; body: Json };

const cache = new Map<string, { source: string; body?: Json }>();

function load(name: string) {
  let recording = cache.get(name);
  if (!recording) {
    recording = JSON.parse(readFileSync(new URL(`./recordings/${name}.json`, import.meta.url), "utf8")) as { source: string; body?: Json };
    cache.set(name, recording);
  }
  return recording;
}

/** Fills `{{name}}` placeholders of a recorded value with `values`. */
export function fill(template: Json, values: Record<string, unknown>): Json {
  if (typeof template === "string") {
    const whole = /^\{\{(\w+)\}\}$/.exec(template);
    if (whole && whole[1] in values) return values[whole[1]] as Json;
    return template.replace(/\{\{(\w+)\}\}/g, (match, name: string) => (name in values ? String(values[name]) : match));
  }
  if (Array.isArray(template)) return template.map((item) => fill(item, values));
  if (template && typeof template === "object") {
    return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, fill(value, values)]));
  }
  return template;
}

/** A recorded entity (account, status, …) filled with `values`. */
export function recordedEntity(name: string, values: Record<string, unknown>): Record<string, Json> {
  return fill(load(name).body!, values) as Record<string, Json>;
}

/** A recorded error answer (`recordings/errors/<name>.json`, the name in kebab case), filled with `values`. */
export function recordedError(name: string, values: Record<string, unknown> = {}): RecordedError {
  const { status, headers, body } = load(`errors/${name.replace(/_/g, "-")}`) as unknown as RecordedError;
  return fill({ status, ...(headers ? { headers } : {}), body } as unknown as Json, values) as unknown as RecordedError;
}
